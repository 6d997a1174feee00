"""Base mode's shortcuts give what the slow paths give (issue 19 item 4).

* a definition's body parsed from its own lines equals the one from the whole
  module (:func:`docsync.changes.diff.definition_at`);
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docsync.changes.diff import _dump, definition_at, definitions_by_line
from docsync.models import SymbolKind
from docsync.scan.python import scan_source

SRC = Path(__file__).resolve().parents[1] / "src" / "docsync"

_AWKWARD = b'''\
import x


@decorator(
    arg=1,
)
def outer(a, b=2):
    """Doc."""
    text = """
not indented
    at all
"""

    class Inner(Base):  # a comment
        def method(self):\treturn [
1, 2]

        async def run(self): await x; return 3
    return text \\
        + "tail"


class Tabbed:
\tdef f(self):
\t\tif x:
\t\t\treturn 1
\t\treturn 2
'''


def _symbols(source: bytes) -> list[tuple[int, int]]:
    module = scan_source(source, "m.py", "m").module
    assert module is not None
    return [
        (s.location.line, s.location.end_line)
        for s in module.symbols
        if s.kind is not SymbolKind.MODULE
    ]


@pytest.mark.parametrize(
    "source",
    [
        _AWKWARD,
        _AWKWARD.replace(b"\n", b"\r\n"),
        *[s for p in sorted(SRC.rglob("*.py")) if b"def " in (s := p.read_bytes())][:40],
    ],
)
def test_a_definition_from_its_lines_is_the_one_from_the_module(source: bytes) -> None:
    whole = definitions_by_line(source)
    lines = source.splitlines(keepends=True)
    spans = _symbols(source)
    assert spans
    for line, end in spans:
        node = definition_at(lines, line, end)
        assert node is not None, line
        assert _dump(node) == _dump(whole[line])


def test_lines_that_are_not_one_definition_give_none() -> None:
    lines = _AWKWARD.splitlines(keepends=True)
    assert definition_at(lines, 1, 1) is None  # an import
    assert definition_at(lines, 4, 6) is None  # a decorator alone
    assert definition_at(lines, 0, 3) is None
    assert definition_at(lines, 30, 99) is None
    assert definition_at([b"def f():\xff\n"], 1, 1) is None  # not UTF-8
