"""Real git repositories in temp dirs, with a pinned identity, clock and configuration.

Nothing from the user's git configuration leaks in: ``GIT_CONFIG_GLOBAL`` points
at an empty file, the system file is skipped and ``HOME`` is the temp dir.  The
same environment is put into ``os.environ`` (through ``monkeypatch``) so the git
that GitPython runs inside docsync sees it too.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

_PINNED = {
    "GIT_AUTHOR_NAME": "Docsync Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Docsync Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}


class GitRepo:
    """A git work tree for one test; every commit gets the next pinned timestamp."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self._env = env
        self._clock = 1_700_000_000

    def git(self, *args: str) -> str:
        """Run git in the work tree and return its stripped stdout."""
        result = subprocess.run(
            ["git", *args],
            cwd=self.path,
            env=self._env,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()

    def write(self, rel: str, text: str) -> Path:
        """Write a file (dedented), creating its directories."""
        path = self.path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        """Delete a file from the work tree."""
        (self.path / rel).unlink()

    def commit(self, message: str = "change") -> str:
        """Stage everything and commit; returns the new commit's sha."""
        self._clock += 60
        stamp = f"{self._clock} +0000"
        self._env["GIT_AUTHOR_DATE"] = stamp
        self._env["GIT_COMMITTER_DATE"] = stamp
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "-m", message)
        return self.git("rev-parse", "HEAD")


def edit(repo: GitRepo, old: str, new: str, path: str = "pkg/api.py") -> None:
    """Replace ``old`` (which must be there) with ``new`` in a file of the work tree."""
    target = repo.path / path
    text = target.read_text(encoding="utf-8")
    assert old in text, old
    target.write_text(text.replace(old, new), encoding="utf-8")


def make_env(home: Path) -> dict[str, str]:
    """The pinned git environment, with ``home`` as HOME and an empty global config."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "gitconfig"
    config.write_text("", encoding="utf-8")
    env = {
        **_PINNED,
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(config),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
    }
    return env


def pin_git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Pin the git environment for this test, in this process too (for GitPython).

    Returns:
        The environment to run git with.
    """
    env = make_env(tmp_path / "home")
    for key, value in env.items():
        if key != "PATH":
            monkeypatch.setenv(key, value)
    return env


def new_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """An empty repository on branch ``main`` under ``tmp_path``, with a pinned environment.

    Returns:
        The repository.
    """
    env = pin_git_env(tmp_path, monkeypatch)
    path = tmp_path / "repo"
    path.mkdir()
    made = GitRepo(path, env)
    made.git("init", "-q", "-b", "main")
    return made
