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
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from docsync.apply.files import (
    FileFix,
    by_target,
    unified_diff,
    unified_diff_bytes,
    write_fixes,
)
from docsync.commands.check import BaseOptions, CheckResult, run_check, select_findings
from docsync.commands.fix_marks import marks
from docsync.commands.fix_pages import PageFixer
from docsync.commands.fix_python import PythonFixer
from docsync.config import Config
from docsync.deliver.fix_report import FixResult
from docsync.deliver.report import FindingKey, FixBy, finding_key
from docsync.draft.base import Drafter
from docsync.draft.mechanical.drafter import MechanicalDrafter
from docsync.errors import ConfigError
from docsync.models import Finding, Module, Project, Symbol
from docsync.paths import read_regular
from docsync.rules import FAMILIES, RuleContext, check_symbol, run_rules
from docsync.rules.coverage import NEW_API_UNDOCUMENTED
from docsync.rules.coverage import new_api_findings as coverage_findings
from docsync.rules.registry import REVIEW_CODES
from docsync.rules.staleness import STALE_AFTER_CHANGE, folds_into_stale
from docsync.scan.lazy_project import modules_at
from docsync.scan.python import scan_source

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet
    from docsync.commands.against_base import ChangeReport
    from docsync.draft.llm.drafter import LLMOptions
    from docsync.draft.llm.summary import LLMSummary

__all__ = ["FixResult", "SymbolRules", "fix_bytes", "fix_targets", "fixable", "run_fix"]

_PAGE_SUFFIXES = (".md", ".markdown")


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
    check: CheckResult | None = None,
    staged: bool = False,
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
        check: The check of this project as it is on disk now, when the caller ran
            it (a base-mode check for base mode): nothing is detected again, and
            ``base`` and ``use_baseline`` are not used.
        staged: With ``base``: judge the staged content (a pre-commit hook's view),
            and fix the files on disk, which must not differ from what is staged.

    Returns:
        The edits applied, the findings left for a person and those that failed,
        the diff, and the LLM summary.

    Raises:
        ConfigError: A select/ignore/severity entry names no rule; with ``staged``,
            a file to fix has unstaged changes.
        GitError: In base mode, the ref cannot be resolved.
    """
    if check is None and base is not None:  # base mode leaves the baseline alone, as it did
        check = run_check(config, use_baseline=False, change=BaseOptions(base, staged=staged))
    elif check is None:
        check = run_check(config, use_baseline=use_baseline)
    targets = fix_targets(check, reviews=llm is not None)
    if staged:
        _refuse_unstaged(config, targets)
    project = check.project
    changes = check.change.changes if check.change is not None else None
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
    result = _result(fixes, written=not diff_only, llm=summary, root=Path(project.root))
    result = replace(result, diagnostics=check.diagnostics)
    if config.review:
        return result
    # A review prompt the review model did not answer with an edit is not for people.
    left = tuple(f for f in result.left_for_person if f.code not in REVIEW_CODES)
    return replace(result, left_for_person=left)


def _refuse_unstaged(config: Config, targets: Sequence[Finding]) -> None:
    """Stop before a staged-content fix would edit a file whose disk content differs.

    The findings are about the staged content and the edits are made to the files on
    disk: only the same bytes make the edits land where the findings are.  In a
    pre-commit hook they are the same (pre-commit sets unstaged changes aside).
    """
    paths = {f.location.path for f in targets}
    if not paths:
        return
    # git only for --staged (a check that marks what `fix` fixes loads this module).
    from docsync.changes.changeset import unstaged_paths

    dirty = sorted(paths & unstaged_paths(config.root))
    if dirty:
        raise ConfigError(
            f"fix --staged fixes the files on disk, and {', '.join(dirty)} "
            f"{'has' if len(dirty) == 1 else 'have'} unstaged changes: stage them "
            "(git add) or set them aside (git stash --keep-index) first"
        )


def fixable(config: Config, check: CheckResult) -> dict[FindingKey, FixBy]:
    """Who can fix each finding of a check, as ``docsync fix`` would draft it.

    The mechanical drafter drafts (nothing checked, nothing written: see
    :meth:`~docsync.commands.fix_python.PythonFixer.preview`) and what it drafts a
    fix of is for ``docsync fix``; of the others, those whose rule the LLM drafter
    drafts (:attr:`~docsync.rules.rule.Rule.llm`, not a review prompt, not
    :attr:`~docsync.rules.rule.FixKind.NONE`) are for ``docsync fix --llm``.

    Args:
        config: The check's configuration.
        check: The check, of the project as it is on disk now.

    Returns:
        :func:`~docsync.deliver.report.finding_key` → who fixes it; a finding that
        only a person can fix is absent.
    """
    drafter = MechanicalDrafter()
    changes = check.change.changes if check.change is not None else None
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in check.findings:
        if drafter.fixes(finding.code):
            by_path[finding.location.path].append(finding)
    python = _python_fixer(config, (drafter,), changes)
    pages = PageFixer((drafter,), changes)
    modules = modules_at(check.project, by_path)
    root = Path(check.project.root)
    mechanical: set[FindingKey] = set()
    for path, found in by_path.items():
        try:
            source = read_regular(root / path, root=root)
        except OSError:
            continue
        module = modules.get(path)
        if module is not None and not _changed_since_scan(module, source):
            drafted = python.preview(check.project, module, source, found)
        elif module is None and path.endswith(_PAGE_SUFFIXES):
            drafted = tuple(
                f for edit in pages.fix(path, source, found).edits for f in edit.findings
            )
        else:
            drafted = ()
        mechanical.update(finding_key(f) for f in drafted)
    return marks(check.findings, check.project, mechanical)


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
    findings = select_findings(
        run_rules(project, require_params=config.require_params, check_tests=config.check_tests),
        config,
    )
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
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.location.path].append(finding)
    modules = modules_at(project, by_path)
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
            self._context = RuleContext(
                project,
                require_params=self.config.require_params,
                check_tests=self.config.check_tests,
            )
        return select_findings(check_symbol(symbol, self._context), self.config)


def fix_targets(check: CheckResult, *, reviews: bool = False) -> list[Finding]:
    """What ``fix`` fixes of a check: its findings, each DS501 replaced by what it folds.

    DS501 (base mode) says that a docstring no longer fits a changed signature; the
    fixes are those of the parameter and return findings it stands for.

    Args:
        check: The check; in base mode ``check.change`` is set.
        reviews: Add the review prompts the check held back, for the review model.

    Returns:
        The findings outside base mode; in it, the kept docstring findings, the
        folded ones, then the page findings.  With ``reviews``, the review prompts
        the check held back come last (``--llm``: the review model judges them).
    """
    held = list(check.reviews) if reviews else []
    report = check.change
    if report is None:
        return [*check.findings, *held]
    stale = {f.symbol for f in report.findings if f.code == STALE_AFTER_CHANGE.code}
    folded = [
        f
        for f in report.rule_findings
        if f.symbol in stale and folds_into_stale(f, report.changes.for_head(f.symbol))
    ]
    kept = [f for f in check.code_findings if f.code != STALE_AFTER_CHANGE.code]
    return [*kept, *folded, *_unfolded_methods(report, kept), *check.page_findings, *held]


def _unfolded_methods(report: ChangeReport, kept: Sequence[Finding]) -> list[Finding]:
    """DS504 for the new methods a new class's one finding names: each gets a docstring."""
    classes = {f.symbol for f in kept if f.code == NEW_API_UNDOCUMENTED.code}
    members = [
        symbol
        for name in report.coverage.undocumented
        if name.rpartition(".")[0] in classes and (symbol := report.head.get(name)) is not None
    ]
    if not members:
        return []
    have = {f.fingerprint for f in kept}
    found = coverage_findings(members, report.head, fold=False)
    return [f for f in found if f.fingerprint not in have]


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
