"""New docstrings drafted by the model: a blank literal written anew, and what DS504 asks.

New public API without a docstring (DS504) is drafted like any other docstring: the
fix pipeline gives the symbol a blank placeholder literal
(:func:`docsync.apply.new_docstring.placeholder`) and the model's answer replaces it.
A blank literal has no lines to keep, so it is written anew (:func:`fresh_literal`);
the answer must then leave nothing for DS504 to find (:func:`coverage_errors`): a
docstring, and the parameters where the module's documented functions list theirs.
The line helpers are shared with :func:`docsync.draft.llm.checks.rewrite_literal`.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Sequence

from docsync.draft.mechanical.literal import DocLiteral, LiteralRefused
from docsync.models import Finding, Module, Symbol
from docsync.rules.coverage import NEW_API_UNDOCUMENTED, documentation_gap
from docsync.rules.param_changes import expected_params

__all__ = [
    "check_rendered",
    "close_literal",
    "coverage_errors",
    "escape_line",
    "fresh_literal",
]


def fresh_literal(doc: DocLiteral, source: list[str], new_text: str, indent: str) -> str:
    """A blank docstring written anew: the text at the statement's indentation.

    A blank literal has no lines to keep (a new symbol's placeholder, or an empty
    docstring).  The first line follows the opening quotes; the others, and the
    closing quotes of a docstring of several lines, sit at ``indent`` (the
    indentation before the closing quotes, when they are on a line of their own).

    Args:
        doc: the blank literal, read.
        source: the literal's body lines.
        new_text: the new docstring text, as :func:`inspect.cleandoc` gives it.
        indent: the indentation of the statement.

    Returns:
        The new literal, with the blank literal's prefix, quotes and line ending.

    Raises:
        LiteralRefused: the text cannot be written with the literal's quotes.
    """
    margin = source[-1] if len(source) > 1 and not source[-1].strip() else indent
    new_lines = inspect.cleandoc(new_text).split("\n")
    raw = "r" in doc.opening[: -len(doc.closing)].lower()
    if len(doc.closing) == 1 and len(new_lines) > 1:
        raise LiteralRefused("a one-line string literal cannot hold several lines")
    out = [escape_line(new_lines[0], doc.closing, raw)]
    out += [
        margin + escape_line(line, doc.closing, raw) if line.strip() else ""
        for line in new_lines[1:]
    ]
    if len(out) > 1:
        out.append(margin)
    return close_literal(doc, out, new_lines)


def close_literal(doc: DocLiteral, lines: list[str], new_lines: list[str]) -> str:
    """The literal of a docstring's source lines, checked to read back as the new text.

    A quote right before the closing quotes would end the string early: it is escaped
    (a raw literal cannot escape it, and is refused).

    Args:
        doc: the literal being rewritten (prefix, quotes, line ending).
        lines: the new body's source lines, already escaped (changed in place).
        new_lines: the new docstring's lines, as :func:`inspect.cleandoc` gives them.

    Returns:
        The new literal.

    Raises:
        LiteralRefused: the text cannot be written with the literal's quotes.
    """
    quote = doc.closing[0]
    if lines and lines[-1].endswith(quote) and not lines[-1].endswith("\\" + quote):
        if "r" in doc.opening[: -len(doc.closing)].lower():
            raise LiteralRefused("the new text ends with a quote a raw docstring cannot hold")
        lines[-1] = lines[-1][:-1] + "\\" + quote
    rendered = doc.opening + doc.newline.join(lines) + doc.closing
    check_rendered(rendered, new_lines)
    return rendered


def escape_line(line: str, quote: str, raw: bool) -> str:
    """One line of new docstring text as the literal's source must spell it.

    Args:
        line: the line.
        quote: the literal's closing quotes.
        raw: whether the literal is a raw string.

    Returns:
        The line, backslashes doubled unless the literal is raw.

    Raises:
        LiteralRefused: a raw literal cannot hold the line's backslashes.
    """
    if raw:
        if "\\" in line and (line.endswith("\\") or f"\\{quote[0]}" in line):
            raise LiteralRefused("the new text needs escapes a raw docstring cannot hold")
        return line
    return line.replace("\\", "\\\\")


def check_rendered(rendered: str, new_lines: list[str]) -> None:
    """Check that a rendered literal reads back as the new text.

    Args:
        rendered: the new literal's source.
        new_lines: the new docstring's lines.

    Raises:
        LiteralRefused: it does not parse, or reads back as other text.
    """
    try:
        value = ast.literal_eval(rendered)
    except (SyntaxError, ValueError) as exc:
        raise LiteralRefused(f"the new text cannot be written with these quotes ({exc})") from None
    got = [line.rstrip() for line in inspect.cleandoc(value).split("\n")]
    if not isinstance(value, str) or got != [line.rstrip() for line in new_lines]:
        raise LiteralRefused("the new text cannot be written with these quotes")


def coverage_errors(fixing: Sequence[Finding], symbol: Symbol, module: Module) -> list[str]:
    """What DS504 would still find missing in the new docstring of new public API.

    Args:
        fixing: the findings the docstring fixes (nothing is asked without a DS504).
        symbol: the symbol, scanned with its new docstring.
        module: its module, scanned with the new docstring.

    Returns:
        The problems, as sentences for the repair round.
    """
    if not any(f.code == NEW_API_UNDOCUMENTED.code for f in fixing):
        return []
    gap = documentation_gap(symbol, module)
    if gap == "docstring":
        return ["new_docstring is blank: write the docstring of the new symbol"]
    if gap == "params" and symbol.signature is not None:
        names = ", ".join(p.name for p in expected_params(symbol.signature))
        return [
            f"new_docstring documents none of the parameters ({names}), while this module's "
            "documented functions list theirs: document them in the module's style"
        ]
    return []
