"""An index of a project's names: what ``pkg.X`` means, and whether it exists.

Docs name code the way users import it, and users import what packages
re-export: ``pkg.Client`` is often ``pkg._client.Client``.  :class:`SymbolIndex`
follows submodules, definitions, ``from .mod import X as Y`` re-exports, star
imports (honouring ``__all__``) and ``alias = other`` assignments, from the
top-level bindings the scanner recorded for each module (no source is parsed
again).  :class:`Namespace` is the same names, flat, for comparing two revisions
(DS601); both read one import table (:func:`import_table`).

A lookup has four outcomes (:class:`Status`).  Only :attr:`Status.MISSING` means
"the project does not have this".  A module ``__getattr__`` serves the names its
source lists (:mod:`docsync.scan.lazy_names`) and no other; whenever Python could
find a name by means the index cannot see (a ``__getattr__`` that could not be read,
a star import or base class from another library, an attribute of a value), the
answer is :attr:`Status.UNKNOWN`, so rules built on it stay quiet rather than guess.
"""

from __future__ import annotations

import difflib
import importlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath

from docsync.models import Module, Project, Symbol, SymbolKind
from docsync.paths import path_exists
from docsync.scan.namespace import MAX_DEPTH as _MAX_DEPTH
from docsync.scan.namespace import ModuleFacts, Namespace, import_table, module_facts

__all__ = [
    "ModuleFacts",
    "Namespace",
    "Resolution",
    "Status",
    "SymbolIndex",
    "import_table",
    "module_facts",
]

# Single-file modules at the root that are tooling, not the project's API.
_TOOL_MODULES = frozenset(
    {"setup", "conftest", "noxfile", "tasks", "fabfile", "manage", "conf", "dodo", "hatch_build"}
)
_NEUTRAL_BASES = frozenset({"object", "Generic", "ABC", "Protocol"})
_NEUTRAL_METACLASSES = frozenset({"ABCMeta"})
# Class decorators that add no public attributes.
_PLAIN_CLASS_DECORATORS = frozenset(
    {"dataclass", "final", "total_ordering", "runtime_checkable", "unique", "define", "frozen"}
)
_STANDARD_ORIGINS = frozenset({"builtins", "enum", "typing", "collections", "abc"})
# Lookup steps one lookup may take: star imports branch (a module star-importing ten
# others that star-import each other would take 10**12 steps at the depth bound).
_MAX_STEPS = 2_000


class Status(str, Enum):
    """The outcome of looking a dotted name up."""

    FOUND = "found"  # the project has it
    MISSING = "missing"  # the project would have it, and does not
    UNKNOWN = "unknown"  # cannot be told without running code
    EXTERNAL = "external"  # not a name of the project


@dataclass(frozen=True)
class Resolution:
    """What a dotted name leads to.

    For :attr:`Status.FOUND`, ``qualname`` is the canonical name (``None`` when the
    name exists but is a value the index cannot follow, e.g. a module constant)
    and ``symbol`` the scanned symbol, if any.  For :attr:`Status.MISSING`,
    ``qualname`` is the deepest container that exists and ``missing`` the first
    component it lacks.
    """

    status: Status
    qualname: str | None = None
    symbol: Symbol | None = None
    missing: str | None = None


_EXTERNAL = Resolution(Status.EXTERNAL)
_UNKNOWN = Resolution(Status.UNKNOWN)
_OPAQUE = Resolution(Status.FOUND)


class SymbolIndex:
    """Looks up dotted names in one scanned project.

    Args:
        project: The scanned project.
        search_paths: Directories (relative to the project root) whose single-file
            modules count as the project's top-level modules; packages always count.
        gone: Names a change removed, renamed or moved (base mode): a member of a project
            class among them is missing whatever the class's bases (it no longer defines it).
    """

    def __init__(
        self, project: Project, search_paths: Sequence[str] = (".", "src"), gone: Iterable[str] = ()
    ) -> None:
        self.project = project
        self._gone = frozenset(gone)
        self.root = Path(project.root)
        self._modules: dict[str, Module] = {m.qualname: m for m in project.modules}
        self._by_path = {m.path: m for m in project.modules}
        self._packages: set[str] = set()
        self._children: dict[str, set[str]] = defaultdict(set)
        self._by_name: dict[str, list[Symbol]] = defaultdict(list)
        self._overloaded: set[str] = set()
        self._facts: dict[str, ModuleFacts] = {}
        self._members: dict[str, frozenset[str] | None] = {}
        self._resolved: dict[str, Resolution] = {}
        self._steps = 0
        self._nesting = 0
        self._top = self._top_level_names(search_paths)
        for module in project.modules:
            parts = module.qualname.split(".")
            for cut in range(1, len(parts)):
                self._packages.add(".".join(parts[:cut]))
                self._children[".".join(parts[:cut])].add(parts[cut])
            if module.path.endswith("__init__.py"):
                self._packages.add(module.qualname)
            for symbol in module.symbols:
                parent, _, name = symbol.qualname.rpartition(".")
                if symbol.kind is not SymbolKind.MODULE:
                    self._children[parent].add(name)
                    self._by_name[name].append(symbol)
                if symbol.has_decorator("overload"):
                    self._overloaded.add(symbol.qualname)

    @classmethod
    def from_project(
        cls, project: Project, search_paths: Sequence[str] = (".", "src")
    ) -> SymbolIndex:
        """Index a scanned project.

        Args:
            project: The scanned project.
            search_paths: Directories whose single-file modules are top-level modules.

        Returns:
            The index.
        """
        return cls(project, search_paths)

    def _top_level_names(self, search_paths: Sequence[str]) -> frozenset[str]:
        roots = {PurePosixPath(p).as_posix() for p in search_paths}
        names = set()
        for module in self.project.modules:
            first = module.qualname.partition(".")[0]
            package = "." in module.qualname or module.path.endswith("__init__.py")
            beside = str(PurePosixPath(module.path).parent) in roots
            if package or (beside and first not in _TOOL_MODULES):
                names.add(first)
        return frozenset(names)

    # --- queries ------------------------------------------------------------------------

    @property
    def top_level_names(self) -> frozenset[str]:
        """The project's top-level packages and modules."""
        return self._top

    def is_project_name(self, dotted: str) -> bool:
        """Whether the first component of ``dotted`` is a top-level package or module.

        Args:
            dotted: A dotted name, e.g. ``pkg.mod.func``.

        Returns:
            True when the project defines that top-level name.
        """
        return dotted.partition(".")[0] in self._top

    def resolve(self, dotted: str) -> Symbol | None:
        """The scanned symbol ``dotted`` names, following re-exports and aliases.

        Args:
            dotted: A dotted name as users write it, e.g. ``pkg.Client.get``.

        Returns:
            The symbol, or ``None`` when the name is not a project symbol.
        """
        return self.lookup(dotted).symbol

    def lookup(self, dotted: str) -> Resolution:
        """Follow ``dotted`` through the project.

        Args:
            dotted: A dotted name.

        Returns:
            The resolution; see :class:`Status` for what each outcome means.  A
            lookup that would take more than a bounded number of steps (star
            imports that star-import each other) is :attr:`Status.UNKNOWN`.
        """
        if dotted not in self._resolved:
            if not self._nesting:  # a lookup inside a lookup (a base class) shares its budget
                self._steps = 0
            self._nesting += 1
            try:
                self._resolved[dotted] = self._lookup(dotted, 0)
            finally:
                self._nesting -= 1
        return self._resolved[dotted]

    def find_by_short_name(self, name: str) -> tuple[Symbol, ...]:
        """Every function, class, method or property called ``name``.

        Args:
            name: A bare name.

        Returns:
            The symbols, in scan order.
        """
        return tuple(self._by_name.get(name, ()))

    def is_overloaded(self, qualname: str) -> bool:
        """Whether ``qualname`` has ``@overload`` variants (its signature is not one).

        Args:
            qualname: A symbol's qualified name.

        Returns:
            True when any definition of that name is decorated with ``overload``.
        """
        return qualname in self._overloaded

    def suggest(self, dotted: str) -> str | None:
        """A close existing name for a missing ``dotted`` (a likely rename), if any.

        Args:
            dotted: A name whose lookup is :attr:`Status.MISSING`.

        Returns:
            A sibling with a very similar name, else the one symbol elsewhere with the
            same last name (a move), else ``None``.
        """
        found = self.lookup(dotted)
        if found.status is not Status.MISSING or found.qualname is None or not found.missing:
            return None
        close = difflib.get_close_matches(
            found.missing, sorted(self._names_in(found.qualname)), n=1, cutoff=0.85
        )
        if close and close[0].lower() == found.missing.lower():
            close = []  # a case-only match is another kind of thing (module vs class)
        if close:
            written = dotted.split(".")
            index = written.index(found.missing) if found.missing in written else len(written) - 1
            candidate = ".".join([*written[:index], close[0]])
            if self.lookup(candidate).status is Status.FOUND:
                return candidate
            return f"{found.qualname}.{close[0]}"
        moved = [s for s in self.find_by_short_name(found.missing) if self._is_public_path(s)]
        return moved[0].qualname if len(moved) == 1 else None

    def members(self, cls: Symbol) -> frozenset[str] | None:
        """Every attribute name a class is known to have, inherited ones included.

        Args:
            cls: A class symbol.

        Returns:
            The names, or ``None`` when they cannot be known: a base class from
            outside the project, a metaclass, a decorator that may add attributes,
            or ``__getattr__``.
        """
        if cls.qualname in self._members:
            return self._members[cls.qualname]
        self._members[cls.qualname] = None  # a cycle of bases stays unknown
        names = self._collect_members(cls)
        if names is not None and ({"__getattr__", "__getattribute__"} & names):
            names = None
        self._members[cls.qualname] = names
        return names

    def module_of(self, symbol: Symbol) -> Module | None:
        """The module that defines ``symbol``.

        Args:
            symbol: Any scanned symbol.

        Returns:
            The module, or ``None`` if the symbol's file was not scanned.
        """
        return self._by_path.get(symbol.location.path)

    # --- lookup internals ---------------------------------------------------------------

    def _lookup(self, dotted: str, depth: int) -> Resolution:
        parts = dotted.split(".")
        self._steps += 1
        if parts[0] not in self._top or depth > _MAX_DEPTH or self._steps > _MAX_STEPS:
            return _EXTERNAL if parts[0] not in self._top else _UNKNOWN
        current = parts[0]
        for position, name in enumerate(parts[1:], start=2):
            step = self._step(current, name, depth)
            if step.status is not Status.FOUND:
                return step
            if step.qualname is None:
                return step if position == len(parts) else _UNKNOWN
            current = step.qualname
        return Resolution(Status.FOUND, current, self.project.get(current))

    def _step(self, current: str, name: str, depth: int) -> Resolution:
        if current in self._modules or current in self._packages:
            return self._module_step(current, name, depth)
        symbol = self.project.get(current)
        if symbol is None or symbol.kind is not SymbolKind.CLASS:
            return _UNKNOWN  # an attribute of a function's result or of a value
        return self._class_step(symbol, name)

    def _module_step(self, module: str, name: str, depth: int) -> Resolution:
        qualname = f"{module}.{name}"
        if qualname in self._modules or qualname in self._packages:
            return Resolution(Status.FOUND, qualname, self.project.get(qualname))
        symbol = self.project.get(qualname)
        if symbol is not None:
            return Resolution(Status.FOUND, qualname, symbol)
        facts = self._module_facts(module)
        if name in facts.imports:
            return self._follow(facts.imports[name], depth)
        scanned = self._modules.get(module)
        module_symbol = self.project.get(module) if scanned is not None else None
        if module_symbol is not None and name in module_symbol.attributes:
            return _OPAQUE
        if name in facts.lazy:
            return _OPAQUE  # served by the module's `__getattr__`
        for origin in facts.star:
            found = self._star_step(origin, name, depth)
            if found is not None:
                return found
        if facts.dynamic or self._on_disk(module, name):
            return _UNKNOWN
        return Resolution(Status.MISSING, module, missing=name)

    def _follow(self, target: str, depth: int) -> Resolution:
        found = self._lookup(target, depth + 1)
        if found.status is Status.FOUND:
            return found
        return _OPAQUE if found.status is Status.EXTERNAL else _UNKNOWN

    def _star_step(self, origin: str, name: str, depth: int) -> Resolution | None:
        if not self.is_project_name(origin):
            return _UNKNOWN
        facts = self._module_facts(origin)
        if facts.all_names is not None and name not in facts.all_names:
            return None
        if name.startswith("_") and facts.all_names is None:
            return None
        found = self._lookup(f"{origin}.{name}", depth + 1)
        return None if found.status is Status.MISSING else found

    def _class_step(self, cls: Symbol, name: str) -> Resolution:
        qualname = f"{cls.qualname}.{name}"
        symbol = self.project.get(qualname)
        if symbol is not None:
            return Resolution(Status.FOUND, qualname, symbol)
        if name in cls.attributes:
            return _OPAQUE
        if name.startswith("__") and name.endswith("__"):
            return _UNKNOWN
        members = self.members(cls)
        if members is None:
            gone = qualname in self._gone and not any(  # not moved up into a project base
                self.project.get(f"{a.qualname}.{name}") or name in a.attributes
                for a in self._ancestors(cls)
            )
            return Resolution(Status.MISSING, cls.qualname, missing=name) if gone else _UNKNOWN
        if name not in members:
            return Resolution(Status.MISSING, cls.qualname, missing=name)
        for ancestor in self._ancestors(cls):
            inherited = self.project.get(f"{ancestor.qualname}.{name}")
            if inherited is not None:
                return Resolution(Status.FOUND, inherited.qualname, inherited)
        return _OPAQUE

    def _module_facts(self, module: str) -> ModuleFacts:
        if module not in self._facts:
            scanned = self._modules.get(module)
            self._facts[module] = module_facts(scanned) if scanned else ModuleFacts({})
        return self._facts[module]

    def _on_disk(self, module: str, name: str) -> bool:
        """Whether the package may define ``name`` in files the scan did not read.

        That is a file or directory called ``name`` in the package, or an
        ``__init__.py`` that was left out of the scan (a partial scan).
        """
        directory = self._package_directory(module)
        if directory is None or not directory.is_dir():
            return False
        if module not in self._modules and (directory / "__init__.py").exists():
            return True
        if not name.isidentifier():
            return path_exists(directory / name)
        return path_exists(directory / name) or any(directory.glob(f"{name}.*"))

    def _package_directory(self, package: str) -> Path | None:
        init = self._modules.get(package)
        if init is not None:
            path = PurePosixPath(init.path)
            return self.root / path.parent if path.name == "__init__.py" else None
        for qualname, module in self._modules.items():
            if qualname.startswith(package + "."):
                depth = qualname.count(".") - package.count(".")
                path = PurePosixPath(module.path)
                steps = depth - 1 + (path.name == "__init__.py")
                parents = path.parents
                return self.root / parents[steps] if steps < len(parents) else None
        return None

    # --- classes ------------------------------------------------------------------------

    def _collect_members(self, cls: Symbol) -> frozenset[str] | None:
        if any(d.rpartition(".")[2] not in _PLAIN_CLASS_DECORATORS for d in cls.decorators):
            return None
        if cls.dynamic_attributes or self.module_of(cls) is None:
            return None
        inherited = self.inherited_members(cls)
        if inherited is None:
            return None
        return frozenset(set(cls.attributes) | self._children.get(cls.qualname, set()) | inherited)

    def inherited_members(self, cls: Symbol) -> frozenset[str] | None:
        """Every attribute name a class inherits from its bases (not its own).

        Args:
            cls: A class symbol.

        Returns:
            The names (empty for a class without bases), or ``None`` when they cannot
            be known: a base class from outside the project, or a metaclass.
        """
        names: set[str] = set()
        for base in cls.bases:
            text = "".join(base.split())
            if "=" in text:
                key, _, value = text.partition("=")
                if key != "metaclass" or value.rpartition(".")[2] not in _NEUTRAL_METACLASSES:
                    return None
                continue
            bare = text.partition("[")[0]
            if bare.rpartition(".")[2] in _NEUTRAL_BASES:
                continue
            parent = self._resolve_base(bare, cls)
            inherited = self.members(parent) if parent else self._standard_members(bare, cls)
            if inherited is None:
                return None
            names |= inherited
        return frozenset(names)

    def _standard_members(self, base: str, cls: Symbol) -> frozenset[str] | None:
        """The attributes of a builtin, :mod:`enum` or :mod:`typing` base (``Exception``)."""
        origin, _, name = base.rpartition(".")
        module = self.module_of(cls)
        if not origin and module is not None:
            imported = self._module_facts(module.qualname).imports.get(name, f"builtins.{name}")
            origin = imported.rpartition(".")[0]
        if origin not in _STANDARD_ORIGINS:
            return None
        value = getattr(importlib.import_module(origin), name, None)
        if not isinstance(value, type):
            return None
        return frozenset(dir(value)) - {"__getattr__", "__getattribute__"}  # the defaults

    def _resolve_base(self, base: str, cls: Symbol) -> Symbol | None:
        module = self.module_of(cls)
        if module is None:
            return None
        scope = cls.qualname.rpartition(".")[0]
        for candidate in (f"{scope}.{base}", f"{module.qualname}.{base}"):
            symbol = self.project.get(candidate)
            if symbol is not None and symbol.kind is SymbolKind.CLASS:
                return symbol
        first, _, rest = base.partition(".")
        target = self._module_facts(module.qualname).imports.get(first)
        if target is None:
            return None
        found = self.lookup(f"{target}.{rest}" if rest else target)
        symbol = found.symbol
        return symbol if symbol is not None and symbol.kind is SymbolKind.CLASS else None

    def _ancestors(self, cls: Symbol) -> Iterator[Symbol]:
        seen = {cls.qualname}
        queue = [cls]
        while queue:
            current = queue.pop(0)
            for base in current.bases:
                parent = self._resolve_base("".join(base.split()).partition("[")[0], current)
                if parent is not None and parent.qualname not in seen:
                    seen.add(parent.qualname)
                    queue.append(parent)
                    yield parent

    # --- suggestions --------------------------------------------------------------------

    def _names_in(self, container: str) -> set[str]:
        symbol = self.project.get(container)
        if symbol is not None and symbol.kind is SymbolKind.CLASS:
            return set(self.members(symbol) or ()) | set(symbol.attributes)
        names = set(self._children.get(container, set()))
        facts = self._module_facts(container)
        names |= set(facts.imports) | facts.lazy
        if symbol is not None:
            names |= set(symbol.attributes)
        return {n for n in names if not n.startswith("_")}

    def _is_public_path(self, symbol: Symbol) -> bool:
        parent = self.project.get(symbol.qualname.rpartition(".")[0])
        in_module_or_class = parent is not None and parent.kind in (
            SymbolKind.MODULE,
            SymbolKind.CLASS,
        )
        return in_module_or_class and self.is_project_name(symbol.qualname)
