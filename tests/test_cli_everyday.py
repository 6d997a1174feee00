"""The CLI as a new user meets it (issue 17): pages named on the command line, nothing to
check, severity and fixability on every line, -v everywhere, and configuration errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docsync.cli import main

MODULE = '''\
def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        address: where from.
        timeout: seconds.
    """
    return url
'''

PAGE = """\
# Usage

```python
from shop.api import fetch
fetch("a", 1, 2, 3)
```
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "src" / "shop").mkdir(parents=True)
    (tmp_path / "src" / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "src" / "shop" / "api.py").write_text(MODULE, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "docs" / "other.md").write_text("# Other\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Shop\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Shop\n", encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("later\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def found(*args: str) -> list[tuple[str, str]]:
    result = run("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], f["path"]) for f in json.loads(result.stdout)["findings"]]


# --- 1. pages on the command line; nothing to check --------------------------------------


@pytest.mark.parametrize("path", ["docs", "docs/", "docs/index.md"])
def test_a_page_or_the_docs_folder_checks_those_pages(site: Path, path: str) -> None:
    assert found(path) == [("DS702", "docs/index.md")]
    result = run("check", path)
    assert result.exit_code == 1
    assert "DS702" in result.stdout and "in 1 page" in result.stdout.replace("2 pages", "1 page")


def test_pages_and_modules_mix(site: Path) -> None:
    assert found("docs/other.md") == []
    assert found("docs/index.md", "src/shop/api.py") == [
        ("DS702", "docs/index.md"),
        ("DS103", "src/shop/api.py"),
    ]
    assert found("src") == [("DS103", "src/shop/api.py")]  # code paths leave pages out
    result = run("check", "docs/other.md")
    assert result.exit_code == 0
    assert "No drift found in 1 page." in result.stdout


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["README.md"], "README.md (a Markdown file outside the docs directory docs/"),
        (["notes"], "notes (holds no Python file"),
        (["notes/todo.txt"], "notes/todo.txt (not a Python file)"),
        (["--no-pages", "docs"], "docs (pages are off"),
        (["--select", "DS1", "README.md"], "README.md (a Markdown file outside"),
    ],
)
def test_a_run_that_checks_nothing_says_so_and_exits_2(
    site: Path, args: list[str], why: str
) -> None:
    for command in ("check", "fix"):
        result = run(command, *args)
        assert result.exit_code == 2, result.output
        assert "nothing to check: " in result.stderr and why in result.stderr
        assert "No drift found" not in result.output


def test_nothing_to_check_with_the_configured_paths(site: Path) -> None:
    (site / "pyproject.toml").write_text('[tool.docsync]\npaths = ["notes"]\n', encoding="utf-8")
    result = run("check", "--no-pages")
    assert result.exit_code == 2
    assert "nothing to check: no Python file under the configured paths (notes" in result.stderr


def test_fix_on_a_page_path_touches_only_that_page(site: Path) -> None:
    result = run("fix", "docs/index.md")
    assert result.exit_code == 1  # DS702 is left for a person
    assert (site / "src" / "shop" / "api.py").read_text(encoding="utf-8") == MODULE


# --- 2. severity and fixability on every line -----------------------------------------------


def test_every_line_shows_severity_and_whether_fix_fixes_it(site: Path) -> None:
    result = run("check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    (code_line,) = [line for line in lines if "DS103" in line]
    (page_line,) = [line for line in lines if "DS702" in line]
    assert "src/shop/api.py:5: DS103 [*] error renamed-param shop.api.fetch:" in code_line
    assert "docs/index.md:5: DS702 warning example-bad-call" in page_line
    assert lines[-1] == "[*] 1 fixable with `docsync fix` (1 more with `docsync fix --llm`)."
    document = json.loads(run("check", "--format", "json").stdout)
    assert {f["code"]: f["fix"] for f in document["findings"]} == {
        "DS103": "mechanical",
        "DS702": "llm",
    }
    assert document["summary"]["fixable"] == {"mechanical": 1, "llm": 1}
    sarif = json.loads(run("check", "--format", "sarif").stdout)
    fixes = {r["ruleId"]: r["properties"]["fix"] for r in sarif["runs"][0]["results"]}
    assert fixes == {"DS103": "mechanical", "DS702": "llm"}
    # The marker is a promise: `docsync fix` fixes the [*] finding and leaves the other.
    assert run("fix").exit_code == 1
    assert found() == [("DS702", "docs/index.md")]


def test_the_fix_line_names_base_mode(repo_site: Path) -> None:
    result = run("check", "--base", "main")
    assert result.exit_code == 1, result.output
    assert "[*] 1 fixable with `docsync fix --base main`" in result.stdout


@pytest.fixture
def repo_site(site: Path) -> Path:
    import subprocess

    env_git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid"]
    (site / "src" / "shop" / "api.py").write_text(MODULE.replace("address", "url"), "utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], check=True)
    subprocess.run(["git", "add", "-A"], check=True)
    subprocess.run([*env_git, "commit", "-qm", "base"], check=True)
    (site / "src" / "shop" / "api.py").write_text(MODULE, encoding="utf-8")
    return site


# --- 3. -v means the same on every subcommand ------------------------------------------------


@pytest.mark.parametrize("command", [["check"], ["baseline"], ["fix"], ["fix", "--diff"]])
def test_verbose_shows_the_informational_diagnostics_everywhere(
    site: Path, command: list[str]
) -> None:
    (site / "src" / "shop" / "empty.py").write_text("", encoding="utf-8")
    (site / "src" / "shop" / "broken.py").write_text("def (:\n", encoding="utf-8")
    quiet, verbose = run(*command), run(*command, "-v")
    assert quiet.exit_code == verbose.exit_code != 2, verbose.output
    info = "info: src/shop/empty.py:1: empty file"
    warning = "warning: src/shop/broken.py:1: "
    assert info not in quiet.output and info in verbose.output
    assert warning in quiet.output and warning in verbose.output


# --- 4. configuration errors: all at once, each with its origin and the closest valid value ---


def test_every_config_error_at_once_with_where_it_was_set(site: Path) -> None:
    pyproject = site / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "shop"\n\n[tool.docsync]\nfail-on = "high"\nfail-onn = "error"\n'
        '\n[tool.docsync.severity]\nDS101 = "loud"\n',
        encoding="utf-8",
    )
    result = run("check", "--select", "DS999", "--ignore", "DS205")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "docsync: error: 5 configuration errors:"
    assert lines[1:] == [
        f"  {pyproject}:5: [tool.docsync] 'fail-on' must be one of info, warning, error, "
        "got 'high'",
        f"  {pyproject}:6: [tool.docsync]: unknown key 'fail-onn' (did you mean 'fail-on'?)",
        f"  {pyproject}:8: [tool.docsync] 'severity.DS101' must be one of info, warning, error, "
        "got 'loud'",
        "  command line (--select): no rule matches 'DS999'; see docsync rules",
        "  command line (--ignore): no rule matches 'DS205' (did you mean DS204?); "
        "see docsync rules",
    ]


def test_a_bad_flag_blames_the_command_line_not_a_pyproject_without_the_table(
    site: Path,
) -> None:
    (site / "pyproject.toml").write_text('[project]\nname = "shop"\n', encoding="utf-8")
    result = run("check", "--select", "DS999")
    assert result.exit_code == 2
    assert result.stderr == (
        "docsync: error: command line (--select): no rule matches 'DS999'; see docsync rules\n"
    )


def test_a_misspelt_base_ref_suggests_the_closest_ref(repo_site: Path) -> None:
    import subprocess

    subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], check=True)
    subprocess.run(["git", "tag", "v1.0"], check=True)
    for typed, meant in (("origin/mian", "origin/main"), ("v1.1", "v1.0"), ("mainn", "main")):
        result = run("check", "--base", typed)
        assert result.exit_code == 2
        assert f"base ref '{typed}' not found: did you mean {meant}?" in result.stderr
