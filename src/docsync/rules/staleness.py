"""The change rules: what base mode reports about a symbol that a change touched.

They read the pure symbol diff of :mod:`docsync.changes.diff`.  Two rules:

* DS501 ``stale-after-change``: the signature changed, the docstring was left as
  it was, and the rules find that it no longer matches.  It folds those rule
  findings (parameters DS1xx, returns DS2xx) into one finding that says what
  changed, at the highest severity among them; base mode reports it *instead of*
  them, so nothing is reported twice.
* DS502 ``review-body-changed``: the body changed (its AST, so not formatting or
  comments) while the docstring was left as it was.  Informational: a reviewer,
  or the LLM drafter, decides whether the prose still holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from docsync.changes.diff import ChangeKind, SymbolChange
from docsync.models import (
    Evidence,
    Finding,
    Severity,
    Signature,
    Symbol,
    SymbolKind,
    fingerprint,
)
from docsync.rules.base import callable_label, render_params
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind
from docsync.rules.test_code import is_test_module

__all__ = [
    "REVIEW_BODY_CHANGED",
    "STALE_AFTER_CHANGE",
    "SUBSUMED_PREFIXES",
    "folds_into_stale",
    "review_body_changed",
    "signature_delta",
    "stale_after_change",
]

STALE_AFTER_CHANGE = Rule(
    code="DS501",
    slug="stale-after-change",
    summary="The signature changed but the docstring was left as it was, and no longer fits.",
    severity=Severity.ERROR,
    description=(
        "Base mode only. Reported instead of the parameter and return findings it "
        "folds, at the highest of their severities."
    ),
    kind=RuleKind.CHANGE,
    examples=Examples("changes", "STALE_FLAG", "STALE_OK"),
    fix=FixKind.PROSE,
    fix_needs="the docstring needs rewording for the new signature",
)
REVIEW_BODY_CHANGED = Rule(
    code="DS502",
    slug="review-body-changed",
    summary="The code changed but its docstring did not: check that it still holds.",
    severity=Severity.INFO,
    description=(
        "Base mode only. Public functions, methods and properties with a docstring "
        "whose body changed (not just its formatting) while the docstring did not. "
        "Test modules (`test_*.py`, `*_test.py`, `conftest.py`, files under `tests/`) "
        "are not API and are left out unless `check-tests` is set."
    ),
    kind=RuleKind.CHANGE,
    examples=Examples("changes", "REVIEW_FLAG", "REVIEW_OK"),
    fix=FixKind.PROSE,
    fix_needs="a person should check the prose against the changed body",
    review=True,
)
SUBSUMED_PREFIXES = ("DS1", "DS2")
"""Rule codes DS501 folds: parameters and returns, the parts of a docstring a signature decides."""

# --- DS501 and DS502 ---------------------------------------------------------------------


def folds_into_stale(finding: Finding, change: SymbolChange | None) -> bool:
    """Whether DS501 reports ``finding`` (so base mode must not report it on its own).

    Args:
        finding: a rule finding at the head.
        change: the change of the finding's symbol, if it changed.

    Returns:
        True for parameter and return findings on a symbol whose signature changed
        while its (existing) docstring was left untouched.
    """
    return (
        change is not None
        and finding.code.startswith(SUBSUMED_PREFIXES)
        and change.has(ChangeKind.SIGNATURE_CHANGED)
        and not change.docstring_touched
        and change.new is not None
        and change.new.docstring is not None
    )


def stale_after_change(change: SymbolChange, folded: Sequence[Finding]) -> Finding | None:
    """DS501 for a symbol whose signature changed under an untouched, now wrong docstring.

    Args:
        change: the symbol's change.
        folded: the rule findings on the symbol that :func:`folds_into_stale` accepts.

    Returns:
        One finding naming what changed, with the old and the new signature as
        evidence, at the highest severity of ``folded``; ``None`` when nothing is
        folded (the docstring still matches) or the symbol suppresses DS501.
    """
    new, old = change.new, change.old
    if (
        not folded
        or new is None
        or new.docstring is None
        or new.is_suppressed(STALE_AFTER_CHANGE.code)
    ):
        return None
    label = callable_label(new)
    delta = ", ".join(signature_delta(old.signature if old else None, new.signature))
    severity = max((f.severity for f in folded), key=lambda s: s.rank)
    before = _render(old) if old is not None else None
    after = _render(new)
    return Finding(
        code=STALE_AFTER_CHANGE.code,
        slug=STALE_AFTER_CHANGE.slug,
        severity=severity,
        message=f"signature of {label} changed ({delta}) but its docstring was not updated",
        location=new.docstring.location,
        symbol=new.qualname,
        evidence=Evidence(documented=before, actual=after),
        fingerprint=fingerprint(STALE_AFTER_CHANGE.code, new.qualname, new.docstring.text, after),
        fix_hint="update the docstring: " + "; ".join(f.message for f in folded),
    )


def review_body_changed(change: SymbolChange, *, check_tests: bool = False) -> Finding | None:
    """DS502 for a symbol whose code changed while its docstring was left as it was.

    Only public functions, methods and properties with a docstring and a real
    body are reported: a class's body changes with every method (each method
    speaks for itself), a private ``_helper``'s docstring is for maintainers who
    are reading the diff anyway, and there is nothing to review without a
    docstring.  Test code (a test module's tests, fixtures and helpers) is not
    API: its docstrings are read with the diff, unless ``check_tests``.

    Args:
        change: the symbol's change.
        check_tests: Review test modules' code like API.

    Returns:
        An informational finding, or ``None``.
    """
    new = change.new
    if (
        new is None
        or change.old is None
        or not change.has(ChangeKind.BODY_CHANGED)
        or change.docstring_touched
        or new.docstring is None
        or new.is_stub
        or new.kind not in (SymbolKind.FUNCTION, SymbolKind.METHOD, SymbolKind.PROPERTY)
        or _is_private(new.qualname)
        or new.is_suppressed(REVIEW_BODY_CHANGED.code)
        or (not check_tests and is_test_module(new.location.path))
    ):
        return None
    summary = new.docstring.text.strip().splitlines()[0] if new.docstring.text.strip() else ""
    return Finding(
        code=REVIEW_BODY_CHANGED.code,
        slug=REVIEW_BODY_CHANGED.slug,
        severity=REVIEW_BODY_CHANGED.severity,
        message=(
            f"the code of {callable_label(new)} changed but its docstring was not updated: "
            "check that it still describes what the code does"
        ),
        location=new.docstring.location,
        symbol=new.qualname,
        evidence=Evidence(documented=summary or None),
        fingerprint=fingerprint(
            REVIEW_BODY_CHANGED.code, new.qualname, new.docstring.text, new.body_fingerprint
        ),
        fix_hint="read the change and update the docstring if the behaviour it describes changed",
    )


def _is_private(qualname: str) -> bool:
    return any(p.startswith("_") and not p.endswith("__") for p in qualname.split("."))


def _render(symbol: Symbol) -> str:
    signature = symbol.signature or Signature()
    arrow = f" -> {signature.returns}" if signature.returns else ""
    return f"{symbol.name}{render_params(signature)}{arrow}"


def signature_delta(old: Signature | None, new: Signature | None) -> list[str]:
    """What changed from ``old`` to ``new``, in words (``timeout removed``, ``deadline added``).

    Args:
        old: the signature at the base.
        new: the signature at the head.

    Returns:
        The differences, parameters first; ``["signature changed"]`` when none
        can be named.
    """
    old, new = old or Signature(), new or Signature()
    old_by_name = {p.name: p for p in old.params}
    new_by_name = {p.name: p for p in new.params}
    words = [f"{p.display_name} removed" for p in old.params if p.name not in new_by_name]
    words += [f"{p.display_name} added" for p in new.params if p.name not in old_by_name]
    for param in new.params:
        before = old_by_name.get(param.name)
        if before is None:
            continue
        if before.annotation != param.annotation:
            words.append(f"{param.name}: {before.annotation or '?'} -> {param.annotation or '?'}")
        if before.kind != param.kind:
            words.append(f"{param.name} now {param.kind.value}")
        if before.default != param.default:
            was, now = before.default or "none", param.default or "none"
            words.append(f"{param.name} default {was} -> {now}")
    common_old = [p.name for p in old.params if p.name in new_by_name]
    common_new = [p.name for p in new.params if p.name in old_by_name]
    if common_old != common_new:
        words.append("parameters reordered")
    words.extend(_return_delta(old, new))
    return words or ["signature changed"]


def _return_delta(old: Signature, new: Signature) -> list[str]:
    words = []
    if old.returns != new.returns:
        words.append(f"return type {old.returns or '?'} -> {new.returns or '?'}")
    if old.returns_value != new.returns_value:
        words.append("now returns a value" if new.returns_value else "no longer returns a value")
    if old.is_generator != new.is_generator:
        words.append("now a generator" if new.is_generator else "no longer a generator")
    if old.is_async != new.is_async:
        words.append("now async" if new.is_async else "no longer async")
    return words
