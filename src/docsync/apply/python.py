"""Edit docstring literals in Python files with libcst, and prove nothing else changed.

libcst renders every byte it was not asked to change exactly as it read it (quotes,
prefixes, comments, line endings), so an edit is a replacement of one
``SimpleString`` node by another.  Before any result is returned, the invariant of
the design is checked: the module's AST with docstrings stripped is identical before
and after (:func:`code_fingerprint`).  An edit that fails a check is refused with an
:class:`EditRejected` that says why; nothing is written by this module.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from docsync.errors import PARSER_LIMITS, DocsyncError


class EditRejected(DocsyncError):
    """An edit failed a safety check and was not applied."""


@dataclass(frozen=True)
class LiteralEdit:
    """Replace the source text of the docstring literal that starts on ``line``.

    ``old_source`` and ``new_source`` are the literal as written in the file, quotes
    and prefix included (``'''Summary.\\n    '''``); ``old_source`` guards against
    applying an edit to a file that changed since it was drafted.
    """

    line: int
    old_source: str
    new_source: str


_DOCSTRING_OWNERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def code_fingerprint(source: str | bytes) -> str:
    """A hash of the module's code with every docstring removed.

    Two versions of a file with the same fingerprint differ at most in their
    docstrings, comments and formatting.

    Args:
        source: the module's source.

    Returns:
        The sha256 hex digest of the AST dump without docstrings and positions.

    Raises:
        EditRejected: the source does not parse.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError) as exc:
        raise EditRejected(f"the edited module does not parse: {exc}") from None
    for node in ast.walk(tree):
        if isinstance(node, _DOCSTRING_OWNERS) and _has_docstring(node.body):
            node.body = node.body[1:]
    return hashlib.sha256(ast.dump(tree).encode("utf-8")).hexdigest()


def _has_docstring(body: list[ast.stmt]) -> bool:
    if not body:
        return False
    first = body[0]
    return (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )


class _DocstringLocator(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.by_line: dict[int, cst.SimpleString] = {}

    def visit_Module(self, node: cst.Module) -> None:
        self._record(node.body)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._record(_suite_body(node.body))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._record(_suite_body(node.body))

    def _record(self, body: Sequence[cst.BaseStatement]) -> None:
        if not body:
            return
        first = body[0]
        if not isinstance(first, cst.SimpleStatementLine) or not first.body:
            return
        expr = first.body[0]
        if isinstance(expr, cst.Expr) and isinstance(expr.value, cst.SimpleString):
            line = self.get_metadata(PositionProvider, expr.value).start.line
            self.by_line[line] = expr.value


def _suite_body(suite: cst.BaseSuite) -> tuple[cst.BaseStatement, ...]:
    if isinstance(suite, cst.IndentedBlock):
        return tuple(suite.body)
    if isinstance(suite, cst.SimpleStatementSuite):
        return (cst.SimpleStatementLine(body=suite.body),)
    return ()


def apply_literal_edits(source: bytes, edits: list[LiteralEdit]) -> bytes:
    """Apply docstring literal edits to a module's source, checking every invariant.

    Args:
        source: the module as read from disk (bytes, so its encoding and line
            endings are kept).
        edits: at most one edit per literal.

    Returns:
        The edited module.

    Raises:
        EditRejected: a literal is not found or no longer matches, a new literal is
            not a plain string literal, or the code (docstrings stripped) would change.
    """
    if not edits:
        return source
    try:
        return _apply(source, edits)
    except PARSER_LIMITS:  # libcst and ast recurse once per level of nesting
        raise EditRejected(
            "the file nests code too deeply to edit safely; edit its docstrings by hand"
        ) from None


def _apply(source: bytes, edits: list[LiteralEdit]) -> bytes:
    try:
        wrapper = MetadataWrapper(cst.parse_module(source))
    except cst.ParserSyntaxError as exc:
        raise EditRejected(f"cannot parse the file for editing: {exc}") from None
    locator = _DocstringLocator()
    wrapper.visit(locator)
    swaps: dict[cst.SimpleString, cst.SimpleString] = {}
    for edit in edits:
        node = locator.by_line.get(edit.line)
        if node is None:
            raise EditRejected(f"line {edit.line}: no docstring literal starts here")
        if node.value != edit.old_source:
            raise EditRejected(f"line {edit.line}: the docstring changed since it was read")
        _check_literal(edit)
        swaps[node] = node.with_changes(value=edit.new_source)
    replacer = _IdentityReplacer(swaps)
    new_module = wrapper.module.visit(replacer)
    result = new_module.bytes
    if code_fingerprint(result) != code_fingerprint(source):
        raise EditRejected("the edit would change code, not only docstrings; refused")
    return result


class _IdentityReplacer(cst.CSTTransformer):
    def __init__(self, swaps: Mapping[cst.SimpleString, cst.SimpleString]) -> None:
        super().__init__()
        self.swaps = {id(old): new for old, new in swaps.items()}

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        return self.swaps.get(id(original_node), updated_node)


def _check_literal(edit: LiteralEdit) -> None:
    try:
        old = ast.parse(edit.old_source, mode="eval").body
        new = ast.parse(edit.new_source, mode="eval").body
    except SyntaxError as exc:
        raise EditRejected(f"line {edit.line}: the new docstring is not a literal: {exc}") from None
    if not (isinstance(new, ast.Constant) and isinstance(new.value, str)):
        raise EditRejected(f"line {edit.line}: the new docstring is not a single string literal")
    if not (isinstance(old, ast.Constant) and isinstance(old.value, str)):
        raise EditRejected(f"line {edit.line}: the old docstring is not a single string literal")
    if literal_prefix(edit.old_source) != literal_prefix(edit.new_source):
        raise EditRejected(f"line {edit.line}: the edit would change the string prefix")


def literal_prefix(literal: str) -> str:
    """A string literal's prefix (``r``, ``b``, ``f``, ``u``), lower-cased."""
    return literal[: len(literal) - len(literal.lstrip("rRbBuUfF"))].lower()
