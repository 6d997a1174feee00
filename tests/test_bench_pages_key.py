"""The hand-labelled key of ``benchmarks/pages_real.py --pairs`` and its scoring.

The benchmark itself downloads sdists and runs by hand; these tests check, without a
network, that the key file is well formed and covers exactly the replayed pairs, and
that a pair's findings are scored against it as the docs say.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str) -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


pages_key = _load("pages_key")

PAIR = "demo==1.0..demo==2.0"


def _key(tmp_path: Path, body: str) -> object:
    path = tmp_path / "labels.toml"
    path.write_text(f'[pairs."{PAIR}"]\nnote = "read"\n{body}', encoding="utf-8")
    return pages_key.load_key(path)


def _entry(kind: str, line: int, text: str, extra: str = "") -> str:
    return (
        f'\n[[{kind}]]\npair = "{PAIR}"\npage = "docs/a.md"\nline = {line}\n'
        f'text = "{text}"\nreason = "why"\n{extra}'
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    docs = tmp_path / "repo" / "docs"
    docs.mkdir(parents=True)
    lines = ["# A", "x = old()", "prose", "x = old()", "import gone", "fine"]
    (docs / "a.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "repo"


def test_the_shipped_key_covers_exactly_the_replayed_pairs() -> None:
    pages_real = _load("pages_real")
    key = pages_key.load_key()
    pairs = {f"{old}..{new}" for old, new in pages_real.RELEASE_PAIRS}
    assert set(key.notes) == pairs
    assert all(label.cause in pages_key.CAUSES for label in key.labels)
    assert all(label.text and label.reason for label in (*key.labels, *key.right))
    spots = [(label.pair, label.page, label.line) for label in key.labels]
    assert len(spots) == len(set(spots))


def test_score_counts_labelled_and_right_lines(tmp_path: Path, root: Path) -> None:
    body = _entry("label", 4, "x = old()", 'cause = "signature/call"\n')
    body += _entry("label", 5, "import gone", 'cause = "import"\n')
    body += _entry("right", 6, "fine")
    key = _key(tmp_path, body)
    spans = [("docs/a.md", 4, 4), ("docs/a.md", 6, 6), ("docs/a.md", 3, 3)]
    score = pages_key.score(key, PAIR, spans, root)
    assert (score.findings, score.right, score.labelled, score.found) == (3, 2, 2, 1)
    assert score.wrong == ("docs/a.md:3",)
    assert [(label.text, line) for label, line in score.missed] == [("import gone", 5)]
    assert score.by_cause == {"signature/call": (1, 1), "import": (1, 0)}


def test_a_multi_line_finding_covers_every_line_it_spans(tmp_path: Path, root: Path) -> None:
    key = _key(tmp_path, _entry("label", 5, "import gone", 'cause = "import"\n'))
    score = pages_key.score(key, PAIR, [("docs/a.md", 4, 5)], root)
    assert (score.right, score.found) == (1, 1)


def test_equal_lines_are_told_apart_by_the_line_hint(tmp_path: Path, root: Path) -> None:
    key = _key(tmp_path, _entry("label", 2, "x = old()", 'cause = "signature/call"\n'))
    on_second = pages_key.score(key, PAIR, [("docs/a.md", 4, 4)], root)
    on_first = pages_key.score(key, PAIR, [("docs/a.md", 2, 2)], root)
    assert (on_second.found, on_first.found) == (0, 1)


def test_an_unlabelled_pair_is_not_scored(tmp_path: Path, root: Path) -> None:
    key = _key(tmp_path, "")
    assert pages_key.score(key, "other==1..other==2", [("docs/a.md", 2, 2)], root) is None


def test_a_label_whose_text_left_the_page_stops_the_run(tmp_path: Path, root: Path) -> None:
    key = _key(tmp_path, _entry("label", 2, "x = older()", 'cause = "renamed"\n'))
    with pytest.raises(SystemExit, match="no line 'x = older\\(\\)'"):
        pages_key.score(key, PAIR, [], root)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_entry("label", 2, "x = old()", 'cause = "typo"\n'), "unknown cause 'typo'"),
        (_entry("label", 2, "x = old()"), "misses cause"),
        (
            '\n[[right]]\npair = "x==1..x==2"\npage = "p"\nline = 1\ntext = "t"\nreason = "r"\n',
            "has no \\[pairs\\] note",
        ),
    ],
)
def test_a_malformed_key_is_a_clear_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(SystemExit, match=message):
        _key(tmp_path, body)
