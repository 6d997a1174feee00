"""Finding the site: properdocs.yml, mkdocs.yml or zensical.toml, in ProperDocs' order, or named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from docsync.cli import main
from docsync.errors import ConfigError
from docsync.scan.docs import load_docs
from docsync.scan.pages import load_site
from docsync.scan.site_config import SITE_CONFIG_NAMES, find_site_config, read_zensical_toml
from helpers_action import invoke_action, repository_event
from helpers_git import GitRepo

MODULE = '''\
def fetch(url):
    """Fetch a URL.

    Args:
        url: where from.
    """
    return url
'''

PAGE = "# Usage\n\nCall `shop.api.fetch` to fetch, not `shop.api.download`.\n"

ZENSICAL_TOML = """\
[project]
site_name = "Shop"
docs_dir = "pages"
nav = [
  { "Home" = "index.md" },
  { "Guide" = [{ "Usage" = "usage.md" }] },
]

[project.markdown_extensions]
admonition = {}
toc.permalink = true
toc.separator = "_"
pymdownx.highlight.anchor_linenums = true
pymdownx.blocks.admonition = {}
pymdownx.superfences.custom_fences = [{ name = "mermaid", class = "mermaid" }]

[project.plugins.mkdocstrings.handlers.python]
paths = ["lib"]
"""


def write_site(root: Path, config_name: str, config: str, docs: str = "pages") -> Path:
    """A package under src/, one page under ``docs`` naming a missing function, and a config."""
    (root / "src" / "shop").mkdir(parents=True)
    (root / "src" / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (root / "src" / "shop" / "api.py").write_text(MODULE, encoding="utf-8")
    (root / docs).mkdir(parents=True, exist_ok=True)
    (root / docs / "usage.md").write_text(PAGE, encoding="utf-8")
    (root / config_name).write_text(config, encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.docsync]\npaths = ["src"]\n', encoding="utf-8")
    return root


def check_json(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[tuple[str, str]]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check", "--format", "json", "--no-cache", *args])
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], f["path"]) for f in json.loads(result.output)["findings"]]


# --- the CLI finds the pages of each generator's site -------------------------------------


def test_a_site_configured_only_by_properdocs_yml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = "site_name: Shop\ndocs_dir: pages\ntheme: !ENV [THEME, material]\n"
    write_site(tmp_path, "properdocs.yml", config)

    assert check_json(tmp_path, monkeypatch) == [("DS701", "pages/usage.md")]


def test_a_site_configured_only_by_zensical_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(tmp_path, "zensical.toml", ZENSICAL_TOML)

    assert check_json(tmp_path, monkeypatch) == [("DS701", "pages/usage.md")]


def test_zensical_toml_without_a_project_table_holds_the_settings_at_the_top(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(tmp_path, "zensical.toml", 'site_name = "Shop"\ndocs_dir = "pages"\n')

    assert check_json(tmp_path, monkeypatch) == [("DS701", "pages/usage.md")]


def test_site_config_names_the_file_on_the_command_line_and_in_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(tmp_path, "zensical.toml", 'docs_dir = "pages"\n')
    (tmp_path / "mkdocs.yml").write_text("site_name: Old\ndocs_dir: old\n", encoding="utf-8")
    (tmp_path / "old").mkdir()

    assert check_json(tmp_path, monkeypatch) == []  # mkdocs.yml comes first: old/ has no page
    assert check_json(tmp_path, monkeypatch, "--site-config", "zensical.toml") == [
        ("DS701", "pages/usage.md")
    ]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.docsync]\npaths = ["src"]\nsite-config = "zensical.toml"\n', encoding="utf-8"
    )
    assert check_json(tmp_path, monkeypatch) == [("DS701", "pages/usage.md")]


def test_explicit_paths_cover_the_docs_dir_of_a_properdocs_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(tmp_path, "properdocs.yml", "site_name: Shop\ndocs_dir: pages\n")

    assert check_json(tmp_path, monkeypatch, "src", "pages") == [("DS701", "pages/usage.md")]
    assert check_json(tmp_path, monkeypatch, "src") == []


_PROBE = """
import json, sys
from docsync.cli import main
sys.argv = ["docsync", "check", "--no-cache"]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m.split(".")[0] for m in sys.modules)), file=sys.__stderr__)
"""


@pytest.mark.parametrize(
    ("config_name", "config"),
    [("properdocs.yml", "site_name: Shop\ndocs_dir: pages\n"), ("zensical.toml", ZENSICAL_TOML)],
)
def test_checking_a_site_imports_no_site_generator(
    tmp_path: Path, config_name: str, config: str
) -> None:
    write_site(tmp_path, config_name, config)

    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert "pages/usage.md:3: DS701" in done.stdout, done.stderr
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "markdown_it" in loaded  # the pages were parsed ...
    assert loaded & {"mkdocs", "properdocs", "zensical", "material"} == set()  # ... by docsync


# --- precedence and naming ----------------------------------------------------------------


@pytest.mark.parametrize("present", range(len(SITE_CONFIG_NAMES)))
def test_the_first_config_file_in_proper_docs_order_wins(tmp_path: Path, present: int) -> None:
    for name in SITE_CONFIG_NAMES[present:]:
        (tmp_path / name).write_text("", encoding="utf-8")

    assert find_site_config(tmp_path) == tmp_path / SITE_CONFIG_NAMES[present]


def test_properdocs_yml_comes_before_mkdocs_yml_and_zensical_toml(tmp_path: Path) -> None:
    (tmp_path / "properdocs.yml").write_text("docs_dir: a\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("docs_dir: b\n", encoding="utf-8")
    (tmp_path / "zensical.toml").write_text('[project]\ndocs_dir = "c"\n', encoding="utf-8")

    assert load_site(tmp_path).docs_dir == tmp_path / "a"
    assert load_site(tmp_path, site_config="mkdocs.yml").docs_dir == tmp_path / "b"
    assert load_site(tmp_path, site_config="zensical.toml").docs_dir == tmp_path / "c"
    assert find_site_config(tmp_path / "nothing-here") is None


def test_a_named_config_file_must_exist_inside_the_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "outside.yml").write_text("docs_dir: x\n", encoding="utf-8")

    with pytest.raises(ConfigError, match=r"site-config 'missing\.yml': no such file"):
        find_site_config(root, "missing.yml")
    with pytest.raises(ConfigError, match="outside the repository"):
        find_site_config(root, "../outside.yml")
    (root / "link.yml").symlink_to(tmp_path / "outside.yml")
    with pytest.raises(ConfigError, match="outside the repository"):
        find_site_config(root, "link.yml")


def test_site_config_key_is_a_string(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.docsync]\nsite-config = 3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(main, ["check"])

    assert result.exit_code == 2
    assert "site-config" in result.output


# --- what zensical.toml holds, read as mkdocs.yml would say it ------------------------------


def test_zensical_toml_nav_docs_dir_extensions_and_mkdocstrings(tmp_path: Path) -> None:
    (tmp_path / "zensical.toml").write_text(ZENSICAL_TOML, encoding="utf-8")

    site = load_site(tmp_path)

    assert site.config_path == tmp_path / "zensical.toml"
    assert site.docs_dir == tmp_path / "pages"
    assert site.nav == ("index.md", "usage.md")
    assert site.slug_separator == "_"
    assert site.handler == "python"
    assert site.python_paths == ("lib",)


def test_dotted_extension_keys_come_back_as_extension_names(tmp_path: Path) -> None:
    path = tmp_path / "zensical.toml"
    path.write_text(ZENSICAL_TOML, encoding="utf-8")

    extensions = read_zensical_toml(path)["markdown_extensions"]

    assert list(extensions) == [
        "admonition",
        "toc",
        "pymdownx.highlight",
        "pymdownx.blocks.admonition",
        "pymdownx.superfences",
    ]
    assert extensions["toc"] == {"permalink": True, "separator": "_"}
    assert extensions["pymdownx.highlight"] == {"anchor_linenums": True}


def test_a_custom_slugify_in_properdocs_yml_is_a_tag_not_code(tmp_path: Path) -> None:
    (tmp_path / "properdocs.yml").write_text(
        "markdown_extensions:\n  - toc:\n      slugify: !!python/name:my.slug\n", encoding="utf-8"
    )

    site = load_site(tmp_path)

    assert site.known_slugs is False


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('[project]\nsite_name = "Shop"\ndocs_dir = \n', 3, "not valid TOML"),
        ('[project]\nnav = [\n  { "A" = "a.md" ,\n', 3, "not valid TOML"),
        ("project = 3\n", None, "[project] must be a table"),
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", None, "not valid TOML"),
    ],
    ids=["missing value", "unclosed table", "project not a table", "nested too deeply"],
)
def test_a_broken_zensical_toml_is_a_clear_error(
    tmp_path: Path, text: str, line: int | None, problem: str
) -> None:
    (tmp_path / "zensical.toml").write_text(text, encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_docs(tmp_path)

    message = str(caught.value)
    assert problem in message
    where = f"{tmp_path / 'zensical.toml'}:{line}: " if line else f"{tmp_path / 'zensical.toml'}: "
    assert message.startswith(where), message


def test_a_broken_properdocs_yml_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "properdocs.yml").write_text("site_name: Shop\nnav: [a\n", encoding="utf-8")

    with pytest.raises(ConfigError, match=r"properdocs\.yml:\d+: not valid YAML"):
        load_docs(tmp_path)


def test_a_zensical_toml_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.toml").write_text('docs_dir = "x"\n', encoding="utf-8")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "zensical.toml").symlink_to(tmp_path / "elsewhere.toml")

    with pytest.raises(ConfigError, match="cannot read the Zensical config"):
        load_site(root)


def test_the_action_checks_a_zensical_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo: GitRepo
) -> None:
    write_site(repo.path, "zensical.toml", ZENSICAL_TOML)
    repo.commit("a zensical site")
    web = "http://127.0.0.1:9"
    env = {"GITHUB_API_URL": web, "GITHUB_SERVER_URL": web, "GITHUB_REPOSITORY": "octo/demo"}
    payload = repository_event("workflow_dispatch", web=web)

    run = invoke_action(
        monkeypatch,
        tmp_path / "step",
        repo.path,
        "workflow_dispatch",
        payload,
        env,
        {"mode": "check"},
    )

    assert run.exit_code == 1, run.result.output
    assert run.outputs["findings"] == "1"
    assert any("file=pages/usage.md,line=3" in a for a in run.annotations), run.annotations
