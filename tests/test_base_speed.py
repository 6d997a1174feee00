"""Base mode's shortcuts give what the slow paths give (issue 19 item 4).

* a definition's body parsed from its own lines equals the one from the whole
  module (:func:`docsync.changes.diff.definition_at`);
* base mode's findings, with the base-side rules run only on the symbols the
  head's findings name (:mod:`docsync.commands.base_rules`), equal those with
  the rules run on the whole base, on generated changes.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from docsync.changes.diff import _dump, definition_at, definitions_by_line
from docsync.commands.against_base import (
    ChangeReport,
    base_view,
    change_findings,
    check_change,
    introduced,
    select_for_change,
)
from docsync.commands.base_rules import base_findings
from docsync.config import Config
from docsync.models import Finding, SymbolKind
from docsync.rules.references import mentions_any
from docsync.rules.registry import run_rules
from docsync.scan.python import scan_source
from helpers_git import GitRepo

SRC = Path(__file__).resolve().parents[1] / "src" / "docsync"

_AWKWARD = b'''\
import x


@decorator(
    arg=1,
)
def outer(a, b=2):
    """Doc."""
    text = """
not indented
    at all
"""

    class Inner(Base):  # a comment
        def method(self):\treturn [
1, 2]

        async def run(self): await x; return 3
    return text \\
        + "tail"


class Tabbed:
\tdef f(self):
\t\tif x:
\t\t\treturn 1
\t\treturn 2
'''


def _symbols(source: bytes) -> list[tuple[int, int]]:
    module = scan_source(source, "m.py", "m").module
    assert module is not None
    return [
        (s.location.line, s.location.end_line)
        for s in module.symbols
        if s.kind is not SymbolKind.MODULE
    ]


@pytest.mark.parametrize(
    "source",
    [
        _AWKWARD,
        _AWKWARD.replace(b"\n", b"\r\n"),
        *[s for p in sorted(SRC.rglob("*.py")) if b"def " in (s := p.read_bytes())][:40],
    ],
)
def test_a_definition_from_its_lines_is_the_one_from_the_module(source: bytes) -> None:
    whole = definitions_by_line(source)
    lines = source.splitlines(keepends=True)
    spans = _symbols(source)
    assert spans
    for line, end in spans:
        node = definition_at(lines, line, end)
        assert node is not None, line
        assert _dump(node) == _dump(whole[line])


def test_lines_that_are_not_one_definition_give_none() -> None:
    lines = _AWKWARD.splitlines(keepends=True)
    assert definition_at(lines, 1, 1) is None  # an import
    assert definition_at(lines, 4, 6) is None  # a decorator alone
    assert definition_at(lines, 0, 3) is None
    assert definition_at(lines, 30, 99) is None
    assert definition_at([b"def f():\xff\n"], 1, 1) is None  # not UTF-8


# --- base-side rules only where head findings can match (base_findings) ---------------------


def _function(rng: random.Random, name: str, params: list[str]) -> str:
    documented = [p for p in params if rng.random() < 0.8]
    if rng.random() < 0.3:
        documented.append("gone_" + name)  # drift the base may already have
    args = "".join(f"        {p}: the {p}.\n" for p in documented)
    returns = "    Returns:\n        a value.\n" if rng.random() < 0.5 else ""
    see = f"    See :func:`{rng.choice(_NAMES)}`.\n\n" if rng.random() < 0.5 else ""
    body = "    return " + " + ".join(params) if params and rng.random() < 0.7 else "    pass"
    return (
        f"def {name}({', '.join(params)}):\n"
        f'    """Do {name}.\n\n{see}    Args:\n{args}{returns}    """\n{body}\n\n\n'
    )


_NAMES = [f"f{i}" for i in range(12)]


def _module(rng: random.Random, names: list[str]) -> str:
    out = '"""A module."""\n\n\n'
    for name in names:
        params = rng.sample(["a", "b", "c", "d"], rng.randint(0, 3))
        out += _function(rng, name, params)
    out += 'class Box:\n    """A box.\n\n    Attributes:\n        size: how big.\n    """\n\n'
    out += "    def __init__(self, size):\n        self.size = size\n"
    return out


def _reference_findings(report: ChangeReport) -> list[Finding]:
    """What base mode found before base_findings: the rules on the whole base."""
    base_side = base_view(report.head, report.base, report.changes)
    new = introduced(report.rule_findings, run_rules(base_side))
    found = select_for_change(new, report.changes, report.head)
    found += change_findings(report.changes, report.head, report.base, findings=new)
    return sorted(found, key=lambda f: (f.location.path, f.location.line, f.code, f.fingerprint))


@pytest.mark.parametrize("seed", range(6))
def test_base_findings_on_only_what_can_match_change_nothing(repo: GitRepo, seed: int) -> None:
    rng = random.Random(seed)
    layout = {f"pkg/m{i}.py": _NAMES[i * 4 : i * 4 + 4] for i in range(3)}
    repo.write("pkg/__init__.py", '"""The package."""\nfrom pkg.m0 import f0\n')
    for path, names in layout.items():
        repo.write(path, _module(rng, names))
    base = repo.commit("base")
    for path, names in layout.items():
        if rng.random() < 0.3:
            continue  # an untouched module
        kept = [n for n in names if rng.random() < 0.8]  # some removed
        kept = [n + "_renamed" if rng.random() < 0.2 else n for n in kept]
        repo.write(path, _module(rng, kept))  # new signatures and docstrings throughout
    repo.write("pkg/extra.py", _module(rng, ["moved_" + _NAMES[seed]]))
    report = check_change(Config(root=repo.path), base, detect=lambda p: run_rules(p))
    assert report.changes.symbols
    assert list(report.findings) == _reference_findings(report)
    base_side = base_view(report.head, report.base, report.changes)
    everything = run_rules(base_side)
    only = base_findings(report.rule_findings, base_side, Config(root=repo.path))
    assert introduced(report.rule_findings, only) == introduced(report.rule_findings, everything)
    assert len(only) < len(everything)


@pytest.mark.parametrize(
    ("names", "text", "expected"),
    [
        (["load", "Box"], "Call `load()` first.", True),
        (["load", "Box"], "Call `loader()` or `reload`.", False),
        (["load"], "pkg.load", True),
        (["a", "ab"], "see ab", True),
        (["size"], "sizes_of", False),
        (["é_name"], "uses é_name.", True),
        (["a·b"], "then a·b here", True),  # not all word characters: the regex decides
        (["a·b"], "then a·bc here", False),
    ],
)
def test_mentions_any_is_the_word_boundary_search(
    names: list[str], text: str, expected: bool
) -> None:
    regex = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, names))) + r")\b")
    assert mentions_any(names)(text) is expected
    assert (regex.search(text) is not None) is expected
