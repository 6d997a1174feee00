"""The docstring rules: each a code, a slug, examples, and a pure check per family.

Run them with :func:`run_rules`; look one up with :func:`rule_by_code`.
"""

from __future__ import annotations

from docsync.rules.base import Check, Example, Family, Rule, RuleContext
from docsync.rules.registry import FAMILIES, RULES, check_symbol, rule_by_code, run_rules

__all__ = [
    "FAMILIES",
    "RULES",
    "Check",
    "Example",
    "Family",
    "Rule",
    "RuleContext",
    "check_symbol",
    "rule_by_code",
    "run_rules",
]
