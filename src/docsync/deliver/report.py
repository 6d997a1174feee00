"""Render findings: text (rich), JSON (versioned schema) and GitHub workflow commands.

Renderers never re-derive facts: they format what the findings carry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
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


class FixBy(str, Enum):
    """Who can fix a finding: ``docsync fix`` alone, or ``docsync fix --llm``."""

    MECHANICAL = "mechanical"  # a dry run of ``docsync fix`` fixed it
    LLM = "llm"  # left by the mechanical drafter; the LLM drafter drafts its rule's fixes


FindingKey = tuple[str, str, str, int]


def finding_key(finding: Finding) -> FindingKey:
    """What tells one finding from the others of a run (code, fingerprint, path, line).

    Args:
        finding: The finding.

    Returns:
        The key under which :attr:`Report.fixes` knows it.
    """
    return (finding.code, finding.fingerprint, finding.location.path, finding.location.line)


@dataclass(frozen=True)
class Report:
    """Everything a renderer shows about one run.

    ``reviews`` are the review prompts held back from ``findings`` (counted in the
    summary, see :func:`reviews_line`).  ``notes`` are lines about the run as a whole
    (base mode: "this change adds 5 public symbols: 3 documented, 2 not").
    ``pages_checked`` counts the pages judged
    (the summary names them next to the files).  ``fixes`` says, by
    :func:`finding_key`, who can fix each finding (absent: a person);
    ``fix_command`` is the command that fixes them (``docsync fix``, with the run's
    ``--base``).
    """

    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    files_scanned: int
    baselined: int = 0
    verbose: bool = False
    reviews: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    pages_checked: int = 0
    fixes: Mapping[FindingKey, FixBy] = field(default_factory=dict)
    fix_command: str = "docsync fix"

    def fix_by(self, finding: Finding) -> FixBy | None:
        """Who can fix ``finding``: ``docsync fix``, ``--llm``, or (``None``) a person."""
        return self.fixes.get(finding_key(finding))

    def fix_counts(self) -> tuple[int, int]:
        """How many findings ``docsync fix`` fixes, and how many more ``--llm`` drafts."""
        kinds = [self.fix_by(f) for f in self.findings]
        return kinds.count(FixBy.MECHANICAL), kinds.count(FixBy.LLM)


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
            _print_finding(finding, report, console)
        console.print()
    for diag in shown_diagnostics(report.diagnostics, verbose=report.verbose):
        level = _SEVERITY_STYLE[diag.level]
        console.print(f"[{level}]{diag.level.value}[/{level}]: {_shown(_diagnostic_text(diag))}")
    console.print(summary_line(report))
    for note in report.notes:
        console.print(_shown(note[:1].upper() + note[1:] + "."))
    if report.findings:
        console.print(_shown(fixes_line(report)))


def shown_diagnostics(
    diagnostics: Sequence[Diagnostic], *, verbose: bool
) -> tuple[Diagnostic, ...]:
    """The diagnostics a run shows: warnings always, informational ones with ``-v``.

    Every command means the same by ``-v`` (``--verbose``): this.

    Args:
        diagnostics: The run's diagnostics.
        verbose: ``-v`` was given.

    Returns:
        The diagnostics to show, in their order.
    """
    return tuple(d for d in diagnostics if verbose or d.level is not Severity.INFO)


def diagnostic_line(diag: Diagnostic) -> str:
    """One diagnostic as a line: ``warning: src/a.py:3: cannot parse: ...``.

    Args:
        diag: The diagnostic.

    Returns:
        The line, as input text (the sink escapes it).
    """
    return f"{diag.level.value}: {_diagnostic_text(diag)}"


def _diagnostic_text(diag: Diagnostic) -> str:
    return f"{diag.path}:{diag.line}: {diag.message}"


def _print_finding(finding: Finding, report: Report, console: Console) -> None:
    # Severity and fixability are words, not only colours: CI logs and pipes have none.
    loc = finding.location
    style = _SEVERITY_STYLE[finding.severity]
    marker = r" \[*]" if report.fix_by(finding) is FixBy.MECHANICAL else ""
    console.print(
        f"  {_shown(loc.path)}:{loc.line}: [bold]{finding.code}[/bold]{marker} "
        f"[{style}]{finding.severity.value}[/{style}] [dim]{finding.slug}[/dim] "
        f"{_shown(finding.symbol)}: {_shown(finding.message)}"
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
    checked = checked_phrase(report.files_scanned, report.pages_checked)
    if report.findings:
        text = f"{findings_headline(report.findings, report.files_scanned, checked=checked)}."
    else:
        text = f"No drift found in {checked}."
    if report.baselined:
        text += f" {report.baselined} baselined {plural(report.baselined, 'finding')} skipped."
    if report.reviews:
        text += f" {reviews_line(report.reviews)}"
    return text


def fixes_line(report: Report) -> str:
    """One line that counts what ``docsync fix`` fixes, and what ``--llm`` would draft.

    Args:
        report: what to summarise (with findings).

    Returns:
        E.g. ``"[*] 2 fixable with `docsync fix` (1 more with `docsync fix --llm`)."``
    """
    mechanical, llm = report.fix_counts()
    command = f"`{report.fix_command}`"
    llm_command = f"`{report.fix_command} --llm`"
    if mechanical:
        more = f" ({llm} more with {llm_command})" if llm else ""
        return f"[*] {mechanical} fixable with {command}{more}."
    if llm:
        return f"No mechanical fix; {llm} fixable with {llm_command}."
    return "No fix available: a person decides what to change."


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
    findings: Sequence[Finding],
    files_scanned: int,
    *,
    number: Callable[[int], str] = str,
    checked: str | None = None,
) -> str:
    """The count of findings by severity, and of the files scanned, in one phrase.

    Args:
        findings: The findings (at least one).
        files_scanned: How many files the run scanned.
        number: Renders the total (Markdown makes it bold).
        checked: What was checked, instead of ``files_scanned`` files
            (:func:`checked_phrase`).

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
        f"in {checked or files_phrase(files_scanned)}"
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


def checked_phrase(files: int, pages: int) -> str:
    """What a run judged: ``3 files``, ``2 pages``, or ``3 files and 2 pages``.

    Args:
        files: How many Python files.
        pages: How many pages.

    Returns:
        The phrase; the files alone when no page was checked.
    """
    if not pages:
        return files_phrase(files)
    if not files:
        return f"{pages} {plural(pages, 'page')}"
    return f"{files_phrase(files)} and {pages} {plural(pages, 'page')}"


def files_phrase(count: int) -> str:
    """``1 file`` or ``12 files``.

    Args:
        count: How many files.

    Returns:
        The count and the word.
    """
    return f"{count} {plural(count, 'file')}"


def finding_to_dict(finding: Finding, fix: FixBy | None = None) -> dict[str, object]:
    """The JSON object of one finding (schema version 2: ``evidence.since``, ``fix``).

    Args:
        finding: the finding.
        fix: who can fix it (``None``: a person).

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
        "fix": fix.value if fix is not None else None,
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
            "pages_checked": report.pages_checked,
            "fixable": dict(zip(("mechanical", "llm"), report.fix_counts(), strict=True)),
        },
        "findings": [finding_to_dict(f, report.fix_by(f)) for f in report.findings],
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
