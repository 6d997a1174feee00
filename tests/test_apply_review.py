"""Review edits keep the mention they were asked about; fix edits of references must not."""

from __future__ import annotations

from docsync.commands.fix_pages import _check
from docsync.commands.fix_python import _still_written
from docsync.models import Edit, Evidence, Finding, Location, Severity


def finding(code: str, documented: str) -> Finding:
    return Finding(
        code=code,
        slug="x",
        severity=Severity.INFO,
        message="m",
        location=Location("docs/a.md", 3, 3),
        symbol="pkg.fetch",
        evidence=Evidence(documented=documented),
        fingerprint="f" * 16,
    )


def edit(code: str) -> Edit:
    return Edit(
        path="docs/a.md",
        line=3,
        end_line=3,
        old_text="Call `pkg.fetch` with a URL.\n",
        new_text="Call `pkg.fetch` with a URL and a timeout.\n",
        findings=(finding(code, "pkg.fetch"),),
        origin="llm:test",
    )


def test_a_page_review_edit_may_keep_the_mention() -> None:
    assert _check(edit("DS706")) is None


def test_a_reference_fix_must_remove_the_old_name() -> None:
    assert _check(edit("DS701")) == "DS701: the reference is still on the line after the edit"


def test_a_docstring_review_edit_may_keep_the_summary() -> None:
    literal = '"""Fetch a URL.\n\n    Now with retries.\n    """'
    assert not _still_written(finding("DS502", "Fetch a URL."), literal)
    assert _still_written(finding("DS601", "Fetch a URL."), literal)
