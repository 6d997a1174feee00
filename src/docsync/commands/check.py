"""The pipeline every surface runs: scan, detect, select.

The CLI, the GitHub Action and the MkDocs plugin build a :class:`~docsync.config.Config`
and call :func:`run_check`; none of them has detection logic of its own.  Its
:class:`CheckResult` carries everything a surface needs after detection (the
project, the findings, base mode's change report, the page report), so nothing is
scanned or detected twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from docsync import timings as timing
from docsync.changes.diff import ChangeKind
from docsync.commands.baseline import apply_baseline, baseline_path, load_baseline
from docsync.commands.doctests import run_page_sessions
from docsync.config import Config, closest
from docsync.errors import ConfigError
from docsync.models import Diagnostic, Finding, Project
from docsync.rules import RULES, RuleKind, run_rules
from docsync.rules.coverage import NEW_API_OFF_PAGES
from docsync.rules.pages import link_into_change
from docsync.rules.registry import REVIEW_CODES
from docsync.rules.site import PageReport, check_pages
from docsync.scan.docs import load_docs
from docsync.scan.lazy_project import module_paths
from docsync.scan.pages import load_site
from docsync.scan.project import scan_working_tree

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet
    from docsync.commands.against_base import ChangeReport

_PAGE_CODES = frozenset(rule.code for rule in RULES if rule.kind is RuleKind.PAGE)


@dataclass(frozen=True)
class CheckResult:
    """What a check found, and what it found it on.

    ``baselined`` counts the findings skipped because the baseline file lists them.
    ``change`` is base mode's report (the change set, both sides, the head's rule
    findings); ``pages`` the page rules' report (the site, its pages, the index),
    ``None`` when the pages were not checked.  ``reviews`` holds the review prompts
    (DS502, DS706: "this changed, its docs did not, have a look") held back from
    ``findings``: they are counted in one line, listed only with ``review``
    (``--review``), and never make the run fail.  ``notices`` say what the run could
    not do (provenance in a shallow clone).  ``files_scanned`` and ``pages_checked``
    count the Python files and the pages whose findings are reported (under
    ``Config.report_paths``).
    """

    project: Project
    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    files_scanned: int
    baselined: int = 0
    change: ChangeReport | None = None
    pages: PageReport | None = None
    reviews: tuple[Finding, ...] = ()
    notices: tuple[str, ...] = ()
    pages_checked: int = 0

    @property
    def checked_nothing(self) -> bool:
        """Whether the run judged no Python file and no page at all."""
        return not self.files_scanned and not self.pages_checked

    @property
    def code_findings(self) -> tuple[Finding, ...]:
        """The findings on docstrings (and base mode's change findings), in report order."""
        return tuple(f for f in self.findings if f.code not in _PAGE_CODES)

    @property
    def page_findings(self) -> tuple[Finding, ...]:
        """The page rules' findings (DS7xx), in report order."""
        return tuple(f for f in self.findings if f.code in _PAGE_CODES)

    def rooted_at(self, root: Path) -> CheckResult:
        """This result about a copy of the same files at ``root`` (a worktree of the commit).

        Args:
            root: The copy's project root.

        Returns:
            The result with the project (and base mode's head) at ``root``.
        """
        where = str(Path(os.path.normpath(root.absolute())))
        project = replace(self.project, root=where)
        change = self.change
        if change is not None:
            change = replace(change, head=replace(change.head, root=where))
        return replace(self, project=project, change=change)

    @property
    def notes(self) -> tuple[str, ...]:
        """Lines about the run as a whole: the public API a change adds, and the notices."""
        coverage = self.change.coverage.line() if self.change is not None else None
        return (*(() if coverage is None else (coverage,)), *self.notices)

    def failed(self, config: Config) -> bool:
        """Whether any finding is at or above the configured ``fail-on`` level."""
        return any(config.fails(f) for f in self.findings)


def validate_rule_codes(config: Config) -> None:
    """Reject select/ignore/severity entries that name no known rule.

    Args:
        config: the merged configuration.

    Raises:
        ConfigError: entries match no rule; the message names each, with its key and
            where it was set.
    """
    problems = rule_code_problems(config)
    if problems:
        raise ConfigError.of(problems)


def rule_code_problems(config: Config) -> list[str]:
    """The select/ignore/severity entries that name no known rule, each with its origin.

    Args:
        config: the merged configuration; ``config.origins`` says where each key was set.

    Returns:
        One message per entry (``command line (--select): no rule matches 'DS9'``),
        with the closest rule code when one is close.
    """
    known = all_rule_codes()
    problems = []
    for key, codes in (("select", config.select), ("ignore", config.ignore)):
        for code in codes:
            if not any(k.startswith(code) for k in known):
                problems.append(f"{_origin(config, key)}: no rule matches {code!r}{_hint(code)}")
    for code in config.severity:
        if code not in known:
            where = _origin(config, "severity")
            problems.append(f"{where}: unknown rule {code!r}{_hint(code)}")
    return problems


def _origin(config: Config, key: str) -> str:
    return config.origins.get(key) or f"{config.source or 'settings'}: '{key}'"


def _shared_prefix(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _hint(code: str) -> str:
    # Of the codes sharing the longest prefix (the same family), the closest one.
    known = all_rule_codes()
    shared = max(_shared_prefix(code, k) for k in known)
    family = shared > len("DS")  # a code of no rule family (DS9xx) gets no guess
    close = closest(code, [k for k in known if k[:shared] == code[:shared]]) if family else []
    suggestion = f" (did you mean {close[0]}?)" if close else ""
    return f"{suggestion}; see docsync rules"


def all_rule_codes() -> list[str]:
    """The codes of every rule docsync knows (see :data:`docsync.rules.registry.RULES`).

    Returns:
        The codes, in code order.
    """
    return [rule.code for rule in RULES]


def detect(project: Project, config: Config) -> list[Finding]:
    """Run the rules, then apply select/ignore and severity overrides.

    Args:
        project: the scanned project.
        config: the merged configuration.

    Returns:
        The selected findings, in path/line/code order.
    """
    findings = run_rules(
        project, require_params=config.require_params, check_tests=config.check_tests
    )
    return select_findings(findings, config)


def select_findings(findings: list[Finding], config: Config) -> list[Finding]:
    """Keep the findings ``config`` selects, at their configured severities.

    Args:
        findings: findings at their rules' default severities.
        config: the merged configuration.

    Returns:
        The selected findings, with severity overrides applied.
    """
    selected = []
    for finding in findings:
        if not config.is_selected(finding.code):
            continue
        severity = config.severity_of(finding.code, finding.severity)
        if severity is not finding.severity:
            finding = replace(finding, severity=severity)
        selected.append(finding)
    return selected


def check_site_pages(
    project: Project,
    root: Path,
    *,
    docs_dir: str | None = None,
    site_config: str | None = None,
    changes: ChangeSet | None = None,
    run_examples: bool = False,
    timeout: float = 60.0,
) -> PageReport:
    """Load the MkDocs site, run its ``>>>`` sessions if asked, and run the page rules.

    The IO around :func:`docsync.rules.site.check_pages`: the scan reads the site
    and pages, a subprocess runs the sessions, the rules only compute.

    Args:
        project: the scanned project (at the head).
        root: the project root, where the site's config file is looked for.
        docs_dir: the docs directory, relative to ``root``, instead of the config's.
        site_config: the site's config file, relative to ``root``, instead of the
            first of ``properdocs.yml``, ``mkdocs.yml`` and ``zensical.toml``.
        changes: the change set of ``--base``; enables DS706 and names renamed symbols.
        run_examples: run the pages' ``>>>`` sessions (DS707); never on by default.
        timeout: seconds each page's sessions may run, with ``run_examples``.

    Returns:
        The page report: findings (not yet selected), diagnostics, the loaded site,
        the symbol index and what each page mentions.
    """
    docs = load_docs(root, docs_dir, site_config)
    sessions = run_page_sessions(docs, timeout=timeout) if run_examples else None
    return check_pages(project, docs, changes=changes, sessions=sessions)


def docs_dir_of(config: Config) -> Path:
    """The directory of the project's pages (which may not exist).

    Args:
        config: the merged configuration.

    Returns:
        ``docs-dir``, else the site config's ``docs_dir``, else ``docs/`` at the root.
    """
    return load_site(config.root, config.docs_dir, config.site_config).docs_dir


@dataclass(frozen=True)
class BaseOptions:
    """What ``--base`` compares: the merge base of ``base`` and the head.

    ``head`` is a ref, or ``None`` for the working tree; ``staged`` judges the index.
    """

    base: str
    head: str | None = None
    staged: bool = False


def run_check(
    config: Config,
    *,
    use_baseline: bool = True,
    progress: Callable[[int, int], None] | None = None,
    pages: bool | None = None,
    run_examples: bool = False,
    change: BaseOptions | None = None,
) -> CheckResult:
    """Scan and detect over the whole configured tree, code and pages.

    Args:
        config: the merged configuration.
        use_baseline: skip the findings the baseline file lists (``docsync baseline``
            itself runs without it).
        progress: called with (files done, files in all) as the scan advances.
        pages: check the MkDocs pages; ``None`` follows ``config.pages``.
        run_examples: also run the pages' ``>>>`` sessions (DS707; opt-in).
        change: base mode: report only what the change from ``change.base`` made stale.

    Returns:
        The findings, the input diagnostics, and what they were found on: the
        project, base mode's change report and the page report.
    """
    validate_rule_codes(config)
    with_pages = config.pages if pages is None else pages
    report = None
    if change is not None:
        report = _check_change(config, change)
        project = report.head
        findings = select_findings(list(report.findings), config)
    else:
        project = scan_working_tree(config, progress=progress)
        with timing.phase("rules"):
            findings = detect(project, config)
    diagnostics = list(project.diagnostics)
    page_report = None
    if with_pages:
        with timing.phase("pages"):
            page_report = check_site_pages(
                project,
                config.root,
                docs_dir=config.docs_dir,
                site_config=config.site_config,
                changes=report.changes if report is not None else None,
                run_examples=run_examples and report is None,
            )
        found = list(page_report.findings)
        if report is not None and change is not None:
            known = _base_page_prints(config, change, report) if found else None
            found = base_page_findings(found, report.changes, known)
        findings.extend(select_findings(found, config))
        diagnostics.extend(page_report.diagnostics)
    if config.report_paths:
        findings = [f for f in findings if config.reports(f.location.path)]
        diagnostics = [d for d in diagnostics if config.reports(d.path)]
    notices: tuple[str, ...] = ()
    if config.since if config.since is not None else change is not None:
        findings, notices = _date(config, findings, project, change, report)
    skipped = 0
    if use_baseline:
        findings, skipped = apply_baseline(findings, load_baseline(baseline_path(config)))
    findings, reviews = split_reviews(findings, config)
    return CheckResult(
        project=project,
        findings=tuple(findings),
        reviews=tuple(reviews),
        diagnostics=tuple(diagnostics),
        files_scanned=sum(1 for path in module_paths(project) if config.reports(path)),
        baselined=skipped,
        change=report,
        pages=page_report,
        notices=notices,
        pages_checked=_pages_checked(config, page_report),
    )


def _pages_checked(config: Config, report: PageReport | None) -> int:
    if report is None:
        return 0
    return sum(1 for page in report.pages if config.reports(page.path))


def split_reviews(findings: list[Finding], config: Config) -> tuple[list[Finding], list[Finding]]:
    """Hold the review prompts back from the findings, unless ``config.review`` lists them.

    A review prompt (a rule with :attr:`~docsync.rules.rule.Rule.review`) says "this
    changed, its docs did not: have a look", not that the docs contradict the code;
    by default it is counted, not listed, and never fails a run.

    Args:
        findings: the selected findings.
        config: the merged configuration.

    Returns:
        The findings to report, and the review prompts held back (empty with ``review``).
    """
    if config.review:
        return findings, []
    kept = [f for f in findings if f.code not in REVIEW_CODES]
    held = [f for f in findings if f.code in REVIEW_CODES]
    return kept, held


def _check_change(config: Config, change: BaseOptions) -> ChangeReport:  # docsync: ignore[DS301]
    """Base mode: the findings the change is answerable for, on the code."""
    from docsync.commands.against_base import check_change  # imports git: only when asked

    return check_change(
        config,
        change.base,
        detect=lambda project: detect(project, config),
        head=change.head,
        staged=change.staged,
    )


def _date(
    config: Config,
    findings: list[Finding],
    project: Project,
    change: BaseOptions | None,
    report: ChangeReport | None,
) -> tuple[list[Finding], tuple[str, ...]]:  # docsync: ignore[DS301]  (callees raise)
    """Provenance: each finding's ``evidence.since``, and a notice when history is unread."""
    from docsync.commands import since  # imports git: only when asked

    if change is not None and report is not None:
        dated = since.date_change(
            config,
            findings,
            project,
            report.changes,
            base=change.base,
            head_ref=change.head,
            staged=change.staged,
        )
    else:
        dated = since.date_tree(config, findings, project)
    return list(dated.findings), tuple(n for n in (dated.notice,) if n is not None)


def _base_page_prints(
    config: Config, change: BaseOptions, report: ChangeReport
) -> frozenset[str]:  # docsync: ignore[DS301]
    """Base mode: the fingerprints of the page findings the base already had."""
    from docsync.commands.against_base import base_page_prints  # imports git: only when asked

    return base_page_prints(config, report, change.base, head=change.head, staged=change.staged)


# Page findings about a reference or an example, which a change breaks by removing,
# renaming or re-signing what they name.
_REFERENCE_PAGE_CODES = frozenset(rule.code for rule in RULES if rule.names_symbol)


def base_page_findings(
    findings: list[Finding], changes: ChangeSet, known: frozenset[str] | None = None
) -> list[Finding]:
    """The page findings a change is answerable for.

    Kept: every finding on a page the change touched; the review findings (DS706) and
    the new API no page shows (DS708), which only a change produces; on any page, a
    broken link into a file the change deleted, moved or edited (a page removed, a
    heading renamed); and, on any page, the reference and example findings the base
    did not have. With the base's own page
    findings (``known``) that is every such finding whose fingerprint is not among them:
    what resolved at the base and does not at the head (a removed re-export, type alias,
    module variable, instance attribute or lazily served name) was broken by the change.
    Without them, only the findings about a name the change removed, renamed, moved or
    gave a new signature are kept. A finding in ``known`` is older than the change and
    is left out.

    Args:
        findings: the page findings at the head, judged with ``changes``.
        changes: the change set.
        known: fingerprints of the page findings at the base; ``None`` when they
            were not computed.

    Returns:
        The kept findings, in their original order.
    """
    touched = changes.changed_paths
    broken = {
        c.qualname.rpartition(".")[2]
        for c in changes.symbols
        if c.has(
            ChangeKind.REMOVED,
            ChangeKind.RENAMED,
            ChangeKind.MOVED,
            ChangeKind.SIGNATURE_CHANGED,
        )
    }
    old = known or frozenset()
    return [
        f
        for f in findings
        if f.fingerprint not in old
        and (
            f.location.path in touched
            or f.code in REVIEW_CODES
            or f.code == NEW_API_OFF_PAGES.code
            or link_into_change(f, touched)
            or (
                f.code in _REFERENCE_PAGE_CODES
                and (known is not None or f.symbol.rpartition(".")[2] in broken)
            )
        )
    ]
