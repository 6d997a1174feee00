"""Where the docstring literals of a module are in its text, and text-level replacement.

The fix pipeline drafts on the literal's source text and checks a draft by scanning
the module with the literal replaced, before libcst makes the real edit.  Spans
come from :mod:`ast` (columns are UTF-8 byte offsets there; they are turned into
string offsets here), keyed by the literal's first line like
:class:`~docsync.apply.python.LiteralEdit`.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

from docsync.apply.linebreaks import line_offsets
from docsync.errors import PARSER_LIMITS

__all__ = ["LiteralSpan", "docstring_spans", "replace_literals"]

_OWNERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class LiteralSpan:
    """A docstring literal's lines and its ``start:end`` offsets in the module text."""

    line: int
    end_line: int
    start: int
    end: int

    def source(self, text: str) -> str:
        """The literal's source text in ``text``.

        Args:
            text: The module text the span was taken from.

        Returns:
            The literal, prefix and quotes included.
        """
        return text[self.start : self.end]


def docstring_spans(text: str) -> dict[int, LiteralSpan]:
    """The docstring literals of a module, by first line.

    Args:
        text: The module's source text.

    Returns:
        Every module, class and function docstring literal's span.

    Raises:
        SyntaxError: The text does not parse, or nests too deeply for the parser.
    """
    try:
        tree = ast.parse(text)
    except PARSER_LIMITS:
        raise SyntaxError("the module nests code too deeply to parse") from None
    offsets = line_offsets(text)
    spans: dict[int, LiteralSpan] = {}
    for node in ast.walk(tree):
        if not isinstance(node, _OWNERS) or not node.body:
            continue
        first = node.body[0]
        if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)):
            continue
        value = first.value
        if not isinstance(value.value, str) or value.end_lineno is None:
            continue
        start = _offset(text, offsets, value.lineno, value.col_offset)
        end = _offset(text, offsets, value.end_lineno, value.end_col_offset or 0)
        spans[value.lineno] = LiteralSpan(value.lineno, value.end_lineno, start, end)
    return spans


def _offset(text: str, offsets: list[int], line: int, byte_column: int) -> int:
    start = offsets[line - 1]
    end = offsets[line] if line < len(offsets) else len(text)
    prefix = text[start:end].encode("utf-8")[:byte_column]
    return start + len(prefix.decode("utf-8", errors="replace"))


def replace_literals(text: str, spans: Mapping[int, LiteralSpan], new: Mapping[int, str]) -> str:
    """``text`` with the literals starting on the given lines replaced.

    Args:
        text: The module text the spans were taken from.
        spans: The literal spans, by first line.
        new: The new literal source text, by first line.

    Returns:
        The new text; every other character is as it was.
    """
    parts: list[str] = []
    position = 0
    for line in sorted(new, key=lambda n: spans[n].start):
        span = spans[line]
        parts.extend((text[position : span.start], new[line]))
        position = span.end
    parts.append(text[position:])
    return "".join(parts)
