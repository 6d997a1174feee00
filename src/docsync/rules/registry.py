"""Every rule docsync can report, and the one function that runs the docstring rules.

:data:`RULES` holds each :class:`~docsync.rules.rule.Rule` defined in the rule
modules (:data:`RULE_MODULES`), in code order: docstring rules (DS1xx-DS4xx), change
rules (DS5xx, DS601) and page rules (DS7xx).  A rule is declared in the module of
its check, so adding one to an existing module needs no edit here.  ``docsync
rules``, ``docs/reference/rules.md``, the example tests and the fix machinery all
read this registry.
"""

from __future__ import annotations

from collections.abc import Container
from types import ModuleType

from docsync.models import Finding, Project, Symbol
from docsync.rules import (
    attributes,
    code_blocks,
    coverage,
    defaults,
    deleted_files,
    doctests,
    old_python,
    pages,
    param_changes,
    params,
    raises,
    references,
    returns,
    shown_signatures,
    staleness,
)
from docsync.rules.base import Family, RuleContext
from docsync.rules.rule import Rule
from docsync.scan.lazy_project import PartialProject

__all__ = [
    "FAMILIES",
    "REVIEW_CODES",
    "RULES",
    "RULE_MODULES",
    "check_symbol",
    "rule_by_code",
    "rule_module",
    "run_rules",
]

FAMILIES: tuple[Family, ...] = (
    params.FAMILY,
    defaults.FAMILY,
    returns.FAMILY,
    raises.FAMILY,
    attributes.FAMILY,
)
"""The docstring rule families; :func:`run_rules` runs their checks on every symbol."""

RULE_MODULES: tuple[ModuleType, ...] = (
    params,
    defaults,
    returns,
    raises,
    attributes,
    staleness,
    param_changes,
    coverage,
    references,
    pages,
    code_blocks,
    shown_signatures,
    deleted_files,
    old_python,
    doctests,
)
"""The modules that declare rules, each next to its check."""

_HOMES: dict[str, tuple[Rule, str]] = {
    value.code: (value, module.__name__)
    for module in RULE_MODULES
    for value in vars(module).values()
    if isinstance(value, Rule)
}

RULES: tuple[Rule, ...] = tuple(rule for _, (rule, _) in sorted(_HOMES.items()))
"""Every rule, in code order."""

REVIEW_CODES = frozenset(rule.code for rule in RULES if rule.review)
"""Codes of the review prompts (DS502, DS706): an edit that answers one keeps the mention."""


def rule_by_code(code: str) -> Rule:
    """The rule with this code.

    Args:
        code: A rule code such as ``DS101``.

    Returns:
        The rule.

    Raises:
        KeyError: If no rule has that code.
    """
    try:
        return _HOMES[code][0]
    except KeyError:
        raise KeyError(f"no rule has the code {code!r}") from None


def rule_module(rule: Rule) -> str:
    """The module that declares ``rule``, next to the check that reports it.

    Args:
        rule: A rule of :data:`RULES`.

    Returns:
        The module's dotted name, such as ``docsync.rules.params``.
    """
    return _HOMES[rule.code][1]


def run_rules(
    project: Project,
    *,
    require_params: bool = False,
    check_tests: bool = False,
    only: Container[str] | None = None,
) -> list[Finding]:
    """Run every docstring rule family on every symbol of the project.

    Findings a symbol suppresses with ``# docsync: ignore[CODE]`` are dropped;
    selecting, ignoring and re-grading rules is left to the caller.  Change rules
    run in base mode (:mod:`docsync.commands.against_base`), page rules in
    :func:`docsync.rules.pages.check_pages`.

    Args:
        project: The scanned project.
        require_params: Whether DS106 (a docstring without a parameter section) applies.
        check_tests: Check test functions, fixtures and task contexts like API
            (see :mod:`docsync.rules.test_code`).
        only: The qualified names of the symbols to check (all when ``None``); the
            rest of the project is still their context (classes, bases, modules).

    Returns:
        The findings, sorted by path, line and code.
    """
    ctx = RuleContext(project, require_params=require_params, check_tests=check_tests)
    if isinstance(project, PartialProject) and isinstance(only, (set, frozenset)):
        symbols = list(project.scoped(frozenset(only)).symbols())  # loads only what it checks
    else:
        symbols = [s for s in project.symbols() if only is None or s.qualname in only]
    findings = [finding for symbol in symbols for finding in check_symbol(symbol, ctx)]
    return sorted(findings, key=lambda f: (f.location.path, f.location.line, f.code))


def check_symbol(symbol: Symbol, ctx: RuleContext) -> list[Finding]:
    """Run every rule family on one symbol.

    Args:
        symbol: The symbol to check.
        ctx: The rule context of the project the symbol belongs to.

    Returns:
        The findings, in family order, without those the symbol suppresses with
        ``# docsync: ignore[CODE]``.
    """
    return [
        finding
        for family in FAMILIES
        for finding in family.check(symbol, ctx)
        if not symbol.is_suppressed(finding.code)
    ]
