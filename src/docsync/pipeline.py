"""The pipeline every surface runs: scan, detect, select.

The CLI, the GitHub Action and the MkDocs plugin build a :class:`~docsync.config.Config`
and call :func:`run_check`; none of them has detection logic of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from docsync.baseline import apply_baseline, load_baseline
from docsync.cache import CACHE_DIR_NAME
from docsync.config import Config
from docsync.errors import ConfigError
from docsync.models import Diagnostic, Finding, Project
from docsync.rules import RULES, run_rules
from docsync.rules.pages import PAGE_RULES, check_pages
from docsync.scan.pages import load_site
from docsync.scan.python import scan_project


@dataclass(frozen=True)
class CheckResult:
    """What a check found.

    ``baselined`` counts the findings skipped because the baseline file lists them.
    """

    project: Project
    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    files_scanned: int
    baselined: int = 0

    def failed(self, config: Config) -> bool:
        """Whether any finding is at or above the configured ``fail-on`` level."""
        return any(f.severity.rank >= config.fail_on.rank for f in self.findings)


def validate_rule_codes(config: Config) -> None:
    """Reject select/ignore/severity entries that name no known rule.

    Args:
        config: the merged configuration.

    Raises:
        ConfigError: an entry matches no rule; the message names the key and file.
    """
    known = all_rule_codes()
    origin = str(config.source) if config.source else "command line"
    for key, codes in (("select", config.select), ("ignore", config.ignore)):
        for code in codes:
            if not any(k.startswith(code) for k in known):
                raise ConfigError(f"{origin}: '{key}': no rule matches {code!r}; see docsync rules")
    for code in config.severity:
        if code not in known:
            raise ConfigError(f"{origin}: 'severity': unknown rule {code!r}; see docsync rules")


def all_rule_codes() -> list[str]:
    """The codes of every rule docsync knows: docstring and page rules.

    Returns:
        The codes, docstring rules first.
    """
    return [rule.code for rule in RULES] + [rule.code for rule in PAGE_RULES]


def scan(config: Config, *, progress: Callable[[int, int], None] | None = None) -> Project:
    """Scan the configured paths of the project, through the scan cache unless it is off.

    Args:
        config: the merged configuration; ``paths`` are relative to ``config.root``.
        progress: called with (files done, files in all) as the scan advances.

    Returns:
        The scanned project.
    """
    roots = [_under_root(config.root, p) for p in config.paths]
    return scan_project(
        config.root,
        roots,
        exclude=config.exclude,
        default_style=config.style,
        max_file_size=config.max_file_size,
        cache_dir=cache_dir(config),
        progress=progress,
    )


def cache_dir(config: Config) -> Path | None:
    """The scan cache directory of this project.

    Args:
        config: the merged configuration.

    Returns:
        ``.docsync-cache`` at the project root, or ``None`` when the cache is off.
    """
    return config.root / CACHE_DIR_NAME if config.cache else None


def detect(project: Project, config: Config) -> list[Finding]:
    """Run the rules, then apply select/ignore and severity overrides.

    Args:
        project: the scanned project.
        config: the merged configuration.

    Returns:
        The selected findings, in path/line/code order.
    """
    findings = run_rules(project, require_params=config.require_params)
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


def detect_pages(
    project: Project, config: Config, *, run_examples: bool = False
) -> tuple[list[Finding], list[Diagnostic]]:
    """Run the page rules on the project's MkDocs pages, selected like other findings.

    Args:
        project: the scanned project.
        config: the merged configuration (``docs-dir`` overrides mkdocs.yml's).
        run_examples: also run the pages' ``>>>`` sessions (DS707).

    Returns:
        The selected page findings and the diagnostics of unreadable pages.
    """
    findings, diagnostics = check_pages(
        project, config.root, docs_dir=config.docs_dir, run_examples=run_examples
    )
    return select_findings(findings, config), diagnostics


def docs_dir_of(config: Config) -> Path:
    """The directory of the project's pages (which may not exist).

    Args:
        config: the merged configuration.

    Returns:
        ``docs-dir``, else mkdocs.yml's ``docs_dir``, else ``docs/`` at the root.
    """
    return load_site(config.root, config.docs_dir).docs_dir


def run_check(
    config: Config,
    *,
    use_baseline: bool = True,
    progress: Callable[[int, int], None] | None = None,
    pages: bool | None = None,
    run_examples: bool = False,
) -> CheckResult:
    """Scan and detect over the whole configured tree, code and pages.

    Args:
        config: the merged configuration.
        use_baseline: skip the findings the baseline file lists (``docsync baseline``
            itself runs without it).
        progress: called with (files done, files in all) as the scan advances.
        pages: check the MkDocs pages; ``None`` follows ``config.pages``.
        run_examples: also run the pages' ``>>>`` sessions (DS707; opt-in).

    Returns:
        The findings and the input diagnostics.
    """
    validate_rule_codes(config)
    project = scan(config, progress=progress)
    findings = detect(project, config)
    diagnostics = list(project.diagnostics)
    if config.pages if pages is None else pages:
        page_findings, page_diagnostics = detect_pages(project, config, run_examples=run_examples)
        findings.extend(page_findings)
        diagnostics.extend(page_diagnostics)
    skipped = 0
    if use_baseline:
        findings, skipped = apply_baseline(findings, load_baseline(baseline_path(config)))
    return CheckResult(
        project=project,
        findings=tuple(findings),
        diagnostics=tuple(diagnostics),
        files_scanned=len(project.modules),
        baselined=skipped,
    )


def baseline_path(config: Config) -> Path:
    """Where the baseline file of this project is.

    Args:
        config: the merged configuration.

    Returns:
        ``config.baseline`` resolved against the project root.
    """
    return _under_root(config.root, config.baseline)


def _under_root(root: Path, path: str) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else root / candidate
