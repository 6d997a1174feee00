"""The fix pipeline: detect, draft, check, then write the files (or print a diff).

``docsync fix`` runs :func:`run_fix`: the findings come from the same detection as
``check`` (:func:`~docsync.commands.check.run_check`, or base mode with ``base``), the
drafters (mechanical first) draft one edit per docstring literal or page line,
every edit is checked before anything is written (see :mod:`docsync.commands.fix_python`),
and each changed file is written whole.  The result says what was fixed, what is
left for a person and what failed, per finding; the CLI decides the exit code.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docsync.apply.files import (
    FileFix,
    by_target,
    unified_diff,
    unified_diff_bytes,
    write_fixes,
)
from docsync.commands.check import (
    base_page_findings,
    check_site_pages,
    detect,
    run_check,
    select_findings,
)
from docsync.commands.fix_pages import PageFixer
from docsync.commands.fix_python import PythonFixer
from docsync.config import Config
from docsync.draft.base import Drafter
from docsync.draft.mechanical.drafter import MechanicalDrafter
from docsync.models import Edit, Finding, Module, Project, Symbol
from docsync.paths import read_regular
from docsync.rules import FAMILIES, RuleContext, run_rules
from docsync.scan.python import scan_source

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet
    from docsync.commands.against_base import ChangeReport
    from docsync.draft.llm.drafter import LLMOptions
    from docsync.draft.llm.summary import LLMSummary

__all__ = ["FixResult", "RuleTally", "SymbolRules", "fix_bytes", "render_fix_text", "run_fix"]

_PAGE_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class RuleTally:
    """How many findings of one rule were fixed, left for a person, and failed."""

    code: str
    fixed: int = 0
    left: int = 0
    failed: int = 0


@dataclass(frozen=True)
class FixResult:
    """What a fix run did.

    ``edits_applied`` are the edits written (or, with ``--diff``, that would be);
    ``left_for_person`` the findings no drafter could fix, with ``reasons`` by
    fingerprint; ``failed`` the findings whose drafted fix failed a check or could
    not be written, with the error.  ``diff`` is the unified diff of every change.
    ``llm`` summarises LLM drafting (requests, tokens, estimated cost) when it was on.
    """

    edits_applied: tuple[Edit, ...]
    left_for_person: tuple[Finding, ...]
    failed: tuple[tuple[Finding, str], ...]
    diff: str
    reasons: dict[str, str] = field(default_factory=dict)
    patch: bytes = b""
    files_changed: tuple[str, ...] = ()
    written: bool = False
    llm: LLMSummary | None = None

    @property
    def fixed(self) -> tuple[Finding, ...]:
        """Every finding an applied edit fixed."""
        return tuple(f for edit in self.edits_applied for f in edit.findings)

    def remaining(self) -> tuple[Finding, ...]:
        """The findings still there after the fix: left for a person or failed.

        Returns:
            Those findings, left ones first.
        """
        return (*self.left_for_person, *(f for f, _ in self.failed))

    def still_fails(self, config: Config) -> bool:
        """Whether a remaining finding is at or above the configured ``fail-on`` level.

        Args:
            config: The run's configuration.

        Returns:
            True when the exit code should be 1.
        """
        return any(f.severity.rank >= config.fail_on.rank for f in self.remaining())

    def tallies(self) -> list[RuleTally]:
        """Counts per rule code, in code order.

        Returns:
            One tally per code that has any finding.
        """
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for finding in self.fixed:
            counts[finding.code]["fixed"] += 1
        for finding in self.left_for_person:
            counts[finding.code]["left"] += 1
        for finding, _ in self.failed:
            counts[finding.code]["failed"] += 1
        return [
            RuleTally(code, c["fixed"], c["left"], c["failed"])
            for code, c in sorted(counts.items())
        ]


def run_fix(
    config: Config,
    *,
    diff_only: bool = False,
    placeholders: bool = False,
    drafters: Sequence[Drafter] | None = None,
    base: str | None = None,
    findings: Sequence[Finding] | None = None,
    use_baseline: bool = True,
    llm: LLMOptions | None = None,
) -> FixResult:  # docsync: ignore[DS301]  (detection raises, see run_check and base mode)
    """Detect the findings, draft and check their fixes, and write them (or diff them).

    Args:
        config: The merged configuration.
        diff_only: Write nothing; the result's ``diff`` holds the changes.
        placeholders: Let the mechanical drafter insert marked entries for
            missing parameters (DS102).
        drafters: The drafters to chain; default: the mechanical drafter alone.
        base: A base ref: fix only what the change from it made stale (base mode).
        findings: Fix these findings instead of detecting them (they must be
            about the project as it is on disk now).
        use_baseline: Leave the findings the baseline file lists alone.
        llm: Draft what the other drafters leave with Claude (see
            :mod:`docsync.draft.llm.drafter`); with ``dry_run`` nothing is sent or written.

    Returns:
        The edits applied, the findings left for a person and those that failed,
        the diff, and the LLM summary.

    Raises:
        ConfigError: A select/ignore/severity entry names no rule.
        GitError: In base mode, the ref cannot be resolved.
    """
    changes: ChangeSet | None = None
    if base is not None:
        project, targets, changes = _base_targets(config, base)
    else:
        check = run_check(config, use_baseline=use_baseline)
        project, targets = check.project, list(check.findings)
    if findings is not None:
        targets = list(findings)
    chain = tuple(drafters) if drafters is not None else (MechanicalDrafter(placeholders),)
    summarise = None
    if llm is not None:
        from docsync.draft.llm.drafter import llm_chain

        chain, summarise = llm_chain(
            llm,
            SymbolRules(config),
            chain,
            lambda drafters: _fix_files(config, project, targets, drafters, changes),
        )
        diff_only = diff_only or llm.dry_run
    fixes = _fix_files(config, project, targets, chain, changes)
    if not diff_only:
        fixes = write_fixes(Path(project.root), fixes)
    summary = summarise() if summarise else None
    return _result(fixes, written=not diff_only, llm=summary, root=Path(project.root))


def fix_bytes(
    path: str,
    source: bytes,
    config: Config,
    *,
    placeholders: bool = False,
    drafters: Sequence[Drafter] | None = None,
) -> FileFix:
    """Fix one Python module given as bytes, as a project of its own; no file is touched.

    The pure core of :func:`run_fix` for one file (rules that look across files,
    such as a class's bases in another module, see only this one).

    Args:
        path: The module's repo-relative path (its module name is the file's stem).
        source: The module's bytes.
        config: The configuration (selection, severities, default style).
        placeholders: Let the mechanical drafter insert marked entries for DS102.
        drafters: The drafters to chain; default: the mechanical drafter alone.

    Returns:
        The module's new bytes, the edits, and the findings left or failed.
    """
    scanned = scan_source(source, path, Path(path).stem, default_style=config.style)
    if scanned.module is None:
        return FileFix(path, source, source, "utf-8")
    project = Project(str(config.root), (scanned.module,))
    findings = select_findings(run_rules(project, require_params=config.require_params), config)
    chain = tuple(drafters) if drafters is not None else (MechanicalDrafter(placeholders),)
    return _python_fixer(config, chain, None).fix(project, scanned.module, source, findings)


def _python_fixer(
    config: Config, chain: Sequence[Drafter], changes: ChangeSet | None
) -> PythonFixer:
    return PythonFixer(
        drafters=chain,
        detect=SymbolRules(config),
        redraft=lambda code: any(_may_fix(d, code) for d in chain),
        checked=frozenset(rule.code for family in FAMILIES for rule in family.rules),
        changes=changes,
        default_style=config.style,
    )


def _fix_files(
    config: Config,
    project: Project,
    findings: Sequence[Finding],
    chain: Sequence[Drafter],
    changes: ChangeSet | None,
) -> list[FileFix]:
    python = _python_fixer(config, chain, changes)
    pages = PageFixer(chain, changes)
    modules = {m.path: m for m in project.modules}
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.location.path].append(finding)
    root = Path(project.root)
    fixes = []
    for path, found in sorted(by_path.items()):
        fixes.append(_fix_file(root, path, found, modules.get(path), project, python, pages))
    return fixes


def _fix_file(
    root: Path,
    path: str,
    findings: list[Finding],
    module: Module | None,
    project: Project,
    python: PythonFixer,
    pages: PageFixer,
) -> FileFix:
    try:
        source = read_regular(root / path, root=root)
    except OSError as exc:
        failed = tuple((f, f"cannot read the file: {exc.strerror or exc}") for f in findings)
        return FileFix(path, b"", b"", "utf-8", failed=failed)
    if module is not None:
        if _changed_since_scan(module, source):
            failed = tuple((f, "the file changed on disk since it was scanned") for f in findings)
            return FileFix(path, source, source, "utf-8", failed=failed)
        return python.fix(project, module, source, findings)
    if path.endswith(_PAGE_SUFFIXES):
        return pages.fix(path, source, findings)
    left = tuple((f, "not in a file docsync edits") for f in findings)
    return FileFix(path, source, source, "utf-8", left=left)


def _changed_since_scan(module: Module, source: bytes) -> bool:
    return hashlib.sha256(source).hexdigest() != module.content_hash


def _may_fix(drafter: Drafter, code: str) -> bool:
    """Whether a drafter says it fixes ``code`` (drafters without ``fixes()`` do not say)."""
    fixes = getattr(drafter, "fixes", None)
    return bool(fixes(code)) if callable(fixes) else False


class SymbolRules:
    """Runs the rule families on one symbol, with the run's selection and severities.

    The rule context (and its class index) is built once per project.
    """

    def __init__(self, config: Config) -> None:
        """Remember the configuration.

        Args:
            config: The run's configuration (select, ignore, severities, require-params).
        """
        self.config = config
        self._context: RuleContext | None = None

    def __call__(self, project: Project, symbol: Symbol) -> list[Finding]:
        """The selected findings on ``symbol``, suppressions applied.

        Args:
            project: The project the symbol belongs to.
            symbol: The symbol to check.

        Returns:
            The findings, at their configured severities.
        """
        if self._context is None or self._context.project is not project:
            self._context = RuleContext(project, require_params=self.config.require_params)
        found = [
            finding
            for family in FAMILIES
            for finding in family.check(symbol, self._context)
            if not symbol.is_suppressed(finding.code)
        ]
        return select_findings(found, self.config)


def _base_targets(
    config: Config, base: str
) -> tuple[Project, list[Finding], ChangeSet]:  # docsync: ignore[DS301]  (base mode raises)
    """Base mode's findings, each DS501 replaced by the rule findings it folds."""
    from docsync.commands.against_base import check_change
    from docsync.rules.staleness import STALE_AFTER_CHANGE, folds_into_stale

    report = check_change(config, base, detect=lambda project: detect(project, config))
    stale = {f.symbol for f in report.findings if f.code == STALE_AFTER_CHANGE.code}
    folded = [
        f
        for f in detect(report.head, config)
        if f.symbol in stale and folds_into_stale(f, report.changes.for_head(f.symbol))
    ]
    kept = [
        f
        for f in select_findings(list(report.findings), config)
        if f.code != STALE_AFTER_CHANGE.code
    ]
    return report.head, [*kept, *folded, *_base_page_findings(config, report)], report.changes


def _base_page_findings(config: Config, report: ChangeReport) -> list[Finding]:
    """Page findings in base mode, kept as ``check --base`` keeps them."""
    if not config.pages:
        return []
    found, _ = check_site_pages(
        report.head, config.root, docs_dir=config.docs_dir, changes=report.changes
    )
    return select_findings(base_page_findings(found, report.changes), config)


def _result(
    fixes: Sequence[FileFix],
    *,
    written: bool,
    llm: LLMSummary | None = None,
    root: Path | None = None,
) -> FixResult:
    edits = tuple(edit for fix in fixes for edit in fix.edits)
    left = tuple(finding for fix in fixes for finding, _ in fix.left)
    reasons = {finding.fingerprint: reason for fix in fixes for finding, reason in fix.left}
    failed = tuple(item for fix in fixes for item in fix.failed)
    changed = tuple(fix.path for fix in fixes if fix.changed)
    named = by_target(root, fixes) if root is not None else fixes
    diff, patch = unified_diff(named), unified_diff_bytes(named)
    return FixResult(edits, left, failed, diff, reasons, patch, changed, written, llm)


def render_fix_text(result: FixResult) -> str:
    """The plain-text report of a fix run: one line per finding, a table per rule, LLM usage.

    Args:
        result: The fix run's result.

    Returns:
        The report, ending with a newline.
    """
    done = "fixed" if result.written else "fixable"
    rows = [(done, f, "") for f in result.fixed]
    rows += [("left", f, result.reasons.get(f.fingerprint, "")) for f in result.left_for_person]
    rows += [("failed", f, error) for f, error in result.failed]
    rows.sort(key=lambda row: (row[1].location.path, row[1].location.line, row[1].code))
    lines = [_finding_line(status, finding, note) for status, finding, note in rows]
    tallies = result.tallies()
    if tallies:
        lines += ["", f"{'rule':<8}{done:>8}{'left':>8}{'failed':>8}"]
        lines += [f"{t.code:<8}{t.fixed:>8}{t.left:>8}{t.failed:>8}" for t in tallies]
        total = RuleTally(
            "total",
            sum(t.fixed for t in tallies),
            sum(t.left for t in tallies),
            sum(t.failed for t in tallies),
        )
        lines.append(f"{total.code:<8}{total.fixed:>8}{total.left:>8}{total.failed:>8}")
    files = len(result.files_changed)
    lines.append(
        f"{done.capitalize()}: {len(result.fixed)} finding{_s(len(result.fixed))} in {files} "
        f"file{_s(files)}; left for a person: {len(result.left_for_person)}; "
        f"failed: {len(result.failed)}."
    )
    if result.llm is not None:
        lines += result.llm.render()
    return "\n".join(lines) + "\n"


def _finding_line(status: str, finding: Finding, note: str) -> str:
    where = f"{finding.location.path}:{finding.location.line}"
    text = f"{status:<8}{where}  {finding.code}  {finding.message}"
    return f"{text} ({note})" if note else text


def _s(count: int) -> str:
    return "" if count == 1 else "s"
