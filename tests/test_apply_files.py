"""Writing and diffing fixed files: ``git apply`` accepts the diff; writes are whole or nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from docsync.apply import files as files_module
from docsync.apply.files import FileFix, unified_diff, write_fixes
from docsync.commands.fix import run_fix
from docsync.config import load_config
from helpers_git import new_repo

CRLF = (
    'def f(a):\r\n    """Go.\r\n\r\n    Args:\r\n        a: A.\r\n        b: B.\r\n    """\r\n'
    "    return a\r\n"
)
NO_FINAL_NEWLINE = 'def g(a):\n    """Go.\n\n    Args:\n        a: A.\n        b: B.\n    """'
PLAIN = 'def h(a):\n    """Go.\n\n    Args:\n        c: C.\n        a: A.\n    """\n'
LATIN1 = (
    '# -*- coding: latin-1 -*-\ndef k(a):\n    """Café.\n\n    Args:\n        a: A.\n'
    '        b: B.\n    """\n'
).encode("latin-1")


def test_diff_applies_with_git_apply_including_crlf_and_no_final_newline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    for name, data in {
        "pkg/crlf.py": CRLF.encode(),
        "pkg/tail.py": NO_FINAL_NEWLINE.encode(),
        "pkg/plain.py": PLAIN.encode(),
        "pkg/latin.py": LATIN1,
    }.items():
        path = repo.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (repo.path / "pyproject.toml").write_text("", encoding="utf-8")
    repo.commit("drifted")
    result = run_fix(load_config(repo.path), diff_only=True)
    assert sorted(result.files_changed) == [
        "pkg/crlf.py",
        "pkg/latin.py",
        "pkg/plain.py",
        "pkg/tail.py",
    ]
    assert "\\ No newline at end of file\n" in result.diff
    assert "-        b: B.\r\n" in result.diff
    patch = tmp_path / "fix.patch"
    patch.write_bytes(result.patch)
    subprocess.run(
        ["git", "apply", "--check", str(patch)], cwd=repo.path, check=True, capture_output=True
    )
    subprocess.run(["git", "apply", str(patch)], cwd=repo.path, check=True, capture_output=True)
    assert (repo.path / "pkg/crlf.py").read_bytes() == CRLF.replace(
        "        b: B.\r\n", ""
    ).encode()
    assert (repo.path / "pkg/tail.py").read_bytes() == NO_FINAL_NEWLINE.replace(
        "        b: B.\n", ""
    ).encode()
    assert (repo.path / "pkg/latin.py").read_bytes() == LATIN1.replace(b"        b: B.\n", b"")
    # What git applied is exactly what fix writes.
    applied = {p: (repo.path / p).read_bytes() for p in result.files_changed}
    repo.git("checkout", "--", ".")
    run_fix(load_config(repo.path))
    assert {p: (repo.path / p).read_bytes() for p in result.files_changed} == applied


def test_unified_diff_skips_unchanged_files_and_is_empty_without_changes() -> None:
    same = FileFix("a.py", b"x\n", b"x\n", "utf-8")
    assert unified_diff([same]) == ""
    changed = FileFix("b.py", b"x\ny\n", b"x\nz\n", "utf-8")
    assert unified_diff([same, changed]) == (
        "diff --git a/b.py b/b.py\n--- a/b.py\n+++ b/b.py\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n"
    )


def test_a_file_changed_on_disk_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"new content\n")
    fix = FileFix("a.py", b"old content\n", b"fixed content\n", "utf-8")
    (result,) = write_fixes(tmp_path, [fix])
    assert path.read_bytes() == b"new content\n"
    assert not result.changed


def test_a_failed_write_leaves_the_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"old\n")

    def fail(target: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files_module, "write_bytes_atomic", fail)
    fix = FileFix("a.py", b"old\n", b"new\n", "utf-8")
    (result,) = write_fixes(tmp_path, [fix])
    assert path.read_bytes() == b"old\n"
    assert not result.changed


def test_written_files_keep_their_permissions(tmp_path: Path) -> None:
    path = tmp_path / "pkg" / "mod.py"
    path.parent.mkdir()
    path.write_text(PLAIN, encoding="utf-8")
    path.chmod(0o640)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    result = run_fix(load_config(tmp_path))
    assert result.files_changed == ("pkg/mod.py",)
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir()] == ["mod.py"]
