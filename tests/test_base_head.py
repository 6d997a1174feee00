"""Base mode's head side from the head index gives what the whole scan gives (issue 19 item 4).

Base mode scans the changed files, takes the rest of the head from the head index
(:mod:`docsync.commands.base_head`), loads a module only when a rule asks for one
of its names (:class:`~docsync.scan.lazy_project.PartialProject`), and runs the
rules only on the changed files' symbols.  Every check here compares that path
with the reference path (the whole head scanned, every rule on every symbol) on
generated changes of every kind: renames, removals, new signatures and
docstrings, a class whose base is in an unchanged file, a documented exception
raised by a callee in an unchanged file, a docstring in an unchanged file that
names a changed function, and a page that names one.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from docsync.commands import against_base
from docsync.commands.base_head import KEPT_INDEXES, HeadSide, _Loader, _prune
from docsync.commands.check import BaseOptions, CheckResult, run_check
from docsync.commands.fix import run_fix
from docsync.config import Config, load_config
from docsync.scan.lazy_project import ModuleRef, PartialProject, StaleModule
from docsync.scan.project import open_cache, scan_working_tree
from helpers_git import GitRepo, new_repo

_NAMES = [f"f{i}" for i in range(16)]


def _function(rng: random.Random, name: str, params: list[str], callee: str | None) -> str:
    documented = [p for p in params if rng.random() < 0.8]
    args = "".join(f"        {p}: the {p}.\n" for p in documented)
    raises = "    Raises:\n        ValueError: when bad.\n" if callee or rng.random() < 0.3 else ""
    see = f"    See :func:`pkg.m{rng.randrange(4)}.{rng.choice(_NAMES)}`.\n\n"
    body = f"    return {callee}()" if callee else "    return 1"
    return (
        f"def {name}({', '.join(params)}):\n"
        f'    """Do {name}.\n\n{see if rng.random() < 0.5 else ""}    Args:\n{args}{raises}'
        f'    """\n{body}\n\n\n'
    )


def _module(rng: random.Random, index: int, names: list[str]) -> str:
    out = f'"""Module {index}."""\n\nfrom pkg.m0 import Base, helper\n\n\n'
    if index == 0:
        out = '"""The base module."""\n\n\n'
        out += 'def helper():\n    """Help, for :func:`pkg.m1.f4`, :func:`pkg.m1.f5`,\n'
        out += "    :func:`pkg.m1.f6` and :func:`pkg.m1.f7` (a referrer left alone).\n\n"
        out += '    Raises:\n        ValueError: always.\n    """\n'
        out += '    raise ValueError("no")\n\n\n'
        out += 'class Base(Exception):\n    """A base.\n\n    Attributes:\n        size: how big.\n'
        out += '    """\n\n    size = 1\n\n\n'
    for name in names:
        params = rng.sample(["a", "b", "c", "d"], rng.randint(0, 3))
        callee = "helper" if index and rng.random() < 0.4 else None
        out += _function(rng, name, params, callee)
    if index:
        out += f'class Box{index}(Base):\n    """A box.\n\n    Attributes:\n'
        ghost = "        ghost: never set.\n" if rng.random() < 0.6 else ""
        out += f'        size: how big.\n        depth: how deep.\n{ghost}    """\n\n'
        out += "    def __init__(self, depth):\n        self.depth = depth\n"
    return out


def _write(repo: GitRepo, rng: random.Random) -> dict[str, list[str]]:
    layout = {i: _NAMES[i * 4 : i * 4 + 4] for i in range(4)}
    repo.write("pkg/__init__.py", '"""The package."""\nfrom pkg.m1 import f4\n')
    for index, names in layout.items():
        repo.write(f"pkg/m{index}.py", _module(rng, index, names))
    refs = ", ".join(f":func:`pkg.m1.{n}`" for n in layout[1])
    repo.write("pkg/notes.py", f'"""Notes."""\n\n\ndef notes():\n    """See {refs}."""\n')
    repo.write("mkdocs.yml", "site_name: demo\n")
    refs = " ".join(f"`pkg.m{i}.{n}`" for i, names in layout.items() for n in names[:2])
    repo.write("docs/index.md", f"# Demo\n\nSee {refs}.\n")
    return layout


def _change(repo: GitRepo, rng: random.Random, layout: dict[int, list[str]]) -> None:
    for index, names in layout.items():
        if index == 0 or (index > 1 and rng.random() < 0.4):
            continue  # unchanged: the base classes, the callee, some referrers
        kept = [n for n in names if rng.random() < 0.8]  # removals
        kept = [n + "_renamed" if rng.random() < 0.25 else n for n in kept]  # renames
        repo.write(f"pkg/m{index}.py", _module(rng, index, kept))  # signatures, docstrings
    if rng.random() < 0.5:
        repo.write("pkg/extra.py", _module(rng, 9, [f"new_{rng.randrange(99)}"]))


def _check(root: Path, base: str, *, cache: bool = True, pages: bool = True) -> CheckResult:
    config = Config(root=root, cache=cache, pages=pages)
    return run_check(config, change=BaseOptions(base), use_baseline=False)


def _whole_head(root: Path) -> Callable[[Config, object], HeadSide]:
    def whole(config: Config, sides: object) -> HeadSide:
        full = scan_working_tree(replace(config, root=root))
        return HeadSide(full, full)

    return whole


def _reference(root: Path, base: str, monkeypatch: pytest.MonkeyPatch) -> CheckResult:
    """The whole head scanned, every rule run on every symbol of it."""
    with monkeypatch.context() as patch:
        patch.setattr(against_base, "scan_head", _whole_head(root))
        patch.setattr(against_base, "in_scope", lambda head, changes: head)
        return _check(root, base, cache=False)


def _seen(result: CheckResult) -> tuple[object, ...]:
    return (result.findings, result.reviews, result.diagnostics, result.files_scanned)


@pytest.mark.parametrize("seed", range(6))
def test_the_head_index_and_scoped_rules_give_the_whole_scans_findings(
    repo: GitRepo, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _CODES.update(_compare(repo, seed, monkeypatch))
    _CODES.add(f"seed{seed}")


def _compare(repo: GitRepo, seed: int, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    rng = random.Random(seed)
    layout = _write(repo, rng)
    base = repo.commit("base")
    _change(repo, rng, layout)
    reference = _reference(repo.path, base, monkeypatch)
    without_cache = _check(repo.path, base, cache=False)
    first = _check(repo.path, base)  # writes the head index
    second = _check(repo.path, base)  # reads it
    assert reference.change is not None and second.change is not None
    assert reference.change.changes.symbols
    assert isinstance(second.change.head, PartialProject)
    assert not isinstance(first.change.head if first.change else None, PartialProject)
    for other in (without_cache, first, second):
        assert _seen(other) == _seen(reference)
    return {f.code for f in reference.findings}


_CODES: set[str] = set()


@pytest.fixture(scope="module", autouse=True)
def _every_kind_is_seen() -> Iterator[None]:
    yield
    if {f"seed{n}" for n in range(6)} <= _CODES:  # every seed ran: the changes reached these
        assert {"DS102", "DS301", "DS401", "DS601", "DS701"} <= _CODES, _CODES


def test_a_docstring_change_loads_only_the_changed_module(repo: GitRepo) -> None:
    rng = random.Random(7)
    _write(repo, rng)
    repo.write("pkg/big.py", "".join(f"def g{i}():\n    '''G.'''\n\n" for i in range(50)))
    base = repo.commit("base")
    _check(repo.path, base, pages=False)  # writes the head index
    text = (repo.path / "pkg/m2.py").read_text(encoding="utf-8")
    repo.write("pkg/m2.py", text.replace('"""Module 2."""', '"""Module two."""'))
    result = _check(repo.path, base, pages=False)  # (a site's page rules read every module)
    head = result.change.head if result.change is not None else None
    assert isinstance(head, PartialProject)
    assert head.loaded < len(head.paths)  # pkg/big.py and the others stay unread
    assert result.files_scanned == len(head.paths) == 7


def test_a_module_whose_bytes_changed_behind_the_index_is_stale(repo: GitRepo) -> None:
    repo.write("pkg/__init__.py", '"""The package."""\n')
    config = Config(root=repo.path)
    cache = open_cache(config)
    assert cache is not None
    loader = _Loader(repo.path, config, cache)
    with pytest.raises(StaleModule):
        loader.load(ModuleRef("pkg/__init__.py", "pkg", "0" * 64, ("pkg",)))


def test_a_removed_name_reads_only_the_modules_whose_docstrings_mention_it(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(3)
    layout = _write(repo, rng)
    base = repo.commit("base")
    _check(repo.path, base, pages=False)  # writes the head index
    gone = layout[1][0]
    text = (repo.path / "pkg/m1.py").read_text(encoding="utf-8")
    start = text.index(f"def {gone}(")
    end = text.index("\ndef ", start + 1) if "\ndef " in text[start + 1 :] else text.index("class")
    repo.write("pkg/m1.py", text[:start] + text[end + 1 :])  # removed, nothing added
    result = _check(repo.path, base, pages=False)
    head = result.change.head if result.change is not None else None
    assert isinstance(head, PartialProject)
    broken = [f for f in result.findings if f.code == "DS601"]
    assert "pkg/notes.py" in {f.location.path for f in broken}  # the referrer, from the index
    assert head.loaded < len(head.paths)  # pkg/m3.py mentions no gone name: not read
    with monkeypatch.context() as patch:
        patch.setattr(against_base, "scan_head", _whole_head(repo.path))
        patch.setattr(against_base, "in_scope", lambda head, changes: head)
        reference = _check(repo.path, base, cache=False, pages=False)
    assert _seen(result) == _seen(reference)


def test_only_the_most_recent_head_indexes_are_kept(tmp_path: Path) -> None:
    directory = tmp_path / "head-index"
    for n in range(KEPT_INDEXES + 5):
        for suffix in ("", "-references"):
            entry = directory / f"{n:02d}" / f"{n:02d}{suffix}.entry"
            entry.parent.mkdir(parents=True, exist_ok=True)
            entry.write_bytes(b"x")
            os.utime(entry, (1_000_000 + n, 1_000_000 + n))
    _prune(directory)
    left = sorted(p.name for p in directory.glob("*/*.entry"))
    assert len(left) == 2 * KEPT_INDEXES
    assert "00.entry" not in left and f"{KEPT_INDEXES + 4:02d}.entry" in left


_API = '''\
"""The API."""


def load_config(path):
    """Load the configuration.

    Args:
        path: the file.
    """
    return path


def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        url: where from.
        timeout: seconds to wait.
    """
    return url * timeout
'''

_OTHER = '"""Helpers."""\n\n\ndef run():\n    """Call :func:`pkg.api.load_config` first."""\n'


def _fixed_repo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> tuple[list[str], str, str]:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("pyproject.toml", f"[tool.docsync]\ncache = {str(cache).lower()}\n")
    repo.write("pkg/__init__.py", "")
    repo.write("pkg/api.py", _API)
    repo.write("pkg/other.py", _OTHER)
    base = repo.commit("base")
    changed = _API.replace("def load_config(", "def read_config(")
    changed = changed.replace("timeout=3", "retries=3").replace("* timeout", "* retries")
    repo.write("pkg/api.py", changed)
    config = load_config(repo.path)
    first = _check(repo.path, base, cache=cache)  # with the cache: writes the head index
    again = _check(repo.path, base, cache=cache)
    assert isinstance(again.change.head if again.change else None, PartialProject) is cache
    assert _seen(first) == _seen(again)
    assert ("DS601", "pkg/other.py") in {(f.code, f.location.path) for f in again.findings}
    result = run_fix(config, base=base)  # on the head index's project, with the cache
    texts = [(repo.path / p).read_text(encoding="utf-8") for p in ("pkg/api.py", "pkg/other.py")]
    return (sorted(f.code for f in result.fixed), *texts)


def test_fix_on_the_head_index_fixes_what_the_whole_scan_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexed = _fixed_repo(tmp_path / "indexed", monkeypatch, cache=True)
    whole = _fixed_repo(tmp_path / "whole", monkeypatch, cache=False)
    assert indexed == whole
    assert indexed[0] == ["DS103"]
    assert "        retries: seconds to wait.\n" in indexed[1]
