"""How each symbol changed between two revisions, and the findings that follow.

The symbol diff (:func:`diff_modules`) is pure: scanned modules of both sides in,
:class:`SymbolChange` values out.  Two rules report on it in base mode:

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

import ast
import difflib
import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from docsync.models import (
    Evidence,
    Finding,
    Module,
    Severity,
    Signature,
    Symbol,
    SymbolKind,
    fingerprint,
)
from docsync.rules.base import callable_label, render_params

STALE_CODE = "DS501"
STALE_SLUG = "stale-after-change"
REVIEW_CODE = "DS502"
REVIEW_SLUG = "review-body-changed"
SUBSUMED_PREFIXES = ("DS1", "DS2")
"""Rule codes DS501 folds: parameters and returns, the parts of a docstring a signature decides."""

MOVE_SIMILARITY = 0.8
"""The least :class:`difflib.SequenceMatcher` ratio of two bodies to call them the same code."""

_TOKEN = re.compile(r"\w+|[^\w\s]")


class ChangeKind(str, Enum):
    """One way a symbol changed; a symbol may have several."""

    ADDED = "added"
    REMOVED = "removed"
    SIGNATURE_CHANGED = "signature-changed"
    BODY_CHANGED = "body-changed"
    DOCSTRING_CHANGED = "docstring-changed"
    RENAMED = "renamed"
    MOVED = "moved"


@dataclass(frozen=True)
class SymbolChange:
    """How one symbol changed between the base and the head.

    ``qualname`` is the base-side name (the head-side one for an added symbol);
    ``new_qualname`` is the head-side name (``None`` when removed), which differs
    from ``qualname`` when the symbol was renamed or moved.
    """

    qualname: str
    kinds: frozenset[ChangeKind]
    old: Symbol | None
    new: Symbol | None
    new_qualname: str | None

    def has(self, *kinds: ChangeKind) -> bool:
        """Whether any of ``kinds`` describes this change."""
        return any(k in self.kinds for k in kinds)

    @property
    def docstring_touched(self) -> bool:
        """Whether the change added, removed or edited this symbol's docstring."""
        return self.has(ChangeKind.DOCSTRING_CHANGED, ChangeKind.ADDED)


@dataclass(frozen=True)
class SideModule:
    """A scanned module at one side of the change, with its source for body comparison."""

    module: Module
    source: bytes


def diff_modules(
    base: Sequence[SideModule], head: Sequence[SideModule]
) -> tuple[SymbolChange, ...]:
    """Compare the symbols of the changed modules at the base and at the head.

    A symbol present on both sides under one name is compared field by field.  A
    removed symbol is paired with an added one of the same family (callable or
    class) when their bodies are the same code (equal fingerprints), or when their
    signatures are equal and their bodies at least :data:`MOVE_SIMILARITY` alike;
    the pair is RENAMED within a module or MOVED to another.  Pairing is greedy on
    similarity, ties broken by names, so the result is deterministic.

    Args:
        base: the base side of every changed module (absent for added files).
        head: the head side of every changed module (absent for deleted files).

    Returns:
        The changes, sorted by qualified name; unchanged symbols are left out.
    """
    old = _symbols_by_name(base)
    new = _symbols_by_name(head)
    changes = [
        _compare(old[name].symbol, new[name].symbol, name, moved=False, renamed=False)
        for name in sorted(old.keys() & new.keys())
    ]
    removed = [old[n] for n in sorted(old.keys() - new.keys())]
    added = [new[n] for n in sorted(new.keys() - old.keys())]
    pairs = _pair(removed, added)
    for before, after in pairs:
        moved = before.module != after.module
        changes.append(
            _compare(before.symbol, after.symbol, after.symbol.qualname, moved, not moved)
        )
    paired_old = {b.symbol.qualname for b, _ in pairs}
    paired_new = {a.symbol.qualname for _, a in pairs}
    for entry in removed:
        if entry.symbol.qualname not in paired_old:
            changes.append(_one_sided(entry.symbol, ChangeKind.REMOVED))
    for entry in added:
        if entry.symbol.qualname not in paired_new:
            changes.append(_one_sided(entry.symbol, ChangeKind.ADDED))
    return tuple(sorted((c for c in changes if c.kinds), key=lambda c: (c.qualname, c.kinds)))


class _Bodies:
    """The body dumps of one module's source, computed once, when first needed."""

    def __init__(self, source: bytes) -> None:
        self._source = source

    @functools.cached_property
    def by_line(self) -> dict[int, str]:
        return body_dumps(self._source)


@dataclass(frozen=True)
class _Entry:
    symbol: Symbol
    module: str
    bodies: _Bodies

    @functools.cached_property
    def body(self) -> str:
        return self.bodies.by_line.get(self.symbol.location.line, "")

    @functools.cached_property
    def tokens(self) -> tuple[str, ...]:
        return tuple(_TOKEN.findall(self.body))


def _symbols_by_name(side: Sequence[SideModule]) -> dict[str, _Entry]:
    """Symbols by qualified name; of several definitions the last one wins, as in Python.

    ``@overload`` stubs never win over an implementation.
    """
    entries: dict[str, _Entry] = {}
    for item in side:
        bodies = _Bodies(item.source)
        for symbol in item.module.symbols:
            known = entries.get(symbol.qualname)
            if known is None or not symbol.has_decorator("overload"):
                entries[symbol.qualname] = _Entry(symbol, item.module.qualname, bodies)
    return entries


def _compare(
    old: Symbol, new: Symbol, new_qualname: str, moved: bool, renamed: bool
) -> SymbolChange:
    kinds: set[ChangeKind] = set()
    if moved:
        kinds.add(ChangeKind.MOVED)
    if renamed:
        kinds.add(ChangeKind.RENAMED)
    if old.signature != new.signature:
        kinds.add(ChangeKind.SIGNATURE_CHANGED)
    # A module's body is all of its code: every change would be a module body change.
    if old.body_fingerprint != new.body_fingerprint and new.kind is not SymbolKind.MODULE:
        kinds.add(ChangeKind.BODY_CHANGED)
    if _doc_text(old) != _doc_text(new):
        kinds.add(ChangeKind.DOCSTRING_CHANGED)
    return SymbolChange(old.qualname, frozenset(kinds), old, new, new_qualname)


def _one_sided(symbol: Symbol, kind: ChangeKind) -> SymbolChange:
    if kind is ChangeKind.ADDED:
        return SymbolChange(symbol.qualname, frozenset({kind}), None, symbol, symbol.qualname)
    return SymbolChange(symbol.qualname, frozenset({kind}), symbol, None, None)


def _doc_text(symbol: Symbol) -> str | None:
    return symbol.docstring.text if symbol.docstring else None


def _family(symbol: Symbol) -> str | None:
    if symbol.kind is SymbolKind.CLASS:
        return "class"
    if symbol.kind in (SymbolKind.FUNCTION, SymbolKind.METHOD, SymbolKind.PROPERTY):
        return "callable"
    return None  # modules pair through their files, not by content


def _pair(removed: list[_Entry], added: list[_Entry]) -> list[tuple[_Entry, _Entry]]:
    """Greedy, deterministic pairing of removed with added symbols, most alike first.

    Same code pairs anywhere; merely similar code only under the same name (a
    move) or in the same module (a rename): code that was renamed, moved *and*
    edited is indistinguishable from a removal and an addition.
    """
    by_body: dict[str, list[_Entry]] = defaultdict(list)
    by_place: dict[tuple[object, ...], list[_Entry]] = defaultdict(list)
    for after in added:
        if after.symbol.body_fingerprint:
            by_body[after.symbol.body_fingerprint].append(after)
        for key in _place_keys(after):
            by_place[key].append(after)
    scored = []
    for before in removed:
        candidates = {a.symbol.qualname: a for a in by_body.get(before.symbol.body_fingerprint, [])}
        for key in _place_keys(before):
            candidates.update((a.symbol.qualname, a) for a in by_place.get(key, []))
        for after in candidates.values():
            score = _similarity(before, after)
            if score is not None:
                rank = (
                    -score,
                    before.symbol.name != after.symbol.name,
                    before.module != after.module,
                )
                scored.append((rank, before.symbol.qualname, after.symbol.qualname, before, after))
    scored.sort(key=lambda item: item[:3])
    pairs: list[tuple[_Entry, _Entry]] = []
    used_old: set[str] = set()
    used_new: set[str] = set()
    for _, old_name, new_name, before, after in scored:
        if old_name in used_old or new_name in used_new:
            continue
        used_old.add(old_name)
        used_new.add(new_name)
        pairs.append((before, after))
    return pairs


def _place_keys(entry: _Entry) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """Where a similar body may come from: the same name, or the same module."""
    family, signature = _family(entry.symbol), entry.symbol.signature
    return (family, signature, "name", entry.symbol.name), (
        family,
        signature,
        "module",
        entry.module,
    )


def _similarity(before: _Entry, after: _Entry) -> float | None:
    """How alike two symbols' code is (1.0 for the same code), or ``None`` if unrelated."""
    old, new = before.symbol, after.symbol
    family = _family(old)
    if family is None or family != _family(new):
        return None
    old_body, new_body = before.body, after.body
    if not old_body or not new_body:
        return None
    same_signature = old.signature == new.signature
    trivial = old.is_stub or ("\n" not in old_body and len(old_body) < 40)
    if trivial and not (same_signature and old.name == new.name):
        return None  # `pass` and `return None` bodies are everywhere: not evidence of a move
    if old.body_fingerprint == new.body_fingerprint:
        return 1.0
    if not same_signature:
        return None
    return _ratio(before.tokens, after.tokens)


def _ratio(old: tuple[str, ...], new: tuple[str, ...]) -> float | None:
    """The token-level similarity of two bodies, if at least :data:`MOVE_SIMILARITY`."""
    if 2 * min(len(old), len(new)) < MOVE_SIMILARITY * (len(old) + len(new)):
        return None  # even a perfect overlap of the shorter one could not reach the bar
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if matcher.real_quick_ratio() < MOVE_SIMILARITY or matcher.quick_ratio() < MOVE_SIMILARITY:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= MOVE_SIMILARITY else None


def body_dumps(source: bytes) -> dict[int, str]:
    """The code of every function and class body in ``source``, by definition line.

    Each body is its statements, docstring dropped, as :func:`ast.unparse` gives
    them back, so formatting and comments do not count and a rename of the
    definition itself does not either.  Both the ``def``/``class`` line and the
    first decorator's line map to the body.

    Args:
        source: a module's source.

    Returns:
        Line → body dump; empty when the source does not parse.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    dumps: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            dump = "\n".join(ast.unparse(stmt) for stmt in _without_docstring(node.body))
            dumps[node.lineno] = dump
            if node.decorator_list:
                dumps.setdefault(node.decorator_list[0].lineno, dump)
    return dumps


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return body[1:]
    return body


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
    if not folded or new is None or new.docstring is None or new.is_suppressed(STALE_CODE):
        return None
    label = callable_label(new)
    delta = ", ".join(signature_delta(old.signature if old else None, new.signature))
    severity = max((f.severity for f in folded), key=lambda s: s.rank)
    before = _render(old) if old is not None else None
    after = _render(new)
    return Finding(
        code=STALE_CODE,
        slug=STALE_SLUG,
        severity=severity,
        message=f"signature of {label} changed ({delta}) but its docstring was not updated",
        location=new.docstring.location,
        symbol=new.qualname,
        evidence=Evidence(documented=before, actual=after),
        fingerprint=fingerprint(STALE_CODE, new.qualname, new.docstring.text, after),
        fix_hint="update the docstring: " + "; ".join(f.message for f in folded),
    )


def review_body_changed(change: SymbolChange) -> Finding | None:
    """DS502 for a symbol whose code changed while its docstring was left as it was.

    Only public functions, methods and properties with a docstring and a real
    body are reported: a class's body changes with every method (each method
    speaks for itself), a private ``_helper``'s docstring is for maintainers who
    are reading the diff anyway, and there is nothing to review without a
    docstring.

    Args:
        change: the symbol's change.

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
        or new.is_suppressed(REVIEW_CODE)
    ):
        return None
    summary = new.docstring.text.strip().splitlines()[0] if new.docstring.text.strip() else ""
    return Finding(
        code=REVIEW_CODE,
        slug=REVIEW_SLUG,
        severity=Severity.INFO,
        message=(
            f"the code of {callable_label(new)} changed but its docstring was not updated: "
            "check that it still describes what the code does"
        ),
        location=new.docstring.location,
        symbol=new.qualname,
        evidence=Evidence(documented=summary or None),
        fingerprint=fingerprint(
            REVIEW_CODE, new.qualname, new.docstring.text, new.body_fingerprint
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
