"""Parallel scanning and progress: same results as serial, in path order, with fallbacks."""

from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

import docsync.scan.project as parallel
from docsync.models import Project
from docsync.progress import ScanProgress, progress_wanted, scan_progress
from docsync.scan.cache import CACHE_DIR_NAME
from docsync.scan.project import (
    ScanJob,
    available_cpus,
    plan_workers,
    scan_jobs,
    scan_project,
)
from docsync.scan.python import module_name_for


def module_text(i: int) -> str:
    """A module with a bit of everything, different for every ``i``."""
    return textwrap.dedent(f'''
        """Module {i}."""

        from __future__ import annotations


        class Thing{i}:
            """A thing.

            Attributes:
                size: how big.
            """

            size = {i}

            def grow(self, by: int = {i}, *extra: int) -> int:
                """Grow it.

                Args:
                    by: how much.
                    more: left over.

                Returns:
                    The new size.
                """
                if by < 0:
                    raise ValueError(by)
                return self.size + by


        def make_{i}(n, **options):
            """Make things.

            Parameters
            ----------
            n : int
                How many.
            """
            for _ in range(n):
                yield Thing{i}()
    ''').lstrip()


def write_tree(root: Path, count: int = 24) -> Path:
    for i in range(count):
        package = root / "src" / f"pkg{i % 3}"
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text(f'"""Package {i % 3}."""\n')
        (package / f"mod{i}.py").write_text(module_text(i) * (1 + i % 4))
    (root / "src" / "pkg0" / "bad.py").write_text("def oops(:\n")
    (root / "src" / "pkg1" / "empty.py").write_text("")
    (root / "src" / "pkg2" / "latin.py").write_bytes(b"x = '\xe9'\n")
    return root


def scan(root: Path, **options: Any) -> Project:
    return scan_project(root, [root / "src"], **options)


def assert_same(a: Project, b: Project) -> None:
    assert a == b
    assert a.diagnostics == b.diagnostics
    assert [m.path for m in a.modules] == [m.path for m in b.modules]


def test_pool_and_serial_give_identical_projects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path)
    serial = scan(tmp_path, workers=1)
    from_pool: list[int] = []  # how many of how many jobs the workers scanned
    real = parallel._scan_on_pool

    def counted(jobs: Any, results: list[Any], *args: Any) -> None:
        real(jobs, results, *args)
        from_pool.extend([sum(r is not None for r in results), len(jobs)])

    monkeypatch.setattr(parallel, "_scan_on_pool", counted)
    pooled = scan(tmp_path, workers=2)
    jobs = from_pool[1]
    assert from_pool == [jobs, jobs] and jobs > 20  # every file came from a worker, none serially
    assert_same(serial, pooled)
    paths = [m.path for m in serial.modules]
    assert paths == sorted(paths)
    assert {d.path for d in serial.diagnostics} >= {"src/pkg0/bad.py", "src/pkg2/latin.py"}


def test_pool_cache_and_serial_agree_in_every_combination(tmp_path: Path) -> None:
    write_tree(tmp_path)
    cache_dir = tmp_path / CACHE_DIR_NAME
    reference = scan(tmp_path, workers=1)
    pooled_cold = scan(tmp_path, workers=2, cache_dir=cache_dir)
    serial_warm = scan(tmp_path, workers=1, cache_dir=cache_dir)
    pooled_warm = scan(tmp_path, workers=2, cache_dir=cache_dir)
    for project in (pooled_cold, serial_warm, pooled_warm):
        assert_same(reference, project)


def test_pool_workers_fill_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path)
    cache_dir = tmp_path / CACHE_DIR_NAME
    scan(tmp_path, workers=2, cache_dir=cache_dir)
    scanned: list[str] = []
    real = parallel.scan_source

    def spy(source: bytes, path: str, module_name: str, **kwargs: Any) -> Any:
        scanned.append(path)
        return real(source, path, module_name, **kwargs)

    monkeypatch.setattr(parallel, "scan_source", spy)
    scan(tmp_path, workers=1, cache_dir=cache_dir)
    assert scanned == []


def test_order_does_not_depend_on_completion_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path)
    serial = scan(tmp_path, workers=1)

    def reversed_completion(futures: Iterable[Future[Any]]) -> Iterator[Future[Any]]:
        pending = list(futures)
        for future in pending:
            future.result()
        return reversed(pending)

    monkeypatch.setattr(parallel, "as_completed", reversed_completion)
    monkeypatch.setattr(parallel, "_MAX_CHUNK_FILES", 2)
    assert_same(serial, scan(tmp_path, workers=2))


class _NoPool:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise OSError("no semaphores here")


class _BreakingPool:
    """Runs the first chunk, then breaks like a pool whose worker was killed."""

    error: Exception = BrokenProcessPool("a worker died")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.calls = 0

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.calls += 1
        if self.calls == 1:
            future.set_result(fn(*args))
        else:
            future.set_exception(self.error)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


class _FailingWorkerPool(_BreakingPool):
    """A worker raises for its chunk (say, a result that does not pickle)."""

    error = ValueError("cannot pickle this")


@pytest.mark.parametrize(
    "pool",
    [_NoPool, _BreakingPool, _FailingWorkerPool],
    ids=["cannot-start", "breaks", "worker-raises"],
)
def test_a_failing_pool_falls_back_to_serial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: type
) -> None:
    write_tree(tmp_path)
    serial = scan(tmp_path, workers=1)
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", pool)
    done: list[tuple[int, int]] = []
    project = scan(tmp_path, workers=2, progress=lambda d, t: done.append((d, t)))
    assert_same(serial, project)
    total = len(serial.modules) + 2  # the unparsable and the undecodable file count too
    assert done[-1] == (total, total)


def test_plan_workers_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "available_cpus", lambda: 4)
    big = parallel.PARALLEL_MIN_BYTES
    many = parallel.PARALLEL_MIN_FILES
    assert plan_workers(many - 1, 10 * big) == 1
    assert plan_workers(10 * many, big - 1) == 1
    assert plan_workers(10 * many, big) == 4
    assert plan_workers(3 * parallel.FILES_PER_WORKER, big) == 3  # enough work for 3
    assert plan_workers(3, 10, requested=8) == 3
    assert plan_workers(500, 10 * big, requested=1) == 1
    assert plan_workers(1, 10 * big, requested=4) == 1


def test_available_cpus_is_the_affinity_mask_else_the_cpu_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if hasattr(os, "sched_getaffinity"):
        assert available_cpus() == len(os.sched_getaffinity(0))

        def refused(pid: int) -> set[int]:
            raise OSError("not permitted")

        monkeypatch.setattr(os, "sched_getaffinity", refused)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert available_cpus() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # "undetermined"
    assert available_cpus() == 1


def test_a_small_tree_is_scanned_without_a_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, count=4)
    expected = scan(tmp_path, workers=1)
    monkeypatch.setattr(parallel, "_scan_on_pool", None)  # a TypeError if it were used
    assert_same(expected, scan(tmp_path))


def test_jobs_keep_their_order() -> None:
    jobs = [ScanJob(f"def f{i}(): pass\n".encode(), f"m{i}.py", f"m{i}") for i in range(9)]
    results = scan_jobs(jobs, workers=3)
    assert [r.module.path for r in results if r.module] == [j.path for j in jobs]


def test_module_names_match_module_name_for(tmp_path: Path) -> None:
    files = [
        "top.py",
        "__init__.py",
        "pkg/__init__.py",
        "pkg/a.py",
        "pkg/sub/__init__.py",
        "pkg/sub/b.py",
        "pkg/gap/c.py",  # no __init__: not a package
        "pkg/gap/inner/__init__.py",
        "pkg/gap/inner/d.py",
        "plain/e.py",
    ]
    for name in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    names = parallel.ModuleNames(tmp_path)
    for name in files:
        path = tmp_path / name
        assert names.of(str(path)) == module_name_for(path, tmp_path), name


def test_progress_reports_every_file_up_to_the_total(tmp_path: Path) -> None:
    write_tree(tmp_path, count=6)
    seen: list[tuple[int, int]] = []
    project = scan(tmp_path, workers=2, progress=lambda d, t: seen.append((d, t)))
    total = len(project.modules) + 2  # the unparsable and the undecodable file count too
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    seen.clear()
    scan(tmp_path, workers=1, cache_dir=tmp_path / "c")
    scan(tmp_path, workers=1, cache_dir=tmp_path / "c", progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, total), (total, total)]  # all from the cache at once


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("output_format", "environ", "tty", "expected"),
    [
        ("text", {}, True, True),
        ("text", {"CI": "false"}, True, True),
        ("text", {"CI": "true"}, True, False),
        ("text", {"CI": "1"}, True, False),
        ("text", {"TERM": "dumb"}, True, False),
        ("text", {}, False, False),
        ("json", {}, True, False),
        ("sarif", {}, True, False),
        ("github", {}, True, False),
    ],
)
def test_progress_only_on_terminals_for_text_outside_ci(
    output_format: str, environ: dict[str, str], tty: bool, expected: bool
) -> None:
    stream = _Tty() if tty else io.StringIO()
    assert progress_wanted(output_format, stream=stream, environ=environ) is expected


def test_the_bar_appears_only_after_the_delay_and_is_erased() -> None:
    now = [0.0]
    stream = _Tty()
    bar = ScanProgress(stream=stream, delay=1.0, clock=lambda: now[0])
    bar(0, 100)
    now[0] = 0.5
    bar(40, 100)
    assert not bar.shown
    now[0] = 1.2
    bar(60, 100)
    assert bar.shown
    now[0] = 1.5
    bar(100, 100)
    bar.close()
    assert not bar.shown
    assert "Scanning" in stream.getvalue()


def test_a_fast_scan_never_shows_the_bar() -> None:
    now = [0.0]
    bar = ScanProgress(stream=_Tty(), delay=1.0, clock=lambda: now[0])
    bar(0, 10)
    now[0] = 5.0
    bar(10, 10)  # finished: nothing left to show progress for
    assert not bar.shown


def test_scan_progress_yields_none_for_machine_output() -> None:
    with scan_progress("json") as progress:
        assert progress is None


def test_scan_sources_matches_scanning_the_files(tmp_path: Path) -> None:
    write_tree(tmp_path, count=6)
    from_disk = scan(tmp_path, workers=1)
    root = tmp_path.resolve()
    files = sorted((root / "src").rglob("*.py"))
    names = parallel.ModuleNames(root)
    sources = [
        ScanJob(f.read_bytes(), f.relative_to(root).as_posix(), names.of(str(f))) for f in files
    ]
    cache = parallel.ScanCache(tmp_path / "c", default_style=None, max_file_size=1_000_000)
    cold = parallel.scan_sources(sources, root, cache=cache, workers=2)
    warm = parallel.scan_sources(sources, root, cache=cache, workers=1)
    assert_same(from_disk, cold)
    assert_same(from_disk, warm)
