"""``docsync fix --base``: fix what a change made stale, in a real git repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsync.commands.fix import run_fix
from docsync.config import load_config
from helpers_git import new_repo

BASE = '''\
"""The API: start with :func:`load_config`, or see ``pkg.api.load_config()``."""


def load_config(path):
    """Load the configuration.

    Args:
        path: the file.
    """
    with open(path) as handle:
        text = handle.read()
    pairs = [line.split("=", 1) for line in text.splitlines() if "=" in line]
    return {key.strip(): value.strip() for key, value in pairs}


def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        url: where from.
        timeout: seconds to wait.
    """
    return open(url).read()


def untouched(a):
    """Already wrong at the base, and not touched by the change.

    Args:
        a: fine.
        gone: documented but long gone.
    """
    return a
'''

HEAD = (
    BASE.replace("def load_config(path):", "def read_config(path):")
    .replace("def fetch(url, timeout=3):", "def fetch(url, retries=3):")
    .replace("    return open(url).read()", "    return open(url).read() * retries")
)


def test_base_mode_fixes_renames_and_references_but_not_old_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("pyproject.toml", "")
    repo.write("pkg/__init__.py", "")
    repo.write("pkg/api.py", BASE)
    base = repo.commit("base")
    repo.write("pkg/api.py", HEAD)
    repo.commit("rename load_config, change fetch")
    result = run_fix(load_config(repo.path), base=base)
    assert sorted(f.code for f in result.fixed) == ["DS103", "DS601", "DS601"], result.failed
    text = (repo.path / "pkg/api.py").read_text(encoding="utf-8")
    assert text.startswith(
        '"""The API: start with :func:`read_config`, or see ``pkg.api.read_config()``."""'
    )
    assert "        retries: seconds to wait.\n" in text
    assert "        gone: documented but long gone.\n" in text
    again = run_fix(load_config(repo.path), base=base)
    assert again.edits_applied == () and again.failed == ()


@pytest.mark.parametrize("review", [False, True])
def test_review_prompts_are_left_for_a_person_only_with_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, review: bool
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("pyproject.toml", f"[tool.docsync]\nreview = {str(review).lower()}\n")
    repo.write("pkg/__init__.py", "")
    repo.write("pkg/api.py", BASE)
    base = repo.commit("base")
    repo.write("pkg/api.py", BASE.replace("open(url).read()", "open(url).read().strip()"))
    result = run_fix(load_config(repo.path), base=base)
    left = [(f.code, f.symbol) for f in result.left_for_person]
    assert left == ([("DS502", "pkg.api.fetch")] if review else [])


PAGE = """\
# Guide

Load settings with `pkg.api.load_config()`.\r
See also [pkg.api.load_config][].

```python
from pkg.api import fetch

fetch("https://example.com", timeout=3)
```
"""


def test_base_mode_fixes_renamed_names_and_keywords_on_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("pyproject.toml", "")
    repo.write("mkdocs.yml", "site_name: t\n")
    repo.write("pkg/__init__.py", "")
    repo.write("pkg/api.py", BASE)
    (repo.path / "docs").mkdir()
    (repo.path / "docs/index.md").write_bytes(PAGE.encode())
    base = repo.commit("base")
    repo.write("pkg/api.py", BASE.replace("load_config", "read_config").replace("timeout", "wait"))
    repo.commit("rename load_config and a keyword of fetch")
    result = run_fix(load_config(repo.path), base=base)
    page_fixes = sorted(f.code for f in result.fixed if f.location.path == "docs/index.md")
    assert page_fixes == ["DS701", "DS701", "DS702"], (result.left_for_person, result.failed)
    text = (repo.path / "docs/index.md").read_bytes().decode()
    assert text == PAGE.replace("load_config", "read_config").replace("timeout=", "wait=")


def test_base_mode_fixes_a_call_written_over_several_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("pyproject.toml", "")
    repo.write("mkdocs.yml", "site_name: t\n")
    repo.write("pkg/__init__.py", "")
    repo.write("pkg/api.py", BASE)
    page = (
        "# Guide\n\n```python\nimport pkg.api\n```\n\n"
        '```python\npkg.api.fetch(\n    "https://example.com",\n    timeout=3,\n)\n```\n'
    )
    (repo.path / "docs").mkdir()
    (repo.path / "docs/index.md").write_text(page, encoding="utf-8")
    base = repo.commit("base")
    repo.write("pkg/api.py", BASE.replace("timeout", "wait"))
    repo.commit("rename a keyword of fetch")
    result = run_fix(load_config(repo.path), base=base)
    fixed = [(f.code, f.location.line, f.location.end_line) for f in result.fixed]
    assert ("DS702", 8, 11) in fixed, (result.left_for_person, result.failed)
    text = (repo.path / "docs/index.md").read_text(encoding="utf-8")
    assert text == page.replace("timeout=", "wait=")
