"""The mechanical fixes, one by one, in each docstring style: exact expected text."""

from __future__ import annotations

import textwrap

import pytest

from helpers_fix import codes, fix_text, fixed_text


def check(before: str, after: str, **options: object) -> None:
    assert fixed_text(before, **options) == textwrap.dedent(after)


# --- Google -------------------------------------------------------------------------------


def test_google_stale_entry_goes_with_its_continuation_lines() -> None:
    check(
        '''
        def f(a, c):
            """Sum.

            Args:
                a: A.
                old (int): Stale,
                    wrapped.
                c: C.
            """
        ''',
        '''
        def f(a, c):
            """Sum.

            Args:
                a: A.
                c: C.
            """
        ''',
    )


def test_google_section_losing_its_only_entry_goes_with_one_blank_line() -> None:
    check(
        '''
        def f():
            """Sum.

            Args:
                old: Stale.

            Returns:
                int: One.
            """
            return 1
        ''',
        '''
        def f():
            """Sum.

            Returns:
                int: One.
            """
            return 1
        ''',
    )


def test_google_last_section_removed_leaves_no_trailing_blank_line() -> None:
    check(
        '''
        def f():
            """Sum.

            Args:
                old: Stale.
            """
        ''',
        '''
        def f():
            """Sum.
            """
        ''',
    )


def test_google_rename_keeps_type_and_description() -> None:
    check(
        '''
        def f(a, url):
            """Fetch.

            Args:
                a: A.
                uri (str): Where to go,
                    exactly.
            """
        ''',
        '''
        def f(a, url):
            """Fetch.

            Args:
                a: A.
                url (str): Where to go,
                    exactly.
            """
        ''',
    )


def test_google_param_type_replaced_and_optional_kept() -> None:
    check(
        '''
        def f(a: int, b: str = "x"):
            """Go.

            Args:
                a (str): A.
                b (int, optional): B.
            """
        ''',
        '''
        def f(a: int, b: str = "x"):
            """Go.

            Args:
                a (int): A.
                b (str, optional): B.
            """
        ''',
    )


def test_google_reorder_moves_whole_blocks() -> None:
    check(
        '''
        def f(first, second, third):
            """Go.

            Args:
                third: Third,
                    wrapped.
                first: First.
                second: Second.
            """
        ''',
        '''
        def f(first, second, third):
            """Go.

            Args:
                first: First.
                second: Second.
                third: Third,
                    wrapped.
            """
        ''',
    )


def test_google_returns_removed_when_nothing_is_returned() -> None:
    check(
        '''
        def f(a):
            """Go.

            Args:
                a: A.

            Returns:
                int: Something,
                    really.
            """
            print(a)
        ''',
        '''
        def f(a):
            """Go.

            Args:
                a: A.
            """
            print(a)
        ''',
    )


def test_google_returns_becomes_yields_on_a_generator() -> None:
    check(
        '''
        def f(n):
            """Go.

            Returns:
                int: Numbers.
            """
            yield n
        ''',
        '''
        def f(n):
            """Go.

            Yields:
                int: Numbers.
            """
            yield n
        ''',
    )


def test_google_return_type_replaced() -> None:
    check(
        '''
        def f() -> int:
            """Go.

            Returns:
                str: The count.
            """
            return 1
        ''',
        '''
        def f() -> int:
            """Go.

            Returns:
                int: The count.
            """
            return 1
        ''',
    )


def test_google_stale_attribute_removed() -> None:
    check(
        '''
        class Box:
            """A box.

            Attributes:
                size (int): The size.
                colour (str): Gone.
            """

            size = 1
        ''',
        '''
        class Box:
            """A box.

            Attributes:
                size (int): The size.
            """

            size = 1
        ''',
    )


def test_google_placeholder_at_signature_position_with_type() -> None:
    check(
        '''
        def f(a: int, b: str, c: float):
            """Go.

            Args:
                a (int): A.
                c (float): C.
            """
        ''',
        '''
        def f(a: int, b: str, c: float):
            """Go.

            Args:
                a (int): A.
                b (str): TODO(docsync): describe b.
                c (float): C.
            """
        ''',
        placeholders=True,
    )


def test_missing_param_is_left_for_a_person_without_placeholders() -> None:
    result = fix_text(
        '''
        def f(a, b):
            """Go.

            Args:
                a: A.
            """
        '''
    )
    assert not result.changed
    assert codes(result.left) == ["DS102"]
    assert "--placeholders" in result.left[0][1]


# --- NumPy --------------------------------------------------------------------------------


def test_numpy_stale_entry_in_blank_separated_list() -> None:
    check(
        '''
        def f(a, c):
            """Go.

            Parameters
            ----------
            old : int
                Stale.

            a : int
                A.

            c : int
                C.
            """
        ''',
        '''
        def f(a, c):
            """Go.

            Parameters
            ----------
            a : int
                A.

            c : int
                C.
            """
        ''',
    )


def test_numpy_section_with_only_stale_entry_goes_with_underline() -> None:
    check(
        '''
        def f():
            """Go.

            Parameters
            ----------
            old : int
                Stale.

            Returns
            -------
            int
                One.
            """
            return 1
        ''',
        '''
        def f():
            """Go.

            Returns
            -------
            int
                One.
            """
            return 1
        ''',
    )


def test_numpy_one_of_two_names_on_a_head_is_dropped() -> None:
    check(
        '''
        def f(x):
            """Go.

            Parameters
            ----------
            x, old : int
                Coordinates.
            """
        ''',
        '''
        def f(x):
            """Go.

            Parameters
            ----------
            x : int
                Coordinates.
            """
        ''',
    )


def test_numpy_rename_and_type_keep_optional() -> None:
    check(
        '''
        def f(a: int, limit: float = 1.0):
            """Go.

            Parameters
            ----------
            a : str
                A.
            maximum : float, optional
                The most.
            """
        ''',
        '''
        def f(a: int, limit: float = 1.0):
            """Go.

            Parameters
            ----------
            a : int
                A.
            limit : float, optional
                The most.
            """
        ''',
    )


def test_numpy_returns_to_yields_fixes_the_underline() -> None:
    check(
        '''
        def f(n):
            """Go.

            Returns
            -------
            int
                Numbers.
            """
            yield n
        ''',
        '''
        def f(n):
            """Go.

            Yields
            ------
            int
                Numbers.
            """
            yield n
        ''',
    )


def test_numpy_return_type_and_reorder() -> None:
    check(
        '''
        def f(a, b) -> int:
            """Go.

            Parameters
            ----------
            b
                B.
            a
                A.

            Returns
            -------
            str
                Count.
            """
            return 1
        ''',
        '''
        def f(a, b) -> int:
            """Go.

            Parameters
            ----------
            a
                A.
            b
                B.

            Returns
            -------
            int
                Count.
            """
            return 1
        ''',
    )


def test_numpy_reorder_moves_a_head_with_two_names_as_one_block() -> None:
    check(
        '''
        def f(a, vmin, vmax, b):
            """Go.

            Parameters
            ----------
            b : int
                B.
            vmin, vmax : float
                Limits.
            a : int
                A.
            """
        ''',
        '''
        def f(a, vmin, vmax, b):
            """Go.

            Parameters
            ----------
            a : int
                A.
            vmin, vmax : float
                Limits.
            b : int
                B.
            """
        ''',
    )


def test_numpy_returns_section_removed() -> None:
    check(
        '''
        def f(a):
            """Go.

            Parameters
            ----------
            a : int
                A.

            Returns
            -------
            int
                Nothing really.
            """
            print(a)
        ''',
        '''
        def f(a):
            """Go.

            Parameters
            ----------
            a : int
                A.
            """
            print(a)
        ''',
    )


def test_numpy_placeholder_with_description_indent_and_optional() -> None:
    check(
        '''
        def f(a: int, b: str = "x"):
            """Go.

            Parameters
            ----------
            a : int, optional
                A.
            """
        ''',
        '''
        def f(a: int, b: str = "x"):
            """Go.

            Parameters
            ----------
            a : int, optional
                A.
            b : str, optional
                TODO(docsync): describe b.
            """
        ''',
        placeholders=True,
    )


def test_numpy_placeholder_in_blank_separated_list_gets_a_blank_line() -> None:
    check(
        '''
        def f(a, b, c):
            """Go.

            Parameters
            ----------
            a : int
                A.

            c : int
                C.

            Returns
            -------
            int
                One.
            """
            return 1
        ''',
        '''
        def f(a, b, c):
            """Go.

            Parameters
            ----------
            a : int
                A.

            b
                TODO(docsync): describe b.

            c : int
                C.

            Returns
            -------
            int
                One.
            """
            return 1
        ''',
        placeholders=True,
    )


# --- Sphinx -------------------------------------------------------------------------------


def test_sphinx_stale_param_goes_with_its_type_field() -> None:
    check(
        '''
        def f(a, b):
            """Go.

            :param a: A.
            :type a: int
            :param old: Stale,
                wrapped.
            :type old: str
            :param b: B.
            """
        ''',
        '''
        def f(a, b):
            """Go.

            :param a: A.
            :type a: int
            :param b: B.
            """
        ''',
    )


def test_sphinx_rename_renames_the_type_field_too() -> None:
    check(
        '''
        def f(url):
            """Go.

            :param uri: Where.
            :type uri: str
            """
        ''',
        '''
        def f(url):
            """Go.

            :param url: Where.
            :type url: str
            """
        ''',
    )


def test_sphinx_types_in_fields_and_inline() -> None:
    check(
        '''
        def f(a: int, b: bytes) -> int:
            """Go.

            :param a: A.
            :type a: str
            :param str b: B.
            :returns: Count.
            :rtype: str
            """
            return 1
        ''',
        '''
        def f(a: int, b: bytes) -> int:
            """Go.

            :param a: A.
            :type a: int
            :param bytes b: B.
            :returns: Count.
            :rtype: int
            """
            return 1
        ''',
    )


def test_sphinx_reorder_keeps_type_fields_with_their_params() -> None:
    check(
        '''
        def f(a, b):
            """Go.

            :param b: B.
            :type b: int
            :param a: A.
            :type a: str
            """
        ''',
        '''
        def f(a, b):
            """Go.

            :param a: A.
            :type a: str
            :param b: B.
            :type b: int
            """
        ''',
    )


def test_sphinx_returns_and_rtype_removed() -> None:
    check(
        '''
        def f(a):
            """Go.

            :param a: A.
            :returns: Something.
            :rtype: int
            """
            print(a)
        ''',
        '''
        def f(a):
            """Go.

            :param a: A.
            """
            print(a)
        ''',
    )


def test_sphinx_returns_becomes_yields() -> None:
    check(
        '''
        def f(n):
            """Go.

            :param n: N.
            :returns: Numbers.
            :rtype: int
            """
            yield n
        ''',
        '''
        def f(n):
            """Go.

            :param n: N.
            :yields: Numbers.
            :ytype: int
            """
            yield n
        ''',
    )


def test_sphinx_placeholder_with_type_field() -> None:
    check(
        '''
        def f(a: int, b: str):
            """Go.

            :param a: A.
            :type a: int
            """
        ''',
        '''
        def f(a: int, b: str):
            """Go.

            :param a: A.
            :type a: int
            :param b: TODO(docsync): describe b.
            :type b: str
            """
        ''',
        placeholders=True,
    )


# --- Layout, quotes, prefixes, line endings -----------------------------------------------


@pytest.mark.parametrize("prefix", ["", "r", "u", "R"])
@pytest.mark.parametrize("quote", ['"""', "'''"])
def test_prefix_and_quotes_are_kept(prefix: str, quote: str) -> None:
    head = f"def f(a):\n    {prefix}{quote}Go.\n\n    Args:\n        a: A.\n"
    before = f"{head}        b: B.\n    {quote}\n"
    after = f"{head}    {quote}\n"
    assert fixed_text(before, dedent=False) == after


def test_crlf_file_keeps_crlf_everywhere() -> None:
    head = 'def f(a):\r\n    """Go.\r\n\r\n    Args:\r\n        a: A.\r\n'
    tail = '    """\r\n    return a\r\n'
    before = head + "        b: B.\r\n" + tail
    after = head + tail
    assert fixed_text(before, dedent=False) == after


def test_tab_indented_file_keeps_tabs_in_placeholders() -> None:
    before = 'def f(a, b):\n\t"""Go.\n\n\tArgs:\n\t\ta: A.\n\t"""\n'
    after = (
        'def f(a, b):\n\t"""Go.\n\n\tArgs:\n\t\ta: A.\n\t\tb: TODO(docsync): describe b.\n\t"""\n'
    )
    assert fixed_text(before, dedent=False, placeholders=True) == after


def test_closing_quotes_on_the_removed_line_move_up() -> None:
    before = 'def f(a):\n    """Go.\n\n    Args:\n        a: A.\n        b: B."""\n'
    after = 'def f(a):\n    """Go.\n\n    Args:\n        a: A."""\n'
    assert fixed_text(before, dedent=False) == after


def test_escape_sequences_that_break_the_line_map_are_refused() -> None:
    result = fix_text(
        'def f(a):\n    """Go.\\n\n    Args:\n        a: A.\n        b: B.\n    """\n'
    )
    assert not result.changed
    assert codes(result.left) == ["DS101"]
    assert "escape" in result.left[0][1]


def test_line_continuation_is_refused() -> None:
    result = fix_text(
        'def f(a):\n    """Go. \\\n\n    Args:\n        a: A.\n        b: B.\n    """\n'
    )
    assert not result.changed
    assert result.left and "line" in result.left[0][1]


def test_harmless_escapes_are_kept() -> None:
    head = 'def f(a):\n    """Go \\t tab.\n\n    Args:\n        a: A \\\\ b.\n'
    before = head + '        b: B.\n    """\n'
    after = head + '    """\n'
    assert fixed_text(before, dedent=False) == after


def test_codes_that_need_prose_are_left_with_a_reason() -> None:
    result = fix_text(
        '''
        def f(a):
            """Go.

            Args:
                a: A.

            Raises:
                ValueError: Never.
            """
            return a
        ''',
        style=None,
    )
    assert result.edits == ()
    assert [why for _, why in result.left] == [
        "whether and when the exception is raised needs a description"
    ]
