"""Label the functions of two releases, independently of docsync.

The labels come from the stdlib ``ast`` and the third-party ``docstring_parser``
(not docsync's own parser), so the benchmark does not grade docsync against itself:

* POSITIVE: the parameter list changed, and the maintainers changed the documented
  parameters to follow (a parameter that left the signature also left the
  docstring, or one that entered the signature entered the docstring too);
* NEGATIVE: the docstring did not change and neither did the parameter list
  (names, order, kinds); annotations, defaults and the return annotation may have
  changed (an ``Optional[X]`` respelt ``X | None``, a sentinel default), and the
  body may have: the docs needed no edit for any of that (``cosmetic`` says
  whether the signature changed at all);
* everything else is not scored.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import docstring_parser

_STYLES = {
    "google": docstring_parser.DocstringStyle.GOOGLE,
    "numpy": docstring_parser.DocstringStyle.NUMPYDOC,
    "sphinx": docstring_parser.DocstringStyle.REST,
}
_PARAM_KEYS = {"param", "parameter", "arg", "argument", "key", "keyword"}


class Label(str, Enum):
    """What a function is for scoring."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


@dataclass(frozen=True)
class Function:
    """A function or method as this labeler sees it."""

    path: str
    qualname: str
    params: tuple[str, ...]
    kinds: str
    signature: str
    docstring: str | None
    doc_node: tuple[int, int, int, int] | None  # lineno, col, end_lineno, end_col (bytes)
    def_line: int
    end_line: int
    overload: bool = False


def functions(root: Path) -> dict[tuple[str, str], Function]:
    """Every function and method under ``root``, keyed by (relative path, qualname)."""
    found: dict[tuple[str, str], Function] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        try:
            tree = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            continue
        for function in _walk(tree.body, rel, ""):
            key = (rel, function.qualname)
            if key not in found or not function.overload:
                found[key] = function  # the last definition wins, as in Python
    return found


def _walk(
    body: list[ast.stmt], path: str, prefix: str, in_class: bool = False
) -> Iterator[Function]:
    for node in body:
        if isinstance(node, ast.ClassDef):
            yield from _walk(node.body, path, f"{prefix}{node.name}.", in_class=True)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield _function(node, path, prefix, in_class)
            yield from _walk(node.body, path, f"{prefix}{node.name}.")


def _function(
    node: ast.FunctionDef | ast.AsyncFunctionDef, path: str, prefix: str, in_class: bool
) -> Function:
    args = node.args
    names = [a.arg for a in (*args.posonlyargs, *args.args)]
    static = any(_decorator_name(d) == "staticmethod" for d in node.decorator_list)
    if in_class and not static and names:
        names = names[1:]
    if args.vararg:
        names.append(args.vararg.arg)
    names.extend(a.arg for a in args.kwonlyargs)
    if args.kwarg:
        names.append(args.kwarg.arg)
    signature = ast.dump(args) + ast.dump(node.returns) if node.returns else ast.dump(args)
    kinds = (
        "/".join(str(len(group)) for group in (args.posonlyargs, args.args, args.kwonlyargs))
        + f"/{bool(args.vararg)}/{bool(args.kwarg)}"
    )
    doc_node = None
    first = node.body[0] if node.body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        value = first.value
        doc_node = (
            value.lineno,
            value.col_offset,
            value.end_lineno or value.lineno,
            value.end_col_offset or 0,
        )
    return Function(
        path=path,
        qualname=prefix + node.name,
        params=tuple(names),
        kinds=kinds,
        signature=signature,
        docstring=ast.get_docstring(node, clean=True),
        doc_node=doc_node,
        def_line=node.lineno,
        end_line=node.end_lineno or node.lineno,
        overload=any(_decorator_name(d) == "overload" for d in node.decorator_list),
    )


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def documented_params(docstring: str | None, style: str) -> frozenset[str]:
    """The parameter names a docstring documents, by ``docstring_parser``."""
    if not docstring:
        return frozenset()
    try:
        parsed = docstring_parser.parse(docstring, _STYLES[style])
    except (docstring_parser.ParseError, ValueError, IndexError, KeyError):
        return frozenset()
    names = set()
    for meta in parsed.meta:
        if meta.args and meta.args[0] in _PARAM_KEYS and len(meta.args) > 1:
            for name in meta.args[-1].split(","):
                names.add(name.strip().lstrip("*").replace("\\", "").strip())
    return frozenset(n for n in names if n)


def label(old: Function, new: Function, style: str) -> Label | None:
    """POSITIVE, NEGATIVE or ``None`` (not scored) for one function present in both releases.

    POSITIVE needs both docstrings and a parameter the maintainers' doc edit
    followed: one that left the signature and the documented parameters, or one
    that entered the signature and the documented parameters.  So the old
    docstring, put back, really is out of date for the new signature.
    """
    if old.docstring == new.docstring and (old.params, old.kinds) == (new.params, new.kinds):
        return Label.NEGATIVE
    if old.params == new.params or old.docstring == new.docstring:
        return None
    if old.doc_node is None or new.doc_node is None:
        return None
    old_doc = documented_params(old.docstring, style)
    new_doc = documented_params(new.docstring, style)
    left = (set(old.params) - set(new.params)) & (old_doc - new_doc)
    entered = (set(new.params) - set(old.params)) & (new_doc - old_doc)
    return Label.POSITIVE if old_doc and (left or entered) else None


def cosmetic(old: Function, new: Function) -> bool:
    """Whether a NEGATIVE's signature changed (annotations, defaults, return annotation)."""
    return old.signature != new.signature


def revert_docstrings(
    new_source: bytes, old_source: bytes, pairs: list[tuple[Function, Function]]
) -> bytes:
    """``new_source`` with each new function's docstring literal replaced by the old one's."""
    old_lines = _line_starts(old_source)
    new_lines = _line_starts(new_source)
    edits = []
    for old, new in pairs:
        if old.doc_node is None or new.doc_node is None:
            continue
        old_start, old_end = _span(old_lines, old.doc_node)
        new_start, new_end = _span(new_lines, new.doc_node)
        text = old_source[old_start:old_end]
        old_indent, new_indent = old.doc_node[1], new.doc_node[1]
        if old_indent != new_indent:
            text = text.replace(b"\n" + b" " * old_indent, b"\n" + b" " * new_indent)
        edits.append((new_start, new_end, text))
    result = new_source
    for start, end, text in sorted(edits, reverse=True):
        result = result[:start] + text + result[end:]
    return result


def _line_starts(source: bytes) -> list[int]:
    starts = [0]
    for index, byte in enumerate(source):
        if byte == 0x0A:
            starts.append(index + 1)
    return starts


def _span(starts: list[int], node: tuple[int, int, int, int]) -> tuple[int, int]:
    line, col, end_line, end_col = node
    return starts[line - 1] + col, starts[end_line - 1] + end_col
