"""Mechanical fixes of docstring findings, as line edits of the docstring literal.

:func:`fix_docstring` takes every finding on one docstring and returns the new
literal and, for each finding it could not fix, the reason.  Each fix keeps the
docstring's own style and layout: entry blocks move or go whole (continuation
lines included), a section that loses its last entry goes with its header and one
blank line, and new text is written in the style's syntax with the indentation
of its neighbours.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from docsync.draft.mechanical import entries as L
from docsync.draft.mechanical.defaults import replace_default
from docsync.draft.mechanical.literal import DocLiteral, LineEditor, is_blank
from docsync.draft.mechanical.renames import rename_in_line, renamed_names
from docsync.models import (
    DocEntry,
    DocSection,
    Docstring,
    Finding,
    Parameter,
    SectionKind,
    Style,
    Symbol,
)
from docsync.rules.attributes import STALE_ATTRIBUTE
from docsync.rules.defaults import DEFAULT_MISMATCH
from docsync.rules.params import (
    MISSING_PARAM,
    PARAM_ORDER,
    PARAM_TYPE_MISMATCH,
    RENAMED_PARAM,
    STALE_PARAM,
)
from docsync.rules.references import BROKEN_REFERENCE
from docsync.rules.registry import RULES
from docsync.rules.returns import (
    ASYNC_GENERATOR_RETURNS,
    RETURN_TYPE_MISMATCH,
    RETURN_WITHOUT_VALUE,
    RETURNS_ON_GENERATOR,
)

__all__ = ["PLACEHOLDER", "DocFix", "fix_docstring"]

PLACEHOLDER = "TODO(docsync): describe {name}."
"""The description ``--placeholders`` writes for a missing parameter, for a person to replace."""

_PARAM_KINDS = (SectionKind.PARAMS, SectionKind.OTHER_PARAMS, SectionKind.KEYWORD_ARGS)
# Stale entries (of parameters, of attributes) are fixed together, by removing them.
_STALE_KINDS = {rule.code: rule.sections for rule in (STALE_PARAM, STALE_ATTRIBUTE)}
_RETURN_FIELDS = "returns|return|rtype"
_YIELD_WORDS = {"returns": "yields", "return": "yield", "rtype": "ytype"}
_NAME_RE = re.compile(r"\*{0,2}([A-Za-z_]\w*)")


@dataclass(frozen=True)
class DocFix:
    """The result of fixing one docstring: the new literal and what was left, with reasons."""

    literal: str
    fixed: tuple[Finding, ...]
    left: tuple[tuple[Finding, str], ...]


@dataclass
class _Context:
    symbol: Symbol
    docstring: Docstring
    doc: DocLiteral
    editor: LineEditor
    placeholders: bool

    rename_targets: frozenset[str] = frozenset()
    documented: frozenset[str] = frozenset()
    renames: dict[str, str] = field(default_factory=dict)

    @property
    def sphinx(self) -> bool:
        return self.docstring.style is Style.SPHINX

    def index(self, file_line: int) -> int:
        return self.doc.index(file_line)

    def span(self, first_line: int, last_line: int) -> tuple[int, int]:
        return self.index(first_line), self.index(last_line)

    def section_at(self, finding: Finding, *kinds: SectionKind) -> DocSection | None:
        location = finding.location
        for section in self.docstring.sections_of(*kinds):
            if (section.line, section.end_line) == (location.line, location.end_line):
                return section
        sections = self.docstring.sections_of(*kinds)
        return sections[0] if len(sections) == 1 else None


_Fix = Callable[[_Context, Finding], str | None]


def fix_docstring(
    symbol: Symbol, literal: str, findings: Sequence[Finding], *, placeholders: bool = False
) -> DocFix:
    """Fix what is mechanical among the findings on one docstring.

    Args:
        symbol: The documented symbol (its docstring parsed from ``literal``).
        literal: The literal's source text.
        findings: The findings on this docstring.
        placeholders: Insert marked placeholder entries for missing parameters.

    Returns:
        The new literal (unchanged when nothing could be fixed), the findings
        fixed, and each finding left with the reason.

    Raises:
        LiteralRefused: The literal cannot be edited line by line.
    """
    assert symbol.docstring is not None
    doc = DocLiteral.read(literal, symbol.docstring.location.line)
    ctx = _Context(symbol, symbol.docstring, doc, LineEditor(doc), placeholders)
    targets = Counter(f.evidence.actual for f in findings if f.code == RENAMED_PARAM.code)
    ctx.rename_targets = frozenset(name for name, n in targets.items() if name and n > 1)
    ctx.renames = {
        f.evidence.documented: f.evidence.actual
        for f in findings
        if f.code == RENAMED_PARAM.code and f.evidence.documented and f.evidence.actual
    }
    ctx.documented = frozenset(_bare(e.name) for e in symbol.docstring.entries_of(*_PARAM_KINDS))
    outcomes = _remove_stale(ctx, [f for f in findings if f.code in _STALE_KINDS])
    outcomes += [(f, _fix_one(ctx, f)) for f in findings if f.code not in _STALE_KINDS]
    fixed = tuple(f for f, reason in outcomes if reason is None)
    left = tuple((f, reason) for f, reason in outcomes if reason is not None)
    new_literal = ctx.editor.render() if ctx.editor.changed else literal
    return DocFix(new_literal, fixed, left)


def _fix_one(ctx: _Context, finding: Finding) -> str | None:
    """Fix one finding; ``None`` when fixed, else why it is left for a person."""
    fix = _FIXES.get(finding.code)
    if fix is None:
        return _UNFIXABLE.get(finding.code, "not a mechanical fix")
    return fix(ctx, finding)


_UNFIXABLE = {rule.code: rule.fix_needs for rule in RULES if rule.fix_needs}


# --- DS101 / DS401: stale entries -----------------------------------------------------


def _remove_stale(ctx: _Context, findings: list[Finding]) -> list[tuple[Finding, str | None]]:
    """Remove the entries of stale names; a section losing every entry goes whole."""
    results: list[tuple[Finding, str | None]] = []
    by_span: dict[tuple[DocSection, int, int], list[Finding]] = defaultdict(list)
    heads: dict[tuple[DocSection, int, int], DocEntry] = {}
    for finding in findings:
        found = _entry_of(ctx, finding, _STALE_KINDS[finding.code])
        if found is None:
            results.append((finding, "the documented entry was not found in the docstring"))
            continue
        section, entry = found
        key = (section, entry.line, entry.end_line)
        heads.setdefault(key, entry)
        by_span[key].append(finding)
    doomed: dict[DocSection, list[DocEntry]] = defaultdict(list)
    for key, group in by_span.items():
        section, entry = key[0], heads[key]
        names = {f.evidence.documented for f in group}
        all_names = {_bare(e.name) for e in section.entries if _same_span(e, entry)}
        if names >= all_names:
            doomed[section].append(entry)
            results.extend((f, None) for f in group)
        else:
            results.extend((f, _drop_names(ctx, entry, names)) for f in group)
    for section, entries in doomed.items():
        _remove_entries(ctx, section, entries)
    return results


def _remove_entries(ctx: _Context, section: DocSection, entries: list[DocEntry]) -> None:
    everything = all(any(_same_span(e, d) for d in entries) for e in section.entries)
    if everything and not ctx.sphinx and _only_entries(ctx, section):
        ctx.editor.remove(*ctx.span(section.line, section.end_line))
        return
    bounds = ctx.span(section.line, section.end_line)
    for entry in entries:
        first, last = ctx.span(entry.line, entry.end_line)
        ctx.editor.remove(first, last, None if everything else bounds)
        if ctx.sphinx:
            for line in L.type_field_lines(ctx.doc, _bare(entry.name)):
                ctx.editor.remove(*L.field_block(ctx.doc, line))


def _only_entries(ctx: _Context, section: DocSection) -> bool:
    """Whether the section holds nothing but its title, underline, entries and blank lines."""
    first, last = ctx.span(section.line, section.end_line)
    covered = {first, first + 1} if ctx.docstring.style is Style.NUMPY else {first}
    for entry in section.entries:
        start, end = ctx.span(entry.line, entry.end_line)
        covered.update(range(start, end + 1))
    lines = ctx.doc.lines
    return all(i in covered or is_blank(lines[i]) for i in range(first, last + 1))


def _drop_names(ctx: _Context, entry: DocEntry, names: set[str | None]) -> str | None:
    """Remove some names from a head that documents several (``x, y : int``)."""
    index = ctx.index(entry.line)
    text = ctx.editor.text(index)
    colon = L.type_colon(text)
    head, rest = (text[:colon], text[colon:]) if colon >= 0 else (text, "")
    parts = [p.strip() for p in head.split(",")]
    kept = [p for p in parts if p.lstrip("*\\").strip() not in names]
    if ctx.sphinx or len(kept) == len(parts) or not kept:
        return "the entry documents several names in a way that cannot be split safely"
    spacing = " " if head.endswith(" ") else ""
    ctx.editor.replace(index, L.leading(text) + ", ".join(kept) + spacing + rest)
    return None


# --- DS103: renamed parameter -----------------------------------------------------------


def _rename(ctx: _Context, finding: Finding) -> str | None:
    old, new = finding.evidence.documented, finding.evidence.actual
    found = _entry_of(ctx, finding, _PARAM_KINDS)
    if found is None or not old or not new:
        return "the documented entry was not found in the docstring"
    if new in ctx.rename_targets or new in ctx.documented:
        return f"more than one entry would be called '{new}'; a person decides which one it is"
    if found[1].type and len(_shared_annotations(ctx, *found)) > 1:
        return "the entry documents several names whose annotations differ"
    index = ctx.index(found[1].line)
    renamed = L.rename_in_head(ctx.editor.text(index), old, new, sphinx=ctx.sphinx)
    if renamed is None:
        return "the entry's name is not written where expected"
    ctx.editor.replace(index, renamed)
    if ctx.sphinx:
        for line in L.type_field_lines(ctx.doc, old):
            text = L.rename_in_head(ctx.editor.text(line), old, new, sphinx=True)
            if text is not None:
                ctx.editor.replace(line, text)
    return None


# --- DS104 / DS203: contradicting types -------------------------------------------------


def _param_type(ctx: _Context, finding: Finding) -> str | None:
    """Write the annotation as the documented type, in the style's syntax."""
    found = _entry_of(ctx, finding, _PARAM_KINDS, by_name=False)
    annotation = finding.evidence.actual
    if found is None or not annotation:
        return "the documented entry was not found in the docstring"
    section, entry = found
    new_type = L.doc_type(annotation)
    name = _bare(entry.name)
    if len(_shared_annotations(ctx, section, entry)) > 1:
        return "the entry documents several names whose annotations differ"
    if ctx.sphinx:
        return _sphinx_param_type(ctx, entry, name, new_type)
    index = ctx.index(entry.line)
    text = ctx.editor.text(index)
    if ctx.docstring.style is Style.NUMPY:
        replaced = L.replace_numpy_type(text, new_type)
    else:
        replaced = L.replace_google_type(text, name, new_type)
    return _set(ctx, index, replaced)


def _shared_annotations(ctx: _Context, section: DocSection, entry: DocEntry) -> set[str]:
    """The annotations of the names one head documents, after the renames being made."""
    signature = ctx.symbol.signature
    names = [_bare(e.name) for e in section.entries if _same_span(e, entry)]
    found = set()
    for name in names:
        param = signature.param(ctx.renames.get(name, name)) if signature else None
        if param is not None and param.annotation is not None:
            found.add(param.annotation)
    return found


def _sphinx_param_type(ctx: _Context, entry: DocEntry, name: str, new_type: str) -> str | None:
    fields = L.type_field_lines(ctx.doc, name)
    if fields:
        return _set_field(ctx, fields[0], new_type)
    index = ctx.index(entry.line)
    return _set(ctx, index, L.replace_inline_type(ctx.editor.text(index), name, new_type))


def _return_type(ctx: _Context, finding: Finding) -> str | None:
    annotation = finding.evidence.actual
    entries = ctx.docstring.entries_of(SectionKind.RETURNS)
    if len(entries) != 1 or not annotation:
        return "the Returns entry was not found in the docstring"
    new_type = L.doc_type(annotation)
    if ctx.sphinx:
        fields = L.field_lines(ctx.doc, "rtype")
        return _set_field(ctx, fields[0], new_type) if fields else "no :rtype: field found"
    index = ctx.index(entries[0].line)
    numpy = ctx.docstring.style is Style.NUMPY
    return _set(ctx, index, L.replace_value_type(ctx.editor.text(index), new_type, numpy=numpy))


def _set_field(ctx: _Context, line: int, body: str) -> str | None:
    first, last = L.field_block(ctx.doc, line)
    if last > first:
        ctx.editor.remove(first + 1, last)
    return _set(ctx, first, L.replace_field_body(ctx.editor.text(first), body))


def _set(ctx: _Context, index: int, text: str | None) -> str | None:
    if text is None:
        return "the documented type is not written where expected"
    ctx.editor.replace(index, text)
    return None


def _default(ctx: _Context, finding: Finding) -> str | None:
    """DS107: write the signature's default where the docstring states the old one."""
    found = _entry_of(ctx, finding, _PARAM_KINDS, by_name=False)
    documented, actual = finding.evidence.documented, finding.evidence.actual
    if found is None or not documented or not actual:
        return "the documented entry was not found in the docstring"
    first, last = ctx.span(found[1].line, found[1].end_line)
    lines = list(range(first, last + 1))
    if ctx.sphinx:
        lines += L.type_field_lines(ctx.doc, _bare(found[1].name))
    return replace_default(ctx.editor, lines, documented, actual)


# --- DS105: order -----------------------------------------------------------------------


def _reorder(ctx: _Context, finding: Finding) -> str | None:
    """Move entry blocks to signature order; a head with several names moves as one."""
    documented = _names(finding.evidence.documented)
    expected = _names(finding.evidence.actual)
    section = ctx.section_at(finding, SectionKind.PARAMS)
    if section is None or sorted(documented) != sorted(expected):
        return "the entries to reorder were not found in one section"
    units: dict[tuple[int, int], list[str]] = {}
    heads: dict[tuple[int, int], DocEntry] = {}
    for entry in section.entries:
        if _bare(entry.name) in expected:
            span = (entry.line, entry.end_line)
            units.setdefault(span, []).append(_bare(entry.name))
            heads.setdefault(span, entry)
    if sorted(n for unit in units.values() for n in unit) != sorted(expected):
        return "an entry documents a name twice, or the entries are not in one section"
    by_name = {name: span for span, unit in units.items() for name in unit}
    order = list(dict.fromkeys(by_name[name] for name in expected))
    if sorted([name for span in order for name in units[span]]) != sorted(expected) or any(
        _spread(units[span], expected) for span in order
    ):
        return "an entry documents several names that the signature does not keep together"
    for span, unit in units.items():
        wanted = sorted(unit, key=expected.index)
        if wanted != unit and _set_head_names(ctx, heads[span], wanted) is not None:
            return "the names of an entry with several names cannot be reordered safely"
    blocks = {span: _entry_block(ctx, entry) for span, entry in heads.items()}
    ctx.editor.reorder([blocks[span] for span in units], [blocks[span] for span in order])
    return None


def _spread(unit: list[str], expected: list[str]) -> bool:
    """Whether the names of one entry are not next to each other in the signature."""
    positions = sorted(expected.index(name) for name in unit)
    return positions[-1] - positions[0] != len(positions) - 1


def _set_head_names(ctx: _Context, entry: DocEntry, names: list[str]) -> str | None:
    """Rewrite the names of a head documenting several (``y, x : int``) in a new order."""
    index = ctx.index(entry.line)
    text = ctx.editor.text(index)
    colon = L.type_colon(text)
    head, rest = (text[:colon], text[colon:]) if colon >= 0 else (text, "")
    parts = {_bare(p): p.strip() for p in head.split(",")}
    if ctx.sphinx or set(parts) != set(names):
        return "the head's names are not written as expected"
    spacing = " " if head.endswith(" ") else ""
    ctx.editor.replace(index, L.leading(text) + ", ".join(parts[n] for n in names) + spacing + rest)
    return None


def _entry_block(ctx: _Context, entry: DocEntry) -> list[int]:
    """An entry's line indices; in Sphinx style with the ``:type:`` field right after it."""
    first, last = ctx.span(entry.line, entry.end_line)
    if ctx.sphinx:
        following = [i for i in L.type_field_lines(ctx.doc, _bare(entry.name)) if i == last + 1]
        if following:
            last = L.field_block(ctx.doc, following[0])[1]
    return list(range(first, last + 1))


# --- DS201 / DS202: Returns sections ----------------------------------------------------


def _remove_returns(ctx: _Context, finding: Finding) -> str | None:
    if ctx.sphinx:
        fields = L.field_lines(ctx.doc, _RETURN_FIELDS)
        for line in fields:
            ctx.editor.remove(*L.field_block(ctx.doc, line))
        return None if fields else "no :returns: or :rtype: field found"
    section = ctx.section_at(finding, SectionKind.RETURNS)
    if section is None:
        return "the Returns section was not found in the docstring"
    ctx.editor.remove(*ctx.span(section.line, section.end_line))
    return None


def _returns_to_yields(ctx: _Context, finding: Finding) -> str | None:
    if ctx.sphinx:
        fields = L.field_lines(ctx.doc, _RETURN_FIELDS)
        for line in fields:
            text = ctx.editor.text(line)
            ctx.editor.replace(line, re.sub(r":(\w+)", _yield_field, text, count=1))
        return None if fields else "no :returns: or :rtype: field found"
    section = ctx.section_at(finding, SectionKind.RETURNS)
    if section is None:
        return "the Returns section was not found in the docstring"
    index = ctx.index(section.line)
    title = ctx.editor.text(index)
    ctx.editor.replace(index, re.sub(r"(?i)\breturn(s?)\b", _yield_word, title, count=1))
    if ctx.docstring.style is Style.NUMPY:
        _retitle_underline(ctx, index + 1, title.strip(), ctx.editor.text(index).strip())
    return None


def _retitle_underline(ctx: _Context, index: int, old_title: str, new_title: str) -> None:
    underline = ctx.editor.text(index)
    mark = underline.strip()
    if mark and len(mark) == len(old_title):
        ctx.editor.replace(index, L.leading(underline) + mark[0] * len(new_title))


def _yield_word(found: re.Match[str]) -> str:
    word = found.group()
    new = "yield" + ("s" if found.group(1) else "")
    if word.isupper():
        return new.upper()
    return new.capitalize() if word[0].isupper() else new


def _yield_field(found: re.Match[str]) -> str:
    return ":" + _YIELD_WORDS.get(found.group(1).lower(), found.group(1))


# --- DS102 with placeholders ------------------------------------------------------------


def _placeholder(ctx: _Context, finding: Finding) -> str | None:
    """Insert an entry for a missing parameter at its signature position, marked for a person."""
    if not ctx.placeholders:
        return MISSING_PARAM.fix_needs
    signature = ctx.symbol.signature
    found = _NAME_RE.match(finding.evidence.actual or "")
    param = signature.param(found.group(1)) if signature and found else None
    section = ctx.section_at(finding, *_PARAM_KINDS)
    if param is None or section is None or not section.entries or signature is None:
        return "the parameter section to add the entry to was not found"
    anchor = _anchor(ctx, section, param, [p.name for p in signature.params])
    lines = _placeholder_lines(ctx, section, param)
    if _blank_separated(ctx, section):
        first = anchor < ctx.index(section.entries[0].line)
        lines = [*lines, ""] if first else ["", *lines]
    ctx.editor.insert_after(anchor, lines)
    return None


def _blank_separated(ctx: _Context, section: DocSection) -> bool:
    """Whether the section's entries are separated by blank lines (common in NumPy style)."""
    ends = sorted({ctx.index(e.end_line) for e in section.entries})[:-1]
    lines = ctx.doc.lines
    return bool(ends) and all(end + 1 < len(lines) and is_blank(lines[end + 1]) for end in ends)


def _anchor(ctx: _Context, section: DocSection, param: Parameter, order: list[str]) -> int:
    """The line index to insert after: the block of the nearest earlier documented param."""
    blocks = {_bare(e.name): _entry_block(ctx, e) for e in section.entries}
    before = order[: order.index(param.name)]
    for name in reversed(before):
        if name in blocks:
            return blocks[name][-1]
    return ctx.index(section.entries[0].line) - 1


def _placeholder_lines(ctx: _Context, section: DocSection, param: Parameter) -> list[str]:
    first = section.entries[0]
    head = ctx.doc.lines[ctx.index(first.line)]
    indent = L.leading(head)
    text = PLACEHOLDER.format(name=param.name)
    typed = param.annotation is not None and _mostly_typed(section)
    type_ = L.doc_type(param.annotation) if param.annotation else ""
    style = ctx.docstring.style
    if style is Style.SPHINX:
        lines = [f"{indent}:param {param.name}: {text}"]
        if param.annotation and L.has_type_fields(ctx.doc):
            lines.append(f"{indent}:type {param.name}: {type_}")
        return lines
    if style is Style.NUMPY:
        optional = param.default is not None and any(
            "optional" in (e.type or "") for e in section.entries
        )
        name = f"{param.name} : {type_}{', optional' if optional else ''}" if type_ else param.name
        return [f"{indent}{name}", f"{_description_indent(ctx, first, indent)}{text}"]
    return [f"{indent}{param.name}{f' ({type_})' if typed else ''}: {text}"]


def _mostly_typed(section: DocSection) -> bool:
    return sum(bool(e.type) for e in section.entries) * 2 > len(section.entries)


def _description_indent(ctx: _Context, entry: DocEntry, indent: str) -> str:
    """The indent of an entry's description lines, or one level deeper than ``indent``."""
    first, last = ctx.span(entry.line, entry.end_line)
    for index in range(first + 1, last + 1):
        if not is_blank(ctx.doc.lines[index]):
            return L.leading(ctx.doc.lines[index])
    return indent + ("\t" if "\t" in indent else "    ")


# --- DS601: references to renamed code --------------------------------------------------


def _reference(ctx: _Context, finding: Finding) -> str | None:
    names = renamed_names(finding)
    if names is None:
        return "the reference names code the change removed; a person decides what replaces it"
    index = ctx.index(finding.location.line)
    if not 0 <= index < len(ctx.doc.lines):
        return "the reference is not on a line of the docstring"
    written = finding.evidence.documented or ""
    renamed = rename_in_line(ctx.editor.text(index), written, *names)
    if renamed is None:
        return "the reference is not written on its line as reported"
    ctx.editor.replace(index, renamed)
    return None


# --- helpers ----------------------------------------------------------------------------


def _bare(name: str | None) -> str:
    return (name or "").replace("\\", "").replace("`", "").lstrip("*").strip()


def _names(text: str | None) -> list[str]:
    return [n.strip() for n in (text or "").split(",") if n.strip()]


def _same_span(a: DocEntry, b: DocEntry) -> bool:
    return (a.line, a.end_line) == (b.line, b.end_line)


def _entry_of(
    ctx: _Context, finding: Finding, kinds: Sequence[SectionKind], *, by_name: bool = True
) -> tuple[DocSection, DocEntry] | None:
    """The section and entry a finding is located on, matched by span (and by name)."""
    location, name = finding.location, finding.evidence.documented
    for section in ctx.docstring.sections_of(*kinds):
        for entry in section.entries:
            if (entry.line, entry.end_line) != (location.line, location.end_line):
                continue
            bare = _bare(entry.name)
            if not by_name or name in (bare, bare.removeprefix("self."), bare.removeprefix("cls.")):
                return section, entry
    return None


_FIXES: dict[str, _Fix] = {
    MISSING_PARAM.code: _placeholder,
    RENAMED_PARAM.code: _rename,
    PARAM_TYPE_MISMATCH.code: _param_type,
    PARAM_ORDER.code: _reorder,
    RETURN_WITHOUT_VALUE.code: _remove_returns,
    RETURNS_ON_GENERATOR.code: _returns_to_yields,
    RETURN_TYPE_MISMATCH.code: _return_type,
    ASYNC_GENERATOR_RETURNS.code: _remove_returns,
    DEFAULT_MISMATCH.code: _default,
    BROKEN_REFERENCE.code: _reference,
}
