"""The defaults family: documented default values against the signature's (DS107).

A docstring names a default in many ways: ``arg (int, default=5)`` in Google,
``width : int, default 80`` or ``optional, default: 80`` in NumPy, ``Defaults to 80.``
or ``(default: 80)`` in any style's description.  :func:`documented_defaults` finds
them, with their place in the text so a fix can replace the value in the docstring's
own wording; :func:`check_defaults` compares them with the signature.

Only literals are compared (numbers, strings, ``None``, ``True``/``False`` and tuples
of those), and only when the documentation is plain about it: a value followed by more
words (``Defaults to 10 seconds``), a sentence that hedges (``if``, ``when``,
``otherwise``), two different values, or a ``None`` default in the signature (the
sentinel a body replaces with the documented value) mean no finding.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from docsync.models import Evidence, Finding, Severity, Symbol, SymbolKind
from docsync.rules.base import (
    Family,
    RuleContext,
    callable_label,
    entry_location,
    is_overload,
    is_property_like,
)
from docsync.rules.params import PARAM_SECTIONS, documented_params
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind

__all__ = [
    "DEFAULT_MISMATCH",
    "FAMILY",
    "DocumentedDefault",
    "check_defaults",
    "documented_defaults",
    "literal_value",
]

DEFAULT_MISMATCH = Rule(
    code="DS107",
    slug="default-mismatch",
    summary="A documented default value contradicts the signature's default.",
    severity=Severity.WARNING,
    description=(
        "Reads the default a parameter entry names (`x (int, default=5)`, NumPy "
        "`x : int, default 80` or `optional, default: 80`, `Defaults to 80.`, `(default: 80)`, "
        "`Default is 80.`) and compares it with the signature's default when both are literals: "
        "numbers, strings, `None`, `True`/`False` and tuples of those. Nothing is reported when "
        "the signature's default is not a literal or is `None` (a sentinel the body often "
        "replaces by the documented value), when the value is followed by more words "
        "(`Defaults to 10 seconds`), when its sentence is conditional (`if`, `when`, "
        "`otherwise`...), or when the entry names two different defaults. The fix writes the "
        "signature's default in place of the documented one, keeping the wording around it."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("defaults", "DEFAULT_FLAG", "DEFAULT_OK"),
    fix=FixKind.MECHANICAL,
    sections=PARAM_SECTIONS,
)

_NUMBER = r"[-+]?\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?"
_STRING = r"'[^'\n]*'|\"[^\"\n]*\""
_TUPLE = r"\([^()\n]*\)"
_VALUE = rf"{_NUMBER}|{_STRING}|None\b|True\b|False\b|{_TUPLE}"
# ``default=5``, ``default 80``, ``default: 80``, ``defaults to 80``, ``default is 80``,
# ``default value is 80``; the value may be in backticks, and must end its clause.
_DEFAULT_RE = re.compile(
    r"\b(?:by\s+)?defaults?(?:\s+value)?(?:\s+(?:is|to|of))?\s*[:=]?\s*"
    rf"(?P<ticks>`{{0,2}})(?P<value>{_VALUE})(?P=ticks)"
    r"(?=\s*(?:[,;)\]]|\.(?:\s|$)|\s#|$))",  # a NumPy type may be followed by a lint comment
    re.IGNORECASE,
)
_HEDGES = re.compile(
    r"\b(?:if|when|whenever|unless|otherwise|depending|depends|except|else|unspecified)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.;](?:\s|$)|\n\s*\n")
# What may come between the start of a clause and the default marker: ``The default
# is 5`` states the parameter's default, ``but the default is "[loop]"`` may not.
_CLAUSE_START = re.compile(r"[.;:,(]\s|[(,]|\n\s*\n")
_LEADS = frozenset({"", "the"})


@dataclass(frozen=True)
class DocumentedDefault:
    """A default named in documentation text: the value as written and where it is."""

    text: str
    value: object
    start: int
    end: int


def literal_value(text: str) -> tuple[bool, object]:
    """Evaluate a simple literal: a number, string, ``None``, bool, or tuple of those.

    Args:
        text: Source text such as ``10``, ``'utf-8'`` or ``(1, 2)``.

    Returns:
        ``(True, value)`` for a simple literal, else ``(False, None)``.
    """
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None
    return (True, value) if _is_simple(value) else (False, None)


def _is_simple(value: object) -> bool:
    if isinstance(value, tuple):
        return all(_is_simple(item) and not isinstance(item, tuple) for item in value)
    return value is None or isinstance(value, (bool, int, float, str))


def documented_defaults(text: str) -> list[DocumentedDefault]:
    """The defaults a piece of documentation states plainly, in order.

    Args:
        text: An entry's type or description.

    Returns:
        Each stated default with its span in ``text``; statements in a hedged
        sentence (``if``, ``when``, ``otherwise``...) are left out.
    """
    found = []
    for match in _DEFAULT_RE.finditer(text):
        ok, value = literal_value(match.group("value"))
        if not ok or _lead(text, match.start()) not in _LEADS:
            continue
        if not _HEDGES.search(_sentence(text, match.start(), match.end())):
            found.append(DocumentedDefault(match.group("value"), value, *match.span("value")))
    return found


def _lead(text: str, start: int) -> str:
    """The words between the start of the clause holding ``start`` and ``start``, lowered."""
    starts = [m.end() for m in _CLAUSE_START.finditer(text, 0, start)]
    return " ".join(text[starts[-1] if starts else 0 : start].split()).lower()


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``start..end``."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return text[before[-1] if before else 0 : after.start() if after else len(text)]


def _same(a: object, b: object) -> bool:
    """Literal equality where ``True`` is not ``1`` and ``'1'`` is not ``1``.

    A documented string may show an escape twice (``"\\\\n"`` in a docstring that is
    not raw, for a ``"\\n"`` default): it is the same string.
    """
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, str) and isinstance(b, str) and "\\" in a:
        return a == b or _unescaped(a) == b
    return a == b


def _unescaped(text: str) -> str:
    try:
        return text.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError:
        return text


def check_defaults(symbol: Symbol, ctx: RuleContext) -> Iterator[Finding]:
    """Check the defaults a symbol's docstring names against its signature.

    Args:
        symbol: Any symbol.
        ctx: The run context.

    Yields:
        DS107 findings.
    """
    signature = symbol.signature
    if symbol.docstring is None or signature is None:
        return
    if symbol.kind not in (SymbolKind.FUNCTION, SymbolKind.METHOD, SymbolKind.CLASS):
        return
    if is_overload(symbol) or is_property_like(symbol):
        return
    for doc in documented_params(symbol):
        param = signature.param(doc.name)
        if param is None or param.default is None:
            continue
        ok, actual = literal_value(param.default)
        if not ok or actual is None:
            continue
        stated = [
            found
            for text in (doc.entry.type or "", doc.entry.description)
            for found in documented_defaults(text)
        ]
        values = {repr(found.value) for found in stated}
        if len(values) != 1 or _same(stated[0].value, actual):
            continue
        documented = stated[0].text
        yield DEFAULT_MISMATCH.finding(
            symbol,
            entry_location(symbol, doc.entry),
            f"parameter '{doc.name}' of {callable_label(symbol)} is documented to default to "
            f"{documented} but its default is {param.default}",
            Evidence(documented=documented, actual=param.default),
            f"change the documented default of '{doc.name}' to {param.default}",
            (doc.name, documented),
        )


FAMILY = Family(name="defaults", rules=(DEFAULT_MISMATCH,), check=check_defaults)
