"""The mechanical drafter: every fix that needs no new prose, and nothing else.

It implements :class:`~docsync.draft.base.Drafter`.  Docstring targets go through
:func:`~docsync.draft.mechanical.docstring.fix_docstring`; what it cannot fix, and every code it
does not know, is left for a person (or for the next drafter in the chain) with
the reason.  A literal whose lines do not map onto the file's lines is refused as
a whole rather than guessed at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from docsync.draft.base import (
    DocstringTarget,
    Drafted,
    DraftFailed,
    DraftOutcome,
    DraftRequest,
    NeedsPerson,
    PageTarget,
)
from docsync.draft.mechanical.docstring import fix_docstring
from docsync.draft.mechanical.literal import LiteralRefused
from docsync.draft.mechanical.page import fix_page_lines
from docsync.models import Finding
from docsync.rules.registry import RULES
from docsync.rules.rule import FixKind

__all__ = ["MECHANICAL_CODES", "PLACEHOLDER_CODES", "MechanicalDrafter"]

MECHANICAL_CODES = frozenset(rule.code for rule in RULES if rule.fix is FixKind.MECHANICAL)
"""The rule codes the mechanical drafter may fix."""
PLACEHOLDER_CODES = frozenset(rule.code for rule in RULES if rule.fix is FixKind.PLACEHOLDER)
"""The rule codes it may fix with ``placeholders``: a marked entry for a person to describe."""


@dataclass(frozen=True)
class MechanicalDrafter:
    """Fixes what needs no prose; with ``placeholders``, adds marked entries for missing params."""

    placeholders: bool = False

    @property
    def name(self) -> str:
        """Always ``mechanical``."""
        return "mechanical"

    def fixes(self, code: str) -> bool:
        """Whether this drafter may fix findings of ``code``.

        Args:
            code: A rule code.

        Returns:
            True for the mechanical codes (and the placeholder ones with placeholders).
        """
        return code in MECHANICAL_CODES or (self.placeholders and code in PLACEHOLDER_CODES)

    def draft(self, request: DraftRequest) -> DraftOutcome:
        """Draft the mechanical part of the fix of one target.

        Args:
            request: The target and its findings.

        Returns:
            The edit and the findings left with their reasons, or the reason
            nothing could be drafted.
        """
        target = request.target
        try:
            if isinstance(target, DocstringTarget):
                fix = fix_docstring(
                    target.symbol, target.literal, request.findings, placeholders=self.placeholders
                )
                new_text, fixed, left = fix.literal, fix.fixed, fix.left
            else:
                new_text, fixed, left = _page(request, target)
        except LiteralRefused as exc:
            return NeedsPerson(request.findings, str(exc))
        except (ValueError, IndexError, KeyError) as exc:
            return DraftFailed(request.findings, f"mechanical: {type(exc).__name__}: {exc}")
        groups = _group(left)
        if fixed and new_text != target.text:
            return Drafted(request.edit(new_text, fixed, self.name), groups)
        return NeedsPerson(request.findings, _reasons(groups))


def _page(
    request: DraftRequest, target: PageTarget
) -> tuple[str, tuple[Finding, ...], tuple[tuple[Finding, str], ...]]:
    fix = fix_page_lines(target.text, target.line, request.findings, request.changes)
    return fix.text, fix.fixed, fix.left


def _group(left: Sequence[tuple[Finding, str]]) -> tuple[NeedsPerson, ...]:
    by_reason: dict[str, list[Finding]] = defaultdict(list)
    for finding, reason in left:
        by_reason[reason].append(finding)
    return tuple(NeedsPerson(tuple(found), reason) for reason, found in by_reason.items())


def _reasons(groups: Sequence[NeedsPerson]) -> str:
    if len(groups) == 1:
        return groups[0].reason
    return (
        "; ".join(
            f"{', '.join(sorted({f.code for f in group.findings}))}: {group.reason}"
            for group in groups
        )
        or "nothing to change"
    )
