"""Only regular files inside the repository are read: the helper, and every input through it.

The end-to-end cases run ``docsync check`` in a subprocess with a timeout and a
memory limit, so that a regression shows as a failed test, not a hung or
exhausted test run: a FIFO blocks a plain ``open`` forever, and ``/dev/zero``
never ends.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from docsync.paths import FileTooLarge, RefusedPath, inside_root, is_inside, read_regular
from docsync.scan.cache import CACHE_DIR_NAME, ScanCache

CLEAN = '"""A module."""\n\nVALUE = 1\n'
_MEMORY_LIMIT = 1 << 32  # 4 GiB of address space: far more than a check needs


# --- the helper ------------------------------------------------------------------------


def test_a_regular_file_inside_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(b"x = 1\n")
    assert read_regular(tmp_path / "a.py", root=tmp_path) == b"x = 1\n"
    assert inside_root(tmp_path, Path("a.py")) == (tmp_path / "a.py").resolve()


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    with pytest.raises(RefusedPath, match="not a regular file"):
        read_regular(tmp_path / "pipe.py")


def test_a_device_behind_a_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    with pytest.raises(RefusedPath, match="not a regular file"):
        read_regular(tmp_path / "zero.py")
    with pytest.raises(RefusedPath, match="outside the repository"):
        read_regular(tmp_path / "zero.py", root=tmp_path)


def test_a_file_over_the_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_bytes(b"#" * 101)
    with pytest.raises(FileTooLarge) as caught:
        read_regular(tmp_path / "big.py", max_bytes=100)
    assert caught.value.size == 101 and caught.value.limit == 100
    assert read_regular(tmp_path / "big.py", max_bytes=101) == b"#" * 101


def test_paths_out_of_the_root_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "sub").mkdir(parents=True)
    (tmp_path / "outside.py").write_text("x = 1\n", encoding="utf-8")
    (root / "link.py").symlink_to(tmp_path / "outside.py")
    (root / "loop.py").symlink_to("loop.py")
    for path in (Path("../outside.py"), tmp_path / "outside.py", Path("link.py")):
        with pytest.raises(RefusedPath, match="outside the repository"):
            inside_root(root, path)
    with pytest.raises(RefusedPath, match="cannot be resolved"):
        inside_root(root, Path("loop.py"))
    with pytest.raises(RefusedPath):
        read_regular(root / "a\0b", root=root)
    assert is_inside(root, root / "sub" / "new.md") and not is_inside(root, root / "link.py")
    assert str(RefusedPath("x.py", "is a FIFO")) == "x.py is a FIFO"


# --- every input, end to end ------------------------------------------------------------


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_LIMIT, _MEMORY_LIMIT))


def check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``docsync check`` in ``root``, killed after 60 s, in 4 GiB of address space."""
    command = [sys.executable, "-c", "from docsync.cli import main; main()", "check", *args]
    return subprocess.run(
        command,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_limit_memory,
    )


def special(path: Path, kind: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")


def site(root: Path) -> None:
    (root / "pkg").mkdir()
    (root / "pkg" / "mod.py").write_text(CLEAN, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "pyproject.toml").write_text("", encoding="utf-8")


@pytest.mark.parametrize("kind", ["fifo", "zero"])
@pytest.mark.parametrize("where", ["source", "page"])
def test_a_special_source_or_page_is_skipped_with_a_diagnostic(
    tmp_path: Path, kind: str, where: str
) -> None:
    site(tmp_path)
    rel = "pkg/special.py" if where == "source" else "docs/special.md"
    special(tmp_path / rel, kind)
    done = check(tmp_path, "--exit-zero")
    assert done.returncode == 0, done.stderr
    assert rel in done.stdout and "Traceback" not in done.stderr


@pytest.mark.parametrize("kind", ["fifo", "zero"])
@pytest.mark.parametrize("where", ["baseline", "inherit", "pyproject"])
def test_a_special_config_file_is_an_error_not_a_hang(
    tmp_path: Path, kind: str, where: str
) -> None:
    site(tmp_path)
    if where == "pyproject":
        (tmp_path / "pyproject.toml").unlink()
        (tmp_path / ".git").mkdir()  # the root marker once pyproject.toml is special
        special(tmp_path / "pyproject.toml", kind)
    elif where == "baseline":
        special(tmp_path / ".docsync-baseline.json", kind)
    else:
        (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\n", encoding="utf-8")
        special(tmp_path / "base.yml", kind)
    done = check(tmp_path)
    assert done.returncode in (0, 2), done.stderr
    assert "Traceback" not in done.stderr
    if where != "pyproject":  # a pyproject.toml that is not a file is no config at all
        assert done.returncode == 2 and "docsync: error:" in done.stderr


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_special_cache_entry_is_a_miss(tmp_path: Path, kind: str) -> None:
    site(tmp_path)
    cache = ScanCache(tmp_path / CACHE_DIR_NAME, default_style=None, max_file_size=1_000_000)
    key = cache.key(CLEAN.encode(), "pkg/mod.py", "mod")
    special(tmp_path / CACHE_DIR_NAME / "scan" / key[:2] / f"{key}.pickle", kind)
    done = check(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No drift found in 1 file" in done.stdout
