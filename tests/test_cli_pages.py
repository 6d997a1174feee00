"""`docsync check` on pages: on by default, narrowed by explicit paths, configurable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from docsync.cli import main

MODULE = '''\
def fetch(url):
    """Fetch a URL.

    Args:
        url: where from.
    """
    return url
'''

PAGE = """\
# Usage

Call `shop.api.fetch` to fetch, not `shop.api.download`.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "src" / "shop").mkdir(parents=True)
    (tmp_path / "src" / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "src" / "shop" / "api.py").write_text(MODULE, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Shop\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    return tmp_path


def codes(site: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[tuple[str, str, int]]:
    monkeypatch.chdir(site)
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], f["path"], f["line"]) for f in json.loads(result.output)["findings"]]


def test_pages_are_checked_by_default(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert codes(site, monkeypatch) == [("DS701", "docs/index.md", 3)]


def test_no_pages_flag_and_config_key(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert codes(site, monkeypatch, "--no-pages") == []
    (site / "pyproject.toml").write_text("[tool.docsync]\npages = false\n", encoding="utf-8")
    assert codes(site, monkeypatch) == []


def test_explicit_code_paths_leave_the_pages_out(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert codes(site, monkeypatch, "src") == []
    assert codes(site, monkeypatch, "src", "docs") == [("DS701", "docs/index.md", 3)]
    assert codes(site, monkeypatch, "src", "--pages") == [("DS701", "docs/index.md", 3)]


def test_docs_dir_override(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "docs").rename(site / "manual")
    (site / "mkdocs.yml").unlink()
    assert codes(site, monkeypatch) == []
    assert codes(site, monkeypatch, "--docs-dir", "manual") == [("DS701", "manual/index.md", 3)]


def test_broken_mkdocs_yml_exits_2_with_file_and_line(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (site / "mkdocs.yml").write_text("site_name: Shop\nnav: [\n", encoding="utf-8")
    monkeypatch.chdir(site)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "mkdocs.yml:3: not valid YAML" in result.output


def test_rules_lists_page_rules() -> None:
    output = CliRunner().invoke(main, ["rules"]).output
    assert "DS701" in output and "DS705" in output


def test_page_rule_codes_are_valid_in_select(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert codes(site, monkeypatch, "--select", "DS7") == [("DS701", "docs/index.md", 3)]
    assert codes(site, monkeypatch, "--ignore", "DS701") == []


def test_a_sphinx_docs_folder_is_not_read_as_mkdocs_pages(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (site / "mkdocs.yml").unlink()
    (site / "docs" / "conf.py").write_text("project = 'shop'\n", encoding="utf-8")
    assert codes(site, monkeypatch) == []
    assert codes(site, monkeypatch, "--docs-dir", "docs") == [("DS701", "docs/index.md", 3)]
