"""The attributes family: a class's documented attributes against its definition (DS401)."""

from __future__ import annotations

from collections.abc import Iterator

from docsync.models import DocEntry, Evidence, Finding, SectionKind, Severity, Symbol, SymbolKind
from docsync.rules.base import (
    Family,
    RuleContext,
    clean_doc_name,
    entry_location,
    entry_text,
)
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind

__all__ = ["FAMILY", "STALE_ATTRIBUTE", "check_attributes", "known_members"]

STALE_ATTRIBUTE = Rule(
    code="DS401",
    slug="stale-attribute",
    summary="A documented attribute is not defined by the class.",
    severity=Severity.WARNING,
    description=(
        "An entry of an Attributes section (or a Sphinx `:ivar:`/`:cvar:`/`:var:` field) is "
        "accepted when the class, or a project class it inherits from, assigns it, declares "
        "it (dataclass fields included), defines a method, property or nested class of that "
        "name, lists it in `__slots__`, or takes it as a constructor parameter. The class is "
        "skipped entirely when it may get attributes from elsewhere: a base class from outside "
        "the project (other than builtins such as `Exception`, whose attributes are known, and "
        "`Generic`, `Protocol`, `ABC`, `NamedTuple`, `TypedDict`), a decorator other than the "
        "dataclass-like ones, or "
        "`__getattr__`/`__getattribute__`."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("attributes", "STALE_FLAG", "STALE_OK"),
    fix=FixKind.MECHANICAL,
    sections=(SectionKind.ATTRIBUTES,),
)

_SAFE_DECORATORS = frozenset(
    {
        "dataclass",
        "final",
        "total_ordering",
        "runtime_checkable",
        "unique",
        "define",
        "frozen",
        "mutable",
        "attrs",
        "s",
    }
)
_DYNAMIC = frozenset({"__getattr__", "__getattribute__"})


def known_members(cls: Symbol, ctx: RuleContext) -> frozenset[str]:
    """The names a class is known to define, with those of its project ancestors.

    Args:
        cls: A class symbol.
        ctx: The run context.

    Returns:
        Attributes, methods, properties, nested classes and constructor parameters.
    """
    names: set[str] = set()
    for current in (cls, *ctx.classes.ancestors_in_project(cls)):
        names.update(current.attributes)
        names.update(child.name for child in ctx.classes.children(current))
        if current.signature is not None:
            names.update(p.name for p in current.signature.params)
    return frozenset(names)


def check_attributes(symbol: Symbol, ctx: RuleContext) -> Iterator[Finding]:
    """Check a class's Attributes section against what the class defines.

    Args:
        symbol: A class.
        ctx: The run context.

    Yields:
        DS401 findings.
    """
    docstring = symbol.docstring
    if symbol.kind is not SymbolKind.CLASS or docstring is None:
        return
    entries = docstring.entries_of(SectionKind.ATTRIBUTES)
    if not entries or not _is_closed(symbol, ctx):
        return
    known = known_members(symbol, ctx)
    if known & _DYNAMIC:
        return
    for builtin in ctx.classes.builtin_bases(symbol):
        known |= frozenset(dir(builtin))
    for entry in entries:
        for name in _documented_names(entry):
            if name not in known:
                yield _finding(symbol, entry, name)


def _is_closed(cls: Symbol, ctx: RuleContext) -> bool:
    """Whether every attribute the class may have is visible to the scan."""
    if ctx.classes.has_unknown_base(cls):
        return False
    return all(
        d.partition("(")[0].rpartition(".")[2].strip() in _SAFE_DECORATORS
        for current in (cls, *ctx.classes.ancestors_in_project(cls))
        for d in current.decorators
    )


def _documented_names(entry: DocEntry) -> tuple[str, ...]:
    names: list[str] = []
    for part in (entry.name or "").split(","):
        cleaned = clean_doc_name(part).removeprefix("self.").removeprefix("cls.")
        if not cleaned.isidentifier():
            return ()
        names.append(cleaned)
    return tuple(names)


def _finding(symbol: Symbol, entry: DocEntry, name: str) -> Finding:
    defined = ", ".join(sorted(a for a in symbol.attributes if not a.startswith("__")))
    return STALE_ATTRIBUTE.finding(
        symbol,
        entry_location(symbol, entry),
        f"attribute '{name}' is documented but class {symbol.name} does not define it",
        Evidence(documented=name, actual=defined or "no attributes"),
        f"remove the entry for '{name}'",
        (name, entry_text(entry)),
    )


FAMILY = Family(name="attributes", rules=(STALE_ATTRIBUTE,), check=check_attributes)
