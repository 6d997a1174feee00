"""The change set, computed on real git repositories in temp dirs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from docsync.changes.changeset import (
    ChangeSet,
    FileChange,
    FileStatus,
    changed_files,
    compute_changes,
    resolve_sides,
)
from docsync.changes.diff import ChangeKind
from docsync.changes.revisions import EMPTY_TREE, EmptyRevision
from docsync.commands.against_base import scan_revision
from docsync.config import Config
from docsync.errors import ConfigError, GitError
from helpers_git import GitRepo, edit, pin_git_env

K = ChangeKind

API = '''\
"""The API."""


def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        url: where from.
        timeout: seconds to wait.
    """
    response = open(url)
    data = response.read()
    return data.strip()


def load_config(path):
    """Load the configuration.

    Args:
        path: the file.
    """
    with open(path) as handle:
        text = handle.read()
    pairs = [line.split("=", 1) for line in text.splitlines() if "=" in line]
    return {key.strip(): value.strip() for key, value in pairs}


class Client:
    """A client."""

    def get(self, key):
        """Get a key.

        Args:
            key: the key.
        """
        value = self.store[key]
        return value
'''


def changes_of(repo: GitRepo, base: str = "main", **kwargs: object) -> ChangeSet:
    changes, _ = compute_changes(repo.path, Config(root=repo.path), base, **kwargs)  # type: ignore[arg-type]
    return changes


def kinds(changes: ChangeSet) -> dict[str, set[str]]:
    return {c.qualname: {k.value for k in c.kinds} for c in changes.symbols}


@pytest.fixture
def pkg(repo: GitRepo) -> GitRepo:
    repo.write("pkg/__init__.py", '"""The package."""\n')
    repo.write("pkg/api.py", API)
    repo.commit("base")
    return repo


def test_no_change_gives_an_empty_change_set(pkg: GitRepo) -> None:
    changes = changes_of(pkg)
    assert changes.files == ()
    assert changes.symbols == ()
    assert changes.head == "working tree"
    assert changes.base == pkg.git("rev-parse", "HEAD")


def test_signature_change(pkg: GitRepo) -> None:
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url, deadline=None):")
    changes = changes_of(pkg)
    assert kinds(changes) == {"pkg.api.fetch": {"signature-changed"}}
    change = changes.for_head("pkg.api.fetch")
    assert change is not None and change.old is not None and change.new is not None
    assert [p.name for p in change.old.signature.params] == ["url", "timeout"]  # type: ignore[union-attr]
    assert changes.files == (FileChange("pkg/api.py", FileStatus.MODIFIED),)


def test_body_change_is_not_a_formatting_change(pkg: GitRepo) -> None:
    edit(pkg, "    return data.strip()", "    return data.strip().lower()")
    edit(pkg, "        value = self.store[key]", "        value = self.store[ key ]  # same code")
    assert kinds(changes_of(pkg)) == {"pkg.api.fetch": {"body-changed"}}


def test_formatting_only_change_changes_nothing(pkg: GitRepo) -> None:
    edit(
        pkg,
        "    data = response.read()",
        "    data = (\n        response.read()\n    )  # reflowed",
    )
    changes = changes_of(pkg)
    assert changes.files == (FileChange("pkg/api.py", FileStatus.MODIFIED),)
    assert changes.symbols == ()


def test_docstring_change(pkg: GitRepo) -> None:
    edit(pkg, "timeout: seconds to wait.", "timeout: seconds to wait for an answer.")
    assert kinds(changes_of(pkg)) == {"pkg.api.fetch": {"docstring-changed"}}


def test_several_kinds_at_once(pkg: GitRepo) -> None:
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url, timeout=3, retries=0):")
    edit(pkg, "timeout: seconds to wait.", "timeout: seconds.\n        retries: how often.")
    edit(pkg, "    return data.strip()", "    return data")
    assert kinds(changes_of(pkg))["pkg.api.fetch"] == {
        "signature-changed",
        "docstring-changed",
        "body-changed",
    }


def test_added_and_removed(pkg: GitRepo) -> None:
    edit(pkg, "class Client:", "def extra(a, b):\n    return a + b\n\n\nclass Client:")
    edit(pkg, '        """Get a key.', '        """Get a key.\n\n        More.')
    pkg.write("pkg/api.py", (pkg.path / "pkg/api.py").read_text().split("class Client")[0])
    result = kinds(changes_of(pkg))
    assert result["pkg.api.extra"] == {"added"}
    assert result["pkg.api.Client"] == {"removed"}
    assert result["pkg.api.Client.get"] == {"removed"}
    removed = changes_of(pkg).for_base("pkg.api.Client.get")
    assert removed is not None and removed.new is None and removed.new_qualname is None


def test_rename_in_place(pkg: GitRepo) -> None:
    edit(pkg, "def load_config(path):", "def read_config(path):")
    changes = changes_of(pkg)
    change = changes.for_base("pkg.api.load_config")
    assert change is not None
    assert change.kinds == {K.RENAMED}
    assert change.new_qualname == "pkg.api.read_config"
    assert changes.for_head("pkg.api.read_config") is change
    assert set(changes.gone()) == {"pkg.api.load_config"}


def test_rename_of_a_class_renames_its_methods(pkg: GitRepo) -> None:
    edit(pkg, "class Client:", "class Session:")
    result = {c.qualname: (c.new_qualname, set(c.kinds)) for c in changes_of(pkg).symbols}
    assert result["pkg.api.Client"] == ("pkg.api.Session", {K.RENAMED})
    assert result["pkg.api.Client.get"] == ("pkg.api.Session.get", {K.RENAMED})


def test_move_to_another_module_with_a_small_edit(pkg: GitRepo) -> None:
    text = (pkg.path / "pkg/api.py").read_text()
    start, end = text.index("def load_config"), text.index("class Client")
    moved = text[start:end].replace("line.split", "line.rsplit")
    pkg.write("pkg/api.py", text[:start] + text[end:])
    pkg.write("pkg/config.py", '"""Configuration."""\n\n\n' + moved)
    change = changes_of(pkg).for_base("pkg.api.load_config")
    assert change is not None
    assert change.kinds == {K.MOVED, K.BODY_CHANGED}
    assert change.new_qualname == "pkg.config.load_config"


def test_moved_and_renamed_with_a_new_signature_is_removed_and_added(pkg: GitRepo) -> None:
    text = (pkg.path / "pkg/api.py").read_text()
    start, end = text.index("def load_config"), text.index("class Client")
    moved = text[start:end].replace("load_config(path)", "read_settings(path, strict)")
    moved = moved.replace('"=" in line', '"=" in line and strict')
    pkg.write("pkg/api.py", text[:start] + text[end:])
    pkg.write("pkg/settings.py", moved)
    result = kinds(changes_of(pkg))
    assert result["pkg.api.load_config"] == {"removed"}
    assert result["pkg.settings.read_settings"] == {"added"}


def test_file_rename_moves_every_symbol(pkg: GitRepo) -> None:
    pkg.git("mv", "pkg/api.py", "pkg/client.py")
    changes = changes_of(pkg)
    assert changes.files == (FileChange("pkg/client.py", FileStatus.RENAMED, "pkg/api.py"),)
    moved = {c.qualname: c.new_qualname for c in changes.symbols if c.has(K.MOVED)}
    assert moved["pkg.api.fetch"] == "pkg.client.fetch"
    assert moved["pkg.api.Client.get"] == "pkg.client.Client.get"


def test_trivial_bodies_are_not_taken_for_moves(repo: GitRepo) -> None:
    repo.write("a.py", "def one(x):\n    pass\n")
    repo.commit()
    repo.write("a.py", "def two(y):\n    pass\n")
    assert kinds(changes_of(repo)) == {"a.one": {"removed"}, "a.two": {"added"}}


def test_ties_are_broken_by_name(repo: GitRepo) -> None:
    body = "    total = 0\n    for item in items:\n        total += item\n    return total\n"
    repo.write("a.py", f"def alpha(items):\n{body}\n\ndef beta(items):\n{body}")
    repo.commit()
    repo.write("a.py", f"def gamma(items):\n{body}\n\ndef delta(items):\n{body}")
    pairs = {c.qualname: c.new_qualname for c in changes_of(repo).symbols}
    assert pairs == {"a.alpha": "a.delta", "a.beta": "a.gamma"}


def test_untracked_and_uncommitted_work_is_part_of_the_working_tree(pkg: GitRepo) -> None:
    pkg.write(".gitignore", "ignored.py\n")
    pkg.write("pkg/new.py", "def fresh():\n    return 1\n")
    pkg.write("ignored.py", "def hidden():\n    return 1\n")
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url):")
    changes = changes_of(pkg)
    assert {f.path: f.status for f in changes.files} == {
        ".gitignore": FileStatus.ADDED,
        "pkg/api.py": FileStatus.MODIFIED,
        "pkg/new.py": FileStatus.ADDED,
    }
    assert kinds(changes)["pkg.new.fresh"] == {"added"}
    assert "ignored.hidden" not in kinds(changes)


def test_merge_base_is_where_the_branch_forked(pkg: GitRepo) -> None:
    pkg.git("checkout", "-q", "-b", "feature")
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url):")
    pkg.commit("feature")
    pkg.git("checkout", "-q", "main")
    edit(pkg, "def load_config(path):", "def load_config(path, strict=False):")
    pkg.commit("main moves on")
    pkg.git("checkout", "-q", "feature")
    assert kinds(changes_of(pkg, "main")) == {"pkg.api.fetch": {"signature-changed"}}


def test_staged_view_sees_only_the_index(pkg: GitRepo) -> None:
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url):")
    pkg.git("add", "pkg/api.py")
    edit(pkg, "def load_config(path):", "def load_config(path, strict=False):")
    pkg.write("pkg/untracked.py", "def nope():\n    return 1\n")
    changes = changes_of(pkg, "HEAD", staged=True)
    assert changes.head == "index"
    assert kinds(changes) == {"pkg.api.fetch": {"signature-changed"}}
    assert [f.path for f in changes.files] == ["pkg/api.py"]


def test_two_refs(pkg: GitRepo) -> None:
    pkg.git("tag", "v1")
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url):")
    second = pkg.commit("v2")
    pkg.git("tag", "v2")
    edit(pkg, "def load_config(path):", "def load_config(path, strict=False):")
    changes = changes_of(pkg, "v1", head="v2")
    assert changes.head == second
    assert kinds(changes) == {"pkg.api.fetch": {"signature-changed"}}


def test_head_project_of_a_ref_is_read_from_git(pkg: GitRepo) -> None:
    pkg.git("tag", "v1")
    pkg.remove("pkg/api.py")
    sides = resolve_sides(pkg.path, "v1", head="v1")
    project = scan_revision(sides.head, Config(root=pkg.path))
    assert [m.path for m in project.modules] == ["pkg/__init__.py", "pkg/api.py"]
    assert project.get("pkg.api.Client.get") is not None


def test_base_side_is_read_from_blobs_with_package_inits(pkg: GitRepo) -> None:
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url):")
    changes, base = compute_changes(pkg.path, Config(root=pkg.path), "main")
    assert [m.path for m in base.modules] == ["pkg/__init__.py", "pkg/api.py"]
    fetch = base.get("pkg.api.fetch")
    assert fetch is not None and fetch.signature is not None
    assert [p.name for p in fetch.signature.params] == ["url", "timeout"]
    assert b"timeout=3" in changes.base_sources["pkg/api.py"]


def test_project_root_below_the_repository_top(repo: GitRepo) -> None:
    repo.write("service/pyproject.toml", "")
    repo.write("service/app/__init__.py", "")
    repo.write("service/app/core.py", "def run(a):\n    return a\n")
    repo.write("other/skip.py", "def skip(a):\n    return a\n")
    repo.commit()
    repo.write("service/app/core.py", "def run(a, b):\n    return a\n")
    repo.write("other/skip.py", "def skip(a, b):\n    return a\n")
    root = repo.path / "service"
    changes, _ = compute_changes(root, Config(root=root), "main")
    assert [f.path for f in changes.files] == ["app/core.py"]
    assert kinds(changes) == {"app.core.run": {"signature-changed"}}


def test_paths_and_exclude_limit_the_scanned_files(pkg: GitRepo) -> None:
    pkg.write("scripts/tool.py", "def tool():\n    return 1\n")
    pkg.write("pkg/vendored/lib.py", "def lib():\n    return 1\n")
    config = Config(root=pkg.path, paths=("pkg",), exclude=("vendored",))
    changes, _ = compute_changes(pkg.path, config, "main")
    assert kinds(changes) == {}
    assert len(changes.files) == 2  # every changed file is listed, scanned or not


def test_base_ref_not_found(pkg: GitRepo) -> None:
    with pytest.raises(GitError) as caught:
        changes_of(pkg, "origin/main")
    assert str(caught.value) == (
        "base ref 'origin/main' not found: fetch it (git fetch origin main) or check the name"
    )


def test_not_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pin_git_env(tmp_path, monkeypatch)
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(GitError, match="not inside a git repository"):
        compute_changes(plain, Config(root=plain), "main")


def test_first_commit_is_compared_with_the_empty_tree(repo: GitRepo) -> None:
    # A new repository (unborn HEAD): --base HEAD means "nothing yet", so all is added.
    repo.write("pkg/__init__.py", '"""The package."""\n')
    repo.write("pkg/api.py", API)
    repo.git("add", "pkg/api.py")
    sides = resolve_sides(repo.path, "HEAD", staged=True)
    try:
        assert isinstance(sides.base, EmptyRevision)
        assert sides.base.paths == () and sides.base.read("pkg/api.py") is None
        assert sides.base.label == EMPTY_TREE
        assert sides.head.paths == ("pkg/api.py",)  # the index: the unstaged init is not in it
        assert changed_files(sides) == (FileChange("pkg/api.py", FileStatus.ADDED),)
    finally:
        sides.repo.close()
    staged = changes_of(repo, "HEAD", staged=True)
    assert staged.base == EMPTY_TREE and staged.head == "index"
    assert kinds(staged) == {
        f"api{name}": {"added"} for name in ("", ".fetch", ".load_config", ".Client", ".Client.get")
    }  # no __init__.py staged: the module stands alone
    # The working tree (tracked and untracked files) against nothing.
    tree = changes_of(repo, "HEAD")
    assert {(f.path, f.status) for f in tree.files} == {
        ("pkg/__init__.py", FileStatus.ADDED),
        ("pkg/api.py", FileStatus.ADDED),
    }
    assert kinds(tree)["pkg.api.fetch"] == {"added"}


@pytest.mark.parametrize(
    ("base", "kwargs", "message"),
    [
        ("main", {"staged": True}, "base ref 'main' not found"),
        ("HEAD~1", {"staged": True}, "base ref 'HEAD~1' not found"),
        ("HEAD", {"head": "HEAD"}, "no commits yet"),
    ],
)
def test_without_commits_only_base_head_against_the_index_or_tree_resolves(
    repo: GitRepo, base: str, kwargs: dict[str, object], message: str
) -> None:
    repo.write("a.py", "x = 1\n")
    repo.git("add", "a.py")
    with pytest.raises(GitError, match=message):
        changes_of(repo, base, **kwargs)


def test_head_and_staged_together_are_a_usage_error(pkg: GitRepo) -> None:
    with pytest.raises(ConfigError, match="cannot be combined"):
        changes_of(pkg, "main", head="main", staged=True)


def test_shallow_clone_without_the_base(pkg: GitRepo, tmp_path: Path) -> None:
    first = pkg.git("rev-parse", "HEAD")
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url):")
    pkg.commit("second")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{pkg.path}", str(clone)],
        env=pkg._env,
        check=True,
    )
    expected = (
        "the base commit is not in this shallow clone: use fetch-depth: 0 with "
        "actions/checkout, or run git fetch --unshallow / git fetch origin "
    )
    for base in (first, "HEAD~1"):
        with pytest.raises(GitError) as caught:
            compute_changes(clone, Config(root=clone), base)
        assert str(caught.value) == expected + base


def test_shallow_clone_whose_base_has_no_merge_base(pkg: GitRepo, tmp_path: Path) -> None:
    pkg.git("checkout", "-q", "-b", "feature")
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url):")
    pkg.commit("feature")
    pkg.git("checkout", "-q", "main")
    edit(pkg, "def load_config(path):", "def load_config(path, strict=False):")
    pkg.commit("main moves on")
    clone = tmp_path / "clone"
    subprocess.run(
        [
            "git",
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            f"file://{pkg.path}",
            str(clone),
        ],
        env=pkg._env,
        check=True,
    )
    subprocess.run(["git", "checkout", "-q", "feature"], cwd=clone, env=pkg._env, check=True)
    with pytest.raises(GitError, match=r"not in this shallow clone.*git fetch origin main$"):
        compute_changes(clone, Config(root=clone), "origin/main")


def test_the_implementation_of_an_overloaded_function_is_compared(repo: GitRepo) -> None:
    stub = "@overload\ndef f(a: int) -> int: ...\n\n\n"
    body = 'def f(a):\n    """Doc."""\n    return a\n'
    repo.write("a.py", "from typing import overload\n\n\n" + stub + body)
    repo.commit()
    repo.write("a.py", "from typing import overload\n\n\n" + stub + body.replace("(a)", "(a, b)"))
    change = changes_of(repo).for_head("a.f")
    assert change is not None and change.kinds == {K.SIGNATURE_CHANGED}
    assert change.new is not None and not change.new.has_decorator("overload")
