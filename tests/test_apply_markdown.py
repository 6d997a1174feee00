"""Page edits: only the intended lines change, line endings are kept, renames are confirmed."""

from __future__ import annotations

import pytest

from docsync.apply.pages import LineEditRejected, apply_line_edits
from docsync.changes.changeset import ChangeSet
from docsync.changes.diff import ChangeKind, SymbolChange
from docsync.commands.fix_pages import PageFixer
from docsync.draft.mechanical.drafter import MechanicalDrafter
from docsync.models import Edit, Evidence, Finding, Location, Severity


def edit(line: int, old: str, new: str, end_line: int | None = None) -> Edit:
    return Edit("docs/a.md", line, end_line or line, old, new, (), "mechanical")


def test_only_the_edited_lines_change_and_crlf_is_kept() -> None:
    text = "# Title\r\n\r\nUse `old()`.\r\nMore.\r\n"
    new = apply_line_edits(text, [edit(3, "Use `old()`.\r\n", "Use `new()`.\n")])
    assert new == "# Title\r\n\r\nUse `new()`.\r\nMore.\r\n"


def test_a_last_line_without_newline_stays_without() -> None:
    text = "# Title\n\nUse `old()`."
    new = apply_line_edits(text, [edit(3, "Use `old()`.", "Use `new()`.\n")])
    assert new == "# Title\n\nUse `new()`."


def test_several_edits_apply_in_line_order() -> None:
    text = "a\nb\nc\nd\n"
    edits = [edit(4, "d\n", "D\n"), edit(1, "a\n", "A\n"), edit(2, "b\nc\n", "BC\n", 3)]
    assert apply_line_edits(text, edits) == "A\nBC\nD\n"


def test_a_stale_or_overlapping_edit_is_rejected() -> None:
    with pytest.raises(LineEditRejected, match="changed since it was read"):
        apply_line_edits("a\nb\n", [edit(2, "x\n", "y\n")])
    with pytest.raises(LineEditRejected, match="overlaps"):
        apply_line_edits("a\nb\n", [edit(1, "a\nb\n", "c\n", 2), edit(2, "b\n", "d\n")])


def _unknown_reference(line: int, text: str, target: str, suggestion: str) -> Finding:
    return Finding(
        code="DS701",
        slug="unknown-reference",
        severity=Severity.WARNING,
        message=f"the inline reference names `{target}`; did you mean `{suggestion}`?",
        location=Location("docs/guide.md", line, line),
        symbol=target,
        evidence=Evidence(documented=text, actual=suggestion),
        fingerprint=f"fp{line}",
        fix_hint=f"replace `{target}` with `{suggestion}`",
    )


def _renamed(old: str, new: str) -> ChangeSet:
    change = SymbolChange(old, frozenset({ChangeKind.RENAMED}), None, None, new)
    return ChangeSet("base", "main", "working tree", (), (change,))


PAGE = b"# Guide\r\n\r\nCall `pkg.api.load_config()` first.\r\nThen `pkg.api.fetch()`."


def test_a_renamed_reference_on_a_page_is_fixed_when_the_change_confirms_it() -> None:
    findings = [
        _unknown_reference(
            3, "`pkg.api.load_config()`", "pkg.api.load_config", "pkg.api.read_config"
        ),
        _unknown_reference(4, "`pkg.api.fetch()`", "pkg.api.fetch", "pkg.api.fetcher"),
    ]
    fixer = PageFixer([MechanicalDrafter()], _renamed("pkg.api.load_config", "pkg.api.read_config"))
    result = fixer.fix("docs/guide.md", PAGE, findings)
    assert result.new == PAGE.replace(b"load_config", b"read_config")
    assert [f.code for e in result.edits for f in e.findings] == ["DS701"]
    ((left, reason),) = result.left
    assert left.location.line == 4
    assert reason == "the new name is a guess, not a rename the change made"


def test_without_a_change_set_a_suggestion_is_never_applied() -> None:
    finding = _unknown_reference(
        3, "`pkg.api.load_config()`", "pkg.api.load_config", "pkg.api.read_config"
    )
    result = PageFixer([MechanicalDrafter()]).fix("docs/guide.md", PAGE, [finding])
    assert not result.changed
    assert [f.code for f, _ in result.left] == ["DS701"]
