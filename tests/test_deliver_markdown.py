"""What docsync writes on GitHub, rendered from values: bodies, links, messages, summaries."""

from __future__ import annotations

from dataclasses import replace

from docsync.deliver import github_text as markdown
from docsync.deliver.github_text import (
    PR_MARKER,
    SUMMARY_MARKER,
    FollowUp,
    LineChange,
    LineShift,
    Links,
    PullReport,
    ReviewSummary,
    commit_message,
    pull_body,
    summary_body,
)
from docsync.deliver.markdown_escape import cell, fence
from docsync.models import Edit, Evidence, Finding, Location, Provenance, Severity

LINKS = Links("https://ghe.example/octo/demo", "abc1234def")


def finding(
    path: str = "pkg/mod.py", line: int = 5, code: str = "DS101", message: str = "m"
) -> Finding:
    return Finding(
        code,
        "stale-param",
        Severity.WARNING,
        message,
        Location(path, line, line),
        "pkg.mod.f",
        Evidence(),
        f"{code}{line}".ljust(16, "0"),
    )


def edit(line: int, end: int, old: str, new: str, path: str = "pkg/mod.py") -> Edit:
    return Edit(path, line, end, old, new, (finding(path, line),), "mechanical")


def test_links_point_at_lines_of_a_commit() -> None:
    assert (
        LINKS.lines("pkg/mod.py", 10, 12)
        == "https://ghe.example/octo/demo/blob/abc1234def/pkg/mod.py#L10-L12"
    )
    assert (
        LINKS.lines("pkg/mod.py", 10)
        == "https://ghe.example/octo/demo/blob/abc1234def/pkg/mod.py#L10"
    )
    # Markdown is rendered by default, where line anchors do not work.
    assert LINKS.lines("docs/a b.md", 3, 3).endswith("/docs/a%20b.md?plain=1#L3")


def test_line_shift_follows_the_lines_edits_add_and_remove() -> None:
    first = edit(
        5, 10, '"""A.\n\n    Args:\n        x: X.\n        y: Y.\n    """', '"""A."""'
    )  # -5
    second = edit(20, 20, '"""B."""', '"""B.\n\n    More.\n    """')  # 1 line -> 4 lines: +3
    shift = LineShift([second, first])
    assert shift.span(first) == (5, 5)
    assert shift.span(second) == (15, 18)
    assert shift.line("pkg/mod.py", 3) == 3
    assert shift.line("pkg/mod.py", 8) == 5  # inside the first edit
    assert shift.line("pkg/mod.py", 15) == 10
    assert shift.line("pkg/mod.py", 30) == 28
    assert shift.line("other.py", 30) == 30


def test_a_page_edit_that_deletes_lines_links_to_where_they_were() -> None:
    deleted = edit(4, 5, "a\nb\n", "", path="docs/x.md")
    assert LineShift([deleted]).span(deleted) == (4, 4)


def test_the_commit_message_lists_each_finding_under_the_prefix() -> None:
    edits = [edit(5, 6, "a", "b"), edit(9, 9, "c", "d", path="a.py")]
    assert commit_message("docs:", edits) == (
        "docs: fix 2 documentation findings found by docsync\n\n"
        "- a.py:9 DS101 m\n- pkg/mod.py:5 DS101 m\n"
    )
    assert commit_message("", edits[:1]).startswith(
        "fix 1 documentation finding found by docsync\n"
    )


def test_the_pull_request_body_has_the_fixes_what_is_left_and_the_cost() -> None:
    fixed = edit(5, 6, "old\nold", "new")
    left = finding(line=20, code="DS102", message="parameter 'b' | undocumented")
    body = pull_body(PullReport((fixed,), ((left, "needs prose"),), (), LINKS, cost=0.01234))
    assert body.startswith(f"{PR_MARKER}\ndocsync fixed **1** documentation finding in **1** file")
    assert (
        "| [`pkg/mod.py` L5](https://ghe.example/octo/demo/blob/abc1234def/pkg/mod.py#L5) "
        "| DS101 `stale-param` | m |  | mechanical |" in body
    )
    assert "#### Left for a person (1)" in body
    # The left finding moved up one line with the fix above it; pipes are escaped.
    assert (
        "pkg/mod.py#L19) | DS102 `stale-param` | parameter 'b' \\| undocumented | needs prose |"
        in body
    )
    assert "LLM cost of the drafts: $0.0123." in body
    assert "Could not be fixed" not in body
    no_cost = pull_body(PullReport((fixed,), (), (), LINKS))
    assert "LLM cost" not in no_cost and "Left for a person" not in no_cost


def test_a_huge_body_is_cut_to_fit_github(monkeypatch: object) -> None:
    edits = tuple(edit(10 * i + 1, 10 * i + 1, "a", "b", path=f"pkg/m{i}.py") for i in range(2000))
    body = pull_body(PullReport(edits, (), (), LINKS))
    assert len(body) <= markdown.BODY_LIMIT
    assert "… and " in body and " more (see the commit message" in body


def test_fences_outgrow_the_backticks_inside() -> None:
    assert fence("x") == "```\nx\n```\n"
    assert fence("", "suggestion") == "```suggestion\n```\n"
    assert fence("````\ny\n````", "diff").startswith("`````diff\n")


def test_cells_are_one_line() -> None:
    assert cell("a |\n b") == "a \\| b"


def summary(**changes: object) -> ReviewSummary:
    base = {
        "head_sha": "0123456789abcdef",
        "suggested": (),
        "outside": (),
        "follow_up": None,
        "why_listed": None,
        "left": (),
        "failed": (),
        "links": LINKS,
        "findings": (),
        "files_scanned": 1,
        "cost": None,
    }
    return ReviewSummary(**{**base, **changes})  # type: ignore[arg-type]


def test_a_summary_without_findings_says_the_docs_match() -> None:
    assert summary_body(summary()) == (
        f"{SUMMARY_MARKER}\n### docsync\n\n"
        "No documentation drift in 1 file at 0123456: the docs match the code.\n"
    )


def test_the_summary_counts_the_checks_findings_not_the_changes_that_fix_them() -> None:
    # One DS501 finding, fixed by two entry changes (the fixer splits it): one finding.
    stale = finding(code="DS501")
    parts = tuple(
        LineChange("pkg/mod.py", n, n, ("x",), ("y",), (finding(line=n),)) for n in (6, 7)
    )
    text = summary_body(summary(findings=(stale,), suggested=parts))
    assert "**1** finding (1 warning) in 1 file at 0123456." in text
    assert "- **2** suggested changes on the diff" in text


def test_the_summary_counts_review_prompts_apart() -> None:
    prompt = finding(code="DS502")
    text = summary_body(summary(reviews=(prompt,)))
    assert text.startswith(f"{SUMMARY_MARKER}\n### docsync\n\nNo documentation drift in 1 file")
    assert "1 changed symbol is described by docs this change did not touch" in text


def test_a_summary_lists_changes_outside_the_diff_when_they_cannot_be_delivered() -> None:
    change = LineChange("pkg/mod.py", 25, 25, ("        mode: How.",), (), (finding(line=25),))
    text = summary_body(
        summary(
            outside=(change,),
            why_listed="the pull request comes from a fork",
            failed=((finding(line=3), "boom"),),
            findings=(finding(line=25), finding(line=3)),
        )
    )
    assert "**2** findings (2 warnings) in 1 file at 0123456." in text
    assert (
        "- **1** change outside the diff, listed below (the pull request comes from a fork)."
        in text
    )
    assert (
        "<details><summary>[`pkg/mod.py` L25]"
        "(https://ghe.example/octo/demo/blob/abc1234def/pkg/mod.py#L25) · DS101</summary>" in text
    )
    assert "```diff\n-        mode: How.\n```\n</details>" in text
    assert "#### Could not be fixed (1)" in text and "| boom |" in text


def test_a_summary_points_at_the_follow_up_pull_request() -> None:
    change = LineChange("a.py", 1, 1, ("x",), ("y",), (finding("a.py", 1),))
    up = FollowUp(7, "https://ghe.example/octo/demo/pull/7", "docsync/sync-pr-3")
    text = summary_body(
        summary(suggested=(change, change), outside=(change,), follow_up=up, cost=0.5)
    )
    assert "- **2** suggested changes on the diff: apply them from *Files changed*." in text
    assert (
        "- **1** change outside the diff, in #7 (`docsync/sync-pr-3` into this branch): https://ghe.example/octo/demo/pull/7"
        in text
    )
    assert "<details>" not in text
    assert "LLM cost of the drafts: $0.5000." in text


def test_the_pull_request_body_says_why_with_the_commit_that_made_it_stale() -> None:
    since = Provenance("9c01b2e" + "0" * 33, "2025-05-02T10:00:00+00:00", "Ada", "Merge (#7)", 7)
    dated = finding(line=5)
    dated = replace(dated, evidence=replace(dated.evidence, since=since))
    fixed = replace(edit(5, 6, "old\nold", "new"), findings=(dated,))
    left = replace(finding(line=20, code="DS102"), evidence=dated.evidence)
    body = pull_body(PullReport((fixed,), ((left, "needs prose"),), (), LINKS))
    why = (
        f"stale since [`9c01b2e`](https://ghe.example/octo/demo/commit/{since.commit}) "
        "(2025-05-02, PR [#7](https://ghe.example/octo/demo/pull/7)): Merge (#7)"
    )
    assert f"| DS101 `stale-param` | m | {why} | mechanical |" in body
    assert f"| needs prose<br>{why} |" in body
