"""An index of a project's names: what ``pkg.X`` means, and whether it exists.

Docs name code the way users import it, and users import what packages
re-export: ``pkg.Client`` is often ``pkg._client.Client``.  :class:`SymbolIndex`
follows submodules, definitions, ``from .mod import X as Y`` re-exports, star
imports (honouring ``__all__``) and ``alias = other`` assignments, reading the
imports of a module from its source (with :mod:`ast`) only when a lookup needs
them.

A lookup has four outcomes (:class:`Status`).  Only :attr:`Status.MISSING` means
"the project does not have this": whenever Python could find the name by means
the index cannot see (a module ``__getattr__``, a star import from another
library, a base class from another library, an attribute of a value), the answer
is :attr:`Status.UNKNOWN`, so rules built on it stay quiet rather than guess.
"""

from __future__ import annotations

import ast
import difflib
import importlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath

from docsync.models import Module, Project, Symbol, SymbolKind
from docsync.paths import read_regular

__all__ = ["ModuleFacts", "Resolution", "Status", "SymbolIndex", "module_facts"]

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
_MAX_DEPTH = 12


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


@dataclass(frozen=True)
class ModuleFacts:
    """What a module's top level binds by import or alias, read from its source.

    ``imports`` maps a local name to the absolute dotted name it binds (imports,
    and ``alias = other.name`` assignments as ``module.other.name``); ``star``
    lists the modules imported with ``*``; ``all_names`` is ``__all__`` when it
    is a literal; ``dynamic`` is true when the module can grow names at run time
    (a module ``__getattr__``, ``globals()``), or its source could not be read.
    """

    imports: dict[str, str]
    star: tuple[str, ...] = ()
    all_names: frozenset[str] | None = None
    dynamic: bool = False


def module_facts(source: str, module: str, *, is_package: bool) -> ModuleFacts:
    """Read the imports, star imports, ``__all__`` and dynamism of a module.

    Args:
        source: The module's source.
        module: Its qualified name.
        is_package: Whether it is a package's ``__init__``.

    Returns:
        The facts; a module that does not parse is reported as dynamic.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return ModuleFacts({}, dynamic=True)
    package = module if is_package else module.rpartition(".")[0]
    imports: dict[str, str] = {}
    star: list[str] = []
    all_names: set[str] | None = None
    dynamic = "globals()" in source
    for node in _top_level(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                first = alias.name.partition(".")[0]
                imports[alias.asname or first] = alias.name if alias.asname else first
        elif isinstance(node, ast.ImportFrom):
            origin = _absolute(package, node.module, node.level)
            for alias in node.names:
                if alias.name == "*":
                    star.append(origin)
                else:
                    imports[alias.asname or alias.name] = f"{origin}.{alias.name}".lstrip(".")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            dynamic = dynamic or node.name == "__getattr__"
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            all_names = _all_names(node, all_names)
            imports.update(_aliases(node, module))
    frozen = frozenset(all_names) if all_names is not None else None
    return ModuleFacts(imports, tuple(star), frozen, dynamic)


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The module's statements, including those inside top-level if/try/with blocks."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.If, ast.Try, ast.With)):
            blocks = [stmt.body, getattr(stmt, "orelse", []), getattr(stmt, "finalbody", [])]
            blocks.extend(h.body for h in getattr(stmt, "handlers", []))
            for block in blocks:
                yield from _top_level(block)


def _absolute(package: str, name: str | None, level: int) -> str:
    if level == 0:
        return name or ""
    parts = package.split(".") if package else []
    base = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*base, *([name] if name else [])])


def _all_names(
    node: ast.Assign | ast.AnnAssign | ast.AugAssign, known: set[str] | None
) -> set[str] | None:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if not any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
        return known
    value = node.value
    if not isinstance(value, (ast.List, ast.Tuple)):
        return known
    names = {
        e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
    }
    return (known or set()) | names if isinstance(node, ast.AugAssign) else names


def _aliases(node: ast.Assign | ast.AnnAssign | ast.AugAssign, module: str) -> dict[str, str]:
    if not isinstance(node, ast.Assign) or node.value is None:
        return {}
    value = _dotted(node.value)
    if value is None:
        return {}
    return {t.id: f"{module}.{value}" for t in node.targets if isinstance(t, ast.Name)}


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


class SymbolIndex:
    """Looks up dotted names in one scanned project.

    Args:
        project: The scanned project.
        search_paths: Directories (relative to the project root) whose single-file
            modules count as the project's top-level modules; packages always count.
    """

    def __init__(self, project: Project, search_paths: Sequence[str] = (".", "src")) -> None:
        self.project = project
        self.root = Path(project.root)
        self._modules: dict[str, Module] = {m.qualname: m for m in project.modules}
        self._by_path = {m.path: m for m in project.modules}
        self._packages: set[str] = set()
        self._children: dict[str, set[str]] = defaultdict(set)
        self._by_name: dict[str, list[Symbol]] = defaultdict(list)
        self._overloaded: set[str] = set()
        self._facts: dict[str, ModuleFacts] = {}
        self._members: dict[str, frozenset[str] | None] = {}
        self._lines: dict[str, list[str]] = {}
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
            The resolution; see :class:`Status` for what each outcome means.
        """
        return self._lookup(dotted, 0)

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
        if parts[0] not in self._top or depth > _MAX_DEPTH:
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
            return _UNKNOWN
        if name not in members:
            return Resolution(Status.MISSING, cls.qualname, missing=name)
        for ancestor in self._ancestors(cls):
            inherited = self.project.get(f"{ancestor.qualname}.{name}")
            if inherited is not None:
                return Resolution(Status.FOUND, inherited.qualname, inherited)
        return _OPAQUE

    def _module_facts(self, module: str) -> ModuleFacts:
        if module in self._facts:
            return self._facts[module]
        scanned = self._modules.get(module)
        facts = ModuleFacts({})
        if scanned is not None:
            try:
                source = read_regular(self.root / scanned.path, root=self.root).decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                facts = ModuleFacts({}, dynamic=True)
            else:
                is_package = scanned.path.endswith("__init__.py")
                facts = module_facts(source, module, is_package=is_package)
        self._facts[module] = facts
        return facts

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
        return (directory / name).exists() or any(directory.glob(f"{name}.*"))

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
        if self._sets_attributes_dynamically(cls):
            return None
        names = set(cls.attributes) | self._children.get(cls.qualname, set())
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

    def _sets_attributes_dynamically(self, cls: Symbol) -> bool:
        """Whether the class body uses ``setattr`` or ``__dict__`` (names the scan cannot see)."""
        module = self.module_of(cls)
        if module is None:
            return True
        if module.path not in self._lines:
            try:
                text = read_regular(self.root / module.path, root=self.root).decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = "setattr("
            self._lines[module.path] = text.splitlines()
        body = "\n".join(self._lines[module.path][cls.location.line - 1 : cls.location.end_line])
        return any(marker in body for marker in ("setattr(", "__dict__", "globals()", "vars("))

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
        names |= set(self._module_facts(container).imports)
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
