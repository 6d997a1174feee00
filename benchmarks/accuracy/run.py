"""Accuracy of ``docsync check --base`` on real release history, beside pydoclint.

Usage::

    python benchmarks/accuracy/run.py            # every pair
    python benchmarks/accuracy/run.py flax click  # only pairs whose package matches

For every (package, old version, new version) pair it downloads both sdists from
PyPI (``pip download --no-deps --no-binary :all:``, cached in
``benchmarks/.cache/``), labels the functions present in both releases (see
``labels.py``: POSITIVE where the parameter list changed and the maintainers
updated the documented parameters, NEGATIVE where neither signature nor docstring
changed), and builds a git repository: commit 1 holds the old sources, commit 2
the new sources with every positive's docstring put back to its old text (a pull
request that changed signatures and forgot the docs).

It then runs ``docsync check --base <commit 1>`` through the same pipeline the CLI
runs (:func:`docsync.commands.check.run_check`, default configuration), docsync on
the whole tree without ``--base`` (DS1xx only), and pydoclint on the same tree
(argument violations, DOC1xx), and prints precision and recall over the labeled
functions.  A function counts as flagged by base mode when **any finding of the
default output** names it, whatever its code and severity (the review prompts are
not in the default output: they are counted in one line).  Negatives include
functions whose signature changed only in annotations, defaults or the return
annotation (``cosmetic``).  Functions flagged outside the labeled ones are counted
and listed (``unlabeled``) for a hand check.

Needs git, ``docstring_parser`` (``pip install docstring_parser``) and access to
PyPI for the first run, which also installs pydoclint into its own virtualenv.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from labels import (  # noqa: E402
    Function,
    Label,
    cosmetic,
    functions,
    label,
    revert_docstrings,
)

from docsync.commands.check import BaseOptions, run_check  # noqa: E402
from docsync.config import Config  # noqa: E402
from docsync.models import Finding, Project, Style  # noqa: E402
from docsync.rules.registry import run_rules  # noqa: E402

CACHE = HERE.parent / ".cache"
SDISTS = CACHE / "sdists"
SOURCES = CACHE / "src"
REPOS = CACHE / "repos"
PYDOCLINT_VERSION = "0.12.0"


@dataclass(frozen=True)
class Pair:
    """One benchmark case: a package, two releases, its docstring style and source folder."""

    package: str
    old: str
    new: str
    style: str
    source: str  # the importable package inside the sdist, e.g. "src/click"

    @property
    def name(self) -> str:
        return f"{self.package} {self.old} -> {self.new}"


PAIRS = (
    Pair("networkx", "2.6.3", "3.0", "numpy", "networkx"),
    Pair("geopandas", "0.10.2", "0.12.0", "numpy", "geopandas"),
    Pair("dask", "2022.1.0", "2022.6.0", "numpy", "dask"),
    Pair("flax", "0.5.0", "0.6.0", "google", "flax"),
    Pair("datasets", "2.0.0", "2.4.0", "google", "src/datasets"),
    Pair("click", "7.1.2", "8.0.0", "sphinx", "src/click"),
    Pair("werkzeug", "1.0.1", "2.0.0", "sphinx", "src/werkzeug"),
    Pair("tornado", "6.0.4", "6.2", "sphinx", "tornado"),
    # **kwargs-heavy APIs: rich's renderables, requests' request helpers, seaborn's plots.
    Pair("rich", "12.0.0", "13.0.0", "google", "rich"),
    Pair("requests", "2.25.1", "2.28.0", "sphinx", "requests"),
    Pair("seaborn", "0.11.2", "0.12.0", "numpy", "seaborn"),
    # Whole release diffs on which base mode once never finished (issue 19).
    Pair("outlines", "0.2.3", "1.0.0", "numpy", "outlines"),
    Pair("sqlalchemy", "1.3.24", "1.4.0", "sphinx", "lib/sqlalchemy"),
)

GIT_ENV = {
    "GIT_AUTHOR_NAME": "docsync benchmark",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "docsync benchmark",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_AUTHOR_DATE": "1700000000 +0000",
    "GIT_COMMITTER_DATE": "1700000000 +0000",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass
class Score:
    """Confusion counts over the labeled functions."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, positive: bool, flagged: bool) -> None:
        if positive and flagged:
            self.tp += 1
        elif positive:
            self.fn += 1
        elif flagged:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __iadd__(self, other: Score) -> Score:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn
        return self


@dataclass
class Result:
    """One pair's scores and the functions docsync got wrong."""

    pair: Pair
    positives: int
    negatives: int
    base: Score
    full: Score
    pydoclint: Score
    misses: list[str]
    false_alarms: list[str]
    unlabeled: list[str]
    seconds: float
    cosmetic: int = 0
    reviews_held: int = 0


def sdist_dir(package: str, version: str) -> Path:
    """Download (once) and unpack (once) an sdist; return its top folder."""
    SDISTS.mkdir(parents=True, exist_ok=True)
    SOURCES.mkdir(parents=True, exist_ok=True)
    archive = _find_archive(package, version)
    if archive is None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--no-binary",
                ":all:",
                "-d",
                str(SDISTS),
                f"{package}=={version}",
            ],
            check=True,
        )
        archive = _find_archive(package, version)
        if archive is None:
            raise SystemExit(f"pip download gave no sdist for {package}=={version}")
    with tarfile.open(archive) as tar:
        top = tar.getnames()[0].split("/")[0]
        target = SOURCES / top
        if not target.exists():
            tar.extractall(SOURCES, filter="data")
    return target


def _find_archive(package: str, version: str) -> Path | None:
    wanted = re.compile(rf"^{re.escape(package)}-{re.escape(version)}\.tar\.gz$", re.IGNORECASE)
    normal = package.replace("-", "_")
    for path in sorted(SDISTS.glob("*.tar.gz")):
        if wanted.match(path.name) or wanted.match(path.name.replace(normal, package)):
            return path
    return None


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a pinned identity and no user configuration."""
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def build_repo(
    pair: Pair, old_root: Path, new_root: Path, positives: list[tuple[Function, Function]]
) -> tuple[Path, str]:
    """Commit the old sources, then the new ones with the positives' docstrings put back."""
    repo = REPOS / f"{pair.package}-{pair.old}-{pair.new}"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    package = repo / Path(pair.source).name
    git(repo, "init", "-q", "-b", "main")
    _copy_python(old_root, package)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"{pair.package} {pair.old}")
    base = git(repo, "rev-parse", "HEAD")
    shutil.rmtree(package)
    _copy_python(new_root, package)
    by_path: dict[str, list[tuple[Function, Function]]] = {}
    for old, new in positives:
        by_path.setdefault(new.path, []).append((old, new))
    for rel, pairs in by_path.items():
        target = package / rel
        old_source = (old_root / pairs[0][0].path).read_bytes()
        target.write_bytes(revert_docstrings(target.read_bytes(), old_source, pairs))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"{pair.package} {pair.new}, positives' docs reverted")
    return repo, base


def _copy_python(source: Path, target: Path) -> None:
    for path in source.rglob("*.py"):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def docsync_flags(
    repo: Path, base: str, style: str
) -> tuple[dict[tuple[str, str], list[Finding]], set[tuple[str, str]], int]:
    """What ``check --base`` shows by function (every code, every severity); the
    DS1xx-flagged functions of the whole tree; how many review prompts were held back."""
    config = Config(root=repo, style=Style(style), cache=False, pages=False)
    result = run_check(config, use_baseline=False, change=BaseOptions(base))
    by_key: dict[tuple[str, str], list[Finding]] = {}
    for finding in result.findings:
        for key in _keys(result.project, [finding]):
            by_key.setdefault(key, []).append(finding)
    full = [
        f for f in run_rules(result.project) if f.code.startswith("DS1") and f.severity.rank >= 1
    ]
    return by_key, _keys(result.project, full), len(result.reviews)


def _keys(project: Project, findings: list[Finding]) -> set[tuple[str, str]]:
    modules = {m.path: m.qualname for m in project.modules}
    keys = set()
    for finding in findings:
        module = modules.get(finding.location.path, "")
        if finding.symbol.startswith(module + "."):
            keys.add((finding.location.path, finding.symbol[len(module) + 1 :]))
    return keys


_PYDOCLINT_LINE = re.compile(r"^\s+(\d+): (DOC\d+): ")


def pydoclint_command() -> str:
    """pydoclint, installed once in its own virtualenv under ``benchmarks/.cache``.

    pydoclint needs ``docstring_parser_fork``, which installs under the same import
    name as ``docstring_parser`` (that the labels use), so the two cannot share one
    environment.
    """
    venv = CACHE / "pydoclint-venv"
    executable = venv / "bin" / "pydoclint"
    if not executable.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, f"pydoclint=={PYDOCLINT_VERSION}"], check=True)
    return str(executable)


def pydoclint_flags(
    repo: Path, package: str, style: str, found: dict[tuple[str, str], Function]
) -> set[tuple[str, str]]:
    """Functions with a pydoclint argument violation (DOC1xx)."""
    command = [
        pydoclint_command(),
        f"--style={style}",
        "--arg-type-hints-in-docstring=False",
        "--arg-type-hints-in-signature=False",
        "--check-return-types=False",
        "--skip-checking-short-docstrings=True",
        "--quiet",
        package,
    ]
    done = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False)
    by_line = {(f.path, f.def_line): key for key, f in found.items()}
    flagged = set()
    current = ""
    for line in (done.stdout + done.stderr).splitlines():
        match = _PYDOCLINT_LINE.match(line)
        if match is None:
            if line.strip() and not line.startswith(" "):
                current = Path(line.strip()).as_posix().removeprefix(f"{package}/")
            continue
        if match.group(2).startswith("DOC1"):
            key = by_line.get((current, int(match.group(1))))
            if key is not None:
                flagged.add(key)
    return flagged


def run_pair(pair: Pair) -> Result:
    """Label, build, run both tools and score one pair."""
    started = time.monotonic()
    old_root = sdist_dir(pair.package, pair.old) / pair.source
    new_root = sdist_dir(pair.package, pair.new) / pair.source
    old_functions, new_functions = functions(old_root), functions(new_root)
    labels = {}
    for key in sorted(old_functions.keys() & new_functions.keys()):
        verdict = label(old_functions[key], new_functions[key], pair.style)
        if verdict is not None:
            labels[key] = verdict
    positives = [
        (old_functions[k], new_functions[k]) for k, v in labels.items() if v is Label.POSITIVE
    ]
    repo, base = build_repo(pair, old_root, new_root, positives)
    head_functions = functions(repo / Path(pair.source).name)
    prefix = Path(pair.source).name + "/"
    base_findings, full_flags, held = docsync_flags(repo, base, pair.style)
    lint_flags = pydoclint_flags(repo, Path(pair.source).name, pair.style, head_functions)
    result = Result(pair, 0, 0, Score(), Score(), Score(), [], [], [], 0.0, reviews_held=held)
    for key, verdict in labels.items():
        positive = verdict is Label.POSITIVE
        result.positives += positive
        result.negatives += not positive
        result.cosmetic += not positive and cosmetic(old_functions[key], new_functions[key])
        docsync_key = (prefix + key[0], key[1])
        found = base_findings.get(docsync_key, [])
        flagged = bool(found)
        result.base.add(positive, flagged)
        result.full.add(positive, docsync_key in full_flags)
        result.pydoclint.add(positive, key in lint_flags)
        if positive and not flagged:
            result.misses.append(f"{key[0]}::{key[1]}")
        elif flagged and not positive:
            codes = ", ".join(f"{f.code} {f.message}" for f in found)
            result.false_alarms.append(f"{key[0]}::{key[1]}: {codes}")
    labeled = {(prefix + k[0], k[1]) for k in labels}
    for (path, qualname), found in sorted(base_findings.items()):
        if (path, qualname) not in labeled:
            codes = ", ".join(f"{f.code} {f.message}" for f in found)
            result.unlabeled.append(f"{path}::{qualname}: {codes}")
    result.seconds = time.monotonic() - started
    return result


def _row(name: str, style: str, counts: tuple[int, ...], scores: list[Score], seconds: str) -> str:
    pos, neg, cos, tp, fp, fn, unlabeled = counts
    figures = "  ".join(f"{s.precision:>6.3f} {s.recall:>6.3f}" for s in scores)
    return (
        f"{name:<34} {style:<7} {pos:>4} {neg:>5} {cos:>4}  {tp:>4} {fp:>3} {fn:>3}  {figures}"
        f"  {unlabeled:>5} {seconds:>4}"
    )


def _counts(r: Result) -> tuple[int, ...]:
    return (r.positives, r.negatives, r.cosmetic, r.base.tp, r.base.fp, r.base.fn, len(r.unlabeled))


def print_table(results: list[Result]) -> None:
    """The per-pair table, the totals, then docsync's misses, false alarms and unlabeled."""
    columns = "  ".join(f"{t + ' P':>6} {t + ' R':>6}" for t in ("base", "full", "pdl"))
    header = (
        f"{'pair':<34} {'style':<7} {'pos':>4} {'neg':>5} {'cosm':>4}  {'tp':>4} {'fp':>3} "
        f"{'fn':>3}  {columns}  {'unlab':>5} {'s':>4}"
    )
    print(header)
    print("-" * len(header))
    totals = [Score(), Score(), Score()]
    for r in results:
        scores = [r.base, r.full, r.pydoclint]
        for total, score in zip(totals, scores, strict=True):
            total += score
        print(_row(r.pair.name, r.pair.style, _counts(r), scores, f"{r.seconds:.0f}"))
    print("-" * len(header))
    summed = tuple(sum(column) for column in zip(*map(_counts, results), strict=True))
    print(_row("all pairs", "", summed, totals, ""))
    print("\nbase = docsync check --base <commit 1>, what its default output shows (any code,")
    print("any severity); full = docsync on the whole tree (DS1xx); pdl = pydoclint (DOC1xx).")
    print("cosm = negatives whose signature changed in annotations/defaults only;")
    print("unlab = functions base mode flags outside the labeled ones. P = precision, R = recall.")
    held = sum(r.reviews_held for r in results)
    print(f"review prompts held back (counted in one line, listed with --review): {held}")
    for r in results:
        for miss in r.misses:
            print(f"missed      {r.pair.package}: {miss}")
        for alarm in r.false_alarms:
            print(f"false alarm {r.pair.package}: {alarm}")
    for r in results:
        for other in r.unlabeled:
            print(f"unlabeled   {r.pair.package}: {other}")


def main(argv: list[str]) -> int:
    """Run the pairs named in ``argv`` (all when empty) and print the table."""
    if shutil.which("git") is None:
        raise SystemExit("git is needed: install it and run again")
    chosen = [p for p in PAIRS if not argv or any(a in p.package for a in argv)]
    results = []
    for pair in chosen:
        print(f"... {pair.name}", file=sys.stderr, flush=True)
        results.append(run_pair(pair))
    print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
