"""Fix the findings on one Markdown page: draft each line with the drafter chain, apply the edits.

The drafting is :mod:`docsync.draft`'s; the line edits are applied by
:func:`docsync.apply.pages.apply_line_edits`, which keeps every other byte.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docsync.apply.files import FileFix
from docsync.apply.linebreaks import split_lines
from docsync.apply.pages import LineEditRejected, apply_line_edits
from docsync.draft.base import (
    ChainOutcome,
    Drafter,
    DraftFailed,
    DraftRequest,
    PageTarget,
    run_chain,
)
from docsync.models import Edit, Finding, Style
from docsync.rules.registry import REVIEW_CODES

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet

__all__ = ["PageFixer"]


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
        for (line, end), found in _spans(by_line, len(lines)):
            target = PageTarget(path, line, end, "".join(lines[line - 1 : end]))
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


def _spans(
    by_line: dict[int, list[Finding]], last_line: int
) -> list[tuple[tuple[int, int], list[Finding]]]:
    """The findings grouped into targets: each finding's line span, overlapping spans merged.

    A finding on a construct written over several lines (a call whose wrong
    keyword is two lines below its name) spans them all, so a drafter may edit
    every one of them.
    """
    groups: list[tuple[tuple[int, int], list[Finding]]] = []
    for line, found in sorted(by_line.items()):
        end = min(last_line, max(max(f.location.end_line, line) for f in found))
        if groups and line <= groups[-1][0][1]:
            (start, previous_end), merged = groups[-1]
            groups[-1] = ((start, max(previous_end, end)), [*merged, *found])
        else:
            groups.append(((line, end), list(found)))
    return groups


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
