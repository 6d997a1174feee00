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

    def add(self, sku: str, count: int = 1, note: str = "") -> None:
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

Signature: `Cart.add(sku, count=1, note='')`

Signature: `shop.checkout(cart, card, *, receipt=True, **options) -> str`
"""


def test_a_copied_signature_the_change_extended(shop: GitRepo) -> None:
    shop.write("docs/index.md", SIGNATURES)
    shop.commit("signatures")
    shop.write(
        "src/shop/cart.py",
        CART.replace('note: str = "")', 'note: str = "", gift: bool = False)'),
    )
    assert messages() == [
        "the signature `Cart.add(sku, count=1, note='')` no longer matches "
        "`Cart.add(sku, count=1, note='', gift=False)`: the change added `gift`"
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
    shop.write("docs/index.md", "Signature: `Cart(owner: str, currency: str = 'EUR')`\n")
    shop.commit("signature")
    shop.write("src/shop/cart.py", CART.replace("owner: str, currency", "owner: str, *, currency"))
    assert messages() == [
        "the signature `Cart(owner: str, currency: str = 'EUR')` no longer matches "
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
        # A call passing every parameter, one at its default: still a call.
        (
            'Make one: `Cart(owner, currency="EUR")`.\n',
            CART.replace('currency: str = "EUR")', 'currency: str = "EUR", vat: bool = False)'),
        ),
        # Shown parameters that `**options` absorbs.
        ("Signature: `shop.checkout(cart, card, *, receipt=..., note=...)`\n", CART),
        # The change touched the callable but not what the page shows.
        (
            "Signature: `shop.checkout(cart, card, *, receipt=True, **options) -> str`\n",
            CART.replace("return card", "return card.strip()"),
        ),
        # A bare name the page also writes as another library's.
        (
            "Like `httpx.checkout`, call `checkout(cart, card, *, receipt=True)`.\n",
            CART.replace("card: str", "token: str").replace("return card", "return token"),
        ),
        # Another library's callable of the same name; a value's method.
        (
            "Use `requests.Session(*, timeout=...)` and `cart.add(sku, *, count=...)`.\n",
            CART.replace('note: str = "")', 'note: str = "", gift: bool = False)'),
        ),
    ],
)
def test_signatures_the_change_did_not_make_stale(shop: GitRepo, page: str, cart: str) -> None:
    shop.write("docs/index.md", page)
    shop.commit("page")
    shop.write("src/shop/cart.py", cart)
    assert messages() == []


# --- calls that fit by count but not by meaning (DS702, base mode) ---------------------------

TEMPLATING = '''\
import enum
from typing import Any, Optional, Protocol, TypeVar

T = TypeVar("T")


class Request:
    """A request."""


class Mode(str, enum.Enum):
    """A mode."""

    FAST = "fast"


class Renderable(Protocol):
    """Anything with a name."""


class Templates:
    """Templates."""

    def __init__(self, directory: str) -> None:
        """Load the templates."""

    def render(self, name: str, context: Optional[dict] = None) -> str:
        """Render a template."""
        return name
'''
EXAMPLE = """\
# Templates

```python
from shop.templating import Templates

templates = Templates("templates")
templates.render("index.html", {"user": "ann"})
```
"""


def render_with(first: str) -> str:
    """The head's ``render`` with a new first parameter ``request`` annotated ``first``."""
    new = f"def render(self, {first}, name: str, context: Optional[dict] = None)"
    return TEMPLATING.replace("def render(self, name: str, context: Optional[dict] = None)", new)


def test_a_literal_the_change_moved_onto_a_parameter_that_cannot_take_it(shop: GitRepo) -> None:
    shop.write("src/shop/templating.py", TEMPLATING)
    shop.write("docs/index.md", EXAMPLE)
    shop.commit("templating")
    shop.write("src/shop/templating.py", render_with("request: Request"))
    result = CliRunner().invoke(main, ["check", "--base", "HEAD", "--format", "json"])
    found = [f for f in json.loads(result.output)["findings"] if f["code"] == "DS702"]
    assert [(f["line"], f["message"]) for f in found] == [
        (
            7,
            "the example calls `Templates.render()`, which now receives positional argument 1 "
            "(a str) as `request: Request`, which cannot take it (it went to `name` before the "
            "change); now receives positional argument 2 (a dict) as `name: str`, which cannot "
            "take it (it went to `context` before the change)",
        )
    ]


@pytest.mark.parametrize(
    "first",
    [
        "request",  # unannotated
        "request: Any",
        "request: object",
        "request: T",  # a type variable
        "request: Optional[str]",
        "request: Request | str",
        "request: 'Request | str'",
        "request: Mode",  # a str enum takes its values
        "request: Renderable",  # a protocol
        "request: httpx.Request",  # another library's class
        "name: str, request: Request",  # the literal still lands on `name`
    ],
)
def test_literals_that_may_still_fit(shop: GitRepo, first: str) -> None:
    shop.write("src/shop/templating.py", TEMPLATING)
    shop.write("docs/index.md", EXAMPLE.replace('{"user": "ann"}', "context"))
    shop.commit("templating")
    head = render_with(first)
    if first.startswith("name"):
        head = head.replace(", name: str, context", ", context")
    shop.write("src/shop/templating.py", head)
    assert [f for f in findings() if f[0] == "DS702"] == []


def test_only_literals_and_only_what_the_base_could_take(shop: GitRepo) -> None:
    # A variable may hold a request; a base parameter that could not take the literal
    # either (`name: int`) says the example was wrong before the change.
    shop.write(
        "src/shop/templating.py", TEMPLATING.replace("name: str, context", "name: int, context")
    )
    page = EXAMPLE.replace('{"user": "ann"}', "context")
    shop.write("docs/index.md", page + "\n```python\ntemplates.render(page, ctx)\n```\n")
    shop.commit("templating")
    shop.write(
        "src/shop/templating.py",
        render_with("request: Request").replace("name: str, context", "name: int, context"),
    )
    assert [f for f in findings() if f[0] == "DS702"] == []


# --- what a session prints: <class 'pkg.mod.Name'> ----------------------------------------

SESSION = """\
# Carts

```pycon
>>> import shop
>>> type(shop.Cart("ann"))
<class 'shop.cart.Cart'>
>>> shop.Cart("ann")
<shop.cart.Cart object at 0x7f00>
>>> type(shop.checkout)
<class 'function'>
```
"""


def test_a_class_the_change_moved_is_stale_in_a_sessions_output(shop: GitRepo) -> None:
    shop.write("docs/index.md", SESSION)
    shop.commit("session")
    shop.remove("src/shop/cart.py")
    shop.write("src/shop/models.py", CART)
    shop.write("src/shop/__init__.py", SHOP.replace("shop.cart", "shop.models"))
    result = CliRunner().invoke(main, ["check", "--base", "HEAD", "--format", "json"])
    found = [(f["code"], f["line"]) for f in json.loads(result.output)["findings"]]
    assert found == [("DS701", 6), ("DS701", 8)]
    message = json.loads(result.output)["findings"][0]["message"]
    assert message == "the session's output names `shop.cart.Cart`, but `shop` has no `cart`"


def test_session_output_the_change_left_alone(shop: GitRepo) -> None:
    shop.write("docs/index.md", SESSION)
    shop.commit("session")
    shop.write("src/shop/cart.py", CART + "\n\nTAX = 0.2\n")
    assert findings() == []


def test_a_signature_already_wrong_at_the_base_that_the_change_made_worse(shop: GitRepo) -> None:
    # `receipt` was keyword-only at the base already (old drift, not reported alone);
    # the change removing `**options` is new.
    page = "Signature: `shop.checkout(cart, card, receipt=True, **options)`\n"
    shop.write("docs/index.md", page)
    shop.commit("signature")
    shop.write("src/shop/cart.py", CART.replace("return card", "return card  # same"))
    assert messages() == []
    shop.write("src/shop/cart.py", CART.replace(", **options)", ")"))
    assert messages() == [
        "the signature `shop.checkout(cart, card, receipt=True, **options)` no longer matches "
        "`checkout(cart, card, *, receipt=True)`: `receipt` is keyword-only; "
        "the change removed `**options`"
    ]


# --- files a page names that the change deleted (DS710) -------------------------------------

CONTRIBUTING = """\
# Contributing

```bash
pip install -r requirements/docs.txt
python scripts/release.py --dry-run
```

Tests need `requirements/test.txt`; the site is built from `mkdocs.yml`.
"""


def test_a_command_naming_a_file_the_change_deleted_or_moved(shop: GitRepo) -> None:
    for path in ("requirements/docs.txt", "requirements/test.txt", "scripts/release.py"):
        shop.write(path, "x\n")
    shop.write("docs/index.md", CONTRIBUTING)
    shop.commit("requirements")
    shop.remove("requirements/docs.txt")
    (shop.path / "tools").mkdir()
    shop.git("mv", "scripts/release.py", "tools/release.py")
    result = CliRunner().invoke(main, ["check", "--base", "HEAD", "--format", "json"])
    found = [f for f in json.loads(result.output)["findings"] if f["code"] == "DS710"]
    assert [(f["line"], f["message"]) for f in found] == [
        (4, "the page names `requirements/docs.txt`, which this change deleted"),
        (5, "the page names `scripts/release.py`, which this change moved to `tools/release.py`"),
    ]


def test_files_the_change_left_alone_or_never_had(shop: GitRepo) -> None:
    shop.write("requirements/docs.txt", "x\n")
    shop.write("docs/index.md", CONTRIBUTING)
    shop.commit("requirements")
    shop.write("requirements/docs.txt", "y\n")  # edited, not deleted
    shop.write("scripts/other.py", "x\n")  # added
    assert [f for f in findings() if f[0] == "DS710"] == []
