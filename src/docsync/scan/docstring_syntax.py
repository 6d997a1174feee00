"""The line machinery of the docstring parser: dedented lines with their file lines,
literal-text marks, section titles, and the parsers of one entry's head line.

:mod:`docsync.scan.docstrings` detects the style and reads sections with these; nothing
here knows which style a docstring is in, only how one line of each style reads.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass

from docsync.models import DocEntry, SectionKind

_K = SectionKind
_SECTION_TITLES: dict[str, SectionKind] = {
    title: kind
    for kind, titles in (
        (_K.PARAMS, "args|arguments|parameters|params"),
        (_K.OTHER_PARAMS, "other parameters|other params|other args|other arguments"),
        (_K.KEYWORD_ARGS, "keyword args|keyword arguments|kwargs|keyword parameters|"
         "keyword params"),
        (_K.RETURNS, "returns|return"),
        (_K.YIELDS, "yields|yield"),
        (_K.RAISES, "raises|raise|exceptions|except"),
        (_K.ATTRIBUTES, "attributes"),
        (_K.SEE_ALSO, "see also|seealso"),
        (_K.OTHER, "notes|note|examples|example|warnings|warning|warns|warn|references|todo|"
         "methods|receives|receive|usage|tip|hint|important|caution|danger|error|attention"),
    )
    for title in titles.split("|")
}  # fmt: skip
_NAMED_KINDS = frozenset((_K.PARAMS, _K.OTHER_PARAMS, _K.KEYWORD_ARGS, _K.ATTRIBUTES))
_VALUE_KINDS = frozenset((_K.RETURNS, _K.YIELDS))
_UNSTRUCTURED_KINDS = frozenset((_K.OTHER, _K.SEE_ALSO))

# Sphinx field name -> (section kind, role). Roles: "named" (an entry per name), "type"
# (the type of a named entry), "value" / "vtype" (the description / type of the single
# Returns or Yields entry), "raises" (an entry per exception name).
_SPHINX_FIELDS: dict[str, tuple[SectionKind, str]] = {
    key: (kind, role)
    for kind, role, keys in (
        (_K.PARAMS, "named", "param|parameter|arg|argument"),
        (_K.KEYWORD_ARGS, "named", "key|keyword|kwarg|kwparam"),
        (_K.ATTRIBUTES, "named", "ivar|cvar|var"),
        (_K.PARAMS, "type", "type"),
        (_K.KEYWORD_ARGS, "type", "kwtype"),
        (_K.ATTRIBUTES, "type", "vartype"),
        (_K.RETURNS, "value", "returns|return"),
        (_K.RETURNS, "vtype", "rtype"),
        (_K.YIELDS, "value", "yields|yield"),
        (_K.YIELDS, "vtype", "ytype"),
        (_K.RAISES, "raises", "raises|raise|except|exception"),
    )
    for key in keys.split("|")
}
# Where the ``:type x:`` of a named entry may be, in order of preference.
_TYPE_TARGETS: dict[SectionKind, tuple[SectionKind, ...]] = {
    _K.PARAMS: (_K.PARAMS, _K.KEYWORD_ARGS),
    _K.KEYWORD_ARGS: (_K.KEYWORD_ARGS, _K.PARAMS),
    _K.ATTRIBUTES: (_K.ATTRIBUTES,),
}

_ROLE = r":[A-Za-z]+(?::[A-Za-z]+)?:"  # a reST role such as ``:py:exc:``
# ``\_`` is how a raw Sphinx docstring writes an underscore (``arg1\_``, ``lambda\_``).
_NAME = r"(?:\\?\*){0,2}(?:[A-Za-z_]|\\_)(?:[A-Za-z0-9_]|\\_)*"
_NAME_RE = re.compile(_NAME)
_NAMES_RE = re.compile(rf"{_NAME}(?:\s*,\s*{_NAME})*")
_EXCEPTION = rf"(?:{_ROLE})?`{{0,2}}~?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*`{{0,2}}"
_RAISES_HEAD_RE = re.compile(
    rf"(?P<names>{_EXCEPTION}(?:\s*,\s*{_EXCEPTION})*)\s*(?::(?:\s+(?P<desc>.*))?)?"
)
_EXCEPTION_NAME_RE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_GOOGLE_HEAD_RE = re.compile(rf"(?P<name>{_NAME})(?:\s*\((?P<type>.*)\))?")
_FIELD_RE = re.compile(  # the argument may hold roles: ``:raises :exc:`Err`:``
    rf":(?P<key>[A-Za-z]+)(?P<arg>\s(?:[^:`]|`[^`]*`|{_ROLE}`[^`]*`)*)?:(?:\s+(?P<body>.*))?"
)
# ``.. attribute:: name`` (``.. attribute :: name``, ``.. py:attribute::``) in a class
# docstring documents an attribute like ``:ivar name:``; a ``:type:`` option gives its type.
_ATTRIBUTE_DIRECTIVE_RE = re.compile(r"\.\.\s+(?:py:)?attribute\s*::\s*(?P<name>\S+)")
_DIRECTIVE_TYPE_RE = re.compile(r":type:\s*(?P<type>.*)")
_UNDERLINE_RE = re.compile(r"-{3,}|={3,}|~{3,}")
_TYPE_ATOM_RE = re.compile(
    rf"(?:{_ROLE})?`{{0,2}}[~!]?[A-Za-z_][\w.\-]*`{{0,2}}(?:[\[({{].*[\])}}])?"
    r"|[\[({].*[\])}]|'[^']*'|\"[^\"]*\"|\.\.\."
)
_TYPE_CONNECTORS = frozenset(("or", "of", "|", ","))
_OPENERS = "([{"
_CLOSERS = ")]}"

# (name, type, text of the description on the head line); name None for unnamed entries.
_Head = tuple[str | None, str | None, str]
_HeadParser = Callable[[str], "list[_Head] | None"]


@dataclass(frozen=True)
class _Lines:
    """A docstring split into lines, dedented, with each line's role pre-computed."""

    first_line: int
    text: list[str]  # stripped text, "" for a blank line
    indent: list[int]  # indent after dedenting; 0 for blank lines
    literal: list[bool]  # inside a doctest, literal block, directive or fence
    next_text: list[int]  # index of the next non-blank line after i, or -1
    directive: list[bool]  # opens a ``..`` directive outside any literal text

    @classmethod
    def read(cls, raw: str, first_line: int) -> _Lines:
        """Split ``raw`` and dedent it like :func:`inspect.cleandoc`."""
        text: list[str] = []
        indent: list[int] = []
        for number, line in enumerate(raw.split("\n")):
            expanded = line.expandtabs()
            stripped = expanded.strip()
            text.append(stripped)
            leading = len(expanded) - len(expanded.lstrip())
            indent.append(leading if number and stripped else 0)
        margin = min((indent[i] for i in range(1, len(text)) if text[i]), default=0)
        indent = [max(0, width - margin) for width in indent]
        next_text = [-1] * len(text)
        following = -1
        for i in range(len(text) - 1, -1, -1):
            next_text[i] = following
            if text[i]:
                following = i
        literal, directive = _mark_literal(text, indent)
        return cls(first_line, text, indent, literal, next_text, directive)

    def __len__(self) -> int:
        return len(self.text)

    def file_line(self, index: int) -> int:
        """The absolute file line of line ``index``."""
        return self.first_line + index

    def block_end(self, start: int) -> int:
        """The last line of the block opened at ``start``: it and the lines indented deeper."""
        end = start
        following = self.next_text[start]
        while following != -1 and self.indent[following] > self.indent[start]:
            end = following
            following = self.next_text[following]
        return end

    def dedented(self, start: int, end: int) -> list[str]:
        """Lines ``start..end`` with their common indent removed; blank lines as ``""``."""
        widths = [self.indent[i] for i in range(start, end + 1) if self.text[i]]
        margin = min(widths, default=0)
        return [
            " " * (self.indent[i] - margin) + self.text[i] if self.text[i] else ""
            for i in range(start, end + 1)
        ]


@dataclass
class _Block:
    """An entry head line and the lines that continue it."""

    head: int
    items: list[_Head]
    last: int


@dataclass(frozen=True)
class _Field:
    """One Sphinx field line (``:param x: ...``) with its continuation lines."""

    key: str
    kind: SectionKind
    role: str
    arg: str
    body: str
    line: int
    end: int


def _mark_literal(text: list[str], indent: list[int]) -> tuple[list[bool], list[bool]]:
    """Flag the lines that hold code or literal text rather than docstring structure.

    Returns the literal flags and, apart, the flags of the lines that open a directive
    (``.. name::``) outside other literal text.
    """
    literal = [False] * len(text)
    directive = [False] * len(text)
    fence = ""  # the opening marker while inside a fenced block
    block_indent = -1  # indent of the line that opened a ``::`` block or directive
    doctest_indent = -1  # indent of the ``>>>`` line whose output is being read
    for i, line in enumerate(text):
        if fence:
            literal[i] = True
            if line.startswith(fence):
                fence = ""
            continue
        if not line:
            doctest_indent = -1
            continue
        if block_indent >= 0:
            if indent[i] > block_indent:
                literal[i] = True
                continue
            block_indent = -1
        if doctest_indent >= 0 and indent[i] >= doctest_indent:
            literal[i] = True
            continue
        doctest_indent = -1
        if line.startswith(("```", "~~~")):
            fence = line[:3]
            literal[i] = True
        elif line.startswith(">>>"):
            doctest_indent = indent[i]
            literal[i] = True
        elif line == ".." or line.startswith(".. "):
            literal[i] = directive[i] = True
            block_indent = indent[i]
        elif line.endswith("::"):
            block_indent = indent[i]
    return literal, directive


def _normalise_title(title: str) -> str:
    return " ".join(title.split()).lower()


def _clean_name(name: str) -> str:
    return name.replace("\\", "").strip()


# Placeholders written where an entry should be (SymPy: ``Parameters\n===\nTODO``).
_PLACEHOLDER_NAMES = frozenset({"TODO", "FIXME", "XXX", "TBD"})


def _is_valid_name(name: str) -> bool:
    bare = name.lstrip("*")
    return bare.isidentifier() and not keyword.iskeyword(bare) and bare not in _PLACEHOLDER_NAMES


def _split_top_level(text: str) -> list[str] | None:
    """Split on whitespace, ``,`` and ``|`` outside brackets; None if brackets don't balance."""
    tokens: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0 and (char.isspace() or char in ",|"):
            if current:
                tokens.append("".join(current))
                current = []
            if char in ",|":
                tokens.append(char)
            continue
        current.append(char)
    if current:
        tokens.append("".join(current))
    return tokens if depth == 0 else None


def _looks_like_type(text: str) -> bool:
    """Whether ``text`` reads as a type expression (``list[int]``, ``int or None``), not prose."""
    tokens = _split_top_level(text.strip())
    if not tokens:
        return False
    expect_atom = True
    for token in tokens:
        if expect_atom:
            if not _TYPE_ATOM_RE.fullmatch(token):
                return False
        elif token not in _TYPE_CONNECTORS:
            return False
        expect_atom = not expect_atom
    return not expect_atom


def _type_colon(text: str) -> int:
    """The index of the first colon outside brackets followed by a space or the end, or -1."""
    depth = 0
    for i, char in enumerate(text):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
        elif char == ":" and depth == 0 and (i + 1 == len(text) or text[i + 1].isspace()):
            return i
    return -1


def _google_named_head(text: str) -> list[_Head] | None:
    """Parse ``name (type): desc`` or ``name: desc``."""
    colon = _type_colon(text)
    match = _GOOGLE_HEAD_RE.fullmatch(text[:colon].strip()) if colon >= 0 else None
    if match is None or not _is_valid_name(name := _clean_name(match.group("name"))):
        return None
    type_ = (match.group("type") or "").strip()
    if _split_top_level(type_) is None:  # ``See (this) and (that): ...`` is prose
        return None
    return [(name, type_ or None, text[colon + 1 :].strip())]


def _raises_head(text: str) -> list[_Head] | None:
    """Parse ``ValueError``, ``ValueError: desc`` or ``ValueError, TypeError: desc``."""
    match = _RAISES_HEAD_RE.fullmatch(text)
    if match is None:
        return None
    description = (match.group("desc") or "").strip()
    return [(name, None, description) for name in _exception_names(match.group("names"))] or None


def _exception_names(text: str) -> list[str]:
    """The names in ``A, :exc:`B`, ~pkg.C``, roles, backticks and ``~`` removed."""
    names = []
    for part in text.split(","):
        found = _EXCEPTION_NAME_RE.search(part.strip().rsplit(":", 1)[-1])
        if found is not None and not keyword.iskeyword(found.group()):
            names.append(found.group())
    return names


def _numpy_named_head(text: str) -> list[_Head] | None:
    """Parse ``x``, ``x : int``, ``x, y : int, optional`` or ``**kwargs : dict``."""
    colon = _type_colon(text)
    names_text, type_ = (text[:colon], text[colon + 1 :].strip()) if colon >= 0 else (text, "")
    if not _NAMES_RE.fullmatch(names_text.strip()):
        return None
    names = [_clean_name(part) for part in names_text.split(",")]
    if not all(_is_valid_name(name) for name in names):
        return None
    # ``Note: this is important`` is prose; ``x: int`` and ``x: string ('in', 'out')``
    # are sloppy but real entries (common in NumPy-style projects such as networkx).
    if type_ and not names_text[-1].isspace() and not _sloppy_numpy_type(names, type_):
        return None
    if not type_ and len(names) > 1 and all(_names_a_type(name) for name in names):
        return None  # ``Point, Line3D, Plane, tuple``: the types accepted, not names
    return [(name, type_ or None, "") for name in names]


_BUILTIN_TYPE_NAMES = frozenset(
    {"int", "float", "complex", "str", "bytes", "bool", "list", "tuple", "dict", "set"}
)


def _names_a_type(name: str) -> bool:
    """Whether a bare name reads as a class (``Point3D``) or a builtin type (``tuple``)."""
    capwords = name[:1].isupper() and any(c.islower() for c in name)
    return capwords or name in _BUILTIN_TYPE_NAMES


# Words that start prose lines such as ``Note: ...`` inside a section, never parameters.
_PROSE_WORDS = frozenset(
    [
        "note",
        "notes",
        "warning",
        "warnings",
        "example",
        "examples",
        "see",
        "also",
        "default",
        "defaults",
        "if",
        "the",
        "this",
        "these",
        "that",
        "when",
        "where",
        "it",
        "for",
        "and",
        "or",
        "but",
        "otherwise",
        "returns",
        "raises",
        "yields",
    ]
)
# ``limits: 2-tuple or None`` leads with a count: still a type.
_TYPE_LEAD_RE = re.compile(r"(?:\d+-)?[A-Za-z_][\w.]*(?:\[|\(|,|\s|$)")


def _sloppy_numpy_type(names: list[str], type_: str) -> bool:
    """Whether ``name: type`` (no space before the colon) is an entry, not prose."""
    if _looks_like_type(type_):
        return True
    if any(name.lower() in _PROSE_WORDS for name in names):
        return False
    return _TYPE_LEAD_RE.match(type_) is not None and type_.split()[0].lower() not in _PROSE_WORDS


def _numpy_value_head(text: str) -> list[_Head] | None:
    """Parse a NumPy Returns/Yields head: ``name : type`` or a bare ``type``."""
    named = _numpy_named_head(text)
    if named is not None and len(named) == 1 and named[0][1] is not None:
        return named
    if _looks_like_type(text):
        return [(None, text, "")]
    return None


def _join_description(first: str, rest: list[str]) -> str:
    return "\n".join([first, *rest] if first else rest).strip("\n")


def _collect_entries(
    lines: _Lines,
    start: int,
    end: int,
    parse_head: _HeadParser,
    *,
    numpy: bool,
    prose_fallback: bool = False,
) -> tuple[list[DocEntry], int]:
    """Read entries from a section body; return them and the body's last line.

    Lines at the body's own indent are entry heads, deeper lines continue the current
    entry. A line at the head indent that is not an entry continues the current entry
    when it follows it directly (wrapped text); in NumPy style, after a blank line it
    ends the section.
    """
    blocks: list[_Block] = []
    head_indent = -1
    last = start - 1
    detached = False  # after a NumPy prose paragraph: its indented lines are not an entry's
    for i in range(start, end + 1):
        if not lines.text[i]:
            continue
        if head_indent < 0:
            head_indent = lines.indent[i]
        current = None if detached or not blocks else blocks[-1]
        if lines.indent[i] > head_indent:
            if current is not None:
                current.last = i
                last = i
            continue
        heads = None if lines.literal[i] else parse_head(lines.text[i])
        if heads is None and prose_fallback and current is None:
            heads = [(None, None, lines.text[i])]
        if heads is not None:
            blocks.append(_Block(i, heads, i))
            detached = False
        elif current is not None and (not numpy or lines.text[i - 1]):
            current.last = i
        elif current is not None or detached:
            # A paragraph of prose between NumPy entries (``Note: ...``): skip it, but
            # keep reading, so the entries after it are not reported missing.
            detached = True
            continue
        last = i
    entries = []
    for block in blocks:
        rest = lines.dedented(block.head + 1, block.last)
        span = lines.file_line(block.head), lines.file_line(block.last)
        for name, type_, first in block.items:
            entries.append(DocEntry(name, type_, _join_description(first, rest), *span))
    return entries, last
