"""Just-in-time coverage (DS504, DS708): the public API a change adds, in real git repositories.

The rules' own examples (tests/test_rules_examples.py) cover one module each; these
cover what needs a package, a site or the whole pipeline: tests and private modules,
``__all__``, bases from outside the project, the summary line, mkdocstrings pages,
and that nothing fires outside base mode.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docsync.commands.check import BaseOptions, CheckResult, run_check
from docsync.config import Config
from helpers_git import GitRepo, new_repo

_BASE_API = '''
def load(path):
    """Load a data set."""
    return path
'''


def _repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("shop/__init__.py", "")
    repo.write("shop/api.py", _BASE_API)
    repo.commit("base")
    return repo


def _check(repo: GitRepo, *, pages: bool = False) -> CheckResult:
    config = Config(root=repo.path, cache=False, pages=pages)
    return run_check(config, change=BaseOptions("HEAD"), use_baseline=False)


def _codes(result: CheckResult, code: str) -> list[str]:
    return sorted(f.symbol for f in result.findings if f.code == code)


def test_each_kind_of_new_symbol_is_reported_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    repo.write(
        "shop/api.py",
        _BASE_API
        + '''
def save(path, data):
    return path


class Store:
    """Where data sets live."""

    def get(self, name):
        return name

    @property
    def size(self):
        return 0

    def put(self, name):
        """Put one."""
        return name
''',
    )
    result = _check(repo)
    assert _codes(result, "DS504") == [
        "shop.api.Store.get",
        "shop.api.Store.size",
        "shop.api.save",
    ]
    assert result.notes == ("this change adds 5 public symbols: 2 documented, 3 not",)
    kinds = {f.symbol: f.message for f in result.findings if f.code == "DS504"}
    assert "new public property" in kinds["shop.api.Store.size"]
    assert "new public function" in kinds["shop.api.save"]


def test_new_class_folds_its_new_methods_into_one_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    repo.write("shop/cart.py", "class Cart:\n    def add(self, sku):\n        return sku\n")
    result = _check(repo)
    found = [f for f in result.findings if f.code == "DS504"]
    assert [f.symbol for f in found] == ["shop.cart.Cart"]
    assert "nor do its new public methods `add`" in found[0].message
    assert result.notes == ("this change adds 2 public symbols: 0 documented, 2 not",)


def test_tests_scripts_private_modules_and_all_are_not_public(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    repo.write("tests/test_api.py", "def helper(x):\n    return x\n")
    repo.write("shop/test_tools.py", "def fixture(x):\n    return x\n")
    repo.write("shop/conftest.py", "def setup_db(x):\n    return x\n")
    repo.write("shop/_impl.py", "def engine(x):\n    return x\n")
    repo.write("examples/graph/plot_demo.py", "def draw(x):\n    return x\n")
    repo.write("examples/__init__.py", "")
    repo.write("examples/orm.py", "class Model:\n    pass\n")
    repo.write("shop/_private/tools.py", "def tool(x):\n    return x\n")
    repo.write("shop/_private/__init__.py", "")
    repo.write(
        "shop/public.py",
        "__all__ = ['listed']\n\n\ndef listed(x):\n    return x\n\n\n"
        "def unlisted(x):\n    return x\n",
    )
    result = _check(repo)
    assert _codes(result, "DS504") == ["shop.public.listed"]
    assert result.notes == ("this change adds 1 public symbol: 0 documented, 1 not",)


def test_methods_that_may_override_are_not_asked_for_docs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    repo.write(
        "shop/views.py",
        '''
from django.views import View


class Base:
    """A base."""

    def render(self):
        """Render it."""
        return ""


class Page(View):
    """A page."""

    def get(self, request):
        return request


class Child(Base):
    """A child."""

    def render(self):
        return "child"

    def extra(self):
        return 1
''',
    )
    result = _check(repo)
    # Page.get may override View.get (a base from outside the project); Child.render
    # overrides Base.render, whose docs apply; Child.extra is new and its own.
    assert _codes(result, "DS504") == ["shop.views.Child.extra"]


def test_a_change_that_adds_no_public_api_has_no_coverage_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    repo.write("shop/api.py", _BASE_API.replace("return path", "return str(path)"))
    result = _check(repo)
    assert result.notes == ()
    assert not _codes(result, "DS504")


def test_never_outside_base_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path, monkeypatch)
    repo.write("shop/cart.py", "def add(sku):\n    return sku\n")
    _site(repo, "::: shop.api.load\n")
    repo.commit("more")
    result = run_check(Config(root=repo.path, cache=False, pages=True), use_baseline=False)
    assert not [f for f in result.findings if f.code in ("DS504", "DS708")]
    assert result.notes == ()


# --- DS708: pages, with mkdocstrings -----------------------------------------------------


def _site(repo: GitRepo, page: str) -> None:
    repo.write(
        "mkdocs.yml",
        "site_name: Shop\nplugins:\n  - mkdocstrings:\n      handlers:\n        python:\n"
        "          paths: [.]\n",
    )
    repo.write("docs/index.md", "# Shop\n")
    repo.write("docs/api.md", page)


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


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "::: shop.cart.Cart\n    options:\n      members: [add]\n",
            {"shop.cart.Cart.merge": "docs/api.md:1", "shop.cart.checkout": "docs/api.md:1"},
        ),
        ("::: shop.cart.Cart\n\n::: shop.api.load\n", {"shop.cart.checkout": "docs/api.md:1"}),
        ("::: shop.cart\n", {}),
        ("::: shop.cart.Cart\n\nCall `shop.cart.checkout(cart)` to pay.\n", {}),
        ("# Shop\n\nUse `shop.cart.Cart` in prose only.\n", {}),
    ],
    ids=["members-list", "class-block", "module-block", "named-inline", "prose-only"],
)
def test_page_reachability(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str, expected: dict[str, str]
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("shop/__init__.py", "")
    repo.write("shop/api.py", _BASE_API)
    repo.write("shop/cart.py", _CART)
    _site(repo, page)
    repo.commit("base")
    repo.write("shop/cart.py", _CART_HEAD)
    result = _check(repo, pages=True)
    found = {
        f.symbol: f"{f.location.path}:{f.location.line}"
        for f in result.findings
        if f.code == "DS708"
    }
    assert found == expected
    messages = [f.message for f in result.findings if f.code == "DS708"]
    if "shop.cart.Cart.merge" in expected:
        assert (
            "`shop.cart.Cart.merge` is new; `shop.cart.Cart` is documented on docs/api.md, "
            "which does not show it" in messages
        )


def test_page_block_through_a_package_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("shop/__init__.py", "from shop.cart import Cart\n\n__all__ = ['Cart']\n")
    repo.write("shop/cart.py", _CART)
    _site(repo, "::: shop\n\n::: shop.cart.Cart\n    options:\n      members: [add]\n")
    repo.commit("base")
    repo.write("shop/cart.py", _CART_HEAD)
    # `shop` hands out checkout too (so it is public API), outside its __all__.
    repo.write("shop/__init__.py", "from shop.cart import Cart, checkout\n\n__all__ = ['Cart']\n")
    result = _check(repo, pages=True)
    # Cart.merge is shown through `shop`'s __all__ (the second block's members list does
    # not matter then); checkout's sibling Cart is shown by the second block, not it.
    found = {f.symbol: f.location.line for f in result.findings if f.code == "DS708"}
    assert found == {"shop.cart.checkout": 3}


def test_a_package_block_alone_does_not_ask_for_what_all_leaves_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("shop/__init__.py", "from shop.cart import Cart\n\n__all__ = ['Cart']\n")
    repo.write("shop/cart.py", _CART)
    _site(repo, "::: shop\n")
    repo.commit("base")
    repo.write("shop/cart.py", _CART_HEAD)
    result = _check(repo, pages=True)
    assert not [f for f in result.findings if f.code == "DS708"]


def test_a_private_module_re_exported_by_all_is_public(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    repo.write(
        "shop/__init__.py",
        "from shop._impl import Engine, start\n\n__all__ = ['Engine', 'start']\n",
    )
    repo.write(
        "shop/_impl.py",
        "class Engine:\n    def run(self):\n        return 1\n\n\n"
        "def start(x):\n    return x\n\n\ndef stop(x):\n    return x\n",
    )
    result = _check(repo)
    assert _codes(result, "DS504") == ["shop._impl.Engine", "shop._impl.start"]
    assert result.notes == ("this change adds 3 public symbols: 0 documented, 3 not",)


def test_without_all_only_what_the_packages_hand_out_is_public(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLAlchemy: ``sqlalchemy/__init__`` imports its API; internals have no ``__all__``."""
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("shop/__init__.py", "from shop.api import load\n")
    repo.write("shop/api.py", _BASE_API)
    repo.write("shop/engine/__init__.py", "")
    repo.write("shop/engine/internals.py", "X = 1\n")
    repo.commit("base")
    repo.write("shop/__init__.py", "from shop.api import Cart, load\n")
    repo.write(
        "shop/api.py",
        _BASE_API
        + """

class Cart:
    def total(self):
        return 0

    def _cache(self):
        return 1
""",
    )
    repo.write("shop/engine/internals.py", "X = 1\n\n\ndef compile_plan(plan):\n    return plan\n")
    result = _check(repo)
    assert _codes(result, "DS504") == ["shop.api.Cart"]
    assert "`total`" in next(f.message for f in result.findings if f.code == "DS504")
    assert result.notes == ("this change adds 2 public symbols: 0 documented, 2 not",)


def test_a_package_its_parent_imports_only_under_a_private_name_is_internal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLAlchemy: ``from . import util as _util``; ``sqlalchemy.util`` hands out helpers."""
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("shop/__init__.py", "from . import util as _util\nfrom shop.api import load\n")
    repo.write("shop/api.py", _BASE_API)
    repo.write("shop/util/__init__.py", "from .compat import py3k\n")
    repo.write("shop/util/compat.py", "py3k = True\n")
    repo.write("shop/orders/__init__.py", "from .core import Order\n")
    repo.write("shop/orders/core.py", 'class Order:\n    """An order."""\n')
    repo.commit("base")
    helpers = "py3k = True\n\n\ndef has_refcount_gc():\n    return True\n"
    repo.write("shop/util/compat.py", helpers)
    repo.write("shop/util/__init__.py", "from .compat import has_refcount_gc, py3k\n")
    # Not imported by `shop` at all, like `sqlalchemy.orm`: still API.
    repo.write(
        "shop/orders/core.py",
        'class Order:\n    """An order."""\n\n    def cancel(self):\n        return None\n',
    )
    result = _check(repo)
    assert _codes(result, "DS504") == ["shop.orders.core.Order.cancel"]
    # A public name for it anywhere in the parent keeps it public.
    repo.write(
        "shop/__init__.py",
        "from . import util as _util\nfrom . import util\nfrom shop.api import load\n",
    )
    again = _check(repo)
    assert _codes(again, "DS504") == [
        "shop.orders.core.Order.cancel",
        "shop.util.compat.has_refcount_gc",
    ]
