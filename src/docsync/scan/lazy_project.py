"""A project whose modules are loaded only when something asks for them.

Base mode with a few changed files needs the changed modules in full, and from
the rest of the project only what the rules look up by name: the symbol of a
qualified name, the classes of a bare name (inheritance), the functions of a
bare name (call following).  :class:`PartialProject` answers those lookups from
a table of every module's qualified names (a :class:`ModuleRef` per unchanged
module, kept in one cache entry by :mod:`docsync.commands.base_head`) and loads a
module, through the scan cache, the first time one of its symbols is needed.

Every answer is the one the whole project would give, in the same order: the
table lists every module that defines a name, so a lookup loads all of them.
Anything that iterates the whole project (``modules``, ``symbols()`` without a
scope) loads every module, so a consumer that is not lazy still sees it all.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from docsync.errors import SourceError
from docsync.models import Diagnostic, Module, Project, Symbol, SymbolKind

__all__ = [
    "CONSTRUCTORS",
    "ModuleRef",
    "PartialProject",
    "References",
    "StaleModule",
    "module_paths",
    "modules_at",
]

CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__"})
_MEMBER_KINDS = (SymbolKind.METHOD, SymbolKind.PROPERTY)
"""Methods that the rules also list under their class's bare name (call following)."""


class StaleModule(SourceError):
    """A module's bytes are no longer those its :class:`ModuleRef` was made from.

    Base mode catches it and scans the whole head instead; anywhere else it ends the
    run with a message that says what happened.
    """

    def __init__(self, path: str) -> None:
        """Name the file.

        Args:
            path: the root-relative path of the module.
        """
        super().__init__(f"{path} changed while docsync was reading the project; run it again")
        self.path = path


@dataclass(frozen=True)
class ModuleRef:
    """A module not loaded yet: where it is, what it is, and the names it defines."""

    path: str
    module_name: str
    content_hash: str
    qualnames: tuple[str, ...]


@dataclass(frozen=True)
class References:
    """What the docstrings of modules not loaded yet mention, and the members they define.

    ``words`` maps a path to the words of its docstrings that name a symbol (the
    reverse-reference index: which modules' docstrings can mention a name);
    ``members`` a path to the qualified names of its methods and properties.
    """

    words: Mapping[str, frozenset[str]]
    members: Mapping[str, tuple[str, ...]]


def _loaded_already(ref: ModuleRef) -> Module:
    raise StaleModule(ref.path)  # a project of loaded modules has no reference to load


def _no_references() -> References | None:
    return None


def _bare(qualname: str) -> str:
    return qualname.rpartition(".")[2]


class _Store:
    """The modules of one project in order, each loaded at most once.

    The tables from a name to the modules that define it are built on first use:
    most runs ask for a few qualified names and never for a bare one.
    """

    def __init__(
        self, entries: Sequence[Module | ModuleRef], load: Callable[[ModuleRef], Module]
    ) -> None:
        self._entries: list[Module | ModuleRef] = list(entries)
        self._names = [
            e.qualnames if isinstance(e, ModuleRef) else tuple(s.qualname for s in e.symbols)
            for e in self._entries
        ]
        self._load = load
        self.references: Callable[[], References | None] = _no_references

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def loader(self) -> Callable[[ModuleRef], Module]:
        return self._load

    def entry(self, index: int) -> Module | ModuleRef:
        return self._entries[index]

    @cached_property
    def by_path(self) -> dict[str, int]:
        table: dict[str, int] = {}
        for index, entry in enumerate(self._entries):
            table.setdefault(entry.path, index)
        return table

    @cached_property
    def by_qualname(self) -> dict[str, list[int]]:
        return self._table(lambda qualname: (qualname,))

    @cached_property
    def by_name(self) -> dict[str, list[int]]:
        def keys(qualname: str) -> tuple[str, ...]:
            parent, _, name = qualname.rpartition(".")
            return (name, _bare(parent)) if name in CONSTRUCTORS else (name,)

        return self._table(keys)

    @cached_property
    def by_parent(self) -> dict[str, list[int]]:
        return self._table(lambda qualname: (qualname.rpartition(".")[0],))

    def _table(self, keys: Callable[[str], tuple[str, ...]]) -> dict[str, list[int]]:
        table: dict[str, list[int]] = {}
        for index, names in enumerate(self._names):
            for key in {k for qualname in names for k in keys(qualname)}:
                found = table.get(key)
                if found is None:
                    table[key] = [index]
                else:
                    found.append(index)
        return table

    def module(self, index: int) -> Module:
        entry = self._entries[index]
        if isinstance(entry, ModuleRef):
            entry = self._load(entry)
            self._entries[index] = entry
        return entry

    def modules(self, indices: Sequence[int]) -> Iterator[Module]:
        for index in indices:
            yield self.module(index)


class PartialProject(Project):
    """A :class:`~docsync.models.Project` that loads its modules on demand.

    ``checked`` (when set) is the scope of :meth:`symbols`: the qualified names
    whose symbols the rules are to check, so ``run_rules`` on this project checks
    those alone while every lookup still sees the whole project.
    """

    _store: _Store
    _checked: frozenset[str] | None

    def __init__(
        self,
        root: str,
        entries: Sequence[Module | ModuleRef] = (),
        load: Callable[[ModuleRef], Module] | None = None,
        diagnostics: tuple[Diagnostic, ...] = (),
        modules: tuple[Module, ...] | None = None,
        _by_qualname: object = None,
    ) -> None:
        """Hold ``entries`` in project order; ``load`` reads a module in full.

        Args:
            root: the project root.
            entries: every module, loaded or not, in the order of a full scan.
            load: reads the module a reference stands for (may raise
                :class:`StaleModule`).
            diagnostics: the scan's diagnostics, as a full scan gives them.
            modules: every module, loaded (what :func:`dataclasses.replace` passes;
                instead of ``entries``).
            _by_qualname: ignored (a field of :class:`~docsync.models.Project`).
        """
        items = entries if modules is None else modules
        self._init(root, _Store(items, load or _loaded_already), diagnostics, None)

    def _init(
        self,
        root: str,
        store: _Store,
        diagnostics: tuple[Diagnostic, ...],
        checked: frozenset[str] | None,
    ) -> None:
        object.__setattr__(self, "root", root)
        object.__setattr__(self, "diagnostics", diagnostics)
        object.__setattr__(self, "_by_qualname", {})
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "_checked", checked)

    def scoped(self, checked: frozenset[str]) -> PartialProject:
        """The same project, whose :meth:`symbols` are those named in ``checked``.

        Args:
            checked: qualified names.

        Returns:
            A view sharing this project's loaded modules.
        """
        view = PartialProject.__new__(PartialProject)
        view._init(self.root, self._store, self.diagnostics, checked)
        return view

    def replaced(self, modules: Sequence[Module], *, hidden: frozenset[str]) -> PartialProject:
        """Another project: these modules in, those under ``hidden`` paths out, by path.

        Args:
            modules: modules to put in (replacing any of the same path).
            hidden: paths to leave out.

        Returns:
            A project of the rest of this one's modules (loaded or not) and
            ``modules``, sorted by path, without diagnostics.
        """
        store = self._store
        gone = hidden | {m.path for m in modules}
        kept = [store.entry(i) for i in range(len(store)) if store.entry(i).path not in gone]
        entries = sorted([*kept, *modules], key=lambda e: e.path)
        other = PartialProject(self.root, entries, store.loader)
        other._store.references = store.references
        return other

    def with_references(self, references: Callable[[], References | None]) -> PartialProject:
        """This project, with what its unloaded modules' docstrings mention (read when asked).

        Args:
            references: reads the reverse-reference index (``None``: there is none).

        Returns:
            This project.
        """
        self._store.references = functools.cache(references)
        return self

    def referrers(self, words: frozenset[str]) -> list[Module] | None:
        """The modules whose docstrings may mention one of ``words``, in project order.

        Every loaded module, and the unloaded ones whose indexed words meet ``words``.

        Args:
            words: bare names.

        Returns:
            The modules; ``None`` without a reverse-reference index.
        """
        references = self._store.references()
        if references is None:
            return None
        store = self._store
        found = []
        for index in range(len(store)):
            entry = store.entry(index)
            if isinstance(entry, ModuleRef):
                said = references.words.get(entry.path)
                if said is None or not said.isdisjoint(words):  # not indexed: read it
                    found.append(index)
            else:
                found.append(index)
        return list(store.modules(found))

    def defined_names(self) -> tuple[set[str], set[str]] | None:
        """Every module's and symbol's qualified name, and the members (methods, properties).

        What :meth:`docsync.scan.index.Namespace.of` reads of each module, without
        loading the modules the reverse-reference index describes.

        Returns:
            The names and the members; ``None`` without a reverse-reference index.
        """
        references = self._store.references()
        if references is None:
            return None
        names: set[str] = set()
        members: set[str] = set()
        store = self._store
        for index in range(len(store)):
            entry = store.entry(index)
            if isinstance(entry, ModuleRef) and entry.path in references.members:
                names.add(entry.module_name)
                names.update(entry.qualnames)
                members.update(references.members[entry.path])
                continue
            module = store.module(index)
            names.add(module.qualname)
            for symbol in module.symbols:
                names.add(symbol.qualname)
                if symbol.kind in _MEMBER_KINDS:
                    members.add(symbol.qualname)
        return names, members

    @property
    def modules(self) -> tuple[Module, ...]:
        """Every module, in project order (loads those not loaded yet)."""
        return tuple(self._store.modules(range(len(self._store))))

    @property
    def paths(self) -> tuple[str, ...]:
        """The path of every module, in project order, without loading any."""
        return tuple(self._store.entry(i).path for i in range(len(self._store)))

    @property
    def loaded(self) -> int:
        """How many modules are loaded (a measure for tests and benchmarks)."""
        store = self._store
        return sum(1 for i in range(len(store)) if isinstance(store.entry(i), Module))

    def symbols(self) -> tuple[Symbol, ...]:
        """The symbols in scope (every symbol without one), in module then source order."""
        if self._checked is None:
            return super().symbols()
        indices = sorted({i for q in self._checked for i in self._store.by_qualname.get(q, ())})
        return tuple(
            s
            for m in self._store.modules(indices)
            for s in m.symbols
            if s.qualname in self._checked
        )

    def get(self, qualname: str) -> Symbol | None:
        """The first symbol with this qualified name, as the whole project has it."""
        for module in self._store.modules(self._store.by_qualname.get(qualname, ())):
            for symbol in module.symbols:
                if symbol.qualname == qualname:
                    return symbol
        return None

    def module_at(self, path: str) -> Module | None:
        """The module of a root-relative path, if the project has one."""
        index = self._store.by_path.get(path)
        return None if index is None else self._store.module(index)

    def named(self, name: str) -> Iterator[Symbol]:
        """Every symbol whose bare name is ``name``, or that constructs a class of that name.

        In project order; a superset for lookups by bare name (classes, callables).
        """
        for module in self._store.modules(self._store.by_name.get(name, ())):
            for symbol in module.symbols:
                owner = _bare(symbol.qualname.rpartition(".")[0])
                if symbol.name == name or (symbol.name in CONSTRUCTORS and owner == name):
                    yield symbol

    def children(self, qualname: str) -> tuple[Symbol, ...]:
        """The symbols defined directly inside ``qualname``, in project order."""
        return tuple(
            s
            for m in self._store.modules(self._store.by_parent.get(qualname, ()))
            for s in m.symbols
            if s.qualname.rpartition(".")[0] == qualname
        )


def modules_at(project: Project, paths: Iterable[str]) -> dict[str, Module]:
    """The modules of some root-relative paths, loading no other module.

    Args:
        project: any project (a :class:`PartialProject` loads only these).
        paths: the paths wanted.

    Returns:
        Each path the project has a module at, with its module.
    """
    wanted = set(paths)
    if isinstance(project, PartialProject):
        found = ((p, project.module_at(p)) for p in sorted(wanted))
        return {p: m for p, m in found if m is not None}
    return {m.path: m for m in project.modules if m.path in wanted}


def module_paths(project: Project) -> tuple[str, ...]:
    """The path of every module of a project, in order, loading none.

    Args:
        project: any project.

    Returns:
        The paths.
    """
    if isinstance(project, PartialProject):
        return project.paths
    return tuple(m.path for m in project.modules)
