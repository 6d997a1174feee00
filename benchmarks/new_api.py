"""New public API and provenance on real release history (issue 18), run by hand.

Usage::

    python benchmarks/new_api.py                 # every history below
    python benchmarks/new_api.py networkx        # only histories whose name matches
    python benchmarks/new_api.py --speed django  # the cost of --since on a whole tree

For each project, the sdists of several releases (unpacked under
``~/.cache/docsync-bench/<name>-<version>/``, as ``benchmarks/sdists.py`` leaves
them; missing ones are fetched with ``pip download``) become one git repository
with one commit per release, whole trees (code, tests, docs, ``mkdocs.yml``).  For
every consecutive pair it runs ``docsync check --base <older> --head <newer>`` (the
pipeline the CLI runs) and prints: the coverage line (new public symbols, how many
documented), the DS504 and DS708 findings, a reproducible sample of 20 DS504
findings to check by hand, and three findings with their provenance lines.

``--speed`` times a warm whole-tree ``check`` with and without ``--since`` on the
newest commit (three runs each, the median).
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

from docsync.commands.check import BaseOptions, run_check
from docsync.config import Config

BENCH = Path.home() / ".cache" / "docsync-bench"
REPOS = BENCH / "new-api"
HISTORIES: dict[str, tuple[str, ...]] = {
    "networkx": ("2.6.3", "3.0", "3.4.2"),
    "click": ("7.1.2", "8.0.0"),
    "griffe": ("1.6.0", "1.7.3"),
    "sqlalchemy": ("1.3.24", "1.4.0"),
}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a pinned identity and no user configuration."""
    done = subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip()


def sources(name: str, version: str) -> Path:
    """The unpacked sdist of one release (downloaded and unpacked when missing)."""
    holder = BENCH / f"{name}-{version}"
    found = [p for p in holder.glob("*") if p.is_dir()] if holder.exists() else []
    if found:
        return found[0]
    sdists = BENCH / "sdists"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
         "-d", str(sdists), f"{name}=={version}"],
        check=True,
    )  # fmt: skip
    archive = next(
        p for p in sdists.glob("*.tar.gz") if version in p.name and name in p.name.lower()
    )
    holder.mkdir(parents=True, exist_ok=True)
    shutil.unpack_archive(archive, holder)
    return next(p for p in holder.glob("*") if p.is_dir())


def build(name: str, versions: tuple[str, ...]) -> tuple[Path, list[str]]:
    """One commit per release, whole trees; returns the repository and the shas."""
    repo = REPOS / name
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    shas = []
    for number, version in enumerate(versions, start=1):
        for child in repo.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        shutil.copytree(sources(name, version), repo, dirs_exist_ok=True, symlinks=True)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"Release {name} {version} (#{number})")
        shas.append(git(repo, "rev-parse", "HEAD"))
    return repo, shas


def report_pair(name: str, repo: Path, old: str, new: str, label: str) -> None:
    """Run base mode on one release pair and print what the issue's note needs."""
    config = Config(root=repo, cache=True)
    started = time.perf_counter()
    result = run_check(config, change=BaseOptions(old, head=new), use_baseline=False)
    elapsed = time.perf_counter() - started
    assert result.change is not None
    coverage = result.change.coverage
    undocumented = [f for f in result.findings if f.code == "DS504"]
    off_pages = [f for f in result.findings if f.code == "DS708"]
    dated = [f for f in result.findings if f.evidence.since is not None]
    print(f"\n## {name} {label}  ({elapsed:.1f} s)")
    print(f"- {coverage.line() or 'no new public API'}")
    print(f"- DS504 findings: {len(undocumented)} (folded methods included in class findings)")
    print(f"- DS708 findings: {len(off_pages)}")
    print(f"- findings with provenance: {len(dated)} of {len(result.findings)}")
    missing = set(coverage.undocumented)
    added = random.Random(18).sample(list(coverage.added), min(20, len(coverage.added)))
    print("\n### sample of 20 new public symbols to check by hand")
    for name in sorted(added):
        print(f"- {name}: {'undocumented' if name in missing else 'documented'}")
    sample = random.Random(18).sample(undocumented, min(20, len(undocumented)))
    print("\n### sample of DS504 to check by hand")
    for finding in sorted(sample, key=lambda f: f.symbol):
        loc = finding.location
        print(f"- {loc.path}:{loc.line} {finding.message}")
    for finding in off_pages[:10]:
        print(f"- DS708 {finding.location.path}:{finding.location.line} {finding.message}")
    print("\n### three findings with provenance")
    for finding in [f for f in dated if f.code != "DS504"][:2] + undocumented[:1]:
        assert finding.evidence.since is not None
        print(f"- {finding.location.path}:{finding.location.line} {finding.code} {finding.message}")
        print(f"  {finding.evidence.since.line()}")


def speed(name: str, repo: Path) -> None:
    """Median of three warm whole-tree checks, without and with ``--since``."""
    timings: dict[bool, list[float]] = {False: [], True: []}
    run_check(Config(root=repo, cache=True), use_baseline=False)  # warm the scan cache
    for _ in range(3):
        for since in (False, True):
            started = time.perf_counter()
            result = run_check(Config(root=repo, cache=True, since=since), use_baseline=False)
            timings[since].append(time.perf_counter() - started)
    plain, dated = statistics.median(timings[False]), statistics.median(timings[True])
    count = sum(1 for f in result.findings if f.evidence.since is not None)
    print(
        f"{name}: warm check {plain:.2f} s, with --since {dated:.2f} s "
        f"(+{100 * (dated - plain) / plain:.0f}%), {count} of {len(result.findings)} dated"
    )


def main(argv: list[str]) -> None:
    """Build the histories and report on them."""
    timing = "--speed" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    histories = dict(HISTORIES)
    if timing:
        histories["django"] = ("5.2",)
    for name, versions in histories.items():
        if wanted and not any(w in name for w in wanted):
            continue
        repo, shas = build(name, versions)
        if timing:
            speed(name, repo)
            continue
        for (old, new), (a, b) in zip(pairwise(shas), pairwise(versions), strict=True):
            report_pair(name, repo, old, new, f"{a} -> {b}")


if __name__ == "__main__":
    main(sys.argv[1:])
