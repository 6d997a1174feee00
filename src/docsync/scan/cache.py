"""The scan cache: per-file scan results kept between runs, keyed by content.

An entry holds the :class:`~docsync.scan.python.ScanResult` of one file.  Its key
hashes the file's bytes together with everything else the result depends on: the
repo-relative path and module name stored in it, docsync's version (and a digest
of the scanner's modules, for edited checkouts), the Python
minor version (the parser and the body fingerprints depend on it) and the
settings that change a scan (default style, ``max-file-size``).  A changed input
is therefore a different key, never a stale hit.

Layout, under ``.docsync-cache/`` at the project root::

    .gitignore      "*": git never sees the cache
    CACHEDIR.TAG    backup tools skip it (https://bford.info/cachedir/)
    scan/ab/abcdef….pickle

Each entry is written whole (a temp file, then a rename), so runs sharing the
cache never read half an entry.  An entry that is truncated, corrupt or written by
another format is ignored and rebuilt; a cache that cannot be written degrades to
no cache (one debug log line).  Entries are read with an unpickler that builds
nothing but docsync's own data classes, from regular files only (a FIFO or a
symlink to a device is a miss), and an entry counts only if it is the scan of
the file asked about: its path, module name and content hash (and the path of
every location in it) must be the file's (see :meth:`ScanCache.lookup`); any
other entry is rebuilt.  Entries not used for
:data:`PRUNE_AFTER_DAYS` days are deleted, at most once a day.  Deleting the whole
directory is always safe.
"""

# Entry paths are strings, not pathlib objects: a warm run builds thousands of them.
# ruff: noqa: PTH103, PTH118, PTH120

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from docsync import __version__
from docsync.models import Style
from docsync.paths import MAX_READ_BYTES, RefusedPath, is_inside, read_regular
from docsync.scan.codec import FORMAT, decode_value, encode_value
from docsync.scan.python import ScanResult

__all__ = [
    "CACHE_DIR_NAME",
    "PRUNE_AFTER_DAYS",
    "ScanCache",
    "decode_result",
    "encode_result",
    "package_stamp",
    "prepare_cache_dir",
    "read_entry",
    "write_entry",
]

CACHE_DIR_NAME = ".docsync-cache"
"""The cache directory's name, at the project root."""

PRUNE_AFTER_DAYS = 30
"""Entries not read or written for this many days are deleted."""

_DAY = 24 * 3600
_SUFFIX = ".pickle"
_GITIGNORE = "# Created by docsync: the scan cache is never committed.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by docsync.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

# `import docsync.x` or `from docsync.x import a, b` (a, b may be modules too)
_DOCSYNC_IMPORT = re.compile(
    r"^[ \t]*(?:import[ \t]+(docsync[\w.]*)|from[ \t]+(docsync[\w.]*)[ \t]+import(.*))$",
    re.MULTILINE,
)
_log = logging.getLogger(__name__)


class ScanCache:
    """Scan results on disk under one directory, for one set of scan settings.

    The object is small and picklable, so pool workers can write the entries of
    the files they scan.
    """

    def __init__(self, directory: Path, *, default_style: Style | None, max_file_size: int) -> None:
        """Use ``directory`` for the entries of scans made with these settings.

        Args:
            directory: The cache directory (usually ``<root>/.docsync-cache``); it is
                created on the first write.
            default_style: The scan's default docstring style.
            max_file_size: The scan's ``max-file-size``.
        """
        self.directory = directory
        self._scan_dir = os.path.join(os.fspath(directory), "scan")
        python = f"{sys.version_info[0]}.{sys.version_info[1]}"
        style = default_style.value if default_style is not None else "auto"
        parts = (FORMAT, __version__, _code_stamp(), python, style, str(max_file_size))
        self._salt = "\0".join(parts)
        self._writable = True
        self._prepared = False
        self._made: set[str] = set()

    def __getstate__(self) -> dict[str, object]:
        """The picklable state: a worker starts with nothing created yet."""
        return {**self.__dict__, "_made": set(), "_prepared": False}

    def key(self, source: bytes, path: str, module_name: str) -> str:
        """The entry key of one file's scan.

        Args:
            source: The file's bytes.
            path: Its repo-relative POSIX path (stored in the result).
            module_name: Its dotted module name (stored in the result).

        Returns:
            64 hex digits.
        """
        return self._key(hashlib.sha256(source).hexdigest(), path, module_name)

    def lookup(self, source: bytes, path: str, module_name: str) -> tuple[str, ScanResult | None]:
        """The key of one file's scan, and the cached result if a valid entry holds it.

        An entry is used only when it is the scan of this very file: its module's
        path, name and content hash, and the path of every location and diagnostic
        in it, must be ``path``, ``module_name`` and the hash of ``source``.  Any
        other entry (crafted, or damaged in a way its checksum missed) is a miss,
        and the file is scanned again.

        Args:
            source: The file's bytes.
            path: Its repo-relative POSIX path.
            module_name: Its dotted module name.

        Returns:
            The key (see :meth:`key`) and the result, or ``None`` on a miss.
        """
        content = hashlib.sha256(source).hexdigest()
        key = self._key(content, path, module_name)
        result = self.load(key)
        if result is not None and not _is_scan_of(result, path, module_name, content):
            _log.debug("scan cache entry %s does not hold the scan of %s: rebuilt", key, path)
            return key, None
        return key, result

    def lookup_hash(self, content_hash: str, path: str, module_name: str) -> ScanResult | None:
        """The cached scan of a file known by its SHA-256 alone (the file is not read).

        Args:
            content_hash: The hex SHA-256 of the file's bytes.
            path: Its repo-relative POSIX path.
            module_name: Its dotted module name.

        Returns:
            The result, or ``None`` on a miss (as :meth:`lookup` decides).
        """
        result = self.load(self._key(content_hash, path, module_name))
        if result is not None and not _is_scan_of(result, path, module_name, content_hash):
            return None
        return result

    def digest(self, *parts: str) -> str:
        """A key for an entry derived from scans with these settings, and ``parts``.

        Args:
            parts: What else the entry depends on.

        Returns:
            64 hex digits, different for another docsync, Python or scan setting.
        """
        joined = "\0".join((self._salt, *parts))
        return hashlib.sha256(joined.encode("utf-8", "surrogateescape")).hexdigest()

    def _key(self, content: str, path: str, module_name: str) -> str:
        parts = (self._salt, path, module_name, content)
        return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()

    def load(self, key: str) -> ScanResult | None:
        """The cached result for ``key``, or ``None`` when there is no usable entry.

        A missing, unreadable, truncated or corrupt entry is a miss, never an error.

        Args:
            key: The entry key (see :meth:`key`).

        Returns:
            The result, as it was stored.
        """
        path = self._entry_path(key)
        try:  # a regular file only: a FIFO would block, a device never end
            blob = read_regular(Path(path), max_bytes=MAX_READ_BYTES)
            mtime = Path(path).stat().st_mtime
        except OSError:
            return None
        if time.time() - mtime > _DAY:  # mark it used, for pruning
            with contextlib.suppress(OSError):
                os.utime(path)
        return decode_result(blob)

    def store(self, key: str, result: ScanResult) -> None:
        """Keep ``result`` under ``key`` (see :meth:`store_encoded`).

        Args:
            key: The entry key (see :meth:`key`).
            result: The scan result of the file the key was made from.
        """
        self.store_encoded(key, encode_result(result))

    def store_encoded(self, key: str, blob: bytes) -> None:
        """Write an entry made by :func:`encode_result`, atomically.

        The first failure to write (read-only or full disk, the path taken by a
        file) turns writing off for the rest of the run.

        Args:
            key: The entry key (see :meth:`key`).
            blob: The encoded result.
        """
        if not self._writable:
            return
        path = self._entry_path(key)
        try:
            self._prepare(os.path.dirname(path))
            _write_atomic(path, blob)
        except OSError as exc:
            self._writable = False
            _log.debug("scan cache %s is not writable, running without it: %s", self.directory, exc)

    def prune(self, *, max_age_days: float = PRUNE_AFTER_DAYS, force: bool = False) -> int:
        """Delete the entries not used for ``max_age_days``, at most once a day.

        Reading an entry refreshes its modification time (at most once a day), so
        only entries no run has needed for that long go.

        Args:
            max_age_days: How long an unused entry is kept.
            force: Prune even when the last pruning was less than a day ago.

        Returns:
            The number of entries deleted.
        """
        marker = self.directory / "scan" / ".last-prune"
        now = time.time()
        try:
            if not force and now - marker.stat().st_mtime < _DAY:
                return 0
        except FileNotFoundError:
            pass
        except OSError:
            return 0
        deleted = 0
        limit = now - max_age_days * _DAY
        for entry in _entries(self.directory / "scan"):
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < limit:
                    entry.unlink()
                    deleted += 1
        with contextlib.suppress(OSError):
            marker.touch()
        return deleted

    def _entry_path(self, key: str) -> str:
        return os.path.join(self._scan_dir, key[:2], key + _SUFFIX)

    def _prepare(self, entry_dir: str) -> None:
        """Create the cache directory with its marker files, and an entry's subdirectory."""
        if not self._prepared:
            prepare_cache_dir(self.directory)
            self._prepared = True
        if entry_dir not in self._made:
            os.makedirs(entry_dir, exist_ok=True)
            if not is_inside(self.directory, Path(entry_dir)):  # scan/ or a bucket links out
                raise RefusedPath(entry_dir, "is a symlink out of the cache directory")
            self._made.add(entry_dir)


def prepare_cache_dir(directory: Path) -> None:
    """Create docsync's cache directory with the markers that keep it out of git and backups.

    Its ``.gitignore`` ignores everything in it; ``CACHEDIR.TAG`` tells backup tools to
    skip it.  Existing markers are left as they are.

    Args:
        directory: The cache directory (``.docsync-cache`` at the project root).
    """
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
        marker = directory / name
        if not marker.exists():
            _write_atomic(os.fspath(marker), text.encode("utf-8"))


@functools.lru_cache(maxsize=1)
def _code_stamp() -> str:
    """A digest of the code a scan result depends on (see :func:`code_stamp`)."""
    return code_stamp(Path(__file__).resolve().parent.parent)


def code_stamp(package_dir: Path) -> str:
    """A digest of every module file that can change a scan result.

    A release changes ``__version__``; this catches an edited checkout (an editable
    install), whose results would otherwise be served from before the edit.  The
    modules are found, not listed by hand: every module of the ``scan`` package,
    and every docsync module they import, transitively (the data model, ...).

    Args:
        package_dir: The directory of the ``docsync`` package.

    Returns:
        64 hex digits; a module that cannot be read counts as empty.
    """
    digest = hashlib.sha256()
    for path in _scan_module_files(package_dir):
        try:
            content = path.read_bytes()
        except OSError:
            content = b""
        relative = path.relative_to(package_dir).as_posix()
        digest.update(f"{relative}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _scan_module_files(package_dir: Path) -> list[Path]:
    """The ``scan`` package's module files and the docsync modules they import, sorted."""
    pending = sorted((package_dir / "scan").glob("*.py"))
    found: set[Path] = set()
    while pending:
        path = pending.pop()
        if path in found or not path.is_file():
            continue
        found.add(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for imported, origin, names in _DOCSYNC_IMPORT.findall(text):
            modules = [imported] if imported else [origin]
            modules += [f"{origin}.{n}" for n in re.findall(r"\w+", names) if origin]
            for module in modules:
                target = package_dir.joinpath(*module.split(".")[1:])
                pending += [target / "__init__.py", target.with_suffix(".py")]
    return sorted(found)


def encode_result(result: ScanResult) -> bytes:
    """The bytes of a cache entry (or of a result sent back by a pool worker).

    Args:
        result: A scan result.

    Returns:
        A header (format and a checksum of the rest), then the pickled result.
    """
    return encode_value(result)


def decode_result(blob: bytes, *, from_worker: bool = False) -> ScanResult | None:
    """The result in bytes made by :func:`encode_result`, or ``None`` if they are damaged.

    Args:
        blob: The encoded result.
        from_worker: The bytes come straight from this run's own pool worker, not
            from disk: the checksum and the allowed classes are checked, the
            field types are not (see :func:`~docsync.scan.codec.decode_value`).

    Returns:
        The result, or ``None`` for another format, a checksum mismatch, or a
        payload that does not unpickle to a :class:`ScanResult` of docsync's classes.
    """
    value = decode_value(blob, ScanResult, check_types=not from_worker)
    return value if isinstance(value, ScanResult) else None


def read_entry(path: Path) -> bytes | None:
    """The bytes of a cache entry file, or ``None`` when there is no usable one.

    Args:
        path: The entry file, inside a cache directory.

    Returns:
        Its bytes; ``None`` when it is missing, not a regular file or unreadable.
    """
    try:  # a regular file only: a FIFO would block, a device never end
        return read_regular(path, max_bytes=MAX_READ_BYTES)
    except OSError:
        return None


def write_entry(directory: Path, path: Path, blob: bytes) -> bool:
    """Write a cache entry whole (a temp file, then a rename), inside ``directory``.

    Args:
        directory: The cache directory; it is prepared (see :func:`prepare_cache_dir`).
        path: The entry file, below ``directory``.
        blob: The entry's bytes (see :func:`encode_value`).

    Returns:
        Whether it was written; a cache that cannot be written is no error.
    """
    try:
        prepare_cache_dir(directory)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not is_inside(directory, path.parent):  # a symlink out of the cache
            return False
        _write_atomic(os.fspath(path), blob)
    except OSError as exc:
        _log.debug("cache entry %s not written: %s", path, exc)
        return False
    return True


@functools.lru_cache(maxsize=1)
def package_stamp() -> str:
    """A digest of every module of docsync: what a whole check's result depends on.

    Wider than the scan's code stamp (:func:`code_stamp`): any edit of docsync's
    code (a rule, the index, the selection of findings) is a different stamp.

    Returns:
        64 hex digits.
    """
    package_dir = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package_dir.rglob("*.py")):
        try:
            content = path.read_bytes()
        except OSError:
            content = b""
        relative = path.relative_to(package_dir).as_posix()
        digest.update(f"{relative}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _is_scan_of(result: ScanResult, path: str, module_name: str, content_hash: str) -> bool:
    """Whether ``result`` is the scan of the file with this path, name and content."""
    try:
        module = result.module
        if module is not None:
            if (module.path, module.qualname, module.content_hash) != (
                path,
                module_name,
                content_hash,
            ):
                return False
            for symbol in module.symbols:
                docstring = symbol.docstring
                if symbol.location.path != path or (
                    docstring is not None and docstring.location.path != path
                ):
                    return False
        return all(diagnostic.path == path for diagnostic in result.diagnostics)
    except (AttributeError, TypeError):  # a field of the wrong type
        return False


def _write_atomic(path: str, data: bytes) -> None:
    """Write a file whole or not at all: a temp file beside it, then a rename.

    No fsync: a cache entry lost to a crash is only rebuilt, and a damaged one
    fails its checksum.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(path))
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _entries(scan_dir: Path) -> Iterator[Path]:
    """Every entry file below ``scan/``."""
    try:
        buckets = list(os.scandir(scan_dir))
    except OSError:
        return
    for bucket in buckets:
        if not bucket.is_dir(follow_symlinks=False):
            continue
        with contextlib.suppress(OSError), os.scandir(bucket.path) as files:
            for item in files:
                if item.name.endswith(_SUFFIX) or item.name.startswith(".tmp-"):
                    yield Path(item.path)
