"""Run ``docsync check`` on real projects downloaded from PyPI and summarise the findings.

Run by hand (it downloads sdists; never in CI)::

    python benchmarks/real_projects.py                 # the default projects
    python benchmarks/real_projects.py --sample 30     # also print 30 random findings to review
    python benchmarks/real_projects.py rich==13.9.4    # any sdist(s) you name

For each project it prints the files scanned, the wall time, and the findings per rule;
with ``--sample N`` it prints N findings drawn at random (seeded, so the sample is the
same on every run) with the docstring entry and the signature, for a person to judge.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import sdists

# Outside the repository: a tree inside docsync's own git work tree would be scanned as
# part of it (and ignored by its .gitignore).
CACHE = sdists.CACHE

# One or more per docstring style: Google (rich), NumPy (networkx), Sphinx (requests, flask).
DEFAULT_PROJECTS = ("rich==13.9.4", "networkx==3.4.2", "requests==2.32.3", "flask==3.1.0")


@dataclass(frozen=True)
class ProjectRun:
    """The outcome of one project's check."""

    spec: str
    files: int
    seconds: float
    findings: list[dict[str, object]]
    source_root: Path


def download(spec: str) -> Path:
    """Download and unpack the sdist of ``spec`` (``name==version``) into the cache.

    Args:
        spec: a requirement pinned to one version.

    Returns:
        The unpacked source directory.
    """
    return sdists.download(spec)


def check(spec: str, source_root: Path) -> ProjectRun:
    """Run ``docsync check --format json`` on the project's sources.

    Args:
        spec: the project, for the report.
        source_root: the unpacked sdist.

    Returns:
        The findings and timing.
    """
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "docsync",
            "check",
            "--format",
            "json",
            "--fail-on",
            "error",
            "--exclude",
            "tests",
            "--exclude",
            "test",
            "--exclude",
            "docs",
            "--exclude",
            "examples",
            "--exclude",
            "benchmarks",
            ".",
        ],
        cwd=source_root,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"docsync failed on {spec}: {proc.stderr}")
    document = json.loads(proc.stdout)
    return ProjectRun(
        spec=spec,
        files=int(document["summary"]["files_scanned"]),
        seconds=seconds,
        findings=list(document["findings"]),
        source_root=source_root,
    )


def print_table(runs: list[ProjectRun]) -> None:
    """Print findings per rule, one column per project."""
    codes = sorted({str(f["code"]) for run in runs for f in run.findings})
    header = f"{'':<28}" + "".join(f"{run.spec:>22}" for run in runs)
    print(header)
    print(f"{'files':<28}" + "".join(f"{run.files:>22}" for run in runs))
    print(f"{'seconds':<28}" + "".join(f"{run.seconds:>22.2f}" for run in runs))
    for code in codes:
        slug = next(str(f["slug"]) for run in runs for f in run.findings if f["code"] == code)
        counts = [Counter(str(f["code"]) for f in run.findings)[code] for run in runs]
        print(f"{code + ' ' + slug:<28}" + "".join(f"{n:>22}" for n in counts))
    print(f"{'total':<28}" + "".join(f"{len(run.findings):>22}" for run in runs))


def print_sample(runs: list[ProjectRun], size: int, seed: int) -> None:
    """Print ``size`` random findings with their source lines, for review."""
    pool = [(run, f) for run in runs for f in run.findings]
    rng = random.Random(seed)
    sample = rng.sample(pool, min(size, len(pool)))
    for number, (run, finding) in enumerate(sample, 1):
        path = run.source_root / str(finding["path"])
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        line = int(str(finding["line"]))
        print(
            f"\n#{number} {run.spec} {finding['path']}:{line} {finding['code']} "
            f"{finding['slug']} {finding['symbol']}"
        )
        print(f"   {finding['message']}")
        print(f"   documented: {finding['evidence']}")  # type: ignore[index]
        for text in lines[max(0, line - 3) : line + 1]:
            print(f"   | {text}")


def main() -> None:
    """Parse the arguments, run every project, print the table and the sample."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("projects", nargs="*", default=list(DEFAULT_PROJECTS))
    parser.add_argument("--sample", type=int, default=0, help="print N random findings")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    runs = [check(spec, download(spec)) for spec in args.projects]
    print_table(runs)
    if args.sample:
        print_sample(runs, args.sample, args.seed)


if __name__ == "__main__":
    main()
