"""Every rule, and the one loop that runs them on a symbol (:func:`check_symbol`)."""

from __future__ import annotations

from docsync.models import Finding, Project, Symbol
from docsync.rules import attributes, params, raises, returns
from docsync.rules.base import Family, Rule, RuleContext

__all__ = ["FAMILIES", "RULES", "check_symbol", "rule_by_code", "run_rules"]

FAMILIES: tuple[Family, ...] = (params.FAMILY, returns.FAMILY, raises.FAMILY, attributes.FAMILY)
RULES: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.rules)
_BY_CODE = {rule.code: rule for rule in RULES}


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
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"no rule has the code {code!r}") from None


def run_rules(project: Project, *, require_params: bool = False) -> list[Finding]:
    """Run every rule family on every symbol of the project.

    Findings a symbol suppresses with ``# docsync: ignore[CODE]`` are dropped;
    selecting, ignoring and re-grading rules is left to the caller.

    Args:
        project: The scanned project.
        require_params: Whether DS106 (a docstring without a parameter section) applies.

    Returns:
        The findings, sorted by path, line and code.
    """
    ctx = RuleContext(project, require_params=require_params)
    findings = [finding for symbol in project.symbols() for finding in check_symbol(symbol, ctx)]
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
