"""``docsync review``: suggestions on the diff, the rest in a follow-up PR or a list, a summary."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from docsync.cli import main
from docsync.commands.review import DiffLines, line_change, parse_hunks, review_comment, run_review
from docsync.deliver.github_text import LineChange
from docsync.models import Edit, Evidence, Finding, Location, Severity
from fake_github.scenario import READ_ONLY, REPOSITORY, Scenario
from helpers_github import FEATURE, MAIN, apply, open_pull

# --- the pure core ---------------------------------------------------------------------


def test_parse_hunks_reads_the_new_side_ranges() -> None:
    patch = (
        "@@ -1,3 +1,4 @@ def f():\n a\n+b\n c\n d\n@@ -20 +21 @@\n-x\n+y\n@@ -40,2 +41,0 @@\n-p\n-q"
    )
    assert parse_hunks(patch) == (range(1, 5), range(21, 22), range(41, 41))


def test_a_comment_must_stay_inside_one_hunk() -> None:
    diff = DiffLines.from_patches(
        {"a.py": "@@ -1,3 +1,4 @@\n a\n+b\n c\n d\n@@ -20,2 +21,2 @@\n x\n-y\n+z", "big.bin": None}
    )
    assert diff.covers("a.py", 2, 4)
    assert not diff.covers("a.py", 4, 21)  # two hunks
    assert not diff.covers("a.py", 5, 5)
    assert not diff.covers("b.py", 1, 1)
    assert not diff.covers("big.bin", 1, 1)
    assert diff.lines("a.py") == frozenset({1, 2, 3, 4, 21, 22})


def _finding(path: str = "m.py", line: int = 2) -> Finding:
    return Finding(
        "DS101",
        "stale-param",
        Severity.WARNING,
        "parameter 'x' is documented",
        Location(path, line, line),
        "m.f",
        Evidence(),
        "f" * 16,
    )


def test_a_docstring_edit_becomes_whole_lines_trimmed_to_what_changes() -> None:
    text = (
        'def f(a):\n    """Do.\n\n    Args:\n        a: A.\n        x: X.\n    """\n    return a\n'
    )
    old = '"""Do.\n\n    Args:\n        a: A.\n        x: X.\n    """'
    new = '"""Do.\n\n    Args:\n        a: A.\n    """'
    change = line_change(Edit("m.py", 2, 7, old, new, (_finding(),), "mechanical"), text)
    assert (change.start, change.end, change.old, change.new) == (6, 6, ("        x: X.",), ())
    comment = review_comment(change)
    assert comment["line"] == 6 and comment["side"] == "RIGHT" and "start_line" not in comment
    assert "```suggestion\n```" in str(comment["body"])
    assert "DS101 `stale-param`: parameter 'x' is documented" in str(comment["body"])


def test_an_insertion_keeps_one_line_as_its_anchor() -> None:
    text = 'def f(a, b):\n    """Do.\n\n    Args:\n        a: A.\n    """\n'
    old = '"""Do.\n\n    Args:\n        a: A.\n    """'
    new = '"""Do.\n\n    Args:\n        a: A.\n        b: TODO(docsync): describe b.\n    """'
    change = line_change(Edit("m.py", 2, 6, old, new, (_finding(),), "mechanical"), text)
    assert (change.start, change.end) == (5, 5)
    assert change.new == ("        a: A.", "        b: TODO(docsync): describe b.")
    top = line_change(
        Edit("m.py", 1, 1, "x = 1\n", "# head\nx = 1\n", (_finding(),), "m"), "x = 1\ny\n"
    )
    assert (top.start, top.end, top.old, top.new) == (1, 1, ("x = 1",), ("# head", "x = 1"))


def test_a_multi_line_suggestion_names_its_first_line() -> None:
    change = LineChange("m.py", 8, 10, ("a", "b", "c"), ("b", "a"), (_finding(),))
    comment = review_comment(change)
    assert (comment["start_line"], comment["start_side"], comment["line"]) == (8, "RIGHT", 10)


def test_a_suggestion_with_fences_inside_gets_a_longer_fence() -> None:
    change = LineChange("d.md", 3, 3, ("x",), ("```python", "f()", "```"), (_finding("d.md"),))
    body = str(review_comment(change)["body"])
    assert "````suggestion\n```python\nf()\n```\n````\n" in body


def test_an_edit_not_on_its_lines_is_shown_as_it_is() -> None:
    edit = Edit("m.py", 1, 1, "missing", "other", (_finding(),), "m")
    change = line_change(edit, "text\n")
    assert (change.old, change.new) == (("missing",), ("other",))
    assert line_change(edit, None).old == ("missing",)


# --- against the fake GitHub -----------------------------------------------------------


def test_suggestions_inside_the_diff_and_a_follow_up_pr_for_the_rest(hub: Scenario) -> None:
    number = open_pull(hub)
    head = hub.server.repos.tip(REPOSITORY, "feature")
    outcome = run_review(hub.config(), number, env=hub.env())
    assert outcome.posted == 1 and outcome.denied is None
    # One review, with one multi-line suggestion on lines 8-10 of the head.
    [review] = hub.server.api.reviews
    assert (review.state, review.commit_id) == ("COMMENTED", head)
    [call] = hub.server.calls("pulls/create-review")
    [comment] = call.body["comments"]
    assert (comment["path"], comment["start_line"], comment["line"]) == ("pkg/mod.py", 8, 10)
    assert comment["side"] == comment["start_side"] == "RIGHT"
    fixed = apply(FEATURE, comment)
    assert '        timeout: How long, in seconds.\n        url: Where from.\n    """' in fixed
    assert "retries" not in fixed
    # The change outside the diff: a follow-up pull request into the PR's branch.
    assert outcome.follow_up is not None and outcome.follow_up.action == "opened"
    follow = hub.server.api.pulls[REPOSITORY][-1]
    assert (follow.head_ref, follow.base_ref) == ("docsync/sync-pr-1", "feature")
    assert hub.server.repos.git(REPOSITORY, "rev-parse", "docsync/sync-pr-1^") == head
    fixed_load = hub.server.repos.git(REPOSITORY, "show", "docsync/sync-pr-1:pkg/mod.py")
    assert "mode: How to open it." not in fixed_load and "retries" in fixed_load
    # One summary comment that says all of it.
    [summary] = hub.server.api.issue_comments
    assert summary.body.startswith("<!-- docsync:summary -->\n### docsync\n")
    # The check's count (DS101 and one DS501), not the three entries the fixes mend.
    assert "**2** findings (2 errors) in 1 file at " + head[:7] in summary.body
    assert "- **1** suggested change on the diff" in summary.body
    assert f"in #{follow.number} (`docsync/sync-pr-1` into this branch)" in summary.body


def test_a_second_review_on_the_same_state_posts_nothing(hub: Scenario) -> None:
    number = open_pull(hub)
    run_review(hub.config(), number, env=hub.env())
    writes = len(hub.server.writes())
    again = run_review(hub.config(), number, env=hub.env())
    assert again.posted == 0 and again.summary == "unchanged"
    assert again.follow_up is not None and again.follow_up.action == "unchanged"
    assert len(hub.server.writes()) == writes
    assert len(hub.server.api.reviews) == 1 and len(hub.server.api.issue_comments) == 1


def test_the_summary_is_edited_in_place_never_duplicated(hub: Scenario) -> None:
    number = open_pull(hub)
    client = hub.client(per_page=2)
    issue = client._repo.get_issue(number)
    for text in ("first!", "LGTM", "a question"):
        issue.create_comment(text)
    run_review(hub.config(), number, env=hub.env(), client=client)
    # The author fixes fetch() by hand; the summary must say so, in the same comment.
    hub.repo.git("checkout", "-q", "feature")
    hub.repo.write(
        "pkg/mod.py", apply(FEATURE, hub.server.calls("pulls/create-review")[0].body["comments"][0])
    )
    hub.repo.commit("apply the suggestion")
    hub.push("feature")
    hub.repo.git("checkout", "-q", "main")
    outcome = run_review(hub.config(), number, env=hub.env(), client=client)
    assert outcome.summary == "updated" and outcome.posted == 0
    summaries = [c for c in hub.server.api.issue_comments if "<!-- docsync:summary -->" in c.body]
    assert len(summaries) == 1
    assert "**1** finding (1 error) in 1 file at" in summaries[0].body
    assert "suggested change" not in summaries[0].body
    assert len(hub.server.calls("issues/update-comment")) == 1
    pages = [r.query.get("page", "1") for r in hub.server.calls("issues/list-comments")]
    assert pages[:2] == ["1", "2"]  # the marker was searched for across pages


def test_a_fork_pr_lists_the_changes_outside_the_diff(hub: Scenario) -> None:
    hub.server.add_token("ghs_contrib", "contrib")
    hub.server.fork(REPOSITORY, "contrib")
    hub.repo.git("checkout", "-q", "-b", "feature")
    hub.repo.write("pkg/mod.py", FEATURE)
    hub.repo.commit("change the API")
    hub.repo.git("push", "-q", hub.server.remote_url("contrib/demo", "ghs_contrib"), "feature")
    hub.repo.git("checkout", "-q", "main")
    hub.repo.git("branch", "-q", "-D", "feature")
    hub.repo.git("reflog", "expire", "--expire=now", "--all")
    hub.repo.git("gc", "-q", "--prune=now")
    settings_repo = hub.client("ghs_contrib")._repo
    number = settings_repo.create_pull(
        base="main", head="contrib:feature", title="API", body=""
    ).number
    outcome = run_review(hub.config(), number, env=hub.env())
    assert outcome.posted == 1 and outcome.follow_up is None
    assert len(hub.server.api.pulls[REPOSITORY]) == 1
    [summary] = hub.server.api.issue_comments
    assert (
        "- **1** change outside the diff, listed below (the pull request comes from a fork"
        in summary.body
    )
    assert "<details><summary>[`pkg/mod.py` L25](" in summary.body
    assert "```diff\n-        mode: How to open it.\n```" in summary.body
    # The head was fetched from the base repository's refs/pull/<n>/head.
    assert hub.repo.git("rev-parse", f"refs/docsync/pull/{number}/head") == hub.server.repos.tip(
        "contrib/demo", "feature"
    )


def test_a_read_only_token_reports_without_writing(hub: Scenario) -> None:
    number = open_pull(hub)
    before = len(hub.server.api.pulls[REPOSITORY])
    setup = len(hub.server.writes())
    outcome = run_review(hub.config(), number, env=hub.env(token=READ_ONLY))
    assert outcome.denied is not None
    assert (
        "POST /repos/octo/demo/pulls/1/reviews failed (403 Resource not accessible by integration)"
        in outcome.denied
    )
    assert "`pull-requests: write`" in outcome.denied
    assert hub.server.api.reviews == [] and hub.server.api.issue_comments == []
    assert len(hub.server.api.pulls[REPOSITORY]) == before
    assert [r.status for r in hub.server.writes()[setup:]] == [403]
    assert outcome.failed(hub.config())


def test_no_drift_and_no_summary_yet_posts_nothing(hub: Scenario) -> None:
    number = open_pull(hub, MAIN.replace("Fetch a URL.", "Fetch one URL."))
    setup = len(hub.server.writes())
    outcome = run_review(hub.config(), number, env=hub.env())
    assert outcome.findings == () and outcome.summary == "none"
    assert hub.server.writes()[setup:] == []


def test_cli_review_posts_and_exits_as_check(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = open_pull(hub)
    for key, value in hub.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(hub.repo.path)
    result = CliRunner().invoke(main, ["review", "--pr", str(number)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert (
        "Pull request #1: 1 suggestion on the diff (1 posted now), 1 change outside it."
        in result.output
    )
    assert "Summary comment: created." in result.output


def test_cli_review_with_a_read_only_token_explains_why(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = open_pull(hub)
    for key, value in hub.env(token=READ_ONLY).items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(hub.repo.path)
    result = CliRunner().invoke(main, ["review", "--pr", str(number)], catch_exceptions=False)
    assert result.exit_code == 1
    assert (
        "Nothing was written to GitHub: GitHub API POST /repos/octo/demo/pulls/1/reviews"
        in result.stderr
    )
    assert "pull-requests: write" in result.stderr
    assert "fork" not in result.stderr  # the pull request comes from the same repository
