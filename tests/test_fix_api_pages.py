"""The mechanical fix of DS708: new public API joins the ``:::`` block of its siblings.

The pure edits (every form of block the fix writes or leaves), then the whole run in
a real git repository in base mode, with the fixed point and a real ``mkdocs build``
of the result.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from docsync.commands.check import BaseOptions, run_check
from docsync.commands.fix import fixable, run_fix
from docsync.config import Config
from docsync.deliver.report import FixBy, finding_key
from docsync.draft.mechanical.api_pages import api_block_edits
from docsync.models import Evidence, Finding, Location, Severity
from helpers_git import new_repo


def _finding(symbol: str, line: int = 1, page: str = "docs/api.md") -> Finding:
    return Finding(
        code="DS708",
        slug="new-api-off-pages",
        severity=Severity.INFO,
        message=f"`{symbol}` is new",
        location=Location(page, line, line),
        symbol=symbol,
        evidence=Evidence(),
        fingerprint=f"fp-{symbol}",
    )


def _fixed(page: str, *symbols: str, line: int = 1) -> str:
    edits, left = api_block_edits("docs/api.md", page, [_finding(s, line) for s in symbols])
    assert not left, left
    [edit] = edits
    lines = page.splitlines(keepends=True)
    before = "".join(lines[: edit.line - 1])
    assert "".join(lines[edit.line - 1 : edit.end_line]) == edit.old_text
    return before + edit.new_text + "".join(lines[edit.end_line :])


@pytest.mark.parametrize(
    ("page", "symbols", "expected"),
    [
        (
            "::: shop.cart.Cart\n    options:\n      members: [add]\n\nMore text.\n",
            ("shop.cart.Cart.merge",),
            "::: shop.cart.Cart\n    options:\n      members: [add, merge]\n\nMore text.\n",
        ),
        (
            "::: shop.cart.Cart\n    options:\n      members:\n        - add\n"
            "      show_source: false\n",
            ("shop.cart.Cart.merge", "shop.cart.Cart.total"),
            "::: shop.cart.Cart\n    options:\n      members:\n        - add\n        - merge\n"
            "        - total\n      show_source: false\n",
        ),
        (
            "## ::: shop.cart.Cart\n    options:\n      heading_level: 3\n      members: [add]\n",
            ("shop.cart.checkout",),
            "## ::: shop.cart.Cart\n    options:\n      heading_level: 3\n      members: [add]\n"
            "\n## ::: shop.cart.checkout\n    options:\n      heading_level: 3\n",
        ),
        (
            "::: shop.cart.Cart\r\n    options:\r\n      members: [add]\r\n",
            ("shop.cart.Cart.merge", "shop.cart.checkout"),
            "::: shop.cart.Cart\r\n    options:\r\n      members: [add, merge]\r\n"
            "\r\n::: shop.cart.checkout\r\n",
        ),
        (
            "# API\n\n::: shop.api.load\n\n::: shop.api.save",
            ("shop.api.copy",),
            "# API\n\n::: shop.api.load\n\n::: shop.api.save\n\n::: shop.api.copy",
        ),
    ],
    ids=["flow-members", "block-members", "heading-and-options", "crlf-both", "no-final-newline"],
)
def test_the_fix_writes_the_block_as_its_siblings_are_written(
    page: str, symbols: tuple[str, ...], expected: str
) -> None:
    line = page.splitlines().index("::: shop.api.save") + 1 if "save" in page else 1
    assert _fixed(page, *symbols, line=line) == expected


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        ("::: shop.cart.Cart\n    options:\n      members: !!python/name add\n", "form"),
        ("# Shop\n\nText.\n", "not on a `:::` line"),
    ],
)
def test_forms_it_does_not_know_are_left_for_a_person(page: str, reason: str) -> None:
    edits, left = api_block_edits("docs/api.md", page, [_finding("shop.cart.Cart.merge")])
    assert not edits and reason in left[0][1]


_CART = '''
class Cart:
    """A cart."""

    def add(self, sku):
        """Add one."""
        return sku
'''
_CART_HEAD = (
    _CART
    + '''
    def merge(self, other):
        """Merge another cart into this one."""
        return other


def checkout(cart):
    """Pay."""
    return cart
'''
)
_PAGE = "# API\n\n::: shop.cart.Cart\n    options:\n      members: [add]\n\nThe end.\n"


def test_fix_shows_the_new_api_and_the_site_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("shop/__init__.py", "")
    repo.write("shop/cart.py", _CART)
    repo.write(
        "mkdocs.yml",
        "site_name: Shop\nnav:\n  - api.md\nplugins:\n  - mkdocstrings:\n      handlers:\n"
        "        python:\n          paths: [.]\n",
    )
    repo.write("docs/api.md", _PAGE)
    repo.commit("base")
    repo.write("shop/cart.py", _CART_HEAD)
    config = Config(root=repo.path, cache=False, pages=True)
    check = run_check(config, change=BaseOptions("HEAD"), use_baseline=False)
    found = [f for f in check.findings if f.code == "DS708"]
    assert len(found) == 2
    marks = fixable(config, check)
    assert all(marks.get(finding_key(f)) is FixBy.MECHANICAL for f in found)
    result = run_fix(config, check=check)
    assert sorted(f.symbol for e in result.edits_applied for f in e.findings) == [
        "shop.cart.Cart.merge",
        "shop.cart.checkout",
    ]
    page = (repo.path / "docs/api.md").read_text(encoding="utf-8")
    assert page == (
        "# API\n\n::: shop.cart.Cart\n    options:\n      members: [add, merge]\n\n"
        "::: shop.cart.checkout\n\nThe end.\n"
    )
    again = run_check(config, change=BaseOptions("HEAD"), use_baseline=False)
    assert not [f for f in again.findings if f.code == "DS708"]
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=repo.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "site" / "api" / "index.html").read_text(encoding="utf-8")
    assert "Merge another cart into this one." in html and "Pay." in html
