"""Generated docstrings with real sections, and what the parser must read from them.

:func:`docstrings` draws a style, a few sections (parameters, returns, raises,
attributes) and their entries from generated names, types and descriptions, writes
the docstring the way that style's guide shows it, and keeps what was written: every
section's kind and line span, and every entry's name, type, description and line span,
as absolute file lines for a literal whose first line is ``first_line``.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

from hypothesis import strategies as st

from docsync.models import SectionKind, Style

Entry = tuple[str | None, str | None, str, int, int]
"""What an entry must parse to: name, type, description, line, end line."""
Section = tuple[SectionKind, int, int, list[Entry]]
"""What a section must parse to: kind, line, end line, entries."""

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Words of prose, section titles and type names among them; without colons, parentheses
# or markup, a sentence never looks like structure.
_WORDS = [
    "the", "value", "to", "use", "if", "set", "when", "none", "of", "them", "is", "a", "an",
    "or", "returns", "raises", "args", "parameters", "attributes", "yields", "note", "example",
    "see", "also", "type", "int", "str", "optional", "default", "list", "keys",
]  # fmt: skip
_SENTENCE = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8).map(
    lambda words: " ".join(words).capitalize() + "."
)
_WORD = st.text(_LETTERS, min_size=1, max_size=8)
_NAME = st.builds(
    "{}{}".format, st.sampled_from(_LETTERS), st.text(_LETTERS + "0123456789_", max_size=11)
).filter(lambda name: not keyword.iskeyword(name))  # ``as`` is no parameter or attribute
_CLASS = st.builds(
    "{}{}".format,
    _WORD.map(str.capitalize),
    st.one_of(st.just(""), _WORD.map(str.capitalize)),
)
_EXCEPTION = st.builds("{}{}".format, _CLASS, st.sampled_from(["Error", "Warning", "Exit"]))
_TYPE = st.one_of(
    st.sampled_from(
        [
            "int",
            "str",
            "list[str]",
            "dict(str, int)",
            "Callable[[int], str]",
            "int, optional",
            "str | None",
            "pkg.Thing",
        ]
    ),
    _CLASS,
)
_RETURN_TYPE = st.one_of(
    st.sampled_from(["int", "list[str]", "dict(str, int)", "Optional[Foo]", "str | None"]), _CLASS
)
_SIMPLE_TYPE = re.compile(r"[A-Za-z_][\w.]*")

_GOOGLE_TITLES = {
    SectionKind.PARAMS: "Args",
    SectionKind.RETURNS: "Returns",
    SectionKind.RAISES: "Raises",
    SectionKind.ATTRIBUTES: "Attributes",
}
_NUMPY_TITLES = {
    SectionKind.PARAMS: "Parameters",
    SectionKind.RETURNS: "Returns",
    SectionKind.RAISES: "Raises",
    SectionKind.ATTRIBUTES: "Attributes",
}
_SPHINX_FIELDS = {  # the field of an entry, and the field that gives its type
    SectionKind.PARAMS: ("param", "type"),
    SectionKind.RETURNS: ("returns", "rtype"),
    SectionKind.RAISES: ("raises", None),
    SectionKind.ATTRIBUTES: ("ivar", "vartype"),
}


@dataclass(frozen=True)
class Item:
    """One entry to write: ``name`` is ``None`` for a return value."""

    name: str | None
    type: str | None
    lines: tuple[str, ...]
    inline_type: bool = False  # Sphinx: ``:param int x:`` rather than a ``:type x:`` field
    hanging: bool = True  # Google: lines after the first indented deeper, not just wrapped


@dataclass
class Built:
    """A generated docstring (the literal's text) and what the parser must find in it."""

    style: Style
    first_line: int
    lines: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    @property
    def raw(self) -> str:
        return "\n".join(self.lines)

    def add(self, text: str, indent: str) -> int:
        """Append a line (indented unless blank); returns its file line."""
        self.lines.append(indent + text if text else "")
        return self.first_line + len(self.lines) - 1


def _entry(built: Built, style: Style, kind: SectionKind, item: Item, indent: str) -> Entry:
    """Write one entry in ``style``; returns what it must parse to."""
    first, *rest = item.lines or ("",)
    description = "\n".join(item.lines)
    if style is Style.GOOGLE:
        if kind is SectionKind.RETURNS:
            head = f"{item.type}: {first}" if item.type else first
        elif item.type:
            head = f"{item.name} ({item.type}): {first}"
        else:
            head = f"{item.name}: {first}"
        line = end = built.add("    " + head, indent)
        for text in rest:
            end = built.add(("        " if item.hanging else "    ") + text, indent)
    elif style is Style.NUMPY:
        if kind is SectionKind.RETURNS or kind is SectionKind.RAISES:
            head = item.type if kind is SectionKind.RETURNS else item.name
        else:
            head = f"{item.name} : {item.type}" if item.type else item.name
        line = end = built.add(str(head), indent)
        for text in item.lines:
            end = built.add("    " + text, indent)
    else:
        key, type_key = _SPHINX_FIELDS[kind]
        if kind is SectionKind.RETURNS:
            argument = ""
        elif item.inline_type:
            argument = f" {item.type} {item.name}"
        else:
            argument = f" {item.name}"
        line = end = built.add(f":{key}{argument}: {first}", indent)
        for text in rest:
            end = built.add("    " + text, indent)
        if item.type and type_key and not item.inline_type:
            target = "" if kind is SectionKind.RETURNS else f" {item.name}"
            built.add(f":{type_key}{target}: {item.type}", indent)
    return (item.name, item.type, description, line, end)


def _section(
    built: Built, style: Style, kind: SectionKind, items: list[Item], indent: str
) -> Section:
    if style is Style.GOOGLE:
        start = built.add(f"{_GOOGLE_TITLES[kind]}:", indent)
    elif style is Style.NUMPY:
        title = _NUMPY_TITLES[kind]
        start = built.add(title, indent)
        built.add("-" * len(title), indent)
    else:
        start = built.first_line + len(built.lines)  # the first field is the section's start
    entries = [_entry(built, style, kind, item, indent) for item in items]
    return (kind, start, built.first_line + len(built.lines) - 1, entries)


@st.composite
def _items(draw: st.DrawFn, style: Style, kind: SectionKind) -> list[Item]:
    """The entries of one section of ``kind``, with unique names."""
    least = 0 if style is Style.NUMPY else 1  # NumPy entries may have no description
    lines = st.lists(_SENTENCE, min_size=least, max_size=3).map(tuple)
    if kind is SectionKind.RETURNS:
        type_ = draw(_RETURN_TYPE if style is Style.NUMPY else st.one_of(st.none(), _RETURN_TYPE))
        # An untyped Returns is prose: its lines line up (a deeper line stays indented).
        return [Item(None, type_, draw(lines), hanging=type_ is not None and draw(st.booleans()))]
    if kind is SectionKind.RAISES:
        names = draw(st.lists(_EXCEPTION, min_size=1, max_size=3, unique=True))
        return [Item(name, None, draw(lines), hanging=draw(st.booleans())) for name in names]
    names = draw(st.lists(_NAME, min_size=1, max_size=4, unique=True))
    items = []
    for name in names:
        type_ = draw(st.one_of(st.none(), _TYPE))
        inline = (
            style is Style.SPHINX
            and kind is SectionKind.PARAMS
            and type_ is not None
            and _SIMPLE_TYPE.fullmatch(type_) is not None
            and draw(st.booleans())
        )
        items.append(Item(name, type_, draw(lines), inline, draw(st.booleans())))
    return items


@st.composite
def docstrings(draw: st.DrawFn, first_line: int = 10) -> Built:
    """A docstring of a drawn style with one to four drawn sections, and what it holds."""
    style = draw(st.sampled_from([Style.GOOGLE, Style.NUMPY, Style.SPHINX]))
    indent = draw(st.sampled_from(["", "    "]))  # as written inside a function, or not
    kinds = draw(st.permutations(list(_GOOGLE_TITLES)))[: draw(st.integers(1, 4))]
    built = Built(style, first_line)
    built.add(draw(_SENTENCE), "")  # the summary, on the line of the opening quotes
    built.add("", indent)
    for sentence in draw(st.lists(_SENTENCE, max_size=2)):  # an optional paragraph
        built.add(sentence, indent)
    for kind in kinds:
        if built.lines[-1]:
            built.add("", indent)
        items = draw(_items(style, kind))
        built.sections.append(_section(built, style, kind, items, indent))
    if indent:
        built.add("", indent)  # the closing quotes' line
        built.lines[-1] = indent
    return built
