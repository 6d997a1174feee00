"""Base mode scans the head's tree and the base side of the changed files in one pass.

:func:`docsync.changes.joint.scan_head_and_base` must give the head project that
:func:`docsync.scan.project.scan_working_tree` gives, and a base side from which
:func:`docsync.changes.changeset.compare` builds the same change set as when it reads
and scans the base blobs itself; with a pool, one pool scans both sides.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from docsync.changes import joint
from docsync.changes.changeset import compare, resolve_sides
from docsync.config import Config
from docsync.scan import project as scan_project
from helpers_git import GitRepo, new_repo

_MODULE = '''
"""Module {n}."""


def fetch_{n}(url, timeout=10):
    """Fetch a page.

    Args:
        url: The address.
        timeout: Seconds to wait.
    """
    return url, timeout


class Client{n}:
    """A client."""

    def get(self, path):
        """Get ``path``."""
        total = 0
        for part in path.split("/"):
            total += len(part) * {n}
        return total
'''


def _repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("pkg/__init__.py", "")
    for n in range(12):
        repo.write(f"pkg/mod{n}.py", _MODULE.format(n=n))
    repo.commit("base")
    repo.git("tag", "base")
    # A change of every kind: a rename, a move, a signature, a docstring, a file
    # deleted, a file renamed, a file added (committed) and an untracked one.
    text = (repo.path / "pkg/mod0.py").read_text()
    repo.write("pkg/mod0.py", text.replace("def fetch_0(", "def fetch_zero("))
    text = (repo.path / "pkg/mod1.py").read_text()
    repo.write("pkg/mod1.py", text.replace("timeout=10", "timeouts=10"))
    text = (repo.path / "pkg/mod2.py").read_text()
    repo.write("pkg/mod2.py", text.replace("Fetch a page.", "Fetch one page."))
    repo.remove("pkg/mod3.py")
    repo.git("mv", "pkg/mod4.py", "pkg/moved4.py")
    repo.write("pkg/added.py", _MODULE.format(n=99))
    repo.commit("change")
    text = (repo.path / "pkg/mod5.py").read_text()
    repo.write("pkg/mod5.py", text.replace("class Client5", "class Client5b"))
    repo.write("pkg/untracked.py", _MODULE.format(n=77))
    return repo


@pytest.fixture(params=["serial", "pool"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "pool":  # a pool for a handful of small files
        monkeypatch.setattr(scan_project, "PARALLEL_MIN_FILES", 2)
        monkeypatch.setattr(scan_project, "PARALLEL_MIN_BYTES", 1)
        monkeypatch.setattr(scan_project, "FILES_PER_WORKER", 1)
        monkeypatch.setattr(scan_project, "available_cpus", lambda: 2)
    yield str(request.param)


@pytest.mark.parametrize("cache", [False, True])
def test_one_pass_gives_what_two_passes_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, cache: bool
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    config = Config(root=repo.path, cache=cache, pages=False)
    sides = resolve_sides(repo.path, "base", None, False)
    try:
        head, base = joint.scan_head_and_base(sides, config)
        assert head == scan_project.scan_working_tree(config)
        together = compare(sides, config, head, base)
        apart = compare(sides, config, head)
    finally:
        sides.repo.close()
    assert together == apart
    changes, base_project = together
    assert {c.qualname for c in changes.symbols} >= {"pkg.mod0.fetch_0", "pkg.mod3.fetch_3"}
    assert "pkg/mod3.py" in {m.path for m in base_project.modules}


def test_one_pool_scans_both_sides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path, monkeypatch)
    monkeypatch.setattr(scan_project, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(scan_project, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(scan_project, "FILES_PER_WORKER", 1)
    monkeypatch.setattr(scan_project, "available_cpus", lambda: 2)
    pools: list[list[str]] = []
    real = scan_project._scan_on_pool

    def counting(jobs: list[scan_project.ScanJob], *args: object) -> None:
        pools.append([j.path for j in jobs])
        real(jobs, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(scan_project, "_scan_on_pool", counting)
    config = Config(root=repo.path, cache=False, pages=False)
    sides = resolve_sides(repo.path, "base", None, False)
    try:
        head, base = joint.scan_head_and_base(sides, config)
    finally:
        sides.repo.close()
    assert len(pools) == 1  # the head's files and the base blobs, one pass
    head_files = sorted(m.path for m in head.modules)
    base_files = sorted(base.sources)
    assert sorted(pools[0]) == sorted([*head_files, *base_files])
    assert "pkg/mod3.py" in base_files and "pkg/mod3.py" not in head_files
