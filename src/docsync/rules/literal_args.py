"""Calls that still fit by count but no longer by meaning: a literal on a new parameter.

Starlette 0.29 made ``request`` the first parameter of ``TemplateResponse(name,
context)``; a page's ``TemplateResponse("index.html", {...})`` still passes two
positional arguments, so no count tells that it broke.  What tells is the value: the
string ``"index.html"`` now lands on ``request: Request``, which cannot take it,
where at the base it landed on ``name: str``, which could.

:func:`misplaced_literals` says so for positional arguments written as literals
(strings, bytes, numbers, dict/list/tuple/set displays), and only when both sides
are clear: the head's parameter is annotated with types none of which can hold the
value (the project's own plain classes, ``None``, builtins of another kind), and the
base's parameter at that position had another name and could hold it (unannotated,
or a union with a type of the value's kind).  ``Any``, ``object``, type variables,
protocols, enums, other libraries' classes and anything not understood are never
"cannot take".
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from docsync.models import ParamKind, Signature, Symbol, SymbolKind
from docsync.scan.index import SymbolIndex

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet  # imports GitPython: only for type checking

__all__ = ["base_signature", "literal_kind", "misplaced_literals"]

# The annotation names that can hold a value of each literal kind.
_HOLDS: dict[str, frozenset[str]] = {
    "str": frozenset({"str", "Text", "AnyStr", "LiteralString", "Literal", "Hashable"}),
    "bytes": frozenset({"bytes", "bytearray", "ByteString", "Buffer", "AnyStr", "Literal"}),
    "int": frozenset(
        {"int", "float", "complex", "Number", "Real", "Integral", "Complex", "Literal"}
        | {"SupportsInt", "SupportsFloat", "SupportsIndex", "SupportsAbs", "Hashable"}
    ),
    "float": frozenset({"float", "complex", "Number", "Real", "Complex", "SupportsFloat"}),
    "dict": frozenset({"dict", "Dict", "Mapping", "MutableMapping", "TypedDict"}),
    "list": frozenset({"list", "List", "Sequence", "MutableSequence"}),
    "tuple": frozenset({"tuple", "Tuple", "Sequence", "Hashable"}),
    "set": frozenset({"set", "Set", "AbstractSet", "MutableSet"}),
}
_CONTAINERS = frozenset({"Iterable", "Collection", "Container", "Sized", "Reversible"})
_ANYTHING = frozenset({"Any", "object"})
# Builtin names that can hold none of the literal kinds but their own.
_BUILTIN_KINDS = {
    "str": "str",
    "bytes": "bytes",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "complex": "float",
    "dict": "dict",
    "list": "list",
    "tuple": "tuple",
    "set": "set",
    "frozenset": "set",
}
# A project class with one of these among its bases (or its project bases') may take
# a literal: an enum or str subclass, a protocol, a model that validates its input.
_PERMISSIVE_BASES = frozenset(
    {"str", "bytes", "int", "float", "dict", "list", "tuple", "set", "frozenset"}
    | {"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag", "Protocol", "TypedDict"}
    | {"NamedTuple", "BaseModel", "RootModel", "UserDict", "UserList", "UserString"}
)
_MAX_DEPTH = 8  # annotations and base chains are followed this deep, no further
_RECEIVERS = frozenset({"self", "cls"})


def literal_kind(node: ast.expr) -> str | None:
    """The kind of a literal argument (``"str"``, ``"int"``, ``"dict"``...), else ``None``."""
    if isinstance(node, ast.JoinedStr):
        return "str"
    if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
        for kind in ("str", "bytes", "int", "float"):
            if type(node.value).__name__ == kind:
                return kind
        return None
    displays = {ast.Dict: "dict", ast.List: "list", ast.Tuple: "tuple", ast.Set: "set"}
    return displays.get(type(node))


def base_signature(symbol: Symbol, changes: ChangeSet | None) -> Signature | None:
    """The signature ``symbol`` had at the base, when the change altered it.

    Args:
        symbol: A head-side function, method or class.
        changes: The change set of ``--base``, or ``None``.

    Returns:
        The base's signature (a class's is its ``__init__``'s), or ``None``.
    """
    if changes is None:
        return None
    names = [symbol.qualname]
    if symbol.kind is SymbolKind.CLASS:
        names.append(f"{symbol.qualname}.__init__")
    for name in names:
        change = changes.for_head(name)
        if change is not None and change.old is not None and change.old.signature is not None:
            return change.old.signature
    return None


def misplaced_literals(
    args: list[ast.expr], callee: Symbol, head: Signature, base: Signature, index: SymbolIndex
) -> list[str]:
    """Literal positional arguments the change moved onto a parameter that cannot take them.

    Args:
        args: The call's positional arguments (no ``*`` unpacking).
        callee: The function, method or class called (its module names the annotations).
        head: The callee's signature at the head.
        base: Its signature at the base.
        index: The project's names (which annotation names are the project's classes).

    Returns:
        One phrase per such argument.
    """
    slots = (ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD)
    now = [p for p in head.params if p.kind in slots and p.name not in _RECEIVERS]
    before = [p for p in base.params if p.kind in slots and p.name not in _RECEIVERS]
    module = _module_of(callee.qualname, index)
    problems: list[str] = []
    for number, (arg, new, old) in enumerate(zip(args, now, before, strict=False), start=1):
        kind = literal_kind(arg)
        if kind is None or new.name == old.name:
            continue
        cannot = module is not None and _cannot_take(new.annotation, kind, module, index)
        if cannot and _can_take(old.annotation, kind):
            problems.append(
                f"now receives positional argument {number} (a {kind}) as "
                f"`{new.name}: {new.annotation}`, which cannot take it (it went to "
                f"`{old.name}` before the change)"
            )
    return problems


def _can_take(annotation: str | None, kind: str) -> bool:
    if annotation is None:
        return True
    members = _members_of(annotation)
    holds = _HOLDS[kind] | _ANYTHING | _CONTAINERS
    return members is not None and any(m.rpartition(".")[2] in holds for m in members)


def _module_of(qualname: str, index: SymbolIndex) -> str | None:
    """The module that defines ``qualname`` (its annotations are names there)."""
    parts = qualname.split(".")
    for end in range(len(parts) - 1, 0, -1):
        found = index.project.get(".".join(parts[:end]))
        if found is not None and found.kind is SymbolKind.MODULE:
            return found.qualname
    return None


def _cannot_take(annotation: str | None, kind: str, module: str, index: SymbolIndex) -> bool:
    members = _members_of(annotation) if annotation else None
    return bool(members) and all(_excludes(m, kind, module, index) for m in members or ())


def _excludes(name: str, kind: str, module: str, index: SymbolIndex) -> bool:
    """Whether a type written ``name`` in ``module`` clearly cannot hold a ``kind`` literal."""
    if name == "None":
        return True
    if name == "bool" and kind == "int":
        return False  # 0 and 1 pass for booleans often enough
    if name in _BUILTIN_KINDS:
        own = _BUILTIN_KINDS[name]
        return name not in _HOLDS[kind] and own != kind and not (kind == "int" and own == "float")
    found = index.resolve(f"{module}.{name}")
    if found is None or found.kind is not SymbolKind.CLASS:
        return False  # another library's type, a type variable, an alias: not judged
    return not _permissive(found, index, 0)


def _permissive(cls: Symbol, index: SymbolIndex, depth: int) -> bool:
    """Whether a project class may take a literal: a permissive base, a metaclass."""
    if depth > _MAX_DEPTH:
        return True
    for base in cls.bases:
        if "=" in base:
            return True  # metaclass=...: construction may do anything
        name = base.partition("[")[0].rpartition(".")[2]
        if name in _PERMISSIVE_BASES or name == "ABC":
            return True
        parents = index.find_by_short_name(name)
        if any(p.kind is SymbolKind.CLASS and _permissive(p, index, depth + 1) for p in parents):
            return True
    return False


def _members_of(annotation: str) -> list[str] | None:
    """The last names of the types a union annotation lists, or ``None`` if unclear."""
    try:
        node = ast.parse(annotation, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return _members(node, 0)


def _members(node: ast.expr, depth: int) -> list[str] | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _members(node.left, depth + 1), _members(node.right, depth + 1)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Constant):
        if node.value is None:
            return ["None"]
        return _members_of(node.value) if isinstance(node.value, str) else None
    if isinstance(node, ast.Subscript):
        outer = (_last_name(node.value) or "").rpartition(".")[2]
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if outer in ("Optional", "Union"):
            found: list[str] = ["None"] if outer == "Optional" else []
            for part in inner:
                more = _members(part, depth + 1)
                if more is None:
                    return None
                found += more
            return found
        if outer == "Annotated":
            return _members(inner[0], depth + 1)
        return [_last_name(node.value) or outer] if outer else None
    name = _last_name(node)
    return [name] if name else None


def _last_name(node: ast.expr) -> str | None:
    """The dotted name a type is written with (``Request``, ``httpx.Request``)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        owner = _last_name(node.value)
        return f"{owner}.{node.attr}" if owner else None
    return None
