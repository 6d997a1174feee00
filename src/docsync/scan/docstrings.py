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
from collections.abc import Callable
from dataclasses import dataclass, replace

from docsync.models import DocEntry, DocSection, Docstring, Location, SectionKind, Style
from docsync.scan.docstring_syntax import (
    _ATTRIBUTE_DIRECTIVE_RE,
    _DIRECTIVE_TYPE_RE,
    _FIELD_RE,
    _K,
    _NAME_RE,
    _NAMED_KINDS,
    _SECTION_TITLES,
    _SPHINX_FIELDS,
    _TYPE_TARGETS,
    _UNDERLINE_RE,
    _UNSTRUCTURED_KINDS,
    _VALUE_KINDS,
    _clean_name,
    _collect_entries,
    _exception_names,
    _Field,
    _google_named_head,
    _HeadParser,
    _is_valid_name,
    _join_description,
    _Lines,
    _looks_like_type,
    _normalise_title,
    _numpy_named_head,
    _numpy_value_head,
    _raises_head,
    _type_colon,
)

__all__ = ["detect_style", "parse_docstring"]

# Tie-break between styles with equal evidence when the default style is not among them.
_PREFERENCE = {Style.NUMPY: 2, Style.GOOGLE: 1, Style.SPHINX: 0}


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
        # SymPy underlines its NumPy sections with "=" (``Parameters\n==========``).
        headers.append((i, text, kind if underline[0] in "-=" else None))
    return headers


def _sphinx_fields(lines: _Lines) -> list[_Field]:
    """The known Sphinx field lines outside literal text, each with its continuation.

    An ``.. attribute:: name`` directive reads as an ``:ivar name:`` field whose
    argument carries the type of its ``:type:`` option, if any.
    """
    fields = []
    i = 0
    while i < len(lines):
        text = lines.text[i]
        opens = lines.directive[i]
        directive = _ATTRIBUTE_DIRECTIVE_RE.fullmatch(text) if opens else None
        if directive is not None:
            end = lines.block_end(i)
            fields.append(_attribute_field(lines, directive.group("name"), i, end))
            i = end + 1
            continue
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


def _attribute_field(lines: _Lines, name: str, line: int, end: int) -> _Field:
    """The ``ivar``-like field of an ``.. attribute:: name`` directive spanning ``line..end``."""
    type_ = ""
    for i in range(line + 1, end + 1):
        option = _DIRECTIVE_TYPE_RE.fullmatch(lines.text[i])
        if option is not None and not type_:
            type_ = option.group("type").strip()
    arg = f"{type_} {name}" if type_ else name
    return _Field("attribute", _K.ATTRIBUTES, "named", arg, "", line, end)


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
    description = _sphinx_description(lines, field)
    if field.role == "raises":
        names = _exception_names(field.arg)
        if not field.arg:  # ``:raises: TypeError: text``
            names, description = _raises_in_body(lines, field)
    else:
        parts = field.arg.rsplit(None, 1)
        name = _clean_name(parts[-1]) if parts else ""
        if not (_NAME_RE.fullmatch(name) and _is_valid_name(name)):
            return []
        names = [name]
        type_ = parts[0] if len(parts) == 2 else None
    if field.key == "attribute":
        description = "\n".join(
            text
            for text in lines.dedented(field.line + 1, field.end)
            if not _DIRECTIVE_TYPE_RE.fullmatch(text.strip())
        ).strip("\n")
    start, end = lines.file_line(field.line), lines.file_line(field.end)
    return [DocEntry(name, type_, description, start, end) for name in names]


_EXCEPTION_WORDS = ("Error", "Exception", "Warning", "Exit", "Interrupt", "Iteration")


def _raises_in_body(lines: _Lines, field: _Field) -> tuple[list[str], str]:
    """The exceptions of ``:raises: TypeError: text`` (or ``:raises: TypeError``).

    Without a colon after it, a bare word is read as an exception only when its name
    says so (``ValueError``), so ``:raises: Nothing`` is prose, not an entry.
    """
    heads = _raises_head(field.body) if field.body else None
    if not heads:
        return [], ""
    names = [name for name, _, _ in heads if name]
    described = _type_colon(field.body) >= 0
    if not described and not all(name.endswith(_EXCEPTION_WORDS) for name in names):
        return [], ""
    description = _join_description(heads[0][2], lines.dedented(field.line + 1, field.end))
    return names, description


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
