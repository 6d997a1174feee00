"""The scan cache: hits, invalidation, damaged entries, unwritable places, sharing, pruning."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import textwrap
import time
import types
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import docsync.scan.cache as cache_module
import docsync.scan.codec as codec_module
import docsync.scan.project as parallel
from docsync.cli import main
from docsync.models import Project, Style
from docsync.scan.cache import CACHE_DIR_NAME, ScanCache, decode_result, encode_result
from docsync.scan.project import scan_project
from docsync.scan.python import ScanResult

SOURCES = {
    "pkg/__init__.py": '"""The package."""\nfrom pkg.core import run\n',
    "pkg/core.py": '''
        """Core."""

        import dataclasses


        def run(path: str, *, retries: int = 3) -> int:
            """Run it.

            Args:
                path: where.
                tries: how often.

            Raises:
                ValueError: when bad.
            """
            if not path:
                raise ValueError(path)
            return helper(path) + retries


        def helper(path):  # docsync: ignore[DS102]
            """Help.

            Parameters
            ----------
            path : str
                The path.
            """
            yield from path


        @dataclasses.dataclass
        class Point:
            """A point.

            :param x: across.
            :param y: up.
            """

            x: int
            y: int = 0

            @property
            def norm(self) -> float:
                """The length."""
                return (self.x**2 + self.y**2) ** 0.5
    ''',
    "pkg/sub/__init__.py": "",
    "pkg/sub/deep.py": 'def f(a, /, b, *args, c=1, **kw):\n    """F."""\n',
    "broken.py": "def broken(:\n    pass\n",
    "script.py": '"""A script."""\nprint("hi")\n',
}


def write_tree(root: Path, files: dict[str, str] = SOURCES) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


class ScanSpy:
    """Counts the files really scanned (serial path), by path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = parallel.scan_source

        def spy(source: bytes, path: str, module_name: str, **kwargs: Style | None) -> ScanResult:
            self.paths.append(path)
            return real(source, path, module_name, **kwargs)

        monkeypatch.setattr(parallel, "scan_source", spy)

    def take(self) -> list[str]:
        paths, self.paths = self.paths, []
        return paths


def scan(root: Path, **options: object) -> Project:
    options.setdefault("cache_dir", root / CACHE_DIR_NAME)
    options.setdefault("workers", 1)
    return scan_project(root, [root], **options)  # type: ignore[arg-type]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> ScanSpy:
    return ScanSpy(monkeypatch)


def test_second_run_is_served_from_the_cache(tmp_path: Path, spy: ScanSpy) -> None:
    write_tree(tmp_path)
    first = scan(tmp_path)
    assert len(spy.take()) == len(SOURCES)
    second = scan(tmp_path)
    assert spy.take() == []
    assert second == first
    assert second.diagnostics == first.diagnostics
    assert [m.path for m in second.modules] == sorted(m.path for m in first.modules)


def test_results_are_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    write_tree(tmp_path)
    uncached = scan(tmp_path, cache_dir=None)
    assert not (tmp_path / CACHE_DIR_NAME).exists()
    cold = scan(tmp_path)
    warm = scan(tmp_path)
    assert uncached == cold == warm
    assert uncached.diagnostics == cold.diagnostics == warm.diagnostics
    run = warm.get("pkg.core.run")
    assert run is not None and run.docstring is not None
    assert [s.title for s in run.docstring.sections] == ["Args", "Raises"]


def test_a_changed_file_alone_is_rescanned(tmp_path: Path, spy: ScanSpy) -> None:
    write_tree(tmp_path)
    scan(tmp_path)
    spy.take()
    core = tmp_path / "pkg/core.py"
    core.write_text(core.read_text().replace("retries: int = 3", "attempts: int = 3"))
    project = scan(tmp_path)
    assert spy.take() == ["pkg/core.py"]
    run = project.get("pkg.core.run")
    assert run is not None and run.signature is not None
    assert [p.name for p in run.signature.params] == ["path", "attempts"]


def test_same_bytes_at_another_path_or_module_name_is_a_miss(tmp_path: Path, spy: ScanSpy) -> None:
    write_tree(tmp_path)
    scan(tmp_path)
    spy.take()
    (tmp_path / "pkg/copy.py").write_bytes((tmp_path / "pkg/core.py").read_bytes())
    project = scan(tmp_path)
    assert spy.take() == ["pkg/copy.py"]
    assert project.get("pkg.copy.run") is not None
    (tmp_path / "pkg/sub/__init__.py").unlink()  # deep.py stops being pkg.sub.deep
    project = scan(tmp_path)
    assert spy.take() == ["pkg/sub/deep.py"]
    assert project.get("deep.f") is not None


def test_a_new_docsync_version_invalidates(
    tmp_path: Path, spy: ScanSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path)
    scan(tmp_path)
    spy.take()
    monkeypatch.setattr(cache_module, "__version__", "999.0.0")
    scan(tmp_path)
    assert len(spy.take()) == len(SOURCES)
    scan(tmp_path)
    assert spy.take() == []


def test_an_edited_scanner_invalidates(
    tmp_path: Path, spy: ScanSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path)
    scan(tmp_path)
    spy.take()
    stamp = cache_module._code_stamp()
    assert len(stamp) == 64
    monkeypatch.setattr(cache_module, "_code_stamp", lambda: stamp + "-edited")
    scan(tmp_path)
    assert len(spy.take()) == len(SOURCES)


PACKAGE = Path(cache_module.__file__).resolve().parent.parent
STAMPED = sorted(
    p.relative_to(PACKAGE).as_posix() for p in cache_module._scan_module_files(PACKAGE)
)


def test_the_stamp_covers_every_scan_module_and_the_data_model() -> None:
    scan_modules = {f"scan/{p.name}" for p in (PACKAGE / "scan").glob("*.py")}
    assert "scan/docstring_syntax.py" in scan_modules
    assert scan_modules | {"models.py"} <= set(STAMPED)
    assert "commands/check.py" not in STAMPED  # what runs after the scan does not count


@pytest.mark.parametrize("relative", STAMPED)
def test_editing_any_stamped_module_changes_the_stamp(tmp_path: Path, relative: str) -> None:
    copy = tmp_path / "docsync"
    for name in STAMPED:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes((PACKAGE / name).read_bytes())
    before = cache_module.code_stamp(copy)
    assert before == cache_module.code_stamp(copy)
    edited = copy / relative
    edited.write_bytes(edited.read_bytes() + b"\n# edited\n")
    assert cache_module.code_stamp(copy) != before


@pytest.mark.parametrize(
    "change",
    [{"default_style": Style.NUMPY}, {"max_file_size": 50_000}],
    ids=["style", "max-file-size"],
)
def test_a_scan_setting_change_invalidates(
    tmp_path: Path, spy: ScanSpy, change: dict[str, object]
) -> None:
    write_tree(tmp_path)
    scan(tmp_path)
    spy.take()
    scan(tmp_path, **change)
    assert len(spy.take()) == len(SOURCES)
    scan(tmp_path, **change)
    assert spy.take() == []


def test_the_key_covers_content_names_and_settings(tmp_path: Path) -> None:
    base = ScanCache(tmp_path, default_style=None, max_file_size=10)
    key = base.key(b"x = 1\n", "a.py", "a")
    assert len(key) == 64
    assert key == ScanCache(tmp_path, default_style=None, max_file_size=10).key(
        b"x = 1\n", "a.py", "a"
    )
    others = {
        base.key(b"x = 2\n", "a.py", "a"),
        base.key(b"x = 1\n", "b.py", "a"),
        base.key(b"x = 1\n", "a.py", "pkg.a"),
        ScanCache(tmp_path, default_style=Style.GOOGLE, max_file_size=10).key(
            b"x = 1\n", "a.py", "a"
        ),
        ScanCache(tmp_path, default_style=None, max_file_size=11).key(b"x = 1\n", "a.py", "a"),
    }
    assert key not in others and len(others) == 5


def test_another_python_minor_version_is_another_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def key() -> str:
        return ScanCache(tmp_path, default_style=None, max_file_size=10).key(b"x\n", "a.py", "a")

    before = key()
    fake_sys = types.SimpleNamespace(version_info=(3, 99, 0), modules=sys.modules)
    monkeypatch.setattr(cache_module, "sys", fake_sys)
    assert key() != before


def entry_files(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR_NAME / "scan").glob("*/*.pickle"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"",  # empty
        lambda data: data[:-1] + bytes([data[-1] ^ 0xFF]),  # a flipped bit in the payload
        lambda data: b"not a cache entry at all",  # another format
    ],
    ids=["truncated", "empty", "bit-flip", "garbage"],
)
def test_a_damaged_entry_is_rebuilt_not_an_error(
    tmp_path: Path, spy: ScanSpy, damage: Callable[[bytes], bytes]
) -> None:
    write_tree(tmp_path)
    expected = scan(tmp_path)
    spy.take()
    for entry in entry_files(tmp_path):
        entry.write_bytes(damage(entry.read_bytes()))
    assert scan(tmp_path) == expected
    assert len(spy.take()) == len(SOURCES)
    assert scan(tmp_path) == expected  # and the entries were rewritten whole
    assert spy.take() == []


def test_a_directory_in_place_of_an_entry_is_a_miss(tmp_path: Path, spy: ScanSpy) -> None:
    write_tree(tmp_path, {"a.py": "x = 1\n"})
    expected = scan(tmp_path)
    (entry,) = entry_files(tmp_path)
    entry.unlink()
    entry.mkdir()
    spy.take()
    assert scan(tmp_path) == expected
    assert spy.take() == ["a.py"]


class _Evil:
    def __reduce__(self) -> tuple[Callable[..., object], tuple[object, ...]]:
        return (os.getenv, ("HOME",))


def test_an_entry_cannot_run_code(tmp_path: Path) -> None:
    payload = pickle.dumps(_Evil(), protocol=pickle.HIGHEST_PROTOCOL)
    header = codec_module._MAGIC + hashlib.blake2b(payload, digest_size=16).digest()
    assert decode_result(header + payload) is None
    wrong_type = pickle.dumps(Project(root="/", modules=()), protocol=pickle.HIGHEST_PROTOCOL)
    header = codec_module._MAGIC + hashlib.blake2b(wrong_type, digest_size=16).digest()
    assert decode_result(header + wrong_type) is None


def test_encode_decode_round_trip(tmp_path: Path) -> None:
    write_tree(tmp_path)
    project = scan(tmp_path, cache_dir=None)
    for module in project.modules:
        result = ScanResult(module, ())
        assert decode_result(encode_result(result)) == result


def test_an_unwritable_cache_degrades_to_no_cache(
    tmp_path: Path, spy: ScanSpy, caplog: pytest.LogCaptureFixture
) -> None:
    write_tree(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache directory should be")
    expected = scan(tmp_path, cache_dir=None)
    spy.take()
    with caplog.at_level(logging.DEBUG, logger="docsync"):
        assert scan(tmp_path, cache_dir=blocker / "cache") == expected
        assert scan(tmp_path, cache_dir=blocker) == expected
    assert len(spy.take()) == 2 * len(SOURCES)
    assert blocker.read_text().startswith("a file")
    records = [r for r in caplog.records if r.name == "docsync.scan.cache"]
    assert len(records) == 2  # one line per run at most
    assert all(r.levelno == logging.DEBUG for r in records)


def test_a_read_only_entry_directory_is_no_error(tmp_path: Path, spy: ScanSpy) -> None:
    write_tree(tmp_path, {"a.py": "x = 1\n", "b.py": "y = 2\n"})
    cache_dir = tmp_path / CACHE_DIR_NAME
    expected = scan(tmp_path)
    entries = entry_files(tmp_path)
    for entry in entries:
        entry.unlink()
    for bucket in {entry.parent for entry in entries}:  # two keys may share a bucket
        bucket.rmdir()
        bucket.write_text("")  # every bucket becomes a file: no write can land
    spy.take()
    assert scan(tmp_path, cache_dir=cache_dir) == expected
    assert sorted(spy.take()) == ["a.py", "b.py"]


def test_the_cache_directory_is_marked(tmp_path: Path) -> None:
    write_tree(tmp_path)
    scan(tmp_path)
    cache_dir = tmp_path / CACHE_DIR_NAME
    lines = (cache_dir / ".gitignore").read_text().splitlines()
    assert "*" in lines
    assert (
        (cache_dir / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    leftovers = [p for p in cache_dir.rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []


def _scan_repeatedly(root: str, rounds: int) -> int:
    total = 0
    for _ in range(rounds):
        project = scan_project(
            Path(root), [Path(root)], cache_dir=Path(root) / CACHE_DIR_NAME, workers=1
        )
        total += len(project.modules)
    return total


def test_two_concurrent_runs_share_the_cache_safely(tmp_path: Path, spy: ScanSpy) -> None:
    files = {f"m{i}.py": f'def f{i}(a):\n    """F {i}."""\n    return a\n' for i in range(40)}
    write_tree(tmp_path, files)
    with parallel._pool_context().Pool(2) as pool:
        counts = pool.starmap(_scan_repeatedly, [(str(tmp_path), 3), (str(tmp_path), 3)])
    assert counts == [120, 120]
    cache = ScanCache(tmp_path / CACHE_DIR_NAME, default_style=None, max_file_size=1_000_000)
    for entry in entry_files(tmp_path):
        assert decode_result(entry.read_bytes()) is not None
    assert len(entry_files(tmp_path)) == 40
    assert cache.prune(force=True) == 0
    scan(tmp_path)
    assert spy.take() == []


def test_concurrent_writes_of_one_key_never_show_a_partial_entry(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "x = 1\n" * 2000})
    cache = ScanCache(tmp_path / "c", default_style=None, max_file_size=1_000_000)
    result = scan(tmp_path, cache_dir=None).modules[0]
    blob = encode_result(ScanResult(result, ()))
    key = "ab" * 32
    with parallel._pool_context().Pool(2) as pool:
        writers = pool.starmap_async(_store_many, [(cache, key, blob, 60)] * 2)
        seen = 0
        while not writers.ready():
            loaded = cache.load(key)
            if loaded is not None:
                assert loaded.module == result
                seen += 1
        writers.get()
    assert cache.load(key) is not None


def _store_many(cache: ScanCache, key: str, blob: bytes, times: int) -> None:
    for _ in range(times):
        cache.store_encoded(key, blob)


def test_pruning_removes_only_long_unused_entries(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "x = 1\n", "b.py": "y = 2\n"})
    cache_dir = tmp_path / CACHE_DIR_NAME
    scan(tmp_path)
    old = time.time() - 40 * 24 * 3600
    a_entry, b_entry = entry_files(tmp_path)
    for entry in (a_entry, b_entry):
        os.utime(entry, (old, old))
    (cache_dir / "scan" / ".last-prune").unlink()  # the scan pruned (nothing) already
    cache = ScanCache(cache_dir, default_style=None, max_file_size=1_000_000)
    key_a = cache.key(b"x = 1\n", "a.py", "a")
    assert cache.load(key_a) is not None  # a read marks the entry as used
    assert cache.prune() == 1
    assert len(entry_files(tmp_path)) == 1
    assert cache.load(key_a) is not None
    assert cache.prune() == 0  # at most once a day


def _invoke(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, args, catch_exceptions=False).exit_code


def test_cli_uses_the_cache_and_no_cache_bypasses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spy: ScanSpy
) -> None:
    write_tree(tmp_path)
    (tmp_path / "pyproject.toml").write_text("")
    cache_dir = tmp_path / CACHE_DIR_NAME
    assert _invoke(["check", "--no-cache"], tmp_path, monkeypatch) == 1
    assert not cache_dir.exists()
    assert len(spy.take()) == len(SOURCES)
    assert _invoke(["check"], tmp_path, monkeypatch) == 1
    assert len(spy.take()) == len(SOURCES)
    assert cache_dir.is_dir()
    assert _invoke(["check"], tmp_path, monkeypatch) == 1
    assert spy.take() == []
    assert _invoke(["check", "--no-cache"], tmp_path, monkeypatch) == 1
    assert len(spy.take()) == len(SOURCES)  # not read either
    assert _invoke(["baseline", "--no-cache"], tmp_path, monkeypatch) == 0
    assert len(spy.take()) == len(SOURCES)


def test_cache_off_in_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spy: ScanSpy
) -> None:
    write_tree(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.docsync]\ncache = false\n")
    _invoke(["check"], tmp_path, monkeypatch)
    assert not (tmp_path / CACHE_DIR_NAME).exists()
    _invoke(["check", "--cache"], tmp_path, monkeypatch)
    assert (tmp_path / CACHE_DIR_NAME).is_dir()
    (tmp_path / "pyproject.toml").write_text('[tool.docsync]\ncache = "yes"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "'cache' must be true or false" in result.output


def test_a_worker_result_skips_the_type_check_and_nothing_else(tmp_path: Path) -> None:
    write_tree(tmp_path)
    project = scan(tmp_path, cache_dir=None)
    for module in project.modules:
        result = ScanResult(module, ())
        assert decode_result(encode_result(result), from_worker=True) == result
    module = project.modules[0]
    mistyped = ScanResult(replace(module, symbols="not a tuple"), ())  # type: ignore[arg-type]
    blob = encode_result(mistyped)
    assert decode_result(blob) is None  # from disk: checked all the way down
    assert decode_result(blob, from_worker=True) == mistyped
    assert decode_result(blob[:-1] + b"!", from_worker=True) is None  # the checksum still holds
    payload = pickle.dumps(_Evil(), protocol=pickle.HIGHEST_PROTOCOL)
    header = codec_module._MAGIC + hashlib.blake2b(payload, digest_size=16).digest()
    assert decode_result(header + payload, from_worker=True) is None  # and the allowed classes


def test_the_type_check_sees_into_optional_fields_and_string_tuples(tmp_path: Path) -> None:
    write_tree(tmp_path)
    module = next(m for m in scan(tmp_path, cache_dir=None).modules if m.symbols)
    symbol = module.symbols[-1]
    for bad in (
        replace(symbol, decorators=("ok", 3)),  # type: ignore[arg-type]  # a tuple[str, ...] holding an int
        replace(symbol, docstring="text"),  # type: ignore[arg-type]  # a Docstring | None holding a str
        replace(symbol, signature=Project(root="/", modules=())),  # type: ignore[arg-type]  # a Signature | None
    ):
        result = ScanResult(replace(module, symbols=(*module.symbols[:-1], bad)), ())
        assert decode_result(encode_result(result)) is None
    assert decode_result(encode_result(ScanResult(module, ()))) == ScanResult(module, ())
