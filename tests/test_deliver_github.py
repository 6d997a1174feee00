"""``docsync pr`` against the fake GitHub: open, update, nothing to do, idempotence, errors."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
import urllib3.util.retry as urllib3_retry
from click.testing import CliRunner
from github import GithubException, GithubRetry

from docsync.cli import main
from docsync.commands.pr import run_pr
from docsync.config import apply_settings
from docsync.deliver.fix_report import FixResult
from docsync.deliver.github import (
    GitHub,
    GitHubSettings,
    PermissionDenied,
    explain,
    repository_from_url,
)
from docsync.draft.llm.summary import LLMSummary
from docsync.errors import ConfigError, DeliveryError
from fake_github.scenario import READ_ONLY, REPOSITORY, TOKEN, Scenario, scenario
from helpers_github import DRIFTED

MORE = '''

def numbers(n):
    """Count.

    Args:
        n: How many.

    Returns:
        int: Numbers.
    """
    yield n
'''


@pytest.fixture
def hub_files() -> dict[str, str]:
    """``octo/demo`` starts out with drifted docstrings (the ``hub`` fixture is in conftest)."""
    return {"pkg/mod.py": DRIFTED, "pyproject.toml": ""}


def pulls(hub: Scenario) -> list[object]:
    return hub.server.api.pulls[REPOSITORY]


def test_pr_opens_a_pull_request_with_the_fixes_on_the_bot_branch(hub: Scenario) -> None:
    config = apply_settings(hub.config(), {"labels": ["documentation"]}, origin="test")
    outcome = run_pr(config, env=hub.env())
    assert outcome.branch is not None and outcome.branch.pushed and outcome.branch.created
    assert outcome.pull is not None and outcome.pull.action == "opened"
    assert outcome.denied is None
    [pull] = hub.server.api.pulls[REPOSITORY]
    assert (pull.head_ref, pull.base_ref, pull.title) == ("docsync/sync", "main", config.pr_title)
    assert [label.name for label in pull.labels] == ["documentation"]
    # The branch holds one commit on main whose message lists what was fixed.
    bare = hub.server.repos
    assert bare.tip(REPOSITORY, "docsync/sync") == outcome.branch.commit
    message = bare.git(REPOSITORY, "log", "-1", "--format=%B", "docsync/sync")
    assert message.startswith("docs: fix 2 documentation findings found by docsync\n\n")
    assert "\n- pkg/mod.py:10 DS101 parameter 'retries' is documented" in message
    assert "\n- pkg/mod.py:7 DS105 " in message
    assert bare.git(REPOSITORY, "rev-parse", "docsync/sync^") == hub.repo.git("rev-parse", "HEAD")
    fixed = bare.git(REPOSITORY, "show", "docsync/sync:pkg/mod.py")
    assert "retries" not in fixed
    # The body: a table of what was fixed with links to the lines, what is left.
    sha = outcome.branch.commit
    body = pull.body or ""
    assert body.startswith("<!-- docsync:pr -->\n")
    web = hub.server.urls.web
    assert f"]({web}/octo/demo/blob/{sha}/pkg/mod.py#L5-L10)" in body
    assert "| DS101 `" in body
    assert "#### Left for a person (1)" in body
    # DS102 was on line 17; the fix above it removed a line.
    assert f"({web}/octo/demo/blob/{sha}/pkg/mod.py#L16)" in body
    assert "LLM cost" not in body
    # The user's checkout is as it was.
    assert hub.repo.git("status", "--porcelain") == ""
    assert hub.repo.git("rev-parse", "--abbrev-ref", "HEAD") == "main"


def test_a_second_run_on_the_same_state_pushes_nothing_and_writes_nothing(hub: Scenario) -> None:
    first = run_pr(hub.config(), env=hub.env())
    writes = len(hub.server.writes())
    pushed = hub.server.repos.tip(REPOSITORY, "docsync/sync")
    second = run_pr(hub.config(), env=hub.env())
    assert second.branch is not None and not second.branch.pushed
    assert second.branch.commit == pushed
    assert second.pull is not None and second.pull.action == "unchanged"
    assert first.pull is not None and second.pull.number == first.pull.number
    assert len(hub.server.writes()) == writes
    assert hub.server.repos.tip(REPOSITORY, "docsync/sync") == pushed
    assert len(pulls(hub)) == 1


def test_a_new_drift_updates_the_branch_and_the_pull_request(hub: Scenario) -> None:
    first = run_pr(hub.config(), env=hub.env())
    assert first.branch is not None
    hub.repo.write("pkg/mod.py", DRIFTED + MORE)
    hub.repo.commit("more code")
    hub.push("main")
    second = run_pr(hub.config(), env=hub.env())
    assert second.branch is not None and second.branch.pushed and not second.branch.created
    assert second.pull is not None and second.pull.action == "updated"
    [pull] = pulls(hub)
    assert "DS202" in (pull.body or "")
    assert second.branch.commit in (pull.body or "")
    calls = [r.operation for r in hub.server.calls() if r.operation != "repos/get"]
    assert calls.count("pulls/create") == 1 and calls.count("pulls/update") == 1
    # The lease was the commit the first run pushed: the branch moved from it.
    parent = hub.server.repos.git(REPOSITORY, "rev-parse", "docsync/sync^")
    assert parent == hub.repo.git("rev-parse", "HEAD")


def test_base_mode_fixes_only_what_the_change_made_stale(hub: Scenario) -> None:
    hub.repo.write("pkg/mod.py", DRIFTED + MORE)
    hub.repo.commit("add numbers()")
    outcome = run_pr(hub.config(), base="HEAD~1", env=hub.env())
    assert [f.code for f in outcome.fix.fixed] == ["DS202"]
    assert outcome.pull is not None and outcome.pull.action == "opened"
    fixed = hub.server.repos.git(REPOSITORY, "show", "docsync/sync:pkg/mod.py")
    assert "Yields:\n        int: Numbers." in fixed and "retries" in fixed


def test_nothing_to_fix_means_no_commit_no_push_and_no_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = '"""A module."""\n\n\ndef f(a):\n    """Do.\n\n    Args:\n        a: A.\n    """\n'
    with scenario(tmp_path, monkeypatch, {"mod.py": clean}) as made:
        outcome = run_pr(made.config(), env=made.env())
        assert outcome.branch is None and outcome.pull is None
        assert outcome.describe() == "Nothing to change: no commit, no push.\n"
        assert made.server.requests == []
        assert made.server.repos.tip(REPOSITORY, "docsync/sync") is None


def test_a_read_only_token_writes_nothing_and_says_which_permissions(hub: Scenario) -> None:
    outcome = run_pr(hub.config(), env=hub.env(token=READ_ONLY))
    assert outcome.branch is None and outcome.pull is None
    assert outcome.denied is not None
    assert "push: false" in outcome.denied
    assert "`contents: write`" in outcome.denied and "`pull-requests: write`" in outcome.denied
    assert hub.server.writes() == []
    assert hub.server.repos.tip(REPOSITORY, "docsync/sync") is None
    assert outcome.failed(hub.config())  # exit code as check: there are findings


def test_a_token_refused_on_the_pull_request_is_reported_not_raised(hub: Scenario) -> None:
    # The push goes through (the remote's git credentials may write) but the API token is
    # read-only and GET /repos does not list its permissions, as for some app tokens.
    outcome = run_pr(hub.config(), env=hub.env(), client=_unknown_permissions(hub, READ_ONLY))
    assert outcome.branch is not None and outcome.branch.pushed
    assert outcome.pull is None and outcome.denied is not None
    assert "POST /repos/octo/demo/pulls" in outcome.denied
    assert "403 Resource not accessible by integration" in outcome.denied


def _unknown_permissions(hub: Scenario, token: str) -> GitHub:
    from dataclasses import replace

    client = hub.client(token)
    real = client.repo_info

    def repo_info():  # type: ignore[no-untyped-def]
        return replace(real(), can_push=None)

    client.repo_info = repo_info  # type: ignore[method-assign]
    return client


def test_every_api_failure_names_the_request(hub: Scenario) -> None:
    client = hub.client()
    with pytest.raises(
        DeliveryError, match=r"GitHub API GET /repos/octo/demo/pulls/99 failed \(404"
    ):
        client.pull(99)
    gone = GitHub(
        GitHubSettings("http://127.0.0.1:9/api/v3", TOKEN, REPOSITORY), retry=GithubRetry(total=0)
    )
    with pytest.raises(DeliveryError, match=r"GET /repos/octo/demo failed: .*GITHUB_API_URL"):
        gone.repo_info()
    bad = GitHub(GitHubSettings(hub.server.urls.api, "wrong", REPOSITORY))
    with pytest.raises(PermissionDenied, match=r"\(401 Bad credentials\): the token is missing"):
        bad.repo_info()


def test_a_secondary_rate_limit_is_waited_out(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub.server.rate_limit_next(1, kind="secondary")
    waits: list[float] = []  # what urllib3's Retry (under PyGithub's GithubRetry) sleeps
    monkeypatch.setattr(urllib3_retry, "time", SimpleNamespace(time=time.time, sleep=waits.append))
    info = hub.client().repo_info()
    assert info.full_name == REPOSITORY
    assert waits == [1.0]  # the fake's Retry-After: 1, waited once, before the one retry
    assert [r.status for r in hub.server.calls("repos/get")] == [403, 200]


def test_a_primary_rate_limit_is_waited_out_until_the_reset(hub: Scenario) -> None:
    hub.server.rate_limit_next(1, kind="primary")
    assert hub.client().repo_info().default_branch == "main"
    assert [r.status for r in hub.server.calls("repos/get")] == [403, 200]


def test_a_rate_limit_too_long_to_wait_is_explained(hub: Scenario) -> None:
    hub.server.rate_limit_next(1, kind="primary", reset_in=3600)
    settings = GitHubSettings(hub.server.urls.api, TOKEN, REPOSITORY)
    client = GitHub(settings, retry=GithubRetry(max_rate_limit_wait=5))
    with pytest.raises(
        DeliveryError, match=r"GET /repos/octo/demo failed \(403 API rate limit"
    ) as caught:
        client.repo_info()
    assert "the API rate limit is used up until " in str(caught.value)
    assert "UTC; run docsync again then" in str(caught.value)


def test_422_a_pull_request_that_already_exists_is_explained() -> None:
    data = {
        "message": "Validation Failed",
        "errors": [
            {
                "resource": "PullRequest",
                "code": "custom",
                "message": "A pull request already exists for octo:docsync/sync.",
            }
        ],
    }
    error = explain("POST", "/repos/octo/demo/pulls", GithubException(422, data, {}))
    assert type(error) is DeliveryError
    assert str(error).startswith(
        "GitHub API POST /repos/octo/demo/pulls failed (422 Validation Failed): "
    )
    assert "already exists" in str(error) and "run docsync pr again" in str(error)


def test_settings_come_from_the_environment_or_the_origin_remote() -> None:
    env = {"GITHUB_API_URL": "https://ghe.example/api/v3/", "GITHUB_TOKEN": "t"}
    settings = GitHubSettings.from_env(env, "git@ghe.example:team/tool.git")
    assert settings == GitHubSettings("https://ghe.example/api/v3", "t", "team/tool")
    assert (
        GitHubSettings.from_env({"GITHUB_REPOSITORY": "a/b"}, None).api_url
        == "https://api.github.com"
    )
    with pytest.raises(ConfigError, match="GITHUB_REPOSITORY"):
        GitHubSettings.from_env({}, None)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/octo/demo.git", "octo/demo"),
        ("https://x-access-token:abc@github.com/octo/demo", "octo/demo"),
        ("git@github.com:octo/demo.git", "octo/demo"),
        ("ssh://git@ghe.example:2222/team/tool.git", "team/tool"),
        ("http://127.0.0.1:8080/octo/demo.git/", "octo/demo"),
        ("/srv/git/demo.git", None),
    ],
)
def test_the_repository_is_read_from_remote_urls(url: str, expected: str | None) -> None:
    assert repository_from_url(url) == expected


def test_the_llm_cost_is_the_summarys_estimate_when_drafting_spent_any() -> None:
    without_llm = FixResult((), (), (), "")
    assert without_llm.llm_cost is None
    assert replace(without_llm, llm=LLMSummary("claude-sonnet-5-5")).llm_cost is None
    spent = replace(without_llm, llm=LLMSummary("claude-sonnet-5-5", requests=1, cost=0.0123))
    assert spent.llm_cost == 0.0123


def test_cli_pr_prints_the_fixes_and_the_pull_request(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in hub.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(hub.repo.path)
    result = CliRunner().invoke(main, ["pr", "--label", "docs"], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # DS102 is left for a person
    assert "Pushed " in result.output and "to docsync/sync." in result.output
    assert f"Opened pull request #1: {hub.server.urls.web}/octo/demo/pull/1" in result.output
    again = CliRunner().invoke(main, ["pr", "--label", "docs"], catch_exceptions=False)
    assert "already holds these fixes" in again.output
    assert "Pull request #1 is up to date" in again.output


def test_cli_pr_with_a_read_only_token_explains_on_stderr(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in hub.env(token=READ_ONLY).items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(hub.repo.path)
    result = CliRunner().invoke(main, ["pr"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "Nothing was written to GitHub: the token may not push to octo/demo" in result.stderr
    assert "fork" not in result.stderr
    assert "pull-requests: write" in result.stderr


def test_cli_pr_without_a_repository_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scenario(tmp_path, monkeypatch, {"pkg/mod.py": DRIFTED}) as made:
        made.repo.git("remote", "remove", "origin")
        monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
        monkeypatch.setenv("GITHUB_TOKEN", "t")  # a token, so the missing repository is what fails
        monkeypatch.chdir(made.repo.path)
        result = CliRunner().invoke(main, ["pr"], catch_exceptions=False)
        assert result.exit_code == 2
        assert "set GITHUB_REPOSITORY=owner/name" in result.stderr


@pytest.mark.parametrize("command", [["pr"], ["review", "--pr", "1"]])
def test_pr_and_review_without_a_token_say_so_before_any_request(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    for key, value in hub.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("GITHUB_TOKEN")
    monkeypatch.chdir(hub.repo.path)
    before = len(hub.server.requests)
    result = CliRunner().invoke(main, command, catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert "GITHUB_TOKEN is not set: docsync" in result.stderr
    assert "pull-requests: write" in result.stderr
    assert len(hub.server.requests) == before  # nothing was asked of the API
