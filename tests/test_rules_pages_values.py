"""The page rules on values built in memory: no site on disk, no subprocess."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from docsync.models import Diagnostic, Finding, Project
from docsync.rules.doctests import SessionFailure, judge_sessions
from docsync.rules.examples.pages import SAMPLE_PACKAGE
from docsync.rules.site import check_pages
from docsync.scan.docs import Docs, link_target
from docsync.scan.pages import Site, parse_page
from docsync.scan.python import scan_source

NOWHERE = Path("/nonexistent-docsync-site")


def project_of(modules: dict[str, str]) -> Project:
    """A project scanned from sources in memory (``src/pkg/mod.py`` -> ``pkg.mod``)."""
    scanned = []
    for path, text in modules.items():
        name = PurePosixPath(path).relative_to("src").with_suffix("").as_posix()
        name = name.removesuffix("/__init__").replace("/", ".")
        module = scan_source(text.encode(), path, name).module
        assert module is not None
        scanned.append(module)
    return Project(str(NOWHERE), tuple(scanned))


def docs_of(pages: dict[str, str], existing: frozenset[str] = frozenset()) -> Docs:
    """A site whose pages (``docs/<name>``) exist only in memory."""
    site = Site(root=NOWHERE, config_path=None, docs_dir=NOWHERE / "docs")
    parsed = tuple(parse_page(text, f"docs/{name}") for name, text in pages.items())
    return Docs(site, parsed, existing=existing)


@contextlib.contextmanager
def no_io(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail if the code inside reads a file, asks whether one exists, or starts a process.

    The symbol index may still ask whether a package directory holds files the scan
    did not read (for a name it would otherwise call missing); under a root that
    does not exist the answer is no.
    """

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a page rule touched the disk or started a process")

    with monkeypatch.context() as patched:
        for name in ("read_text", "read_bytes", "open", "exists", "is_file"):
            patched.setattr(Path, name, refuse)
        patched.setattr(subprocess, "run", refuse)
        yield


def checked(
    monkeypatch: pytest.MonkeyPatch, project: Project, docs: Docs, **options: Any
) -> tuple[list[Finding], list[Diagnostic]]:
    """:func:`check_pages` on values, with every kind of IO refused."""
    with no_io(monkeypatch):
        report = check_pages(project, docs, **options)
    return list(report.findings), list(report.diagnostics)


def test_references_calls_and_links_are_judged_from_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = (
        "Use `shop.cart.nothing` or `shop.Cart`.\n\n"
        '```python\nfrom shop import Cart\ncart = Cart("ann", colour="red")\ncart.nope\n```\n\n'
        "[guide](guide.md) [gone](gone.md) [top](#nope)\n"
    )
    docs = docs_of({"index.md": page, "guide.md": "# Guide\n"}, frozenset({"docs/guide.md"}))
    findings, diagnostics = checked(monkeypatch, project_of(dict(SAMPLE_PACKAGE)), docs)
    assert diagnostics == []
    assert [(f.code, f.location.line, f.symbol) for f in findings] == [
        ("DS701", 1, "shop.cart.nothing"),
        ("DS702", 5, "shop.cart.Cart"),
        ("DS704", 6, "shop.cart.Cart.nope"),
        ("DS705", 9, "#nope"),
        ("DS705", 9, "gone.md"),
    ]


def test_a_link_is_broken_exactly_when_the_scan_did_not_find_its_target(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = "[code](../src/shop/cart.py)\n"
    target = link_target("docs/index.md", "../src/shop/cart.py").as_posix()
    assert target == "src/shop/cart.py"
    project = project_of(dict(SAMPLE_PACKAGE))
    found, _ = checked(monkeypatch, project, docs_of({"index.md": page}, frozenset({target})))
    missing, _ = checked(monkeypatch, project, docs_of({"index.md": page}))
    assert found == []
    assert [f.message for f in missing] == [
        "broken link `../src/shop/cart.py`: the file `src/shop/cart.py` does not exist"
    ]


def test_session_outcomes_are_judged_without_running_anything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pages = {
        "drift.md": "```pycon\n>>> from shop import Basket\n>>> Basket.total()\n3\n```\n",
        "deps.md": "```pycon\n>>> import numpy\n```\n",
        "slow.md": "```pycon\n>>> import time\n```\n",
    }
    docs = docs_of(pages)
    outcomes = {
        "docs/drift.md": [SessionFailure(3, "Basket.total()\n", "3\n", "4\n")],
        "docs/deps.md": [
            SessionFailure(2, "import numpy\n", "", "No module", "ModuleNotFoundError", "numpy")
        ],
        "docs/slow.md": Diagnostic("docs/slow.md", 1, "did not finish"),
    }
    with no_io(monkeypatch):
        findings, diagnostics = judge_sessions(docs.pages, outcomes, frozenset({"shop"}))
    assert [(f.code, f.location.path, f.location.line) for f in findings] == [
        ("DS707", "docs/drift.md", 3)
    ]
    assert "expected 3, got 4" in findings[0].message
    assert sorted((d.path, d.line) for d in diagnostics) == [
        ("docs/deps.md", 2),
        ("docs/slow.md", 1),
    ]
    project = project_of(dict(SAMPLE_PACKAGE))
    page_findings, page_diagnostics = checked(monkeypatch, project, docs, sessions=outcomes)
    assert {f.code for f in page_findings} == {"DS703", "DS707"}  # the static rules run too
    assert len(page_diagnostics) == 2
