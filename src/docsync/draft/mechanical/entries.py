"""Find the lines of a docstring literal that drafts edit: entries, Sphinx fields, names, types.

Everything here reads the literal's *source* lines (see
:class:`~docsync.draft.mechanical.literal.DocLiteral`) and answers with body line indices
or with a rewritten line; ``None`` means "not found as expected", which the
drafter turns into a finding left for a person rather than a guess.
"""

from __future__ import annotations

import re

from docsync.draft.mechanical.literal import DocLiteral, is_blank

__all__ = [
    "doc_type",
    "field_block",
    "field_lines",
    "indent_of",
    "leading",
    "rename_in_head",
    "replace_google_type",
    "replace_numpy_type",
    "replace_value_type",
    "split_qualifiers",
]

_STARS = r"(?:\\?\*){0,2}"
_QUALIFIER_RE = re.compile(
    r"^(?P<core>.*?)(?P<suffix>\s*,\s*(?:optional|default)\b.*)$", re.I | re.S
)
_NAMED_KEYS = "param|parameter|arg|argument|key|keyword|kwarg|kwparam|ivar|cvar|var"
_TYPE_KEYS = "type|kwtype|vartype"


def leading(text: str) -> str:
    """The whitespace a line starts with, as written (tabs kept).

    Args:
        text: A line.

    Returns:
        Its leading whitespace.
    """
    return text[: len(text) - len(text.lstrip())]


def indent_of(doc: DocLiteral, index: int) -> int:
    """The indent width of a body line, tabs expanded; line 0 counts as the margin.

    Args:
        doc: The literal.
        index: A body line index.

    Returns:
        The width of the line's indent.
    """
    if index == 0:
        widths = [len(leading(t.expandtabs())) for t in doc.lines[1:] if not is_blank(t)]
        return min(widths, default=0)
    return len(leading(doc.lines[index].expandtabs()))


def field_block(doc: DocLiteral, start: int) -> tuple[int, int]:
    """The span of the Sphinx field on line ``start`` and its continuation lines.

    Args:
        doc: The literal.
        start: The index of the field's line.

    Returns:
        The first and last index of the field.
    """
    end = start
    current = start + 1
    while current < len(doc.lines):
        if not is_blank(doc.lines[current]):
            if indent_of(doc, current) <= indent_of(doc, start):
                break
            end = current
        current += 1
    return start, end


def field_lines(doc: DocLiteral, keys: str, name: str | None = None) -> list[int]:
    """The indices of the Sphinx field lines with one of ``keys``, for ``name`` if given.

    Args:
        doc: The literal.
        keys: Field names separated by ``|`` (``"returns|return|rtype"``).
        name: The field's argument: a parameter or attribute name (stars allowed
            in the text), or ``None`` for fields without one.

    Returns:
        The matching line indices, in order.
    """
    if name is None:
        pattern = re.compile(rf":(?:{keys})\s*:(?:\s|$)")
    else:
        pattern = re.compile(rf":(?:{keys})\s+(?:[^:]*\s)?{_STARS}{re.escape(name)}\s*:(?:\s|$)")
    return [i for i, text in enumerate(doc.lines) if pattern.match(text.strip() + " ")]


def type_field_lines(doc: DocLiteral, name: str) -> list[int]:
    """The lines of the ``:type name:`` (or ``:kwtype:``/``:vartype:``) fields of ``name``.

    Args:
        doc: The literal.
        name: The parameter or attribute name.

    Returns:
        The matching line indices.
    """
    return field_lines(doc, _TYPE_KEYS, name)


def has_type_fields(doc: DocLiteral) -> bool:
    """Whether the docstring writes parameter types as ``:type name:`` fields.

    Args:
        doc: The literal.

    Returns:
        True when any ``:type ...:`` field is present.
    """
    return any(re.match(r":type\s+\S", text.strip()) for text in doc.lines)


def rename_in_head(text: str, old: str, new: str, *, sphinx: bool) -> str | None:
    """The entry head line ``text`` with the documented name ``old`` renamed to ``new``.

    Stars and escapes before the name are kept.

    Args:
        text: The head line (``x (int): ...``, ``x : int``, ``:param int x: ...``).
        old: The documented name, bare.
        new: The new name, bare.
        sphinx: Whether the line is a Sphinx field (the name is its argument).

    Returns:
        The renamed line, or ``None`` when the name is not found where expected.
    """
    if sphinx:
        pattern = (
            rf"^(\s*:(?:{_NAMED_KEYS}|{_TYPE_KEYS})\s+(?:[^:]*\s)?{_STARS}){re.escape(old)}(\s*:)"
        )
    else:
        pattern = rf"^(\s*(?:[^\s:(]+\s*,\s*)*{_STARS}){re.escape(old)}(?![\w])()"
    found = re.match(pattern, text)
    if found is None:
        return None
    return f"{found.group(1)}{new}{found.group(2)}{text[found.end() :]}"


def split_qualifiers(type_text: str) -> tuple[str, str]:
    """Split ``int, optional`` into the type and its qualifiers.

    Args:
        type_text: A documented type as written.

    Returns:
        The type and the suffix (``", optional"``, ``", default: 3"``, or ``""``).
    """
    found = _QUALIFIER_RE.match(type_text)
    if found is None:
        return type_text, ""
    return found.group("core"), found.group("suffix")


def doc_type(annotation: str) -> str:
    """How an annotation is written as a documented type.

    Args:
        annotation: The annotation's source text.

    Returns:
        The text on one line; a whole-string forward reference loses its quotes.
    """
    text = " ".join(annotation.split())
    quote = text[:1]
    if len(text) >= 2 and quote in "'\"" and text.endswith(quote) and quote not in text[1:-1]:
        text = text[1:-1]
    return text


def replace_google_type(text: str, name: str, new_type: str) -> str | None:
    """Replace the type in parentheses of a Google entry head ``name (type): ...``.

    Args:
        text: The head line.
        name: The documented name, bare.
        new_type: The type to write; qualifiers such as ``, optional`` are kept.

    Returns:
        The new line, or ``None`` when the head has no parenthesised type.
    """
    found = re.match(rf"\s*(?:[^\s:(]+\s*,\s*)*{_STARS}{re.escape(name)}\s*\(", text)
    if found is None:
        return None
    start = found.end()
    close = _closing_bracket(text, start - 1)
    if close is None:
        return None
    return text[:start] + _retyped(text[start:close], new_type) + text[close:]


def replace_numpy_type(text: str, new_type: str) -> str | None:
    """Replace the type after the colon of a NumPy head ``name : type``.

    Args:
        text: The head line.
        new_type: The type to write; qualifiers such as ``, optional`` are kept.

    Returns:
        The new line, or ``None`` when there is no type colon.
    """
    colon = type_colon(text)
    if colon < 0:
        return None
    return text[: colon + 1] + _retyped(text[colon + 1 :], new_type)


def replace_value_type(text: str, new_type: str, *, numpy: bool) -> str | None:
    """Replace the type of a Returns entry head: ``type: desc`` (Google) or ``type`` (NumPy).

    Args:
        text: The entry's first line.
        new_type: The type to write.
        numpy: NumPy style, where the head is a bare type or ``name : type``.

    Returns:
        The new line, or ``None`` when the type is not found.
    """
    colon = type_colon(text)
    if numpy:
        if colon >= 0 and re.match(r"\s*[A-Za-z_]\w*\s+:", text):
            return replace_numpy_type(text, new_type)
        return leading(text) + _retyped(text.strip(), new_type)
    if colon < 0:
        return None
    return leading(text) + _retyped(text[:colon].strip(), new_type) + text[colon:]


def replace_field_body(text: str, new_body: str) -> str | None:
    """Replace what follows a Sphinx field's name: ``:rtype: old`` to ``:rtype: new``.

    Args:
        text: The field line.
        new_body: The new body text.

    Returns:
        The new line, or ``None`` when ``text`` is not a field line.
    """
    found = re.match(r"(\s*:[^:]+:)(\s*)", text)
    if found is None:
        return None
    return f"{found.group(1)}{found.group(2) or ' '}{new_body}"


def replace_inline_type(text: str, name: str, new_type: str) -> str | None:
    """Replace the type of ``:param type name:`` with ``new_type``.

    Args:
        text: The field line.
        name: The parameter name, bare.
        new_type: The type to write.

    Returns:
        The new line, or ``None`` when the field has no inline type.
    """
    pattern = rf"(\s*:(?:{_NAMED_KEYS})\s+)(\S.*?)(\s+{_STARS}{re.escape(name)}\s*:)"
    found = re.match(pattern, text)
    if found is None:
        return None
    return f"{found.group(1)}{new_type}{found.group(3)}{text[found.end() :]}"


def _retyped(written: str, new_type: str) -> str:
    """``written`` (a type with its surrounding spaces) with the type part replaced."""
    stripped = written.strip()
    before = written[: len(written) - len(written.lstrip())]
    after = written[len(written.rstrip()) :]
    _, suffix = split_qualifiers(stripped)
    return f"{before}{new_type}{suffix}{after}"


def _closing_bracket(text: str, opening: int) -> int | None:
    depth = 0
    for index in range(opening, len(text)):
        if text[index] in "([{":
            depth += 1
        elif text[index] in ")]}":
            depth -= 1
            if depth == 0:
                return index
    return None


def type_colon(text: str) -> int:
    """The index of the first colon outside brackets followed by a space or the end.

    Args:
        text: A line.

    Returns:
        The index, or -1.
    """
    depth = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == ":" and depth == 0 and (index + 1 == len(text) or text[index + 1].isspace()):
            return index
    return -1
