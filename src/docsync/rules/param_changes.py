"""DS503: parameter drift that only the change set proves.

The parameter rules (:mod:`docsync.rules.params`) judge one signature against one
docstring, and stay quiet where that alone cannot tell drift from a choice: an
extra entry beside ``**kwargs`` may describe a keyword it accepts, an extra entry
beside ``*args`` may describe the items it takes, a property has no parameters to
check, and a docstring without a parameter section may be the project's style.
Base mode sees both sides of the change, and so can tell:

* a parameter the change removed from a signature with ``**kwargs`` is still
  documented: it was a named parameter at the base, so the entry is stale;
* the change renamed ``*args`` (``*coroutines`` to ``*awaitables``) and the
  docstring still names the old one;
* the change turned a method into a property, and its docstring still documents
  the method's parameters;
* the change added parameters to a function whose docstring has no parameter
  section, in a module whose documented functions list their parameters (the
  module's own convention: a module that documents none is never asked to).
"""

from __future__ import annotations

from collections.abc import Iterator

from docsync.changes.diff import SymbolChange
from docsync.models import (
    Evidence,
    Finding,
    Location,
    Module,
    Parameter,
    ParamKind,
    Severity,
    Signature,
    Symbol,
    SymbolKind,
    fingerprint,
)
from docsync.rules.base import callable_label, entry_location, entry_text, is_property_like
from docsync.rules.params import PARAM_SECTIONS, documented_params
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind

__all__ = [
    "CHANGED_PARAMS_UNDOCUMENTED",
    "changed_params",
    "documents_parameters",
    "expected_params",
]

CHANGED_PARAMS_UNDOCUMENTED = Rule(
    code="DS503",
    slug="changed-params-undocumented",
    summary="The change altered parameters and the docstring did not follow.",
    severity=Severity.WARNING,
    description=(
        "Base mode only: what the parameter rules cannot tell from one side. A parameter "
        "the change removed from a signature with `**kwargs` and still documented; a "
        "`*args` the change renamed while the docstring names the old one; a method the "
        "change turned into a property whose docstring still documents its parameters; "
        "parameters the change added to a function whose docstring has no parameter "
        "section, in a module where at least two documented functions with parameters "
        "list them and most do (a module that documents none is never asked; a private "
        "`_helper` with a one-line docstring is not asked either)."
    ),
    kind=RuleKind.CHANGE,
    examples=Examples("param_changes", "FLAG", "OK"),
    fix=FixKind.PROSE,
    fix_needs="the docstring's parameters need rewording for the change",
)

_CONVENTION_MIN = 2
"""Documented functions with a parameter section a module needs before DS503 asks for one."""


def changed_params(
    change: SymbolChange, module: Module | None, *, section_reported: bool = False
) -> Iterator[Finding]:
    """DS503 findings for one symbol the change touched.

    Args:
        change: the symbol's change (both sides are needed).
        module: the head module the symbol is in, for its documentation convention.
        section_reported: DS106 already reports the missing parameter section.

    Yields:
        One finding per stale entry, or one for the missing section.
    """
    old, new = change.old, change.new
    if (
        old is None
        or new is None
        or new.docstring is None
        or old.signature is None
        or new.signature is None
        or new.kind not in (SymbolKind.FUNCTION, SymbolKind.METHOD, SymbolKind.PROPERTY)
        or new.is_suppressed(CHANGED_PARAMS_UNDOCUMENTED.code)
    ):
        return
    if is_property_like(new):
        if not is_property_like(old):
            yield from _became_property(old, new)
        return
    yield from _removed_beside_kwargs(old.signature, new)
    yield from _renamed_varargs(old.signature, new)
    if not section_reported:
        yield from _added_without_section(old.signature, new, module)


def _became_property(old: Symbol, new: Symbol) -> Iterator[Finding]:
    assert old.signature is not None
    names = {p.name for p in expected_params(old.signature)}
    for doc in documented_params(new):
        if doc.name in names:
            yield _finding(
                new,
                entry_location(new, doc.entry),
                f"{callable_label(new)} is now a property but its docstring still documents "
                f"its former parameter '{doc.name}'",
                f"remove the entry for '{doc.name}'",
                (doc.name, entry_text(doc.entry)),
            )


def _removed_beside_kwargs(old: Signature, new: Symbol) -> Iterator[Finding]:
    assert new.signature is not None
    if not any(p.kind is ParamKind.VAR_KEYWORD for p in new.signature.params):
        return  # without **kwargs, DS101 reports a stale entry
    present = {p.name for p in new.signature.params}
    removed = {p.name for p in expected_params(old)} - present
    for doc in documented_params(new):
        if doc.name in removed and doc.stars == 0:
            yield _finding(
                new,
                entry_location(new, doc.entry),
                f"parameter '{doc.name}' was removed from the signature of "
                f"{callable_label(new)} but is still documented",
                f"remove the entry for '{doc.name}'",
                (doc.name, entry_text(doc.entry)),
            )


def _renamed_varargs(old: Signature, new: Symbol) -> Iterator[Finding]:
    assert new.signature is not None
    before = _var_positional(old)
    after = _var_positional(new.signature)
    if before is None or after is None or before.name == after.name:
        return
    documented = documented_params(new)
    if any(doc.name == after.name for doc in documented):
        return
    for doc in documented:
        if doc.name == before.name and doc.stars == 0:  # `*coroutines`: DS103 pairs it
            yield _finding(
                new,
                entry_location(new, doc.entry),
                f"'*{before.name}' was renamed to '*{after.name}' in the signature of "
                f"{callable_label(new)} but the docstring still names '{before.name}'",
                f"rename the entry '{before.name}' to '{after.name}'",
                (doc.name, entry_text(doc.entry), after.name),
            )


def _added_without_section(old: Signature, new: Symbol, module: Module | None) -> Iterator[Finding]:
    assert new.signature is not None and new.docstring is not None
    if new.docstring.has_section(*PARAM_SECTIONS) or module is None:
        return
    name = new.name
    if name.startswith("__") and name.endswith("__") and name != "__call__":
        return  # an __init__ is documented by its class as often as not
    if name.startswith("_") and not name.endswith("__"):
        return  # a private helper's one-line docstring is a choice, not drift
    before = {p.name for p in old.params}
    added = [p.name for p in expected_params(new.signature) if p.name not in before]
    if not added or not documents_parameters(module, new):
        return
    named = ", ".join(f"'{n}'" for n in added)
    yield _finding(
        new,
        new.docstring.location,
        f"the change added {named} to {callable_label(new)}, whose docstring has no "
        "parameter section, while this module's documented functions list their parameters",
        f"document the parameters: {', '.join(p.name for p in expected_params(new.signature))}",
        tuple(added),
    )


def documents_parameters(module: Module, besides: Symbol) -> bool:
    """Whether the module's documented functions with parameters mostly list them.

    Args:
        module: the module whose convention is asked for.
        besides: the symbol being judged, left out of the count.

    Returns:
        True when at least two documented functions with parameters list them, and
        more list them than not.
    """
    listed = unlisted = 0
    for symbol in module.symbols:
        if (
            symbol is besides
            or symbol.docstring is None
            or symbol.signature is None
            or symbol.kind not in (SymbolKind.FUNCTION, SymbolKind.METHOD)
            or not expected_params(symbol.signature)
        ):
            continue
        if symbol.docstring.has_section(*PARAM_SECTIONS):
            listed += 1
        else:
            unlisted += 1
    return listed >= _CONVENTION_MIN and listed > unlisted


def expected_params(signature: Signature) -> list[Parameter]:
    """The parameters a docstring is expected to list: not variadic, not private.

    Args:
        signature: a callable's signature.

    Returns:
        Its parameters without ``*args``, ``**kwargs``, ``self``/``cls`` and ``_private`` ones.
    """
    implicit = {"self", "cls"} | ({signature.implicit} if signature.implicit else set())
    return [
        p
        for p in signature.params
        if not p.is_variadic and not p.name.startswith("_") and p.name not in implicit
    ]


def _var_positional(signature: Signature) -> Parameter | None:
    return next((p for p in signature.params if p.kind is ParamKind.VAR_POSITIONAL), None)


def _finding(
    symbol: Symbol, location: Location, message: str, hint: str, texts: tuple[str, ...]
) -> Finding:
    rule = CHANGED_PARAMS_UNDOCUMENTED
    return Finding(
        code=rule.code,
        slug=rule.slug,
        severity=rule.severity,
        message=message,
        location=location,
        symbol=symbol.qualname,
        evidence=Evidence(documented=texts[0], actual=_render(symbol.signature)),
        fingerprint=fingerprint(rule.code, symbol.qualname, *texts),
        fix_hint=hint,
    )


def _render(signature: Signature | None) -> str:
    params = signature.params if signature else ()
    return "(" + ", ".join(p.display_name for p in params) + ")"
