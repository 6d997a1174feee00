"""Finding and reading Python files: git listing, the plain walk, excludes, size limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsync.errors import SourceError
from docsync.models import Diagnostic, Severity
from docsync.scan.files import (
    decode_source,
    discover_python_files,
    matches_exclude,
    read_source,
)
from helpers_git import GitRepo


def touch(root: Path, *rels: str) -> None:
    for rel in rels:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n", encoding="utf-8")


def relative(found: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in found]


# --- inside a git work tree ----------------------------------------------------------------


def test_git_lists_tracked_and_untracked_but_not_ignored(repo: GitRepo) -> None:
    root = repo.path
    repo.write(".gitignore", "build/\n*_generated.py\n")
    touch(root, "pkg/__init__.py", "pkg/core.py", "pkg/data.txt", "setup.py")
    repo.commit("initial")
    touch(root, "pkg/new.py", "build/lib/pkg/core.py", "pkg/schema_generated.py")
    found = discover_python_files([root], root)
    assert relative(found, root) == ["pkg/__init__.py", "pkg/core.py", "pkg/new.py", "setup.py"]
    assert all(p.is_absolute() for p in found)


def test_git_drops_tracked_files_deleted_on_disk(repo: GitRepo) -> None:
    touch(repo.path, "a.py", "b.py")
    repo.commit("initial")
    repo.remove("b.py")
    assert relative(discover_python_files([repo.path], repo.path), repo.path) == ["a.py"]


def test_git_skips_untracked_virtualenvs_and_caches(repo: GitRepo) -> None:
    root = repo.path
    touch(root, "app.py", "tracked/.hidden/kept.py")
    repo.commit("initial")
    touch(root, "env/lib/site.py", ".venv/lib/x.py", "pkg/__pycache__/x.py", "other/.tox/y.py")
    (root / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    found = relative(discover_python_files([root], root), root)
    assert found == ["app.py", "tracked/.hidden/kept.py"]


def test_git_limits_to_the_given_directories_and_files(repo: GitRepo) -> None:
    root = repo.path
    repo.write(".gitignore", "ignored.py\n")
    touch(root, "src/pkg/a.py", "src/pkg/b.py", "tests/test_a.py", "ignored.py", "notes.md")
    repo.commit("initial")
    found = discover_python_files(
        [root / "src", root / "src" / "pkg" / "a.py", root / "ignored.py", root / "notes.md"],
        root,
    )
    # explicit files are taken as is (even when git ignores them); duplicates collapse
    assert relative(found, root) == ["ignored.py", "src/pkg/a.py", "src/pkg/b.py"]


def test_git_handles_names_that_look_like_globs(repo: GitRepo) -> None:
    root = repo.path
    touch(root, "weird[1]/a.py", "weird1/b.py")
    repo.commit("initial")
    assert relative(discover_python_files([root / "weird[1]"], root), root) == ["weird[1]/a.py"]


def test_relative_paths_resolve_against_the_working_directory(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(repo.path, "src/a.py")
    repo.commit("initial")
    monkeypatch.chdir(repo.path)
    found = discover_python_files([Path("src")], Path())
    assert found == [repo.path / "src" / "a.py"]


# --- outside git ---------------------------------------------------------------------------


def test_walk_outside_git_skips_hidden_caches_and_virtualenvs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no repository above
    root = tmp_path / "plain"
    touch(
        root,
        "pkg/__init__.py",
        "pkg/mod.py",
        "pkg/readme.txt",
        ".venv/lib/x.py",
        ".git/hooks/h.py",
        "pkg/__pycache__/mod.py",
        "web/node_modules/n.py",
        "lib/site-packages/s.py",
        "venv/lib/v.py",
    )
    (root / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    found = discover_python_files([root], root)
    assert relative(found, root) == ["pkg/__init__.py", "pkg/mod.py"]


def test_walk_when_git_is_not_installed(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write(".gitignore", "ignored.py\n")
    touch(repo.path, "a.py", "ignored.py")
    monkeypatch.setenv("PATH", "")
    found = relative(discover_python_files([repo.path], repo.path), repo.path)
    assert found == ["a.py", "ignored.py"]


def test_missing_path_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as raised:
        discover_python_files([tmp_path / "foo"], tmp_path)
    message = str(raised.value)
    assert message.startswith("path not found: ")
    assert "foo" in message
    assert "run docsync from the repository root, or pass existing paths" in message


def test_path_outside_the_root_is_an_error(tmp_path: Path) -> None:
    touch(tmp_path, "root/a.py", "elsewhere/b.py")
    with pytest.raises(SourceError, match="outside the project root"):
        discover_python_files([tmp_path / "elsewhere"], tmp_path / "root")


# --- excludes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "excluded"),
    [
        ("tests", "tests/test_a.py", True),
        ("tests", "src/pkg/tests/test_a.py", True),
        ("tests", "src/pkg/tests_extra/a.py", False),
        ("*_pb2.py", "src/api/service_pb2.py", True),
        ("*_pb2.py", "src/api/service_pb2_grpc.py", False),
        ("conftest.py", "a/b/conftest.py", True),
        ("src/pkg/vendor/**", "src/pkg/vendor/six.py", True),
        ("src/pkg/vendor/**", "src/pkg/vendor/deep/er.py", True),
        ("src/pkg/vendor/**", "other/src/pkg/vendor/six.py", False),
        ("docs/*.py", "docs/conf.py", True),
        ("docs/*.py", "docs/examples/ex.py", False),
        ("docs/*.py", "src/docs/conf.py", False),
        ("src/legacy", "src/legacy/old.py", True),
        ("/setup.py", "setup.py", True),
        ("/setup.py", "sub/setup.py", False),
        ("**/migrations/*.py", "app/migrations/0001.py", True),
        ("**/migrations/*.py", "migrations/0001.py", True),
        ("build/", "build/lib/x.py", True),
        ("build/", "tools/build", False),
        ("test_?.py", "test_a.py", True),
        ("test_[ab].py", "test_b.py", True),
        ("test_[!ab].py", "test_b.py", False),
        ("*.py", "anything/at/all.py", True),
    ],
)
def test_exclude_pattern_forms(pattern: str, path: str, excluded: bool) -> None:
    assert matches_exclude(path, [pattern]) is excluded


def test_no_patterns_exclude_nothing() -> None:
    assert not matches_exclude("a.py", [])
    assert not matches_exclude("a.py", ["", "  "])


def test_discovery_applies_excludes(repo: GitRepo) -> None:
    root = repo.path
    touch(root, "src/pkg/a.py", "src/pkg/a_pb2.py", "src/pkg/vendor/v.py", "tests/test_x.py")
    repo.commit("initial")
    found = discover_python_files(
        [root, root / "src" / "pkg" / "a_pb2.py"],
        root,
        exclude=["*_pb2.py", "src/pkg/vendor/**", "tests"],
    )
    assert relative(found, root) == ["src/pkg/a.py"]


# --- reading and decoding ------------------------------------------------------------------


def test_read_source_returns_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"x = 1\r\n")
    assert read_source(path, 1_000_000) == b"x = 1\r\n"


def test_read_source_skips_files_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.py"
    path.write_bytes(b"#" * 3_200_000)
    result = read_source(path, 1_000_000, rel_path="gen/big.py")
    assert result == Diagnostic(
        "gen/big.py",
        1,
        "skipped: 3.2 MB is over the 1 MB limit (max-file-size)",
        Severity.INFO,
    )


def test_read_source_shows_bytes_when_rounding_would_hide_the_difference(tmp_path: Path) -> None:
    path = tmp_path / "edge.py"
    path.write_bytes(b"#" * 1_000_001)
    result = read_source(path, 1_000_000)
    assert isinstance(result, Diagnostic)
    assert result.message == (
        "skipped: 1000001 bytes is over the 1000000 bytes limit (max-file-size)"
    )
    assert result.path == path.as_posix()


def test_read_source_reports_unreadable_files(tmp_path: Path) -> None:
    result = read_source(tmp_path, 1_000_000, rel_path="dir")
    assert isinstance(result, Diagnostic)
    assert result.message.startswith("cannot read: ")
    assert result.level is Severity.WARNING


def test_decode_source_honours_cookie_and_bom() -> None:
    latin = decode_source(b"# coding: latin-1\nx = '\xe9'\n", "a.py")
    assert latin == "# coding: latin-1\nx = '\u00e9'\n"
    assert decode_source(b"\xef\xbb\xbfx = 1\n", "a.py") == "x = 1\n"
    bad = decode_source(b"\xff\xfe\n", "a.py")
    assert isinstance(bad, Diagnostic)
    assert bad.line == 1
    assert bad.message.startswith("not valid UTF-8 (byte 0xff at line 1)")
