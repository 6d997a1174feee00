"""The baseline file: written stable and atomically, read strictly, applied by fingerprint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docsync.commands.baseline import apply_baseline, load_baseline, render_baseline, write_baseline
from docsync.errors import ConfigError
from docsync.models import Evidence, Finding, Location, Severity


def finding(code: str, path: str, symbol: str, fp: str, line: int = 1) -> Finding:
    return Finding(
        code=code,
        slug="slug",
        severity=Severity.WARNING,
        message="message",
        location=Location(path, line, line),
        symbol=symbol,
        evidence=Evidence(),
        fingerprint=fp,
    )


FINDINGS = [
    finding("DS102", "pkg/b.py", "pkg.b.f", "00000000000000bb"),
    finding("DS101", "pkg/b.py", "pkg.b.g", "00000000000000cc"),
    finding("DS101", "pkg/a.py", "pkg.a.h", "00000000000000aa"),
    finding("DS101", "pkg/a.py", "pkg.a.h", "00000000000000aa", line=9),  # the same, twice
]


def test_write_is_sorted_stable_and_ends_with_a_newline(tmp_path: Path) -> None:
    path = tmp_path / ".docsync-baseline.json"
    assert write_baseline(path, FINDINGS) == 3
    first = path.read_bytes()
    write_baseline(path, reversed(FINDINGS))
    assert path.read_bytes() == first
    assert first.endswith(b"}\n")
    document = json.loads(first)
    assert document == {
        "version": 1,
        "findings": [
            {
                "code": "DS101",
                "symbol": "pkg.a.h",
                "fingerprint": "00000000000000aa",
                "path": "pkg/a.py",
            },
            {
                "code": "DS101",
                "symbol": "pkg.b.g",
                "fingerprint": "00000000000000cc",
                "path": "pkg/b.py",
            },
            {
                "code": "DS102",
                "symbol": "pkg.b.f",
                "fingerprint": "00000000000000bb",
                "path": "pkg/b.py",
            },
        ],
    }
    assert first.decode().startswith('{\n  "version": 1,\n  "findings": [\n    {\n')
    assert [p.name for p in tmp_path.iterdir()] == [".docsync-baseline.json"]  # no temp file left


def test_empty_baseline(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    write_baseline(path, [])
    assert render_baseline([]) == '{\n  "version": 1,\n  "findings": []\n}\n'
    assert load_baseline(path) == frozenset()


def test_round_trip_and_apply(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    write_baseline(path, FINDINGS[:2])
    fingerprints = load_baseline(path)
    assert fingerprints == {"00000000000000bb", "00000000000000cc"}
    new = finding("DS101", "pkg/c.py", "pkg.c.k", "00000000000000dd")
    kept, skipped = apply_baseline(iter([*FINDINGS, new]), fingerprints)
    assert kept == [FINDINGS[2], FINDINGS[3], new]
    assert skipped == 2


def test_missing_file_is_an_empty_baseline(tmp_path: Path) -> None:
    assert load_baseline(tmp_path / "absent.json") == frozenset()
    assert apply_baseline(FINDINGS, frozenset()) == (FINDINGS, 0)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"version": 1}',
        '{"version": 2, "findings": []}',
        '{"version": 1, "findings": [{"code": "DS101"}]}',
        '{"version": 1, "findings": ["abc"]}',
    ],
)
def test_corrupt_file_says_how_to_fix(tmp_path: Path, content: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_baseline(path)
    assert str(path) in str(caught.value)
    assert "regenerate it with `docsync baseline`" in str(caught.value)


def test_unreadable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="docsync baseline"):
        load_baseline(path)
