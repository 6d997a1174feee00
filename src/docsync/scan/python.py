"""Read-only scan of Python source into :class:`~docsync.models.Module` values.

One :func:`ast.parse` per file and one pass over its statements: expressions are
only visited to fingerprint bodies and, for functions whose lines mention
``yield``, to find generator expressions of their own.  Never raises for bad
input; problems become :class:`~docsync.models.Diagnostic` values.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import hashlib
import inspect
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

from docsync.models import (
    Diagnostic,
    Docstring,
    Location,
    Module,
    Severity,
    Signature,
    Style,
    Symbol,
    SymbolKind,
)
from docsync.scan.docstrings import parse_docstring
from docsync.scan.files import decode_source
from docsync.scan.pyast import (
    BindingRecorder,
    BodyFingerprinter,
    DefNode,
    FunctionNode,
    constant_value,
    constructor_signature,
    decorator_text,
    docstring_node,
    dotted_name,
    function_signature,
    source_text,
)
from docsync.scan.runtime_docs import doc_assigned
from docsync.scan.source_text import (
    DYNAMIC_ATTRIBUTE_MARKERS,
    any_line_within,
    ignore_comments,
    lines_containing,
)

_FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPE_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_SCOPE_CLASSES = frozenset(_SCOPE_TYPES)
# The fields of each node class that may hold nodes (``ctx`` holds only Load/Store/Del).
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f for f in cls._fields if f not in ("ctx", "type_comment", "kind"))
    for cls in vars(ast).values()
    if isinstance(cls, type) and issubclass(cls, ast.AST)
}
_TRY_TYPES: tuple[type[ast.stmt], ...] = tuple(
    t for t in (ast.Try, getattr(ast, "TryStar", None)) if t is not None
)
_PROPERTY_DECORATORS = frozenset({"property", "cached_property", "abstractproperty"})
_ACCESSOR_DECORATORS = frozenset({"setter", "getter", "deleter"})
_PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"


@dataclass(frozen=True)
class ScanResult:
    """The outcome of scanning one file: a module (``None`` if unscannable) and diagnostics."""

    module: Module | None
    diagnostics: tuple[Diagnostic, ...]


def scan_source(
    source: bytes, path: str, module_name: str, *, default_style: Style | None = None
) -> ScanResult:
    """Scan the bytes of one Python file.

    Args:
        source: The file's content, in the encoding its PEP 263 cookie or BOM declares.
        path: The repo-relative POSIX path stored in every location.
        module_name: The dotted import path of the module (see :func:`module_name_for`).
        default_style: The docstring style to assume when a docstring does not show one.

    Returns:
        The module with its symbols in source order, or ``None`` and a diagnostic when
        the file cannot be decoded or parsed.  Never raises for bad input.
    """
    text = decode_source(source, path)
    if isinstance(text, Diagnostic):
        return ScanResult(None, (text,))
    content_hash = hashlib.sha256(source).hexdigest()
    if not text.strip():
        empty = Module(path, module_name, (), content_hash)
        return ScanResult(empty, (Diagnostic(path, 1, "empty file", Severity.INFO),))
    if "\r" in text:  # the parser reads \r\n and \r as \n; line lookups must agree
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    with _gc_paused():
        return _scan_text(text, path, module_name, content_hash, default_style)


def _scan_text(
    text: str, path: str, module_name: str, content_hash: str, style: Style | None
) -> ScanResult:
    """Parse and scan decoded, non-empty source (see :func:`scan_source`)."""
    tree = _parse(text, path)
    if isinstance(tree, Diagnostic):
        return ScanResult(None, (tree,))
    scanner = _Scanner(text, path, module_name, style)
    try:
        symbols = scanner.scan(tree)
    except RecursionError:
        message = "cannot scan: code nested too deeply (split the expression or the file)"
        return ScanResult(None, (Diagnostic(path, 1, message),))
    except Exception as exc:  # one odd file must not end the run; say what broke
        message = f"cannot scan: {type(exc).__name__}: {exc} (a docsync bug; please report it)"
        return ScanResult(None, (Diagnostic(path, 1, message),))
    module = Module(path, module_name, symbols, content_hash, scanner.names.bindings())
    return ScanResult(module, tuple(scanner.diagnostics))


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold the cycle collector off while one file is scanned.

    A syntax tree holds no reference cycles (refcounting frees it), but its
    thousands of nodes trigger collections that also traverse every symbol kept
    from earlier files; on a large project that doubles the scan time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def module_name_for(path: Path, root: Path) -> str:
    """The dotted import path of a file, from the ``__init__.py`` files around it.

    Walks up from the file while the directory holds an ``__init__.py``, without
    leaving ``root``: ``src/pkg/sub/mod.py`` gives ``pkg.sub.mod``,
    ``pkg/__init__.py`` gives ``pkg``, a file beside no ``__init__.py`` its stem.

    Args:
        path: The Python file.
        root: The project root; no directory above it is considered part of a package.

    Returns:
        The dotted module name.
    """
    path = Path(os.path.normpath(path.absolute()))
    parts = [] if path.name == "__init__.py" else [path.stem]
    directory = path.parent
    root_parent = Path(os.path.normpath(root.absolute())).parent
    while directory != root_parent and (directory / "__init__.py").is_file():
        parts.append(directory.name)
        if directory.parent == directory:
            break
        directory = directory.parent
    return ".".join(reversed(parts)) or path.stem


def _parse(text: str, path: str) -> ast.Module | Diagnostic:
    """The module's AST, or a diagnostic with the line of the syntax error."""
    null = text.find("\0")
    if null >= 0:
        line = text.count("\n", 0, null) + 1
        return Diagnostic(path, line, "cannot parse: the file contains a null byte")
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as exc:
        message = f"cannot parse: {exc.msg} (parsed as Python {_PYTHON})"
        return Diagnostic(path, exc.lineno or 1, message)
    except (RecursionError, MemoryError, ValueError) as exc:
        return Diagnostic(path, 1, f"cannot parse: {type(exc).__name__}: {exc}")


@dataclass
class _Scope:
    """What a module or class body defines, gathered while its statements are walked."""

    is_class: bool
    names: list[str] = field(default_factory=list)
    assigns: list[ast.Assign | ast.AnnAssign] = field(default_factory=list)
    methods: dict[str, FunctionNode] = field(default_factory=dict)


@dataclass
class _Facts:
    """What a function's own body does (nested scopes excluded)."""

    raises: list[str] = field(default_factory=list)
    raises_unknown: bool = False
    returns_value: bool = False


class _Scanner:
    """Turns one parsed module into symbols, in source order."""

    def __init__(self, text: str, path: str, module_name: str, style: Style | None) -> None:
        self.path = path
        self.module_name = module_name
        self.style = style
        self.diagnostics: list[Diagnostic] = []
        self._text = text
        self._symbols: list[Symbol | None] = []
        self._fingerprints = BodyFingerprinter()
        self._ignores = ignore_comments(text)
        self._yield_lines = lines_containing(text, "yield")
        self._dynamic_lines = lines_containing(text, *DYNAMIC_ATTRIBUTE_MARKERS)
        package = path.endswith("__init__.py")
        self.names = BindingRecorder(module_name, is_package=package, dynamic="globals()" in text)
        self._runtime_docs: set[str] = set()

    def scan(self, tree: ast.Module) -> tuple[Symbol, ...]:
        """Every symbol of the module, the module itself first."""
        self._symbols.append(None)
        scope = _Scope(is_class=False)
        self._walk_scope(tree.body, self.module_name, scope)
        end = self._text.count("\n") + (not self._text.endswith("\n"))
        self._symbols[0] = Symbol(
            qualname=self.module_name,
            kind=SymbolKind.MODULE,
            location=Location(self.path, 1, end, 0),
            docstring=self._docstring(tree, self.module_name),
            attributes=tuple(dict.fromkeys(scope.names)),
            body_fingerprint=self._fingerprints.of_body(tree),
        )
        found = (s for s in self._symbols if s is not None)
        if not self._runtime_docs:
            return tuple(found)
        return tuple(
            replace(s, runtime_doc=True) if s.qualname in self._runtime_docs else s for s in found
        )

    def _walk_scope(self, stmts: list[ast.stmt], qualname: str, scope: _Scope) -> None:
        """Record the names a module or class body binds, and scan its definitions."""
        for stmt in stmts:
            if not scope.is_class:
                self.names.record(stmt)
            if isinstance(stmt, _FUNCTION_TYPES):
                scope.names.append(stmt.name)
                if scope.is_class and not _has_decorator(stmt, {"overload"}):
                    scope.methods[stmt.name] = stmt
                self._function(stmt, qualname, scope if scope.is_class else None)
            elif isinstance(stmt, ast.ClassDef):
                scope.names.append(stmt.name)
                self._class(stmt, qualname)
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for target in targets:
                    scope.names.extend(_bound_names(target))
                    documented = doc_assigned(target, stmt.value)
                    if documented is not None:
                        self._runtime_docs.add(f"{qualname}.{documented}")
                if not isinstance(stmt, ast.AugAssign):
                    scope.assigns.append(stmt)
                    scope.names.extend(_slot_names(stmt))
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                scope.names.extend(_imported_names(stmt))
            else:
                for block, _ in _child_blocks(stmt):
                    self._walk_scope(block, qualname, scope)

    def _function(self, node: FunctionNode, prefix: str, owner: _Scope | None) -> None:
        """Scan a function or method, then the definitions nested in it."""
        qualname = f"{prefix}.{node.name}"
        decorators = tuple(decorator_text(d) for d in node.decorator_list)
        last_parts = {d.rpartition(".")[2] for d in decorators}
        kind = SymbolKind.FUNCTION
        drop_first = False
        if owner is not None:
            kind = SymbolKind.PROPERTY if last_parts & _PROPERTY_DECORATORS else SymbolKind.METHOD
            drop_first = "staticmethod" not in last_parts
        slot = len(self._symbols)
        self._symbols.append(None)
        positional = [*node.args.posonlyargs, *node.args.args]
        self_name = positional[0].arg if drop_first and positional else None
        facts = _Facts()
        self._walk_function(node.body, qualname, facts, (), self_name, owner)
        if owner is not None and any(
            isinstance(d, ast.Attribute) and d.attr in _ACCESSOR_DECORATORS
            for d in node.decorator_list
        ):
            return  # `@x.setter` and friends belong to the property `x`
        signature = function_signature(node, drop_first=drop_first)
        signature = Signature(
            params=signature.params,
            returns=signature.returns,
            implicit=signature.implicit,
            is_generator=self._is_generator(node),
            is_async=isinstance(node, ast.AsyncFunctionDef),
            returns_value=facts.returns_value,
        )
        self._symbols[slot] = self._symbol(
            node,
            qualname,
            kind,
            signature=signature,
            decorators=decorators,
            raises=tuple(dict.fromkeys(facts.raises)),
            raises_unknown=facts.raises_unknown,
            uses=_own_uses(node),
        )

    def _class(self, node: ast.ClassDef, prefix: str) -> None:
        """Scan a class, its methods and nested classes."""
        qualname = f"{prefix}.{node.name}"
        slot = len(self._symbols)
        self._symbols.append(None)
        scope = _Scope(is_class=True)
        self._walk_scope(node.body, qualname, scope)
        self._symbols[slot] = self._symbol(
            node,
            qualname,
            SymbolKind.CLASS,
            signature=constructor_signature(node, scope.methods, scope.assigns),
            decorators=tuple(decorator_text(d) for d in node.decorator_list),
            bases=tuple(source_text(b) for b in node.bases),
            attributes=tuple(dict.fromkeys(scope.names)),
            dynamic_attributes=any_line_within(
                self._dynamic_lines, node.lineno, node.end_lineno or node.lineno
            ),
        )

    def _symbol(
        self,
        node: DefNode,
        qualname: str,
        kind: SymbolKind,
        *,
        signature: Signature | None,
        decorators: tuple[str, ...],
        raises: tuple[str, ...] = (),
        raises_unknown: bool = False,
        bases: tuple[str, ...] = (),
        attributes: tuple[str, ...] = (),
        dynamic_attributes: bool = False,
        uses: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
    ) -> Symbol:
        """The symbol for a ``def``/``class`` node, with the parts every definition shares."""
        has_doc = docstring_node(node) is not None
        return Symbol(
            qualname=qualname,
            kind=kind,
            location=Location(
                self.path, node.lineno, node.end_lineno or node.lineno, node.col_offset
            ),
            docstring=self._docstring(node, qualname),
            signature=signature,
            decorators=decorators,
            raises=raises,
            raises_unknown=raises_unknown,
            is_stub=_is_stub(node.body[1:] if has_doc else node.body),
            bases=bases,
            attributes=attributes,
            dynamic_attributes=dynamic_attributes,
            body_fingerprint=self._fingerprints.of_body(node),
            suppressed=self._suppressed(node),
            calls=uses[0],
            reads=uses[1],
        )

    def _walk_function(
        self,
        stmts: list[ast.stmt],
        qualname: str,
        facts: _Facts,
        handlers: tuple[ast.ExceptHandler, ...],
        self_name: str | None,
        owner: _Scope | None,
    ) -> None:
        """Gather the facts of a function's own statements; scan nested definitions."""
        for stmt in stmts:
            if isinstance(stmt, ast.Return):
                value = stmt.value
                if value is not None and not (
                    isinstance(value, ast.Constant) and value.value is None
                ):
                    facts.returns_value = True
            elif isinstance(stmt, ast.Raise):
                names = _raised_names(stmt, handlers)
                if names is None:
                    facts.raises_unknown = True
                else:
                    facts.raises.extend(names)
            elif isinstance(stmt, ast.Assert):
                facts.raises.append("AssertionError")
            elif isinstance(stmt, _FUNCTION_TYPES):
                self._function(stmt, qualname, None)
            elif isinstance(stmt, ast.ClassDef):
                self._class(stmt, qualname)
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                if self_name is not None and owner is not None:
                    owner.names.extend(_self_attributes(stmt, self_name))
            else:
                for block, handler in _child_blocks(stmt):
                    inner = handlers if handler is None else (*handlers, handler)
                    self._walk_function(block, qualname, facts, inner, self_name, owner)

    def _is_generator(self, node: FunctionNode) -> bool:
        """Whether ``yield`` or ``yield from`` occurs in the function's own body."""
        if not any_line_within(self._yield_lines, node.lineno, node.end_lineno or node.lineno):
            return False  # no line of the function even mentions "yield"
        stack: list[ast.AST] = list(node.body)
        while stack:
            current = stack.pop()
            if isinstance(current, (ast.Yield, ast.YieldFrom)):
                return True
            if not isinstance(current, _SCOPE_TYPES):
                stack.extend(ast.iter_child_nodes(current))
        return False

    def _docstring(self, node: ast.Module | DefNode, qualname: str) -> Docstring | None:
        """The parsed docstring of a module, class or function, if it has one."""
        literal = docstring_node(node)
        if literal is None:
            return None
        raw = cast(str, literal.value)
        end = literal.end_lineno or literal.lineno
        location = Location(self.path, literal.lineno, end, literal.col_offset)
        try:
            return parse_docstring(raw, location, self.style)
        except Exception as exc:  # a parser bug must not cost the whole file
            message = f"docstring of {qualname} not understood ({type(exc).__name__}: {exc})"
            self.diagnostics.append(Diagnostic(self.path, literal.lineno, message))
            return Docstring(inspect.cleandoc(raw), Style.PLAIN, (), location)

    def _suppressed(self, node: DefNode) -> frozenset[str]:
        """Rule codes from ``# docsync: ignore[...]`` between the def line and the body."""
        if not self._ignores:
            return frozenset()
        last = max(node.lineno, node.body[0].lineno - 1)
        codes: set[str] = set()
        for line in range(node.lineno, last + 1):
            codes.update(self._ignores.get(line, ()))
        return frozenset(codes)


def _own_uses(node: FunctionNode) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The function's own callees and attribute reads, as last name components, in order.

    The callees are ``f`` of ``f()`` and ``meth`` of ``x.meth()``; the reads are the
    attributes of every ``x.attr`` that is read (the callee of ``x.meth()`` too).
    The walk visits nodes in :func:`ast.iter_child_nodes` order, without its
    generators: this runs over every node of every function body, a sixth of a scan.
    """
    found: dict[str, None] = {}
    reads: dict[str, None] = {}
    stack: list[ast.AST] = list(node.body)
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        current = pop()
        cls = current.__class__
        if cls is ast.Call:
            func = current.func  # type: ignore[attr-defined]
            if func.__class__ is ast.Name:
                found[func.id] = None
            elif func.__class__ is ast.Attribute:
                found[func.attr] = None
        elif cls is ast.Attribute:
            if current.ctx.__class__ is ast.Load:  # type: ignore[attr-defined]
                reads[current.attr] = None  # type: ignore[attr-defined]
        elif cls in _SCOPE_CLASSES:
            continue
        for name in _CHILD_FIELDS.get(cls) or cls._fields:
            value = getattr(current, name, None)
            if value.__class__ is list:
                extend([item for item in value if isinstance(item, ast.AST)])
            elif isinstance(value, ast.AST):
                push(value)
    return tuple(found), tuple(reads)


def _child_blocks(stmt: ast.stmt) -> list[tuple[list[ast.stmt], ast.ExceptHandler | None]]:
    """The statement lists inside a compound statement that opens no new scope.

    Each comes with the ``except`` clause it is the body of, if it is one.
    """
    if isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While)):
        return [(stmt.body, None), (stmt.orelse, None)]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [(stmt.body, None)]
    if isinstance(stmt, _TRY_TYPES):
        node = cast(ast.Try, stmt)  # ast.TryStar (3.11+) has the same fields
        handlers = [(h.body, h) for h in node.handlers]
        return [(node.body, None), *handlers, (node.orelse, None), (node.finalbody, None)]
    if isinstance(stmt, ast.Match):
        return [(case.body, None) for case in stmt.cases]
    return []


def _bound_names(target: ast.expr) -> Iterator[str]:
    """The plain names an assignment target binds (``a``, ``a, (b, *c)``)."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _bound_names(element)
    elif isinstance(target, ast.Starred):
        yield from _bound_names(target.value)


def _self_attributes(
    stmt: ast.Assign | ast.AnnAssign | ast.AugAssign, self_name: str
) -> Iterator[str]:
    """The ``self.X`` attributes an assignment in a method sets."""
    stack: list[ast.expr] = list(stmt.targets) if isinstance(stmt, ast.Assign) else [stmt.target]
    while stack:
        target = stack.pop(0)
        if isinstance(target, ast.Attribute):
            if isinstance(target.value, ast.Name) and target.value.id == self_name:
                yield target.attr
        elif isinstance(target, (ast.Tuple, ast.List)):
            stack[:0] = target.elts
        elif isinstance(target, ast.Starred):
            stack.insert(0, target.value)


def _slot_names(stmt: ast.Assign | ast.AnnAssign) -> list[str]:
    """The string entries of a ``__slots__ = ...`` assignment (else nothing)."""
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    if not any(isinstance(t, ast.Name) and t.id == "__slots__" for t in targets):
        return []
    value = stmt.value
    if isinstance(value, ast.Dict):
        items: list[ast.expr | None] = list(value.keys)
    elif isinstance(value, (ast.Tuple, ast.List, ast.Set)):
        items = list(value.elts)
    else:
        items = [value]
    return [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]


def _imported_names(stmt: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The names an import binds: ``import a.b`` binds ``a``; ``*`` binds none we know."""
    for alias in stmt.names:
        if alias.asname:
            yield alias.asname
        elif alias.name != "*":
            yield alias.name.partition(".")[0]


def _has_decorator(node: DefNode, names: set[str]) -> bool:
    """Whether a decorator's last dotted component is one of ``names``."""
    return any(decorator_text(d).rpartition(".")[2] in names for d in node.decorator_list)


def _is_stub(body: list[ast.stmt]) -> bool:
    """Whether a body (after its docstring) is only ``...``, ``pass`` or NotImplementedError."""
    for stmt in body:
        if isinstance(stmt, ast.Pass):
            continue
        if isinstance(stmt, ast.Expr) and constant_value(stmt.value) is Ellipsis:
            continue
        if isinstance(stmt, ast.Raise) and stmt.exc is not None:
            exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                continue
        return False
    return True


def _raised_names(stmt: ast.Raise, handlers: tuple[ast.ExceptHandler, ...]) -> list[str] | None:
    """The exception names a ``raise`` names, or ``None`` when they cannot be known."""
    exc = stmt.exc
    if exc is None:  # a bare raise re-raises what the innermost handler caught
        return _handled_names(handlers[-1]) if handlers else None
    if isinstance(exc, ast.Name):
        for handler in reversed(handlers):
            if handler.name == exc.id:
                return _handled_names(handler)
    name = dotted_name(exc.func if isinstance(exc, ast.Call) else exc)
    # `raise ValueError` names a class; `raise error` or `raise self._error()` most
    # likely raises an instance or a factory's result (PEP 8: classes are CapWords).
    if name is None or not name.rpartition(".")[2].lstrip("_")[:1].isupper():
        return None
    return [name]


def _handled_names(handler: ast.ExceptHandler) -> list[str] | None:
    """The exception names an ``except`` clause catches (``BaseException`` for a bare one)."""
    if handler.type is None:
        return ["BaseException"]
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = [dotted_name(t) for t in types]
    return None if None in names else [n for n in names if n is not None]
