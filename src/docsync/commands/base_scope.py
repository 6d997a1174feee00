"""What a change can affect, for base mode's rules (see :mod:`docsync.commands.against_base`).

A rule finding base mode reports is on a symbol of a changed file (:func:`scope_of`),
so the rules run on those symbols alone (:func:`in_scope`); a reference the change
broke is in a docstring that mentions a gone name, so DS601 reads only the modules the
reverse-reference index lists (:func:`referrers`), and builds its namespaces from the
index's names (:func:`namespace_of`) instead of reading every module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docsync.changes.changeset import ChangeSet
from docsync.models import Module, Project
from docsync.scan.index import Namespace
from docsync.scan.lazy_project import PartialProject

__all__ = ["in_scope", "namespace_of", "referrers", "scope_of"]


def scope_of(head: Project, changes: ChangeSet) -> frozenset[str]:
    """The symbols whose rule findings base mode can report: those of the changed files.

    :func:`~docsync.commands.against_base.select_for_change` keeps a rule finding
    only on a symbol the change added or altered (each in a changed file) or located
    in a changed file, and DS501/DS504 fold only those; the rules need not run on any
    other symbol.

    Args:
        head: the head project.
        changes: the change set.

    Returns:
        Qualified names: every symbol of a changed module at the head, and every
        symbol the change set names at the head.
    """
    changed = changes.changed_paths
    names = {c.new_qualname for c in changes.symbols if c.new_qualname is not None}
    if isinstance(head, PartialProject):
        modules = (head.module_at(path) for path in sorted(changed))
        names.update(s.qualname for m in modules if m is not None for s in m.symbols)
    else:
        names.update(s.qualname for m in head.modules if m.path in changed for s in m.symbols)
    return frozenset(names)


def in_scope(head: Project, changes: ChangeSet) -> Project:
    """The head project whose ``symbols()`` are those :func:`scope_of` names.

    The rules run on those alone (``run_rules`` checks a project's ``symbols()``);
    every lookup still sees the whole project.

    Args:
        head: the head project.
        changes: the change set.

    Returns:
        The view.
    """
    scope = scope_of(head, changes)
    if isinstance(head, PartialProject):
        return head.scoped(scope)
    return PartialProject(head.root, head.modules, diagnostics=head.diagnostics).scoped(scope)


_WORD = re.compile(r"\w+")  # what references.mentions_any looks words up with


def referrers(head: Project, words: frozenset[str]) -> Iterable[Module]:
    """The head modules whose docstrings may mention one of ``words``.

    From the reverse-reference index when the head has one (see
    :mod:`docsync.commands.base_head`): the modules it does not list as mentioning
    any of the words are not read.  Otherwise every module.

    Args:
        head: the head project.
        words: bare names (the last part of each gone name).

    Returns:
        The modules, in project order.
    """
    if isinstance(head, PartialProject) and all(_WORD.fullmatch(w) for w in words):
        found = head.referrers(words)
        if found is not None:
            return found
    return head.modules


def namespace_of(project: Project, bound: Iterable[Module]) -> Namespace:
    """:meth:`Namespace.of` the project's modules, without loading those the index describes.

    Args:
        project: the project whose modules define the names.
        bound: the modules whose imports and aliases count.

    Returns:
        The namespace ``Namespace.of(project.modules, bound)`` would give.
    """
    names = project.defined_names() if isinstance(project, PartialProject) else None
    if names is None:
        return Namespace.of(project.modules, bound)
    defined, members = names
    of_bound = Namespace.of((), bound)
    return Namespace(
        frozenset(defined | of_bound.names), of_bound.aliases, frozenset(members | of_bound.members)
    )
