"""Render findings: text (rich), JSON (versioned schema) and GitHub workflow commands.

Renderers never re-derive facts: they format what the findings carry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from docsync import __version__
from docsync.models import Diagnostic, Finding, Provenance, Severity
from docsync.sinks import for_terminal, workflow_data, workflow_property
from docsync.wording import plural

if TYPE_CHECKING:
    from rich.console import Console

JSON_SCHEMA_VERSION = 2

_SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}


@dataclass(frozen=True)
class Report:
    """Everything a renderer shows about one run.

    ``reviews`` are the review prompts held back from ``findings`` (counted in the
    summary, see :func:`reviews_line`).  ``notes`` are lines about the run as a whole
    (base mode: "this change adds 5 public symbols: 3 documented, 2 not").
    """

    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    files_scanned: int
    baselined: int = 0
    verbose: bool = False
    reviews: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()


def _shown(text: str) -> str:
    """Input text for the terminal: secrets scrubbed, controls shown, rich markup escaped."""
    # rich is imported when text is rendered, not with the module (start-up time).
    from rich.markup import escape as escape_markup

    return escape_markup(for_terminal(text))


def render_text(report: Report, console: Console) -> None:
    """Print findings grouped by file, then diagnostics and a summary line.

    Args:
        report: what to show.
        console: where to print; colour follows the console's terminal detection.
    """
    for path, group in groupby(report.findings, key=lambda f: f.location.path):
        console.print(f"[bold]{_shown(path)}[/bold]")
        for finding in group:
            _print_finding(finding, console)
        console.print()
    shown = [d for d in report.diagnostics if report.verbose or d.level is not Severity.INFO]
    for diag in shown:
        level = _SEVERITY_STYLE[diag.level]
        console.print(
            f"[{level}]{diag.level.value}[/{level}]: {_shown(diag.path)}:{diag.line}: "
            f"{_shown(diag.message)}"
        )
    console.print(summary_line(report))
    for note in report.notes:
        console.print(_shown(note[:1].upper() + note[1:] + "."))


def _print_finding(finding: Finding, console: Console) -> None:
    loc = finding.location
    style = _SEVERITY_STYLE[finding.severity]
    console.print(
        f"  {_shown(loc.path)}:{loc.line}: [{style}]{finding.code}[/{style}] "
        f"[dim]{finding.slug}[/dim] {_shown(finding.symbol)}: {_shown(finding.message)}"
    )
    evidence = finding.evidence
    if evidence.documented is not None or evidence.actual is not None:
        console.print(
            f"      documented: {_shown(evidence.documented or '-')}"
            f"   actual: {_shown(evidence.actual or '-')}",
            style="dim",
        )
    if evidence.since is not None:
        console.print(f"      {_shown(evidence.since.line())}", style="dim")


def summary_line(report: Report) -> str:
    """One line that counts findings by severity, files and skipped baseline entries.

    Args:
        report: what to summarise.

    Returns:
        The summary, e.g. ``"3 findings (1 error, 2 warnings) in 12 files"``.
    """
    if report.findings:
        text = f"{findings_headline(report.findings, report.files_scanned)}."
    else:
        text = f"No drift found in {files_phrase(report.files_scanned)}."
    if report.baselined:
        text += f" {report.baselined} baselined {plural(report.baselined, 'finding')} skipped."
    if report.reviews:
        text += f" {reviews_line(report.reviews)}"
    return text


def reviews_line(reviews: Sequence[Finding]) -> str:
    """One sentence that counts the review prompts held back, and how to list them.

    Args:
        reviews: the review prompts (at least one).

    Returns:
        E.g. ``"4 changed symbols are described by docs this change did not touch;
        `--review` lists them."``
    """
    n = len({f.symbol for f in reviews})
    return (
        f"{n} changed {plural(n, 'symbol')} {'is' if n == 1 else 'are'} described by docs "
        "this change did not touch; `--review` lists them."
    )


def findings_headline(
    findings: Sequence[Finding], files_scanned: int, *, number: Callable[[int], str] = str
) -> str:
    """The count of findings by severity, and of the files scanned, in one phrase.

    Args:
        findings: The findings (at least one).
        files_scanned: How many files the run scanned.
        number: Renders the total (Markdown makes it bold).

    Returns:
        The phrase, e.g. ``"18 findings (7 errors, 9 warnings, 2 infos) in 4 files"``.
    """
    parts = [
        f"{n} {plural(n, severity.value)}"
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if (n := sum(1 for f in findings if f.severity is severity))
    ]
    total = len(findings)
    return (
        f"{number(total)} {plural(total, 'finding')} ({', '.join(parts)}) "
        f"in {files_phrase(files_scanned)}"
    )


def count_sentence(
    findings: Sequence[Finding], files_scanned: int, *, number: Callable[[int], str] = str
) -> str:
    """How many findings a run reports, as every GitHub surface states it.

    The job summary, the log line above the annotations, the pull request's summary
    comment and the ``findings`` output all count the same findings (those of the
    check, review prompts and baselined findings apart) with this one phrase.

    Args:
        findings: The findings the check reports (none is fine).
        files_scanned: How many files the check scanned.
        number: Renders the total (Markdown makes it bold).

    Returns:
        E.g. ``"2 findings (2 errors) in 1 file"``, or ``"No documentation drift in 3 files"``.
    """
    if not findings:
        return f"No documentation drift in {files_phrase(files_scanned)}"
    return findings_headline(findings, files_scanned, number=number)


def files_phrase(count: int) -> str:
    """``1 file`` or ``12 files``.

    Args:
        count: How many files.

    Returns:
        The count and the word.
    """
    return f"{count} {plural(count, 'file')}"


def finding_to_dict(finding: Finding) -> dict[str, object]:
    """The JSON object of one finding (schema version 2: ``evidence.since``).

    Args:
        finding: the finding.

    Returns:
        A JSON-ready mapping with the documented keys.
    """
    loc = finding.location
    return {
        "code": finding.code,
        "slug": finding.slug,
        "severity": finding.severity.value,
        "path": loc.path,
        "line": loc.line,
        "end_line": loc.end_line,
        "symbol": finding.symbol,
        "message": finding.message,
        "fingerprint": finding.fingerprint,
        "evidence": {
            "documented": finding.evidence.documented,
            "actual": finding.evidence.actual,
            "since": since_to_dict(finding.evidence.since),
        },
        "fix_hint": finding.fix_hint,
    }


def since_to_dict(since: Provenance | None) -> dict[str, object] | None:
    """The JSON object of a finding's provenance (``evidence.since``).

    Args:
        since: the commit that made the finding stale, if known.

    Returns:
        ``commit``, ``date``, ``author``, ``pr`` and ``summary``; ``None`` when unknown.
    """
    if since is None:
        return None
    return {
        "commit": since.commit,
        "date": since.date,
        "author": since.author,
        "pr": since.pr,
        "summary": since.summary,
    }


def render_json(report: Report) -> str:
    """The whole report as one JSON document (see docs/reference/json-output.md).

    Args:
        report: what to render.

    Returns:
        Indented JSON text ending in a newline.
    """
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "docsync", "version": __version__},
        "summary": {
            "findings": len(report.findings),
            "by_severity": {
                s.value: sum(1 for f in report.findings if f.severity is s) for s in Severity
            },
            "files_scanned": report.files_scanned,
            "baselined": report.baselined,
            "reviews_held": len(report.reviews),
            "notes": list(report.notes),
        },
        "findings": [finding_to_dict(f) for f in report.findings],
        "diagnostics": [
            {"path": d.path, "line": d.line, "level": d.level.value, "message": d.message}
            for d in report.diagnostics
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_github(report: Report) -> str:
    """GitHub Actions workflow commands, one annotation per finding and diagnostic.

    Args:
        report: what to render.

    Returns:
        Lines like ``::warning file=a.py,line=3,endLine=4,title=DS101 stale-param::...``.
    """
    lines = [_github_finding(f) for f in report.findings]
    for diag in report.diagnostics:
        if diag.level is Severity.INFO:
            continue
        props = f"file={_prop(diag.path)},line={diag.line},title=docsync"
        lines.append(f"::warning {props}::{_data(diag.message)}")
    return "".join(line + "\n" for line in lines)


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _github_finding(finding: Finding) -> str:
    loc = finding.location
    title = f"{finding.code} {finding.slug}"
    props = f"file={_prop(loc.path)},line={loc.line},endLine={loc.end_line},title={_prop(title)}"
    message = f"{finding.symbol}: {finding.message}"
    return f"::{_GITHUB_LEVEL[finding.severity]} {props}::{_data(message)}"


# Escaping rules of the GitHub Actions toolkit (issueCommand / escapeData), secrets scrubbed.
_data = workflow_data
_prop = workflow_property


def sort_findings(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Findings in report order: path, line, code, then fingerprint for ties.

    Args:
        findings: in any order.

    Returns:
        The findings, sorted deterministically.
    """
    return tuple(
        sorted(findings, key=lambda f: (f.location.path, f.location.line, f.code, f.fingerprint))
    )
