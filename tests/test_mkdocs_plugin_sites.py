"""The MkDocs plugin on small sites with git history: what readers and writers see.

Real ``mkdocs build`` runs on projects committed to real git repositories: the
reader notice's names and words, what makes a page stale, the health page's
Markdown and place, what ``mkdocs serve`` watches, and broken links that MkDocs
already reports.
"""

from __future__ import annotations

import logging
import re
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from docsync.config import Config
from docsync.mkdocs_plugin.notice import NOTICE_CLASS
from docsync.mkdocs_plugin.plugin import DocsyncPlugin
from docsync.mkdocs_plugin.watch import watched_paths
from helpers_git import GitRepo

PLUGIN_LOGGER = "mkdocs.plugins.docsync.mkdocs_plugin.plugin"

CLIENT = '''\
"""The client."""


class Client:
    """A client.

    Args:
        timeout: Seconds to wait.
    """

    def __init__(self, timeout: float = 5.0) -> None:
        self.timeout = timeout


def fetch(url: str, retries: int) -> bytes:
    """Fetch a URL.

    Args:
        url: Where.
        retries: How often.

    Returns:
        The body.
    """
    return b""
'''

PAGES = {
    "index.md": "# Web\n\nStart with `web.Client`.\n",
    "example.md": """\
        # Example

        ```python
        import web

        client = web.Client(timeout=2.0)
        ```
        """,
    "fetching.md": "# Fetching\n\nCall `web.fetch` with a URL.\n",
}


@pytest.fixture(autouse=True)
def _quiet_material(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def write_site(root: Path, mkdocs_yml: str, pages: dict[str, str], pyproject: str) -> None:
    files = {
        "pyproject.toml": pyproject,
        "mkdocs.yml": mkdocs_yml,
        "src/web/__init__.py": '"""Web."""\n\nfrom web._client import Client, fetch\n',
        "src/web/_client.py": CLIENT,
        **{f"docs/{name}": text for name, text in pages.items()},
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def web(repo: GitRepo) -> GitRepo:
    """The ``web`` package (``web.Client`` re-exported from ``web._client``) and its pages."""
    write_site(repo.path, _yml(), PAGES, '[tool.docsync]\npaths = ["src"]\n')
    repo.commit("web and its docs")
    return repo


def _yml(options: str = "", extra: str = "") -> str:
    plugin = f"  - docsync:\n{options}" if options else "  - docsync\n"
    return f"site_name: Web\n{extra}plugins:\n{plugin}"


def edit_client(repo: GitRepo, old: str, new: str, message: str) -> None:
    path = repo.path / "src/web/_client.py"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    repo.commit(message)


def config_for(root: Path, site: Path) -> MkDocsConfig:
    return load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))


def build_site(root: Path, site: Path) -> Path:
    build(config_for(root, site))
    return site


def page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def notice_items(site: Path, name: str) -> list[str]:
    text = page(site, name)
    notices = re.findall(rf'<div class="admonition warning {NOTICE_CLASS}">.*?</div>', text, re.S)
    return re.findall(r"<li>(.*?)</li>", "".join(notices), re.S)


def plugin_messages(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == PLUGIN_LOGGER and r.levelno >= level
    ]


DATE = r"\d{4}-\d\d-\d\d in <code>[0-9a-f]{7}</code>"  # the date, then the commit

# --- 13: the name the page wrote, and what changed --------------------------------------


def test_notice_names_the_symbol_as_the_page_wrote_it_and_says_it_was_renamed(
    web: GitRepo, tmp_path: Path
) -> None:
    edit_client(web, "timeout: float = 5.0", "timeouts: float = 5.0", "timeouts")
    edit_client(web, "self.timeout = timeout", "self.timeout = timeouts", "body")

    site = build_site(web.path, tmp_path / "site")

    renamed = "<code>timeout</code> was renamed to <code>timeouts</code>"
    for name in ("index.html", "example/index.html"):
        [item] = notice_items(site, name)
        assert re.fullmatch(rf"<code>web\.Client</code> changed on {DATE}: {renamed}", item), item
        assert "_client" not in item
    assert notice_items(site, "fetching/index.html") == []


def test_notice_shows_both_signatures_when_a_parameter_changes_kind(
    web: GitRepo, tmp_path: Path
) -> None:
    edit_client(
        web, "def fetch(url: str, retries: int)", "def fetch(url: str, *, retries: int)", "kw"
    )

    site = build_site(web.path, tmp_path / "site")

    [item] = notice_items(site, "fetching/index.html")
    assert item.endswith(
        ": the signature changed: <code>fetch(url, retries) -&gt; bytes</code> → "
        "<code>fetch(url, *, retries) -&gt; bytes</code>"
    )
    assert item.startswith("<code>web.fetch</code> changed on ")


def test_notice_words_for_added_removed_and_new_defaults(web: GitRepo, tmp_path: Path) -> None:
    edit_client(
        web,
        "def fetch(url: str, retries: int)",
        "def fetch(url: str, retries: int = 3, verify: bool = True)",
        "defaults",
    )

    site = build_site(web.path, tmp_path / "site")

    [item] = notice_items(site, "fetching/index.html")
    assert item.endswith(
        ": parameter <code>verify</code> was added; "
        "the default of <code>retries</code> is now <code>3</code>"
    )


# --- 14: what makes a page stale --------------------------------------------------------


def test_a_docstring_typo_fix_is_no_notice_unless_asked(web: GitRepo, tmp_path: Path) -> None:
    edit_client(web, "Fetch a URL.", "Fetch one URL.", "typo")

    assert notice_items(build_site(web.path, tmp_path / "site"), "fetching/index.html") == []

    (web.path / "mkdocs.yml").write_text(_yml("      notice_docstrings: true\n"))
    [item] = notice_items(build_site(web.path, tmp_path / "asked"), "fetching/index.html")
    assert re.fullmatch(rf"<code>web\.fetch</code> changed on {DATE}: its docstring changed", item)


FORMATTED = '''\
def fetch(  # keep it short
    url: str,
    retries: int,   # how often
) -> bytes:
    """Fetch a URL.   \n\n    Args:
        url:   Where.
        retries: How often.

    Returns:
        The body.
    """
    # nothing to fetch yet
    return (
        b""
    )
'''


def test_comments_and_formatting_are_no_notice_even_with_docstrings(
    web: GitRepo, tmp_path: Path
) -> None:
    text = (web.path / "src/web/_client.py").read_text(encoding="utf-8")
    start = text.index("def fetch(")
    (web.path / "src/web/_client.py").write_text(text[:start] + FORMATTED, encoding="utf-8")
    web.commit("reformat")
    (web.path / "mkdocs.yml").write_text(_yml("      notice_docstrings: true\n"))

    site = build_site(web.path, tmp_path / "site")

    assert notice_items(site, "fetching/index.html") == []


# --- 15: the health page ----------------------------------------------------------------

BROKEN = {**PAGES, "fetching.md": "# Fetching\n\nSee [routing](#routing) and `web.fetch`.\n"}


@pytest.mark.parametrize("nav", ["", "nav:\n  - index.md\n  - example.md\n  - fetching.md\n"])
def test_health_page_renders_code_and_stays_out_of_the_nav(
    repo: GitRepo, tmp_path: Path, nav: str, caplog: pytest.LogCaptureFixture
) -> None:
    yml = _yml("      health_page: true\n", extra=nav)
    write_site(repo.path, yml, BROKEN, '[tool.docsync]\npaths = ["src"]\n')
    repo.commit("docs")
    caplog.set_level(logging.INFO)

    site = build_site(repo.path, tmp_path / "site")

    health = page(site, "docs-health/index.html")
    assert (
        "DS705: broken link <code>#routing</code>: no heading or id <code>#routing</code> "
        "on this page" in health
    )
    assert "`" not in re.sub(r"<[^>]+>", "", health.partition('role="main"')[2])
    for name in ("index.html", "fetching/index.html"):
        assert "docs-health/" not in page(site, name)
    assert not [r for r in caplog.records if "docs-health" in r.getMessage()]


def test_health_nav_true_lists_the_page(repo: GitRepo, tmp_path: Path) -> None:
    yml = _yml("      health_page: true\n      health_nav: true\n")
    write_site(repo.path, yml, PAGES, '[tool.docsync]\npaths = ["src"]\n')
    repo.commit("docs")

    site = build_site(repo.path, tmp_path / "site")

    assert '<a href="docs-health/" class="nav-link">Docs health</a>' in page(site, "index.html")


# --- 16: what mkdocs serve watches --------------------------------------------------------


class RecordingServer:
    """What the plugin asks ``mkdocs serve``'s live-reload server to watch."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_watches_the_code_with_the_default_paths(repo: GitRepo, tmp_path: Path) -> None:
    write_site(repo.path, _yml(), PAGES, "[tool.docsync]\n")  # paths = ["."]: the root
    (repo.path / "tasks.py").write_text('"""Tasks."""\n', encoding="utf-8")
    repo.commit("docs")
    config = config_for(repo.path, repo.path / "site")
    plugin = config.plugins["docsync"]
    assert isinstance(plugin, DocsyncPlugin)
    build(config)  # writes the scan cache into the root
    server = RecordingServer()

    plugin.on_serve(server, config=config, builder=lambda: None)  # type: ignore[arg-type]

    root = repo.path.resolve()
    assert sorted(server.watched) == sorted(
        str(p) for p in (root / "src", root / "tasks.py", root / "pyproject.toml")
    )


def test_watched_paths_stay_inside_the_root_and_out_of_the_site(tmp_path: Path) -> None:
    root = tmp_path / "project"
    outside = tmp_path / "outside"
    for directory in (root / "pkg", root / "site", outside):
        directory.mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("", encoding="utf-8")
    (root / "site" / "b.py").write_text("", encoding="utf-8")
    (outside / "c.py").write_text("", encoding="utf-8")
    (root / "linked").symlink_to(outside)
    settings = Config(root=root.resolve(), paths=(".", "linked"))

    found = watched_paths(settings, avoid=[root / "site"])

    assert found == [root.resolve() / "pkg"]


# --- 17: broken links MkDocs reports itself -------------------------------------------------

LINKS = {
    **PAGES,
    "index.md": "# Web\n\nSee [routing](fetching.md#routing), [top](#nowhere), [x](missing.md).\n",
}


@pytest.mark.parametrize(
    ("validation", "expected"),
    [
        ("", []),
        ("validation:\n  anchors: warn\n", []),
        (
            "validation:\n  anchors: ignore\n",
            ["fetching.md#routing", "#nowhere"],
        ),
        (
            "validation:\n  anchors: ignore\n  not_found: ignore\n",
            ["fetching.md#routing", "#nowhere", "missing.md"],
        ),
    ],
)
def test_broken_links_that_mkdocs_validates_are_logged_once(
    repo: GitRepo,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    validation: str,
    expected: list[str],
) -> None:
    write_site(repo.path, _yml(extra=validation), LINKS, '[tool.docsync]\npaths = ["src"]\n')
    repo.commit("docs")
    caplog.set_level(logging.INFO)

    build_site(repo.path, tmp_path / "site")

    logged = [m for m in plugin_messages(caplog, logging.INFO) if "DS705" in m]
    links = [re.search(r"broken link `([^`]+)`", m) for m in logged]
    assert sorted(link.group(1) for link in links if link) == sorted(expected)
    assert len(links) == len(expected)
    mkdocs_said = [r.getMessage() for r in caplog.records if r.name.startswith("mkdocs.structure")]
    if "anchors: ignore" not in validation:
        assert sum("#routing" in m for m in mkdocs_said) == 1
        assert sum("#nowhere" in m for m in mkdocs_said) == 1
    if "not_found: ignore" not in validation:
        assert sum("missing.md" in m for m in mkdocs_said) == 1
