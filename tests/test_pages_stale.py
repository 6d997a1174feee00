"""Stale pages in base mode: the Markdown lines a change broke (issue 14), on real git history.

Each test commits a small package ``tally`` with a MkDocs page, changes the code
(never the page) and runs ``docsync check --base HEAD``.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from docsync.cli import main
from helpers_git import GitRepo

CORE = '''\
def count(items, key=None):
    """Count items."""
    return len(items)


class Counter:
    """A counter."""

    def add(self, item):
        """Add an item."""


class Tally(dict):
    """A tally, with a base from outside the project."""

    def check_bindings(self):
        """Check."""

    def keep(self):
        """Keep."""
'''


@pytest.fixture
def tally(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """A committed project: the package ``tally`` and a MkDocs site."""
    repo.write("pyproject.toml", "[tool.docsync]\npaths = ['src']\n")
    repo.write("mkdocs.yml", "site_name: Tally\n")
    repo.write("src/tally/__init__.py", "from tally.core import Counter, Tally, count\n")
    repo.write("src/tally/core.py", CORE)
    repo.write("docs/index.md", "# Tally\n")
    repo.commit("base")
    monkeypatch.chdir(repo.path)
    return repo


def check(
    repo: GitRepo, page: str, code: dict[str, str], *, base: bool = True
) -> list[tuple[str, int, int]]:
    """Commit ``page``, then change the code to ``code`` and check (in base mode)."""
    repo.write("docs/index.md", page)
    repo.commit("page")
    for path, text in code.items():
        repo.write(path, text)
    args = ["--base", "HEAD"] if base else []
    result = CliRunner().invoke(main, ["check", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.output)["findings"]
    return [(f["code"], f["line"], f["end_line"]) for f in found if f["code"] != "DS706"]


def diagnostics(repo: GitRepo) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--format", "json"])
    return [d["message"] for d in json.loads(result.output)["diagnostics"]]


# --- 1. a package __getattr__ ---------------------------------------------------------

LAZY = """\
from tally.core import Counter, Tally, count

_lazy = {"Window": ("tally", ".window"), "Pane": ("tally", ".window")}


def __getattr__(name):
    found = _lazy.get(name)
    if found is None:
        raise AttributeError(name)
    return found
"""


def test_a_readable_getattr_judges_the_names_it_does_not_serve(tally: GitRepo) -> None:
    tally.write("src/tally/__init__.py", LAZY)
    tally.commit("lazy exports")
    page = "# Tally\n\nUse `tally.Window` and `tally.Pane`, or `tally.count`.\n"
    no_pane = LAZY.replace(', "Pane": ("tally", ".window")', "")
    # Judged on the whole site: which base-mode findings the change owns is the page
    # filter's job (commands.check.base_page_findings), which keeps removed symbols.
    found = check(tally, page, {"src/tally/__init__.py": no_pane}, base=False)
    assert found == [("DS701", 3, 3)]


def test_a_version_only_getattr_does_not_silence_the_package(tally: GitRepo) -> None:
    served = (
        "from tally.core import Counter, Tally, count\n\n\n"
        "def __getattr__(name: str) -> str:\n"
        "    if name == '__version__':\n"
        "        return '1.0'\n"
        "    raise AttributeError(name)\n"
    )
    tally.write("src/tally/__init__.py", served)
    tally.commit("version")
    page = "# Tally\n\n`tally.__version__` and `tally.Counter`.\n"
    gone = served.replace("Counter, ", "")
    gone_core = CORE.replace("class Counter:", "class _Counter:")
    found = check(tally, page, {"src/tally/__init__.py": gone, "src/tally/core.py": gone_core})
    assert found == [("DS701", 3, 3)]


def test_an_unreadable_getattr_is_said_once_and_judges_nothing(tally: GitRepo) -> None:
    opaque = (
        "import importlib\n\n\ndef __getattr__(name):\n"
        "    return importlib.import_module('.' + name, __name__)\n"
    )
    tally.write("src/tally/__init__.py", opaque)
    tally.write("src/tally/sub/__init__.py", opaque)
    tally.commit("opaque")
    page = "# Tally\n\n`tally.Anything` and `tally.sub.Other`.\n"
    assert check(tally, page, {"src/tally/core.py": CORE + "\n\nX = 1\n"}) == []
    messages = [m for m in diagnostics(tally) if "__getattr__" in m]
    assert len(messages) == 1 and "`tally`, `tally.sub`" in messages[0]


def test_a_name_removed_from_the_getattr_table_is_reported_in_base_mode(
    tally: GitRepo,
) -> None:
    tally.write("src/tally/__init__.py", LAZY)
    tally.commit("lazy exports")
    page = "# Tally\n\nUse `tally.Window`.\n\nAnd `tally.Pane`.\n"
    no_pane = LAZY.replace(', "Pane": ("tally", ".window")', "")
    assert check(tally, page, {"src/tally/__init__.py": no_pane}) == [("DS701", 5, 5)]


# --- 2. blocks that do not import what they use --------------------------------------


def test_imports_carry_forward_and_the_package_is_known_without_import(tally: GitRepo) -> None:
    page = (
        "# Tally\n\n```python\nimport tally as t\n```\n\n"
        "```python\nt.count(items, by='kind')\n```\n\n"
        "```python\ntally.count(items, by='kind')\n```\n"
    )
    renamed = CORE.replace("def count(items, key=None):", "def count(items, by=None):")
    assert check(tally, page, {"src/tally/core.py": renamed}) == []
    back = CORE.replace("def count(items, key=None):", "def count(items, group=None):")
    assert check(tally, page, {"src/tally/core.py": back}) == [
        ("DS702", 8, 8),
        ("DS702", 12, 12),
    ]


def test_a_name_the_page_binds_otherwise_is_not_the_package(tally: GitRepo) -> None:
    page = (
        "# Tally\n\n```python\ntally = make_tally()\n```\n\n"
        "```python\ntally.gone(1)\nfrom mylib import t\nt.gone()\n```\n"
    )
    assert check(tally, page, {"src/tally/core.py": CORE + "\n\nX = 1\n"}) == []


# --- 3. what resolved at the base and does not at the head ---------------------------

ALIASES = (
    "from tally.core import Counter, Tally, count\n"
    "from tally.core import count as tally_up\n\n"
    "Kind = dict[str, int]\nLIMIT = 10\n"
)


def test_removed_re_exports_aliases_and_variables_are_reported(tally: GitRepo) -> None:
    tally.write("src/tally/__init__.py", ALIASES)
    tally.commit("aliases")
    page = (
        "# Tally\n\n```python\nfrom tally import tally_up\n```\n\n"
        "See `tally.Kind` and `tally.LIMIT`.\n"
    )
    head = "from tally.core import Counter, Tally, count\n"
    assert check(tally, page, {"src/tally/__init__.py": head}) == [
        ("DS703", 4, 4),
        ("DS701", 7, 7),
        ("DS701", 7, 7),
    ]


def test_a_reference_broken_before_the_change_is_not_the_changes(tally: GitRepo) -> None:
    page = "# Tally\n\nSee `tally.Missing` and `tally.count`.\n"
    assert check(tally, page, {"src/tally/core.py": CORE + "\n\nX = 1\n"}) == []
    # the same page without base mode: the old break is there
    assert check(tally, page, {}, base=False) == [("DS701", 3, 3)]


# --- 4. members of classes with an external base -------------------------------------


def test_a_member_the_class_no_longer_defines_is_gone_whatever_its_bases(
    tally: GitRepo,
) -> None:
    page = "# Tally\n\nCall `Tally.check_bindings` and `Tally.keep`; `Tally.items` is a dict's.\n"
    gone = CORE.replace('    def check_bindings(self):\n        """Check."""\n\n', "")
    assert check(tally, page, {"src/tally/core.py": gone}) == [("DS701", 3, 3)]


def test_a_member_moved_to_a_project_base_is_not_gone(tally: GitRepo) -> None:
    page = "# Tally\n\nCall `Tally.check_bindings`.\n"
    moved = CORE.replace(
        "class Tally(dict):",
        'class Base(dict):\n    """A base."""\n\n    def check_bindings(self):\n'
        '        """Check the bindings."""\n        pass\n\n\nclass Tally(Base):',
    )
    moved = moved.replace('    def check_bindings(self):\n        """Check."""\n\n', "")
    assert check(tally, page, {"src/tally/core.py": moved}) == []


# --- 5. inline code: calls and bare class names ---------------------------------------


def test_an_inline_call_is_checked_as_an_example(tally: GitRepo) -> None:
    page = (
        '# Tally\n\nCall `tally.core.count(items, key="kind")` or `count(items)`,\n'
        "or `tally.count(...)`.\n"
    )
    renamed = CORE.replace("def count(items, key=None):", "def count(items, by=None):")
    assert check(tally, page, {"src/tally/core.py": renamed}) == [("DS702", 3, 3)]


def test_a_bare_class_name_the_change_removed(tally: GitRepo) -> None:
    page = "# Tally\n\nA `Counter` counts; see the `Counter` class.\n"
    gone = CORE.replace("class Counter:", "class Count:")
    gone_init = "from tally.core import Count, Tally, count\n"
    found = check(tally, page, {"src/tally/core.py": gone, "src/tally/__init__.py": gone_init})
    assert found == [("DS701", 3, 3), ("DS701", 3, 3)]


@pytest.mark.parametrize(
    "page",
    [
        "# T\n\nThe `Counter` of `collections.Counter` counts.\n",  # another library's class
        "# T\n\nReturns `None`, a `list` or `Tally`.\n",  # builtins, a name that exists
        "# T\n\nSet `counter` to `True`.\n",  # plain words
        "# T\n\nThe `Counter` was removed in 2.0.\n",  # a paragraph about the past
    ],
)
def test_bare_names_kept(tally: GitRepo, page: str) -> None:
    gone = CORE.replace("class Counter:", "class _Gone:")
    gone_init = "from tally.core import Tally, count\n"
    found = check(tally, page, {"src/tally/core.py": gone, "src/tally/__init__.py": gone_init})
    assert found == []


def test_a_bare_name_two_removed_symbols_share_is_not_judged(tally: GitRepo) -> None:
    tally.write("src/tally/extra.py", "class Counter:\n    pass\n")
    tally.commit("second Counter")
    page = "# Tally\n\nA `Counter` counts.\n"
    gone = CORE.replace("class Counter:", "class _Gone:")
    changed = {
        "src/tally/core.py": gone,
        "src/tally/__init__.py": "from tally.core import Tally, count\n",
        "src/tally/extra.py": "X = 1\n",
    }
    assert check(tally, page, changed) == []


# --- 6. one finding per construct -----------------------------------------------------


def test_a_multi_line_import_and_call_are_one_finding_each(tally: GitRepo) -> None:
    page = (
        "# Tally\n\n```python\nfrom tally import (\n    Counter,\n    Tally,\n)\n\n"
        "tally.core.count(\n    items,\n    key='kind',\n)\n```\n"
    )
    gone = CORE.replace("class Counter:", "class _C:").replace(
        "class Tally(dict):", "class _T(dict):"
    )
    gone = gone.replace("def count(items, key=None):", "def count(items, by=None):")
    found = check(
        tally,
        page,
        {"src/tally/core.py": gone, "src/tally/__init__.py": "from tally.core import count\n"},
    )
    assert found == [("DS703", 4, 7), ("DS702", 9, 12)]


# --- examples that override a project method ----------------------------------------

HOOK = '''\
class Hook:
    """A hook."""

    def on_item(self, *, item, tally=None):
        """Called for each item."""
'''


def test_an_override_without_a_keyword_the_change_made_required(tally: GitRepo) -> None:
    tally.write("src/tally/hook.py", HOOK)
    tally.commit("hook")
    page = (
        "# Tally\n\n```python\nfrom tally.hook import Hook\n\n\nclass Mine(Hook):\n"
        "    def on_item(\n        self, item\n    ):\n        print(item)\n```\n"
    )
    required = HOOK.replace("tally=None", "tally")
    assert check(tally, page, {"src/tally/hook.py": required}) == [("DS702", 8, 10)]


def test_an_override_that_leaves_out_an_optional_keyword_is_fine(tally: GitRepo) -> None:
    tally.write("src/tally/hook.py", HOOK)
    tally.commit("hook")
    page = (
        "# Tally\n\n```python\nfrom tally.hook import Hook\n\n\nclass Mine(Hook):\n"
        "    def on_item(self, item):\n        print(item)\n```\n"
    )
    optional = HOOK.replace("tally=None", "tally=None, extra=None")
    assert check(tally, page, {"src/tally/hook.py": optional}) == []
