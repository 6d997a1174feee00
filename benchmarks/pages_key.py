"""The hand-labelled answer key of ``pages_real.py --pairs``, and scoring against it.

The key is ``benchmarks/pages_labels.toml``: for each release pair, the changed page
lines (outside history pages) that the code change actually broke (the old line, read
against the new code, is wrong), each with a cause and a one-line reason; and the
findings on lines the maintainers did not change that are right all the same. Lines
are keyed by pair, page and the line's text (stripped); the old line number is a hint
that picks among equal lines.

The format::

    [pairs."griffe==0.49.0..griffe==1.0.0"]
    note = "what was read, and what the change did"

    [[label]]
    pair = "griffe==0.49.0..griffe==1.0.0"
    page = "docs/reference/api/extensions.md"
    line = 28
    text = "::: griffe.When"
    cause = "removed name"
    reason = "griffe.When was removed in 1.0"

    [[right]]                     # a right finding on a line the maintainers left alone
    pair = "..."
    page = "..."
    line = 10
    text = "from griffe.dataclasses import Docstring"
    reason = "griffe 1.0 has no griffe.dataclasses; the page still imports it"

A pair with no ``[pairs."..."]`` table is not labelled: its findings are scored against
the old key only.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

KEY = Path(__file__).with_name("pages_labels.toml")
CAUSES = (
    "removed name",
    "renamed",
    "signature/call",
    "import",
    "prose claim",
    "link to deleted file",
    "other",
    "old drift",
)
# "old drift": the line was already wrong for release N's own code (the maintainers
# fixed it in this release); base mode leaves drift the change did not cause out by
# design, so these lines are shown apart from the change's own breaks.
OLD_DRIFT = "old drift"


@dataclass(frozen=True)
class Label:
    """A page line the change broke (``cause`` set) or a right finding off the key."""

    pair: str
    page: str
    line: int
    text: str
    reason: str
    cause: str = ""


@dataclass(frozen=True)
class Key:
    """The labelled pairs (pair -> note), their broken lines and right extra findings."""

    notes: dict[str, str]
    labels: tuple[Label, ...]
    right: tuple[Label, ...]

    def for_pair(self, pair: str) -> tuple[list[Label], list[Label]]:
        """The broken lines and the right extra findings of one pair."""
        return (
            [label for label in self.labels if label.pair == pair],
            [label for label in self.right if label.pair == pair],
        )


def load_key(path: Path = KEY) -> Key:
    """Read and check the key.

    Args:
        path: The TOML file.

    Returns:
        The key.

    Raises:
        SystemExit: An entry misses a field, names an unknown cause, or a pair
            without a ``[pairs."..."]`` note.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    notes = {pair: str(table.get("note", "")) for pair, table in data.get("pairs", {}).items()}
    labels = tuple(_entry(path, e, needs_cause=True) for e in data.get("label", []))
    right = tuple(_entry(path, e, needs_cause=False) for e in data.get("right", []))
    for entry in (*labels, *right):
        if entry.pair not in notes:
            raise SystemExit(f"{path}: {entry.page}: pair {entry.pair!r} has no [pairs] note")
    return Key(notes, labels, right)


def _entry(path: Path, entry: dict[str, object], *, needs_cause: bool) -> Label:
    fields = ("pair", "page", "line", "text", "reason", *(("cause",) if needs_cause else ()))
    missing = [name for name in fields if name not in entry]
    if missing:
        raise SystemExit(f"{path}: an entry {entry!r} misses {', '.join(missing)}")
    cause = str(entry.get("cause", ""))
    if needs_cause and cause not in CAUSES:
        raise SystemExit(f"{path}: {entry['page']}: unknown cause {cause!r} (one of {CAUSES})")
    return Label(
        str(entry["pair"]),
        str(entry["page"]),
        int(str(entry["line"])),
        " ".join(str(entry["text"]).split()),
        str(entry["reason"]),
        cause,
    )


def locate(label: Label, lines: list[str]) -> int:
    """The 1-based line of the page whose text is the label's, nearest its line hint.

    Args:
        label: The labelled line.
        lines: The page's lines (the old release's).

    Returns:
        The line number.

    Raises:
        SystemExit: No line of the page has that text (the key is out of date).
    """
    hits = [n for n, text in enumerate(lines, 1) if " ".join(text.split()) == label.text]
    if not hits:
        raise SystemExit(f"key: {label.pair} {label.page}:{label.line}: no line {label.text!r}")
    return min(hits, key=lambda n: abs(n - label.line))


@dataclass(frozen=True)
class KeyScore:
    """One pair's default output against the hand-labelled key."""

    findings: int
    right: int
    labelled: int
    found: int
    missed: tuple[tuple[Label, int], ...] = ()
    wrong: tuple[str, ...] = ()
    by_cause: dict[str, tuple[int, int]] = field(default_factory=dict)


def score(key: Key, pair: str, spans: list[tuple[str, int, int]], root: Path) -> KeyScore | None:
    """Score a pair's findings against the key.

    A finding is right when its lines cover a labelled line, or a line listed as right
    off the key; a labelled line is found when a finding's lines cover it.

    Args:
        key: The key.
        pair: ``old..new``.
        spans: Each finding's page, first and last line (in the old docs).
        root: The scratch repository, whose pages are the old release's.

    Returns:
        The score; ``None`` when the pair is not labelled.
    """
    if pair not in key.notes:
        return None
    labels, extra = key.for_pair(pair)
    pages: dict[str, list[str]] = {}

    def where(label: Label) -> tuple[str, int]:
        if label.page not in pages:
            text = (root / label.page).read_text(encoding="utf-8", errors="replace")
            pages[label.page] = text.splitlines()
        return label.page, locate(label, pages[label.page])

    broken = {where(label): label for label in labels}
    good = set(broken) | {where(label) for label in extra}
    covered = {(page, n) for page, first, last in spans for n in range(first, last + 1)}
    right = [s for s in spans if any((s[0], n) in good for n in range(s[1], s[2] + 1))]
    wrong = tuple(
        f"{page}:{first}" for page, first, last in spans if (page, first, last) not in right
    )
    missed = tuple((label, spot[1]) for spot, label in broken.items() if spot not in covered)
    by_cause: dict[str, tuple[int, int]] = {}
    for spot, label in broken.items():
        total, hit = by_cause.get(label.cause, (0, 0))
        by_cause[label.cause] = (total + 1, hit + (spot in covered))
    return KeyScore(
        len(spans), len(right), len(broken), len(broken) - len(missed), missed, wrong, by_cause
    )
