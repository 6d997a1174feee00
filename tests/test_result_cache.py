"""The check's result cache: the same findings as without it, after any edit; one read on a hit.

Property-style: a small project (a package, MkDocs pages with links, a baseline) goes
through a seeded random series of edits of every kind of input the check reads (a
docstring, a signature, a new module, a deleted one, an ``__init__.py`` that renames
modules, a page, a link target, ``mkdocs.yml``, the configuration, the baseline), and
after each one ``docsync check`` with the caches says exactly what ``--no-cache`` says.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import docsync.commands.check as check_module
from docsync.cli import main
from docsync.scan.cache import CACHE_DIR_NAME

FETCH = '''\
def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        url: where from.
        retries: how often to retry.
    """
    return url
'''

STORE = '''\
class Store:
    """A store."""

    def put(self, key, value):
        """Put a value.

        Args:
            key: the key.
            value: the value.

        Returns:
            int: the size.
        """
        return None
'''

PAGE = """\
# Guide

Call `pkg.net.fetch` or `pkg.store.Store.put`, see [the notes](notes.md) and
[the code](../pkg/net.py).

```python
from pkg.net import fetch
fetch("x", timeout=1)
```
"""


def make_project(root: Path) -> None:
    files = {
        "pyproject.toml": "[tool.docsync]\n",
        "mkdocs.yml": "site_name: Demo\n",
        "pkg/__init__.py": '"""The package."""\n',
        "pkg/net.py": FETCH,
        "pkg/store.py": STORE,
        "docs/index.md": PAGE,
        "docs/notes.md": "# Notes\n\nSee `pkg.store.Store`.\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def check(root: Path, *args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["check", "--format", "json", *args], catch_exceptions=False)
    return done.exit_code, done.output


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    if path.exists():
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


EDITS: list[Callable[[Path, random.Random], None]] = [
    lambda root, rnd: _edit(root, "pkg/net.py", "retries", rnd.choice(["timeout", "tries"])),
    lambda root, rnd: _edit(root, "pkg/net.py", "timeout=3", rnd.choice(["retries=3", "t=1"])),
    lambda root, rnd: _edit(root, "pkg/store.py", "value):", "value, ttl):"),
    lambda root, rnd: _edit(root, "pkg/store.py", "int: the size.", "None"),
    lambda root, rnd: (root / f"pkg/extra{rnd.randint(0, 2)}.py").write_text(FETCH),
    lambda root, rnd: (
        shutil.rmtree(root / "pkg/extra0.py", ignore_errors=True)
        if (root / "pkg/extra0.py").is_dir()
        else (root / "pkg/extra0.py").unlink(missing_ok=True)
    ),
    lambda root, rnd: (root / "pkg/__init__.py").unlink(missing_ok=True),
    lambda root, rnd: (root / "pkg/__init__.py").write_text('"""The package."""\n'),
    lambda root, rnd: _edit(root, "docs/index.md", "fetch(", rnd.choice(["fetch_all(", "fetch("])),
    lambda root, rnd: _edit(root, "docs/index.md", "Store.put", "Store.get"),
    lambda root, rnd: (root / "docs/notes.md").unlink(missing_ok=True),
    lambda root, rnd: (root / "docs/notes.md").write_text("# Notes\n\nSee `pkg.nothing`.\n"),
    lambda root, rnd: (root / "pkg/net.py").unlink(missing_ok=True),
    lambda root, rnd: (root / "pkg/net.py").write_text(FETCH),
    lambda root, rnd: (root / "mkdocs.yml").write_text(
        rnd.choice(["site_name: Demo\n", "site_name: Demo\nexclude_docs: notes.md\n"])
    ),
    lambda root, rnd: (root / "pyproject.toml").write_text(
        rnd.choice(["[tool.docsync]\n", '[tool.docsync]\nignore = ["DS7"]\n'])
    ),
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_findings_are_the_same_with_and_without_the_caches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    rnd = random.Random(seed)
    for step in range(12):
        rnd.choice(EDITS)(tmp_path, rnd)
        if step == 6:  # a baseline of today's findings, then more edits
            CliRunner().invoke(main, ["baseline", "--no-cache"], catch_exceptions=False)
        cached = check(tmp_path)
        assert cached == check(tmp_path, "--no-cache"), f"seed {seed}, step {step}"
        assert cached == check(tmp_path), f"seed {seed}, step {step}: the hit differs"


def test_an_unchanged_tree_is_answered_without_scanning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    first = check(tmp_path)
    assert first[0] == 1

    def no_check(*args: object, **kwargs: object) -> None:
        raise AssertionError("the check ran: the result cache missed")

    monkeypatch.setattr(check_module, "run_check", no_check)
    assert check(tmp_path) == first
    (tmp_path / "docs/notes.md").write_text("# Notes\n")  # one changed input: a miss
    with pytest.raises(AssertionError, match="result cache missed"):
        check(tmp_path)


def test_a_link_target_that_appears_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(tmp_path)
    (tmp_path / "docs/index.md").write_text("# Guide\n\nSee [the plan](../PLAN.md).\n")
    monkeypatch.chdir(tmp_path)
    before = check(tmp_path)
    assert "DS7" in before[1]  # the link is broken
    (tmp_path / "PLAN.md").write_text("# Plan\n")  # outside the docs and the Python files
    assert check(tmp_path) == check(tmp_path, "--no-cache")
    assert "DS7" not in check(tmp_path)[1]


def test_a_damaged_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    expected = check(tmp_path)
    (entry,) = (tmp_path / CACHE_DIR_NAME / "results").iterdir()
    blob = entry.read_bytes()
    entry.write_bytes(blob[:-10] + b"\0" * 10)
    assert check(tmp_path) == expected
    entry.write_bytes(b"not an entry")
    assert check(tmp_path) == expected


def test_one_entry_per_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    for text in ("a", "b", "c"):
        (tmp_path / "pkg/more.py").write_text(f'"""{text}."""\n')
        check(tmp_path)
    assert len(list((tmp_path / CACHE_DIR_NAME / "results").iterdir())) == 1
    check(tmp_path, "--select", "DS1")
    assert len(list((tmp_path / CACHE_DIR_NAME / "results").iterdir())) == 2


def test_entries_left_unused_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    check(tmp_path, "--select", "DS1")
    (old,) = (tmp_path / CACHE_DIR_NAME / "results").iterdir()
    os.utime(old, (0, 0))
    check(tmp_path)
    assert old not in set((tmp_path / CACHE_DIR_NAME / "results").iterdir())
