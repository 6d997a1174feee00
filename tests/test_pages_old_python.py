"""DS711 page-old-python-version (issue 14): a page stating the minimum Python the change raised.

Each test commits a small package with a MkDocs site and a ``requires-python`` in a
real git repository, changes it in the working tree and runs ``docsync check --base
HEAD`` (or a whole-tree ``check``).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from docsync.cli import main
from docsync.rules.old_python import python_floor
from helpers_git import GitRepo

INDEX = "# Shop\n\n**shop** requires **Python 3.7+**.\n"


def pyproject(requires: str | None) -> str:
    """A ``pyproject.toml`` with ``requires`` as ``requires-python`` (``None``: none)."""
    line = f'requires-python = "{requires}"\n' if requires is not None else ""
    return f'[project]\nname = "shop"\nversion = "1.0"\n{line}\n[tool.docsync]\npaths = ["src"]\n'


@pytest.fixture
def shop(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """A committed project requiring ``>=3.7``, whose index says so."""
    repo.write("pyproject.toml", pyproject(">=3.7"))
    repo.write("mkdocs.yml", "site_name: Shop\n")
    repo.write("src/shop/__init__.py", '"""A shop."""\n')
    repo.write("docs/index.md", INDEX)
    repo.commit("base")
    monkeypatch.chdir(repo.path)
    return repo


def findings(*args: str) -> list[dict[str, object]]:
    """The DS711 findings of ``docsync check`` with ``args``, as JSON objects."""
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return [f for f in json.loads(result.output)["findings"] if f["code"] == "DS711"]


def lines(*args: str) -> list[tuple[str, int]]:
    """``docsync check --base HEAD`` DS711 findings as (page, line)."""
    return [(str(f["path"]), int(str(f["line"]))) for f in findings("--base", "HEAD", *args)]


def test_a_raised_minimum_flags_the_untouched_page(shop: GitRepo) -> None:
    shop.write("pyproject.toml", pyproject(">=3.8"))
    found = findings("--base", "HEAD")
    assert [(f["path"], f["line"]) for f in found] == [("docs/index.md", 3)]
    assert found[0]["message"] == (
        "the page says Python 3.7+; this change raised requires-python to >=3.8 (pyproject.toml)"
    )
    assert found[0]["severity"] == "warning"


def test_the_fingerprint_is_stable_when_lines_move(shop: GitRepo) -> None:
    shop.write("pyproject.toml", pyproject(">=3.8"))
    before = findings("--base", "HEAD")[0]["fingerprint"]
    shop.write("docs/index.md", "# Shop\n\nIntro.\n\nMore.\n\n**shop** requires **Python 3.7+**.\n")
    after = findings("--base", "HEAD")
    assert [(f["line"], f["fingerprint"]) for f in after] == [(7, before)]


@pytest.mark.parametrize(
    "statement",
    [
        "Python 3.7+ (For Python 3.6 support, install version 0.19.1)",
        "It needs Python >= 3.7.",
        "It needs Python ≥ 3.7.",
        "Any CPython 3.7 or later works.",
        "Runs on Python 3.7 and above.",
        "shop requires Python 3.7.",
        "`Python 3.7+`",
        "* Python 3.7+",
    ],
)
def test_the_ways_of_stating_the_old_minimum(shop: GitRepo, statement: str) -> None:
    shop.write("docs/index.md", f"# Shop\n\n{statement}\n")
    shop.commit("statement")
    shop.write("pyproject.toml", pyproject(">=3.8,<4"))
    assert lines() == [("docs/index.md", 3)]


@pytest.mark.parametrize(
    "text",
    [
        "Python 3.10+ is needed for the fast path.",
        "Python 3.7 support was dropped.",
        "Dropped support for Python 3.7 (shop used to need Python 3.7+).",
        "Python 3.7+ support is deprecated.",
        "shop no longer supports Python 3.7+ interpreters.",
        "pip 3.7+ is fine.",
        "Python 3.7.\n",
        '```python\nsetup(python_requires=">=3.7")\n```\n\n```text\nPython 3.7+\n```',
        "    Python 3.7+ (an indented code block)",
        '<div class="card">\n<p>FastAPI: web APIs with Python 3.7+</p>\n</div>',
    ],
)
def test_what_is_not_a_statement_of_the_old_minimum(shop: GitRepo, text: str) -> None:
    shop.write("docs/index.md", f"# Shop\n\n{text}\n")
    shop.commit("text")
    shop.write("pyproject.toml", pyproject(">=3.8"))
    assert lines() == []


def test_history_pages_are_not_judged(shop: GitRepo) -> None:
    shop.write("docs/index.md", "# Shop\n")
    shop.write("docs/changelog.md", "# Changelog\n\n## 1.0\n\nshop requires Python 3.7+.\n")
    shop.commit("changelog")
    shop.write("pyproject.toml", pyproject(">=3.8"))
    assert lines() == []


@pytest.mark.parametrize(
    ("base", "head"),
    [
        (">=3.7", ">=3.7"),  # unchanged
        (">=3.7", ">=3.7,<4"),  # changed, same minimum
        (">=3.8", ">=3.7"),  # lowered
        (None, ">=3.8"),  # absent at the base
        (">=3.7", None),  # removed
        (">=3.*", ">=3.8"),  # unreadable at the base
        (">=3.7", "3.8"),  # unreadable at the head
    ],
)
def test_no_raised_minimum_no_finding(repo: GitRepo, base: str | None, head: str | None) -> None:
    repo.write("pyproject.toml", pyproject(base))
    repo.write("mkdocs.yml", "site_name: Shop\n")
    repo.write("src/shop/__init__.py", '"""A shop."""\n')
    repo.write("docs/index.md", INDEX + "\nOr Python 3.8+.\n")  # the base's and the head's
    repo.commit("base")
    repo.write("pyproject.toml", pyproject(head))
    repo.write("src/shop/__init__.py", '"""A shop, changed."""\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo.path)
        assert lines() == []


def test_whole_tree_check_never_reports_it(shop: GitRepo) -> None:
    shop.write("pyproject.toml", pyproject(">=3.8"))
    assert findings() == []


def test_a_committed_raise_is_found_from_the_older_base(shop: GitRepo) -> None:
    shop.write("docs/guide.md", "# Guide\n")
    base = shop.commit("guide")
    shop.write("pyproject.toml", pyproject(">=3.9"))
    shop.commit("drop 3.7 and 3.8")
    assert [f["line"] for f in findings("--base", base)] == [3]


def test_invalid_toml_at_the_head_is_not_a_finding(shop: GitRepo) -> None:
    shop.write("pyproject.toml", '[project\nrequires-python = ">=3.8"\n')
    result = CliRunner().invoke(main, ["check", "--base", "HEAD", "--format", "json"])
    assert "DS711" not in result.output


@pytest.mark.parametrize(
    ("spec", "floor"),
    [
        (">=3.8", (3, 8)),
        (">=3.8,<4", (3, 8)),
        (" >= 3.9 , != 3.9.1 ", (3, 9)),
        ("~=3.8", (3, 8)),
        ("~=3.8.2", (3, 8)),
        (">3.7", (3, 7)),
        ("==3.10.*", (3, 10)),
        (">=3.7,>=3.9", (3, 9)),
        ("<4", None),
        ("", None),
        (">=3.*", None),
        (">=3", None),
        (">=3.8; python_version", None),
        ("===3.8", None),
        ("three", None),
    ],
)
def test_python_floor(spec: str, floor: tuple[int, int] | None) -> None:
    assert python_floor(spec) == floor
