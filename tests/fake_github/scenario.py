"""Set-ups shared by the delivery tests: a fake GitHub, a user's clone, a token, a client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from github import GithubRetry

from docsync.config import Config, load_config
from docsync.deliver import github as github_module
from docsync.deliver.github import GitHub, GitHubSettings
from fake_github.server import FakeGitHub
from helpers_git import GitRepo, new_repo

TOKEN = "ghs_writer"
READ_ONLY = "ghs_reader"
REPOSITORY = "octo/demo"


@dataclass
class Scenario:
    """A running fake GitHub and the user's clone of ``octo/demo`` (pushed, on ``main``)."""

    server: FakeGitHub
    repo: GitRepo

    def env(self, token: str | None = TOKEN, repository: str | None = REPOSITORY) -> dict[str, str]:
        """The GitHub settings a workflow would have."""
        env = {"GITHUB_API_URL": self.server.urls.api}
        if token is not None:
            env["GITHUB_TOKEN"] = token
        if repository is not None:
            env["GITHUB_REPOSITORY"] = repository
        return env

    def client(self, token: str = TOKEN, *, per_page: int = 100) -> GitHub:
        """A docsync GitHub client for the fake, with quick retries."""
        settings = GitHubSettings(self.server.urls.api, token, REPOSITORY)
        return GitHub(
            settings, retry=GithubRetry(total=3, secondary_rate_wait=0.1), per_page=per_page
        )

    def config(self) -> Config:
        """The configuration of the user's clone."""
        return load_config(self.repo.path)

    def push(self, *refs: str) -> None:
        """Push refs to the fake, as the user would."""
        self.repo.git("push", "-q", "origin", *refs)


@contextmanager
def scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]
) -> Iterator[Scenario]:
    """A fake GitHub with ``octo/demo`` holding ``files`` on ``main``, and the user's clone.

    The server's recorded violations of the OpenAPI description fail the test.
    """
    monkeypatch.setattr(github_module, "SECONDS_BETWEEN_REQUESTS", 0)
    monkeypatch.setattr(github_module, "SECONDS_BETWEEN_WRITES", 0)
    server = FakeGitHub(tmp_path / "server")
    server.add_token(TOKEN, "octo")
    server.add_token(READ_ONLY, "octo", write=False)
    with server.running():
        server.create_repo(REPOSITORY)
        repo = new_repo(tmp_path, monkeypatch)
        for name, text in files.items():
            repo.write(name, text)
        repo.commit("initial")
        repo.git("remote", "add", "origin", server.remote_url(REPOSITORY, TOKEN))
        repo.git("push", "-q", "origin", "main")
        yield Scenario(server, repo)
    assert server.violations == [], "\n".join(server.violations)
