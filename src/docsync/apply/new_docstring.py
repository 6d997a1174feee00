"""Give a function or class that has no docstring one, with libcst, changing nothing else.

A new docstring is a new first statement of the body: libcst renders it at the
body's indentation, with the module's line ending, and every other byte as it read
it (the comments and blank lines between the header and the first statement stay
where they were, under the new docstring).  The result passes the invariant of
:mod:`docsync.apply.python` (the code, docstrings stripped, is unchanged) before it
is returned.

The drafting pipeline edits docstring literals, so a symbol without one first gets a
blank *placeholder* (:func:`placeholder`): the drafter rewrites it like any other
literal, and the placeholder itself is never written (a placeholder that no draft
replaced is not inserted at all).  A body written on the header's line
(``def f(): return 1``) has no line to put a docstring on and is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from docsync.apply.linebreaks import split_lines
from docsync.apply.python import EditRejected, code_fingerprint, literal_prefix
from docsync.errors import PARSER_LIMITS
from docsync.models import Edit, Finding

__all__ = ["Insertion", "insert_docstrings", "insertion_edit", "placeholder"]


def placeholder(indent: str, newline: str = "\n") -> str:
    """The blank docstring literal a drafter rewrites into a new docstring.

    Args:
        indent: the indentation of the body it opens.
        newline: the file's line ending.

    Returns:
        Opening quotes, a line break, the indentation and the closing quotes.
    """
    return f'"""{newline}{indent}"""'


@dataclass(frozen=True)
class Insertion:
    """A docstring to insert: ``literal`` (``None``: a placeholder) into the def on ``line``.

    ``line`` is the line of the ``def``/``class`` keyword (``Symbol.location.line``
    as the scanner records it); ``name`` guards against a file that changed.
    """

    line: int
    name: str
    literal: str | None = None


def insert_docstrings(source: bytes, insertions: Sequence[Insertion]) -> bytes:
    """Insert docstrings into functions and classes that have none.

    Args:
        source: the module as read from disk.
        insertions: at most one per definition.

    Returns:
        The module with each docstring as the first statement of its body.

    Raises:
        EditRejected: a definition is not found, already has a docstring, has its
            body on the header's line, a literal is not one plain string literal, or
            the code (docstrings stripped) would change.
    """
    if not insertions:
        return source
    try:
        return _insert(source, {i.line: i for i in insertions})
    except PARSER_LIMITS:
        raise EditRejected(
            "the file nests code too deeply to edit safely; write the docstring by hand"
        ) from None


def _insert(source: bytes, wanted: Mapping[int, Insertion]) -> bytes:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise EditRejected(f"cannot parse the file for editing: {exc}") from None
    wrapper = MetadataWrapper(module)
    finder = _Definitions(wanted)
    wrapper.visit(finder)
    missing = sorted(set(wanted) - set(finder.found))
    if missing:
        raise EditRejected(f"line {missing[0]}: no definition of `{wanted[missing[0]].name}` here")
    lines = split_lines(source.decode(module.encoding, errors="replace"))
    newline = module.default_newline
    swaps: dict[int, cst.SimpleStatementLine] = {}
    for line, (node, first_line) in finder.found.items():
        insertion = wanted[line]
        body = node.body
        if not isinstance(body, cst.IndentedBlock):
            raise EditRejected(
                f"line {line}: `{insertion.name}` has its body on the header's line; "
                "write its docstring by hand"
            )
        first = body.body[0]
        if _is_docstring(first):
            raise EditRejected(f"line {line}: `{insertion.name}` already has a docstring")
        text = lines[first_line - 1] if 0 < first_line <= len(lines) else ""
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        literal = insertion.literal or placeholder(indent, newline)
        _check_literal(line, literal)
        statement = cst.SimpleStatementLine(body=[cst.Expr(cst.SimpleString(literal))])
        swaps[id(body)] = statement
    result = wrapper.module.visit(_BodyReplacer(swaps)).bytes
    if code_fingerprint(result) != code_fingerprint(source):
        raise EditRejected("the edit would change code, not only docstrings; refused")
    return result


def _is_docstring(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or not statement.body:
        return False
    expr = statement.body[0]
    return isinstance(expr, cst.Expr) and isinstance(
        expr.value, cst.SimpleString | cst.ConcatenatedString
    )


def _check_literal(line: int, literal: str) -> None:
    try:
        node = cst.parse_expression(literal)
    except cst.ParserSyntaxError:
        raise EditRejected(f"line {line}: the new docstring is not a string literal") from None
    prefix = literal_prefix(literal)
    if not isinstance(node, cst.SimpleString) or "b" in prefix or "f" in prefix:
        raise EditRejected(f"line {line}: the new docstring is not a single string literal")


class _Definitions(cst.CSTVisitor):
    """Finds each wanted definition by the line of its name, and its body's first line."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, wanted: Mapping[int, Insertion]) -> None:
        super().__init__()
        self.wanted = wanted
        self.found: dict[int, tuple[cst.FunctionDef | cst.ClassDef, int]] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._see(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._see(node)

    def _see(self, node: cst.FunctionDef | cst.ClassDef) -> None:
        line = self.get_metadata(PositionProvider, node.name).start.line
        insertion = self.wanted.get(line)
        if insertion is None or node.name.value != insertion.name:
            return
        first = line
        if isinstance(node.body, cst.IndentedBlock) and node.body.body:
            first = self.get_metadata(PositionProvider, node.body.body[0]).start.line
        self.found[line] = (node, first)


class _BodyReplacer(cst.CSTTransformer):
    def __init__(self, swaps: Mapping[int, cst.SimpleStatementLine]) -> None:
        super().__init__()
        self.swaps = swaps

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        docstring = self.swaps.get(id(original_node))
        if docstring is None:
            return updated_node
        return updated_node.with_changes(body=(docstring, *updated_node.body))


def insertion_edit(path: str, old: str, new: str, findings: Sequence[Finding], origin: str) -> Edit:
    """The edit that turns ``old`` into ``new`` when ``new`` only inserts whole lines once.

    Edits replace text, so the insertion is told as a replacement of the line it goes
    before: that line becomes the new lines followed by itself.  A review suggestion
    and a PR's line map read it like any other edit.

    Args:
        path: the file.
        old: the file's text before.
        new: the file's text after one insertion.
        findings: the findings the inserted docstring fixes.
        origin: who drafted it (``llm:<model>``).

    Returns:
        The edit, on the line the docstring goes before.

    Raises:
        EditRejected: ``new`` is not ``old`` with lines inserted at one place.
    """
    before, after = split_lines(old), split_lines(new)
    at = 0
    while at < len(before) and before[at] == after[at]:
        at += 1
    added = len(after) - len(before)
    if at >= len(before) or added <= 0 or after[at + added :] != before[at:]:
        raise EditRejected("internal: the docstring is not a block of inserted lines")
    return Edit(
        path=path,
        line=at + 1,
        end_line=at + 1,
        old_text=before[at],
        new_text="".join(after[at : at + added + 1]),
        findings=tuple(findings),
        origin=origin,
    )
