"""How each symbol changed between two revisions: the pure symbol diff.

:func:`diff_modules` takes the scanned modules of both sides and returns
:class:`SymbolChange` values: added, removed, renamed, moved, or changed in its
signature, body or docstring.  The change rules (DS501, DS502 in
:mod:`docsync.rules.staleness`) and the reader notice's history both read them.
"""

from __future__ import annotations

import ast
import bisect
import difflib
import functools
import heapq
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from docsync.changes.forked import fork_call
from docsync.models import (
    Module,
    Symbol,
    SymbolKind,
)

MOVE_SIMILARITY = 0.8
"""The least :class:`difflib.SequenceMatcher` ratio of two bodies to call them the same code."""

_TOKEN = re.compile(r"\w+|[^\w\s]")

MAX_CANDIDATES = 24
"""The most added symbols one removed symbol is compared with by similarity (not
counting those with the same code): a module that loses 2,000 methods of one
signature and gains 2,000 others costs 48,000 comparisons, not four million."""

MAX_TOKENS = 5_000
"""Bodies longer than this many tokens pair only when their code is the same:
:class:`difflib.SequenceMatcher` is quadratic in the worst case."""


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
    """The body dumps of one module's source, each computed once, when first needed.

    A body is parsed and unparsed only when a pairing compares it: from its own
    lines (:func:`definition_at`) while those add up to less than the module, else
    from one parse of the whole source.  A release diff pairs a few symbols of
    each of hundreds of big modules; parsing every module whole cost more than
    the rest of base mode together.
    """

    def __init__(self, source: bytes) -> None:
        self._source = source
        self._dumps: dict[int, str] = {}
        self._budget = source.count(b"\n") + 1  # lines parsed one definition at a time

    @functools.cached_property
    def _lines(self) -> list[bytes]:
        return self._source.splitlines(keepends=True)

    @functools.cached_property
    def _nodes(self) -> dict[int, _Definition]:
        return definitions_by_line(self._source)

    def at(self, line: int, end_line: int) -> str:
        """The body dump of the definition at ``line`` ("" when there is none)."""
        if line not in self._dumps:
            node = None
            if "_nodes" not in self.__dict__ and end_line - line < self._budget:
                self._budget -= end_line - line + 1
                node = definition_at(self._lines, line, end_line)
            if node is None:
                node = self._nodes.get(line)
            self._dumps[line] = _dump(node) if node is not None else ""
        return self._dumps[line]


@dataclass(frozen=True)
class _Entry:
    symbol: Symbol
    module: str
    bodies: _Bodies

    @functools.cached_property
    def body(self) -> str:
        location = self.symbol.location
        return self.bodies.at(location.line, location.end_line)

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
    edited is indistinguishable from a removal and an addition.  Each removed
    symbol is compared with at most :data:`MAX_CANDIDATES` merely similar ones
    (same name first, then the closest in length), so the work grows linearly.

    The greedy order is by similarity, then same name, same module and the two
    names.  A pair enters it with an upper bound of its similarity
    (:meth:`difflib.SequenceMatcher.quick_ratio`); only when it reaches the front is
    the real ratio computed and the pair put back in its place, and a pair whose
    symbol is taken by then is dropped without it.  A pair at the front with its
    real ratio goes before every other: their real ratios are at most their
    bounds.  So the pairs are those of sorting every real ratio, at a fraction of
    the comparisons (a release diff pairs most symbols by equal code first).
    """
    by_body: dict[str, list[int]] = defaultdict(list)
    by_place: dict[tuple[object, ...], list[_Entry]] = defaultdict(list)
    where = {id(a): j for j, a in enumerate(added)}
    for j, after in enumerate(added):
        if after.symbol.body_fingerprint:
            by_body[after.symbol.body_fingerprint].append(j)
        for key in _place_keys(after):
            by_place[key].append(after)
    for place in by_place.values():
        place.sort(key=lambda a: (_span(a), a.symbol.qualname))
    edges: list[tuple[int, int]] = []
    for i, before in enumerate(removed):
        candidates = dict.fromkeys(by_body.get(before.symbol.body_fingerprint, []))
        places = [by_place[k] for k in _place_keys(before) if k in by_place]
        candidates.update(dict.fromkeys(where[id(a)] for a in _closest(before, places)))
        edges.extend((i, j) for j in candidates)
    mine, theirs = _split(edges, len(removed))
    if theirs and len(edges) >= FORK_MIN_PAIRS:
        other = fork_call(lambda: _greedy(theirs, removed, added))
        ranked = _greedy(mine, removed, added) + other()
    else:
        ranked = _greedy(edges, removed, added)
    ranked.sort()
    return [(removed[i], added[j]) for _, i, j in ranked]


FORK_MIN_PAIRS = 2_000
"""With at least this many candidate pairs, half of the pairing runs in a forked child
(:func:`docsync.changes.forked.fork_call`): a release diff's pairing comes after the
scan, when one CPU would idle."""

_Ranked = tuple[tuple[float, bool, bool, str, str], int, int]


def _greedy(
    edges: Sequence[tuple[int, int]], removed: Sequence[_Entry], added: Sequence[_Entry]
) -> list[_Ranked]:
    """The pairs the greedy order takes among ``edges`` (indices of a removed and an
    added symbol), each with its rank; see :func:`_pair`."""
    matchers = _Matchers()
    queue: list[tuple[tuple[float, bool, bool, str, str], bool, int, int]] = []
    for i, j in edges:
        bound = _bound(removed[i], added[j], matchers)
        if bound is not None:
            queue.append((_rank(bound[0], removed[i], added[j]), bound[1], i, j))
    heapq.heapify(queue)  # ranks are unique: the two names are in them
    taken: list[_Ranked] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    while queue:
        rank, exact, i, j = heapq.heappop(queue)
        if i in used_old or j in used_new:
            continue
        if not exact:
            score = matchers.ratio(removed[i], added[j])
            if score is not None:
                heapq.heappush(queue, (_rank(score, removed[i], added[j]), True, i, j))
            continue
        used_old.add(i)
        used_new.add(j)
        taken.append((rank, i, j))
    return taken


def _split(
    edges: Sequence[tuple[int, int]], removed: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """``edges`` in two halves of about equal size that share no symbol.

    Pairs compete only for the symbols they share, so the greedy order takes the
    same pairs from each connected group of candidates alone as from all of them
    together: the groups can be paired apart, in any process.
    """
    parent = list(range(removed + 1 + max((j for _, j in edges), default=0)))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j in edges:
        parent[root(i)] = root(removed + j)
    groups: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for edge in edges:
        groups[root(edge[0])].append(edge)
    halves: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
    for group in sorted(groups.values(), key=len, reverse=True):
        min(halves, key=len).extend(group)
    return halves


def _rank(score: float, before: _Entry, after: _Entry) -> tuple[float, bool, bool, str, str]:
    """Where a pair goes in the greedy order: most alike, same name, same module first."""
    return (
        -score,
        before.symbol.name != after.symbol.name,
        before.module != after.module,
        before.symbol.qualname,
        after.symbol.qualname,
    )


def _span(entry: _Entry) -> int:
    return entry.symbol.location.end_line - entry.symbol.location.line


def _closest(before: _Entry, places: list[list[_Entry]]) -> list[_Entry]:
    """The :data:`MAX_CANDIDATES` entries most likely to be ``before`` moved or renamed.

    ``places`` are lists sorted by span (:func:`_span`); from each, the entries
    nearest in length are taken by bisection, so the cost does not grow with them.
    """
    size = _span(before)
    near: dict[str, _Entry] = {}
    for place in places:
        start = bisect.bisect_left(place, size, key=_span)
        low, high = start - 1, start
        for _ in range(min(MAX_CANDIDATES, len(place))):
            take_high = high < len(place) and (
                low < 0 or _span(place[high]) - size <= size - _span(place[low])
            )
            chosen = place[high] if take_high else place[low]
            high, low = (high + 1, low) if take_high else (high, low - 1)
            near[chosen.symbol.qualname] = chosen

    def nearness(after: _Entry) -> tuple[bool, int, str]:
        return (
            after.symbol.name != before.symbol.name,
            abs(_span(after) - size),
            after.symbol.qualname,
        )

    return heapq.nsmallest(MAX_CANDIDATES, near.values(), key=nearness)


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
    matchers = _Matchers()
    bound = _bound(before, after, matchers)
    if bound is None or bound[1]:
        return None if bound is None else bound[0]
    return matchers.ratio(before, after)


def _bound(before: _Entry, after: _Entry, matchers: _Matchers) -> tuple[float, bool] | None:
    """An upper bound of :func:`_similarity` and whether it is exact, or ``None`` if unrelated."""
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
        return 1.0, True
    if not same_signature:
        return None
    bound = matchers.quick_ratio(before, after)
    return None if bound is None else (bound, False)


class _Matchers:
    """Token-level :class:`difflib.SequenceMatcher` ratios, one matcher per added body.

    A matcher indexes its second sequence once (``set_seq2``); comparing several
    removed bodies with one added body then only swaps the first (``set_seq1``),
    which gives what a new matcher would.
    """

    def __init__(self) -> None:
        self._by_new: dict[int, difflib.SequenceMatcher[str]] = {}

    def _matcher(self, before: _Entry, after: _Entry) -> difflib.SequenceMatcher[str]:
        matcher = self._by_new.get(id(after))
        if matcher is None:
            matcher = difflib.SequenceMatcher(None, (), after.tokens, autojunk=False)
            self._by_new[id(after)] = matcher
        matcher.set_seq1(before.tokens)
        return matcher

    def quick_ratio(self, before: _Entry, after: _Entry) -> float | None:
        """An upper bound of :meth:`ratio`, or ``None`` when even that is under the bar."""
        old, new = before.tokens, after.tokens
        if max(len(old), len(new)) > MAX_TOKENS:
            return None  # same code was caught by the fingerprint; a long diff costs too much
        if 2 * min(len(old), len(new)) < MOVE_SIMILARITY * (len(old) + len(new)):
            return None  # even a perfect overlap of the shorter one could not reach the bar
        matcher = self._matcher(before, after)
        bound = matcher.quick_ratio()
        return bound if bound >= MOVE_SIMILARITY else None

    def ratio(self, before: _Entry, after: _Entry) -> float | None:
        """The token-level similarity of two bodies, if at least :data:`MOVE_SIMILARITY`."""
        if self.quick_ratio(before, after) is None:
            return None
        ratio = self._matcher(before, after).ratio()
        return ratio if ratio >= MOVE_SIMILARITY else None


_Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def definitions_by_line(source: bytes) -> dict[int, _Definition]:
    """Every function and class definition in ``source``, by definition line.

    Both the ``def``/``class`` line and the first decorator's line map to the node.

    Args:
        source: a module's source.

    Returns:
        Line → definition; empty when the source does not parse.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    nodes: dict[int, _Definition] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            nodes[node.lineno] = node
            if node.decorator_list:
                nodes.setdefault(node.decorator_list[0].lineno, node)
    return nodes


def definition_at(lines: Sequence[bytes], line: int, end_line: int) -> _Definition | None:
    """The definition spanning ``line`` to ``end_line`` of a module, parsed from those lines.

    The same node as :func:`definitions_by_line` gives for ``line`` (positions
    aside): an indented definition is parsed inside an ``if 1:`` block, as Python
    accepts any indentation of a block's first statement.

    Args:
        lines: the module's source lines, with their line ends (``bytes.splitlines``
            splits where the parser does).
        line: the definition's first line (``def``/``class`` or first decorator), 1-based.
        end_line: its last line.

    Returns:
        The definition; ``None`` when the lines are not one definition or not UTF-8
        (the caller then parses the whole module).
    """
    if not 1 <= line <= end_line <= len(lines):
        return None
    try:
        text = b"".join(lines[line - 1 : end_line]).decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    indented = text[:1] in (" ", "\t")
    try:
        tree = ast.parse("if 1:\n" + text if indented else text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    body = tree.body
    if indented and len(body) == 1 and isinstance(body[0], ast.If):
        body = body[0].body
    if len(body) != 1 or not isinstance(body[0], _DEFINITIONS):
        return None
    return body[0]


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _dump(node: _Definition) -> str:
    try:
        return "\n".join(ast.unparse(stmt) for stmt in _without_docstring(node.body))
    except RecursionError:
        return ""  # nested too deep to print back: no evidence of a move either way


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return body[1:]
    return body
