"""Who fixes each finding (the ``[*]`` marks), without libcst when no finding needs it.

The marks come from a dry run of the real mechanical drafter
(:func:`docsync.commands.fix.fixable`), which edits through libcst.  Only the
findings whose rule the mechanical drafter fixes can get the ``[*]`` mark; when a
check has none of them (most pull requests: new API without docstrings, review
prompts), the marks are the LLM drafter's alone, which need no draft: this module
gives them without importing the fixers, libcst or the drafters' edit code.  Both
paths share :func:`marks`, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from docsync.deliver.report import FindingKey, FixBy, finding_key
from docsync.draft.mechanical.drafter import MechanicalDrafter
from docsync.models import Finding, Project
from docsync.rules.coverage import NEW_API_UNDOCUMENTED
from docsync.rules.registry import RULES
from docsync.rules.rule import FixKind

__all__ = ["LLM_CODES", "drafts_any", "marks", "no_room"]

LLM_CODES = frozenset(
    rule.code for rule in RULES if rule.llm and not rule.review and rule.fix is not FixKind.NONE
)
"""The codes ``docsync fix --llm`` drafts (not a review prompt, not unfixable)."""


def drafts_any(findings: Iterable[Finding]) -> bool:
    """Whether the mechanical drafter may fix one of the findings (a dry run is needed).

    Args:
        findings: The check's findings.

    Returns:
        True when at least one finding's rule is one the mechanical drafter fixes.
    """
    drafter = MechanicalDrafter()
    return any(drafter.fixes(f.code) for f in findings)


def marks(
    findings: Iterable[Finding], project: Project, mechanical: Collection[FindingKey] = ()
) -> dict[FindingKey, FixBy]:
    """Who fixes each finding, given the ones the mechanical drafter's dry run drafted.

    Args:
        findings: The check's findings.
        project: The project they were found on.
        mechanical: The keys of the findings the mechanical drafter drafted a fix of.

    Returns:
        :func:`~docsync.deliver.report.finding_key` → who fixes it; a finding that
        only a person can fix is absent.
    """
    fixes: dict[FindingKey, FixBy] = {}
    for finding in findings:
        key = finding_key(finding)
        if key in mechanical:
            fixes[key] = FixBy.MECHANICAL
        elif finding.code in LLM_CODES and not no_room(project, finding):
            fixes[key] = FixBy.LLM
    return fixes


def no_room(project: Project, finding: Finding) -> bool:
    """A new symbol written on one line (``def f(): ...``): no line to insert a docstring on.

    Args:
        project: The project the finding is on.
        finding: The finding.

    Returns:
        True for a DS504 finding on a one-line symbol without a docstring.
    """
    if finding.code != NEW_API_UNDOCUMENTED.code or finding.symbol is None:
        return False
    symbol = project.get(finding.symbol)
    return (
        symbol is not None
        and symbol.docstring is None
        and symbol.location.line == (symbol.location.end_line)
    )
