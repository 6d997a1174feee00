"""Parse Google, NumPy and Sphinx docstrings into sections whose entries keep file spans.

The parser reads the raw value of a docstring literal (``ast.Constant.value``), so every
line maps back to the file: raw line ``i`` is file line ``location.line + i``. It dedents
like :func:`inspect.cleandoc` while keeping that map, marks literal text (doctests, ``::``
blocks, ``..`` directives, fenced code) so it is never read as structure, detects the style
from section evidence, and parses the docstring in that one style.

When in doubt it produces no entry: a false entry becomes a false finding downstream,
which is worse than a miss.
"""

from __future__ import annotations

import inspect
import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from docsync.models import DocEntry, DocSection, Docstring, Location, SectionKind, Style

__all__ = ["detect_style", "parse_docstring"]

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
# Tie-break between styles with equal evidence when the default style is not among them.
_PREFERENCE = {Style.NUMPY: 2, Style.GOOGLE: 1, Style.SPHINX: 0}

_ROLE = r":[A-Za-z]+(?::[A-Za-z]+)?:"  # a reST role such as ``:py:exc:``
_NAME = r"(?:\\?\*){0,2}[A-Za-z_][A-Za-z0-9_]*"
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
        return cls(first_line, text, indent, _mark_literal(text, indent), next_text)

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


def _mark_literal(text: list[str], indent: list[int]) -> list[bool]:
    """Flag the lines that hold code or literal text rather than docstring structure."""
    literal = [False] * len(text)
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
            literal[i] = True
            block_indent = indent[i]
        elif line.endswith("::"):
            block_indent = indent[i]
    return literal


def _normalise_title(title: str) -> str:
    return " ".join(title.split()).lower()


def _clean_name(name: str) -> str:
    return name.replace("\\", "").strip()


def _is_valid_name(name: str) -> bool:
    bare = name.lstrip("*")
    return bare.isidentifier() and not keyword.iskeyword(bare)


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
    return [(name, type_ or None, "") for name in names]


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
_TYPE_LEAD_RE = re.compile(r"[A-Za-z_][\w.]*(?:\[|\(|,|\s|$)")


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


def _google_headers(lines: _Lines) -> list[tuple[int, str, SectionKind]]:
    """Lines ``Title:`` at the base indent, with a known title, followed by indented text."""
    headers = []
    for i, text in enumerate(lines.text):
        if not text.endswith(":") or lines.indent[i] or lines.literal[i]:
            continue
        title = text[:-1].rstrip()
        kind = _SECTION_TITLES.get(_normalise_title(title))
        following = lines.next_text[i]
        if kind is not None and following != -1 and lines.indent[following] > 0:
            headers.append((i, title, kind))
    return headers


def _numpy_headers(lines: _Lines) -> list[tuple[int, str, SectionKind | None]]:
    """Underlined titles at the base indent; the kind is None for an unknown title."""
    headers = []
    for i in range(len(lines) - 1):
        text, underline = lines.text[i], lines.text[i + 1]
        plain = text and not (lines.indent[i] or lines.literal[i] or lines.literal[i + 1])
        if not plain or not _UNDERLINE_RE.fullmatch(underline) or _UNDERLINE_RE.fullmatch(text):
            continue
        kind = _SECTION_TITLES.get(_normalise_title(text))
        headers.append((i, text, kind if underline.startswith("-") else None))
    return headers


def _sphinx_fields(lines: _Lines) -> list[_Field]:
    """The known Sphinx field lines outside literal text, each with its continuation."""
    fields = []
    i = 0
    while i < len(lines):
        text = lines.text[i]
        match = _FIELD_RE.fullmatch(text) if text.startswith(":") else None
        if match is None or lines.literal[i]:
            i += 1
            continue
        end = lines.block_end(i)
        spec = _SPHINX_FIELDS.get(match.group("key").lower())
        if spec is not None:
            kind, role = spec
            arg = (match.group("arg") or "").strip()
            body = (match.group("body") or "").strip()
            fields.append(_Field(match.group("key"), kind, role, arg, body, i, end))
        i = end + 1
    return fields


@dataclass(frozen=True)
class _Analysis:
    lines: _Lines
    google: list[tuple[int, str, SectionKind]]
    numpy: list[tuple[int, str, SectionKind | None]]
    sphinx: list[_Field]

    @classmethod
    def of(cls, raw: str, first_line: int) -> _Analysis:
        lines = _Lines.read(raw, first_line)
        return cls(lines, _google_headers(lines), _numpy_headers(lines), _sphinx_fields(lines))

    def style(self, default_style: Style | None) -> Style | None:
        """The style with the most section evidence, ties going to ``default_style``."""
        found = {
            Style.NUMPY: [kind for _, _, kind in self.numpy if kind is not None],
            Style.GOOGLE: [kind for _, _, kind in self.google],
            Style.SPHINX: list({field.kind for field in self.sphinx}),
        }
        # Evidence: structured sections first, then any section at all.
        scores = {
            style: (sum(kind not in _UNSTRUCTURED_KINDS for kind in kinds), len(kinds))
            for style, kinds in found.items()
            if kinds
        }
        return max(
            scores,
            key=lambda style: (scores[style], style is default_style, _PREFERENCE[style]),
            default=None,
        )


def _parse_google(analysis: _Analysis) -> list[DocSection]:
    lines = analysis.lines
    sections = []
    starts = {header for header, _, _ in analysis.google}
    for header, title, kind in analysis.google:
        last = lines.block_end(header)
        if kind in _NAMED_KINDS:
            last = _google_resume(lines, header, last, starts, _GOOGLE_HEADS[kind])
        entries: list[DocEntry] = []
        if kind in _VALUE_KINDS:
            entries = [_google_value_entry(lines, lines.next_text[header], last)]
        elif kind in _GOOGLE_HEADS:
            entries, _ = _collect_entries(lines, header + 1, last, _GOOGLE_HEADS[kind], numpy=False)
        sections.append(
            DocSection(kind, title, tuple(entries), lines.file_line(header), lines.file_line(last))
        )
    return sections


def _google_resume(
    lines: _Lines, header: int, last: int, starts: set[int], parse_head: _HeadParser
) -> int:
    """Extend a Google section over a stray short line that interrupts its entries.

    Generated docstrings (the anthropic SDK's, for one) wrap a description onto a line
    at the header's indent, and the entries continue below it.  The section resumes
    only when the stray text is at most six lines that open no block (no trailing
    ``:``) and at least two entries at the section's own entry indent follow it.
    """
    first = lines.next_text[header]
    if first == -1 or first > last:
        return last
    entry_indent = lines.indent[first]
    while True:
        stray = lines.next_text[last]
        if stray == -1 or stray in starts or lines.indent[stray] > lines.indent[header]:
            return last
        if lines.text[stray].endswith(":") or lines.literal[stray]:
            return last
        end = lines.block_end(stray)
        body = [i for i in range(stray + 1, end + 1) if lines.text[i]]
        heads = [
            i
            for i in body
            if lines.indent[i] == entry_indent
            and not lines.literal[i]
            and parse_head(lines.text[i]) is not None
        ]
        if len(heads) < 2:
            return last
        prose = [i for i in body if i < heads[0]]
        rest = [i for i in body if i >= heads[0]]
        if len(prose) > 5 or any(lines.indent[i] < entry_indent for i in rest):
            return last
        last = end


def _google_value_entry(lines: _Lines, first: int, last: int) -> DocEntry:
    """The single entry of a Google Returns/Yields section spanning ``first..last``."""
    text = lines.text[first]
    colon = -1 if lines.literal[first] else _type_colon(text)
    if colon > 0 and _looks_like_type(text[:colon]):
        type_ = text[:colon].strip()
        description = _join_description(text[colon + 1 :].strip(), lines.dedented(first + 1, last))
    else:
        type_, description = None, "\n".join(lines.dedented(first, last))
    return DocEntry(None, type_, description, lines.file_line(first), lines.file_line(last))


def _parse_numpy(analysis: _Analysis) -> list[DocSection]:
    lines = analysis.lines
    headers = analysis.numpy
    sections = []
    for number, (header, title, known) in enumerate(headers):
        kind = known or _K.OTHER
        limit = headers[number + 1][0] - 1 if number + 1 < len(headers) else len(lines) - 1
        entries: list[DocEntry] = []
        last = limit
        if kind in _NUMPY_HEADS:
            fallback = kind in _VALUE_KINDS
            entries, last = _collect_entries(
                lines, header + 2, limit, _NUMPY_HEADS[kind], numpy=True, prose_fallback=fallback
            )
        while last > header + 1 and not lines.text[last]:
            last -= 1
        span = lines.file_line(header), lines.file_line(max(last, header + 1))
        sections.append(DocSection(kind, title, tuple(entries), *span))
    return sections


_GOOGLE_HEADS: dict[SectionKind, _HeadParser] = {
    **dict.fromkeys(_NAMED_KINDS, _google_named_head),
    _K.RAISES: _raises_head,
}
_NUMPY_HEADS: dict[SectionKind, _HeadParser] = {
    **dict.fromkeys(_NAMED_KINDS, _numpy_named_head),
    **dict.fromkeys(_VALUE_KINDS, _numpy_value_head),
    _K.RAISES: _raises_head,
}


def _field_text(lines: _Lines, field: _Field) -> str:
    """The body of a field and its continuation lines, as one line."""
    return " ".join(t for t in (field.body, *lines.text[field.line + 1 : field.end + 1]) if t)


def _sphinx_description(lines: _Lines, field: _Field) -> str:
    return _join_description(field.body, lines.dedented(field.line + 1, field.end))


def _sphinx_entries(lines: _Lines, field: _Field) -> list[DocEntry]:
    """The entries a ``named`` or ``raises`` field declares (none if it is malformed)."""
    type_ = None
    if field.role == "raises":
        names = _exception_names(field.arg)
    else:
        parts = field.arg.rsplit(None, 1)
        name = _clean_name(parts[-1]) if parts else ""
        if not (_NAME_RE.fullmatch(name) and _is_valid_name(name)):
            return []
        names = [name]
        type_ = parts[0] if len(parts) == 2 else None
    description = _sphinx_description(lines, field)
    start, end = lines.file_line(field.line), lines.file_line(field.end)
    return [DocEntry(name, type_, description, start, end) for name in names]


def _sphinx_value_entry(lines: _Lines, fields: dict[str, _Field]) -> DocEntry:
    """The single Returns/Yields entry from ``:returns:`` and/or ``:rtype:`` fields."""
    value, value_type = fields.get("value"), fields.get("vtype")
    spanning = value or fields["vtype"]
    return DocEntry(
        None,
        (_field_text(lines, value_type) or None) if value_type else None,
        _sphinx_description(lines, value) if value else "",
        lines.file_line(spanning.line),
        lines.file_line(spanning.end),
    )


def _cover(
    spans: dict[SectionKind, tuple[str, int, int]], kind: SectionKind, field: _Field
) -> None:
    """Extend the span of the Sphinx pseudo-section ``kind`` to cover ``field``."""
    title, first, last = spans.get(kind, (f":{field.key}", field.line, field.end))
    spans[kind] = (title, min(first, field.line), max(last, field.end))


def _parse_sphinx(analysis: _Analysis) -> list[DocSection]:
    lines = analysis.lines
    types = {
        (field.kind, _clean_name(field.arg).lstrip("*")): field
        for field in reversed(analysis.sphinx)  # the first ``:type x:`` wins
        if field.role == "type"
    }
    entries: dict[SectionKind, list[DocEntry]] = {}
    values: dict[SectionKind, dict[str, _Field]] = {}
    spans: dict[SectionKind, tuple[str, int, int]] = {}  # title, first line, last line
    for field in analysis.sphinx:
        if field.role == "type":
            continue
        _cover(spans, field.kind, field)
        if field.role in ("value", "vtype"):
            values.setdefault(field.kind, {}).setdefault(field.role, field)
            continue
        for entry in _sphinx_entries(lines, field):
            name = (entry.name or "").lstrip("*")
            targets = _TYPE_TARGETS.get(field.kind, ())
            typed = next((types[kind, name] for kind in targets if (kind, name) in types), None)
            if typed is not None and entry.type is None:
                entry = replace(entry, type=_field_text(lines, typed) or None)
                _cover(spans, field.kind, typed)
            entries.setdefault(field.kind, []).append(entry)
    for kind, fields in values.items():
        entries[kind] = [_sphinx_value_entry(lines, fields)]
    return [
        DocSection(
            kind, title, tuple(entries.get(kind, ())), lines.file_line(first), lines.file_line(last)
        )
        for kind, (title, first, last) in sorted(spans.items(), key=lambda item: item[1][1])
    ]


_PARSERS: dict[Style, Callable[[_Analysis], list[DocSection]]] = {
    Style.GOOGLE: _parse_google,
    Style.NUMPY: _parse_numpy,
    Style.SPHINX: _parse_sphinx,
}


def detect_style(raw: str) -> Style | None:
    """Detect the convention a docstring is written in.

    Args:
        raw: The value of the docstring literal, as written (not cleaned).

    Returns:
        The style with the most section evidence, or None when no structured
        section is recognisable.
    """
    return _Analysis.of(raw, 1).style(None)


def parse_docstring(
    raw: str,
    location: Location,
    default_style: Style | None = None,
) -> Docstring:
    """Parse the value of a docstring literal into sections whose entries keep file spans.

    Args:
        raw: The value of the literal (``ast.Constant.value``), not cleaned; its line
            ``i`` is file line ``location.line + i``.
        location: Where the literal is in the file.
        default_style: The style to assume when the docstring has no recognisable
            section, and the tie-break when two styles show equal evidence.

    Returns:
        The cleaned text, the detected style and the sections, every span given
        in absolute file lines.
    """
    analysis = _Analysis.of(raw, location.line)
    style = analysis.style(default_style)
    text = inspect.cleandoc(raw)
    if style is None:
        return Docstring(text, default_style or Style.PLAIN, (), location)
    return Docstring(text, style, tuple(_PARSERS[style](analysis)), location)
