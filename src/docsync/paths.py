"""Confinement: every file docsync reads or writes lies inside the repository and is a regular file.

Inputs come from pull requests, so a path in them may point anywhere: ``../outside``,
an absolute path, a symlink to ``/etc`` or to ``/dev/zero``, a FIFO that never
answers.  :func:`inside_root` resolves a path (symlinks included) and refuses one
that leaves the root; :func:`read_regular` opens only regular files, without
blocking (``O_NONBLOCK``, then ``fstat``), and reads no more than a size limit.
Both raise :class:`RefusedPath`, an :class:`OSError` whose ``strerror`` says why,
so the handlers that already turn an unreadable file into a diagnostic or an error
message need nothing new.
"""

# Paths are checked as strings: a scan checks thousands of them, and pathlib costs.
# ruff: noqa: PTH114, PTH118

from __future__ import annotations

import errno
import functools
import os
import stat
from pathlib import Path

__all__ = [
    "MAX_READ_BYTES",
    "FileTooLarge",
    "RefusedPath",
    "inside_root",
    "is_inside",
    "path_exists",
    "read_regular",
]

MAX_READ_BYTES = 10_000_000
"""The most any input file may hold when no smaller limit is given."""

_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 16


class RefusedPath(OSError):
    """A path docsync will not read or write: outside the root, or not a regular file."""

    def __init__(self, path: Path | str, reason: str) -> None:
        """Refuse ``path`` for ``reason``.

        Args:
            path: The path as given.
            reason: Why, as a phrase that follows the path ("is outside the repository").
        """
        super().__init__(errno.EPERM, reason, os.fspath(path))

    def __str__(self) -> str:
        """The path and the reason, as one phrase."""
        return f"{self.filename} {self.strerror}"


class FileTooLarge(RefusedPath):
    """A file over the size limit (``size`` is what was found, or read, so far)."""

    def __init__(self, path: Path | str, size: int, limit: int) -> None:
        """Refuse ``path`` for holding ``size`` bytes where ``limit`` is the most.

        Args:
            path: The path as given.
            size: Its size, or the bytes read before it passed the limit.
            limit: The limit.
        """
        super().__init__(path, f"is larger than {limit} bytes")
        self.size = size
        self.limit = limit


def path_exists(path: Path) -> bool:
    """Whether ``path`` exists; False, not an error, for a name the system refuses.

    ``Path.exists`` raises on a name too long for the system (``ENAMETOOLONG``),
    which a page's link or a config key can hold; such a path names nothing.

    Args:
        path: Any path.

    Returns:
        True when ``stat`` (symlinks followed) succeeds.
    """
    try:
        path.stat()
    except (OSError, ValueError):
        return False
    return True


def is_inside(root: Path, path: Path) -> bool:
    """Whether ``path``, symlinks resolved, lies at or below ``root`` (resolved too).

    Args:
        root: The repository root.
        path: Any path, absolute or relative to the working directory.

    Returns:
        True when the resolved path is ``root`` or below it.
    """
    return _resolved(path).is_relative_to(_resolved(root))


def inside_root(root: Path, path: Path) -> Path:
    """``path`` resolved (symlinks included), if it lies inside ``root``.

    Args:
        root: The repository root.
        path: The path to check; a relative one is taken relative to ``root``.

    Returns:
        The resolved path: the file that will really be read or written.

    Raises:
        RefusedPath: The resolved path is outside ``root`` (or a symlink loop).
    """
    candidate = path if path.is_absolute() else root / path
    try:
        resolved = _real_path(candidate)
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        raise RefusedPath(path, "cannot be resolved (a symlink loop or a bad name)") from None
    top = _real_root(root) if root.is_absolute() else os.fspath(_resolved(root))
    if resolved != top and not resolved.startswith(top.rstrip(os.sep) + os.sep):
        raise RefusedPath(path, "is outside the repository (symlinks resolved)")
    return Path(resolved)


def read_regular(path: Path, *, max_bytes: int = MAX_READ_BYTES, root: Path | None = None) -> bytes:
    """The bytes of a regular file, read without blocking and up to a limit.

    A FIFO, socket or device (also behind a symlink) is refused before a byte is
    read, so it can neither block the run nor feed it without end; a file that
    grows past ``max_bytes`` while it is read is refused too.

    Args:
        path: The file.
        max_bytes: The largest size accepted.
        root: When given, the file must resolve inside it (see :func:`inside_root`).

    Returns:
        The content.

    Raises:
        RefusedPath: The file is outside ``root``, not a regular file, or too large.
        OSError: It cannot be opened or read (missing, no permission, ...).
    """
    target = inside_root(root, path) if root is not None else path
    try:
        fd = os.open(target, _OPEN_FLAGS)
    except ValueError:  # a NUL byte in the name
        raise RefusedPath(path, "is not a valid file name") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedPath(path, "is not a regular file (a FIFO, device or socket)")
        if info.st_size > max_bytes:
            raise FileTooLarge(path, info.st_size, max_bytes)
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, min(_CHUNK, max_bytes + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise FileTooLarge(path, size, max_bytes)
        return b"".join(chunks)
    finally:
        os.close(fd)


@functools.lru_cache(maxsize=16)
def _real_root(root: Path) -> str:
    """The resolved root, worked out once per run."""
    return os.fspath(_resolved(root))


def _real_path(path: Path) -> str:
    """``path`` with every symlink resolved, each directory resolved once per run.

    A scan checks thousands of files in a few directories: resolving the directory
    once and ``lstat``-ing the name costs a fraction of ``Path.resolve`` per file.
    The checkout does not change under a run; a directory swapped for a symlink
    while the process lives (``mkdocs serve``) is seen by the next process.
    """
    head, name = os.path.split(os.fspath(path.absolute()))
    if name in ("", ".", ".."):
        return os.path.realpath(path, strict=True)
    full = os.path.join(_real_directory(head), name)
    return os.path.realpath(full, strict=True) if os.path.islink(full) else full


@functools.lru_cache(maxsize=4096)
def _real_directory(directory: str) -> str:
    return os.path.realpath(directory)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return path.absolute()
