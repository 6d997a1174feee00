"""Examples of the page rules (DS7xx): small MkDocs projects, each flagged or not.

Most examples document :data:`SAMPLE_PACKAGE`, a tiny ``shop`` package.  The
test suite writes each example to a temporary directory (``mkdocs.yml``,
``docs/index.md``, the modules) and checks its pages with
:func:`docsync.commands.check.check_site_pages`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from docsync.changes.diff import ChangeKind, SymbolChange
from docsync.models import Location, Parameter, ParamKind, Signature, Symbol, SymbolKind
from docsync.rules.examples import code
from docsync.rules.rule import PageExample

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet

__all__ = ["SAMPLE_PACKAGE", "example_changes", "example_modules"]

SAMPLE_PACKAGE: Mapping[str, str] = {
    "src/shop/__init__.py": "from shop.cart import Cart, checkout\n\n__all__ = ['Cart']\n",
    "src/shop/cart.py": code(
        """
        class Cart:
            def __init__(self, owner, *, currency="EUR"):
                self.owner = owner
                self.items = []

            def add(self, sku, quantity=1):
                self.items.append((sku, quantity))

            def total(self, **discounts):
                return 0


        def checkout(cart, payment, /, *, receipt=True):
            return cart
        """
    ),
}
"""The package most examples document: ``shop`` with ``Cart`` and ``checkout``."""


def example_modules(example: PageExample) -> Mapping[str, str]:
    """The Python files of an example's project.

    Args:
        example: A page-rule example.

    Returns:
        Repo-relative path -> source: the example's modules, or :data:`SAMPLE_PACKAGE`.
    """
    return SAMPLE_PACKAGE if example.modules is None else example.modules


def example_changes(example: PageExample) -> ChangeSet | None:
    """The change set an example describes, or ``None`` when it is not in base mode.

    Args:
        example: A page-rule example.

    Returns:
        A change set with the example's renames, removals, signature changes and additions.
    """
    if not (
        example.renamed or example.changed or example.page_changed or example.added
    ) and not (example.deleted or example.requires_python):
        return None
    changes = [
        _change(old, new, ChangeKind.REMOVED if new is None else ChangeKind.RENAMED)
        for old, new in example.renamed
    ]
    # GitPython comes with docsync.changes.changeset: imported here, not on every check's path.
    from docsync.changes.changeset import ChangeSet, FileChange, FileStatus

    changes += [_change(name, name, ChangeKind.SIGNATURE_CHANGED) for name in example.changed]
    changes += [_change(name, name, ChangeKind.ADDED) for name in example.added]
    files = [FileChange(path, FileStatus.MODIFIED) for path in example_modules(example)]
    if example.page_changed:
        files.append(FileChange("docs/index.md", FileStatus.MODIFIED))
    files += [FileChange(path, FileStatus.DELETED) for path in example.deleted]
    if example.requires_python is None:
        return ChangeSet("base", "main", "working tree", tuple(files), tuple(changes))
    files.append(FileChange("pyproject.toml", FileStatus.MODIFIED))
    return ChangeSet(
        "base", "main", "working tree", tuple(files), tuple(changes), {}, example.requires_python
    )


def _change(old: str, new: str | None, kind: ChangeKind) -> SymbolChange:
    def symbol(name: str, *params: str) -> Symbol:
        signature = Signature(tuple(Parameter(p, ParamKind.POSITIONAL_OR_KEYWORD) for p in params))
        return Symbol(
            name, SymbolKind.FUNCTION, Location("src/shop/cart.py", 1, 1), None, signature
        )

    before = symbol(old, "cart") if kind is not ChangeKind.ADDED else None
    after = symbol(new, "cart", "payment") if new else None  # a new parameter, for reviews
    return SymbolChange(old, frozenset({kind}), before, after, new)


def _py(source: str) -> str:
    return f"```python\n{code(source).strip()}\n```\n"


_LAZY_INIT = (
    "from shop.cart import Cart, checkout\n\n_lazy = {'Wallet': ('shop', '.wallet')}\n\n\n"
    "def __getattr__(name):\n    if name in _lazy:\n        return _lazy[name]\n"
    "    raise AttributeError(name)\n"
)
_LAZY_PACKAGE = {**SAMPLE_PACKAGE, "src/shop/__init__.py": _LAZY_INIT}
_OPAQUE_PACKAGE = {
    **SAMPLE_PACKAGE,
    "src/shop/__init__.py": "import importlib\n\n\ndef __getattr__(name):\n"
    "    return importlib.import_module('shop.' + name)\n",
}
_EXTERNAL_BASE = {
    **SAMPLE_PACKAGE,
    "src/shop/models.py": "from pydantic import BaseModel\n\n\nclass Order(BaseModel):\n"
    "    id: int\n\n    def total(self):\n        return 0\n",
}
_HOOKS = {
    **SAMPLE_PACKAGE,
    "src/shop/hooks.py": "class Hook:\n    def on_sale(self, *, cart, till, note=None):\n"
    "        pass\n",
}

_WEB = {
    **SAMPLE_PACKAGE,
    "src/shop/web.py": "class Request:\n    pass\n\n\n"
    "def render(request: Request, name: str):\n    return name\n",
}

# --- DS701 unknown-reference --------------------------------------------------------------

UNKNOWN_REFERENCE_FLAG = (
    PageExample("::: shop.cart.Basket\n", "a mkdocstrings block naming a missing class"),
    PageExample("Pay with `shop.cart.check_out()`.\n", "inline code naming a missing function"),
    PageExample("See [the cart][shop.Cart.remove].\n", "an autorefs link to a missing method"),
    PageExample(
        "Call `pay()` when the cart is full.\n",
        "a bare call the change renamed (base mode)",
        renamed=(("shop.cart.pay", "shop.cart.checkout"),),
    ),
    PageExample(
        "Pay with `shop.Wallet` or `shop.Voucher`.\n",
        "a name a readable package `__getattr__` does not serve",
        modules=_LAZY_PACKAGE,
    ),
    PageExample(
        "Checkout steps:\n\n- `shop.cart.pay`\n",
        "a list item whose lead-in is not about the past (base mode)",
        renamed=(("shop.cart.pay", None),),
    ),
    PageExample(
        "Refund with `Order.refund`.\n",
        "a member the project's class no longer defines, whatever its bases (base mode)",
        modules=_EXTERNAL_BASE,
        renamed=(("shop.models.Order.refund", None),),
    ),
    PageExample(
        "Put the items in a `Basket`.\n",
        "a bare class name naming the one symbol the change removed (base mode)",
        renamed=(("shop.cart.Basket", None),),
    ),
    PageExample(
        "```pycon\n>>> type(shop.Cart('ann'))\n<class 'shop.basket.Cart'>\n```\n",
        "a session's output showing a class where the project no longer has it",
    ),
    PageExample(
        "```pycon\n>>> shop.cart\n<module 'shop.carts' from '/src/shop/carts.py'>\n```\n",
        "a session's output showing a module the project does not have",
    ),
)
UNKNOWN_REFERENCE_KEEP = (
    PageExample(
        "```pycon\n>>> type(shop.Cart('ann'))\n<class 'shop.cart.Cart'>\n>>> shop.Cart('ann')\n"
        "<shop.cart.Cart object at 0x7f3a>\n>>> shop.cart\n"
        "<module 'shop.cart' from '/src/shop/cart.py'>\n>>> import collections\n"
        ">>> collections.OrderedDict\n<class 'collections.OrderedDict'>\n"
        ">>> print(\"<class 'shop.gone.Thing'>\")  # a statement, not output\n"
        "<class 'shop.cart.Cart'>\n```\n",
        "session output naming where project classes live, and other libraries' classes",
    ),
    PageExample(
        "Join paths with `os.path.join` and fetch with `requests.get()`.\n",
        "names of other libraries",
    ),
    PageExample(
        "::: shop.Cart\n\nUse `shop.Cart.add`, `Cart.total()` and `shop.cart.Cart.owner`.\n",
        "existing names, through re-exports and instance attributes",
    ),
    PageExample("Call `pay()` when the cart is full.\n", "a bare call without a change set"),
    PageExample(
        "`shop.cart.pay()` was renamed to `checkout()` in 2.0.\n", "a paragraph about the past"
    ),
    PageExample(
        "`shop.Till` is new in 2.0 and replaces the old helpers:\n\n"
        "- `shop.cart.pay`\n- `shop.cart.refund`\n",
        "a list that a paragraph about the past introduces (base mode)",
        renamed=(("shop.cart.pay", None),),
    ),
    PageExample("Edit `setup.py` and `shop.toml`.\n", "file names"),
    PageExample(
        "Pay with `shop.Wallet` or `shop.anything`.\n",
        "names a package `__getattr__` serves, or may serve (unreadable: a diagnostic)",
        modules={**_OPAQUE_PACKAGE, "src/shop/sub/__init__.py": _LAZY_INIT},
    ),
    PageExample(
        "Order `total` with `Order.total` and `Order.model_dump`.\n",
        "a member a base from another library may provide, not removed by the change",
        modules=_EXTERNAL_BASE,
        renamed=(("shop.cart.pay", None),),
    ),
    PageExample(
        "Pass an `SSLContext` (see `ssl.SSLContext`), a `Basket` of `None` or a `Cart`.\n",
        "bare names: another library's class, builtins, a name that still exists",
        renamed=(("shop.cart.SSLContext", None), ("shop.cart.Cart", None)),
    ),
    PageExample("A `Basket` holds items.\n", "a bare name without a change set (not base mode)"),
    PageExample(
        "<!-- Pay with `shop.cart.check_out()`:\n\n```python\nshop.check_out(cart)\n```\n-->\n"
        "Pay at the till. <!-- `shop.Basket` -->\n",
        "names inside HTML comments, which readers never see (base mode)",
        renamed=(("shop.cart.check_out", None), ("shop.cart.Basket", None)),
    ),
)

# --- DS702 example-bad-call ---------------------------------------------------------------

BAD_CALL_FLAG = (
    PageExample(
        _py('from shop.web import render\nrender("index.html", context)'),
        "a call that fits by count, but the change moved its string onto `request: Request`"
        " (base mode)",
        modules=_WEB,
        changed=("shop.web.render",),
    ),
    PageExample(
        _py("from shop import checkout\ncheckout(cart, card, receipts=False)"),
        "a keyword the function does not have",
    ),
    PageExample(
        _py('from shop.cart import Cart\ncart = Cart("ann", "USD")\ncart.add()'),
        "too many positional arguments, and a required one missing",
        expected=2,
    ),
    PageExample(
        "Pay with `shop.checkout(cart, card, receipts=False)`.\n",
        "a call in inline code, checked as an example",
    ),
    PageExample(
        _py("import shop as s") + "\nThen:\n\n" + _py("s.checkout(cart, card, receipts=False)"),
        "a page is one script: an import in an earlier block carries forward",
    ),
    PageExample(
        _py("shop.checkout(\n    cart,\n    card,\n    receipts=False,\n)"),
        "the project's package used without an import; one finding spanning the call",
    ),
    PageExample(
        _py(
            "from shop.hooks import Hook\n\nclass Mine(Hook):\n"
            "    def on_sale(self, cart):\n        print(cart)"
        ),
        "an override without a parameter the method requires by keyword",
        modules=_HOOKS,
    ),
)
BAD_CALL_KEEP = (
    PageExample(
        _py('from shop.web import render\nrender("index.html", context)'),
        "a literal on a parameter that may take it (`Request | str`), base mode",
        modules={**_WEB, "src/shop/web.py": _WEB["src/shop/web.py"].replace(
            "request: Request", "request: Request | str"
        )},
        changed=("shop.web.render",),
    ),
    PageExample(
        _py('from shop.web import render\nrender("index.html", context)'),
        "a literal on a parameter that cannot take it, without a change set",
        modules=_WEB,
    ),
    PageExample(
        _py('import shop\ncart = shop.Cart("ann")\ncart.total(coupon="SPRING")'),
        "a keyword that `**discounts` absorbs",
    ),
    PageExample(
        _py("from shop import Cart\nCart(*args, **options)\nCart = dict\nCart(a=1)"),
        "unpacked arguments, and a name the example rebinds",
    ),
    PageExample("```bash\nshop checkout --receipts\n```\n", "a code block in another language"),
    PageExample(
        _py("shop = connect()") + "\n" + _py("shop.checkout(cart, card, receipts=False)"),
        "a name an earlier block binds to something else",
    ),
    PageExample(
        "Call `shop.checkout(cart, card)` or `checkout(cart, card, receipts=False)`.\n",
        "an inline call that fits, and one of a name the page never imports",
    ),
    PageExample(
        _py(
            "from shop.hooks import Hook\n\nclass Mine(Hook):\n"
            "    def on_sale(self, cart, till):\n        print(cart)\n\n"
            "class Yours(Hook):\n    def on_sale(self, **kwargs):\n        pass\n\n"
            "class Other(dict, Hook):\n    def on_sale(self):\n        pass"
        ),
        "overrides that accept the required keywords (an optional one left out, `**kwargs`),"
        " and a class with a base from another library",
        modules=_HOOKS,
    ),
)

# --- DS703 example-bad-import -------------------------------------------------------------

BAD_IMPORT_FLAG = (
    PageExample(_py("from shop import Basket"), "a class the package does not export"),
    PageExample(_py("import shop.payments"), "a module that does not exist"),
    PageExample(_py("import shop\nshop.check_out(cart, card)"), "a function that is gone"),
    PageExample(
        _py("from shop import (\n    Basket,\n    Wallet,\n)\nBasket.empty"),
        "one finding for a multi-line import of two missing names, none for their uses",
    ),
)
BAD_IMPORT_KEEP = (
    PageExample(
        _py("from shop.cart import Cart, checkout\nfrom os.path import join\nimport requests"),
        "existing project names, and other libraries",
    ),
)

# --- DS704 example-bad-attribute ----------------------------------------------------------

BAD_ATTRIBUTE_FLAG = (
    PageExample(
        _py('from shop import Cart\ncart = Cart("ann")\ncart.remove("sku-1")'),
        "a method the class does not have",
    ),
)
BAD_ATTRIBUTE_KEEP = (
    PageExample(
        _py(
            'from shop import Cart\ncart = Cart("ann")\nprint(cart.items, cart.owner)\n'
            'cart.note = "gift"\nprint(cart.note)'
        ),
        "instance attributes, and one the example sets",
    ),
    PageExample(
        _py("from shop.models import Order\norder = Order(id=1)\norder.model_dump()"),
        "a class with a base from another library",
        modules={
            **SAMPLE_PACKAGE,
            "src/shop/models.py": "from pydantic import BaseModel\n\n\n"
            "class Order(BaseModel):\n    id: int\n",
        },
    ),
)

# --- DS709 page-stale-signature -----------------------------------------------------------

STALE_SIGNATURE_FLAG = (
    PageExample(
        "Signature: `Cart(owner, *, currency=..., region=None)`\n",
        "a parameter the code does not have",
    ),
    PageExample(
        "Signature: `shop.checkout(cart, payment, /, receipt=True) -> Cart`\n",
        "a keyword-only parameter shown as positional",
    ),
    PageExample(
        "Add with `Cart.add(item, *, quantity=...)`.\n",
        "a renamed parameter: one finding for the name gone and the required one not shown",
    ),
)
STALE_SIGNATURE_KEEP = (
    PageExample(
        "Signatures: `Cart(owner, *, currency=...)`, `shop.checkout(cart, payment, /, *, "
        "receipt=True)` and `Cart.total(**discounts) -> int`.\n",
        "signatures that match the code",
    ),
    PageExample(
        "Make one with `Cart(owner, **options)`; forward with `checkout(*args, **kwargs)`.\n",
        "`*args`/`**kwargs` standing for parameters (judged only when the change removed them)",
    ),
    PageExample(
        "Read `request.form(max_files=1000, *, strict=...)`, `Basket(items, *, size=...)` "
        "and `os.path.join(a, *parts)`.\n",
        "signatures of values, of names the project does not have, and of other libraries",
    ),
    PageExample(
        "Add with `Cart.add(sku, quantity=1)` or `Cart.add(self, sku, quantity=1)`.\n",
        "parameter lists that are also calls, without `--base`: judged as calls",
    ),
    PageExample(
        "Signature: `Cart(owner, *, currency=...)`\n",
        "a signature that matches, while the change altered the class (base mode)",
        changed=("shop.cart.Cart",),
    ),
)

# --- DS710 page-names-deleted-file --------------------------------------------------------

DELETED_FILE_FLAG = (
    PageExample(
        "```bash\npip install -r requirements/docs.txt\n```\n",
        "a command naming a file the change deleted (base mode)",
        deleted=("requirements/docs.txt",),
    ),
    PageExample(
        "Edit `scripts/release.py` first.\n",
        "inline code naming a file the change deleted (base mode)",
        deleted=("scripts/release.py",),
    ),
)
DELETED_FILE_KEEP = (
    PageExample(
        "```bash\npip install -r requirements/test.txt\ncurl https://example.org/requirements/docs.txt\n"
        "```\n\nEdit `docs/requirements.txt`.\n",
        "paths the change did not delete, and a URL that ends like one (base mode)",
        deleted=("requirements/docs.txt",),
    ),
    PageExample(
        "```bash\npip install -r requirements/docs.txt\n```\n",
        "a deleted file without a change set (not base mode)",
    ),
    PageExample(
        "```console\n$ shop check\nscripts/release.py:3: warning\n```\n\n"
        "```text\nrequirements/docs.txt\n```\n",
        "output lines and listings, which show what a past run printed (base mode)",
        deleted=("requirements/docs.txt", "scripts/release.py"),
    ),
    PageExample(
        "Before 2.0 you ran `scripts/release.py`; it was removed.\n",
        "a paragraph about the past (base mode)",
        deleted=("scripts/release.py",),
    ),
)

# --- DS705 broken-link --------------------------------------------------------------------

_GUIDE = {"guide.md": "# Guide\n\n## Setting up\n\nText.\n"}

BROKEN_LINK_FLAG = (
    PageExample("Read the [guide](guide.md).\n", "a page that does not exist"),
    PageExample(
        "Read [setup](guide.md#installing).\n", "a heading that does not exist", pages=_GUIDE
    ),
    PageExample("See [the code](../src/shop/payment.py).\n", "a source file that does not exist"),
)
BROKEN_LINK_KEEP = (
    PageExample(
        "# Shop\n\nRead [setup](guide.md#setting-up), [top](#shop), "
        "[code](../src/shop/cart.py) and [PyPI](https://pypi.org/project/shop/).\n",
        "an existing page, anchors and file, and an external link",
        pages=_GUIDE,
    ),
)

# --- DS706 page-review-changed-symbol -----------------------------------------------------

REVIEW_FLAG = (
    PageExample(
        "Pay with `shop.checkout()`.\n",
        "the change altered a function the page shows (base mode)",
        changed=("shop.cart.checkout",),
    ),
)
REVIEW_KEEP = (
    PageExample(
        "Pay with `shop.checkout()`.\n",
        "the change also updated the page",
        changed=("shop.cart.checkout",),
        page_changed=True,
    ),
    PageExample(
        "::: shop.checkout\n",
        "a mkdocstrings block: rendered from the code, it cannot drift",
        changed=("shop.cart.checkout",),
    ),
)

# --- DS707 example-failed -----------------------------------------------------------------

EXAMPLE_FAILED_FLAG = (
    PageExample(
        "```pycon\n>>> from shop import Cart\n>>> Cart('ann').total()\n10\n```\n",
        "a session whose output differs (with --run-examples)",
        run=True,
    ),
)
EXAMPLE_FAILED_KEEP = (
    PageExample(
        "```pycon\n>>> from shop import Cart\n>>> Cart('ann').total()\n0\n```\n",
        "a session that passes (with --run-examples)",
        run=True,
    ),
    PageExample("```pycon\n>>> 1 + 1\n3\n```\n", "a failing session, without --run-examples"),
)

# --- DS711 page-old-python-version -------------------------------------------------------

_RAISED = (">=3.7", ">=3.8")
OLD_PYTHON_FLAG = (
    PageExample(
        "# shop\n\n**shop** requires **Python 3.7+**.\n",
        "the old minimum, after the change raised `requires-python` to `>=3.8` (base mode)",
        requires_python=_RAISED,
    ),
    PageExample(
        "Install it on Python >= 3.7.\n\nIt runs on CPython 3.7 or newer.\n",
        "two ways of stating the old minimum, one finding per line (base mode)",
        expected=2,
        requires_python=(">=3.7,<4", "~=3.8"),
    ),
)
OLD_PYTHON_KEEP = (
    PageExample(
        "Python 3.10+ is needed for `shop.cart.Cart.total`.\n\n"
        "Dropped support for Python 3.7 (shop used to need Python 3.7+).\n\n"
        "```python\nsetup(python_requires=\">=3.7\")\n```\n\n"
        "```bash\npip 3.7+\n```\n",
        "another version, a dropped version, code blocks (base mode)",
        requires_python=_RAISED,
    ),
    PageExample(
        "**shop** requires **Python 3.8+**.\n",
        "a change that lowered the minimum (base mode)",
        requires_python=(">=3.8", ">=3.7"),
    ),
    PageExample(
        "**shop** requires **Python 3.7+**.\n",
        "a `requires-python` docsync cannot read at the base (base mode)",
        requires_python=(">=3.*", ">=3.8"),
    ),
    PageExample(
        "**shop** requires **Python 3.7+**.\n",
        "a project without `requires-python` at the base (base mode)",
        requires_python=(None, ">=3.8"),
    ),
    PageExample("**shop** requires **Python 3.7+**.\n", "no change set (not base mode)"),
    PageExample(
        "See the [changelog](changelog.md).\n",
        "a history page (base mode)",
        pages={"changelog.md": "# Changelog\n\nshop requires Python 3.7+.\n"},
        requires_python=_RAISED,
    ),
)
