"""``docsync action`` against the fake GitHub, driven by GitHub's own event payloads.

Each test is one workflow step: the checkout actions/checkout would have made, the
payload GitHub writes (an example from ``@octokit/webhooks-examples``, pointed at the
fake's repository), and the environment of a step of the docsync action.  The tests
read what the step leaves: its log (annotations), ``GITHUB_OUTPUT``, the job summary,
and the API requests the fake GitHub recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_anthropic import FakeAnthropic
from fake_github.scenario import REPOSITORY, TOKEN, Scenario, scenario
from helpers_action import (
    FORK,
    checkout_merge,
    invoke_action,
    load_event,
    open_fork_pull,
    repository_event,
    run_pull_event,
    step_env,
)
from helpers_github import DRIFTED, FEATURE, MAIN, apply, open_pull
from helpers_llm import TOOL_MODEL, docstring_answers

# --- pull requests from the same repository ---------------------------------------------


def test_an_opened_pull_request_is_annotated_summarised_and_reviewed(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    number = open_pull(hub)
    merge = checkout_merge(hub, "feature")
    setup = len(hub.server.requests)
    run = run_pull_event(
        hub, monkeypatch, tmp_path, "opened", number, inputs={"github-token": TOKEN}
    )
    assert run.exit_code == 1, run.result.output
    # Annotations: what the pull request made stale (errors in base mode), at the merge's lines.
    assert [a.split("::")[1] for a in run.annotations] == [
        "error file=pkg/mod.py,line=10,endLine=10,title=DS101 stale-param",
        "error file=pkg/mod.py,line=16,endLine=27,title=DS501 stale-after-change",
    ]
    assert any(
        "::mod.fetch: parameter 'retries' is documented but not in the signature" in a
        for a in run.annotations
    )
    # The review: one suggestion on the diff, a follow-up PR for the change outside it.
    calls = [r.operation for r in hub.server.requests[setup:] if r.method != "GET"]
    assert calls == ["pulls/create-review", "pulls/create", "issues/create-comment"]
    [follow] = [p for p in hub.server.api.pulls[REPOSITORY] if p.number != number]
    web = hub.server.urls.web
    # The fixer splits DS501 into the entries it fixes: three findings fixed.
    assert run.outputs == {
        "findings": "2",
        "fixed": "3",
        "pr-url": f"{web}/{REPOSITORY}/pull/{follow.number}",
        "cost": "0.0000",
    }
    # The job summary: counts, a table linking to the lines of the checked-out commit.
    summary = run.summary
    assert summary.startswith(f"## docsync: review of pull request #{number}\n")
    assert "**2** findings (2 errors) in 1 file (what the pull request changed" in summary
    assert f"[`pkg/mod.py:16`]({web}/{REPOSITORY}/blob/{merge}/pkg/mod.py#L16-L27)" in summary
    assert "| error | DS101 `stale-param` | [`pkg/mod.py:10`](" in summary
    assert (
        "- Pull request #1: 1 suggestion on the diff (1 posted now), 1 change outside it."
        in summary
    )
    assert "### Skipped" in summary and "no anthropic-api-key was given" in summary
    assert hub.server.writes()[-1].status == 201


def test_a_synchronize_event_updates_without_posting_twice(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    number = open_pull(hub)
    checkout_merge(hub, "feature")
    first = run_pull_event(
        hub, monkeypatch, tmp_path, "opened", number, inputs={"github-token": TOKEN}
    )
    assert first.outputs["findings"] == "2"
    # The author applies the suggestion and pushes: a synchronize event.
    suggestion = hub.server.calls("pulls/create-review")[0].body["comments"][0]
    hub.repo.git("checkout", "-q", "feature")
    hub.repo.write("pkg/mod.py", apply(FEATURE, suggestion))
    hub.repo.commit("apply the suggestion")
    hub.push("feature")
    checkout_merge(hub, "feature")
    before = len(hub.server.requests)
    run = run_pull_event(
        hub, monkeypatch, tmp_path, "synchronize", number, inputs={"github-token": TOKEN}
    )
    writes = [r.operation for r in hub.server.requests[before:] if r.method != "GET"]
    # No second review, no second comment: the follow-up PR and the summary are edited.
    assert writes == ["pulls/update", "issues/update-comment"]
    assert len(hub.server.api.reviews) == 1 and len(hub.server.api.issue_comments) == 1
    assert run.outputs["findings"] == "1"
    assert run.outputs["fixed"] == "1"  # the one outside the diff, in the follow-up PR
    assert len(run.annotations) == 1
    assert "Summary comment: updated." in run.summary


VERIFY = MAIN.replace(
    "def fetch(url, timeout=3, retries=2):", "def fetch(url, timeout=3, retries=2, verify=True):"
)
VERIFY_DOC = (
    "Fetch a URL.\n\nArgs:\n    url: Where from.\n    timeout: How long.\n"
    "    retries: How often to retry.\n    verify: Whether to check the certificate."
)


def test_a_review_drafts_prose_with_claude_once_even_outside_the_diff(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_api: FakeAnthropic
) -> None:
    (hub.repo.path / "pyproject.toml").write_text(
        f'[tool.docsync]\nreview-model = "{TOOL_MODEL}"\n', encoding="utf-8"
    )
    hub.repo.commit("configure")
    hub.push("main")
    number = open_pull(hub, VERIFY)
    checkout_merge(hub, "feature")
    fake_api.responder = docstring_answers({"mod.fetch": VERIFY_DOC})
    inputs = {"github-token": TOKEN, "anthropic-api-key": fake_api.api_key, "model": TOOL_MODEL}
    run = run_pull_event(hub, monkeypatch, tmp_path, "opened", number, inputs=inputs)
    # The new entry lies below the hunk of the def line: it goes to the follow-up pull
    # request, which reuses the draft instead of asking Claude a second time.
    assert len(fake_api.message_requests) == 1
    follow = hub.server.repos.git(REPOSITORY, "show", f"docsync/sync-pr-{number}:pkg/mod.py")
    assert "        verify: Whether to check the certificate.\n" in follow
    assert float(run.outputs["cost"]) > 0
    assert run.outputs["fixed"] == "1" and run.outputs["pr-url"].endswith("/pull/2")
    assert "LLM drafting: estimated cost $" in run.summary
    assert "no anthropic-api-key" not in run.summary


def test_mode_check_on_a_pull_request_calls_no_api_and_fails_on_the_given_level(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    number = open_pull(hub)
    checkout_merge(hub, "feature")
    setup = len(hub.server.requests)
    inputs = {"github-token": TOKEN, "mode": "check", "fail-on": "error"}
    run = run_pull_event(hub, monkeypatch, tmp_path, "opened", number, inputs=inputs)
    assert run.exit_code == 1  # base mode reports errors
    assert hub.server.requests[setup:] == []
    assert run.outputs == {"findings": "2", "fixed": "0", "pr-url": "", "cost": "0.0000"}
    assert run.summary.startswith(f"## docsync: check of pull request #{number}\n")
    assert "### Delivered" not in run.summary


def test_a_pull_request_that_only_changes_code_gets_one_line_not_an_annotation(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    number = open_pull(hub, MAIN.replace("    return url\n", "    return url.strip()\n", 1))
    checkout_merge(hub, "feature")
    inputs = {"github-token": TOKEN, "mode": "check", "fail-on": "info"}
    run = run_pull_event(hub, monkeypatch, tmp_path, "opened", number, inputs=inputs)
    assert run.exit_code == 0  # a review prompt never fails a run
    assert run.annotations == []
    assert run.outputs["findings"] == "0"
    assert "1 changed symbol is described by docs this change did not touch" in run.summary


# --- pull requests from a fork -----------------------------------------------------------


@pytest.mark.parametrize("name", ["opened", "synchronize"])
def test_a_pull_request_from_a_fork_is_checked_only_and_needs_no_secret(
    hub: Scenario,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    fake_api: FakeAnthropic,
    name: str,
) -> None:
    number = open_fork_pull(hub)
    checkout_merge(hub, "FETCH_HEAD")
    setup = len(hub.server.requests)
    # GitHub gives a fork's workflow no secrets; even when a key is there it stays unused.
    inputs = {"anthropic-api-key": fake_api.api_key}
    run = run_pull_event(hub, monkeypatch, tmp_path, name, number, head_repo=FORK, inputs=inputs)
    assert run.exit_code == 1
    assert hub.server.requests[setup:] == []  # not one API call
    assert fake_api.requests == []
    assert len(run.annotations) == 2
    assert run.outputs == {"findings": "2", "fixed": "0", "pr-url": "", "cost": "0.0000"}
    assert f"## docsync: check of pull request #{number}" in run.summary
    assert f"the pull request comes from the fork {FORK}" in run.summary
    assert "read-only token and no secrets" in run.summary


@pytest.mark.parametrize(
    ("event", "mode", "fork"),
    [
        ("pull_request", "review", True),
        ("pull_request", "pr", True),
        ("pull_request_target", "auto", True),
        ("pull_request_target", "pr", False),
    ],
)
def test_an_untrusted_run_never_writes_or_drafts_whatever_the_mode(
    hub: Scenario,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    fake_api: FakeAnthropic,
    event: str,
    mode: str,
    fork: bool,
) -> None:
    number = open_fork_pull(hub) if fork else open_pull(hub)
    checkout_merge(hub, "FETCH_HEAD" if fork else "feature")
    setup = len(hub.server.requests)
    # A write token and a key are there, as on pull_request_target: neither is used.
    inputs = {"mode": mode, "github-token": TOKEN, "anthropic-api-key": fake_api.api_key}
    run = run_pull_event(
        hub,
        monkeypatch,
        tmp_path,
        "opened",
        number,
        head_repo=FORK if fork else None,
        inputs=inputs,
        event=event,
    )
    assert run.exit_code == 1
    assert hub.server.requests[setup:] == []  # not one API call
    assert fake_api.requests == []
    assert run.outputs == {"findings": "2", "fixed": "0", "pr-url": "", "cost": "0.0000"}
    assert "checked and annotated only" in run.summary and "allow-untrusted" in run.summary


# --- the sync pull request: schedule and workflow_dispatch -------------------------------


@pytest.fixture
def drifted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scenario]:
    files = {
        "pkg/mod.py": DRIFTED,
        "pyproject.toml": f'[tool.docsync]\nreview-model = "{TOOL_MODEL}"\n',
    }
    with scenario(tmp_path, monkeypatch, files) as made:
        yield made


def test_schedule_opens_the_sync_pull_request_and_dispatch_keeps_it(
    drifted: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hub = drifted
    env, inputs = step_env(hub), {"github-token": TOKEN}
    scheduled = invoke_action(
        monkeypatch,
        tmp_path / "schedule",
        hub.repo.path,
        "schedule",
        load_event("schedule"),
        env,
        inputs,
    )
    [pull] = hub.server.api.pulls[REPOSITORY]
    url = f"{hub.server.urls.web}/{REPOSITORY}/pull/{pull.number}"
    # Fixing the stale entry reveals the order finding (DS105), which is fixed too.
    assert scheduled.outputs == {"findings": "2", "fixed": "2", "pr-url": url, "cost": "0.0000"}
    assert scheduled.exit_code == 1  # DS102 is left for a person
    assert [r.operation for r in hub.server.writes()] == ["pulls/create"]
    assert pull.head_ref == "docsync/sync"
    assert scheduled.summary.startswith("## docsync: sync pull request (schedule)\n")
    assert f"- Opened pull request #{pull.number}: {url}" in scheduled.summary
    assert "**2** findings (1 error, 1 warning) in 1 file (the whole project)." in scheduled.summary
    # By hand, later: the same state, so nothing is pushed or edited; the same URL.
    writes = len(hub.server.writes())
    dispatched = invoke_action(
        monkeypatch,
        tmp_path / "dispatch",
        hub.repo.path,
        "workflow_dispatch",
        repository_event("workflow_dispatch", web=hub.server.urls.web),
        env,
        inputs,
    )
    assert dispatched.outputs["pr-url"] == url
    assert len(hub.server.writes()) == writes
    assert f"Pull request #{pull.number} is up to date: {url}" in dispatched.summary


def test_the_sync_pull_request_drafts_prose_with_claude_when_a_key_is_given(
    drifted: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_api: FakeAnthropic
) -> None:
    hub = drifted
    fake_api.responder = docstring_answers(
        {"mod.missing": "Needs a person.\n\nArgs:\n    a: A.\n    b: B."}
    )
    inputs = {
        "github-token": TOKEN,
        "anthropic-api-key": fake_api.api_key,
        "model": TOOL_MODEL,
        "max-cost": "0.50",
    }
    run = invoke_action(
        monkeypatch,
        tmp_path / "llm",
        hub.repo.path,
        "workflow_dispatch",
        repository_event("workflow_dispatch", web=hub.server.urls.web),
        step_env(hub),
        inputs,
    )
    assert [r.body["model"] for r in fake_api.message_requests] == [TOOL_MODEL]
    assert run.exit_code == 0, run.result.output  # everything fixed
    assert run.outputs["fixed"] == "3"
    cost = float(run.outputs["cost"])
    assert 0 < cost < 0.5
    assert f"LLM drafting: estimated cost ${cost:.4f}." in run.summary
    fixed = hub.server.repos.git(REPOSITORY, "show", "docsync/sync:pkg/mod.py")
    assert "        b: B." in fixed


# --- errors -------------------------------------------------------------------------------


def test_mode_review_without_a_pull_request_is_a_usage_error(
    drifted: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run = invoke_action(
        monkeypatch,
        tmp_path / "step",
        drifted.repo.path,
        "schedule",
        load_event("schedule"),
        step_env(drifted),
        {"mode": "review", "github-token": TOKEN},
    )
    assert run.exit_code == 2
    assert "input 'mode' is review, but the schedule event has no pull request" in run.result.stderr
    assert run.summary.startswith("## docsync: stopped\n")
    assert run.outputs == {}
    assert drifted.server.requests == []
