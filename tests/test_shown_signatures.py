"""Reading inline code as a signature, and literals as values (pure: no disk, no git)."""

from __future__ import annotations

import ast

import pytest

from docsync.models import ParamKind
from docsync.rules.literal_args import literal_kind
from docsync.rules.shown_signatures import parse_shown


@pytest.mark.parametrize(
    ("text", "names", "marked"),
    [
        ("`Client(base_url, *, timeout=..., **kwargs)`", ("base_url", "timeout", "kwargs"), True),
        ("`url_for(name, **path_params) -> URL`", ("name", "path_params"), True),
        ("`f(a, /, b)`", ("a", "b"), True),
        ("`f(url: str)`", ("url",), True),
        ("`f(self, a, b=1)`", ("a", "b"), False),
        ("`run(only=...)`", ("only",), False),  # calls elide values the same way
    ],
)
def test_signatures_are_read_like_a_def(text: str, names: tuple[str, ...], marked: bool) -> None:
    shown = parse_shown(text)
    assert shown is not None and (shown.names(), shown.marked) == (names, marked)


def test_kinds_and_defaults() -> None:
    shown = parse_shown('`f(a, /, b="x", *args, c, d=None, **kw)`')
    assert shown is not None
    assert [(p.name, p.kind, p.default) for p in shown.params] == [
        ("a", ParamKind.POSITIONAL_ONLY, None),
        ("b", ParamKind.POSITIONAL_OR_KEYWORD, "'x'"),
        ("args", ParamKind.VAR_POSITIONAL, None),
        ("c", ParamKind.KEYWORD_ONLY, None),
        ("d", ParamKind.KEYWORD_ONLY, "None"),
        ("kw", ParamKind.VAR_KEYWORD, None),
    ]


@pytest.mark.parametrize(
    "text",
    ['`f("a")`', "`f(1, 2)`", "`f(x.y)`", "`f(a=1, b)`", "`f(...)`", "`f(g(x))`", "`shop`", ""],
)
def test_what_is_not_a_signature(text: str) -> None:
    assert parse_shown(text) is None


def test_long_inline_code_is_not_read() -> None:
    assert parse_shown("`f(" + ", ".join(f"a{i}" for i in range(200)) + ")`") is None


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ('"index.html"', "str"),
        ('f"{name}.html"', "str"),
        ("b'raw'", "bytes"),
        ("3", "int"),
        ("2.5", "float"),
        ("{'a': 1}", "dict"),
        ("[1]", "list"),
        ("(1, 2)", "tuple"),
        ("{1}", "set"),
        ("True", None),  # a bool fits an int, and flags rarely move
        ("None", None),
        ("request", None),
        ("make()", None),
    ],
)
def test_literal_kinds(source: str, kind: str | None) -> None:
    assert literal_kind(ast.parse(source, mode="eval").body) == kind
