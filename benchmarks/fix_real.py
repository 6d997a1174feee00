"""Run ``docsync fix`` on real packages from PyPI and prove it touched nothing it should not.

Run by hand (it downloads sdists; never in CI)::

    python benchmarks/fix_real.py              # every project and drift pair
    python benchmarks/fix_real.py rich flask   # only those whose name matches

Two kinds of runs, each on a fresh copy of the package in a temp directory:

* **own findings**: ``fix`` on the release as published (rich, networkx, requests, flask);
* **drift**: the newer release with the docstrings of an older one put back, for
  every function present in both releases whose parameter list changed (a pull
  request that changed signatures and forgot the docs, as in the accuracy
  benchmark); then ``fix`` on that tree, once as is and once with
  ``--placeholders`` (which also exercises entry insertion on real docstrings).

For every run it checks, independently of the fix pipeline's own checks:

* **invariant violations**: a changed file whose code (AST, docstrings stripped)
  differs, or whose bytes differ outside its docstring literals (must be 0);
* **fixed-point failures**: a fixed finding that ``check`` still reports, or a
  second ``fix`` that still changes something (must be 0);
* **untouched files**: every file is hashed before and after; a file that ``fix``
  did not report as changed must be byte-identical (must be 0 different).

sdists are cached in ``~/.cache/docsync-bench/sdists`` (``DOCSYNC_BENCH_CACHE``).
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from docsync.apply.literals import docstring_spans, replace_literals
from docsync.apply.python import EditRejected, code_fingerprint
from docsync.commands.check import run_check
from docsync.commands.fix import FixResult, run_fix
from docsync.config import load_config

CACHE = Path(os.environ.get("DOCSYNC_BENCH_CACHE", Path.home() / ".cache" / "docsync-bench"))
ACCURACY_CACHE = Path(__file__).resolve().parent / ".cache" / "sdists"

OWN = (("rich", "13.9.4"), ("networkx", "3.4.2"), ("requests", "2.32.3"), ("flask", "3.1.0"))


@dataclass(frozen=True)
class Pair:
    """An older and a newer release of one package, and its docstring style."""

    package: str
    old: str
    new: str
    style: str


DRIFT = (
    Pair("rich", "12.0.0", "13.9.4", "google"),
    Pair("flax", "0.5.0", "0.6.0", "google"),
    Pair("networkx", "2.6.3", "3.4.2", "numpy"),
    Pair("requests", "2.25.1", "2.32.3", "sphinx"),
    Pair("flask", "2.0.0", "3.1.0", "sphinx"),
    Pair("click", "7.1.2", "8.0.0", "sphinx"),
    Pair("werkzeug", "1.0.1", "2.0.0", "sphinx"),
)


@dataclass
class Row:
    """The figures of one run."""

    label: str
    files: int = 0
    changed: int = 0
    edits: int = 0
    fixed: Counter[str] = field(default_factory=Counter)
    left: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    fixed_point: list[str] = field(default_factory=list)
    untouched_different: list[str] = field(default_factory=list)
    seconds: float = 0.0
    reverted: int = 0


# --- sources -------------------------------------------------------------------------------


def source_tree(package: str, version: str) -> Path:
    """The unpacked sdist of ``package==version``, downloaded with pip if not cached.

    Args:
        package: The distribution name.
        version: The release.

    Returns:
        The directory the sdist unpacks to.
    """
    target = CACHE / "src" / f"{package}-{version}"
    if target.is_dir() and any(target.iterdir()):
        return next(p for p in target.iterdir() if p.is_dir())
    archive = _archive(package, version)
    target.mkdir(parents=True, exist_ok=True)
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as handle:
            handle.extractall(target)
    else:
        with tarfile.open(archive) as handle:
            handle.extractall(target, filter="data")
    return next(p for p in target.iterdir() if p.is_dir())


def _archive(package: str, version: str) -> Path:
    downloads = CACHE / "sdists"
    downloads.mkdir(parents=True, exist_ok=True)
    for folder in (downloads, ACCURACY_CACHE):
        found = _find_archive(folder, package, version)
        if found is not None:
            if folder != downloads:
                shutil.copy2(found, downloads / found.name)
            return downloads / found.name
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
    subprocess.run([*pip, "--dest", str(downloads), f"{package}=={version}"], check=True)
    found = _find_archive(downloads, package, version)
    if found is None:
        raise SystemExit(f"pip downloaded no sdist of {package}=={version}")
    return found


def _find_archive(folder: Path, package: str, version: str) -> Path | None:
    if not folder.is_dir():
        return None
    names = {package.lower(), package.lower().replace("-", "_")}
    for path in folder.iterdir():
        stem = path.name.lower()
        if any(stem.startswith(f"{n}-{version}.") for n in names):
            return path
    return None


def package_dir(root: Path, package: str) -> Path:
    """Where the importable package is inside an unpacked sdist (``src/`` layout or not)."""
    for candidate in (root / "src" / package, root / package):
        if (candidate / "__init__.py").is_file():
            return candidate
    raise SystemExit(f"no package {package!r} in {root}")


# --- drift: put the older docstrings back --------------------------------------------------


@dataclass(frozen=True)
class Function:
    """A function's parameter names and the first line of its docstring literal."""

    params: tuple[str, ...]
    doc_line: int | None
    column: int


def functions(source: str) -> dict[str, Function]:
    """Every function and method of a module, by qualified name (first definition wins)."""
    found: dict[str, Function] = {}

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                walk(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args
                names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
                names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
                first = node.body[0] if node.body else None
                doc, column = None, 0
                value = first.value if isinstance(first, ast.Expr) else None
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    doc, column = value.lineno, value.col_offset
                found.setdefault(prefix + node.name, Function(tuple(names), doc, column))
                walk(node.body, f"{prefix}{node.name}.")

    walk(ast.parse(source).body, "")
    return found


def revert_docstrings(old: str, new: str) -> tuple[str, int]:
    """``new`` with the old docstring of every function whose parameters changed.

    Returns:
        The drifted module text and how many docstrings were put back.
    """
    try:
        old_functions, new_functions = functions(old), functions(new)
    except SyntaxError:
        return new, 0
    old_spans, new_spans = docstring_spans(old), docstring_spans(new)
    replacements: dict[int, str] = {}
    for name, after in new_functions.items():
        before = old_functions.get(name)
        if before is None or before.params == after.params:
            continue
        if before.doc_line is None or after.doc_line is None:
            continue
        literal = old_spans[before.doc_line].source(old)
        if before.column != after.column:
            literal = literal.replace("\n" + " " * before.column, "\n" + " " * after.column)
        if literal != new_spans[after.doc_line].source(new):
            replacements[after.doc_line] = literal
    return replace_literals(new, new_spans, replacements), len(replacements)


def drifted_tree(pair: Pair, work: Path) -> tuple[Path, int]:
    """A copy of the newer release's package with the older docstrings put back."""
    old = package_dir(source_tree(pair.package, pair.old), pair.package)
    new = package_dir(source_tree(pair.package, pair.new), pair.package)
    target = work / pair.package
    shutil.copytree(new, target)
    reverted = 0
    for path in sorted(target.rglob("*.py")):
        twin = old / path.relative_to(target)
        if not twin.is_file():
            continue
        try:
            old_text = twin.read_text(encoding="utf-8")
            new_text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        text, count = revert_docstrings(old_text, new_text)
        if count:
            path.write_bytes(text.encode("utf-8"))
            reverted += count
    return target, reverted


# --- one run -------------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (outside docsync's cache), by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".docsync-cache" not in p.parts
    }


def measure(
    label: str, work: Path, package: str, reverted: int = 0, *, placeholders: bool = False
) -> Row:
    """Run fix on ``work`` (holding ``package``) and check everything it did."""
    (work / "pyproject.toml").write_text(
        f'[tool.docsync]\npaths = ["{package}"]\ncache = false\n', encoding="utf-8"
    )
    config = load_config(work)
    before = snapshot(work)
    started = time.perf_counter()
    result = run_fix(config, placeholders=placeholders)
    row = Row(label, reverted=reverted, seconds=time.perf_counter() - started)
    after = snapshot(work)
    _count(row, result, before)
    _check_files(row, result, before, after)
    _check_fixed_point(row, result, config, placeholders)
    return row


def _count(row: Row, result: FixResult, before: dict[str, bytes]) -> None:
    row.files = sum(1 for p in before if p.endswith(".py"))
    row.changed = len(result.files_changed)
    row.edits = len(result.edits_applied)
    row.fixed.update(f.code for f in result.fixed)
    row.left.update(
        f"{f.code}: {result.reasons.get(f.fingerprint, '')}" for f in result.left_for_person
    )
    row.failed.update(f"{f.code}: {error}" for f, error in result.failed)


def _check_files(
    row: Row, result: FixResult, before: dict[str, bytes], after: dict[str, bytes]
) -> None:
    changed = set(result.files_changed)
    for path, old in before.items():
        new = after.get(path)
        if path not in changed:
            if new != old:
                row.untouched_different.append(path)
            continue
        assert new is not None
        row.violations.extend(f"{path}: {problem}" for problem in _invariants(old, new))
    row.untouched_different.extend(sorted(set(after) - set(before)))


def _invariants(old: bytes, new: bytes) -> list[str]:
    problems = []
    try:
        if code_fingerprint(old) != code_fingerprint(new):
            problems.append("code changed")
    except EditRejected as exc:
        problems.append(str(exc))
    old_text, new_text = old.decode("utf-8"), new.decode("utf-8")
    if _outside_docstrings(old_text) != _outside_docstrings(new_text):
        problems.append("bytes outside the docstrings changed")
    return problems


def _outside_docstrings(text: str) -> str:
    spans = docstring_spans(text)
    return replace_literals(text, spans, dict.fromkeys(spans, "<docstring>"))


def _check_fixed_point(row: Row, result: FixResult, config: object, placeholders: bool) -> None:
    from docsync.config import Config

    assert isinstance(config, Config)
    still = {f.fingerprint for f in run_check(config).findings}
    for finding in result.fixed:
        if finding.fingerprint in still:
            row.fixed_point.append(f"{finding.location.path}: {finding.code} still reported")
    second = run_fix(config, diff_only=True, placeholders=placeholders)
    for edit in second.edits_applied:
        row.fixed_point.append(f"{edit.path}:{edit.line}: second fix changed it again")


# --- report --------------------------------------------------------------------------------


def print_rows(rows: list[Row]) -> None:
    """One line per run, then the totals and every problem found."""
    head = f"{'run':<56}{'files':>6}{'changed':>8}{'edits':>6}{'fixed':>6}{'left':>6}"
    print(head + f"{'failed':>7}{'viol.':>6}{'fixpt':>6}{'untch':>6}{'sec':>7}")
    for row in rows:
        print(
            f"{row.label:<56}{row.files:>6}{row.changed:>8}{row.edits:>6}"
            f"{sum(row.fixed.values()):>6}{sum(row.left.values()):>6}{sum(row.failed.values()):>7}"
            f"{len(row.violations):>6}{len(row.fixed_point):>6}"
            f"{len(row.untouched_different):>6}{row.seconds:>7.1f}"
        )
    fixed = sum((row.fixed for row in rows), Counter())
    print("\nfixed per rule: " + ", ".join(f"{c} {n}" for c, n in sorted(fixed.items())))
    left = sum((row.left for row in rows), Counter())
    print("left for a person, by rule and reason:")
    for reason, count in sorted(left.items()):
        print(f"  {count:>5}  {reason}")
    failed = sum((row.failed for row in rows), Counter())
    for reason, count in failed.most_common():
        print(f"failed x{count}: {reason}")
    for row in rows:
        for problem in (*row.violations, *row.fixed_point, *row.untouched_different):
            print(f"PROBLEM {row.label}: {problem}")


def main(argv: list[str]) -> int:
    """Run the benchmark; exit 1 if any invariant, fixed point or untouched file broke."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="run only packages whose name contains these")
    args = parser.parse_args(argv)
    wanted = [w.lower() for w in args.only]
    rows = []
    with tempfile.TemporaryDirectory(prefix="docsync-fix-bench-") as temp:
        scratch = Path(temp)
        for package, version in OWN:
            if wanted and not any(w in package for w in wanted):
                continue
            work = scratch / f"own-{package}"
            shutil.copytree(package_dir(source_tree(package, version), package), work / package)
            rows.append(measure(f"{package} {version} (own findings)", work, package))
        for pair in DRIFT:
            if wanted and not any(w in pair.package for w in wanted):
                continue
            for placeholders in (False, True):
                work = scratch / f"drift-{pair.package}-{placeholders}"
                work.mkdir()
                _, reverted = drifted_tree(pair, work)
                label = f"{pair.package} {pair.old}->{pair.new} ({reverted} put back)"
                label += " +placeholders" if placeholders else ""
                rows.append(measure(label, work, pair.package, reverted, placeholders=placeholders))
    print_rows(rows)
    broken = any(r.violations or r.fixed_point or r.untouched_different for r in rows)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
