"""Docstring literals as source lines: the line map, refusals, and tidy removals."""

from __future__ import annotations

import pytest

from docsync.apply.literals import docstring_spans, replace_literals
from docsync.draft.mechanical.literal import DocLiteral, LineEditor, LiteralRefused


def test_body_lines_map_to_file_lines_and_render_round_trips() -> None:
    literal = 'r"""Summary.\n\n    Args:\n        a: A.\n    """'
    doc = DocLiteral.read(literal, 10)
    assert doc.opening == 'r"""' and doc.closing == '"""'
    assert doc.lines == ("Summary.", "", "    Args:", "        a: A.")
    assert doc.close_indent == "    "
    assert doc.index(13) == 3
    assert doc.render(doc.lines) == literal


def test_one_line_literal_has_inline_closing_quotes() -> None:
    doc = DocLiteral.read("'Summary.'", 1)
    assert doc.lines == ("Summary.",) and doc.close_indent is None
    assert doc.render(["Other."]) == "'Other.'"


@pytest.mark.parametrize(
    ("literal", "reason"),
    [
        ('"""A.\\n\n    b."""', "escape"),
        ('"""A. \\\n    b."""', "escape"),
        ('"""A.\r\n    b.\n    c."""', "mixes line endings"),
        ('b"""bytes."""', "not a str"),
        ('"""A.""" + "b"', "not a single string literal"),
        ('"""A.\\"""', "does not parse"),
    ],
)
def test_literals_whose_lines_cannot_be_mapped_are_refused(literal: str, reason: str) -> None:
    with pytest.raises(LiteralRefused, match=reason):
        DocLiteral.read(literal, 1)


def _edited(body: list[str], remove: tuple[int, int], section: tuple[int, int] | None) -> str:
    doc = DocLiteral.read('"""' + "\n".join([*body, "    "]) + '"""', 1)
    editor = LineEditor(doc)
    editor.remove(*remove, section)
    return editor.render()


def test_removing_the_last_section_takes_the_blank_line_before_it() -> None:
    body = ["S.", "", "    Args:", "        a: A."]
    assert _edited(body, (2, 3), None) == '"""S.\n    """'


def test_removing_a_middle_section_keeps_one_blank_line() -> None:
    body = ["S.", "", "    Args:", "        a: A.", "", "    Returns:", "        int: One."]
    assert _edited(body, (2, 3), None) == '"""S.\n\n    Returns:\n        int: One.\n    """'


def test_removing_the_first_of_blank_separated_entries_takes_the_blank_after_it() -> None:
    body = ["S.", "", "    Parameters", "    ----------", "    a", "", "    b"]
    result = _edited(body, (4, 4), (2, 6))
    assert result == '"""S.\n\n    Parameters\n    ----------\n    b\n    """'


def test_an_entry_followed_by_the_next_section_keeps_the_blank_line() -> None:
    body = [
        "S.",
        "",
        "    Args:",
        "        a: A.",
        "        b: B.",
        "",
        "    Returns:",
        "        x",
    ]
    result = _edited(body, (4, 4), (2, 4))
    assert result == '"""S.\n\n    Args:\n        a: A.\n\n    Returns:\n        x\n    """'


def test_reorder_moves_blocks_and_keeps_everything_else() -> None:
    doc = DocLiteral.read('"""S.\n    c\n      c2\n    a\n    b\n    """', 1)
    editor = LineEditor(doc)
    editor.reorder([[1, 2], [3], [4]], [[3], [4], [1, 2]])
    assert editor.render() == '"""S.\n    a\n    b\n    c\n      c2\n    """'


def test_spans_use_string_offsets_on_lines_with_wide_characters() -> None:
    text = 'def f():  # café ☕\n    """Doc ☕."""\n\n\nclass C: """Inline."""\n'
    spans = docstring_spans(text)
    assert [spans[line].source(text) for line in sorted(spans)] == [
        '"""Doc ☕."""',
        '"""Inline."""',
    ]
    replaced = replace_literals(text, spans, {2: '"""New ☕."""'})
    assert replaced == text.replace("Doc ☕.", "New ☕.")
