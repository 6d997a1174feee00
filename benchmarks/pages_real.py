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
release over it (all but its docs: the docs stay as they were) and checks in base
mode, with the change set of ``docsync.changes.changeset.compute_changes``: the "code
changed, docs did not" review.

``--pairs`` is the pull-request mode: for each release pair N -> N+1 of
:data:`RELEASE_PAIRS` (or the pairs given as ``old..new``), release N is committed to a
scratch repository and everything of N+1 but its docs is put over it (see
:func:`as_change`); the real command line, ``docsync check --base HEAD --format json``,
gives the default output (``--in-process`` computes base mode in this process
instead), and its page findings are scored twice::

    python benchmarks/pages_real.py --pairs
    python benchmarks/pages_real.py --pairs griffe==0.49.0..griffe==1.0.0

First against the hand-labelled key, ``benchmarks/pages_labels.toml`` (see
``pages_key.py``): the changed page lines the change actually broke, and the right
findings on unchanged lines; precision, recall, per pair, overall and by cause, and the
missed lines with their reasons. Then against the old key, the page lines the
maintainers changed between N and N+1 (a difflib diff of each page of N against the
same page of N+1; pages N+1 deleted or moved, and history pages, are left out): a
finding is right when its lines overlap a changed line, and "API lines" are the changed
lines that mention, as a word, the last name of a symbol the change removed, renamed,
moved or re-signed. Scratch repositories go to ``$DOCSYNC_BENCH_SCRATCH`` (default: the
cache).

Each sdist is downloaded with ``pip download --no-deps --no-binary :all:`` into
``~/.cache/docsync-bench/`` and unpacked there.  The script scans the project's
Python sources (``src/`` when present, else the root without tests, docs and
examples), runs :func:`docsync.commands.check.check_site_pages`, and prints the counts per
rule and each finding with the page lines around it, for a person to judge.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pages_key
import sdists
from pages_key import OLD_DRIFT, KeyScore
from pages_pairs import RELEASE_PAIRS

from docsync.changes.changeset import ChangeSet, compute_changes
from docsync.changes.diff import ChangeKind
from docsync.commands.check import base_page_findings, check_site_pages
from docsync.config import Config
from docsync.models import Evidence, Finding, Location
from docsync.rules.pages import is_history_page
from docsync.rules.registry import REVIEW_CODES
from docsync.scan.project import scan_project
from docsync.severity import Severity

CACHE = sdists.CACHE
KEY = pages_key.load_key()
# Where the scratch repositories of --base-from and --pairs go (they are rebuilt on each
# run): ``$DOCSYNC_BENCH_SCRATCH``, so that two people replaying the same pair at once
# do not delete each other's tree.
SCRATCH = Path(os.environ.get("DOCSYNC_BENCH_SCRATCH", CACHE / "pages"))

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
# What a replayed release pair keeps from the base: the docs, as the pull request under
# review left them (its doc edits held back).
DOCS_ENTRIES = (
    "docs",
    "mkdocs.yml",
    "mkdocs.yaml",
    "properdocs.yml",
    "properdocs.yaml",
    "zensical.toml",
    "zensical.yml",
)


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
    """A scratch repository: the base sdist committed, the newer release over it, uncommitted.

    Everything of the newer sdist but its docs (the docs directory and the site config)
    replaces the base's: code, ``pyproject.toml``, requirement files and the files the
    release deleted, as a pull request that changed all that and held its doc edits
    back would.

    Args:
        code_root: The unpacked sdist whose code is the head.
        base_root: The unpacked sdist that is the base (code and docs).

    Returns:
        The repository, and the change from its commit to its working tree.
    """
    target = SCRATCH / f"{code_root.name}+base-{base_root.name}"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(base_root, target, symlinks=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org"}
    env |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *command], cwd=target, env=env, check=True)
    for entry in target.iterdir():
        if entry.name not in DOCS_ENTRIES and entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    for entry in code_root.iterdir():
        if entry.name in DOCS_ENTRIES:
            continue
        destination = target / entry.name
        if entry.is_dir():
            shutil.copytree(entry, destination, symlinks=True)
        else:
            shutil.copy2(entry, destination)
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


@dataclass(frozen=True)
class PairScore:
    """One release pair's findings against the page lines its maintainers changed."""

    pair: str
    findings: int
    right: int
    changed: int
    api_lines: int
    found: int
    misses: Counter[str]
    missed: tuple[str, ...] = ()
    unscored: int = 0
    key: KeyScore | None = None


def changed_lines(old_docs: Path, new_docs: Path, docs_dir: Path) -> dict[str, set[int]]:
    """The lines of each page of the old docs that the new docs changed or deleted.

    Args:
        old_docs: The old release's docs directory (in the scratch repository).
        new_docs: The new release's docs directory.
        docs_dir: The old docs directory relative to the repository root.

    Returns:
        Root-relative page path -> 1-based old lines; history pages and pages the
        new release has no longer are left out.
    """
    changed: dict[str, set[int]] = {}
    for page in sorted(old_docs.rglob("*.md")):
        relative = page.relative_to(old_docs)
        newer = new_docs / relative
        if is_history_page(relative.as_posix()) or not newer.is_file():
            continue
        old = page.read_text(encoding="utf-8", errors="replace").splitlines()
        new = newer.read_text(encoding="utf-8", errors="replace").splitlines()
        lines: set[int] = set()
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                lines.update(range(i1 + 1, i2 + 1))
        if lines:
            changed[(docs_dir / relative).as_posix()] = lines
    return changed


def _same_pages(old_docs: Path, new_docs: Path, docs_dir: Path) -> list[Path]:
    """The pages of the old docs that the new docs still have, at the same path."""
    return [
        docs_dir / p.relative_to(old_docs)
        for p in old_docs.rglob("*.md")
        if (new_docs / p.relative_to(old_docs)).is_file()
    ]


def _api_names(changes: ChangeSet) -> dict[str, str]:
    """The last names of what the change removed, renamed, moved or re-signed, with how."""
    kinds = {
        ChangeKind.REMOVED: "removed",
        ChangeKind.RENAMED: "renamed",
        ChangeKind.MOVED: "moved",
        ChangeKind.SIGNATURE_CHANGED: "signature",
    }
    names: dict[str, str] = {}
    for change in changes.symbols:
        for kind, label in kinds.items():
            name = change.qualname.rpartition(".")[2]
            if change.has(kind) and not name.startswith("_") and len(name) > 2:
                names.setdefault(name, label)
                break
    return names


def _bucket(text: str, names: dict[str, str], in_block: bool) -> str:
    """Where a missed line names the changed symbol, and what the change did to it."""
    hit = next(n for n in names if re.search(rf"\b{re.escape(n)}\b", text))
    if in_block:
        where = "example block"
    elif text.lstrip().startswith(":::"):
        where = "mkdocstrings block"
    elif re.search(rf"`[^`]*\b{re.escape(hit)}\b[^`]*`", text):
        where = "inline code"
    else:
        where = "prose"
    return f"{where}, {names[hit]}"


def _block_lines(lines: list[str]) -> set[int]:
    """The 1-based lines inside fenced code blocks."""
    inside, fence, found = False, "", set()
    for number, line in enumerate(lines, 1):
        match = re.match(r"^\s*(`{3,}|~{3,})", line)
        if match and (not inside or match.group(1).startswith(fence)):
            inside, fence = not inside, match.group(1)[:3]
            continue
        if inside:
            found.add(number)
    return found


def default_output(root: Path) -> list[Finding]:
    """The page findings ``docsync check --base HEAD`` shows by default in ``root``.

    The real command line, in a subprocess (JSON output, no cache): the scratch
    repository's commit is the base, its working tree (the new code) the head.

    Args:
        root: The scratch repository.

    Returns:
        The findings on Markdown pages, as the report lists them.
    """
    command = [str(Path(sys.executable).with_name("docsync")), "check", "--base", "HEAD"]
    command += ["--format", "json", "--no-cache", "--exit-zero"]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"docsync check failed in {root}:\n{done.stderr}")
    findings = []
    for entry in json.loads(done.stdout)["findings"]:
        if not entry["path"].endswith(".md"):
            continue
        location = Location(entry["path"], entry["line"], entry["end_line"])
        evidence = entry.get("evidence") or {}
        findings.append(
            Finding(
                entry["code"],
                entry["slug"],
                Severity(entry["severity"]),
                entry["message"],
                location,
                entry.get("symbol") or "",
                Evidence(evidence.get("documented"), evidence.get("actual")),
                entry["fingerprint"],
                entry.get("fix_hint"),
            )
        )
    return findings


def in_process_output(root: Path, old_root: Path, changes: ChangeSet) -> list[Finding]:
    """The page findings of base mode computed in this process, as before the key.

    ``check_site_pages`` on the scratch repository, kept by ``base_page_findings``
    given the base's own page findings, without the review prompts: what
    ``--in-process`` scores, to compare with the command line's default output.
    """
    findings, _, _, _ = check(root, run_examples=False, changes=changes)
    base_findings, _, _, _ = check(old_root, run_examples=False)
    known = frozenset(f.fingerprint for f in base_findings)
    answerable = base_page_findings(findings, changes, known)
    return [f for f in answerable if f.code not in REVIEW_CODES]


def score_pair(
    old_spec: str, new_spec: str, *, in_process: bool = False
) -> tuple[PairScore, list[tuple[Path, Finding]]]:
    """Check the docs of ``old_spec`` on the code of ``new_spec`` and score the findings.

    Args:
        old_spec: Release N (``name==version``): the base, code and docs.
        new_spec: Release N+1: its code is the head; its docs are the answer key.
        in_process: Score the in-process base-mode findings instead of the
            command line's default output.

    Returns:
        The score, and the findings with their repository, to print.
    """
    new_root, old_root = download(new_spec), download(old_spec)
    root, changes = as_change(new_root, old_root)
    if in_process:
        findings = in_process_output(root, old_root, changes)
    else:
        findings = default_output(root)
    docs_dir = Path("docs")
    changed = changed_lines(root / docs_dir, new_root / docs_dir, docs_dir)
    findings = [f for f in findings if not is_history_page(f.location.path.partition("/")[2])]
    kept = {p.as_posix() for p in _same_pages(root / docs_dir, new_root / docs_dir, docs_dir)}
    apart = [f for f in findings if f.location.path not in kept]
    findings = [f for f in findings if f.location.path in kept]
    unscored = len(apart)
    right = [
        f
        for f in findings
        if changed.get(f.location.path, set())
        & set(range(f.location.line, f.location.end_line + 1))
    ]
    names = _api_names(changes)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b") if names else None
    covered = {
        (f.location.path, line)
        for f in findings
        for line in range(f.location.line, f.location.end_line + 1)
    }
    api, found, misses, missed = 0, 0, Counter[str](), []
    for path, lines in changed.items():
        text = (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
        blocks = _block_lines(text)
        for line in sorted(lines):
            if pattern is None or not pattern.search(text[line - 1]):
                continue
            api += 1
            if (path, line) in covered:
                found += 1
            else:
                misses[_bucket(text[line - 1], names, line in blocks)] += 1
                missed.append(f"{path}:{line}: {text[line - 1].strip()[:100]}")
    total = sum(len(lines) for lines in changed.values())
    score = PairScore(
        f"{old_spec} -> {new_spec.partition('==')[2]}",
        len(findings),
        len(right),
        total,
        api,
        found,
        misses,
        tuple(missed),
        unscored,
        pages_key.score(
            KEY,
            f"{old_spec}..{new_spec}",
            [(f.location.path, f.location.line, f.location.end_line) for f in findings],
            root,
        ),
    )
    return score, [(root, f) for f in [*findings, *apart]]


def run_pairs(
    pairs: list[tuple[str, str]], *, show_findings: bool, in_process: bool = False
) -> None:
    """Score every release pair and print the tables, the overall figures and the misses."""
    scores: list[PairScore] = []
    pool: list[tuple[Path, Finding]] = []
    for old_spec, new_spec in pairs:
        score, found = score_pair(old_spec, new_spec, in_process=in_process)
        scores.append(score)
        pool.extend(found)
    overall = _overall(scores)
    print("\nAgainst the hand-labelled key (benchmarks/pages_labels.toml):\n")
    print(
        "| pair | findings | right | precision | broken lines | found | recall "
        "| old key: right | old key: API lines found |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in [*scores, overall]:
        k = s.key
        if k is None:
            cells = "| - | - | - | - | - | - "
        else:
            precision = f"{k.right / k.findings:.2f}" if k.findings else "-"
            recall = f"{k.found / k.labelled:.2f}" if k.labelled else "-"
            cells = (
                f"| {k.findings} | {k.right} | {precision} | {k.labelled} | {k.found} | {recall} "
            )
        print(f"| {s.pair} {cells}| {s.right} of {s.findings} | {s.found} of {s.api_lines} |")
    if overall.key is not None:
        print("\nbroken lines by cause (found of labelled):")
        for cause, (total, hit) in sorted(overall.key.by_cause.items(), key=lambda c: -c[1][0]):
            print(f"   {hit:4} of {total:4}  {cause}")
        old_total, old_hit = overall.key.by_cause.get(OLD_DRIFT, (0, 0))
        if old_total:
            total, hit = overall.key.labelled - old_total, overall.key.found - old_hit
            print(f"\nlines this change broke (old drift left out): {hit} of {total}", end="")
            print(f" (recall {hit / total:.2f})" if total else "")
        print("\nmissed broken lines:")
        for label, line in (m for s in scores if s.key for m in s.key.missed):
            print(f"   {label.pair} {label.page}:{line} [{label.cause}] {label.text[:90]}")
            print(f"        {label.reason}")
        print("\nfindings on no labelled line:")
        for s in scores:
            for where in s.key.wrong if s.key else ():
                print(f"   {s.pair} {where}")
    print("\nAgainst the old key (changed lines; API lines mention a changed name):\n")
    print(
        "| pair | findings | right | precision | changed lines | API lines | found | recall "
        "| on moved/deleted pages |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in [*scores, overall]:
        precision = f"{s.right / s.findings:.2f}" if s.findings else "-"
        recall = f"{s.found / s.api_lines:.2f}" if s.api_lines else "-"
        print(
            f"| {s.pair} | {s.findings} | {s.right} | {precision} | {s.changed} "
            f"| {s.api_lines} | {s.found} | {recall} | {s.unscored} |"
        )
    print("\nmissed API lines by cause:")
    for cause, count in overall.misses.most_common():
        print(f"   {count:4}  {cause}")
    if show_findings:
        print("\nmissed API lines:")
        for line in (m for s in scores for m in s.missed):
            print(f"   {line}")
        for number, (root, finding) in enumerate(pool, 1):
            show(root, finding, number)


def _overall(scores: list[PairScore]) -> PairScore:
    misses: Counter[str] = Counter()
    for s in scores:
        misses.update(s.misses)
    keyed = [s.key for s in scores if s.key is not None]
    by_cause: dict[str, tuple[int, int]] = {}
    for k in keyed:
        for cause, (total, hit) in k.by_cause.items():
            old = by_cause.get(cause, (0, 0))
            by_cause[cause] = (old[0] + total, old[1] + hit)
    key = None
    if keyed:
        key = KeyScore(
            sum(k.findings for k in keyed),
            sum(k.right for k in keyed),
            sum(k.labelled for k in keyed),
            sum(k.found for k in keyed),
            by_cause=by_cause,
        )
    return PairScore(
        f"**overall** ({len(keyed)} of {len(scores)} pairs labelled)",
        sum(s.findings for s in scores),
        sum(s.right for s in scores),
        sum(s.changed for s in scores),
        sum(s.api_lines for s in scores),
        sum(s.found for s in scores),
        misses,
        (),
        sum(s.unscored for s in scores),
        key,
    )


def main() -> None:
    """Check every project, print the counts and the findings."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("projects", nargs="*", default=list(DEFAULT_PROJECTS))
    parser.add_argument("--sample", type=int, default=0, help="print N random findings")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--run-examples", action="store_true")
    parser.add_argument("--docs-from", help="check the docs of this sdist against the code")
    parser.add_argument("--base-from", help="check in base mode, from this sdist to the code")
    parser.add_argument(
        "--pairs", action="store_true", help="pull-request mode: score release pairs (old..new)"
    )
    parser.add_argument("--show", action="store_true", help="with --pairs: print every finding")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="with --pairs: score base mode computed in this process, not the CLI's output",
    )
    args = parser.parse_args()
    if args.pairs:
        given = [tuple(p.split("..", 1)) for p in args.projects if ".." in p]
        pairs = [(old, new) for old, new in given] or list(RELEASE_PAIRS)
        run_pairs(pairs, show_findings=args.show, in_process=args.in_process)
        return
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
