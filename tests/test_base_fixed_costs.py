"""Base mode's fixed costs: what a `--base` run does once, and what it no longer does.

The findings are checked elsewhere (tests/test_base_head.py, test_base_mode.py); these
tests hold the savings in place: the changed files are listed once per run (with the
head index and without it), `--base HEAD` resolves one commit, and file discovery keeps
``Path``'s order while sorting without ``Path`` comparisons.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docsync.changes import changeset
from docsync.changes.changeset import FileChange, Sides, resolve_sides
from docsync.changes.revisions import CommitRevision
from docsync.commands import base_head
from docsync.commands.check import BaseOptions, run_check
from docsync.config import Config
from docsync.scan.files import discover_python_files
from helpers_git import GitRepo, new_repo

MODULE = '''\
"""Shop."""


def price(amount, rate):
    """Price an amount.

    Args:
        amount: the amount.
        rate: the rate.

    Returns:
        The price.
    """
    return amount * rate
'''


def _repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("shop/__init__.py", "")
    repo.write("shop/orders.py", MODULE)
    repo.write("shop/other.py", '"""Other."""\n')
    repo.commit("base")
    repo.write("shop/orders.py", MODULE.replace("rate)", "ratio)").replace("* rate", "* ratio"))
    return repo


def _count_listings(monkeypatch: pytest.MonkeyPatch) -> list[Sides]:
    calls: list[Sides] = []
    real = changeset.changed_files

    def counting(sides: Sides) -> tuple[FileChange, ...]:
        calls.append(sides)
        return real(sides)

    monkeypatch.setattr(changeset, "changed_files", counting)
    monkeypatch.setattr(base_head, "changed_files", counting)
    return calls


@pytest.mark.parametrize("runs", [1, 2], ids=["index-written", "index-read"])
def test_a_base_run_lists_the_changed_files_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runs: int
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    config = Config(root=repo.path, pages=False)
    for _ in range(runs - 1):  # the first run writes the head index, the next reads it
        run_check(config, change=BaseOptions("HEAD"), use_baseline=False)
    calls = _count_listings(monkeypatch)
    result = run_check(config, change=BaseOptions("HEAD"), use_baseline=False)
    assert len(calls) == 1
    assert result.change is not None
    assert [f.path for f in result.change.changes.files] == ["shop/orders.py"]


def test_base_head_is_one_commit_its_own_merge_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    head = repo.git("rev-parse", "HEAD").strip()
    sides = resolve_sides(repo.path, "HEAD")
    try:
        assert isinstance(sides.base, CommitRevision)
        assert sides.base.commit.hexsha == head
    finally:
        sides.repo.close()
    # The same with the head named, and with a base that is another name for it.
    repo.git("branch", "feature")
    sides = resolve_sides(repo.path, "feature", "HEAD")
    try:
        assert isinstance(sides.base, CommitRevision)
        assert isinstance(sides.head, CommitRevision)
        assert sides.base.commit.hexsha == sides.head.commit.hexsha == head
    finally:
        sides.repo.close()


def test_discovery_keeps_path_order(tmp_path: Path) -> None:
    # String order puts "a-c/" before "a/" ('-' < '/'); Path order puts "a/" first.
    for name in ("a/b.py", "a-c/x.py", "a.py", "a/b/c.py", "B/z.py", "a_/y.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    found = discover_python_files([tmp_path], tmp_path)
    assert found == sorted(found)  # Path's own comparison
    assert found.index(tmp_path / "a" / "b.py") < found.index(tmp_path / "a-c" / "x.py")
    assert len(found) == 6
    assert discover_python_files([tmp_path], tmp_path, ["a"]) == [
        tmp_path / p for p in ("B/z.py", "a-c/x.py", "a.py", "a_/y.py")
    ]
