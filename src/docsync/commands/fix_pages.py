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
from docsync.draft.mechanical.api_pages import api_block_edits
from docsync.models import Edit, Finding, Style
from docsync.rules.coverage import NEW_API_OFF_PAGES
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
        """Fix the findings on one page; each run of lines that findings span is one target.

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
        by_span: dict[tuple[int, int], list[Finding]] = defaultdict(list)
        result = _PageResult()
        blocks = [f for f in findings if f.code == NEW_API_OFF_PAGES.code and self._shows_api()]
        findings = [f for f in findings if not any(f is b for b in blocks)]
        for finding in sorted(findings, key=lambda f: f.location.line):
            line, end = finding.location.line, max(finding.location.line, finding.location.end_line)
            if not 1 <= line <= end <= len(lines):
                result.left.append((finding, "the finding's lines are not on the page"))
                continue
            last = max(by_span, key=lambda span: span[0], default=None)
            if last is not None and line <= last[1]:  # overlapping spans: one target
                found = by_span.pop(last)
                by_span[(last[0], max(last[1], end))] = [*found, finding]
            else:
                by_span[(line, end)].append(finding)
        for (line, end), found in sorted(by_span.items()):
            target = PageTarget(path, line, end, "".join(lines[line - 1 : end]))
            request = DraftRequest(
                path, target, tuple(found), text, Style.PLAIN, None, self.changes
            )
            result.add(run_chain(self.drafters, request))
        if blocks:
            result.add_blocks(*api_block_edits(path, text, blocks))
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

    def _shows_api(self) -> bool:
        """Whether a drafter of the chain fixes DS708 (the mechanical one does)."""
        code = NEW_API_OFF_PAGES.code
        return any(bool(getattr(d, "fixes", lambda _: False)(code)) for d in self.drafters)


@dataclass
class _PageResult:
    edits: list[Edit] = field(default_factory=list)
    left: list[tuple[Finding, str]] = field(default_factory=list)
    failed: list[tuple[Finding, str]] = field(default_factory=list)

    def add_blocks(self, edits: Sequence[Edit], left: Sequence[tuple[Finding, str]]) -> None:
        """Add the DS708 edits (they add lines) that no other edit of the page overlaps."""
        self.left.extend(left)
        for edit in edits:
            if any(e.line <= edit.end_line and edit.line <= e.end_line for e in self.edits):
                self.left.extend((f, "another fix edits the same lines") for f in edit.findings)
            else:
                self.edits.append(edit)

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
