"""Page recall in base mode (issue 14): the stale-page classes found on real release pairs.

Each test commits a small package ``shop`` with a MkDocs site in a real git
repository, makes a change and runs ``docsync check --base HEAD``.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from docsync.cli import main
from helpers_git import GitRepo

SHOP = '''\
"""A shop."""

from shop.cart import Cart, checkout

__all__ = ["Cart", "checkout"]
'''
CART = '''\
class Cart:
    """A cart."""

    def __init__(self, owner: str, currency: str = "EUR") -> None:
        """Make a cart."""

    def add(self, sku: str, count: int = 1) -> None:
        """Add an item."""


def checkout(cart: Cart, card: str, *, receipt: bool = True, **options) -> str:
    """Check out."""
    return card
'''
GUIDE = "# Guide\n\n## Setup\n\nInstall it.\n\n## Paying\n\nPay.\n"


@pytest.fixture
def shop(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """A committed project: the package ``shop``, and a site with an index and a guide."""
    repo.write("pyproject.toml", "[tool.docsync]\npaths = ['src']\n")
    repo.write("mkdocs.yml", "site_name: Shop\n")
    repo.write("src/shop/__init__.py", SHOP)
    repo.write("src/shop/cart.py", CART)
    repo.write("docs/index.md", "# Shop\n")
    repo.write("docs/guide.md", GUIDE)
    repo.commit("base")
    monkeypatch.chdir(repo.path)
    return repo


def findings(*args: str) -> list[tuple[str, str, int]]:
    """``docsync check --base HEAD`` as (code, page, line), without review prompts."""
    result = CliRunner().invoke(main, ["check", "--base", "HEAD", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.output)["findings"]
    return [(f["code"], f["path"], f["line"]) for f in found if f["code"] != "DS706"]


# --- links into what the change deleted, moved or edited -----------------------------------

LINKS = (
    "# Shop\n\nRead [the guide](guide.md), [setup](guide.md#setup) and [pay](guide.md#paying).\n"
)


def test_a_link_from_an_untouched_page_to_a_deleted_page(shop: GitRepo) -> None:
    shop.write("docs/index.md", LINKS)
    shop.commit("links")
    shop.remove("docs/guide.md")
    assert findings() == [("DS705", "docs/index.md", 3)] * 3


def test_a_link_from_an_untouched_page_to_a_moved_page(shop: GitRepo) -> None:
    shop.write("docs/index.md", LINKS)
    shop.commit("links")
    shop.git("mv", "docs/guide.md", "docs/howto.md")
    assert [f[0] for f in findings()] == ["DS705"] * 3


def test_an_anchor_a_touched_page_renamed(shop: GitRepo) -> None:
    shop.write("docs/index.md", LINKS)
    shop.commit("links")
    shop.write("docs/guide.md", GUIDE.replace("## Setup", "## Installation"))
    result = CliRunner().invoke(main, ["check", "--base", "HEAD", "--format", "json"])
    messages = [f["message"] for f in json.loads(result.output)["findings"]]
    assert messages == [
        "broken link `guide.md#setup`: no heading or id `#setup` on `docs/guide.md`"
    ]


def test_links_the_change_did_not_break_stay_quiet(shop: GitRepo) -> None:
    # A link broken before the change, into a page the change edits, is old drift; a
    # page added or a paragraph edited breaks nothing; a same-page anchor on an
    # untouched page cannot have been broken by the change.
    shop.write("docs/index.md", LINKS + "\nSee [old](guide.md#gone) and [top](#nowhere).\n")
    shop.commit("links")
    shop.write("docs/guide.md", GUIDE + "\nMore about paying.\n")
    shop.write("docs/new.md", "# New\n")
    assert findings() == []


def test_without_the_change_a_deleted_page_is_not_reported_twice(shop: GitRepo) -> None:
    # The linking page touched too: one finding per link, as before.
    shop.write("docs/index.md", LINKS)
    shop.commit("links")
    shop.remove("docs/guide.md")
    shop.write("docs/index.md", LINKS + "\nMore.\n")
    assert findings() == [("DS705", "docs/index.md", 3)] * 3


# --- signatures shown in inline code (DS709) -----------------------------------------------


def messages(*args: str) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--base", "HEAD", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return [f["message"] for f in json.loads(result.output)["findings"] if f["code"] == "DS709"]


SIGNATURES = """\
# Cart

Signature: `Cart(owner, currency="EUR")`

Signature: `Cart.add(sku, count=1)`

Signature: `shop.checkout(cart, card, *, receipt=True, **options) -> str`
"""


def test_a_copied_signature_the_change_extended(shop: GitRepo) -> None:
    shop.write("docs/index.md", SIGNATURES)
    shop.commit("signatures")
    shop.write(
        "src/shop/cart.py",
        CART.replace("count: int = 1)", "count: int = 1, gift: bool = False)"),
    )
    assert messages() == [
        "the signature `Cart.add(sku, count=1)` no longer matches "
        "`Cart.add(sku, count=1, gift=False)`: the change added `gift`"
    ]


def test_a_renamed_parameter_and_a_removed_kwargs(shop: GitRepo) -> None:
    shop.write("docs/index.md", SIGNATURES)
    shop.commit("signatures")
    shop.write(
        "src/shop/cart.py",
        CART.replace(
            "card: str, *, receipt: bool = True, **options)", "token: str, *, receipt: bool = True)"
        ).replace("return card", "return token"),
    )
    assert messages() == [
        "the signature `shop.checkout(cart, card, *, receipt=True, **options) -> str` no longer "
        "matches `checkout(cart, token, *, receipt=True)`: `card` is now `token`; "
        "the change removed `**options`"
    ]


def test_a_class_signature_the_change_made_keyword_only(shop: GitRepo) -> None:
    shop.write("docs/index.md", SIGNATURES)
    shop.commit("signatures")
    shop.write("src/shop/cart.py", CART.replace("owner: str, currency", "owner: str, *, currency"))
    assert messages() == [
        'the signature `Cart(owner, currency="EUR")` no longer matches '
        "`Cart(owner, *, currency='EUR')`: `currency` is keyword-only"
    ]


@pytest.mark.parametrize(
    ("page", "cart"),
    [
        # A call that is not a copy of the base's signature (a value, not the default).
        (
            'Make one: `Cart(owner, currency="USD")`.\n',
            CART.replace('currency: str = "EUR")', 'currency: str = "EUR", vat: bool = False)'),
        ),
        # Shown parameters that `**options` absorbs.
        ("Signature: `shop.checkout(cart, card, *, receipt=..., note=...)`\n", CART),
        # The change touched the callable but not what the page shows.
        (
            "Signature: `shop.checkout(cart, card, *, receipt=True, **options) -> str`\n",
            CART.replace("return card", "return card.strip()"),
        ),
        # Another library's callable of the same name; a value's method.
        (
            "Use `requests.Session(*, timeout=...)` and `cart.add(sku, *, count=...)`.\n",
            CART.replace("count: int = 1)", "count: int = 1, gift: bool = False)"),
        ),
    ],
)
def test_signatures_the_change_did_not_make_stale(shop: GitRepo, page: str, cart: str) -> None:
    shop.write("docs/index.md", page)
    shop.commit("page")
    shop.write("src/shop/cart.py", cart)
    assert messages() == []
