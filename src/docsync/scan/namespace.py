"""A project's names at one revision, flat: what base mode compares (DS601).

:class:`Namespace` holds the defined names of a project's modules and the aliases
(imports, ``alias = other`` assignments) that lead to them; both it and
:class:`~docsync.scan.index.SymbolIndex` read a module's bindings through one import
table (:func:`import_table`, :func:`module_facts`).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from docsync.models import Module, SymbolKind

__all__ = ["MAX_DEPTH", "ModuleFacts", "Namespace", "import_table", "module_facts"]

# Aliases one resolution follows: ``X = X.attr`` leads on for ever.
MAX_DEPTH = 12


@dataclass(frozen=True)
class ModuleFacts:
    """A module's :class:`~docsync.models.Bindings` as lookups use them.

    ``imports`` maps a local name bound by an import or alias assignment to the
    dotted name it binds; the other fields are the bindings' own.
    """

    imports: dict[str, str]
    star: tuple[str, ...] = ()
    all_names: frozenset[str] | None = None
    dynamic: bool = False
    lazy: frozenset[str] = frozenset()


def import_table(module: Module) -> dict[str, str]:
    """Every name a module binds at its top level, and the dotted name it binds.

    Imports map to the imported path, ``alias = other.name`` assignments to
    ``module.other.name``, and definitions and other assignments to the module's own
    ``module.name`` (see :class:`~docsync.models.Bindings`).

    Args:
        module: A scanned module.

    Returns:
        Local name → dotted name.
    """
    bindings = module.bindings
    own = {name: f"{module.qualname}.{name}" for name in bindings.defined}
    return {**own, **dict(bindings.imports)}


def module_facts(module: Module) -> ModuleFacts:
    """The imports and aliases, star imports, ``__all__``, lazy names and dynamism of a module.

    Args:
        module: A scanned module.

    Returns:
        The facts of its bindings.
    """
    bindings = module.bindings
    imports = dict(bindings.imports)
    lazy = frozenset(bindings.lazy)
    return ModuleFacts(imports, bindings.star, bindings.all_names, bindings.dynamic, lazy)


@dataclass(frozen=True)
class Namespace:
    """The names a project defines at one revision, and the aliases that lead to them.

    The flat form of the index for comparing two revisions (base mode): ``names``
    holds the qualified names of modules and symbols; ``aliases`` maps a qualified
    name bound by an import or alias assignment (``pkg.load``) to what it binds
    (``pkg.config.load``); ``members`` are the names defined in a class (methods,
    properties).
    """

    names: frozenset[str]
    aliases: Mapping[str, str]
    members: frozenset[str] = frozenset()

    @classmethod
    def of(cls, modules: Iterable[Module], bound: Iterable[Module]) -> Namespace:
        """The namespace of some modules, with the top-level bindings of some of them.

        Args:
            modules: The modules whose symbols are defined names.
            bound: The modules whose imports and aliases count (see :func:`import_table`).

        Returns:
            The namespace.
        """
        names: set[str] = set()
        members: set[str] = set()
        for module in modules:
            names.add(module.qualname)
            for symbol in module.symbols:
                names.add(symbol.qualname)
                if symbol.kind in (SymbolKind.METHOD, SymbolKind.PROPERTY):
                    members.add(symbol.qualname)
        aliases: dict[str, str] = {}
        for module in bound:
            for local, target in import_table(module).items():
                qualified = f"{module.qualname}.{local}"
                if target == qualified:
                    names.add(qualified)  # bound at the module's top level
                else:
                    aliases[qualified] = target
            names.update(f"{module.qualname}.{name}" for name in module.bindings.lazy)
        return cls(frozenset(names), aliases, frozenset(members))

    def ending_with(self, suffix: str, *, aliases: bool = False) -> list[str]:
        """The defined names (and with ``aliases`` the aliases) that end with ``.suffix``.

        Looked up by the last part of the name, not by scanning every name.
        """
        last = suffix.rpartition(".")[2]
        found = [n for n in self._by_last[0].get(last, ()) if n.endswith("." + suffix)]
        if aliases:
            found += [n for n in self._by_last[1].get(last, ()) if n.endswith("." + suffix)]
        return found

    @functools.cached_property
    def _by_last(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        names: dict[str, list[str]] = defaultdict(list)
        aliases: dict[str, list[str]] = defaultdict(list)
        for name in self.names:
            names[name.rpartition(".")[2]].append(name)
        for alias in self.aliases:
            aliases[alias.rpartition(".")[2]].append(alias)
        return names, aliases

    def resolve(self, dotted: str) -> str | None:
        """The defined name a dotted name leads to, following aliases.

        Args:
            dotted: a qualified name, possibly through an import or alias.

        Returns:
            The defined name, or ``None`` when it leads nowhere in the project (or
            through more than a dozen aliases: ``X = X.attr`` leads on for ever).
        """
        for _ in range(MAX_DEPTH):
            if dotted in self.names:
                return dotted
            parts = dotted.split(".")
            for cut in range(len(parts), 0, -1):
                prefix = ".".join(parts[:cut])
                if prefix in self.aliases and self.aliases[prefix] != prefix:
                    dotted = ".".join([self.aliases[prefix], *parts[cut:]])
                    break
            else:
                return None
        return None
