"""Pages whose code changed after them, from real git history (docsync.changes.history)."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import git
import pytest

from docsync.changes import history
from docsync.changes.history import Drift, HistoryReport, StalePage, SymbolDrift, find_stale_pages
from docsync.mkdocs_plugin.notice import (
    NOTICE_CLASS,
    drift_phrases,
    insert_notice,
    phrase_html,
    render_notice,
)
from docsync.models import Parameter, ParamKind, Project, Signature
from docsync.scan.project import scan_project
from helpers_git import GitRepo, new_repo

CART = '''\
"""Carts."""


def checkout(cart: list[str], coupon: str | None = None) -> float:
    """Pay for a cart.

    Args:
        cart: the items.
        coupon: a discount code.
    """
    return 0.0


def total(cart: list[str]) -> int:
    """Count the items."""
    return len(cart)
'''

GUIDE = """\
# Guide

Pay with `shop.cart.checkout`.
"""


def _project(root: Path) -> Project:
    return scan_project(root, [root / "src"])


def _stale(
    root: Path, mentions: dict[str, list[str]], *, docstrings: bool = False
) -> HistoryReport:
    return find_stale_pages(root, _project(root), mentions, docstrings=docstrings)


def _edit(repo: GitRepo, old: str, new: str, path: str = "src/shop/cart.py") -> None:
    file = repo.path / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def _time(repo: GitRepo, sha: str) -> datetime:
    return datetime.fromtimestamp(int(repo.git("show", "-s", "--format=%ct", sha)), timezone.utc)


@pytest.fixture
def shop(repo: GitRepo) -> GitRepo:
    """A repository whose guide page and cart module were committed together."""
    repo.write("src/shop/__init__.py", '"""Shop."""\n')
    repo.write("src/shop/cart.py", CART)
    repo.write("docs/guide.md", GUIDE)
    repo.commit("first")
    return repo


MENTIONS = {"docs/guide.md": ["shop.cart.checkout"]}


def test_signature_change_after_the_page_makes_it_stale(shop: GitRepo) -> None:
    page_commit = shop.git("rev-parse", "HEAD")
    _edit(shop, "coupon: str | None = None)", "coupon: str | None = None, *, fast: bool = False)")
    change = shop.commit("fast checkout")

    report = _stale(shop.path, MENTIONS)

    assert report.skipped is None
    stale = report.stale["docs/guide.md"]
    assert stale.commit == page_commit
    assert stale.written == _time(shop, page_commit)
    [symbol] = stale.symbols
    assert (symbol.qualname, symbol.changed) == ("shop.cart.checkout", (Drift.SIGNATURE,))
    assert (symbol.when, symbol.commit) == (_time(shop, change), change)
    assert symbol.before is not None and symbol.after is not None
    assert [p.name for p in symbol.before.params] == ["cart", "coupon"]
    assert [p.name for p in symbol.after.params] == ["cart", "coupon", "fast"]


def test_docstring_change_is_reported_as_such(shop: GitRepo) -> None:
    _edit(shop, "Pay for a cart.", "Pay for a cart, in euros.")
    shop.commit("docs")

    assert _stale(shop.path, MENTIONS).stale == {}  # by default a docstring edit is not drift
    stale = _stale(shop.path, MENTIONS, docstrings=True).stale["docs/guide.md"]

    assert stale.symbols[0].changed == (Drift.DOCSTRING,)


def test_reformatting_and_comments_are_not_drift(shop: GitRepo) -> None:
    _edit(
        shop,
        "def checkout(cart: list[str], coupon: str | None = None) -> float:",
        "def checkout(  # pay\n    cart: list[str],\n    coupon: str | None=None,\n) -> (float):",
    )
    _edit(shop, "Pay for a cart.", "Pay for a   \n    cart.")  # rewrapped, trailing spaces
    shop.commit("format")

    assert _stale(shop.path, MENTIONS, docstrings=True).stale == {}


def test_body_change_and_unnamed_symbols_leave_the_page_alone(shop: GitRepo) -> None:
    _edit(shop, "return 0.0", "return 1.0")
    _edit(shop, '"""Count the items."""', '"""Count every item."""')
    shop.commit("body of checkout, docstring of total")

    assert _stale(shop.path, MENTIONS).stale == {}


def test_a_page_committed_after_the_change_is_current(shop: GitRepo) -> None:
    _edit(shop, "coupon: str | None = None)", "coupon: str)")
    shop.commit("coupon required")
    _edit(shop, "Pay with", "Always pay with", path="docs/guide.md")
    shop.commit("guide reviewed")

    assert _stale(shop.path, MENTIONS).stale == {}


def test_the_date_is_that_of_the_newest_change_of_the_symbol(shop: GitRepo) -> None:
    _edit(shop, "coupon: str | None = None)", "coupon: str)")
    shop.commit("coupon required")
    _edit(shop, "Pay for a cart.", "Pay for a cart now.")
    newest = shop.commit("docstring")
    _edit(shop, "return len(cart)", "return len(list(cart))")
    shop.commit("an unrelated change to the same file")

    symbol = _stale(shop.path, MENTIONS, docstrings=True).stale["docs/guide.md"].symbols[0]

    assert symbol.changed == (Drift.SIGNATURE, Drift.DOCSTRING)
    assert symbol.commit == newest
    assert symbol.when == _time(shop, newest)


def test_the_date_is_that_of_the_change_that_made_the_symbol_what_it_is(shop: GitRepo) -> None:
    _edit(shop, "coupon: str | None = None)", "coupon: str)")
    shop.commit("coupon required")
    _edit(shop, "coupon: str)", "coupon: int)")
    shop.commit("coupon as a number")
    _edit(shop, "coupon: int)", "coupon: str)")
    back = shop.commit("coupon back to text")

    symbol = _stale(shop.path, MENTIONS).stale["docs/guide.md"].symbols[0]

    assert symbol.commit == back


def test_a_change_back_to_what_the_page_saw_is_not_drift(shop: GitRepo) -> None:
    _edit(shop, "coupon: str | None = None)", "coupon: str)")
    shop.commit("coupon required")
    _edit(shop, "coupon: str)", "coupon: str | None = None)")
    shop.commit("reverted")

    assert _stale(shop.path, MENTIONS).stale == {}


def test_uncommitted_code_changes_count_without_a_date(shop: GitRepo) -> None:
    _edit(shop, "coupon: str | None = None)", "coupon: str)")

    symbol = _stale(shop.path, MENTIONS).stale["docs/guide.md"].symbols[0]

    assert (symbol.when, symbol.commit) == (None, None)


def test_a_page_being_edited_or_never_committed_is_never_stale(shop: GitRepo) -> None:
    _edit(shop, "coupon: str | None = None)", "coupon: str)")
    shop.commit("coupon required")
    _edit(shop, "Pay with", "Always pay with", path="docs/guide.md")
    shop.write("docs/new.md", GUIDE)

    mentions = {**MENTIONS, "docs/new.md": ["shop.cart.checkout"]}
    assert _stale(shop.path, mentions).stale == {}


def test_a_symbol_added_after_the_page_is_not_drift(shop: GitRepo) -> None:
    shop.write("src/shop/pay.py", 'def refund(x: int) -> None:\n    """Refund."""\n')
    shop.commit("refunds")

    assert _stale(shop.path, {"docs/guide.md": ["shop.pay.refund"]}).stale == {}


def test_a_project_below_the_repository_top(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("site/src/shop/__init__.py", '"""Shop."""\n')
    repo.write("site/src/shop/cart.py", CART)
    repo.write("site/docs/guide.md", GUIDE)
    repo.commit("first")
    _edit(repo, "coupon: str | None = None)", "coupon: str)", path="site/src/shop/cart.py")
    repo.commit("coupon required")

    report = _stale(repo.path / "site", MENTIONS)

    assert list(report.stale) == ["docs/guide.md"]


def test_outside_git_history_is_skipped_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "src" / "shop").mkdir(parents=True)
    (tmp_path / "src" / "shop" / "__init__.py").write_text('"""Shop."""\n', encoding="utf-8")

    report = _stale(tmp_path, MENTIONS)

    assert report.stale == {}
    assert report.skipped is not None
    assert "not inside a git repository" in report.skipped


def test_a_shallow_clone_is_skipped_with_the_reason(shop: GitRepo, tmp_path: Path) -> None:
    _edit(shop, "coupon: str | None = None)", "coupon: str)")
    shop.commit("coupon required")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{shop.path}", str(clone)],
        check=True,
        capture_output=True,
    )

    report = _stale(clone, MENTIONS)

    assert report.stale == {}
    assert report.skipped is not None
    assert "shallow clone" in report.skipped


def test_a_failing_git_command_skips_the_notices_with_its_message(
    shop: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object) -> frozenset[str]:
        raise git.GitCommandError(["git", "diff"], 128, b"fatal: bad object HEAD\n")

    monkeypatch.setattr(history._History, "_uncommitted", broken)

    report = _stale(shop.path, MENTIONS)

    assert report == HistoryReport(skipped="git failed: fatal: bad object HEAD")


# --- the notice -----------------------------------------------------------------------

WRITTEN = datetime(2024, 3, 1, 12, tzinfo=timezone.utc)
STALE = StalePage(
    "docs/guide.md",
    WRITTEN,
    "abc",
    (
        SymbolDrift(
            "shop.cart.checkout",
            (Drift.SIGNATURE, Drift.DOCSTRING),
            datetime(2024, 5, 2, 9, tzinfo=timezone.utc),
            "def0123",
            pr=41,
        ),
        SymbolDrift("shop.cart.Cart<T>", (Drift.DOCSTRING,), None, None),
    ),
)


def test_the_notice_names_each_symbol_what_changed_and_when() -> None:
    notice = render_notice(STALE)

    assert notice.startswith(f'<div class="admonition warning {NOTICE_CLASS}">')
    assert '<p class="admonition-title">This page may be out of date</p>' in notice
    assert "last updated on 2024-03-01" in notice
    assert (
        "<li><code>shop.cart.checkout</code> changed on 2024-05-02 in <code>def0123</code> "
        "(PR #41): the signature changed; its docstring changed</li>" in notice
    )
    assert (
        "<li><code>shop.cart.Cart&lt;T&gt;</code> changed in changes not committed yet: "
        "its docstring changed</li>" in notice
    )
    written = render_notice(STALE, {"shop.cart.checkout": "shop.checkout"})
    assert "<li><code>shop.checkout</code> changed on 2024-05-02" in written


def test_the_notice_links_the_commit_and_the_pull_request_on_github() -> None:
    notice = render_notice(STALE, repo_url="https://github.com/shop/cart.git")
    assert (
        'in <a href="https://github.com/shop/cart/commit/def0123"><code>def0123</code></a> '
        '(<a href="https://github.com/shop/cart/pull/41">PR #41</a>)'
    ) in notice
    assert "href" not in render_notice(STALE, repo_url="https://example.com/shop")


def test_the_notice_goes_after_the_leading_title_or_first() -> None:
    page = '<h1 id="guide">Guide<a href="#guide">¶</a></h1>\n<p>Text</p>'

    assert insert_notice(page, "<div>N</div>") == (
        '<h1 id="guide">Guide<a href="#guide">¶</a></h1>\n<div>N</div>\n<p>Text</p>'
    )
    assert insert_notice("<p>Text</p>\n<h1>Late</h1>", "<div>N</div>") == (
        "<div>N</div>\n<p>Text</p>\n<h1>Late</h1>"
    )


def _sig(*params: Parameter, returns: str | None = None, is_async: bool = False) -> Signature:
    return Signature(params, returns, is_async=is_async)


def _p(name: str, kind: ParamKind = ParamKind.POSITIONAL_OR_KEYWORD, **more: str) -> Parameter:
    return Parameter(name, kind, more.get("annotation"), more.get("default"))


KW = ParamKind.KEYWORD_ONLY


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (
            _sig(_p("url"), _p("timeout")),
            _sig(_p("url"), _p("timeouts")),
            ["<code>timeout</code> was renamed to <code>timeouts</code>"],
        ),
        (
            _sig(_p("a")),
            _sig(_p("a"), _p("b", KW, default="1")),
            ["parameter <code>b</code> was added"],
        ),
        (_sig(_p("a"), _p("b")), _sig(_p("a")), ["parameter <code>b</code> was removed"]),
        (
            _sig(_p("a", default="1")),
            _sig(_p("a", default="2")),
            ["the default of <code>a</code> changed from <code>1</code> to <code>2</code>"],
        ),
        (
            _sig(_p("a", default="1")),
            _sig(_p("a")),
            ["the default of <code>a</code> was removed (it was <code>1</code>)"],
        ),
        (
            _sig(_p("a", annotation="int")),
            _sig(_p("a", annotation="list[int]")),
            ["the type of <code>a</code> changed from <code>int</code> to <code>list[int]</code>"],
        ),
        (
            _sig(returns="int"),
            _sig(returns="str"),
            ["the return type changed from <code>int</code> to <code>str</code>"],
        ),
        (_sig(), _sig(is_async=True), ["it is now async"]),
        (
            _sig(_p("a"), _p("b")),
            _sig(_p("b"), _p("a")),
            ["the signature changed: <code>f(a, b)</code> → <code>f(b, a)</code>"],
        ),
        (
            _sig(_p("a"), _p("b")),
            _sig(_p("a"), _p("b", KW)),
            ["the signature changed: <code>f(a, b)</code> → <code>f(a, *, b)</code>"],
        ),
        (
            _sig(_p("a", default="'<b>'")),
            _sig(_p("a", default="'<i>'")),
            [
                "the default of <code>a</code> changed from <code>'&lt;b&gt;'</code> to "
                "<code>'&lt;i&gt;'</code>"
            ],
        ),
        (
            _sig(),
            _sig(_p("a"), _p("b"), _p("c"), _p("d")),
            ["the signature changed: <code>f()</code> → <code>f(a, b, c, d)</code>"],
        ),
    ],
)
def test_the_notice_says_what_changed_in_a_signature(
    before: Signature, after: Signature, expected: list[str]
) -> None:
    drift = SymbolDrift("pkg.mod.f", (Drift.SIGNATURE,), None, None, before, after)

    assert [phrase_html(p) for p in drift_phrases(drift, "pkg.f")] == expected
