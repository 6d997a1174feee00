"""Pure functions over stdlib :mod:`ast` nodes for the Python scanner.

Dotted names and source text of expressions, function signatures, the
constructor a class gets (its own ``__init__``/``__new__``, or the one
dataclasses, attrs and ``NamedTuple`` generate), body fingerprints, and what a
module's top level binds (:class:`BindingRecorder`).
"""

from __future__ import annotations

import ast
import copy
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from docsync.models import Bindings, Parameter, ParamKind, Signature
from docsync.scan.lazy_names import literal_names, served_names

FunctionNode: TypeAlias = ast.FunctionDef | ast.AsyncFunctionDef
DefNode: TypeAlias = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
_DEF_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# The fields that make up a node's meaning: not the load/store context (given by the
# position), nor type comments or the `u` prefix of a string (spelling, not code).
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f for f in cls._fields if f not in ("ctx", "type_comment", "kind"))
    for cls in vars(ast).values()
    if isinstance(cls, type) and issubclass(cls, ast.AST)
}


class BodyFingerprinter:
    """Hashes bodies by their AST shape: stable across moves, reformatting and doc edits.

    A nested definition contributes its header and its own body fingerprint, so each
    node is serialised once however deep it is nested, and a docstring edit anywhere
    changes no fingerprint.
    """

    def __init__(self) -> None:
        self._memo: dict[int, str] = {}

    def of_body(self, node: ast.Module | DefNode) -> str:
        """The 16-hex-digit fingerprint of a body without its docstring."""
        key = id(node)
        known = self._memo.get(key)
        if known is not None:
            return known
        body = node.body[1:] if docstring_node(node) is not None else node.body
        out: list[str] = []
        try:
            for stmt in body:
                self._serialise(stmt, out)
        except RecursionError:
            out = list(_flat_serialise(body))
        digest = hashlib.sha256("\0".join(out).encode("utf-8", "backslashreplace"))
        self._memo[key] = fingerprint = digest.hexdigest()[:16]
        return fingerprint

    def _serialise(self, node: ast.AST, out: list[str]) -> None:
        cls = node.__class__
        append = out.append
        if cls is ast.Name:  # the most common nodes, written short
            append("$" + node.id)  # type: ignore[attr-defined]
            return
        if cls is ast.Constant:
            append(_literal(node.value))  # type: ignore[attr-defined]
            return
        append(cls.__name__)
        is_def = cls in _DEF_TYPES
        for name in _FIELDS.get(cls) or cls._fields:
            value = getattr(node, name, None)
            if is_def and name == "body":
                append(self.of_body(node))  # type: ignore[arg-type]
            elif value.__class__ is list:
                append("[")
                for item in value:
                    if isinstance(item, ast.AST):
                        self._serialise(item, out)
                    else:
                        append(repr(item))
                append("]")
            elif isinstance(value, ast.AST):
                self._serialise(value, out)
            else:
                append(repr(value))
        append(")")


def _flat_serialise(body: list[ast.stmt]) -> Iterator[str]:
    """A non-recursive serialisation, for bodies nested too deep to recurse into."""
    stack: list[object] = list(reversed(body))
    while stack:
        item = stack.pop()
        if isinstance(item, ast.AST):
            yield type(item).__name__
            stack.extend(reversed([getattr(item, f, None) for f in item._fields]))
        elif isinstance(item, list):
            yield f"[{len(item)}"
            stack.extend(reversed(item))
        else:
            yield _literal(item)


def dotted_name(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attribute accesses on a name, else ``None``."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def absolute_module(package: str, name: str | None, level: int) -> str:
    """The absolute module a ``from`` import names (``level`` leading dots, then ``name``).

    Args:
        package: The package the importing module is in (itself, for an ``__init__``).
        name: The module written after the dots, if any.
        level: The number of leading dots (0 for an absolute import).

    Returns:
        The dotted module name (empty for ``from . import x`` at the top).
    """
    if level == 0:
        return name or ""
    parts = package.split(".") if package else []
    base = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*base, *([name] if name else [])])


class BindingRecorder:
    """Collects what a module's top-level statements bind, as :class:`Bindings`.

    The scanner hands it every statement of the module's top level, those in
    top-level blocks included, in source order; compound statements themselves
    bind nothing here.

    Args:
        module: The module's qualified name.
        is_package: Whether it is a package's ``__init__``.
        dynamic: Whether the module is already known to grow names at run time.
    """

    def __init__(self, module: str, *, is_package: bool, dynamic: bool = False) -> None:
        self._module = module
        self._package = module if is_package else module.rpartition(".")[0]
        self._imports: dict[str, str] = {}
        self._defined: dict[str, None] = {}
        self._star: list[str] = []
        self._all: set[str] | None = None
        self._dynamic = dynamic
        self._collections: dict[str, frozenset[str]] = {}
        self._getattr: ast.FunctionDef | ast.AsyncFunctionDef | None = None

    def record(self, stmt: ast.stmt) -> None:
        """Note what one statement binds (see :class:`Bindings`)."""
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                first = alias.name.partition(".")[0]
                self._bind(alias.asname or first, alias.name if alias.asname else first)
        elif isinstance(stmt, ast.ImportFrom):
            origin = absolute_module(self._package, stmt.module, stmt.level)
            for alias in stmt.names:
                if alias.name == "*":
                    self._star.append(origin)
                else:
                    self._bind(alias.asname or alias.name, f"{origin}.{alias.name}".lstrip("."))
        elif isinstance(stmt, _DEF_TYPES):
            if not isinstance(stmt, ast.ClassDef) and stmt.name == "__getattr__":
                self._getattr = stmt
            self._imports.pop(stmt.name, None)
            self._defined[stmt.name] = None
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self._all = _all_names(stmt, self._all)
            self._collection(stmt)
            for name, value in _assigned(stmt):
                if value is not None and value != name:
                    self._bind(name, f"{self._module}.{value}")
                elif name not in self._imports:
                    # A plain value does not replace an import: it is most often the
                    # fallback of one (`except ImportError: f = None`).
                    self._defined[name] = None

    def _bind(self, name: str, target: str) -> None:
        self._defined.pop(name, None)
        self._imports[name] = target

    def _collection(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        """Note a literal dict or set of names a ``__getattr__`` may test names against."""
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            if isinstance(target, ast.Name):
                names = literal_names(stmt.value)
                if names is None or isinstance(stmt, ast.AugAssign):
                    self._collections.pop(target.id, None)
                else:
                    self._collections[target.id] = names

    def bindings(self) -> Bindings:
        """What the recorded statements bind."""
        all_names = frozenset(self._all) if self._all is not None else None
        imports = tuple(self._imports.items())
        dynamic, unread = self._dynamic, 0
        lazy: tuple[str, ...] = ()
        if self._getattr is not None:
            served = served_names(self._getattr, self._collections)
            if served is None:
                dynamic, unread = True, self._getattr.lineno
            else:
                lazy = tuple(sorted(served))
        star = tuple(self._star)
        return Bindings(imports, tuple(self._defined), star, all_names, dynamic, lazy, unread)


def _all_names(
    node: ast.Assign | ast.AnnAssign | ast.AugAssign, known: set[str] | None
) -> set[str] | None:
    """``__all__`` after an assignment: its literal entries (added, for ``+=``)."""
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


def _assigned(node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> list[tuple[str, str | None]]:
    """The plain names an assignment binds, each with the dotted name assigned (if one)."""
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [(node.target.id, None)]
    if not isinstance(node, ast.Assign):
        return []
    value = dotted_name(node.value)
    return [(t.id, value) for t in node.targets if isinstance(t, ast.Name)]


def source_text(node: ast.expr) -> str:
    """The expression as :func:`ast.unparse` writes it (common cases without unparse)."""
    dotted = dotted_name(node)
    if dotted is not None:
        return dotted
    if isinstance(node, ast.Constant) and type(node.value) in (str, int, bool, type(None)):
        return _literal(node.value)
    try:
        return ast.unparse(node)
    except ValueError:  # an int literal with more digits than str() allows
        return ast.unparse(_HexInts().visit(copy.deepcopy(node)))


def _literal(value: object) -> str:
    """``repr(value)``, in hex for an int with more digits than ``str()`` allows."""
    try:
        return repr(value)
    except ValueError:
        return hex(value) if isinstance(value, int) else type(value).__name__


class _HexInts(ast.NodeTransformer):
    """Writes too-long int literals in hex, which has no digit limit."""

    def visit_Constant(self, node: ast.Constant) -> ast.expr:
        text = _literal(node.value)
        return ast.Name(id=text) if text.startswith(("0x", "-0x")) else node


def optional_text(node: ast.expr | None) -> str | None:
    """:func:`source_text` of an optional expression."""
    return None if node is None else source_text(node)


def decorator_text(node: ast.expr) -> str:
    """The decorator as written, or for a call decorator its callee."""
    return source_text(node.func if isinstance(node, ast.Call) else node)


def docstring_node(node: ast.Module | DefNode) -> ast.Constant | None:
    """The string literal that is the body's first statement, if any."""
    if not node.body:
        return None
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return first.value if isinstance(first.value.value, str) else None
    return None


def function_signature(node: FunctionNode, *, drop_first: bool) -> Signature:
    """The parameters and return annotation of a function.

    Args:
        node: The ``def`` or ``async def``.
        drop_first: Leave out the first positional parameter (``self`` or ``cls``).

    Returns:
        A signature with ``params`` and ``returns`` filled in; the body facts
        (generator, async, returned value) are left to the caller.
    """
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults.extend(args.defaults)
    params: list[Parameter] = []
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = ParamKind.POSITIONAL_ONLY
        if index >= len(args.posonlyargs):
            kind = ParamKind.POSITIONAL_OR_KEYWORD
        params.append(_parameter(arg, kind, default))
    implicit = None
    if drop_first and params:
        implicit = params.pop(0).name
    if args.vararg is not None:
        params.append(_parameter(args.vararg, ParamKind.VAR_POSITIONAL, None))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(_parameter(arg, ParamKind.KEYWORD_ONLY, default))
    if args.kwarg is not None:
        params.append(_parameter(args.kwarg, ParamKind.VAR_KEYWORD, None))
    return Signature(params=tuple(params), returns=optional_text(node.returns), implicit=implicit)


def _parameter(arg: ast.arg, kind: ParamKind, default: ast.expr | None) -> Parameter:
    return Parameter(arg.arg, kind, optional_text(arg.annotation), optional_text(default))


_FIELD_CALLS = frozenset({"field", "ib", "attrib"})
# Bases that contribute no dataclass fields (ABC neither: it defines no annotations).
_PLAIN_BASES = frozenset({"object", "NamedTuple", "Generic", "Protocol", "ABC"})
_ATTRS_CLASSIC = frozenset({"attr.s", "attr.attrs", "attrs", "attr.dataclass"})
_ATTRS_DEFINE = frozenset(
    {"define", "frozen", "mutable"}
    | {f"{m}.{d}" for m in ("attr", "attrs") for d in ("define", "frozen", "mutable")}
)
_FACTORY = "<factory>"


@dataclass(frozen=True)
class _InitSpec:
    """How a dataclass-like decorator (or NamedTuple) generates ``__init__``."""

    attrs: bool  # attrs rules: `x = attr.ib()` fields, leading underscores stripped
    auto_attribs: bool | None  # annotated assignments are fields (None: attrs decides)
    kw_only: bool


def constructor_signature(
    node: ast.ClassDef,
    methods: Mapping[str, FunctionNode],
    assigns: Sequence[ast.Assign | ast.AnnAssign],
) -> Signature | None:
    """The constructor signature of a class, when this class alone tells it.

    Args:
        node: The class.
        methods: The class's own methods by name (the one Python keeps for each name).
        assigns: The class-level assignments, in source order (candidate fields).

    Returns:
        The parameters of the own ``__init__``, else of the ``__init__`` a dataclass,
        attrs or ``NamedTuple`` class gets, else of the own ``__new__``; ``None`` when
        the constructor is inherited, or generated from inherited fields.
    """
    init = methods.get("__init__")
    if init is not None:
        return _constructor(init)
    spec = _init_spec(node)
    if spec is not None:
        if not all(base_name(b) in _PLAIN_BASES for b in node.bases):
            return None  # inherited fields come first, and they are not in this file
        return Signature(params=_synthesised_params(assigns, spec))
    new = methods.get("__new__")
    if new is None:
        return None
    return _constructor(new)


def _constructor(node: FunctionNode) -> Signature:
    """A class's signature from its ``__init__`` or ``__new__``: no return annotation."""
    signature = function_signature(node, drop_first=True)
    return Signature(params=signature.params, implicit=signature.implicit)


def _init_spec(node: ast.ClassDef) -> _InitSpec | None:
    """How the class's ``__init__`` is generated, or ``None`` if it is not."""
    if any(base_name(b) == "NamedTuple" for b in node.bases):
        return _InitSpec(attrs=False, auto_attribs=True, kw_only=False)
    for decorator in node.decorator_list:
        name = decorator_text(decorator)
        is_attrs = name in _ATTRS_CLASSIC or name in _ATTRS_DEFINE
        if not is_attrs and name.rpartition(".")[2] != "dataclass":
            continue
        keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
        options = {k.arg: constant_value(k.value) for k in keywords}
        if options.get("init") is False:
            return None
        auto: bool | None = True
        if name in _ATTRS_CLASSIC:
            auto = name == "attr.dataclass" or options.get("auto_attribs") is True
        elif name in _ATTRS_DEFINE:
            auto_attribs = options.get("auto_attribs")
            auto = auto_attribs if isinstance(auto_attribs, bool) else None
        return _InitSpec(attrs=is_attrs, auto_attribs=auto, kw_only=options.get("kw_only") is True)
    return None


def _synthesised_params(
    assigns: Sequence[ast.Assign | ast.AnnAssign], spec: _InitSpec
) -> tuple[Parameter, ...]:
    """The ``__init__`` parameters generated from class-level fields, in field order."""
    auto = spec.auto_attribs
    if auto is None:  # attrs: annotated fields count unless `x = attr.ib()` is used unannotated
        auto = not any(isinstance(a, ast.Assign) and _field_call(a.value) for a in assigns)
    positional: list[Parameter] = []
    keyword: list[Parameter] = []
    kw_only = spec.kw_only
    for stmt in assigns:
        if isinstance(stmt, ast.AnnAssign):
            if not isinstance(stmt.target, ast.Name) or _is_classvar(stmt.annotation):
                continue
            if not spec.attrs and base_name(stmt.annotation) == "KW_ONLY":
                kw_only = True  # the `_: KW_ONLY` sentinel is no field itself
                continue
            name, annotation, value = stmt.target.id, stmt.annotation, stmt.value
        elif len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, annotation, value = stmt.targets[0].id, None, stmt.value
        else:
            continue
        call = _field_call(value)
        if (annotation is None or not auto) and not (spec.attrs and call is not None):
            continue
        options = {k.arg: k.value for k in call.keywords} if call is not None else {}
        if constant_value(options.get("init")) is False:
            continue
        if spec.attrs:
            alias = constant_value(options.get("alias"))
            name = alias if isinstance(alias, str) else name.lstrip("_") or name
        kind = ParamKind.POSITIONAL_OR_KEYWORD
        if kw_only or constant_value(options.get("kw_only")) is True:
            kind = ParamKind.KEYWORD_ONLY
        default = _field_default(value, call, options, attrs=spec.attrs)
        parameter = Parameter(name, kind, optional_text(annotation), default)
        (keyword if kind is ParamKind.KEYWORD_ONLY else positional).append(parameter)
    return (*positional, *keyword)  # keyword-only fields go last, as the generators do


def _field_call(value: ast.expr | None) -> ast.Call | None:
    """``value`` if it is ``field(...)``, ``attr.ib(...)`` or ``attrs.field(...)``."""
    if isinstance(value, ast.Call):
        callee = dotted_name(value.func)
        if callee is not None and callee.rpartition(".")[2] in _FIELD_CALLS:
            return value
    return None


def _field_default(
    value: ast.expr | None,
    call: ast.Call | None,
    options: dict[str | None, ast.expr],
    *,
    attrs: bool,
) -> str | None:
    """The default of a field as source text, ``<factory>`` for factories, else ``None``."""
    if call is None:
        return optional_text(value)
    if "default_factory" in options or "factory" in options:
        return _FACTORY
    default = options.get("default")
    if default is None and attrs and call.args:
        default = call.args[0]  # attr.ib(default, validator, ...)
    if default is None:
        return None
    if isinstance(default, ast.Call) and base_name(default.func) == "Factory":
        return _FACTORY
    return source_text(default)


def _is_classvar(annotation: ast.expr) -> bool:
    """Whether an annotation is ``ClassVar`` or ``ClassVar[...]`` (also as a string)."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return re.match(r"\s*(typing\.)?ClassVar\b", annotation.value) is not None
    return base_name(annotation) == "ClassVar"


def base_name(node: ast.expr) -> str:
    """The last dotted component of a name, ignoring a subscript (``Generic[T]`` -> Generic)."""
    if isinstance(node, ast.Subscript):
        node = node.value
    return (dotted_name(node) or "").rpartition(".")[2]


def constant_value(node: ast.expr | None) -> object:
    """The value of a constant expression, else ``None``."""
    return node.value if isinstance(node, ast.Constant) else None
