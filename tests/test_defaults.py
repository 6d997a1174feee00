"""DS107 (documented defaults), DS203 on generators and DS204: detection, fixes, base mode."""

from __future__ import annotations

import textwrap

import pytest

from docsync.commands.against_base import check_change
from docsync.config import Config
from docsync.models import Project, Severity
from docsync.rules.defaults import documented_defaults, literal_value
from docsync.rules.registry import run_rules
from docsync.scan.python import scan_source
from helpers_fix import fix_text, fixed_text
from helpers_git import GitRepo, edit
from test_draft_mechanical import check


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("int, default=5", [5]),
        ("int, default 80", [80]),
        ("int, optional, default: 80", [80]),
        ("The width. Defaults to 80.", [80]),
        ("The width (default: 80).", [80]),
        ("Default is ``'auto'``.", ["auto"]),
        ('The mark. Defaults to "*".', ["*"]),
        ("Margins. Default: (1, 2)", [(1, 2)]),
        ("Whether to fail. Defaults to ``False``.", [False]),
        ("The scale, default -1.5e3.", [-1500.0]),
        ("The value. By default None.", [None]),
        ("The value.\n\nDefaults to\n``True``.", [True]),
        ("str, default='foobar'  # noqa: E501", ["foobar"]),
    ],
)
def test_stated_defaults_are_read(text: str, values: list[object]) -> None:
    assert [found.value for found in documented_defaults(text)] == values


@pytest.mark.parametrize(
    "text",
    [
        "Defaults to the current directory.",
        "Defaults to 10 seconds.",
        "If None, defaults to 3.",
        "Defaults to 5 when strict, else 10.",
        "Defaults to 1, or 2 otherwise.",
        "Uses defaultdict(5).",
        "The default behaviour is 5 retries.",
        "Defaults to [1, 2].",
        "Defaults to (see below).",
        "set_default=5",
        'Use "[loop above]" explicitly, but the default is "[loop]".',
        "string (default: 1.2draft)",
        "with a default of 5.",
    ],
)
def test_prose_and_hedged_defaults_are_not_read(text: str) -> None:
    assert documented_defaults(text) == []


def test_literal_values_are_simple_literals_only() -> None:
    assert literal_value("1_000") == (True, 1000)
    assert literal_value("('a', 1)") == (True, ("a", 1))
    assert literal_value("((1,),)") == (False, None)
    assert literal_value("[1]") == (False, None)
    assert literal_value("b'x'") == (False, None)
    assert literal_value("DEFAULT") == (False, None)


def _codes(source: str) -> list[str]:
    module = scan_source(textwrap.dedent(source).encode(), "m.py", "m").module
    assert module is not None
    return sorted(f.code for f in run_rules(Project(root=".", modules=(module,))))


def test_an_escape_shown_twice_is_the_same_string() -> None:
    source = r'''
        def f(end: str = "\n", sep: str = "\t") -> None:
            """Do.

            Args:
                end: The end. Defaults to "\\n".
                sep: The separator. Defaults to "\\n".
            """
        '''
    assert _codes(source) == ["DS107"]


def test_a_bool_is_not_a_number_and_a_quoted_number_is_not_a_number() -> None:
    source = '''
        def f(a: bool = True, b: str = "1", c: int = 1) -> None:
            """Do.

            Args:
                a: A. Defaults to 1.
                b: B. Defaults to 1.
                c: C. Defaults to True.
            """
        '''
    assert _codes(source) == ["DS107", "DS107", "DS107"]


def test_google_fix_keeps_the_wording_and_the_quotes() -> None:
    check(
        '''
        def f(width: int = 72, mark: str = '-', port: int = 10) -> None:
            """Do.

            Args:
                width: The width. Defaults to 80.
                mark: The mark. Defaults to ``"*"``.
                port (int, default=5): The port.
            """
        ''',
        '''
        def f(width: int = 72, mark: str = '-', port: int = 10) -> None:
            """Do.

            Args:
                width: The width. Defaults to 72.
                mark: The mark. Defaults to ``"-"``.
                port (int, default=10): The port.
            """
        ''',
    )


def test_numpy_fix_replaces_the_type_qualifier() -> None:
    check(
        '''
        def f(width: int = 72, strict: bool = True) -> None:
            """Do.

            Parameters
            ----------
            width : int, default 80
                The width.
            strict : bool, optional, default: False
                Whether to fail.
            """
        ''',
        '''
        def f(width: int = 72, strict: bool = True) -> None:
            """Do.

            Parameters
            ----------
            width : int, default 72
                The width.
            strict : bool, optional, default: True
                Whether to fail.
            """
        ''',
    )


def test_sphinx_fix_in_the_description_and_in_the_type_field() -> None:
    check(
        '''
        def f(width: int = 72, margins: tuple = (1, 1)) -> None:
            """Do.

            :param width: The width (default: 80).
            :param margins: The margins.
            :type margins: tuple, default (2, 2)
            """
        ''',
        '''
        def f(width: int = 72, margins: tuple = (1, 1)) -> None:
            """Do.

            :param width: The width (default: 72).
            :param margins: The margins.
            :type margins: tuple, default (1, 1)
            """
        ''',
    )


def test_a_default_wrapped_over_two_lines_is_left_with_a_reason() -> None:
    result = fix_text(
        '''
        def f(width: int = 72) -> None:
            """Do.

            Args:
                width: The width of the output, in columns of text. Defaults
                    to 80.
            """
        '''
    )
    assert [(f.code, reason) for f, reason in result.left] == [
        ("DS107", "the documented default is not written on one line")
    ]


def test_generator_return_type_is_fixed_to_the_generator_return_type() -> None:
    check(
        '''
        from collections.abc import Generator


        def f() -> Generator[int, None, float]:
            """Do.

            Yields:
                Numbers.

            Returns:
                str: The total.
            """
            yield 1
            return 1.0
        ''',
        '''
        from collections.abc import Generator


        def f() -> Generator[int, None, float]:
            """Do.

            Yields:
                Numbers.

            Returns:
                float: The total.
            """
            yield 1
            return 1.0
        ''',
    )


def test_async_generator_returns_section_is_removed() -> None:
    check(
        '''
        async def f():
            """Do.

            :yields: Numbers.
            :returns: The count.
            :rtype: int
            """
            yield 1
        ''',
        '''
        async def f():
            """Do.

            :yields: Numbers.
            """
            yield 1
        ''',
    )


def test_a_fixed_docstring_has_no_default_finding_left() -> None:
    source = '''
        def f(width: int = 72) -> None:
            """Do.

            Args:
                width: The width. Defaults to 80.
            """
        '''
    assert _codes(fixed_text(source)) == []


API = '''\
def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        url: Where from.
        timeout: Seconds to wait. Defaults to 3.
    """
    return url, timeout
'''


def test_base_mode_reports_a_changed_default_as_stale_after_change(repo: GitRepo) -> None:
    repo.write("api.py", API)
    repo.commit("base")
    edit(repo, "timeout=3", "timeout=10", path="api.py")
    report = check_change(Config(root=repo.path), "main", detect=lambda p: run_rules(p))
    assert [(f.code, f.symbol) for f in report.findings] == [("DS501", "api.fetch")]
    finding = report.findings[0]
    assert finding.severity is Severity.WARNING  # the highest of the folded findings: DS107
    assert "documented to default to 3 but its default is 10" in (finding.fix_hint or "")


def test_base_mode_is_quiet_when_the_docstring_follows_the_default(repo: GitRepo) -> None:
    repo.write("api.py", API)
    repo.commit("base")
    edit(repo, "timeout=3", "timeout=10", path="api.py")
    edit(repo, "Defaults to 3.", "Defaults to 10.", path="api.py")
    report = check_change(Config(root=repo.path), "main", detect=lambda p: run_rules(p))
    assert report.findings == ()
