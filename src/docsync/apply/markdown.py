"""Edit Markdown pages line by line, keeping every other byte and the file's line endings.

A page edit replaces the lines ``line..end_line`` and nothing else.  The new text
is written with the line ending of the lines it replaces, so a CRLF page stays
CRLF, and a page without a final newline keeps lacking it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docsync.apply.files import FileFix
from docsync.apply.text import line_ending, split_lines, strip_ending
from docsync.draft.base import (
    ChainOutcome,
    Drafter,
    DraftFailed,
    DraftRequest,
    PageTarget,
    run_chain,
)
from docsync.errors import DocsyncError
from docsync.models import REVIEW_CODES, Edit, Finding, Style

if TYPE_CHECKING:
    from docsync.changes import ChangeSet

__all__ = ["LineEditRejected", "PageFixer", "apply_line_edits"]


class LineEditRejected(DocsyncError):
    """A page edit does not match the page it is applied to."""


def apply_line_edits(text: str, edits: Sequence[Edit]) -> str:
    """Replace the line ranges of a page that the edits name.

    Args:
        text: The page as read.
        edits: Edits of disjoint line ranges of this page.

    Returns:
        The new page text; lines outside the edits are unchanged.

    Raises:
        LineEditRejected: An edit's old text is not what the page holds at its
            lines, or two edits overlap.
    """
    lines = split_lines(text)
    previous_end = 0
    parts: list[str] = []
    for edit in sorted(edits, key=lambda e: e.line):
        if edit.line <= previous_end or edit.end_line > len(lines):
            raise LineEditRejected(f"{edit.path}:{edit.line}: the edit overlaps another or the end")
        current = "".join(lines[edit.line - 1 : edit.end_line])
        if current != edit.old_text:
            raise LineEditRejected(f"{edit.path}:{edit.line}: the page changed since it was read")
        parts.extend(lines[previous_end : edit.line - 1])
        parts.append(_with_endings(edit.new_text, current))
        previous_end = edit.end_line
    parts.extend(lines[previous_end:])
    return "".join(parts)


def _with_endings(new: str, old: str) -> str:
    """``new`` with the line endings of ``old``, ending with a line break only if ``old`` did."""
    ending = line_ending(old)
    body = ending.join(strip_ending(line) for line in split_lines(new))
    return body + ending if old.endswith(("\n", "\r")) else body


@dataclass(frozen=True)
class PageFixer:
    """Fixes the findings on one Markdown page with a chain of drafters, line by line."""

    drafters: Sequence[Drafter]
    changes: ChangeSet | None = None

    def fix(self, path: str, source: bytes, findings: Sequence[Finding]) -> FileFix:
        """Fix the findings on one page; each line with findings is one target.

        Args:
            path: The page's repo-relative path.
            source: The page's bytes.
            findings: The findings to fix, all on this page.

        Returns:
            The page's new bytes (unchanged if nothing went through), the edits,
            and the findings left or failed.
        """
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            unreadable = tuple((f, f"the page is not UTF-8: {exc}") for f in findings)
            return FileFix(path, source, source, "utf-8", failed=unreadable)
        lines = split_lines(text)
        by_line: dict[int, list[Finding]] = defaultdict(list)
        result = _PageResult()
        for finding in findings:
            if 1 <= finding.location.line <= len(lines):
                by_line[finding.location.line].append(finding)
            else:
                result.left.append((finding, "the finding's line is not on the page"))
        for line, found in sorted(by_line.items()):
            target = PageTarget(path, line, line, lines[line - 1])
            request = DraftRequest(
                path, target, tuple(found), text, Style.PLAIN, None, self.changes
            )
            result.add(run_chain(self.drafters, request))
        try:
            new = apply_line_edits(text, result.edits).encode("utf-8")
        except LineEditRejected as exc:
            result.failed.extend((f, str(exc)) for edit in result.edits for f in edit.findings)
            result.edits, new = [], source
        return FileFix(
            path,
            source,
            new,
            "utf-8",
            tuple(result.edits),
            tuple(result.left),
            tuple(result.failed),
        )


@dataclass
class _PageResult:
    edits: list[Edit] = field(default_factory=list)
    left: list[tuple[Finding, str]] = field(default_factory=list)
    failed: list[tuple[Finding, str]] = field(default_factory=list)

    def add(self, outcome: ChainOutcome) -> None:
        for part in outcome.left:
            if isinstance(part, DraftFailed):
                self.failed.extend((f, part.error) for f in part.findings)
            else:
                self.left.extend((f, part.reason) for f in part.findings)
        if outcome.edit is None:
            return
        problem = _check(outcome.edit)
        if problem is None:
            self.edits.append(outcome.edit)
        else:
            self.failed.extend((f, problem) for f in outcome.edit.findings)


def _check(edit: Edit) -> str | None:
    """Why a page edit cannot be applied: a changed line count, or the old text still there."""
    if len(split_lines(edit.new_text)) != edit.end_line - edit.line + 1:
        return "the edit would change the number of lines"
    for finding in edit.findings:
        written = finding.evidence.documented
        if written and finding.code not in REVIEW_CODES and written in edit.new_text:
            return f"{finding.code}: the reference is still on the line after the edit"
    return None
