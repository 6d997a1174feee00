"""The base side of base mode's rule findings, on only the symbols they can match.

Base mode reports a head finding when the change introduced it: when the base
had no finding with its fingerprint (see
:func:`docsync.commands.against_base.introduced`).  A fingerprint holds the
rule, the symbol's qualified name and the documentation text, so the only base
findings that can match a head finding are on a base symbol of the same name:
:func:`base_findings` runs the rules on those symbols alone, in the context of
the whole base project, instead of on every symbol of it.  ``introduced`` gives
the same answer for every head finding either way.
"""

from __future__ import annotations

from collections.abc import Iterable

from docsync.config import Config
from docsync.models import Finding, Project
from docsync.rules.registry import run_rules

__all__ = ["base_findings"]


def base_findings(head: Iterable[Finding], base: Project, config: Config) -> list[Finding]:
    """The base side's rule findings that share a symbol with a head finding.

    Args:
        head: the rule findings at the head.
        base: the whole base project (:func:`docsync.commands.against_base.base_view`).
        config: the run's configuration (``require_params``, ``check_tests``).

    Returns:
        The findings of the rules run on the base symbols named like a head
        finding's symbol, sorted by path, line and code.  Select/ignore and
        severities are not applied: a fingerprint holds the rule's code, so an
        unselected base finding matches no (selected) head finding.
    """
    names = frozenset(f.symbol for f in head)
    return run_rules(
        base, require_params=config.require_params, check_tests=config.check_tests, only=names
    )
