"""The MkDocs plugin, through real ``mkdocs build`` runs on projects in real git repositories."""

from __future__ import annotations

import logging
import re
import subprocess
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from docsync.config import Config
from docsync.mkdocs_plugin import plugin as mkdocs_plugin
from docsync.mkdocs_plugin.health import render_health_page
from docsync.mkdocs_plugin.notice import NOTICE_CLASS
from docsync.mkdocs_plugin.plugin import DocsyncPlugin
from docsync.mkdocs_plugin.site_report import SiteReport, rendered_symbols
from docsync.models import Evidence, Finding, Location, Project, Severity
from docsync.scan.python import scan_source
from helpers_git import GitRepo, new_repo

CART = '''\
"""Carts."""


def checkout(cart: list[str], coupon: str | None = None) -> float:
    """Pay for a cart.

    Args:
        cart: the items.
        coupon: a discount code.

    Returns:
        The total.
    """
    return 0.0


def total(cart: list[str]) -> int:
    """Count the items.

    Args:
        cart: the items.

    Returns:
        The count.
    """
    return len(cart)
'''

PAGES = {
    "index.md": "# Shop\n\nWelcome. Read the [guide](guide.md).\n",
    "guide.md": """\
        # Guide

        Pay with `shop.cart.checkout`:

        ```python
        from shop.cart import checkout

        checkout(["apple"], coupon="SPRING")
        ```
        """,
    "count.md": "# Counting\n\nCount the items with `shop.cart.total`.\n",
}

NEW_SIGNATURE = "coupon: str | None = None, *, currency: str = 'EUR') -> float:"

PLUGIN_LOGGER = "mkdocs.plugins.docsync.mkdocs_plugin.plugin"


@pytest.fixture(autouse=True)
def _quiet_material(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")  # Material's banner about MkDocs 2.0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the build date on the home page


def write_project(root: Path, mkdocs_yml: str, pages: dict[str, str] | None = None) -> None:
    """A shop package, its pages, ``[tool.docsync]`` and ``mkdocs.yml`` under ``root``."""
    files = {
        "pyproject.toml": '[tool.docsync]\npaths = ["src"]\n',
        "mkdocs.yml": mkdocs_yml,
        "src/shop/__init__.py": '"""Shop."""\n',
        "src/shop/cart.py": CART,
        **{f"docs/{name}": text for name, text in (pages or PAGES).items()},
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def config_for(root: Path, site: Path) -> MkDocsConfig:
    """The loaded ``mkdocs.yml`` of ``root``, building into ``site``."""
    return load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))


def build_site(root: Path, site: Path) -> Path:
    """Run ``mkdocs build`` in-process; returns the site directory."""
    build(config_for(root, site))
    return site


def html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def change_checkout(repo: GitRepo) -> str:
    """Commit a new keyword-only parameter of ``checkout``, after the pages."""
    cart = repo.path / "src/shop/cart.py"
    text = cart.read_text(encoding="utf-8")
    text = text.replace("coupon: str | None = None) -> float:", NEW_SIGNATURE)
    text = text.replace(
        "coupon: a discount code.", "coupon: a discount code.\n        currency: ISO."
    )
    cart.write_text(text, encoding="utf-8")
    return repo.commit("checkout takes a currency")


def plugin_messages(caplog: pytest.LogCaptureFixture, level: int = logging.INFO) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == PLUGIN_LOGGER and r.levelno >= level
    ]


@pytest.fixture
def shop(repo: GitRepo) -> GitRepo:
    """The shop committed with its pages, then ``checkout`` changed in a later commit."""
    write_project(repo.path, "site_name: Shop\nplugins:\n  - search\n  - docsync\n")
    repo.commit("shop and its docs")
    change_checkout(repo)
    return repo


# --- readers: the notice ----------------------------------------------------------------


def test_notice_on_the_stale_page_and_every_other_page_byte_for_byte(
    shop: GitRepo, tmp_path: Path
) -> None:
    with_plugin = build_site(shop.path, tmp_path / "with")
    (shop.path / "mkdocs.yml").write_text("site_name: Shop\nplugins:\n  - search\n")
    without = build_site(shop.path, tmp_path / "without")

    guide = html(with_plugin, "guide/index.html")
    notices = re.findall(rf'<div class="admonition warning {NOTICE_CLASS}">.*?</div>', guide, re.S)
    assert len(notices) == 1
    notice = notices[0]
    assert '<p class="admonition-title">This page may be out of date</p>' in notice
    assert re.search(
        r"<li><code>shop.cart.checkout</code> changed on \d{4}-\d\d-\d\d "
        r"in <code>[0-9a-f]{7}</code>: "
        r"parameter <code>currency</code> was added</li>",
        notice,
    )
    # The notice follows the title, and is all that differs from a build without docsync.
    assert re.search(r"</h1>\n<div class=\"admonition warning", guide)
    assert guide.replace("\n" + notice, "", 1) == html(without, "guide/index.html")
    for page in ("index.html", "count/index.html", "404.html"):
        assert html(with_plugin, page) == html(without, page), page
        assert NOTICE_CLASS not in html(with_plugin, page)


def test_material_theme_shows_the_notice_as_a_warning_admonition(
    shop: GitRepo, tmp_path: Path
) -> None:
    (shop.path / "mkdocs.yml").write_text(
        "site_name: Shop\ntheme:\n  name: material\nplugins:\n  - search\n  - docsync\n"
    )
    site = build_site(shop.path, tmp_path / "site")

    guide = html(site, "guide/index.html")
    article = guide[guide.index('<article class="md-content__inner md-typeset">') :]
    assert article.index("<h1") < article.index(NOTICE_CLASS) < article.index("Pay with")
    assert NOTICE_CLASS not in html(site, "count/index.html")
    stylesheet = next((site / "assets" / "stylesheets").glob("main.*.min.css"))
    css = stylesheet.read_text(encoding="utf-8")
    assert ".md-typeset .admonition" in css
    assert ".md-typeset .warning>.admonition-title" in css


def test_notice_false_reads_no_history(shop: GitRepo, tmp_path: Path) -> None:
    (shop.path / "mkdocs.yml").write_text(
        "site_name: Shop\nplugins:\n  - docsync:\n      notice: false\n"
    )
    site = build_site(shop.path, tmp_path / "site")

    assert NOTICE_CLASS not in html(site, "guide/index.html")


def test_outside_git_one_log_line_and_no_notice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_project(tmp_path / "shop", "site_name: Shop\nplugins:\n  - docsync\n")
    caplog.set_level(logging.INFO)
    config = config_for(tmp_path / "shop", tmp_path / "site")

    build(config)
    (tmp_path / "shop" / "docs" / "index.md").write_text("# Shop\n\nEdited.\n")
    build(config)  # a serve rebuild: said once is enough

    assert NOTICE_CLASS not in html(tmp_path / "site", "guide/index.html")
    skipped = [m for m in plugin_messages(caplog) if "notices" in m]
    assert len(skipped) == 1
    assert skipped[0].startswith("docsync: no out-of-date notices: ")
    assert "not inside a git repository" in skipped[0]


def test_shallow_clone_one_log_line_and_no_notice(
    shop: GitRepo, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{shop.path}", str(clone)],
        check=True,
        capture_output=True,
    )
    caplog.set_level(logging.INFO)

    site = build_site(clone, tmp_path / "site")

    assert NOTICE_CLASS not in html(site, "guide/index.html")
    skipped = [m for m in plugin_messages(caplog) if "notices" in m]
    assert len(skipped) == 1
    assert "shallow clone" in skipped[0]


# --- writers: findings -------------------------------------------------------------------

BROKEN_GUIDE = {**PAGES, "guide.md": "# Guide\n\nRefunds: `shop.cart.refund`.\n"}


def test_page_findings_are_warnings_that_fail_mkdocs_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    write_project(repo.path, "site_name: Shop\nstrict: true\nplugins:\n  - docsync\n", BROKEN_GUIDE)
    repo.commit("docs")

    with pytest.raises(Abort, match="Aborted with 1 warnings in strict mode"):
        build_site(repo.path, tmp_path / "site")

    assert plugin_messages(caplog, logging.WARNING) == [
        "docsync: docs/guide.md:3: DS701 unknown-reference: the inline reference names "
        "`shop.cart.refund`, but `shop.cart` has no `refund`"
    ]


def test_strict_option_logs_errors_and_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    yml = "site_name: Shop\nplugins:\n  - docsync:\n      strict: true\n"
    write_project(repo.path, yml, BROKEN_GUIDE)
    repo.commit("docs")

    with pytest.raises(Abort, match="BuildError"):
        build_site(repo.path, tmp_path / "site")

    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors[0].name == PLUGIN_LOGGER
    assert errors[0].getMessage().startswith("docsync: docs/guide.md:3: DS701 ")
    assert any("1 finding in the docs (strict: true)" in r.getMessage() for r in errors)


def test_a_clean_site_builds_under_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    yml = "site_name: Shop\nstrict: true\nplugins:\n  - docsync:\n      strict: true\n"
    write_project(repo.path, yml)
    repo.commit("docs")

    build_site(repo.path, tmp_path / "site")

    assert plugin_messages(caplog, logging.WARNING) == []


MKDOCSTRINGS_YML = """\
site_name: Shop
theme:
  name: material
nav:
  - Home: index.md
  - API: api.md
plugins:
  - search
  - mkdocstrings:
      handlers:
        python:
          paths: [src]
  - docsync:
      health_page: true
"""

RENAMED_PARAM = '''
def discount(cart: list[str], percent: int) -> float:
    """Take a discount.

    Args:
        cart: the items.
        pct: how much.

    Returns:
        The new total.
    """
    return 0.0


def _helper(x: int) -> None:
    """Private.

    Args:
        y: nothing.
    """
'''


def test_mkdocstrings_blocks_report_the_docstrings_they_render_and_the_health_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    pages = {"index.md": "# Shop\n", "api.md": "# API\n\nThe cart.\n\n::: shop.cart\n"}
    write_project(repo.path, MKDOCSTRINGS_YML, pages)
    with (repo.path / "src/shop/cart.py").open("a", encoding="utf-8") as cart:
        cart.write(RENAMED_PARAM)
    repo.commit("api")

    site = build_site(repo.path, tmp_path / "site")

    api = html(site, "api/index.html")
    assert 'id="shop.cart.discount"' in api  # mkdocstrings rendered the module
    assert NOTICE_CLASS not in api
    assert plugin_messages(caplog, logging.WARNING) == [
        "docsync: docs/api.md:5: DS103 renamed-param in the docstring of shop.cart.discount "
        "(src/shop/cart.py:33), rendered by '::: shop.cart': parameter 'pct' was renamed to "
        "'percent' in the signature of discount()"
    ]
    health = html(site, "docs-health/index.html")
    text = re.sub(r"<[^>]+>", "", health)
    assert "docsync found 0 findings on pages, 2 in docstrings (2 Python files)." in text
    assert re.search(r'<td><a href="../api/">api.md</a></td>\s*<td[^>]*>1</td>', health)
    assert re.search(r"<td><code>shop.cart</code></td>\s*<td[^>]*>2</td>", health)
    assert "line 5: DS103 in shop.cart.discount" in text
    assert 'href="docs-health/"' not in html(site, "index.html")  # out of the nav by default


def test_health_page_without_findings_and_with_a_nav(shop: GitRepo, tmp_path: Path) -> None:
    (shop.path / "mkdocs.yml").write_text(
        "site_name: Shop\nnav:\n  - index.md\n  - guide.md\n  - count.md\n"
        "plugins:\n  - docsync:\n      health_page: true\n      health_nav: true\n"
    )
    site = build_site(shop.path, tmp_path / "site")

    health = html(site, "docs-health/index.html")
    assert "docsync found 0 findings on pages, 0 in docstrings" in health
    assert "Pages that may be out of date" in health
    assert re.search(
        r'<a href="../guide/">guide.md</a></td>\s*<td>\d{4}-\d\d-\d\d</td>\s*'
        r"<td><code>shop.cart.checkout</code> \(\d{4}-\d\d-\d\d\): "
        r"parameter <code>currency</code> was added</td>",
        health,
    )
    assert '<a href="docs-health/" class="nav-link">Docs health</a>' in html(site, "index.html")


def test_health_page_never_replaces_a_page(shop: GitRepo, tmp_path: Path) -> None:
    (shop.path / "mkdocs.yml").write_text(
        "site_name: Shop\nplugins:\n  - docsync:\n      health_page: true\n"
    )
    (shop.path / "docs/docs-health.md").write_text("# Mine\n", encoding="utf-8")

    with pytest.raises(Abort, match="BuildError"):
        build_site(shop.path, tmp_path / "site")


# --- the shell: settings, reuse, registration ---------------------------------------------


def test_serve_rebuilds_reuse_the_report_until_an_input_changes(
    shop: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[Path] = []
    check_site = mkdocs_plugin.check_site

    def counting(*args: object, **kwargs: object) -> object:
        runs.append(Path())
        return check_site(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(mkdocs_plugin, "check_site", counting)
    config = config_for(shop.path, tmp_path / "site")
    plugin = config.plugins["docsync"]
    assert isinstance(plugin, DocsyncPlugin)
    plugin.on_startup(command="serve", dirty=False)

    build(config)
    build(config)
    assert len(runs) == 1
    assert NOTICE_CLASS in html(tmp_path / "site", "guide/index.html")

    (shop.path / "docs/guide.md").write_text("# Guide\n\nReviewed.\n", encoding="utf-8")
    build(config)
    assert len(runs) == 2
    assert NOTICE_CLASS not in html(tmp_path / "site", "guide/index.html")


def test_bad_docsync_settings_fail_as_plugin_errors(shop: GitRepo, tmp_path: Path) -> None:
    (shop.path / "pyproject.toml").write_text("[tool.docsync]\npath = ['src']\n")

    with pytest.raises(Abort, match="BuildError"):
        build_site(shop.path, tmp_path / "site")


def test_paths_and_config_file_options(shop: GitRepo, tmp_path: Path) -> None:
    (shop.path / "pyproject.toml").write_text("[tool.docsync]\npaths = ['nowhere']\n")
    (shop.path / "docsync.toml").write_text("[tool.docsync]\nselect = ['DS7']\n")
    (shop.path / "mkdocs.yml").write_text(
        "site_name: Shop\nplugins:\n  - docsync:\n"
        "      config_file: docsync.toml\n      paths: [src]\n"
    )
    config = config_for(shop.path, tmp_path / "site")
    plugin = config.plugins["docsync"]
    assert isinstance(plugin, DocsyncPlugin)

    build(config)

    settings = plugin.settings
    assert settings is not None
    assert (settings.paths, settings.select) == (("src",), ("DS7",))
    assert NOTICE_CLASS in html(tmp_path / "site", "guide/index.html")


def test_enabled_false_leaves_the_plugin_out(tmp_path: Path) -> None:
    write_project(tmp_path, "site_name: Shop\nplugins:\n  - docsync:\n      enabled: false\n")

    assert "docsync" not in config_for(tmp_path, tmp_path / "site").plugins


def test_registered_as_the_docsync_mkdocs_plugin() -> None:
    (found,) = entry_points(group="mkdocs.plugins", name="docsync")
    assert found.load() is DocsyncPlugin


# --- the pure parts: what a ::: block shows, the health page's text -------------------------

MEMBERS = '''\
"""Carts."""


class Cart:
    """A cart."""

    def add(self, item: str) -> None:
        """Add."""

    def _drop(self) -> None:
        """Private."""

    def __len__(self) -> int:
        """Size."""
        return 0


def checkout() -> None:
    """Pay."""
'''


def _members_project() -> Project:
    result = scan_source(MEMBERS.encode(), "src/shop/cart.py", "shop.cart")
    assert result.module is not None
    return Project("/project", (result.module,))


@pytest.mark.parametrize(
    ("target", "options", "expected"),
    [
        (
            "shop.cart",
            {},
            {"shop.cart", "shop.cart.Cart", "shop.cart.Cart.add", "shop.cart.Cart.__len__"}
            | {"shop.cart.checkout"},
        ),
        ("shop.cart.Cart", {}, {"shop.cart.Cart", "shop.cart.Cart.add", "shop.cart.Cart.__len__"}),
        ("shop.cart.Cart", {"members": False}, {"shop.cart.Cart"}),
        ("shop.cart", {"members": ["checkout"]}, {"shop.cart", "shop.cart.checkout"}),
        (
            "shop.cart.Cart",
            {"filters": []},
            {"shop.cart.Cart", "shop.cart.Cart.add", "shop.cart.Cart._drop"}
            | {"shop.cart.Cart.__len__"},
        ),
        ("shop.cart.Cart", {"filters": ["!^_"]}, {"shop.cart.Cart", "shop.cart.Cart.add"}),
        ("shop.other", {}, {"shop.other"}),
    ],
)
def test_rendered_symbols_follow_mkdocstrings_defaults_and_options(
    target: str, options: dict[str, object], expected: set[str]
) -> None:
    assert rendered_symbols(_members_project(), target, options) == expected


def test_health_page_escapes_what_findings_say() -> None:
    finding = Finding(
        code="DS701",
        slug="unknown-reference",
        severity=Severity.WARNING,
        message="names `a*b` and <script>x</script> [link](y)",
        location=Location("docs/guide.md", 4, 4),
        symbol="a.b",
        evidence=Evidence(),
        fingerprint="f" * 16,
    )
    report = SiteReport(Project("/p", ()), (), (finding,), (), ())

    page = render_health_page(report, {"docs/guide.md": "guide.md"})

    assert page.startswith("# Docs health\n\ndocsync found 1 finding on pages, 0 in docstrings")
    assert "| [guide.md](guide.md) | 1 | DS701 |" in page
    assert r"- line 4: DS701: names `a*b` and &lt;script&gt;x&lt;/script&gt; \[link\](y)" in page


def test_a_finding_is_logged_on_one_line_without_controls_or_secrets(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "s3cr3t-Value-9f8e7d6c5b4a"
    monkeypatch.setenv("INPUT_GITHUB_TOKEN", secret)
    finding = Finding(
        "DS705",
        "broken-link",
        Severity.WARNING,
        "x",
        Location("docs/a.md", 1, 1),
        "a.md",
        Evidence(),
        "f" * 16,
    )
    message = f"docs/a.md:1: x\n::error title=pwned::{secret}\x1b[2J"
    monkeypatch.setattr(mkdocs_plugin, "finding_lines", lambda report: [(finding, message)])
    with caplog.at_level(logging.INFO):
        report = SiteReport(Project("/p", ()), (), (), (), ())
        mkdocs_plugin._log_findings(report, Config(root=Path()), strict=False)
    [logged] = plugin_messages(caplog)
    assert logged.endswith("docs/a.md:1: x\\n::error title=pwned::[REDACTED]\\x1b[2J")
