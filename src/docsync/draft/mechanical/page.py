"""Mechanical fixes on Markdown pages: names and keywords the change renamed.

A page finding is fixed on the line it is located on, and only when the change set
confirms the rename: DS701 (a reference to a renamed symbol) gets the new name,
DS702 (an example call) gets its renamed keywords.  A "did you mean" suggestion
from fuzzy matching is a guess, and guesses are left for a person.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docsync.apply.linebreaks import split_lines
from docsync.draft.mechanical.renames import rename_in_line
from docsync.models import Finding
from docsync.rules.code_blocks import BAD_CALL, call_problems
from docsync.rules.pages import UNKNOWN_REFERENCE

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet
    from docsync.changes.diff import SymbolChange

__all__ = ["PageFix", "fix_page_lines", "renamed_keywords"]


@dataclass(frozen=True)
class PageFix:
    """The new text of a page's line range, the findings fixed, and what was left, with why."""

    text: str
    fixed: tuple[Finding, ...]
    left: tuple[tuple[Finding, str], ...]


def fix_page_lines(
    text: str, first_line: int, findings: Sequence[Finding], changes: ChangeSet | None
) -> PageFix:
    """Fix the reference findings located on a range of page lines.

    Args:
        text: The lines as written, line endings included.
        first_line: The page line of the first of them.
        findings: The findings located on these lines.
        changes: The change set (base mode), which confirms renames.

    Returns:
        The new text and the findings fixed and left.
    """
    lines = split_lines(text)
    fixed: list[Finding] = []
    left: list[tuple[Finding, str]] = []
    for finding in findings:
        index = finding.location.line - first_line
        end = max(index, finding.location.end_line - first_line)  # a construct's last line
        fix = _FIXES.get(finding.code)
        if fix is None or not 0 <= index <= end < len(lines):
            left.append((finding, "not a mechanical fix"))
            continue
        new = fix("".join(lines[index : end + 1]), finding, changes)
        if isinstance(new, _Left):
            left.append((finding, new.reason))
            continue
        replaced = split_lines(new)
        if len(replaced) != end - index + 1:
            left.append((finding, "the fix would change the number of lines"))
            continue
        lines[index : end + 1] = replaced
        fixed.append(finding)
    return PageFix("".join(lines), tuple(fixed), tuple(left))


@dataclass(frozen=True)
class _Left:
    reason: str


def _reference(line: str, finding: Finding, changes: ChangeSet | None) -> str | _Left:
    """DS701: rename the reference when the change renamed what it names."""
    renamed = _renamed(finding, changes)
    if renamed is None:
        return _Left("the new name is a guess, not a rename the change made")
    new = rename_in_line(line, finding.evidence.documented or "", *renamed)
    return _Left("the reference is not written on its line as reported") if new is None else new


def _keyword(line: str, finding: Finding, changes: ChangeSet | None) -> str | _Left:
    """DS702: rename the keywords of a call whose parameters the change renamed."""
    call_text = finding.evidence.documented or ""
    change = changes.for_head(finding.symbol) if changes is not None else None
    new_call = renamed_keywords(call_text, change) if change is not None else None
    if new_call is None:
        return _Left("the call needs more than renamed keywords; a person rewrites it")
    position = line.find(call_text)
    if position < 0:
        return _Left("the call is not written on the page as reported")
    return line[:position] + new_call + line[position + len(call_text) :]


_FIXES: dict[str, Callable[[str, Finding, ChangeSet | None], str | _Left]] = {
    UNKNOWN_REFERENCE.code: _reference,
    BAD_CALL.code: _keyword,
}


def renamed_keywords(call_text: str, change: SymbolChange) -> str | None:
    """The call with the keywords the change renamed spelled by their new names.

    A keyword is renamed when the change removed its parameter and added exactly
    one at the same position (or exactly one parameter overall).  The result must
    be a call the new signature accepts.

    Args:
        call_text: The call as written, on one line (``fetch(url, timeout=3)``).
        change: The change of the called symbol.

    Returns:
        The new call text, or ``None`` when renaming keywords does not make the
        call right.
    """
    if change.old is None or change.new is None:
        return None
    old, new = change.old.signature, change.new.signature
    try:
        call = ast.parse(call_text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if old is None or new is None or not isinstance(call, ast.Call):
        return None
    renames = _keyword_renames([p.name for p in old.params], [p.name for p in new.params])
    text = call_text.encode("utf-8")
    starts = [0]  # the byte offset of each line: a call may span several
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    edits = [
        (starts[k.lineno - 1] + k.col_offset, k.arg, renames[k.arg])
        for k in call.keywords
        if k.arg in renames
    ]
    if not edits:
        return None
    for offset, before, after in sorted(edits, reverse=True):
        if text[offset : offset + len(before)] != before.encode():
            return None
        text = text[:offset] + after.encode() + text[offset + len(before) :]
    result = text.decode("utf-8")
    fixed = ast.parse(result, mode="eval").body
    assert isinstance(fixed, ast.Call)
    keywords = [k.arg for k in fixed.keywords if k.arg]
    return None if call_problems(new, len(fixed.args), keywords) else result


def _keyword_renames(old: list[str], new: list[str]) -> dict[str, str]:
    removed = [n for n in old if n not in new]
    added = [n for n in new if n not in old]
    renames = {}
    for name in removed:
        same_place = [n for n in added if new.index(n) == old.index(name)]
        if len(same_place) == 1:
            renames[name] = same_place[0]
        elif len(removed) == len(added) == 1:
            renames[name] = added[0]
    return renames


def _renamed(finding: Finding, changes: ChangeSet | None) -> tuple[str, str] | None:
    """The written name and its new name, when the change renamed or moved what it named."""
    suggestion, target = finding.evidence.actual, finding.symbol
    if not suggestion or changes is None:
        return None
    old_last, new_last = target.rpartition(".")[2], suggestion.rpartition(".")[2]
    for change in changes.gone().values():
        if change.new_qualname is None:
            continue
        if change.qualname.rpartition(".")[2] != old_last:
            continue
        if change.new_qualname.rpartition(".")[2] == new_last:
            return target, suggestion
    return None
