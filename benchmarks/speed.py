"""How fast docsync is on large projects, against pydoclint and against the parser itself.

Run by hand (it downloads sdists; never in CI)::

    python benchmarks/speed.py                        # Django 5.2, networkx 3.4.2, SymPy 1.13.3
    python benchmarks/speed.py --runs 7 sympy==1.13.3:numpy --release-diff none
    python benchmarks/speed.py --markdown             # the tables as Markdown (docs/performance.md)

For each project it downloads the sdist (``pip download --no-deps --no-binary :all:``)
into ``~/.cache/docsync-bench/`` (outside this repository: a tree inside docsync's work
tree would be ignored by its .gitignore), makes a git repository of it there, and
measures on the same files, each run in a fresh process:

* ``read``: reading every file's bytes, and ``ast.parse``: parsing every file (both
  timed inside the process, without interpreter start-up: the floors);
* ``pydoclint``: ``pydoclint --quiet --style=<style>`` on the same files (its defaults
  otherwise: it parses every docstring and checks the ones with sections, as docsync does);
* ``docsync cold``: ``docsync check`` with an empty cache (it fills the cache);
  ``docsync --no-cache``: the same without any cache; ``docsync warm``: with the cache
  filled and nothing changed;
* ``docsync --base``: ``check --base HEAD`` after changing 10 files (5 signatures,
  5 docstrings; different text every run, so those files are never in the cache);
* ``--base`` on a whole release diff (``--release-diff``; SQLAlchemy 1.3.24 → 1.4.0 and
  outlines 0.2.3 → 1.0.0 by default): a repository with one commit per release, and
  ``check --base HEAD~1`` without a cache and with the cache a check of the base
  commit left, against a cold full check of the head.

It prints the median, the min-max, the CPU time (user + system, workers included) and
the peak resident memory of the largest process and of all of docsync's processes
together (sampled), with ratios against pydoclint, the ``ast.parse`` floor and the
cold run side by side.  The machine's load is printed too: run it on a quiet machine.
"""

# The tables use typographic signs: the multiplication sign and the en dash.
# ruff: noqa: RUF001

from __future__ import annotations

import argparse
import ast
import importlib.metadata
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sdists

CACHE = sdists.CACHE
DEFAULT_PROJECTS = ("django==5.2:sphinx", "networkx==3.4.2:numpy", "sympy==1.13.3:numpy")
# Whole release diffs on which `check --base` once never finished (issue 19).
DEFAULT_RELEASE_DIFFS = (
    "sqlalchemy:1.3.24:1.4.0:lib/sqlalchemy",
    "outlines:0.2.3:1.0.0:outlines",
)
PYDOCLINT_FALLBACK_VERSION = "0.12.0"
CHANGED_FILES = 10
_TRIPLE_QUOTES = ('"""', "'''")
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}

# Timed inside a fresh interpreter: the floors, without start-up and imports.
_FLOOR = """
import ast, sys, time
paths = open(sys.argv[2], encoding="utf-8").read().splitlines()
start = time.perf_counter()
if sys.argv[1] == "read":
    for p in paths:
        with open(p, "rb") as f:
            f.read()
else:
    for p in paths:
        with open(p, "rb") as f:
            data = f.read()
        try:
            ast.parse(data)
        except (SyntaxError, ValueError):
            pass
print(time.perf_counter() - start)
"""

# Base mode through its Python API, for a docsync whose CLI has no --base yet.
# "cached" routes the head-side full scan through the scan cache.
_BASE_DRIVER = """
import functools, sys
from pathlib import Path
import docsync.commands.against_base as base_mode
from docsync.config import find_project_root, load_config
from docsync.commands.check import detect
config = load_config(find_project_root(Path.cwd()))
if sys.argv[2] == "cached" and hasattr(base_mode, "scan_project"):  # today: config.cache
    from docsync.commands.check import cache_dir
    base_mode.scan_project = functools.partial(base_mode.scan_project, cache_dir=cache_dir(config))
report = base_mode.check_change(config, sys.argv[1], detect=lambda p: detect(p, config))
print(len(report.findings), len(report.changes.files))
"""


@dataclass(frozen=True)
class Sample:
    """One run: wall and CPU seconds, and peak memory in MB (largest process, all)."""

    seconds: float
    cpu: float
    rss_mb: float
    tree_rss_mb: float | None


@dataclass
class Measure:
    """All runs of one measure."""

    name: str
    samples: list[Sample] = field(default_factory=list)
    in_process: bool = False
    note: str = ""

    @property
    def median(self) -> float:
        """The median wall time."""
        return statistics.median(s.seconds for s in self.samples)

    @property
    def spread(self) -> str:
        """min-max of the wall times."""
        times = [s.seconds for s in self.samples]
        return f"{min(times):.2f}–{max(times):.2f}"

    @property
    def cpu(self) -> float:
        """The median CPU time."""
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss(self) -> str:
        """Peak memory: largest process / all processes (MB, the worst run)."""
        largest = max(s.rss_mb for s in self.samples)
        trees = [s.tree_rss_mb for s in self.samples if s.tree_rss_mb is not None]
        return f"{largest:.0f}" + (f" / {max(trees):.0f}" if trees else "")


@dataclass(frozen=True)
class BenchProject:
    """A project to measure: the sdist requirement and its docstring style for pydoclint."""

    spec: str
    style: str

    @property
    def slug(self) -> str:
        """``name-version``."""
        return self.spec.replace("==", "-")


# --- preparing the trees ----------------------------------------------------------------


def download(spec: str) -> Path:
    """Download and unpack the sdist of ``spec`` into the cache (once).

    Args:
        spec: a requirement pinned to one version (``django==5.2``).

    Returns:
        The unpacked source directory.
    """
    return sdists.download(spec)


def make_repo(source: Path, slug: str) -> tuple[Path, list[str]]:
    """A fresh git repository holding a copy of ``source``, all committed.

    Args:
        source: the unpacked sdist.
        slug: the project's ``name-version``.

    Returns:
        The repository, and its Python files (as git lists them, repo-relative).
    """
    repo = CACHE / "speed" / slug
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(source, repo)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "sdist"]):
        _git(repo, *args)
    listing = _git(repo, "ls-files", "-z", "--", "*.py")
    return repo, sorted(p for p in listing.split("\0") if p)


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, **_GIT_ENV}
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@dataclass(frozen=True)
class Change:
    """A documented function to change in one file: its ``def`` line, a parameter, its docstring."""

    path: str
    def_line: int
    param: str
    doc_line: int


def pick_changes(repo: Path, files: Sequence[str]) -> list[Change]:
    """Ten files to change, each with a documented function that has a parameter.

    Args:
        repo: the repository.
        files: its Python files.

    Returns:
        One change per file, spread over the tree, skipping tests and migrations.
    """
    picked: list[Change] = []
    candidates = [f for f in files if "test" not in f and "migrations" not in f]
    step = max(1, len(candidates) // (CHANGED_FILES * 3))
    for path in candidates[::step]:
        found = _documented_function(repo, path)
        if found is not None:
            picked.append(found)
        if len(picked) == CHANGED_FILES:
            return picked
    raise SystemExit(f"found only {len(picked)} files to change in {repo}")


def _documented_function(repo: Path, path: str) -> Change | None:
    try:
        source = (repo / path).read_bytes()
        tree = ast.parse(source)
        lines = source.decode("utf-8").splitlines()
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if not ast.get_docstring(node) or node.lineno != node.body[0].lineno - 1:
            continue  # only a one-line ``def`` right above its docstring: simple to edit
        names = [a.arg for a in node.args.args if a.arg not in ("self", "cls")]
        doc_line = node.body[0].lineno
        opening = lines[doc_line - 1].lstrip()
        named = names and re.search(rf"\b{names[0]}\b", lines[node.lineno - 1])
        if named and opening.startswith(_TRIPLE_QUOTES):
            return Change(path, node.lineno, names[0], doc_line)
    return None


def apply_changes(repo: Path, changes: Sequence[Change], run: int) -> None:
    """Change the picked files, differently for every run.

    Even-numbered files get a renamed parameter (a signature change), odd-numbered
    ones a new first word in the docstring.

    Args:
        repo: the repository (the files are restored to HEAD first).
        changes: from :func:`pick_changes`.
        run: the run number, part of the new text.
    """
    _git(repo, "checkout", "-q", "--", *[c.path for c in changes])
    for index, change in enumerate(changes):
        file = repo / change.path
        lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
        if index % 2 == 0:
            line = lines[change.def_line - 1]
            pattern = rf"\b{change.param}\b"
            lines[change.def_line - 1] = re.sub(pattern, f"{change.param}_r{run}", line, count=1)
        else:
            line = lines[change.doc_line - 1]
            quotes = next(q for q in _TRIPLE_QUOTES if q in line)
            lines[change.doc_line - 1] = line.replace(quotes, f"{quotes}Rev {run}: ", 1)
        file.write_text("".join(lines), encoding="utf-8")


# --- running and measuring ----------------------------------------------------------------


def run_child(command: Sequence[str], cwd: Path, *, sample_tree: bool = True) -> tuple[Sample, str]:
    """Run one command in a fresh process; time it and record its peak memory.

    Args:
        command: the command.
        cwd: where to run it.
        sample_tree: also sample the memory of all its descendants (pool workers).

    Returns:
        The sample and the command's stdout.
    """
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    sampler = _TreeSampler(process.pid) if sample_tree and sys.platform == "linux" else None
    assert process.stdout is not None
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    tree = sampler.stop() if sampler is not None else None
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)  # B on macOS, else KiB
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(seconds, cpu, peak / 1_000_000, tree), output


class _TreeSampler:
    """Samples the summed resident memory of a process and its descendants (Linux)."""

    def __init__(self, pid: int) -> None:
        self._pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> float | None:
        self._stop.set()
        self._thread.join()
        return self.peak / 1_000_000 if self.peak else None

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self._rss(self._pid))

    def _rss(self, pid: int) -> int:
        proc = Path("/proc", str(pid))
        try:
            total = int((proc / "statm").read_text().split()[1]) * self._page
            for task in (proc / "task").iterdir():
                children = (task / "children").read_text().split()
                total += sum(self._rss(int(child)) for child in children)
        except (OSError, ValueError):
            return 0
        return total


def measure(name: str, runs: int, once: Callable[[int], Sample], *, note: str = "") -> Measure:
    """Run ``once`` ``runs`` times and keep the samples.

    Args:
        name: the row's name.
        runs: how many runs.
        once: makes one run, given its number.
        note: a remark for the table.

    Returns:
        The measure.
    """
    result = Measure(name, note=note)
    for run in range(runs):
        result.samples.append(once(run))
        print(f"  {name}: run {run + 1}/{runs}: {result.samples[-1].seconds:.2f} s", flush=True)
    return result


def floor_sample(mode: str, repo: Path, file_list: Path) -> Sample:
    """One run of a floor (``read`` or ``parse``), timed inside the child."""
    sample, output = run_child(
        [sys.executable, "-c", _FLOOR, mode, str(file_list)], repo, sample_tree=False
    )
    return Sample(float(output.strip()), sample.cpu, sample.rss_mb, None)


def pydoclint_command() -> list[str]:
    """A working pydoclint: this environment's, else one in its own virtualenv.

    ``docstring_parser`` and pydoclint's ``docstring_parser_fork`` install the same
    package; when another tool has replaced the fork, this environment's pydoclint
    cannot start, so a clean one is made (once) in the cache.

    Returns:
        The command.
    """
    local = Path(sys.executable).with_name("pydoclint")
    if local.exists():
        probe = subprocess.run([str(local), "--version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [str(local)]
    venv = CACHE / "pydoclint-venv"
    executable = venv / "bin" / "pydoclint"
    if not executable.exists():
        try:
            version = importlib.metadata.version("pydoclint")
        except importlib.metadata.PackageNotFoundError:
            version = PYDOCLINT_FALLBACK_VERSION
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, f"pydoclint=={version}"], check=True)
    return [str(executable)]


def ruff_command() -> list[str]:
    """Ruff from this environment (the project's dev dependency), else from ``PATH``.

    Returns:
        The command.
    """
    local = Path(sys.executable).with_name("ruff")
    return [str(local)] if local.exists() else ["ruff"]


def cli_has_base() -> bool:
    """Whether ``docsync check`` takes ``--base`` yet."""
    help_text = subprocess.run(
        [sys.executable, "-m", "docsync", "check", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return "--base" in help_text


def bench_project(
    project: BenchProject, runs: int, *, base_only: bool = False
) -> tuple[list[Measure], int]:
    """Every measure on one project.

    Args:
        project: the project.
        runs: runs per measure.
        base_only: only what the ``--base`` row is read against: ast.parse, ruff, a
            cold check and ``--base`` with 10 files changed.

    Returns:
        The measures, and the number of Python files.
    """
    print(f"== {project.spec}", flush=True)
    repo, files = make_repo(download(project.spec), project.slug)
    file_list = CACHE / "speed" / f"{project.slug}.files"
    file_list.write_text("\n".join(files) + "\n", encoding="utf-8")
    cache_dir = repo / ".docsync-cache"
    docsync = [sys.executable, "-m", "docsync", "check", "--exit-zero", "--format", "json"]
    pydoclint = [*pydoclint_command(), "--quiet", f"--style={project.style}", *files]
    ruff = [*ruff_command(), "check", "--no-cache", "--preview", "--select", "DOC,D417"]
    ruff += ["--exit-zero", "--quiet", "--isolated", *files]
    outputs: dict[str, set[str]] = {}

    def docsync_run(name: str, command: list[str]) -> Sample:
        sample, output = run_child(command, repo)
        outputs.setdefault(name, set()).add(output)
        return sample

    def cold(_: int) -> Sample:
        shutil.rmtree(cache_dir, ignore_errors=True)
        return docsync_run("cold", docsync)

    changes = pick_changes(repo, files)

    def one_file(run: int) -> Sample:
        # The cache is warm; one docstring changed (new text every run): a miss.
        apply_changes(repo, changes[1:2], run)
        return run_child(docsync, repo)[0]

    if base_only:
        measures = [
            measure("ast.parse", runs, lambda _: floor_sample("parse", repo, file_list)),
            measure("ruff DOC,D417", runs, lambda _: run_child(ruff, repo)[0]),
            measure("docsync cold", runs, cold),
        ]
        measures[0].in_process = True
    else:
        measures = [
            measure("read bytes", runs, lambda _: floor_sample("read", repo, file_list)),
            measure("ast.parse", runs, lambda _: floor_sample("parse", repo, file_list)),
            measure("ruff DOC,D417", runs, lambda _: run_child(ruff, repo)[0]),
            measure("pydoclint", runs, lambda _: run_child(pydoclint, repo)[0]),
            measure(
                "docsync --no-cache",
                runs,
                lambda _: docsync_run("no-cache", [*docsync, "--no-cache"]),
            ),
            measure("docsync cold", runs, cold),
            measure("docsync warm", runs, lambda _: docsync_run("warm", docsync)),
            measure("docsync warm, 1 docstring changed", runs, one_file),
        ]
        for measure_ in measures[:2]:
            measure_.in_process = True
    _git(repo, "checkout", "-q", "--", ".")
    same = len(set().union(*outputs.values())) == 1
    print(f"  findings with and without the caches: {'identical' if same else '!! DIFFER'}")
    if cli_has_base():
        base = [*docsync, "--base", "HEAD"]
        # The first run against a base commit scans the whole head and writes the head
        # index (see docs/performance.md); the runs of a pull request read it.
        apply_changes(repo, changes, runs)
        first, first_out = run_child(base, repo)
        plain = run_child([*base, "--no-cache"], repo)[1]
        same = first_out == plain == run_child(base, repo)[1]
        print(f"  --base, first run against the base commit: {first.seconds:.2f} s")
        verdict = "identical" if same else "!! DIFFER"
        print(f"  --base findings with and without the caches: {verdict}")
        variants = [("docsync --base (10 files)", base, "head index written")]
    else:
        driver = [sys.executable, "-c", _BASE_DRIVER, "HEAD"]
        variants = [
            ("--base as it is (10 files)", [*driver, "as-is"], "check_change(); no CLI flag yet"),
            ("--base, head via cache", [*driver, "cached"], "check_change(), head scan cached"),
        ]
    for name, command, note in variants:

        def base_run(run: int, command: list[str] = command) -> Sample:
            apply_changes(repo, changes, run)
            return run_child(command, repo)[0]

        measures.append(measure(name, runs, base_run, note=note))
    _git(repo, "checkout", "-q", "--", ".")
    return measures, len(files)


@dataclass(frozen=True)
class ReleaseDiff:
    """Two releases of one package: ``name:old:new:source`` (source: the package folder)."""

    name: str
    old: str
    new: str
    source: str

    @classmethod
    def parse(cls, text: str) -> ReleaseDiff:
        """From ``sqlalchemy:1.3.24:1.4.0:lib/sqlalchemy``."""
        name, old, new, source = text.split(":")
        return cls(name, old, new, source)


def release_repo(diff: ReleaseDiff) -> Path:
    """A git repository with one commit per release of the package's Python files."""
    repo = CACHE / "speed" / f"{diff.name}-{diff.old}-{diff.new}"
    if repo.exists():
        shutil.rmtree(repo)
    package = repo / Path(diff.source).name
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    for version in (diff.old, diff.new):
        shutil.rmtree(package, ignore_errors=True)
        source = download(f"{diff.name}=={version}") / diff.source
        for path in source.rglob("*.py"):
            target = package / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", f"{diff.name} {version}")
    return repo


def bench_release_diff(diff: ReleaseDiff, runs: int) -> tuple[list[Measure], str]:
    """``check --base`` on a whole release diff, against a cold full check of the head.

    Returns:
        The measures, and the size of the diff (``git diff --shortstat``).
    """
    print(f"== {diff.name} {diff.old} -> {diff.new} (--base on the whole release diff)")
    repo = release_repo(diff)
    cache_dir = repo / ".docsync-cache"
    docsync = [sys.executable, "-m", "docsync", "check", "--exit-zero", "--format", "json"]
    base = [*docsync, "--base", "HEAD~1"]
    outputs: dict[str, str] = {}

    def cold(_: int) -> Sample:
        shutil.rmtree(cache_dir, ignore_errors=True)
        return run_child(docsync, repo)[0]

    def base_cold(_: int) -> Sample:
        shutil.rmtree(cache_dir, ignore_errors=True)
        sample, outputs["cold"] = run_child(base, repo)
        return sample

    def base_warm_from_base(_: int) -> Sample:
        # As in CI with the cache restored from the base branch: the cache holds the
        # base commit's files, not the changed head files.
        shutil.rmtree(cache_dir, ignore_errors=True)
        _git(repo, "checkout", "-q", "HEAD~1")
        run_child(docsync, repo)
        _git(repo, "checkout", "-q", "-")
        sample, outputs["cached"] = run_child(base, repo)
        return sample

    measures = [
        measure("docsync cold (head, full)", runs, cold),
        measure("--base, whole diff, no cache", runs, base_cold),
        measure("--base, whole diff, base's cache", runs, base_warm_from_base),
    ]
    if outputs["cold"] != outputs["cached"]:
        print("  !! --base findings differ with and without the cache", flush=True)
    return measures, _git(repo, "diff", "--shortstat", "HEAD~1", "HEAD").strip()


def release_table(diff: ReleaseDiff, stat: str, measures: Sequence[Measure], md: bool) -> str:
    """The release-diff rows, with the ratio to the cold full check of the head."""
    cold = measures[0].median
    head = ["measure", "median s", "min–max s", "CPU s", "peak RSS MB", "× cold"]
    rows = [
        [m.name, f"{m.median:.2f}", m.spread, f"{m.cpu:.2f}", m.rss, f"{m.median / cold:.3f}"]
        for m in measures
    ]
    title = f"{diff.name} {diff.old} → {diff.new}: {stat}, {len(measures[0].samples)} runs each"
    if md:
        lines = [f"| {' | '.join(head)} |", "|---|" + "---:|" * (len(head) - 1)]
        lines += [f"| {' | '.join(r)} |" for r in rows]
    else:
        lines = ["  ".join(f"{c:>16}" for c in head)]
        lines += ["  ".join(f"{c:>16}" for c in r) for r in rows]
    return "\n".join([f"### {title}", "", *lines, ""])


# --- the report ----------------------------------------------------------------------------


def table(project: BenchProject, files: int, measures: Sequence[Measure], markdown: bool) -> str:
    """The results of one project, ratios side by side.

    Args:
        project: the project.
        files: its number of Python files.
        measures: its measures.
        markdown: a Markdown table instead of aligned text.

    Returns:
        The table.
    """
    by_name = {m.name: m for m in measures}
    pydoclint = by_name["pydoclint"].median if "pydoclint" in by_name else None
    ruff = by_name["ruff DOC,D417"]
    floor = by_name["ast.parse"].median
    cold = by_name["docsync cold"]
    header = [
        "measure",
        "median s",
        "min–max s",
        "CPU s",
        "peak RSS MB",
        "× ruff",
        "× ruff CPU",
        "× pydoclint",
        "× ast.parse",
        "× cold",
        "× cold CPU",
    ]
    rows = []
    for m in measures:
        name = m.name + (" ¹" if m.in_process else "") + (f" ({m.note})" if m.note else "")
        ours = m.name.startswith(("docsync", "--base"))
        rows.append(
            [
                name,
                f"{m.median:.2f}",
                m.spread,
                f"{m.cpu:.2f}" if not m.in_process else "–",
                m.rss,
                f"{m.median / ruff.median:.2f}",
                f"{m.cpu / ruff.cpu:.2f}" if not m.in_process else "–",
                f"{m.median / pydoclint:.2f}" if pydoclint else "–",
                f"{m.median / floor:.2f}",
                f"{m.median / cold.median:.3f}" if ours else "",
                f"{m.cpu / cold.cpu:.3f}" if ours else "",
            ]
        )
    title = f"{project.spec}: {files} Python files, {len(measures[0].samples)} runs each"
    if markdown:
        lines = [f"### {title}", "", "| " + " | ".join(header) + " |"]
        lines.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = [title, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(out) + "\n"


def environment() -> str:
    """The machine and versions the figures were taken on."""
    from docsync import __version__

    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    python = ".".join(map(str, sys.version_info[:3]))
    return f"docsync {__version__}, Python {python}, {cpus} CPUs, load average {load}"


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments, run every measure on every project, print the tables.

    Args:
        argv: the arguments (default: ``sys.argv[1:]``).
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "projects",
        nargs="*",
        default=DEFAULT_PROJECTS,
        help="name==version:style (style for pydoclint: numpy, google or sphinx); 'none' for none",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (default 5)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument(
        "--release-diff",
        action="append",
        help="name:old:new:source, --base on a whole release diff (default: SQLAlchemy "
        "1.3.24 -> 1.4.0 and outlines 0.2.3 -> 1.0.0); 'none' for none",
    )
    parser.add_argument(
        "--base-only",
        action="store_true",
        help="per project, only ast.parse, ruff, a cold check and --base with 10 files changed",
    )
    args = parser.parse_args(argv)
    diffs = [
        ReleaseDiff.parse(d) for d in (args.release_diff or DEFAULT_RELEASE_DIFFS) if d != "none"
    ]
    projects = [
        BenchProject(*p.rsplit(":", 1)) if ":" in p else BenchProject(p, "google")
        for p in args.projects
        if p != "none"
    ]
    before = environment()
    results = [(p, *bench_project(p, args.runs, base_only=args.base_only)) for p in projects]
    release_results = [(d, *bench_release_diff(d, args.runs)) for d in diffs]
    print()
    print(f"Before: {before}")
    print(f"After:  {environment()}")
    print("¹ timed inside the process: no interpreter start-up or imports.")
    print("peak RSS: the largest single process / all processes together (sampled every 50 ms).")
    print()
    for project, measures, files in results:
        print(table(project, files, measures, args.markdown))
    for diff, measures, stat in release_results:
        print(release_table(diff, stat, measures, args.markdown))


if __name__ == "__main__":
    main()
