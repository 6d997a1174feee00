"""What ``docsync action`` writes for GitHub Actions: the job summary and the step outputs.

Both are pure renderings of values the run produced (see :mod:`docsync.action.main`),
with text from the repository escaped by :mod:`docsync.deliver.markdown_escape`:
:func:`summary_markdown` makes the Markdown of the job summary (counts, a table of
findings linking to their lines, what was delivered, what was skipped and why), and
:func:`format_outputs` the text appended to ``GITHUB_OUTPUT``: ``name=value`` lines,
or the delimiter form (``name<<ghadelimiter_<uuid>`` ... ``ghadelimiter_<uuid>``) for a
value that spans lines, as the Actions toolkit writes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from docsync.deliver.github_text import LineChange, Links, since_markdown
from docsync.deliver.markdown_escape import cell, code_span, inline
from docsync.deliver.report import count_sentence, reviews_line
from docsync.models import Diagnostic, Finding, Severity
from docsync.wording import plural

__all__ = [
    "MAX_TABLE_ROWS",
    "StepFile",
    "SummaryView",
    "append_file",
    "format_outputs",
    "summary_markdown",
]

MAX_TABLE_ROWS = 200
"""Findings listed in the summary's table; GitHub caps a job summary at 1 MiB."""


@dataclass(frozen=True)
class SummaryView:
    """Everything the job summary shows about one run.

    ``findings`` have repository-relative paths; ``links`` point at the commit they
    were found on (``None``: no links).  ``scope`` says what was checked (the whole
    project, or the change since a commit); ``delivered`` and ``skipped`` are lines
    saying what was written to GitHub and what was not done, and why.  ``reviews``
    are the review prompts held back from ``findings`` (counted in one line).
    ``pending`` names the delivery under way when the summary is written before
    it (empty otherwise); ``failure`` says why the delivery failed.  ``outside``
    are a review's changes outside the pull request's diff, ``outside_where``
    where they went (a clause that follows "they were"), ``outside_links`` links
    to the commit whose lines they refer to (the pull request's head).
    ``notes`` are lines about the run as a whole (the public API a change adds).
    """

    title: str
    scope: str
    findings: tuple[Finding, ...]
    files_scanned: int
    baselined: int = 0
    diagnostics: tuple[Diagnostic, ...] = ()
    links: Links | None = None
    delivered: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    cost: float | None = None
    reviews: tuple[Finding, ...] = ()
    pending: str = ""
    failure: str | None = None
    outside: tuple[LineChange, ...] = ()
    outside_where: str = ""
    outside_links: Links | None = None
    notes: tuple[str, ...] = ()


def summary_markdown(view: SummaryView) -> str:
    """The job summary of a run.

    Args:
        view: What the run found, delivered and skipped.

    Returns:
        Markdown ending with a newline.
    """
    lines = [f"## docsync: {view.title}", "", _headline(view), ""]
    if view.findings:
        lines += _table(view.findings, view.links)
    if view.reviews:
        lines += [inline(reviews_line(view.reviews)), ""]
    lines += [x for note in view.notes for x in (inline(note[:1].upper() + note[1:] + "."), "")]
    if view.delivered:
        lines += ["### Delivered", "", *(f"- {inline(d)}" for d in view.delivered), ""]
    if view.outside:
        lines += _outside(view)
    if view.pending:
        lines += [
            "### Delivery",
            "",
            f"{inline(view.pending)}: under way. If this line stays, the step stopped before "
            "the delivery finished; the findings above are complete.",
            "",
        ]
    if view.failure is not None:
        lines += [
            "### Delivery failed",
            "",
            "The check ran and found what is above; then the delivery failed:",
            "",
            f"- {inline(view.failure)}",
            "",
        ]
    if view.cost is not None:
        lines += [f"LLM drafting: estimated cost ${view.cost:.4f}.", ""]
    skipped = list(view.skipped)
    if view.baselined:
        n = view.baselined
        skipped.append(
            f"{n} {plural(n, 'finding')} listed in the baseline file "
            "(recorded with `docsync baseline`)."
        )
    shown = [d for d in view.diagnostics if d.level is not Severity.INFO]
    skipped += [f"{code_span(d.path)}:{d.line}: {d.message}" for d in shown]
    if skipped:
        lines += ["### Skipped", "", *(f"- {inline(s)}" for s in skipped), ""]
    return "\n".join(lines)


def _headline(view: SummaryView) -> str:
    count = count_sentence(view.findings, view.files_scanned, number=lambda n: f"**{n}**")
    return f"{count} ({view.scope})."


def _outside(view: SummaryView) -> list[str]:
    """What the changes outside the diff are, and where they went."""
    n = len(view.outside)
    lines = [
        "### Changes outside the diff",
        "",
        f"{n} {plural(n, 'change')} {'falls' if n == 1 else 'fall'} outside the pull "
        "request's diff, where GitHub takes no suggestion; "
        f"{'it was' if n == 1 else 'they were'} {inline(view.outside_where)}.",
        "",
    ]
    for change in view.outside[:MAX_TABLE_ROWS]:
        span = f"{change.path}:{change.start}" + (
            f"-{change.end}" if change.end > change.start else ""
        )
        where = code_span(span)
        if view.outside_links is not None:
            where = f"[{where}]({view.outside_links.lines(change.path, change.start, change.end)})"
        fixes = "; ".join(f"{f.code} `{f.slug}` {inline(f.message)}" for f in change.findings)
        lines.append(f"- {where}: {fixes}" if fixes else f"- {where}")
    if n > MAX_TABLE_ROWS:
        lines.append(f"- …and {n - MAX_TABLE_ROWS} more.")
    return [*lines, ""]


def _table(findings: Sequence[Finding], links: Links | None) -> list[str]:
    rows = ["| Severity | Rule | Where | Symbol | Message |", "|---|---|---|---|---|"]
    for finding in findings[:MAX_TABLE_ROWS]:
        loc = finding.location
        where = f"{loc.path}:{loc.line}"
        if links is not None:
            target = links.lines(loc.path, loc.line, loc.end_line)
            where = f"[{code_span(where, in_table=True)}]({target})"
        else:
            where = code_span(where, in_table=True)
        rows.append(
            f"| {finding.severity.value} | {finding.code} `{finding.slug}` | {where} "
            f"| {code_span(finding.symbol, in_table=True)} | {cell(finding.message)}"
            f"{_since(finding, links)} |"
        )
    if len(findings) > MAX_TABLE_ROWS:
        more = len(findings) - MAX_TABLE_ROWS
        rows.append(f"\n…and {more} more: the annotations and the step's log list all of them.")
    return [*rows, ""]


def _since(finding: Finding, links: Links | None) -> str:
    """The finding's provenance under its message, in the same cell ("" when unknown)."""
    since = since_markdown(finding, links, in_table=True)
    return f"<br>{since}" if since else ""


def format_outputs(outputs: Mapping[str, str], delimiter: Callable[[], str] | None = None) -> str:
    """The text to append to ``GITHUB_OUTPUT`` for ``outputs``.

    Args:
        outputs: Output name to value.
        delimiter: Makes the delimiter of a multi-line value (default:
            ``ghadelimiter_`` and a random UUID, as the Actions toolkit does).

    Returns:
        One ``name=value`` line per single-line value; the delimiter form for the others.

    Raises:
        ValueError: A name is empty or holds ``=`` or a line break, or a value
            contains its delimiter.
    """
    make = delimiter or (lambda: f"ghadelimiter_{uuid.uuid4()}")
    parts: list[str] = []
    for name, value in outputs.items():
        if not name or "=" in name or "\n" in name or "\r" in name:
            raise ValueError(f"{name!r} is not an output name")
        if "\n" not in value and "\r" not in value:
            parts.append(f"{name}={value}\n")
            continue
        marker = make()
        if marker in value or marker in name:
            raise ValueError(f"the value of {name!r} contains its delimiter {marker!r}")
        parts.append(f"{name}<<{marker}\n{value}\n{marker}\n")
    return "".join(parts)


@dataclass(frozen=True)
class StepFile:
    """A file GitHub Actions reads after the step, and where this run's part of it starts.

    The summary and the outputs are written before the delivery and again after
    it; each write replaces this run's part and keeps what was there before.
    """

    path: Path | None
    start: int = 0

    @classmethod
    def at(cls, env: Mapping[str, str], name: str) -> StepFile:
        """The file named by the variable ``name``, from its current end.

        Args:
            env: The environment.
            name: ``GITHUB_STEP_SUMMARY`` or ``GITHUB_OUTPUT``.

        Returns:
            The file (its ``path`` is ``None`` when the variable is unset).
        """
        value = env.get(name, "").strip()
        if not value:
            return cls(None)
        path = Path(value)
        return cls(path, path.stat().st_size if path.is_file() else 0)

    def write(self, text: str) -> None:
        """Replace this run's part of the file with ``text``.

        Args:
            text: The whole of this run's part.
        """
        if self.path is None:
            return
        with self.path.open("a+b") as handle:
            handle.truncate(self.start)
        with self.path.open("r+b") as handle:
            handle.seek(self.start)
            handle.write(text.encode("utf-8"))


def append_file(path: Path, text: str) -> None:
    """Append ``text`` to a file GitHub Actions reads after the step (outputs, summary).

    Args:
        path: The file (``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``); it is created if absent.
        text: What to add.
    """
    with path.open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
