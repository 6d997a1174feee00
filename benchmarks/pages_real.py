"""Run the page rules (DS7xx) on the MkDocs docs of real projects downloaded from PyPI.

Run by hand (it downloads sdists; never in CI)::

    python benchmarks/pages_real.py                    # the default projects, every finding
    python benchmarks/pages_real.py --sample 30        # 30 random findings instead of all
    python benchmarks/pages_real.py --run-examples     # also run the pages' >>> sessions
    python benchmarks/pages_real.py griffe==1.7.3      # any sdist(s) that ship mkdocs.yml
    python benchmarks/pages_real.py markdown==3.7 --docs-from markdown==3.2
                                                       # old docs against new code: drift
    python benchmarks/pages_real.py markdown==3.7 --base-from markdown==3.2
                                                       # the same as a change (--base mode)

``--base-from`` commits the older sdist to a scratch git repository, puts the newer
code over it (the docs stay as they were) and checks in base mode, with the change set
of ``docsync.changes.changeset.compute_changes``: the "code changed, docs did not" review.

Each sdist is downloaded with ``pip download --no-deps --no-binary :all:`` into
``~/.cache/docsync-bench/`` and unpacked there.  The script scans the project's
Python sources (``src/`` when present, else the root without tests, docs and
examples), runs :func:`docsync.commands.check.check_site_pages`, and prints the counts per
rule and each finding with the page lines around it, for a person to judge.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import sdists

from docsync.changes.changeset import ChangeSet, compute_changes
from docsync.commands.check import check_site_pages
from docsync.config import Config
from docsync.models import Finding
from docsync.scan.project import scan_project

CACHE = sdists.CACHE

# Sdists that ship mkdocs.yml and docs/ (checked by hand): mkdocstrings-style API docs
# (griffe, mkdocstrings), one long settings page with many examples (pydantic-settings),
# and extension docs full of Markdown and Python snippets (pymdown-extensions).
DEFAULT_PROJECTS = (
    "griffe==1.7.3",
    "mkdocstrings==0.29.1",
    "pydantic-settings==2.16.3",
    "pymdown-extensions==10.12",
)
EXCLUDE = ("tests", "test", "docs", "examples", "benchmarks", "scripts")


def download(spec: str) -> Path:
    """Download and unpack the sdist of ``spec`` (``name==version``) into the cache.

    Args:
        spec: A requirement pinned to one version.

    Returns:
        The unpacked source directory.
    """
    return sdists.download(spec, area="pages")


def combine(code_root: Path, docs_root: Path) -> Path:
    """A tree with the code of one release and the docs (``mkdocs.yml``, ``docs/``) of another.

    Args:
        code_root: The unpacked sdist whose code is checked.
        docs_root: The unpacked sdist whose docs are checked.

    Returns:
        The combined tree, in the cache.
    """
    target = CACHE / "pages" / f"{code_root.name}+docs-{docs_root.name}"
    if not target.is_dir():
        shutil.copytree(code_root, target, ignore=shutil.ignore_patterns("docs", "mkdocs.y*ml"))
        shutil.copytree(docs_root / "docs", target / "docs", symlinks=True)
        for config in docs_root.glob("mkdocs.y*ml"):
            shutil.copy2(config, target / config.name)
    return target


def as_change(code_root: Path, base_root: Path) -> tuple[Path, ChangeSet]:
    """A scratch repository: the base sdist committed, the newer code over it, uncommitted.

    Args:
        code_root: The unpacked sdist whose code is the head.
        base_root: The unpacked sdist that is the base (code and docs).

    Returns:
        The repository, and the change from its commit to its working tree.
    """
    target = CACHE / "pages" / f"{code_root.name}+base-{base_root.name}"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(base_root, target, symlinks=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org"}
    env |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *command], cwd=target, env=env, check=True)
    for entry in code_root.iterdir():
        if entry.name in ("docs", "mkdocs.yml", "mkdocs.yaml") or not _is_code(entry):
            continue
        destination = target / entry.name
        if destination.is_dir():
            shutil.rmtree(destination)
        shutil.copytree(entry, destination) if entry.is_dir() else shutil.copy2(entry, destination)
    paths = [p.name for p in target.iterdir() if _is_code(p) and p.name not in EXCLUDE]
    config = Config(root=target, paths=tuple(paths), exclude=EXCLUDE)
    changes, _ = compute_changes(target, config, "HEAD")
    return target, changes


def _is_code(path: Path) -> bool:
    if path.is_file():
        return path.suffix == ".py"
    return path.name == "src" or (path / "__init__.py").is_file()


def check(
    root: Path, *, run_examples: bool, changes: ChangeSet | None = None
) -> tuple[list[Finding], int, int, float]:
    """Scan a project's code and check its pages.

    Args:
        root: The unpacked sdist.
        run_examples: Also run the pages' ``>>>`` sessions.
        changes: The change set, for base mode.

    Returns:
        The findings, the number of modules and pages, and the seconds it took.
    """
    start = time.perf_counter()
    source = root / "src" if (root / "src").is_dir() else root
    project = scan_project(root, [source], exclude=EXCLUDE)
    report = check_site_pages(project, root, changes=changes, run_examples=run_examples)
    findings, diagnostics = list(report.findings), report.diagnostics
    for diagnostic in diagnostics:
        print(f"   diagnostic {diagnostic.path}:{diagnostic.line}: {diagnostic.message}")
    pages = len(list((root / "docs").rglob("*.md")))
    return findings, len(project.modules), pages, time.perf_counter() - start


def show(root: Path, finding: Finding, number: int) -> None:
    """Print a finding with the page lines around it."""
    loc = finding.location
    print(f"\n#{number} {loc.path}:{loc.line} {finding.code} {finding.slug}")
    print(f"   {finding.message}")
    lines = (root / loc.path).read_text(encoding="utf-8", errors="replace").splitlines()
    for index in range(max(0, loc.line - 3), min(len(lines), loc.line + 1)):
        marker = ">" if index + 1 == loc.line else " "
        print(f"   {marker}{index + 1:5} | {lines[index]}")


def main() -> None:
    """Check every project, print the counts and the findings."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("projects", nargs="*", default=list(DEFAULT_PROJECTS))
    parser.add_argument("--sample", type=int, default=0, help="print N random findings")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--run-examples", action="store_true")
    parser.add_argument("--docs-from", help="check the docs of this sdist against the code")
    parser.add_argument("--base-from", help="check in base mode, from this sdist to the code")
    args = parser.parse_args()
    pool: list[tuple[Path, Finding]] = []
    for spec in args.projects:
        root = download(spec)
        changes = None
        if args.docs_from:
            root = combine(root, download(args.docs_from))
            spec = f"{spec} (docs of {args.docs_from})"
        elif args.base_from:
            root, changes = as_change(root, download(args.base_from))
            spec = f"{spec} (base {args.base_from}, {len(changes.symbols)} symbol changes)"
        findings, modules, pages, seconds = check(
            root, run_examples=args.run_examples, changes=changes
        )
        counts = Counter(f"{f.code} {f.slug}" for f in findings)
        print(
            f"{spec}: {modules} modules, {pages} pages, {seconds:.2f} s, {len(findings)} findings"
        )
        for rule, count in sorted(counts.items()):
            print(f"   {rule:<36} {count}")
        pool.extend((root, f) for f in findings)
    chosen = pool
    if args.sample and len(pool) > args.sample:
        chosen = random.Random(args.seed).sample(pool, args.sample)
    for number, (root, finding) in enumerate(chosen, 1):
        show(root, finding, number)


if __name__ == "__main__":
    main()
