"""Scan many files: cached results first, then the misses on a pool of processes.

:func:`scan_project` discovers a project's files and scans them with :func:`scan_files`
(:func:`scan_sources` the same for contents read elsewhere, such as git blobs).
It reads each file once, looks its result up in the :class:`~docsync.scan.cache.ScanCache`
and scans only the misses, serially when they are few (a pool costs more than it
saves below :data:`PARALLEL_MIN_FILES` files or :data:`PARALLEL_MIN_BYTES` bytes),
else in chunks on a process pool sized to the CPUs this process may use.  Workers
write the cache entries of what they scan and send the same bytes back.  Output is
in file order whatever order the workers finish in, and a pool that cannot start
or breaks falls back to scanning serially.
"""

# Module names are worked out on strings: pathlib costs a tenth of a warm run here.
# ruff: noqa: PTH113, PTH118, PTH119, PTH120, PTH122

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path

from docsync import timings as timing
from docsync.config import Config
from docsync.models import Diagnostic, Module, Project, Style
from docsync.paths import is_inside
from docsync.scan.cache import CACHE_DIR_NAME, ScanCache, decode_result, encode_result
from docsync.scan.files import discover_python_files, read_source
from docsync.scan.python import ScanResult, scan_source

__all__ = [
    "FILES_PER_WORKER",
    "PARALLEL_MIN_BYTES",
    "PARALLEL_MIN_FILES",
    "ModuleNames",
    "ProgressCallback",
    "ScanJob",
    "available_cpus",
    "cache_dir",
    "plan_workers",
    "scan_files",
    "scan_jobs",
    "scan_project",
    "scan_sources",
    "scan_working_tree",
    "scan_working_tree_with",
]

ProgressCallback = Callable[[int, int], None]
"""Called with (files done, files in all) as a scan advances."""

PARALLEL_MIN_FILES = 100
"""Fewer files to scan than this are scanned serially (see docs/performance.md)."""

PARALLEL_MIN_BYTES = 1_000_000
"""Fewer bytes to scan than this are scanned serially (see docs/performance.md)."""

FILES_PER_WORKER = 50
"""A pool gets no more workers than one per this many files to scan."""

_CHUNKS_PER_WORKER = 8  # enough to balance uneven files, few enough to amortise IPC
_MAX_CHUNK_FILES = 64
_PROGRESS_EVERY = 500  # files looked up in the cache between progress reports
_POOL_ERRORS = (OSError, RuntimeError, NotImplementedError, ImportError, BrokenProcessPool)

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanJob:
    """One file to scan: its bytes, names, and its cache key (``None``: not cached)."""

    source: bytes
    path: str
    module_name: str
    key: str | None = None


def scan_files(
    files: Sequence[Path],
    root: Path,
    *,
    default_style: Style | None = None,
    max_file_size: int = 1_000_000,
    cache: ScanCache | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
) -> Project:
    """Read and scan ``files``, from the cache where it has them.

    Args:
        files: Absolute paths of Python files under ``root``, in the order wanted.
        root: The absolute, normalised project root; locations are relative to it.
        default_style: The docstring style to assume when a docstring does not show one.
        max_file_size: Files larger than this many bytes are skipped with a diagnostic.
        cache: Where to look results up and keep new ones (``None``: no cache).
        workers: Processes for the misses: ``None`` decides by their number and size
            (see :func:`plan_workers`), ``1`` scans serially, more forces a pool.
        progress: Called with (files done, files in all) as the scan advances.

    Returns:
        The modules in the order of ``files``, and every diagnostic in that order.
    """
    entries = _read_entries(files, root, max_file_size)
    return _assemble(root, _scan_slots(entries, default_style, cache, workers, progress))


def _read_entries(
    files: Sequence[Path], root: Path, max_file_size: int
) -> list[ScanJob | Diagnostic]:
    """Each file's bytes and names as a job, or why it cannot be read."""
    entries: list[ScanJob | Diagnostic] = []
    names = ModuleNames(root)
    for file in files:
        rel_path = _relative_posix(file, root)
        source = read_source(file, max_file_size, rel_path=rel_path, root=root)
        if isinstance(source, Diagnostic):
            entries.append(source)
        else:
            entries.append(ScanJob(source, rel_path, names.of(os.fspath(file))))
    return entries


def scan_sources(
    sources: Sequence[ScanJob],
    root: Path,
    *,
    default_style: Style | None = None,
    cache: ScanCache | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
) -> Project:
    """Scan contents that do not come from the disk (the blobs of a git revision).

    The same engine as :func:`scan_files`: cache first, then serially or on a pool.

    Args:
        sources: Each file's bytes, repo-relative path and module name (``key`` is
            ignored: it is computed here when there is a cache).
        root: The project root the paths are relative to.
        default_style: The docstring style to assume when a docstring does not show one.
        cache: Where to look results up and keep new ones (``None``: no cache).
        workers: As for :func:`scan_files`.
        progress: Called with (files done, files in all) as the scan advances.

    Returns:
        The modules in the order of ``sources``, and their diagnostics in that order.
    """
    return _assemble(root, _scan_slots(sources, default_style, cache, workers, progress))


def _scan_slots(
    entries: Sequence[ScanJob | Diagnostic],
    default_style: Style | None,
    cache: ScanCache | None,
    workers: int | None,
    progress: ProgressCallback | None,
) -> list[ScanResult | Diagnostic]:
    """Each entry's outcome, in entry order: from the cache, else scanned."""
    total = len(entries)
    slots: list[ScanResult | Diagnostic | None] = []
    jobs: list[ScanJob] = []
    with _gc_paused():
        for index, entry in enumerate(entries):
            if progress is not None and index % _PROGRESS_EVERY == 0:
                progress(index - len(jobs), total)
            if isinstance(entry, Diagnostic):
                slots.append(entry)
                continue
            hit = None
            if cache is not None:
                key, hit = cache.lookup(entry.source, entry.path, entry.module_name)
                entry = ScanJob(entry.source, entry.path, entry.module_name, key)
            slots.append(hit)
            if hit is None:
                jobs.append(entry)
        done = total - len(jobs)
        if progress is not None:
            progress(done, total)

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(done, total)

        scanned = iter(
            scan_jobs(
                jobs, default_style=default_style, cache=cache, workers=workers, on_done=advance
            )
        )
        return [slot if slot is not None else next(scanned) for slot in slots]


def scan_jobs(
    jobs: Sequence[ScanJob],
    *,
    default_style: Style | None = None,
    cache: ScanCache | None = None,
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
) -> list[ScanResult]:
    """Scan the jobs, serially or on a process pool, and store what has a key.

    Args:
        jobs: The files to scan.
        default_style: The docstring style to assume when a docstring does not show one.
        cache: Where to keep each result whose job has a key (``None``: nowhere).
        workers: As for :func:`scan_files`.
        on_done: Called with the number of jobs just finished.

    Returns:
        One result per job, in the order of ``jobs``.
    """
    count = plan_workers(len(jobs), sum(len(j.source) for j in jobs), workers)
    results: list[ScanResult | None] = [None] * len(jobs)
    if count > 1:
        _scan_on_pool(jobs, results, count, default_style, cache, on_done)
    for index, job in enumerate(jobs):
        if results[index] is None:
            result = scan_source(job.source, job.path, job.module_name, default_style=default_style)
            if cache is not None and job.key is not None:
                cache.store(job.key, result)
            results[index] = result
            if on_done is not None:
                on_done(1)
    return [r for r in results if r is not None]


def plan_workers(files: int, size: int, requested: int | None = None) -> int:
    """How many processes to scan ``files`` files of ``size`` bytes in all with.

    Args:
        files: The number of files to scan.
        size: Their total size in bytes.
        requested: ``None`` to decide; ``1`` for serial; ``n > 1`` for a pool of up to
            ``n`` processes, whatever the size.

    Returns:
        1 for a serial scan, else the pool size: one process per CPU, but no more
        than one per :data:`FILES_PER_WORKER` files (a requested size: one per file).
    """
    if files < 2 or requested == 1:
        return 1
    if requested is not None:
        return max(1, min(requested, files))
    if files < PARALLEL_MIN_FILES or size < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(available_cpus(), files // FILES_PER_WORKER))


def available_cpus() -> int:
    """The number of CPUs this process may run on (its affinity mask, else all).

    Returns:
        At least 1.
    """
    if hasattr(os, "sched_getaffinity"):
        with contextlib.suppress(OSError):
            return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _scan_on_pool(
    jobs: Sequence[ScanJob],
    results: list[ScanResult | None],
    workers: int,
    default_style: Style | None,
    cache: ScanCache | None,
    on_done: Callable[[int], None] | None,
) -> None:
    """Fill ``results`` from a process pool; leave ``None`` where the pool failed."""
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context())
    except _POOL_ERRORS as exc:
        _log.debug("cannot start a process pool, scanning serially: %s", exc)
        return
    try:
        futures: dict[Future[list[bytes]], list[int]] = {}
        for chunk in _chunks(jobs, workers):
            batch = [jobs[i] for i in chunk]
            futures[pool.submit(_scan_chunk, batch, default_style, cache)] = chunk
        for future in as_completed(futures):
            chunk = futures.pop(future)
            try:
                blobs = future.result()
            except Exception as exc:  # a broken pool or worker: that chunk goes serial
                _log.debug("a pool worker failed, scanning its files serially: %s", exc)
                continue
            for index, blob in zip(chunk, blobs, strict=True):
                results[index] = decode_result(blob, from_worker=True)
            if on_done is not None:
                on_done(len(chunk))
    except _POOL_ERRORS as exc:
        _log.debug("the process pool failed, scanning the rest serially: %s", exc)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _scan_chunk(
    jobs: list[ScanJob], default_style: Style | None, cache: ScanCache | None
) -> list[bytes]:
    """Scan a chunk of jobs in a pool worker; store and return the encoded results."""
    blobs = []
    for job in jobs:
        result = scan_source(job.source, job.path, job.module_name, default_style=default_style)
        blob = encode_result(result)
        if cache is not None and job.key is not None:
            cache.store_encoded(job.key, blob)
        blobs.append(blob)
    return blobs


def _chunks(jobs: Sequence[ScanJob], workers: int) -> Iterator[list[int]]:
    """Consecutive job indices in chunks of about equal bytes, several per worker."""
    size = sum(len(j.source) for j in jobs)
    target = max(1, size // (workers * _CHUNKS_PER_WORKER))
    chunk: list[int] = []
    chunk_bytes = 0
    for index, job in enumerate(jobs):
        chunk.append(index)
        chunk_bytes += len(job.source)
        if chunk_bytes >= target or len(chunk) >= _MAX_CHUNK_FILES:
            yield chunk
            chunk, chunk_bytes = [], 0
    if chunk:
        yield chunk


def _pool_context() -> BaseContext:
    """How to start workers: ``fork`` where it is fast and safe, else a fresh interpreter.

    ``fork`` needs no re-import, but is safe only in a single-threaded process (and
    not on macOS); otherwise ``forkserver`` (Linux) or the platform's default.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    if sys.platform == "linux" and "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context()


def _assemble(root: Path, slots: Sequence[ScanResult | Diagnostic]) -> Project:
    """The project of the per-file outcomes, in their order."""
    modules: list[Module] = []
    diagnostics: list[Diagnostic] = []
    for slot in slots:
        if isinstance(slot, Diagnostic):
            diagnostics.append(slot)
            continue
        diagnostics.extend(slot.diagnostics)
        if slot.module is not None:
            modules.append(slot.module)
    unread = [m for m in modules if m.bindings.unread_getattr]
    if unread:
        diagnostics.append(_unread_getattr(unread))
    return Project(root=str(root), modules=tuple(modules), diagnostics=tuple(diagnostics))


def _unread_getattr(modules: Sequence[Module]) -> Diagnostic:
    """One diagnostic for every module whose ``__getattr__`` could not be read."""
    first = modules[0]
    names = ", ".join(f"`{m.qualname}`" for m in modules[:3])
    more = f" and {len(modules) - 3} more" if len(modules) > 3 else ""
    message = (
        f"cannot tell which names the module `__getattr__` of {names}{more} serves (it "
        "returns for names it does not test against a literal dict, set or string): "
        "names under these modules are not judged"
    )
    return Diagnostic(first.path, first.bindings.unread_getattr, message)


class ModuleNames:
    """:func:`module_name_for` over many files, each directory looked at once.

    The same walk up the ``__init__.py`` files, on strings and memoised per
    directory: on a large tree this is a tenth of the stat calls and no pathlib.
    """

    def __init__(self, root: Path) -> None:
        self._root_parent = os.path.dirname(os.fspath(root))
        self._packages: dict[str, tuple[str, ...]] = {}

    def of(self, file: str) -> str:
        """The dotted module name of an absolute, normalised ``file`` path."""
        directory, name = os.path.split(file)
        stem = name[:-3] if name.endswith(".py") else os.path.splitext(name)[0]
        package = self._package(directory)
        if name == "__init__.py":
            return ".".join(package) or stem
        return ".".join((*package, stem))

    def _package(self, directory: str) -> tuple[str, ...]:
        """The package names from the outermost down to ``directory`` (empty: none)."""
        known = self._packages.get(directory)
        if known is not None:
            return known
        parts: tuple[str, ...] = ()
        if directory != self._root_parent and os.path.isfile(
            os.path.join(directory, "__init__.py")
        ):
            parent = os.path.dirname(directory)
            name = os.path.basename(directory)
            parts = (name,) if parent == directory else (*self._package(parent), name)
        self._packages[directory] = parts
        return parts


def _relative_posix(file: Path, root: Path) -> str:
    """``file`` relative to ``root``, with ``/`` separators (string work, no pathlib)."""
    path, base = os.fspath(file), os.fspath(root)
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not path.startswith(prefix):
        return file.relative_to(root).as_posix()
    relative = path[len(prefix) :]
    return relative.replace(os.sep, "/") if os.sep != "/" else relative


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold the cycle collector off while results pile up, then file them as old.

    Scan results hold no reference cycles, but the hundreds of thousands of objects
    a large project loads would trigger collections that traverse all of them,
    several times, as they age through the generations (a fifth of a warm run).
    Freezing then unfreezing moves every tracked object to the oldest generation at
    once, so they are looked at only by the next full collection.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def scan_project(
    root: Path,
    paths: Sequence[Path],
    *,
    exclude: Sequence[str] = (),
    default_style: Style | None = None,
    max_file_size: int = 1_000_000,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Project:  # docsync: ignore[DS301]  (raised by discover_python_files)
    """Discover, read and scan the Python files of a project.

    Results come from the scan cache where it has them; the other files are scanned
    serially or, when there are enough of them, on a process pool (see
    :func:`docsync.scan.project.scan_files`).  The outcome is the same either way.

    Args:
        root: The project root; locations are relative to it.
        paths: Files and directories to scan (see :func:`discover_python_files`).
        exclude: Gitignore-style globs of files to leave out.
        default_style: The docstring style to assume when a docstring does not show one.
        max_file_size: Files larger than this many bytes are skipped with a diagnostic.
        cache_dir: The scan cache directory (``None``, or one that resolves outside
            ``root``: no cache; see :mod:`docsync.scan.cache`).
        workers: Processes to scan with: ``None`` decides by the amount of work, ``1``
            scans serially, more forces a pool of up to that many.
        progress: Called with (files done, files in all) as the scan advances.

    Returns:
        The modules in path order, and every diagnostic the scan produced.

    Raises:
        SourceError: A path does not exist or lies outside ``root``.
        GitError: ``git ls-files`` failed inside a git work tree.
    """
    options = (default_style, max_file_size, cache_dir, workers)
    return _scan_project(root, paths, exclude, options, progress, ())[0]


def _scan_project(
    root: Path,
    paths: Sequence[Path],
    exclude: Sequence[str],
    options: tuple[Style | None, int, Path | None, int | None],
    progress: ProgressCallback | None,
    extra: Sequence[ScanJob],
) -> tuple[Project, Project]:
    """:func:`scan_project` (options: style, size limit, cache, workers), ``extra`` too."""
    default_style, max_file_size, cache_dir, workers = options
    absolute_root = Path(os.path.normpath(root.absolute()))
    with timing.phase("discovery"):
        files = discover_python_files(paths, absolute_root, exclude)
    cache = None
    if cache_dir is not None and is_inside(absolute_root, cache_dir):  # not a symlink out
        cache = ScanCache(cache_dir, default_style=default_style, max_file_size=max_file_size)
    with timing.phase("scan"):
        entries = _read_entries(files, absolute_root, max_file_size)
        slots = _scan_slots([*entries, *extra], default_style, cache, workers, progress)
        if cache is not None:
            cache.prune()
    cut = len(entries)
    return _assemble(absolute_root, slots[:cut]), _assemble(absolute_root, slots[cut:])


def scan_working_tree(config: Config, *, progress: ProgressCallback | None = None) -> Project:
    """Scan the configured paths of the project on disk, through the scan cache unless it is off.

    Every command that judges the working tree (``check``, ``fix``, base mode's head)
    scans it here, so they all see the same project.

    Args:
        config: The merged configuration; ``paths`` are relative to ``config.root``.
        progress: Called with (files done, files in all) as the scan advances.

    Returns:
        The scanned project.

    Raises:
        SourceError: A configured path does not exist or lies outside the root.
        GitError: ``git ls-files`` failed inside a git work tree.
    """
    return scan_project(
        config.root,
        [config.at_root(p) for p in config.paths],
        exclude=config.exclude,
        default_style=config.style,
        max_file_size=config.max_file_size,
        cache_dir=cache_dir(config),
        progress=progress,
    )


def scan_working_tree_with(
    config: Config, extra: Sequence[ScanJob], *, progress: ProgressCallback | None = None
) -> tuple[Project, Project]:
    """:func:`scan_working_tree`, and ``extra`` contents (git blobs) in the same pass (one pool).

    Args:
        config: The merged configuration; ``paths`` are relative to ``config.root``.
        extra: Contents read elsewhere, scanned through the same cache.
        progress: Called with (files done, files in all) as the scan advances.

    Returns:
        The working tree's project, and the project of ``extra`` (in its order).

    Raises:
        SourceError: A configured path does not exist or lies outside the root.
        GitError: ``git ls-files`` failed inside a git work tree.
    """
    options = (config.style, config.max_file_size, cache_dir(config), None)
    paths = [config.at_root(p) for p in config.paths]
    return _scan_project(config.root, paths, config.exclude, options, progress, extra)


def cache_dir(config: Config) -> Path | None:
    """The scan cache directory of this project.

    Args:
        config: The merged configuration.

    Returns:
        ``.docsync-cache`` at the project root, or ``None`` when the cache is off.
    """
    return config.root / CACHE_DIR_NAME if config.cache else None


def open_cache(config: Config) -> ScanCache | None:
    """The project's scan cache, for scans that do not come from :func:`scan_project`.

    Args:
        config: The merged configuration.

    Returns:
        The cache, or ``None`` when it is off or its directory resolves outside the root.
    """
    directory = cache_dir(config)
    root = Path(os.path.normpath(config.root.absolute()))
    if directory is None or not is_inside(root, directory):
        return None
    return ScanCache(directory, default_style=config.style, max_file_size=config.max_file_size)
