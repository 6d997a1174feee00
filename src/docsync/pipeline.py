"""The pipeline every surface runs: scan, detect, select.

The CLI, the GitHub Action and the MkDocs plugin build a :class:`~docsync.config.Config`
and call :func:`run_check`; none of them has detection logic of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from docsync.baseline import apply_baseline, load_baseline
from docsync.config import Config
from docsync.errors import ConfigError
from docsync.models import Diagnostic, Finding, Project
from docsync.rules import RULES, run_rules
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
    known = [rule.code for rule in RULES]
    origin = str(config.source) if config.source else "command line"
    for key, codes in (("select", config.select), ("ignore", config.ignore)):
        for code in codes:
            if not any(k.startswith(code) for k in known):
                raise ConfigError(f"{origin}: '{key}': no rule matches {code!r}; see docsync rules")
    for code in config.severity:
        if code not in known:
            raise ConfigError(f"{origin}: 'severity': unknown rule {code!r}; see docsync rules")


def scan(config: Config) -> Project:
    """Scan the configured paths of the project.

    Args:
        config: the merged configuration; ``paths`` are relative to ``config.root``.

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
    )


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


def run_check(config: Config, *, use_baseline: bool = True) -> CheckResult:
    """Scan and detect over the whole configured tree.

    Args:
        config: the merged configuration.
        use_baseline: skip the findings the baseline file lists (``docsync baseline``
            itself runs without it).

    Returns:
        The findings and the input diagnostics.
    """
    validate_rule_codes(config)
    project = scan(config)
    findings = detect(project, config)
    skipped = 0
    if use_baseline:
        findings, skipped = apply_baseline(findings, load_baseline(baseline_path(config)))
    return CheckResult(
        project=project,
        findings=tuple(findings),
        diagnostics=project.diagnostics,
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
