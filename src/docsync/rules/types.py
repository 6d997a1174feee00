"""Compare a documented type with an annotation, and report only clear contradictions.

Both sides are normalised into a set of union members (``Optional[int]`` and
``int or None`` both become ``{int, None}``), then compared member by member.
Two types contradict only when every name involved is known (a builtin, a
standard ``typing``/``collections.abc`` name, or a class of the project), none of
them is a wildcard (``Any``, ``object``, a TypeVar, a ``Literal``), no member of
one side is compatible with any member of the other (``None`` set aside), and
neither side is just the element type of a container on the other side.
Anything the parser does not understand is never a contradiction.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from docsync.scan.pyast import dotted_name

__all__ = [
    "ClassLookup",
    "Lineage",
    "TypeRef",
    "clean_type_text",
    "is_standard_name",
    "normalise_type",
    "parse_type",
    "types_contradict",
]


@dataclass(frozen=True)
class TypeRef:
    """One member of a union: a base name (last dotted component) and its arguments."""

    name: str
    args: tuple[frozenset[TypeRef], ...] = ()


@dataclass(frozen=True)
class Lineage:
    """What is known about a project class's ancestry.

    ``ancestors`` holds the last dotted component of every ancestor name;
    ``complete`` is false when some ancestor could not be resolved, so the class
    may be related to anything.
    """

    ancestors: frozenset[str]
    complete: bool
    is_protocol: bool = False


ClassLookup = Callable[[str], "Lineage | None"]
"""Maps a class name (last component) to its lineage, or ``None`` if not a project class."""

_ALIASES = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
    "Text": "str",
    "NoneType": "None",
    "DefaultDict": "defaultdict",
    "Deque": "deque",
    "string": "str",
    "integer": "int",
    "boolean": "bool",
    "dictionary": "dict",
    "callable": "Callable",
    "iterable": "Iterable",
    "iterator": "Iterator",
    "sequence": "Sequence",
    "mapping": "Mapping",
    "generator": "Generator",
}

# Concrete standard types, grouped into families that are mutually compatible.
_FAMILY = {
    "bool": "number",
    "int": "number",
    "float": "number",
    "complex": "number",
    "str": "str",
    "bytes": "bytes",
    "bytearray": "bytes",
    "memoryview": "bytes",
    "list": "list",
    "deque": "list",
    "tuple": "tuple",
    "set": "set",
    "frozenset": "set",
    "dict": "dict",
    "defaultdict": "dict",
    "OrderedDict": "dict",
    "Counter": "dict",
    "ChainMap": "dict",
    "range": "range",
    "type": "type",
}

_CONTAINERS = frozenset({"list", "tuple", "set", "dict", "str", "bytes", "range"})

# Abstract standard types and the families of concrete types they accept.
_ABSTRACT = {
    "Number": frozenset({"number"}),
    "Complex": frozenset({"number"}),
    "Real": frozenset({"number"}),
    "Rational": frozenset({"number"}),
    "Integral": frozenset({"number"}),
    "SupportsInt": frozenset({"number", "str", "bytes"}),
    "SupportsFloat": frozenset({"number", "str", "bytes"}),
    "SupportsIndex": frozenset({"number"}),
    "SupportsComplex": frozenset({"number"}),
    "SupportsAbs": frozenset({"number"}),
    "SupportsRound": frozenset({"number"}),
    "AnyStr": frozenset({"str", "bytes"}),
    "ByteString": frozenset({"bytes"}),
    "Buffer": frozenset({"bytes"}),
    "Iterable": _CONTAINERS | {"iterator"},
    "Iterator": _CONTAINERS | {"iterator"},
    "Generator": _CONTAINERS | {"iterator"},
    "Collection": _CONTAINERS,
    "Container": _CONTAINERS,
    "Sized": _CONTAINERS,
    "Reversible": frozenset({"list", "tuple", "dict", "str", "bytes", "range"}),
    "Sequence": frozenset({"list", "tuple", "str", "bytes", "range"}),
    "MutableSequence": frozenset({"list", "bytes"}),
    "AbstractSet": frozenset({"set"}),
    "MutableSet": frozenset({"set"}),
    "KeysView": frozenset({"set"}),
    "ItemsView": frozenset({"set"}),
    "ValuesView": frozenset({"list", "tuple", "set"}),
    "Mapping": frozenset({"dict"}),
    "MutableMapping": frozenset({"dict"}),
    "Callable": frozenset({"type"}),
    "AsyncIterable": frozenset({"iterator"}),
    "AsyncIterator": frozenset({"iterator"}),
    "AsyncGenerator": frozenset({"iterator"}),
}

_WILDCARDS = frozenset(
    {
        "Any",
        "object",
        "Literal",
        "Self",
        "Hashable",
        "Awaitable",
        "Coroutine",
        "TypeAlias",
        "Incomplete",
        "...",
    }
)

_EXTRA_STANDARD = frozenset(
    {"None", "NoReturn", "Never", "slice", "IO", "TextIO", "BinaryIO", "Pattern", "Match", "[]"}
)

_BUILTIN_CLASSES = {
    name: value
    for name, value in vars(builtins).items()
    if isinstance(value, type) and not name.startswith("_")
}

_ELEMENT_FIRST = frozenset({"Generator", "AsyncGenerator"})

_TRANSPARENT = frozenset(
    {"Annotated", "Final", "ClassVar", "Required", "NotRequired", "ReadOnly", "InitVar"}
)

_TYPEVAR_LIKE = re.compile(r"^(?:[A-Z]|_?[A-Za-z0-9_]*T|[A-Za-z0-9_]+_(?:co|contra))$")


def is_standard_name(name: str) -> bool:
    """Whether ``name`` (a last dotted component) is a builtin or standard typing name.

    Args:
        name: The canonical name, as found in a :class:`TypeRef`.

    Returns:
        True for builtins, ``typing``/``collections.abc`` names and wildcards.
    """
    return (
        name in _FAMILY
        or name in _ABSTRACT
        or name in _WILDCARDS
        or name in _EXTRA_STANDARD
        or name in _BUILTIN_CLASSES
    )


def _is_wildcard(name: str) -> bool:
    return name in _WILDCARDS or bool(_TYPEVAR_LIKE.match(name))


# --- text clean-up -------------------------------------------------------------------

_ROLE = re.compile(r":(?:py:)?[a-z]+:`~?([^`]+)`")
_QUALIFIERS = (
    re.compile(r"\s*\(\s*(?:optional|default\b[^)]*)\)\s*$", re.IGNORECASE),
    re.compile(r"(?:^|,\s*|\s+)optional\s*$", re.IGNORECASE),
    re.compile(r"(?:^|,\s*|\s+)defaults?(?:\s*[:=]\s*|\s+(?:is\s+|to\s+)?)[^,]*$", re.IGNORECASE),
)
_OF = re.compile(r"^([A-Za-z_][\w.]*)\s+of\s+(.+)$", re.DOTALL)
_CALL_FORM = re.compile(r"^([A-Za-z_][\w.]*)\((.*)\)$", re.DOTALL)
_BRACE_MAP = re.compile(r"^\{(.+?):(.+)\}$", re.DOTALL)
_TO = re.compile(r"^(.+?)\s+to\s+(.+)$", re.DOTALL)


def clean_type_text(text: str) -> str:
    """Turn a documented type into Python type syntax where it can.

    Strips NumPy qualifiers (``optional``, ``default: x``), Sphinx roles,
    ``~`` prefixes and backticks, and rewrites natural-language forms:
    ``A or B`` becomes ``A | B``, ``list of str`` becomes ``list[str]`` and
    ``dict(str, int)`` becomes ``dict[str, int]``.

    Args:
        text: The type as written in a docstring.

    Returns:
        The rewritten text; it may still fail to parse as a type.
    """
    s = _ROLE.sub(r"\1", text.strip())
    s = s.replace("`", "").replace("~", "").strip().rstrip(".").strip()
    changed = True
    while changed:
        before = s
        for pattern in _QUALIFIERS:
            s = pattern.sub("", s).strip()
        changed = s != before
    if re.search(r"\bor\b", s):
        parts = [p for p in _split_top_level(s, r",|\bor\b") if p.strip()]
        return " | ".join(_rewrite_phrase(p.strip()) for p in parts)
    return _rewrite_phrase(s)


def _rewrite_phrase(s: str) -> str:
    match = _OF.match(s)
    if match:
        base, rest = match.group(1), match.group(2).strip()
        return f"{base}[{_rewrite_args(rest)}]"
    match = _CALL_FORM.match(s)
    if match and match.group(2).strip():
        return f"{match.group(1)}[{_rewrite_args(match.group(2).strip())}]"
    return s


def _rewrite_args(rest: str) -> str:
    brace = _BRACE_MAP.match(rest)
    if brace:
        return (
            f"{_rewrite_phrase(brace.group(1).strip())}, {_rewrite_phrase(brace.group(2).strip())}"
        )
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1]
    to = _TO.match(rest)
    if to and "," not in rest:
        return f"{_rewrite_phrase(to.group(1).strip())}, {_rewrite_phrase(to.group(2).strip())}"
    return ", ".join(_rewrite_phrase(p.strip()) for p in _split_top_level(rest, r","))


def _split_top_level(s: str, separator: str) -> list[str]:
    """Split ``s`` on ``separator`` wherever it is outside brackets."""
    parts: list[str] = []
    depth = 0
    start = 0
    pattern = re.compile(separator)
    i = 0
    while i < len(s):
        ch = s[i]
        if ch in "[({":
            depth += 1
        elif ch in "])}":
            depth -= 1
        elif depth == 0:
            match = pattern.match(s, i)
            if match and match.end() > i:
                parts.append(s[start:i])
                start = i = match.end()
                continue
        i += 1
    parts.append(s[start:])
    return parts


# --- parsing ---------------------------------------------------------------------------


def parse_type(text: str) -> frozenset[TypeRef] | None:
    """Parse a documented type or an annotation into its union members.

    Args:
        text: A docstring type (``int, optional``) or annotation source (``Optional[int]``).

    Returns:
        The union members, or ``None`` when the text is not a type expression.
    """
    cleaned = clean_type_text(text)
    if not cleaned:
        return None
    try:
        node = ast.parse(cleaned, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return _convert(node)


def _last_name(node: ast.expr) -> str | None:
    """The last component of a dotted name (``typing.List`` -> ``List``), else ``None``."""
    dotted = dotted_name(node)
    return None if dotted is None else dotted.rpartition(".")[2]


def _canonical(name: str) -> str:
    return _ALIASES.get(name, name)


def _convert(node: ast.expr) -> frozenset[TypeRef] | None:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _convert(node.left), _convert(node.right)
        return None if left is None or right is None else left | right
    if isinstance(node, ast.Constant):
        if node.value is None:
            return frozenset({TypeRef("None")})
        if node.value is Ellipsis:
            return frozenset({TypeRef("...")})
        return parse_type(node.value) if isinstance(node.value, str) else None
    if isinstance(node, ast.Tuple):
        args = _convert_args(node.elts)
        return None if args is None else frozenset({TypeRef("tuple", args)})
    if isinstance(node, ast.Subscript):
        return _convert_subscript(node)
    name = _last_name(node)
    return None if name is None else frozenset({TypeRef(_canonical(name))})


def _convert_subscript(node: ast.Subscript) -> frozenset[TypeRef] | None:
    base = _last_name(node.value)
    if base is None:
        return None
    base = _canonical(base)
    elements = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
    if base == "Literal":
        return frozenset({TypeRef("Literal")})
    if base in ("TypeGuard", "TypeIs"):
        return frozenset({TypeRef("bool")})
    if base in _TRANSPARENT:
        return _convert(elements[0])
    if base in ("Optional", "Union"):
        members: frozenset[TypeRef] = (
            frozenset({TypeRef("None")}) if base == "Optional" else frozenset()
        )
        for element in elements:
            converted = _convert(element)
            if converted is None:
                return None
            members |= converted
        return members
    args = _convert_args(elements)
    return None if args is None else frozenset({TypeRef(base, args)})


def _convert_args(elements: list[ast.expr]) -> tuple[frozenset[TypeRef], ...] | None:
    args: list[frozenset[TypeRef]] = []
    for element in elements:
        if isinstance(element, ast.List):
            inner = _convert_args(element.elts)
            converted = None if inner is None else frozenset({TypeRef("[]", inner)})
        else:
            converted = _convert(element)
        if converted is None:
            return None
        args.append(converted)
    return tuple(args)


def normalise_type(text: str) -> str | None:
    """The canonical spelling of a type, or ``None`` if it does not parse.

    Members are sorted, with ``None`` last: ``Optional[List[int]]`` gives
    ``list[int] | None``.

    Args:
        text: A docstring type or annotation source.

    Returns:
        The canonical text, or ``None``.
    """
    members = parse_type(text)
    return None if members is None else _render(members)


def _render(members: frozenset[TypeRef]) -> str:
    ordered = sorted(members, key=lambda m: (m.name == "None", _render_ref(m)))
    return " | ".join(_render_ref(m) for m in ordered)


def _render_ref(ref: TypeRef) -> str:
    if not ref.args:
        return ref.name if ref.name != "[]" else "[]"
    inner = ", ".join(_render(a) for a in ref.args)
    return f"[{inner}]" if ref.name == "[]" else f"{ref.name}[{inner}]"


# --- comparison ------------------------------------------------------------------------


def _names(members: frozenset[TypeRef]) -> Iterator[str]:
    for ref in members:
        yield ref.name
        for arg in ref.args:
            yield from _names(arg)


def types_contradict(documented: str, actual: str, lookup: ClassLookup) -> bool:
    """Whether a documented type clearly contradicts an annotation.

    Args:
        documented: The type as written in the docstring.
        actual: The annotation's source text.
        lookup: Resolves project class names to their lineage.

    Returns:
        True only when both parse, every name is known, none is a wildcard,
        the two sides share no compatible member once ``None`` is set aside, and
        neither side is the element type of a container on the other.
    """
    left, right = parse_type(documented), parse_type(actual)
    if left is None or right is None:
        return False
    for name in (*_names(left), *_names(right)):
        if _is_wildcard(name) or not (is_standard_name(name) or lookup(name) is not None):
            return False
    if _unions_compatible(left, right, lookup):
        return False
    # Documenting the element type of a returned container ("Foo" for list[Foo]) is loose
    # but common, and not what a reader would call a contradiction.
    return not (
        _element_compatible(left, right, lookup) or _element_compatible(right, left, lookup)
    )


def _element_compatible(
    items: frozenset[TypeRef], containers: frozenset[TypeRef], lookup: ClassLookup
) -> bool:
    """Whether ``items`` is compatible with the element type of a container in ``containers``."""
    for container in containers:
        if container.name in _ELEMENT_FIRST or len(container.args) == 1:
            elements = container.args[:1]
        elif container.name == "tuple":
            elements = container.args
        else:
            continue
        for element in elements:
            if any(m.name != "None" for m in element) and _unions_compatible(
                items, element, lookup
            ):
                return True
    return False


def _unions_compatible(
    left: frozenset[TypeRef], right: frozenset[TypeRef], lookup: ClassLookup
) -> bool:
    left = frozenset(m for m in left if m.name != "None")
    right = frozenset(m for m in right if m.name != "None")
    if not left or not right:
        return True
    return any(_refs_compatible(a, b, lookup) for a in left for b in right)


def _refs_compatible(a: TypeRef, b: TypeRef, lookup: ClassLookup) -> bool:
    if not _names_compatible(a.name, b.name, lookup):
        return False
    if a.name != b.name or not a.args or not b.args or len(a.args) != len(b.args):
        return True
    return all(_unions_compatible(x, y, lookup) for x, y in zip(a.args, b.args, strict=True))


def _names_compatible(a: str, b: str, lookup: ClassLookup) -> bool:
    if a == b:
        return True
    for this, other in ((a, b), (b, a)):
        lineage = lookup(this)
        if lineage is not None:
            if not lineage.complete or lineage.is_protocol or other in lineage.ancestors:
                return True
            if lookup(other) is None and any(
                _standard_compatible(ancestor, other) for ancestor in lineage.ancestors
            ):
                return True
    if lookup(a) is not None or lookup(b) is not None:
        return False
    return _standard_compatible(a, b)


def _standard_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    class_a, class_b = _BUILTIN_CLASSES.get(a), _BUILTIN_CLASSES.get(b)
    if (
        class_a is not None
        and class_b is not None
        and (issubclass(class_a, class_b) or issubclass(class_b, class_a))
    ):
        return True
    accepted_a = _ABSTRACT.get(a, frozenset({_FAMILY[a]}) if a in _FAMILY else frozenset())
    accepted_b = _ABSTRACT.get(b, frozenset({_FAMILY[b]}) if b in _FAMILY else frozenset())
    return bool(accepted_a & accepted_b)
