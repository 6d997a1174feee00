"""The base side of base mode's rule findings, on only what they are compared with.

Base mode reports a head finding when the change introduced it: when the base
had no finding with its fingerprint (see
:func:`docsync.commands.against_base.introduced`).  Only the head findings the
change is answerable for are ever kept: those on a symbol the change added or
altered, or in a file it touched.  A fingerprint holds the rule, the symbol's
qualified name and the documentation text, so the only base findings that can
match them are on base symbols of those names: :func:`base_findings` runs the
rules on those symbols alone, in the context of the whole base project, instead
of on every symbol of it.  On a whole release diff (SQLAlchemy 1.3.24 → 1.4.0)
that halves base mode's rule time.
"""

from __future__ import annotations

from collections.abc import Iterable

from docsync.changes.changeset import ChangeSet
from docsync.config import Config
from docsync.models import Finding, Project
from docsync.rules.registry import run_rules

__all__ = ["answerable", "base_findings"]


def answerable(findings: Iterable[Finding], changes: ChangeSet) -> list[Finding]:
    """The head findings base mode may keep: on a changed symbol or in a changed file.

    Args:
        findings: the rule findings at the head.
        changes: the change set.

    Returns:
        Those findings, in their order.
    """
    paths = changes.changed_paths
    return [
        f for f in findings if changes.for_head(f.symbol) is not None or f.location.path in paths
    ]


def base_findings(
    head: Iterable[Finding], base: Project, changes: ChangeSet, config: Config
) -> list[Finding]:
    """The base side's rule findings that any of ``head``'s answerable findings can match.

    Args:
        head: the rule findings at the head.
        base: the whole base project (:func:`docsync.commands.against_base.base_view`).
        changes: the change set.
        config: the run's configuration (``require_params``, ``check_tests``).

    Returns:
        The findings of the rules run on the base symbols named like the head's
        answerable findings, sorted by path, line and code; select/ignore and
        severities are not applied (a fingerprint holds the rule's code, so an
        unselected base finding matches no head finding).
    """
    names = frozenset(f.symbol for f in answerable(head, changes))
    return run_rules(
        base, require_params=config.require_params, check_tests=config.check_tests, only=names
    )
