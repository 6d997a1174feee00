"""Text from a repository cannot mention people, add links or HTML in what docsync posts.

Each test feeds hostile text (backticks, ``@``, ``<``, ``|``, brackets, line breaks)
through a real renderer and reads the Markdown back with a CommonMark parser
(markdown-it-py, with GitHub's tables): outside code, no ``@mention`` is left, no
tag, and every link is one docsync made.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from docsync.action.summary import SummaryView, summary_markdown
from docsync.commands.check import check_site_pages
from docsync.deliver.github_text import (
    LineChange,
    Links,
    PullReport,
    ReviewSummary,
    pull_body,
    suggestion_body,
    summary_body,
)
from docsync.mkdocs_plugin.health import render_health_page
from docsync.mkdocs_plugin.site_report import SiteReport
from docsync.models import Edit, Evidence, Finding, Location, Module, Project, Severity
from docsync.scan.project import scan_project

WEB = "https://github.com/octo/demo"
LINKS = Links(WEB, "0123456789abcdef")
HOSTILE = "a` @octocat <img src=x onerror=alert(1)> [go](https://evil.example) |x|\n# @team"

_GFM = MarkdownIt("commonmark").enable("table")
_CODE = re.compile(r"<code[^>]*>.*?</code>", re.DOTALL)
_HREF = re.compile(r'href="([^"]*)"')
_TAG = re.compile(r"<(?!!-- docsync:)/?([^\s/>]*)")
_OURS = {"p", "code", "pre", "a", "table", "thead", "tbody", "tr", "th", "td", "ul", "li"}
_OURS |= {"h2", "h3", "h4", "strong", "em", "sub", "details", "summary"}


def assert_inert(markdown: str, *, links: tuple[str, ...] = (WEB,)) -> None:
    """The rendered Markdown has no live mention, no foreign tag, no foreign link."""
    rendered = _GFM.render(markdown)
    outside_code = _CODE.sub("", rendered)
    assert "@octocat" not in outside_code and "@team" not in outside_code
    assert "<img" not in rendered.lower() and "<script" not in rendered.lower()
    for href in _HREF.findall(rendered):
        assert href.startswith(links), href
    # the markers docsync finds its comments by are HTML comments; no other HTML
    assert {tag.lower() for tag in _TAG.findall(rendered)} <= _OURS, rendered


def finding(message: str = HOSTILE, path: str = "docs/a.md", symbol: str = "pkg.f") -> Finding:
    return Finding(
        "DS705",
        "broken-link",
        Severity.WARNING,
        message,
        Location(path, 3, 3),
        symbol,
        Evidence(),
        "0123456789abcdef",
        fix_hint=HOSTILE,
    )


@pytest.fixture(scope="module")
def ds705_messages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Real DS705 messages about hostile link targets on a page."""
    root = tmp_path_factory.mktemp("site")
    (root / "mkdocs.yml").write_text("site_name: t\n")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(
        "# T\n\n"
        "See [x](<a` @octocat `b.md>) and [y](a%60%3Cimg%20src=x%3E%60b.md)"
        " and [z](c%60%20@octocat%7C%60d.md).\n"
    )
    report = check_site_pages(scan_project(root, []), root)
    messages = [f.message for f in report.findings if f.code == "DS705"]
    assert len(messages) == 3 and any("@octocat" in m for m in messages)
    return messages


def test_a_broken_links_message_stays_inert_in_the_summary_comment(
    ds705_messages: list[str],
) -> None:
    left = tuple((finding(m), "a person must fix the link") for m in ds705_messages)
    findings = tuple(f for f, _ in left)
    summary = ReviewSummary("0123456789abcdef", (), (), None, None, left, (), LINKS, findings, 1)
    assert_inert(summary_body(summary))


def test_a_broken_links_message_stays_inert_in_the_pull_request_body(
    ds705_messages: list[str],
) -> None:
    edit = Edit("docs/a.md", 3, 3, "a", "b", tuple(finding(m) for m in ds705_messages), "llm:x|y")
    left = ((finding(ds705_messages[0]), HOSTILE),)
    assert_inert(pull_body(PullReport((edit,), left, left, LINKS)))


def test_a_suggestion_says_why_inertly_and_its_fence_holds_any_backticks() -> None:
    change = LineChange(
        "docs/a.md",
        3,
        4,
        ("old",),
        ("````", "`@octocat` <b>x</b>", "````"),
        (finding(),),
    )
    body = suggestion_body(change)
    assert_inert(body)
    tokens = _GFM.parse(body)
    [block] = [t for t in tokens if t.type == "fence"]
    assert block.info == "suggestion"
    assert block.content == "````\n`@octocat` <b>x</b>\n````\n"


def test_hostile_paths_stay_inert_in_tables_and_in_listed_changes() -> None:
    path = "docs/a`@octocat`<img src=x>|b.md"
    change = LineChange(path, 1, 1, ("a",), ("b",), (finding(path=path),))
    summary = ReviewSummary(
        "0123456789abcdef",
        (),
        (change,),
        None,
        HOSTILE,
        ((finding(path=path), HOSTILE),),
        (),
        LINKS,
        (finding(path=path),),
        1,
    )
    assert_inert(summary_body(summary))


def test_the_job_summary_stays_inert() -> None:
    view = SummaryView(
        title="check (push)",
        scope="the whole project",
        findings=(finding(path="a`@octocat`.py", symbol="pkg.`@octocat`<img src=x>"),),
        files_scanned=1,
        links=LINKS,
        delivered=(HOSTILE,),
        skipped=(HOSTILE,),
    )
    assert_inert(summary_markdown(view))


def test_the_health_page_keeps_hostile_module_names_in_code() -> None:
    name = "pkg.a`<img src=x onerror=alert(1)>`b"
    module = Module("pkg/a.py", name, (), "0")
    report = SiteReport(
        Project("/p", (module,)), (finding(path="pkg/a.py", symbol=name),), (), (), ()
    )
    page = render_health_page(report, {})
    assert "<img" not in MarkdownIt("commonmark").enable("table").render(page)


def test_code_spans_keep_what_they_quote(tmp_path: Path) -> None:
    view = SummaryView(
        title="check (push)",
        scope="the whole project",
        findings=(finding(message="parameter `x` of f() is not documented"),),
        files_scanned=1,
    )
    rendered = _GFM.render(summary_markdown(view))
    assert "<td>parameter <code>x</code> of f() is not documented</td>" in rendered
