"""The rules: each a code, a slug, examples, and a pure check in the module that declares it.

Run the docstring rules with :func:`run_rules`; look any rule up with
:func:`rule_by_code`; :data:`RULES` lists them all.
"""

from __future__ import annotations

from docsync.rules.base import Check, Family, RuleContext
from docsync.rules.registry import FAMILIES, RULES, check_symbol, rule_by_code, run_rules
from docsync.rules.rule import ChangeExample, Example, FixKind, PageExample, Rule, RuleKind

__all__ = [
    "FAMILIES",
    "RULES",
    "ChangeExample",
    "Check",
    "Example",
    "Family",
    "FixKind",
    "PageExample",
    "Rule",
    "RuleContext",
    "RuleKind",
    "check_symbol",
    "rule_by_code",
    "run_rules",
]
