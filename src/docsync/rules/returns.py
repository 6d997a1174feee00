"""The returns family: the Returns section against the body and annotation (DS201-DS204)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from docsync.models import (
    DocEntry,
    DocSection,
    Docstring,
    Evidence,
    Finding,
    SectionKind,
    Severity,
    Signature,
    Symbol,
    SymbolKind,
)
from docsync.rules.base import (
    Family,
    RuleContext,
    callable_label,
    entry_location,
    entry_text,
    is_abstract,
    is_overload,
    is_property_like,
    section_location,
)
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind
from docsync.rules.types import normalise_type, parse_type, types_contradict

__all__ = [
    "ASYNC_GENERATOR_RETURNS",
    "FAMILY",
    "RETURNS_ON_GENERATOR",
    "RETURN_TYPE_MISMATCH",
    "RETURN_WITHOUT_VALUE",
    "check_returns",
]

RETURN_WITHOUT_VALUE = Rule(
    code="DS201",
    slug="return-without-value",
    summary="A Returns section on a function that never returns a value.",
    severity=Severity.WARNING,
    description=(
        "Reported when the body has no `return <value>`, the function is not a generator, "
        "and the return annotation is absent or `None`/`NoReturn`/`Never`. A Returns entry "
        "that says the function returns `None` is accepted. Stubs, abstract methods, "
        "`Protocol` members, overloads, properties and `__init__` are not checked, nor "
        "functions under a decorator that may return on their behalf (any decorator but "
        "`staticmethod`, `classmethod`, `functools.wraps`/`cache`/`lru_cache`, `override`, "
        "`final`, `deprecated`, `no_type_check`)."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("returns", "WITHOUT_VALUE_FLAG", "WITHOUT_VALUE_OK"),
    fix=FixKind.MECHANICAL,
    sections=(SectionKind.RETURNS, SectionKind.YIELDS),
)
RETURNS_ON_GENERATOR = Rule(
    code="DS202",
    slug="returns-on-generator",
    summary="A generator documents Returns instead of Yields.",
    severity=Severity.WARNING,
    description=(
        "Reported for generators (sync or async) with a Returns section and no Yields section. "
        "Not reported when the generator also returns a value, or is annotated "
        "`Generator[Y, S, R]` with a non-`None` `R`: the Returns section then documents `R`. "
        "Generators decorated as context managers or fixtures are not checked, since their "
        "docstrings describe what the decorated function returns; nor are Returns entries "
        "that document the iterator the call gives (`Iterator[str]`, `edges : generator`, "
        "`:return: iterator of lists`), which are right as written."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("returns", "GENERATOR_FLAG", "GENERATOR_OK"),
    fix=FixKind.MECHANICAL,
    sections=(SectionKind.RETURNS, SectionKind.YIELDS),
)
RETURN_TYPE_MISMATCH = Rule(
    code="DS203",
    slug="return-type-mismatch",
    summary="The documented return type contradicts the annotation.",
    severity=Severity.WARNING,
    description=(
        "Compares a single typed Returns entry with the return annotation, with the same "
        "normalisation and caution as DS104: only clearly disjoint types are reported. "
        "For a generator annotated `Generator[Y, S, R]`, the Returns entry documents `R` and "
        "is compared with it; other generators, and Returns sections with several entries "
        "(NumPy tuples), are not checked."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("returns", "TYPE_ALL_FLAG", "TYPE_ALL_OK"),
    fix=FixKind.MECHANICAL,
    sections=(SectionKind.RETURNS, SectionKind.YIELDS),
)
ASYNC_GENERATOR_RETURNS = Rule(
    code="DS204",
    slug="async-generator-returns",
    summary="An async generator documents a return value, which it cannot have.",
    severity=Severity.WARNING,
    description=(
        "An async generator cannot `return` a value (it is a syntax error), so a Returns "
        "section beside its Yields section describes nothing. Without a Yields section the "
        "finding is DS202's. A Returns entry that says `None`, and generators decorated as "
        "async context managers or fixtures, are not reported."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("generators", "ASYNC_FLAG", "ASYNC_OK"),
    fix=FixKind.MECHANICAL,
    sections=(SectionKind.RETURNS,),
)

_NO_VALUE_ANNOTATIONS = frozenset({"None", "NoReturn", "Never"})
_GENERATOR_DECORATORS = ("contextmanager", "asynccontextmanager", "fixture")
# Decorators known to hand back what the function itself returns. Any other decorator
# (SQLAlchemy's ``@_generative``, a registry, a wrapper factory) may return a value on
# the function's behalf, so a Returns section under it is not evidence of drift.
_KEEPS_RETURN = frozenset(
    {
        "staticmethod",
        "classmethod",
        "override",
        "final",
        "wraps",
        "lru_cache",
        "cache",
        "no_type_check",
        "deprecated",
    }
)
# What calling a generator function gives its caller: a Returns entry of one of these
# types ("Returns: Iterator[str]", "edges : generator") describes the call correctly,
# and renaming the section to Yields would make it wrong.
_ITERATOR_TYPES = frozenset(
    {"Generator", "Iterator", "Iterable", "AsyncGenerator", "AsyncIterator", "AsyncIterable"}
)
_ITERATOR_WORDS_RE = re.compile(
    r"(?:an?\s+|the\s+)?(?:async(?:hronous)?\s+)?(?:generator|iterator|iterable)\b", re.I
)


def check_returns(symbol: Symbol, ctx: RuleContext) -> Iterator[Finding]:
    """Check a function's Returns section against its body and annotation.

    Args:
        symbol: A function or method.
        ctx: The run context.

    Yields:
        DS201-DS204 findings.
    """
    docstring, signature = symbol.docstring, symbol.signature
    if docstring is None or signature is None:
        return
    if symbol.kind not in (SymbolKind.FUNCTION, SymbolKind.METHOD):
        return
    if is_overload(symbol) or is_property_like(symbol):
        return
    sections = docstring.sections_of(SectionKind.RETURNS)
    if not sections:
        return
    if not (symbol.is_stub or is_abstract(symbol) or ctx.in_protocol(symbol)):
        yield from _without_value(symbol, signature, sections[0])
        yield from _on_generator(symbol, signature, docstring, sections[0])
        yield from _on_async_generator(symbol, signature, docstring, sections[0])
    yield from _type_mismatch(symbol, signature, ctx, sections)


def _without_value(symbol: Symbol, signature: Signature, section: DocSection) -> Iterator[Finding]:
    if signature.returns_value or signature.is_generator or symbol.name == "__init__":
        return  # an __init__ "returning" its instance is a common, harmless way to put it
    if any(d.rpartition(".")[2] not in _KEEPS_RETURN for d in symbol.decorators):
        return
    if signature.returns is not None and normalise_type(signature.returns) not in (
        _NO_VALUE_ANNOTATIONS
    ):
        return
    if section.entries and all(_documents_none(e) for e in section.entries):
        return
    documented = _section_text(section)
    yield RETURN_WITHOUT_VALUE.finding(
        symbol,
        section_location(symbol, section),
        f"{callable_label(symbol)} documents a return value but never returns one",
        Evidence(
            documented=documented,
            actual=f"-> {signature.returns}" if signature.returns else "no 'return <value>'",
        ),
        "remove the Returns section",
        (documented,),
    )


def _documents_none(entry: DocEntry) -> bool:
    if entry.type:
        return normalise_type(entry.type) == "None"
    text = (entry.name or entry.description).strip()
    return text.startswith(("None", "Nothing"))


def _documents_iterator(entry: DocEntry) -> bool:
    """Whether a Returns entry says the call gives an iterator or generator."""
    if entry.type:  # parse_type spells ``generator`` and ``typing.Iterator`` alike
        members = parse_type(entry.type) or ()
        return bool(members) and all(m.name in _ITERATOR_TYPES for m in members)
    text = (entry.name or entry.description).strip()
    return _ITERATOR_WORDS_RE.match(text) is not None


def _section_text(section: DocSection) -> str:
    return "; ".join(entry_text(e) for e in section.entries) or section.title


def _on_generator(
    symbol: Symbol, signature: Signature, docstring: Docstring, section: DocSection
) -> Iterator[Finding]:
    if not signature.is_generator or signature.returns_value:
        return
    if docstring.has_section(SectionKind.YIELDS) or symbol.has_decorator(*_GENERATOR_DECORATORS):
        return
    if signature.returns is not None and _generator_returns_value(signature.returns):
        return
    if section.entries and all(_documents_iterator(e) for e in section.entries):
        return
    documented = _section_text(section)
    kind = "an async generator" if signature.is_async else "a generator"
    yield RETURNS_ON_GENERATOR.finding(
        symbol,
        section_location(symbol, section),
        f"{callable_label(symbol)} is {kind} but documents Returns instead of Yields",
        Evidence(documented=documented, actual="yields"),
        "rename the Returns section to Yields",
        (documented,),
    )


def _on_async_generator(
    symbol: Symbol, signature: Signature, docstring: Docstring, section: DocSection
) -> Iterator[Finding]:
    if not (signature.is_async and signature.is_generator):
        return
    if not docstring.has_section(SectionKind.YIELDS) or symbol.has_decorator(
        *_GENERATOR_DECORATORS
    ):
        return  # without Yields, DS202 says to rename the section
    if section.entries and all(_documents_none(e) for e in section.entries):
        return
    documented = _section_text(section)
    yield ASYNC_GENERATOR_RETURNS.finding(
        symbol,
        section_location(symbol, section),
        f"{callable_label(symbol)} is an async generator, which cannot return a value, "
        "but documents Returns",
        Evidence(documented=documented, actual="an async generator returns no value"),
        "remove the Returns section",
        (documented,),
    )


def generator_return_type(annotation: str) -> str | None:
    """The ``R`` of a ``Generator[Y, S, R]`` annotation, as source text.

    Args:
        annotation: A return annotation as written.

    Returns:
        ``R``, or None when the annotation is not a three-argument ``Generator``.
    """
    try:
        node = ast.parse(annotation.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Tuple):
        return None
    name = node.value
    generic = name.attr if isinstance(name, ast.Attribute) else getattr(name, "id", "")
    if generic != "Generator" or len(node.slice.elts) != 3:
        return None
    return ast.unparse(node.slice.elts[2])


def _generator_returns_value(annotation: str) -> bool:
    """Whether a ``Generator[Y, S, R]`` annotation has a non-``None`` return type ``R``."""
    members = parse_type(annotation)
    if members is None:
        return True  # cannot tell: assume the Returns section documents R
    for member in members:
        if member.name == "Generator" and len(member.args) == 3:
            return any(ref.name != "None" for ref in member.args[2])
    return False


def _type_mismatch(
    symbol: Symbol, signature: Signature, ctx: RuleContext, sections: tuple[DocSection, ...]
) -> Iterator[Finding]:
    entries = [e for s in sections for e in s.entries]
    if signature.returns is None or len(entries) != 1:
        return
    actual: str | None = signature.returns
    if signature.is_generator:
        actual = generator_return_type(signature.returns)
    entry = entries[0]
    if not (entry.type and actual and types_contradict(entry.type, actual, ctx.lineage)):
        return
    annotated = (
        f"its Generator annotation returns '{actual}'"
        if signature.is_generator
        else f"annotated '{actual}'"
    )
    yield RETURN_TYPE_MISMATCH.finding(
        symbol,
        entry_location(symbol, entry),
        f"return value of {callable_label(symbol)} is documented as '{entry.type}' but {annotated}",
        Evidence(documented=entry.type, actual=actual),
        f"change the documented return type to '{actual}'",
        (entry.type,),
    )


FAMILY = Family(
    name="returns",
    rules=(
        RETURN_WITHOUT_VALUE,
        RETURNS_ON_GENERATOR,
        RETURN_TYPE_MISMATCH,
        ASYNC_GENERATOR_RETURNS,
    ),
    check=check_returns,
)
