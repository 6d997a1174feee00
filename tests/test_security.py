"""Hostile input (issue 21): nothing read or written outside the repository.

Each test builds the attack as a pull request would: real files, symlinks and git
repositories in a temp directory, ``docsync`` run as a user or the Action runs it.
Files outside the repository are "sentinels": a test fails if one changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docsync.cli import main
from docsync.commands.fix import run_fix
from docsync.config import load_config
from docsync.deliver.git import commit_files
from docsync.scan.cache import CACHE_DIR_NAME, ScanCache
from docsync.scan.python import scan_source
from helpers_git import GitRepo, new_repo

STALE = '''\
"""A module."""


def fetch(url):
    """Fetch a URL.

    Args:
        url: Where from.
        retries: How often to retry.
    """
    return url
'''
CLEAN = '"""A module."""\n\nVALUE = 1\n'
PAGE = "# Page\n\nSee `pkg.mod.gone` for details.\n"


def run(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    """``docsync ARGS`` in ``root``: exit code, stdout, stderr."""
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> GitRepo:
    repo = new_repo(tmp_path, monkeypatch)
    for rel, text in {"pyproject.toml": "", **files}.items():
        repo.write(rel, text)
    repo.commit("start")
    return repo


def sentinel(tmp_path: Path, rel: str, text: str) -> Path:
    path = tmp_path / "outside" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- 2. nothing read or written outside the repository -------------------------------------


@pytest.mark.parametrize("where", ["config", "flag", "absolute"])
def test_a_docs_dir_outside_the_repository_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    page = sentinel(tmp_path, "page.md", PAGE)
    outside = "../outside" if where != "absolute" else str(page.parent)
    files = {"pkg/mod.py": CLEAN, "docs/index.md": "# Home\n"}
    if where != "flag":
        files["mkdocs.yml"] = f"docs_dir: {outside}\n"
    repo = project(tmp_path, monkeypatch, files)
    flags = ["--docs-dir", outside] if where == "flag" else []
    code, _, err = run(repo.path, monkeypatch, "fix", *flags)
    assert code == 2, err
    assert "is outside the repository" in err
    assert page.read_text(encoding="utf-8") == PAGE


def test_fix_base_never_rewrites_a_page_of_a_docs_dir_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = sentinel(tmp_path, "page.md", PAGE)
    files = {"pkg/mod.py": STALE, "mkdocs.yml": "docs_dir: ../outside\n"}
    repo = project(tmp_path, monkeypatch, files)
    repo.write("pkg/mod.py", STALE.replace("def fetch(url)", "def fetch(url, retries)"))
    code, _, err = run(repo.path, monkeypatch, "fix", "--base", "HEAD")
    assert code == 2 and "docs_dir '../outside' is outside the repository" in err
    assert page.read_text(encoding="utf-8") == PAGE


def test_a_configured_path_through_a_symlink_out_of_the_repository_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = sentinel(tmp_path, "x.py", STALE)
    repo = project(tmp_path, monkeypatch, {"pkg/mod.py": CLEAN})
    (repo.path / "ext").symlink_to(target.parent, target_is_directory=True)
    repo.write("pyproject.toml", '[tool.docsync]\npaths = ["ext/x.py"]\n')
    code, _, err = run(repo.path, monkeypatch, "fix")
    assert code == 2 and "outside the project root" in err
    assert target.read_text(encoding="utf-8") == STALE


def test_a_crafted_cache_entry_cannot_point_fix_at_a_file_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = sentinel(tmp_path, "sentinel.py", STALE)
    repo = project(tmp_path, monkeypatch, {"pkg/__init__.py": "", "pkg/mod.py": CLEAN})
    config = load_config(repo.path)
    cache = ScanCache(
        repo.path / CACHE_DIR_NAME, default_style=config.style, max_file_size=config.max_file_size
    )
    # The entry sits under the key of pkg/mod.py but holds the scan of the file outside.
    forged = scan_source(STALE.encode(), "../outside/sentinel.py", "pkg.mod")
    cache.store(cache.key(CLEAN.encode(), "pkg/mod.py", "pkg.mod"), forged)
    result = run_fix(config)
    assert result.files_changed == () and result.edits_applied == ()
    assert target.read_text(encoding="utf-8") == STALE
    # The entry was not believed: the file was scanned again, and the entry replaced.
    _, hit = cache.lookup(CLEAN.encode(), "pkg/mod.py", "pkg.mod")
    assert hit is not None and hit.module is not None and hit.module.path == "pkg/mod.py"


# --- 4. symlinks: the target is edited only inside, and the link stays ---------------------


def test_fix_leaves_a_link_out_of_the_repository_and_its_target_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = sentinel(tmp_path, "x.py", STALE)
    repo = project(tmp_path, monkeypatch, {"pkg/mod.py": CLEAN})
    link = repo.path / "pkg" / "link.py"
    link.symlink_to(target)
    repo.commit("a link out")
    code, out, _ = run(repo.path, monkeypatch, "fix")
    assert code == 0, out
    assert link.is_symlink() and link.readlink() == target
    assert target.read_text(encoding="utf-8") == STALE
    code, out, _ = run(repo.path, monkeypatch, "check", "--exit-zero")
    assert "pkg/link.py:1: cannot read: is outside the repository" in out
    code, _, err = run(repo.path, monkeypatch, "check", "pkg/link.py")
    assert code == 2 and "outside the project root" in err


def test_fix_through_a_link_inside_edits_the_target_and_keeps_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = project(tmp_path, monkeypatch, {"pkg/real.py": STALE})
    link = repo.path / "pkg" / "link.py"
    link.symlink_to("real.py")
    repo.commit("a link inside")
    code, out, _ = run(repo.path, monkeypatch, "fix")  # fixes pkg/link.py, then pkg/real.py
    assert code == 0, out
    assert link.is_symlink() and link.readlink() == Path("real.py")
    assert "retries" not in (repo.path / "pkg" / "real.py").read_text(encoding="utf-8")


def test_a_commit_of_a_fix_through_a_link_holds_the_edited_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = project(tmp_path, monkeypatch, {"pkg/real.py": STALE})
    (repo.path / "pkg" / "link.py").symlink_to("real.py")
    repo.commit("a link inside")
    (repo.path / "pkg" / "real.py").write_text(CLEAN, encoding="utf-8")  # as fix writes it
    commit = commit_files(repo.path, ["pkg/link.py"], "docs: fix\n")
    assert commit is not None
    assert repo.git("show", "--name-only", "--format=", commit) == "pkg/real.py"
