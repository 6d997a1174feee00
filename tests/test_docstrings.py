"""Tests for the docstring parser: styles, entries, absolute spans and robustness."""

from __future__ import annotations

import ast
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docsync.models import DocEntry, Docstring, Location, SectionKind, Style
from docsync.scan.docstrings import detect_style, parse_docstring
from helpers_docstrings import Built, docstrings

DATA = Path(__file__).parent / "data" / "docstrings"
FIRST_LINE = 10


def parse(raw: str, default_style: Style | None = None) -> Docstring:
    """Parse ``raw`` as a literal whose first line is file line 10."""
    return parse_docstring(raw, Location("pkg/mod.py", FIRST_LINE, FIRST_LINE), default_style)


def entries(doc: Docstring, kind: SectionKind) -> list[tuple[str | None, str | None]]:
    return [(e.name, e.type) for e in doc.entries_of(kind)]


def only_entry(doc: Docstring, kind: SectionKind) -> DocEntry:
    (entry,) = doc.entries_of(kind)
    return entry


# --- Google -------------------------------------------------------------------------------


def test_google_params_with_and_without_types() -> None:
    doc = parse("Sum.\n\n    Args:\n        x (int): First.\n        y: Second.\n    ")
    assert doc.style is Style.GOOGLE
    assert entries(doc, SectionKind.PARAMS) == [("x", "int"), ("y", None)]
    assert [e.description for e in doc.entries_of(SectionKind.PARAMS)] == ["First.", "Second."]


def test_google_optional_and_nested_types_are_kept_as_written() -> None:
    doc = parse(
        "S.\n\nArgs:\n    a (int, optional): A.\n    b (dict(str, int)): B.\n"
        "    c (Callable[[int], str]):  C.\n"
    )
    assert entries(doc, SectionKind.PARAMS) == [
        ("a", "int, optional"),
        ("b", "dict(str, int)"),
        ("c", "Callable[[int], str]"),
    ]


def test_google_star_args_and_kwargs_including_escaped_stars() -> None:
    doc = parse("S.\n\nArgs:\n    *args: Rest.\n    \\**kwargs (dict): Options.\n")
    assert entries(doc, SectionKind.PARAMS) == [("*args", None), ("**kwargs", "dict")]


def test_google_multiline_description_and_span() -> None:
    doc = parse(
        "S.\n\nArgs:\n    x: First line\n        second line\n\n        third.\n    y: Y.\n"
    )
    x, y = doc.entries_of(SectionKind.PARAMS)
    assert x.description == "First line\nsecond line\n\nthird."
    assert (x.line, x.end_line) == (13, 16)
    assert (y.line, y.end_line) == (17, 17)


def test_google_unindented_wrapped_line_continues_the_entry() -> None:
    doc = parse("S.\n\nArgs:\n    x: A long text that\n    wraps badly.\n    y: Y.\n")
    assert entries(doc, SectionKind.PARAMS) == [("x", None), ("y", None)]
    x = doc.entries_of(SectionKind.PARAMS)[0]
    assert x.description == "A long text that\nwraps badly."
    assert (x.line, x.end_line) == (13, 14)


@pytest.mark.parametrize("body", ["None", "No arguments.", "See (this) and (that): here."])
def test_google_prose_in_args_makes_no_entry(body: str) -> None:
    doc = parse(f"S.\n\nArgs:\n    {body}\n")
    assert doc.style is Style.GOOGLE
    assert doc.entries_of(SectionKind.PARAMS) == ()


@pytest.mark.parametrize(
    ("first", "expected_type", "expected_description"),
    [
        ("int: The count.", "int", "The count."),
        ("list[str]: Names.", "list[str]", "Names."),
        ("dict(str, int): Map.", "dict(str, int)", "Map."),
        ("Optional[Foo]: Maybe.", "Optional[Foo]", "Maybe."),
        ("tuple of int: Pair.", "tuple of int", "Pair."),
        ("str | None: Text.", "str | None", "Text."),
        (":class:`~pkg.Foo`: A foo.", ":class:`~pkg.Foo`", "A foo."),
        ("The result: something.", None, "The result: something."),
        ("True if it worked.", None, "True if it worked."),
        ("See http://example.com: docs.", None, "See http://example.com: docs."),
    ],
)
def test_google_returns_type_only_when_it_looks_like_one(
    first: str, expected_type: str | None, expected_description: str
) -> None:
    entry = only_entry(parse(f"S.\n\nReturns:\n    {first}\n"), SectionKind.RETURNS)
    assert (entry.name, entry.type, entry.description) == (
        None,
        expected_type,
        expected_description,
    )


def test_google_returns_multiline_is_one_entry() -> None:
    doc = parse("S.\n\nReturns:\n    bool: True when\n        it worked.\n\nMore prose.\n")
    entry = only_entry(doc, SectionKind.RETURNS)
    assert (entry.type, entry.description) == ("bool", "True when\nit worked.")
    assert (entry.line, entry.end_line) == (13, 14)
    assert doc.sections[0].end_line == 14


def test_google_yields() -> None:
    entry = only_entry(parse("S.\n\nYields:\n    int: Numbers.\n"), SectionKind.YIELDS)
    assert (entry.name, entry.type, entry.description) == (None, "int", "Numbers.")


def test_google_raises_with_and_without_description() -> None:
    doc = parse(
        "S.\n\nRaises:\n    ValueError: If bad.\n    KeyError\n    pkg.errors.Boom: Dotted.\n"
        "    :exc:`TypeError`: Role.\n"
    )
    assert [e.name for e in doc.entries_of(SectionKind.RAISES)] == [
        "ValueError",
        "KeyError",
        "pkg.errors.Boom",
        "TypeError",
    ]
    assert doc.entries_of(SectionKind.RAISES)[0].description == "If bad."


def test_google_raises_prose_is_not_an_exception() -> None:
    doc = parse("S.\n\nRaises:\n    If the file is missing, an error.\n")
    assert doc.entries_of(SectionKind.RAISES) == ()


def test_google_attributes() -> None:
    doc = parse("A class.\n\nAttributes:\n    name (str): The name.\n    size: The size.\n")
    assert entries(doc, SectionKind.ATTRIBUTES) == [("name", "str"), ("size", None)]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Args", SectionKind.PARAMS),
        ("Arguments", SectionKind.PARAMS),
        ("Parameters", SectionKind.PARAMS),
        ("Params", SectionKind.PARAMS),
        ("Other Parameters", SectionKind.OTHER_PARAMS),
        ("Other Args", SectionKind.OTHER_PARAMS),
        ("Keyword Args", SectionKind.KEYWORD_ARGS),
        ("Keyword Arguments", SectionKind.KEYWORD_ARGS),
        ("Kwargs", SectionKind.KEYWORD_ARGS),
        ("Keyword Parameters", SectionKind.KEYWORD_ARGS),
        ("Attributes", SectionKind.ATTRIBUTES),
    ],
)
def test_google_section_titles(title: str, kind: SectionKind) -> None:
    doc = parse(f"S.\n\n{title}:\n    key (str): K.\n")
    (section,) = doc.sections
    assert (section.kind, section.title) == (kind, title)
    assert entries(doc, kind) == [("key", "str")]


def test_google_section_ends_at_base_indent_prose() -> None:
    doc = parse("S.\n\nArgs:\n    x: X.\nThis is prose: not an entry.\n    y: indented again.\n")
    assert entries(doc, SectionKind.PARAMS) == [("x", None)]
    assert doc.sections[0].end_line == 13


def test_google_example_section_with_colon_lines_has_no_entries() -> None:
    doc = parse("S.\n\nExample:\n    foo: bar\n    baz (int): qux\n\nArgs:\n    x: X.\n")
    example, args = doc.sections
    assert (example.kind, example.title, example.entries) == (SectionKind.OTHER, "Example", ())
    assert (example.line, example.end_line) == (12, 14)
    assert entries(doc, SectionKind.PARAMS) == [("x", None)]
    assert args.line == 16


def test_google_doctest_line_is_not_an_entry() -> None:
    doc = parse("S.\n\nArgs:\n    x: X.\n    >>> y: int = 3\n    y: output\n\n    z: Z.\n")
    assert entries(doc, SectionKind.PARAMS) == [("x", None), ("z", None)]


def test_google_header_needs_its_own_line_and_indented_content() -> None:
    assert parse("S.\n\nArgs: are passed through.\n    x: X.\n").sections == ()
    assert parse("S.\n\nArgs:\nx: X.\n").sections == ()
    assert parse("We use Args: in a sentence.\n").sections == ()


# --- literal text is never structure --------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "S.\n\nLike this::\n\n    Args:\n        x: X.\n",
        "S.\n\n.. code-block:: python\n\n    Args:\n        x: X.\n    :param y: Y.\n",
        "S.\n\n```python\nArgs:\n    x: X.\n:param y: Y.\n```\n",
        "S.\n\n>>> Args:\n...     x: X.\n",
    ],
)
def test_literal_text_is_not_parsed(raw: str) -> None:
    doc = parse(raw)
    assert (doc.style, doc.sections) == (Style.PLAIN, ())


def test_literal_block_ends_where_indentation_returns() -> None:
    doc = parse("S. Like this::\n\n    code: here\n\nArgs:\n    x: X.\n")
    assert entries(doc, SectionKind.PARAMS) == [("x", None)]


# --- NumPy --------------------------------------------------------------------------------

NUMPY = """Sum things.

    Parameters
    ----------
    x : int
        The x.
    y
        No type.
    z : float, optional
    a, b : str
        Two at once.
    *args
        Rest.
    **kwargs : dict
        Options.

    Returns
    -------
    int
        The total,
        over two lines.
    name : str
        A name.

    Raises
    ------
    ValueError
        If bad.
    TypeError, KeyError
    """


def test_numpy_params() -> None:
    doc = parse(NUMPY)
    assert doc.style is Style.NUMPY
    assert entries(doc, SectionKind.PARAMS) == [
        ("x", "int"),
        ("y", None),
        ("z", "float, optional"),
        ("a", "str"),
        ("b", "str"),
        ("*args", None),
        ("**kwargs", "dict"),
    ]


def test_numpy_spans_and_descriptions() -> None:
    doc = parse(NUMPY)
    params = doc.sections_of(SectionKind.PARAMS)[0]
    assert (params.title, params.line, params.end_line) == ("Parameters", 12, 24)
    by_name = {e.name: e for e in params.entries}
    assert (by_name["x"].line, by_name["x"].end_line, by_name["x"].description) == (
        14,
        15,
        "The x.",
    )
    assert (by_name["z"].line, by_name["z"].end_line, by_name["z"].description) == (18, 18, "")
    assert (by_name["a"].line, by_name["a"].end_line) == (by_name["b"].line, by_name["b"].end_line)


def test_numpy_returns_type_only_and_named() -> None:
    doc = parse(NUMPY)
    first, second = doc.entries_of(SectionKind.RETURNS)
    assert (first.name, first.type, first.description) == (
        None,
        "int",
        "The total,\nover two lines.",
    )
    assert (first.line, first.end_line) == (28, 30)
    assert (second.name, second.type) == ("name", "str")


def test_numpy_raises() -> None:
    doc = parse(NUMPY)
    assert [e.name for e in doc.entries_of(SectionKind.RAISES)] == [
        "ValueError",
        "TypeError",
        "KeyError",
    ]
    assert doc.entries_of(SectionKind.RAISES)[0].description == "If bad."
    assert doc.sections[-1].end_line == 38


def test_numpy_returns_prose_is_one_untyped_entry() -> None:
    doc = parse("S.\n\nReturns\n-------\nThe sum of the values,\ncomputed in a loop.\n")
    entry = only_entry(doc, SectionKind.RETURNS)
    assert (entry.name, entry.type) == (None, None)
    assert entry.description == "The sum of the values,\ncomputed in a loop."


def test_numpy_yields_attributes_and_other_parameters() -> None:
    doc = parse(
        "S.\n\nYields\n------\nint\n    Numbers.\n\nAttributes\n----------\nsize : int\n"
        "\nOther Parameters\n----------------\nverbose : bool\n"
    )
    assert entries(doc, SectionKind.YIELDS) == [(None, "int")]
    assert entries(doc, SectionKind.ATTRIBUTES) == [("size", "int")]
    assert entries(doc, SectionKind.OTHER_PARAMS) == [("verbose", "bool")]


def test_numpy_blank_line_then_prose_ends_the_section() -> None:
    doc = parse("S.\n\nParameters\n----------\nx : int\n    X.\n\nThat is all, folks.\n")
    assert entries(doc, SectionKind.PARAMS) == [("x", "int")]
    assert doc.sections[0].end_line == 15


def test_numpy_prose_with_colon_is_not_a_param() -> None:
    doc = parse("S.\n\nParameters\n----------\nNote: this is important\nx: int\n")
    assert entries(doc, SectionKind.PARAMS) == [("x", "int")]


def test_numpy_unknown_underlined_title_ends_previous_section() -> None:
    doc = parse("S.\n\nParameters\n----------\nx : int\n\nVersion\n-------\nfoo : bar\n")
    params, other = doc.sections
    assert entries(doc, SectionKind.PARAMS) == [("x", "int")]
    assert (params.line, params.end_line, other.line) == (12, 14, 16)
    assert (other.kind, other.title, other.entries) == (SectionKind.OTHER, "Version", ())


def test_numpy_see_also_and_examples_have_no_entries() -> None:
    doc = parse(
        "S.\n\nSee Also\n--------\nother : Related.\n\nExamples\n--------\n>>> x: int = 3\n"
        ">>> x\n3\n"
    )
    assert [(s.kind, s.entries) for s in doc.sections] == [
        (SectionKind.SEE_ALSO, ()),
        (SectionKind.OTHER, ()),
    ]
    assert doc.sections[1].end_line == 20


# --- Sphinx -------------------------------------------------------------------------------

SPHINX = """Open a thing.

    :param str path: Where it is.
    :param mode: How to open it,
        with more words.
    :type mode: str
    :param \\*args: Rest.
    :keyword timeout: Seconds.
    :kwtype timeout: float
    :returns: The handle.
    :rtype: io.IOBase
    :raises ValueError, TypeError: When bad.
    :raise KeyError: Missing.
    :ivar handle: The handle.
    :vartype handle: int
    """


def test_sphinx_params_with_inline_and_separate_types() -> None:
    doc = parse(SPHINX)
    assert doc.style is Style.SPHINX
    assert entries(doc, SectionKind.PARAMS) == [("path", "str"), ("mode", "str"), ("*args", None)]
    mode = doc.entries_of(SectionKind.PARAMS)[1]
    assert mode.description == "How to open it,\nwith more words."
    assert (mode.line, mode.end_line) == (13, 14)


def test_sphinx_section_spans_and_titles() -> None:
    doc = parse(SPHINX)
    summary = [(s.kind, s.title, s.line, s.end_line) for s in doc.sections]
    assert summary == [
        (SectionKind.PARAMS, ":param", 12, 16),
        (SectionKind.KEYWORD_ARGS, ":keyword", 17, 18),
        (SectionKind.RETURNS, ":returns", 19, 20),
        (SectionKind.RAISES, ":raises", 21, 22),
        (SectionKind.ATTRIBUTES, ":ivar", 23, 24),
    ]


def test_sphinx_returns_keyword_args_and_attributes() -> None:
    doc = parse(SPHINX)
    returns = only_entry(doc, SectionKind.RETURNS)
    assert (returns.name, returns.type, returns.description) == (None, "io.IOBase", "The handle.")
    assert (returns.line, returns.end_line) == (19, 19)
    assert entries(doc, SectionKind.KEYWORD_ARGS) == [("timeout", "float")]
    assert entries(doc, SectionKind.ATTRIBUTES) == [("handle", "int")]


def test_sphinx_raises_split_on_commas_and_aliases() -> None:
    doc = parse(SPHINX)
    assert [e.name for e in doc.entries_of(SectionKind.RAISES)] == [
        "ValueError",
        "TypeError",
        "KeyError",
    ]
    doc = parse(":except OSError: A.\n:exception pkg.Err: B.\n:raises :exc:`~x.Boom`: C.\n")
    assert [e.name for e in doc.entries_of(SectionKind.RAISES)] == ["OSError", "pkg.Err", "x.Boom"]


def test_sphinx_rtype_alone_is_still_a_returns_entry() -> None:
    entry = only_entry(parse("S.\n\n:rtype: int\n"), SectionKind.RETURNS)
    assert (entry.name, entry.type, entry.description, entry.line) == (None, "int", "", 12)


def test_sphinx_yields_and_ytype() -> None:
    entry = only_entry(parse("S.\n\n:yields: Rows.\n:ytype: tuple\n"), SectionKind.YIELDS)
    assert (entry.type, entry.description) == ("tuple", "Rows.")


@pytest.mark.parametrize("key", ["ivar", "cvar", "var"])
def test_sphinx_variable_fields_are_attributes(key: str) -> None:
    assert entries(parse(f":{key} x: X."), SectionKind.ATTRIBUTES) == [("x", None)]


@pytest.mark.parametrize("key", ["keyword", "kwarg", "kwparam", "key"])
def test_sphinx_keyword_fields(key: str) -> None:
    assert entries(parse(f":{key} x: X."), SectionKind.KEYWORD_ARGS) == [("x", None)]


def test_sphinx_type_without_param_invents_nothing() -> None:
    doc = parse("S.\n\n:param x: X.\n:type y: int\n")
    assert entries(doc, SectionKind.PARAMS) == [("x", None)]
    assert doc.sections[0].end_line == 12


def test_sphinx_unknown_field_and_malformed_param_make_no_entry() -> None:
    doc = parse("S.\n\n:param x: X.\n:meta private:\n:param: no name\n:param x y z!: odd\n")
    assert entries(doc, SectionKind.PARAMS) == [("x", None)]


# --- absolute spans -----------------------------------------------------------------------


def test_spans_with_summary_on_the_quote_line() -> None:
    doc = parse("Summary.\n\n    Args:\n        x: X.\n    ")
    assert (doc.sections[0].line, doc.sections[0].end_line) == (12, 13)
    assert only_entry(doc, SectionKind.PARAMS).line == 13


def test_spans_with_summary_on_the_next_line() -> None:
    doc = parse("\n    Summary.\n\n    Args:\n        x: X.\n    ")
    assert (doc.sections[0].line, doc.sections[0].end_line) == (13, 14)
    assert only_entry(doc, SectionKind.PARAMS).line == 14


def test_tabs_are_expanded_like_cleandoc() -> None:
    doc = parse("S.\n\n\tArgs:\n\t\tx: X.\n")
    assert entries(doc, SectionKind.PARAMS) == [("x", None)]
    assert doc.text == inspect.cleandoc("S.\n\n\tArgs:\n\t\tx: X.\n")


def test_spans_match_a_real_file() -> None:
    source = (DATA / "three_styles.py").read_text(encoding="utf-8")
    source_lines = source.splitlines()
    styles = {}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        literal = node.body[0]
        assert isinstance(literal, ast.Expr) and isinstance(literal.value, ast.Constant)
        raw = literal.value.value
        location = Location("three_styles.py", literal.lineno, literal.end_lineno or 0)
        doc = parse_docstring(raw, location)
        styles[node.name] = doc.style
        for section in doc.sections:
            assert section.title.lstrip(":") in source_lines[section.line - 1]
            for entry in section.entries:
                assert entry.name is None or entry.name in source_lines[entry.line - 1]
                assert location.line <= entry.line <= entry.end_line <= location.end_line
    assert styles == {
        "google": Style.GOOGLE,
        "numpy": Style.NUMPY,
        "sphinx": Style.SPHINX,
        "plain": Style.PLAIN,
    }


# --- style detection ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "style"),
    [
        ("S.\n\nArgs:\n    x: X.\n", Style.GOOGLE),
        ("S.\n\nReturns:\n    The thing.\n", Style.GOOGLE),
        ("S.\n\nParameters\n----------\nx : int\n", Style.NUMPY),
        ("S.\n\nNotes\n-----\nSome notes.\n", Style.NUMPY),
        ("S.\n\n:param x: X.\n", Style.SPHINX),
        ("S.\n\n:rtype: int\n", Style.SPHINX),
        ("S.\n\n:raises ValueError:\n", Style.SPHINX),
        ("Just a summary.", None),
        ("", None),
        ("A sentence that Returns a value and has Args.\n", None),
        ("Note: this is not a header.\n    Indented.\n", None),
        ("See http://example.com:\n    for more.\n", None),
    ],
)
def test_detect_style(raw: str, style: Style | None) -> None:
    assert detect_style(raw) is style


def test_plain_docstring_uses_default_style_or_plain() -> None:
    assert parse("Just text.").style is Style.PLAIN
    doc = parse("Just text.", default_style=Style.NUMPY)
    assert (doc.style, doc.sections) == (Style.NUMPY, ())


def test_mixed_docstring_prefers_the_style_with_more_evidence() -> None:
    raw = "S.\n\nArgs:\n    x: X.\n\nReturns:\n    int: One.\n\n:param y: stray.\n"
    doc = parse(raw, default_style=Style.SPHINX)
    assert doc.style is Style.GOOGLE
    assert entries(doc, SectionKind.PARAMS) == [("x", None)]


def test_equal_evidence_goes_to_the_default_style() -> None:
    raw = "S.\n\nArgs:\n    x: X.\n\n:param y: Y.\n"
    assert parse(raw, default_style=Style.SPHINX).style is Style.SPHINX
    assert parse(raw, default_style=Style.GOOGLE).style is Style.GOOGLE


def test_structured_sections_outweigh_notes() -> None:
    doc = parse("S.\n\n:param x: X.\n\nExample:\n    f(1)\n")
    assert doc.style is Style.SPHINX


def test_text_and_location() -> None:
    raw = "\n    Summary.\n\n        Indented.\n    "
    location = Location("a.py", 3, 7, 4)
    doc = parse_docstring(raw, location)
    assert (doc.text, doc.location) == (inspect.cleandoc(raw), location)


# --- robustness and speed -----------------------------------------------------------------


def check_invariants(raw: str) -> None:
    doc = parse(raw)
    last = FIRST_LINE + len(raw.split("\n")) - 1
    for section in doc.sections:
        assert FIRST_LINE <= section.line <= section.end_line <= last
        for entry in section.entries:
            assert section.line <= entry.line <= entry.end_line <= section.end_line


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fuzz_any_text_never_raises(raw: str) -> None:
    """Arbitrary text almost never holds a section, so this only shows the parser does not crash."""
    parse(raw)


@settings(max_examples=200, deadline=None)
@given(docstrings(first_line=FIRST_LINE))
def test_generated_sections_and_entries_round_trip(built: Built) -> None:
    """Google, NumPy and Sphinx docstrings built from generated names, types and descriptions."""
    doc = parse(built.raw)
    assert doc.style is built.style
    parsed = [
        (
            s.kind,
            s.line,
            s.end_line,
            [(e.name, e.type, e.description, e.line, e.end_line) for e in s.entries],
        )
        for s in doc.sections
    ]
    assert parsed == built.sections


FRAGMENTS = [
    "", "Summary.", "Args:", "Returns:", "Raises:", "Parameters", "----------", "Returns",
    "-------", "x : int", "x (int): X.", "*args: A.", "ValueError: V.", ":param x: X.",
    ":type x: int", ":rtype: int", ":raises A, B:", ">>> x: int = 3", "Example::", "```",
    ".. code-block:: python", "Note: text", "int: desc", "(", "]", ":", "::", "\t",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.sampled_from(FRAGMENTS)), max_size=30))
def test_docstring_like_text_parses_within_its_lines(parts: list[tuple[int, str]]) -> None:
    check_invariants("\n".join(" " * indent + text for indent, text in parts))


def lines_run(call: Callable[[], object]) -> int:
    """How many lines of docsync's code ``call`` runs: work counted the same on any machine.

    Work done inside C (a backtracking regular expression, say) is not counted.
    """
    package = str(Path(parse_docstring.__code__.co_filename).parents[1])
    count = 0

    def count_lines(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        nonlocal count
        if event == "line":
            count += 1
        return count_lines

    def trace(frame: FrameType, event: str, arg: object) -> Callable[..., object] | None:
        return count_lines if frame.f_code.co_filename.startswith(package) else None

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count


LARGE = {
    Style.GOOGLE: ("Args:\n", "    p{i} (int): Value {i}.\n        More.\n"),
    Style.NUMPY: ("Parameters\n----------\n", "p{i} : int\n    Value {i}.\n    More.\n"),
    Style.SPHINX: ("", ":param p{i}: Value {i}.\n    More.\n:type p{i}: int\n"),
}


@pytest.mark.parametrize("style", list(LARGE))
def test_large_docstring_is_linear(style: Style) -> None:
    """Four times the entries, four times the work, counted in lines run rather than seconds."""
    header, entry = LARGE[style]

    def params(count: int) -> str:
        return "S.\n\n" + header + "".join(entry.format(i=i) for i in range(count))

    small, large = (lines_run(lambda n=n: parse(params(n))) for n in (100, 400))
    assert large < 4.2 * small  # quadratic work would be about 16 times
    doc = parse(params(5000))
    assert [e.name for e in doc.entries_of(SectionKind.PARAMS)] == [f"p{i}" for i in range(5000)]


def test_numpy_sloppy_colon_entries_are_read() -> None:
    """networkx writes ``x: string ('in','out')``: real entries, not prose."""
    doc = parse(
        "S.\n\nParameters\n----------\nG : graph\n    The graph.\n\nx: string ('in','out')\n"
        "   Degree type.\n\nweight: string or None, optional (default=None)\n   Key.\n"
    )
    assert entries(doc, SectionKind.PARAMS) == [
        ("G", "graph"),
        ("x", "string ('in','out')"),
        ("weight", "string or None, optional (default=None)"),
    ]


def test_numpy_sloppy_colon_entry_whose_type_starts_with_a_count() -> None:
    """dask writes ``limits: 2-tuple or None``; ``Note: 2 of these`` stays prose."""
    doc = parse(
        "S.\n\nParameters\n----------\nsql : str\n    Query.\nlimits: 2-tuple or None\n"
        "    Range.\nNote: 2 of these are needed.\n"
    )
    assert entries(doc, SectionKind.PARAMS) == [("sql", "str"), ("limits", "2-tuple or None")]


def test_numpy_prose_paragraph_between_entries_does_not_hide_later_entries() -> None:
    doc = parse(
        "S.\n\nParameters\n----------\nx : int\n    X.\n\nNote: this is important and\n"
        "   continues.\n\ny : bool\n    Y.\n"
    )
    assert entries(doc, SectionKind.PARAMS) == [("x", "int"), ("y", "bool")]
    (x, y) = doc.sections[0].entries
    assert (x.line, x.end_line, y.line, y.end_line) == (14, 15, 20, 21)


def test_numpy_sloppy_colon_with_several_names() -> None:
    doc = parse(
        "S.\n\nParameters\n----------\nG1,G2: NetworkX Graph or MultiGraph instances.\n"
        "    The two graphs.\n\nG1_labels,G2_labels: dict\n    Labels.\n"
    )
    assert [name for name, _ in entries(doc, SectionKind.PARAMS)] == [
        "G1",
        "G2",
        "G1_labels",
        "G2_labels",
    ]


def test_google_section_resumes_after_a_stray_wrapped_line() -> None:
    """The anthropic SDK wraps descriptions onto the header's indent; entries go on."""
    doc = parse(
        "Create.\n\nArgs:\n  model: Model identifier.\n\nAccepts the\n"
        "      [model string](https://example.com), or a config\n\n"
        "  name: Human-readable name.\n\n  description: What it does.\n\nReturns:\n  The agent.\n"
    )
    assert [name for name, _ in entries(doc, SectionKind.PARAMS)] == [
        "model",
        "name",
        "description",
    ]


def test_google_section_does_not_swallow_a_later_indented_block() -> None:
    doc = parse("Do.\n\nArgs:\n    x: foo\n\nExample config:\n    host: localhost\n    port: 80\n")
    assert entries(doc, SectionKind.PARAMS) == [("x", None)]


def test_placeholder_words_are_not_entries() -> None:
    doc = parse("S.\n\nParameters\n==========\n\nTODO\n")
    assert entries(doc, SectionKind.PARAMS) == []


def test_sympy_equals_underlined_sections_are_numpy_sections() -> None:
    doc = parse("S.\n\nParameters\n==========\n\nx : int\n    X.\n\nReturns\n=======\n\nint\n")
    assert entries(doc, SectionKind.PARAMS) == [("x", "int")]
    assert entries(doc, SectionKind.RETURNS) == [(None, "int")]


def test_numpy_list_of_accepted_types_is_not_a_list_of_names() -> None:
    """SymPy's ``Plane.intersection`` lists the types its one argument may have."""
    doc = parse("S.\n\nParameters\n==========\n\nPoint, Point3D, LinearEntity, Plane\n")
    assert entries(doc, SectionKind.PARAMS) == []
    names = parse("S.\n\nParameters\n==========\n\nx, y\n    Coordinates.\n")
    assert entries(names, SectionKind.PARAMS) == [("x", None), ("y", None)]
    matrices = parse("S.\n\nParameters\n==========\n\nA, B : DomainMatrix\n    To multiply.\n")
    assert [name for name, _ in entries(matrices, SectionKind.PARAMS)] == ["A", "B"]


# --- Forms real projects write (issue 16) ---------------------------------------------------


def test_google_escaped_underscore_names_are_entries_with_their_spans() -> None:
    doc = parse(
        "Do.\n\n    Args:\n        arg1\\_ (int): Arg.\n            More.\n        b: B.\n    "
    )
    assert [(e.name, e.type, e.line, e.end_line) for e in doc.entries_of(SectionKind.PARAMS)] == [
        ("arg1_", "int", 13, 14),
        ("b", None, 15, 15),
    ]


def test_numpy_escaped_underscore_names_are_entries() -> None:
    raw = (
        "Do.\n\n    Parameters\n    ----------\n"
        "    lambda\\_ : float\n        L.\n    x\\_, y : int\n    "
    )
    doc = parse(raw)
    assert entries(doc, SectionKind.PARAMS) == [("lambda_", "float"), ("x_", "int"), ("y", "int")]
    assert [e.line for e in doc.entries_of(SectionKind.PARAMS)] == [14, 16, 16]


def test_sphinx_attribute_directives_read_like_ivar_fields() -> None:
    raw = (
        "A class.\n\n    .. attribute:: name\n\n        The name.\n\n"
        "    .. attribute :: size\n        :type: int\n\n        The size.\n    "
    )
    doc = parse(raw)
    assert doc.style is Style.SPHINX
    found = doc.entries_of(SectionKind.ATTRIBUTES)
    assert [(e.name, e.type, e.description, e.line, e.end_line) for e in found] == [
        ("name", None, "The name.", 12, 14),
        ("size", "int", "The size.", 16, 19),
    ]


def test_an_attribute_directive_in_a_code_example_is_not_an_entry() -> None:
    raw = "A class.\n\n    Example::\n\n        .. attribute:: name\n\n    :ivar x: X.\n    "
    assert entries(parse(raw), SectionKind.ATTRIBUTES) == [("x", None)]


def test_sphinx_raises_with_the_exception_after_the_colon() -> None:
    raw = (
        "Do.\n\n    :raises: TypeError: when bad.\n        Really.\n    :raises: ValueError\n"
        "    :raises: Nothing much\n    :raises: Nothing\n    :raises KeyError: k\n    "
    )
    found = parse(raw).entries_of(SectionKind.RAISES)
    assert [(e.name, e.description, e.line, e.end_line) for e in found] == [
        ("TypeError", "when bad.\nReally.", 12, 13),
        ("ValueError", "", 14, 14),
        ("KeyError", "k", 17, 17),
    ]
