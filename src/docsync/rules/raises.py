"""The raises family: documented exceptions against the ones the body raises (DS301)."""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterator
from enum import Enum

from docsync.models import (
    DocEntry,
    Evidence,
    Finding,
    SectionKind,
    Severity,
    Symbol,
    SymbolKind,
)
from docsync.rules.base import (
    Family,
    RuleContext,
    callable_label,
    clean_doc_name,
    entry_location,
    entry_text,
    is_abstract,
    is_overload,
)
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind

__all__ = ["FAMILY", "RAISES_NOT_RAISED", "check_raises", "documented_exceptions"]

RAISES_NOT_RAISED = Rule(
    code="DS301",
    slug="raises-not-raised",
    summary="A documented exception is never raised by the body.",
    severity=Severity.INFO,
    description=(
        "An entry of a Raises section (or a Sphinx `:raises:` field) is accepted when the body "
        "raises that exception, a subclass of it (through project classes or the builtin "
        "hierarchy: raising `FileNotFoundError` satisfies a documented `OSError`), something "
        "that cannot be resolved and so may be a subclass, or a base class of it (a re-raise "
        "in `except OSError:` may pass on a `FileNotFoundError`). The severity is low because a "
        "callee outside the project may raise it; exceptions raised by the project "
        "functions it calls and the project properties it reads (`self.target.module` "
        "runs the properties `target` and `module`; followed by name, four steps deep) "
        "count as raised. "
        "Not checked: bodies that raise something not statically known "
        "(`raise exc`), functions wrapped by a decorator that may raise on their behalf "
        "(anything but the standard ones such as `staticmethod` or `lru_cache`), "
        "stubs, abstract methods, `Protocol` members, overloads, the generic "
        "`Exception`/`BaseException`, and exceptions Python raises implicitly from "
        "operations (`KeyError`, `IndexError`, `AttributeError`, `StopIteration`, ...). "
        "A class docstring is checked against its `__init__`, `__new__` and `__post_init__`."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("raises", "NOT_RAISED_FLAG", "NOT_RAISED_OK"),
    fix=FixKind.PROSE,
    fix_needs="whether and when the exception is raised needs a description",
    sections=(SectionKind.RAISES,),
)

_NEVER_CHECKED = frozenset(
    {
        "Exception",
        "BaseException",
        "KeyError",
        "IndexError",
        "LookupError",
        "AttributeError",
        "ZeroDivisionError",
        "ArithmeticError",
        "OverflowError",
        "StopIteration",
        "StopAsyncIteration",
        "AssertionError",
        "RecursionError",
        "MemoryError",
        "KeyboardInterrupt",
    }
)
_BROAD = frozenset({"Exception", "BaseException"})
_DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
_CONSTRUCTION = ("__init__", "__new__", "__post_init__")


class _Answer(Enum):
    """Whether one exception is a subclass of another, as far as can be told."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


def documented_exceptions(entry: DocEntry) -> tuple[str, ...]:
    """The exception names one Raises entry documents, as bare last components.

    Args:
        entry: An entry of a Raises section.

    Returns:
        The names; empty when the entry is prose rather than exception names.
    """
    raw = entry.name or entry.type or ""
    names: list[str] = []
    for part in re.split(r",|\bor\b|\|", raw):
        cleaned = clean_doc_name(part)
        if not _DOTTED.match(cleaned):
            return ()
        names.append(cleaned.rpartition(".")[2])
    return tuple(names)


def check_raises(symbol: Symbol, ctx: RuleContext) -> Iterator[Finding]:
    """Check a symbol's Raises section against the exceptions its body raises.

    Args:
        symbol: A function, method, property or class.
        ctx: The run context.

    Yields:
        DS301 findings.
    """
    docstring = symbol.docstring
    if docstring is None or not docstring.has_section(SectionKind.RAISES):
        return
    if symbol.kind is SymbolKind.MODULE or is_overload(symbol) or is_abstract(symbol):
        return
    if symbol.is_stub or ctx.in_protocol(symbol):
        return
    bodies = _bodies(symbol, ctx)
    if not bodies or any(b.raises_unknown or _wrapped(b) for b in bodies):
        return
    raised = tuple(dict.fromkeys(_bare(r) for b in bodies for r in b.raises))
    for entry in docstring.entries_of(SectionKind.RAISES):
        for name in documented_exceptions(entry):
            if name in _NEVER_CHECKED:
                continue
            if any(_may_raise(r, name, ctx) for r in raised):
                continue
            if not any(_callees_may_raise(body, name, ctx) for body in bodies):
                yield _finding(symbol, entry, name, raised)


# Decorators known not to raise on the function's behalf; any other decorator (a
# validator, a dispatcher, ``@not_implemented_for``) may raise what the docs say.
_TRANSPARENT_DECORATORS = frozenset(
    {
        "staticmethod",
        "classmethod",
        "property",
        "cached_property",
        "setter",
        "getter",
        "deleter",
        "override",
        "final",
        "wraps",
        "lru_cache",
        "cache",
        "contextmanager",
        "asynccontextmanager",
        "total_ordering",
        "singledispatch",
        "singledispatchmethod",
        "no_type_check",
    }
)


def _wrapped(symbol: Symbol) -> bool:
    """Whether a decorator that may raise wraps ``symbol``."""
    return any(d.rpartition(".")[2] not in _TRANSPARENT_DECORATORS for d in symbol.decorators)


def _bodies(symbol: Symbol, ctx: RuleContext) -> tuple[Symbol, ...]:
    """The symbols whose bodies run for ``symbol``: itself, or a class's constructors."""
    if symbol.kind is not SymbolKind.CLASS:
        return (symbol,)
    found = (ctx.project.get(f"{symbol.qualname}.{name}") for name in _CONSTRUCTION)
    return tuple(s for s in found if s is not None)


def _bare(raised: str) -> str:
    return raised.partition("(")[0].strip().rpartition(".")[2]


def _finding(symbol: Symbol, entry: DocEntry, name: str, raised: tuple[str, ...]) -> Finding:
    actual = f"raises {', '.join(raised)}" if raised else "raises nothing"
    return RAISES_NOT_RAISED.finding(
        symbol,
        entry_location(symbol, entry),
        f"{callable_label(symbol)} documents raising '{name}' but its body never raises it",
        Evidence(documented=name, actual=actual),
        f"remove the entry for '{name}' unless a callee raises it",
        (name, entry_text(entry)),
    )


# How far, and how wide, to follow calls and property reads into the project before
# giving up (and not reporting: an unexplored callee may raise the documented exception).
_CALL_DEPTH = 4
_CALL_BUDGET = 400


def _callees_may_raise(symbol: Symbol, documented: str, ctx: RuleContext) -> bool:
    """Whether a project function ``symbol`` calls (transitively) may raise ``documented``.

    Callees are matched by bare name, so every project function of that name counts,
    and so does every project property of the name of an attribute it reads (griffe's
    ``Alias.module`` returns ``self.final_target.module``, properties that raise): an
    over-approximation, which only ever removes findings.
    """
    seen = {symbol.qualname}
    frontier = [symbol]
    for _ in range(_CALL_DEPTH):
        following = []
        for caller in frontier:
            for callee in _callees(caller, ctx):
                if callee.qualname in seen:
                    continue
                seen.add(callee.qualname)
                if len(seen) > _CALL_BUDGET or callee.raises_unknown:
                    return True
                if any(_may_raise(_bare(r), documented, ctx) for r in callee.raises):
                    return True
                following.append(callee)
        if not following:
            return False
        frontier = following
    return bool(frontier)


def _callees(caller: Symbol, ctx: RuleContext) -> Iterator[Symbol]:
    """The project functions ``caller`` may call and the properties it may read, by name."""
    for name in caller.calls:
        yield from ctx.callables.get(name, ())
    for name in caller.reads:
        for symbol in ctx.callables.get(name, ()):
            if symbol.kind is SymbolKind.PROPERTY:
                yield symbol


def _builtin_exception(name: str) -> type[BaseException] | None:
    value = getattr(builtins, name, None)
    if isinstance(value, type) and issubclass(value, BaseException):
        return value
    return None


def _may_raise(raised: str, documented: str, ctx: RuleContext) -> bool:
    """Whether raising ``raised`` may satisfy a documented ``documented``.

    A subclass of the documented exception satisfies it.  So may a base class:
    ``except OSError: ... raise`` re-raises whatever OSError subclass was caught,
    and a re-raise after a broad ``except`` may pass on any exception at all.
    """
    if _subclass(raised, documented, ctx) is not _Answer.NO:
        return True
    if _subclass(documented, raised, ctx) is _Answer.YES:
        return True
    return raised in _BROAD and ctx.lineage(documented) is None


def _subclass(child: str, parent: str, ctx: RuleContext) -> _Answer:
    """Whether exception ``child`` is (or may be) ``parent`` or a subclass of it."""
    if child == parent:
        return _Answer.YES
    lineage = ctx.lineage(child)
    if lineage is not None:
        if parent in lineage.ancestors:
            return _Answer.YES
        return _Answer.NO if lineage.complete else _Answer.UNKNOWN
    child_class, parent_class = _builtin_exception(child), _builtin_exception(parent)
    if child_class is not None:
        if parent_class is not None and issubclass(child_class, parent_class):
            return _Answer.YES
        return _Answer.NO
    # An exception from another package: it cannot subclass a project class, but it
    # may subclass a builtin or another package's exception.
    if ctx.lineage(parent) is not None:
        return _Answer.NO
    return _Answer.UNKNOWN


FAMILY = Family(name="raises", rules=(RAISES_NOT_RAISED,), check=check_raises)
