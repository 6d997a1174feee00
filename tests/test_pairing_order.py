"""Rename pairing with upper bounds first gives the pairs of scoring every candidate.

:func:`docsync.changes.diff._pair` puts each candidate pair in the greedy order with
an upper bound of its similarity and computes the real ratio only when the pair
reaches the front with both symbols still free.  The reference here scores every
candidate with :func:`docsync.changes.diff._similarity` and sorts, as the pairing
did before; on generated changes where many bodies look alike (so pairs compete
for the same symbols) both must give the same pairs in the same order, also with
half of the candidate groups paired in a forked child.
"""

from __future__ import annotations

import random

import pytest

from docsync.changes import diff
from docsync.changes.diff import SideModule
from docsync.scan.python import scan_source

_STATEMENTS = [
    "total = total + {a}",
    "items.append({a} * {b})",
    "if total > {a}:\n        total = {b}",
    "name = str({a}) + '{b}'",
    "for k in range({a}):\n        total += k * {b}",
    "value = helper(total, {a})",
    "log.debug('step %s', {b})",
]


def _body(rng: random.Random, size: int) -> list[str]:
    return [
        rng.choice(_STATEMENTS).format(a=rng.randint(1, 3), b=rng.randint(1, 3))
        for _ in range(size)
    ]


def _mutate(rng: random.Random, body: list[str]) -> list[str]:
    out = list(body)
    for _ in range(rng.randint(0, 2)):
        out[rng.randrange(len(out))] = _body(rng, 1)[0]
    return out


def _source(functions: list[tuple[str, list[str]]]) -> bytes:
    parts = []
    for name, body in functions:
        lines = "\n    ".join(["total = 0", "items = []", *body, "return total, items"])
        parts.append(f"def {name}(x, y=1):\n    {lines}\n")
    return "\n\n".join(parts).encode()


def _side(modules: dict[str, list[tuple[str, list[str]]]]) -> list[SideModule]:
    out = []
    for name, functions in sorted(modules.items()):
        source = _source(functions)
        module = scan_source(source, f"pkg/{name}.py", f"pkg.{name}").module
        assert module is not None
        out.append(SideModule(module, source))
    return out


def _pairs_by_sorting(
    removed: list[diff._Entry], added: list[diff._Entry]
) -> list[tuple[str, str]]:
    """The pairing as it was: score every candidate, sort, take greedily."""
    by_body: dict[str, list[diff._Entry]] = {}
    by_place: dict[tuple[object, ...], list[diff._Entry]] = {}
    for after in added:
        if after.symbol.body_fingerprint:
            by_body.setdefault(after.symbol.body_fingerprint, []).append(after)
        for key in diff._place_keys(after):
            by_place.setdefault(key, []).append(after)
    for place in by_place.values():
        place.sort(key=lambda a: (diff._span(a), a.symbol.qualname))
    scored = []
    for before in removed:
        candidates = {a.symbol.qualname: a for a in by_body.get(before.symbol.body_fingerprint, [])}
        places = [by_place[k] for k in diff._place_keys(before) if k in by_place]
        for after in diff._closest(before, places):
            candidates.setdefault(after.symbol.qualname, after)
        for after in candidates.values():
            score = diff._similarity(before, after)
            if score is not None:
                rank = (
                    -score,
                    before.symbol.name != after.symbol.name,
                    before.module != after.module,
                )
                scored.append((rank, before.symbol.qualname, after.symbol.qualname))
    scored.sort()
    pairs, used_old, used_new = [], set(), set()
    for _, old, new in scored:
        if old not in used_old and new not in used_new:
            used_old.add(old)
            used_new.add(new)
            pairs.append((old, new))
    return pairs


@pytest.mark.parametrize("forked", [False, True], ids=["one process", "half forked"])
@pytest.mark.parametrize("seed", range(6))
def test_bounds_first_pairs_as_scoring_everything(
    seed: int, forked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if forked:  # half of the candidate groups paired in a forked child (where it can fork)
        monkeypatch.setattr(diff, "FORK_MIN_PAIRS", 0)
    rng = random.Random(seed)
    templates = [_body(rng, rng.randint(3, 9)) for _ in range(4)]  # few shapes: much alike
    base: dict[str, list[tuple[str, list[str]]]] = {f"m{i}": [] for i in range(3)}
    head: dict[str, list[tuple[str, list[str]]]] = {f"m{i}": [] for i in range(3)}
    for n in range(40):
        body = _mutate(rng, rng.choice(templates))
        module = f"m{rng.randrange(3)}"
        base[module].append((f"f{n}", body))
        fate = rng.random()
        if fate < 0.7:  # renamed or moved, maybe edited; else removed
            target = module if rng.random() < 0.6 else f"m{rng.randrange(3)}"
            name = f"g{n}" if target == module or rng.random() < 0.5 else f"f{n}"
            head[target].append((name, _mutate(rng, body)))
    for n in range(10):  # new code that looks like the old
        head[f"m{rng.randrange(3)}"].append((f"new{n}", _mutate(rng, rng.choice(templates))))
    old = diff._symbols_by_name(_side(base))
    new = diff._symbols_by_name(_side(head))
    removed = [old[n] for n in sorted(old.keys() - new.keys())]
    added = [new[n] for n in sorted(new.keys() - old.keys())]
    got = [(b.symbol.qualname, a.symbol.qualname) for b, a in diff._pair(removed, added)]
    expected = _pairs_by_sorting(removed, added)
    assert got == expected
    assert len(expected) >= 5  # the generated change has real pairs to find


def test_candidate_groups_that_share_no_symbol_split_in_two() -> None:
    edges = [(0, 0), (0, 1), (1, 1), (2, 2), (3, 3), (3, 4), (4, 4)]
    one, other = diff._split(edges, 5)
    assert sorted(one + other) == sorted(edges)
    olds = [{i for i, _ in half} for half in (one, other)]
    news = [{j for _, j in half} for half in (one, other)]
    assert not olds[0] & olds[1] and not news[0] & news[1]  # no symbol in both halves
    assert {len(one), len(other)} == {3, 4}
