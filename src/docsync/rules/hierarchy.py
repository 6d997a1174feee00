"""Project classes by name, and what is known about their ancestry and members.

Base classes are recorded as written (``errors.DocsyncError``, ``Generic[T]``), so
a base is resolved by exact qualified name first, then within the same module,
then by its last dotted component.  A name shared by several project classes
resolves to all of them, and callers combine the answers leniently: the rules
would rather miss a finding than report one on a guess.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Iterator

from docsync.models import Project, Symbol, SymbolKind
from docsync.rules.types import Lineage, is_standard_name
from docsync.scan.lazy_project import PartialProject

__all__ = ["ATTRIBUTE_FREE_BASES", "ClassIndex", "base_name", "builtin_class"]

ATTRIBUTE_FREE_BASES = frozenset(
    {"object", "Generic", "Protocol", "ABC", "NamedTuple", "TypedDict", "metaclass=ABCMeta"}
)
"""Bases that give their subclasses no attributes a docstring would document."""

_NEUTRAL_BASES = frozenset({"object", "Generic", "Protocol", "ABC", "NamedTuple", "TypedDict"})


def base_name(base: str) -> str:
    """The last dotted component of a base as written, without subscripts.

    Args:
        base: A base expression's source, e.g. ``typing.Generic[T]``.

    Returns:
        The bare name, e.g. ``Generic``; keyword bases (``metaclass=M``) are kept whole.
    """
    text = base.strip()
    if "=" in text:
        return "".join(text.split())
    return text.partition("[")[0].rpartition(".")[2].strip()


def _builtin_ancestors(name: str) -> frozenset[str]:
    value = getattr(builtins, name, None)
    if not isinstance(value, type):
        return frozenset()
    return frozenset(c.__name__ for c in value.__mro__ if c is not object)


class ClassIndex:
    """Looks up the classes of one project by name.

    Args:
        project: The scanned project.
    """

    def __init__(self, project: Project) -> None:
        self._project = project
        self._by_name: dict[str, list[Symbol]] = defaultdict(list)
        self._children: dict[str, list[Symbol]] = defaultdict(list)
        self._lineages: dict[str, Lineage] = {}
        # A project that loads its modules on demand is asked by name, never walked whole.
        self._partial = project if isinstance(project, PartialProject) else None
        if self._partial is not None:
            return
        for symbol in project.symbols():
            parent = symbol.qualname.rpartition(".")[0]
            self._children[parent].append(symbol)
            if symbol.kind is SymbolKind.CLASS:
                self._by_name[symbol.name].append(symbol)

    def classes_named(self, name: str) -> tuple[Symbol, ...]:
        """The project classes whose name (last component) is ``name``.

        Args:
            name: A bare class name.

        Returns:
            The matching class symbols, possibly several.
        """
        if self._partial is not None:
            if name not in self._by_name:
                found = self._partial.named(name)
                self._by_name[name] = [
                    s for s in found if s.kind is SymbolKind.CLASS and s.name == name
                ]
            return tuple(self._by_name[name])
        return tuple(self._by_name.get(name, ()))

    def children(self, symbol: Symbol) -> tuple[Symbol, ...]:
        """The symbols defined directly inside ``symbol`` (methods, properties, classes).

        Args:
            symbol: A class (or any symbol).

        Returns:
            The direct children, in source order.
        """
        if self._partial is not None:
            return self._partial.children(symbol.qualname)
        return tuple(self._children.get(symbol.qualname, ()))

    def parent(self, symbol: Symbol) -> Symbol | None:
        """The symbol that directly contains ``symbol``, if scanned.

        Args:
            symbol: Any symbol.

        Returns:
            The enclosing class or module symbol, or ``None``.
        """
        return self._project.get(symbol.qualname.rpartition(".")[0])

    def resolve_base(self, base: str, owner: Symbol) -> tuple[Symbol, ...]:
        """The project classes a base of ``owner`` may refer to.

        Args:
            base: The base as written.
            owner: The class that lists it.

        Returns:
            The candidates: an exact qualified match; for a dotted base, the classes
            whose qualified name ends with it; else a same-module match, else every
            class with that name.
        """
        dotted = base.strip().partition("[")[0].strip()
        exact = self._project.get(dotted)
        if exact is not None and exact.kind is SymbolKind.CLASS:
            return (exact,)
        name = base_name(base)
        candidates = self.classes_named(name)
        if "." in dotted:
            # `errors.Base` may be `pkg.errors.Base`; `unittest.TestCase` is never `pkg.TestCase`.
            return tuple(c for c in candidates if c.qualname.endswith(f".{dotted}"))
        module = owner.qualname.rpartition(".")[0]
        local = tuple(c for c in candidates if c.qualname.rpartition(".")[0] == module)
        return local or candidates

    def lineage(self, name: str) -> Lineage | None:
        """The combined lineage of every project class called ``name``.

        Args:
            name: A bare class name.

        Returns:
            The lineage, or ``None`` when no project class has that name.
        """
        classes = self.classes_named(name)
        if not classes:
            return None
        parts = [self.class_lineage(c) for c in classes]
        return Lineage(
            ancestors=frozenset().union(*(p.ancestors for p in parts)),
            complete=all(p.complete for p in parts),
            is_protocol=any(p.is_protocol for p in parts),
        )

    def class_lineage(self, cls: Symbol) -> Lineage:
        """The ancestry of one class, through project classes and builtins.

        Args:
            cls: A class symbol.

        Returns:
            Ancestor names (without ``object``) and whether all were resolved.
        """
        cached = self._lineages.get(cls.qualname)
        if cached is not None:
            return cached
        # Provisional entry guards against cycles (class A(B), class B(A) in broken code).
        self._lineages[cls.qualname] = Lineage(frozenset(), complete=False)
        ancestors: set[str] = set()
        complete = True
        is_protocol = False
        for base in cls.bases:
            name = base_name(base)
            if "=" in name:
                continue
            if name == "Protocol":
                is_protocol = True
            resolved = self.resolve_base(base, cls)
            if resolved:
                for parent in resolved:
                    ancestors.add(parent.name)
                    parent_lineage = self.class_lineage(parent)
                    ancestors |= parent_lineage.ancestors
                    complete = complete and parent_lineage.complete
            elif name in _NEUTRAL_BASES:
                continue
            elif is_standard_name(name):
                ancestors.add(name)
                ancestors |= _builtin_ancestors(name)
            else:
                complete = False
        result = Lineage(frozenset(ancestors - {"object"}), complete, is_protocol)
        self._lineages[cls.qualname] = result
        return result

    def ancestors_in_project(self, cls: Symbol) -> Iterator[Symbol]:
        """Every project class ``cls`` inherits from, each once, nearest first.

        Args:
            cls: A class symbol.

        Yields:
            The ancestor class symbols.
        """
        seen = {cls.qualname}
        queue = [cls]
        while queue:
            current = queue.pop(0)
            for base in current.bases:
                for parent in self.resolve_base(base, current):
                    if parent.qualname not in seen:
                        seen.add(parent.qualname)
                        queue.append(parent)
                        yield parent

    def has_unknown_base(self, cls: Symbol) -> bool:
        """Whether ``cls`` or a project ancestor has a base whose attributes are unknown.

        Args:
            cls: A class symbol.

        Returns:
            True when some base is neither a project class, nor a builtin class,
            nor attribute-free.
        """
        for current in (cls, *self.ancestors_in_project(cls)):
            for base in current.bases:
                name = base_name(base)
                if name in ATTRIBUTE_FREE_BASES or self.resolve_base(base, current):
                    continue
                if builtin_class(base) is None:
                    return True
        return False

    def builtin_bases(self, cls: Symbol) -> Iterator[type]:
        """The builtin classes ``cls`` and its project ancestors list as bases.

        Args:
            cls: A class symbol.

        Yields:
            Builtin classes such as ``ValueError`` or ``dict``.
        """
        for current in (cls, *self.ancestors_in_project(cls)):
            for base in current.bases:
                value = builtin_class(base)
                if value is not None and not self.resolve_base(base, current):
                    yield value


def builtin_class(base: str) -> type | None:
    """The builtin class a base names (``ValueError``, ``builtins.dict``), if any.

    Args:
        base: The base as written.

    Returns:
        The class, or ``None`` for anything else.
    """
    dotted = base.strip()
    name = dotted.removeprefix("builtins.")
    value = getattr(builtins, name, None) if name.isidentifier() else None
    return value if isinstance(value, type) and value is not object else None
