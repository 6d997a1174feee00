"""What the action's step reports around its delivery, against the fake GitHub.

The findings reach the log, the job summary and ``GITHUB_OUTPUT`` before the
delivery starts, and stay there when it fails; every surface states one count;
the changes outside a pull request's diff are named, with where they went; a
refused write is told once, with the fork sentence only on a fork's pull request.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from docsync.cli import main
from docsync.errors import DeliveryError
from fake_github.scenario import READ_ONLY, REPOSITORY, TOKEN, Scenario
from helpers_action import (
    FORK,
    ActionRun,
    checkout_merge,
    open_fork_pull,
    parse_outputs,
    run_pull_event,
)
from helpers_github import open_pull

PUSHLESS = "ghs_pullrequests_only"
FORK_NOTE = "The pull request comes from a fork: GitHub gives the workflows of a fork's"
COUNT = re.compile(r"(?:No documentation drift|\**\d+\** findings?(?: \([^)]*\))?) in \d+ files?")


def counts(text: str) -> list[str]:
    """Every count phrase in ``text``, with the Markdown bold taken off."""
    return [found.replace("**", "") for found in COUNT.findall(text)]


def summary_comment(hub: Scenario) -> str:
    [comment] = [c for c in hub.server.api.issue_comments if "docsync:summary" in c.body]
    return str(comment.body)


# --- item 9: a failed delivery keeps what the check found ----------------------------------


def test_a_failing_files_listing_keeps_the_findings_summary_and_outputs(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    number = open_pull(hub)
    checkout_merge(hub, "feature")
    hub.server.fail("pulls/list-files", 500, "Server Error")
    run = run_pull_event(
        hub, monkeypatch, tmp_path, "opened", number, inputs={"github-token": TOKEN}
    )
    assert run.exit_code == 2  # the delivery failed: the step fails
    assert f"GET /repos/{REPOSITORY}/pulls/{number}/files" in run.result.stderr
    # What the check found is all there: annotations, outputs, the table.
    assert len(run.annotations) == 2
    assert run.outputs == {"findings": "2", "fixed": "0", "pr-url": "", "cost": "0.0000"}
    summary = run.summary
    assert summary.startswith(f"## docsync: review of pull request #{number}\n")
    assert "stopped" not in summary
    assert "**2** findings (2 errors) in 1 file" in summary
    assert "| error | DS101 `stale-param` |" in summary
    # ...and the failure is added, naming the request that failed.
    failed = summary.split("### Delivery failed", 1)[1]
    assert (
        f"GitHub API GET /repos/{REPOSITORY}/pulls/{number}/files failed (500, retried): "
        "GitHub could not answer; try again later" in failed
    )
    assert "under way" not in summary  # the summary written before delivery was replaced
    assert summary.count("## docsync:") == 1


def test_the_summary_and_outputs_are_written_before_the_delivery_starts(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    number = open_pull(hub)
    checkout_merge(hub, "feature")
    seen: dict[str, str] = {}

    def delivery(*args: Any, **kwargs: Any) -> None:
        env = kwargs["env"]
        seen["summary"] = Path(env["GITHUB_STEP_SUMMARY"]).read_text("utf-8")
        seen["outputs"] = Path(env["GITHUB_OUTPUT"]).read_text("utf-8")
        raise DeliveryError("the network went away")

    monkeypatch.setattr("docsync.commands.review.run_review", delivery)
    run = run_pull_event(
        hub, monkeypatch, tmp_path, "opened", number, inputs={"github-token": TOKEN}
    )
    assert parse_outputs(seen["outputs"])["findings"] == "2"
    assert "| error | DS101 `stale-param` |" in seen["summary"]
    assert f"Review suggestions on pull request #{number}: under way." in seen["summary"]
    # Written again after the failure: once each, nothing doubled.
    assert run.outputs["findings"] == "2"
    assert run.summary.count("| error | DS101 `stale-param` |") == 1
    assert "- the network went away" in run.summary
    assert "under way" not in run.summary


def test_what_the_step_files_held_before_is_kept(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    number = open_pull(hub)
    checkout_merge(hub, "feature")
    # A step that ran docsync after writing to the same files (the workdir's name is
    # the one run_pull_event picks).
    workdir = tmp_path / f"step-opened-{len(hub.server.requests)}"
    workdir.mkdir()
    (workdir / "summary.md").write_text("# Earlier step text\n", encoding="utf-8")
    (workdir / "output.txt").write_text("earlier=1\n", encoding="utf-8")
    run = run_pull_event(
        hub, monkeypatch, tmp_path, "opened", number, inputs={"github-token": TOKEN}
    )
    assert run.summary.startswith("# Earlier step text\n## docsync: review of pull request")
    assert run.outputs["earlier"] == "1" and run.outputs["findings"] == "2"


# --- item 10: one count, on every surface ---------------------------------------------------


def test_every_surface_states_the_same_count(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The change removes a parameter of load(): one DS501, which the fixer splits into
    # the two entries it mends; the summary comment used to count those (3, not 2).
    number = open_pull(hub)
    checkout_merge(hub, "feature")
    run = run_pull_event(
        hub, monkeypatch, tmp_path, "opened", number, inputs={"github-token": TOKEN}
    )
    phrase = "2 findings (2 errors) in 1 file"
    assert counts(run.summary) == [phrase]
    assert counts(summary_comment(hub)) == [phrase]
    log = run.result.stdout.splitlines()
    # The annotations' header: the first line of the step's log, above the annotations.
    assert counts(log[0]) == [phrase] and log[0].startswith("docsync: ")
    assert log[1].startswith("::error ")
    assert run.outputs["findings"] == "2"
    # The change outside the diff: what it is, and where it went.
    outside = run.summary.split("### Changes outside the diff", 1)[1]
    assert (
        "1 change falls outside the pull request's diff, where GitHub takes no suggestion; "
        "it was sent to pull request #2 (opened), into the pull request's branch: "
        f"{hub.server.urls.web}/{REPOSITORY}/pull/2." in outside
    )
    assert "pkg/mod.py:" in outside and "DS10" in outside


def test_baselined_findings_are_left_out_of_every_count(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    number = open_pull(hub)
    checkout_merge(hub, "feature")
    monkeypatch.chdir(hub.repo.path)
    recorded = CliRunner().invoke(main, ["baseline", "--select", "DS101"])
    assert recorded.exit_code == 0, recorded.output
    run = run_pull_event(
        hub, monkeypatch, tmp_path, "opened", number, inputs={"github-token": TOKEN}
    )
    phrase = "1 finding (1 error) in 1 file"
    assert counts(run.summary) == [phrase]
    assert counts(summary_comment(hub)) == [phrase]
    assert run.outputs["findings"] == "1"


# --- item 11: the changes outside the diff, and refused writes -----------------------------


def test_changes_outside_the_diff_are_named_with_why_they_were_not_pushed(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # permissions: {contents: read, pull-requests: write}: suggestions yes, a push no.
    hub.server.add_token(PUSHLESS, "octo", contents=False)
    number = open_pull(hub)
    checkout_merge(hub, "feature")
    head = hub.server.repos.tip(REPOSITORY, "feature")
    run = run_pull_event(
        hub, monkeypatch, tmp_path, "opened", number, inputs={"github-token": PUSHLESS}
    )
    assert [r.operation for r in hub.server.writes()] == [
        "pulls/create",  # the scenario's own pull request
        "pulls/create-review",
        "issues/create-comment",
    ]
    outside = run.summary.split("### Changes outside the diff", 1)[1]
    assert "1 change falls outside the pull request's diff" in outside
    assert "it was not pushed: the token may not push to this repository" in outside
    assert "it needs `contents: write`" in outside
    assert "docsync's summary comment on the pull request shows each as a diff" in outside
    web = hub.server.urls.web
    assert f"]({web}/{REPOSITORY}/blob/{head}/pkg/mod.py#L" in outside
    assert "DS" in outside.split("\n- ", 1)[1]
    assert run.summary.count("the token may not push to this repository") == 1
    assert (  # the step's log says it too
        "Changes outside the diff: listed in the summary comment, not pushed: the token may "
        "not push" in run.result.stdout
    )
    assert "fork" not in run.summary


def nothing_written_lines(run: ActionRun) -> list[str]:
    return [line for line in run.summary.splitlines() if "was written to GitHub" in line]


def test_a_read_only_token_on_a_same_repository_pull_request(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    number = open_pull(hub)
    checkout_merge(hub, "feature")
    run = run_pull_event(
        hub, monkeypatch, tmp_path, "opened", number, inputs={"github-token": READ_ONLY}
    )
    [line] = nothing_written_lines(run)
    assert line.startswith("- Nothing was written to GitHub: GitHub API POST ")
    assert "`pull-requests: write`" in line
    assert "it was not delivered: GitHub refused a write" in run.summary
    assert "fork" not in run.summary
    assert "fork" not in run.result.stdout


def test_a_read_only_token_on_a_fork_pull_request_says_why(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    number = open_fork_pull(hub)
    checkout_merge(hub, "FETCH_HEAD")
    inputs = {"github-token": READ_ONLY, "allow-untrusted": "true"}
    run = run_pull_event(
        hub, monkeypatch, tmp_path, "opened", number, head_repo=FORK, inputs=inputs
    )
    [line] = nothing_written_lines(run)
    assert line.startswith("- Nothing was written to GitHub: GitHub API POST ")
    assert FORK_NOTE in line and line.endswith("whatever the workflow's `permissions` say.")
    assert run.summary.count(FORK_NOTE) == 1
