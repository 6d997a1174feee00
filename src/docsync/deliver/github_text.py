"""Render what a delivery says on GitHub: commit messages, PR bodies, suggestions, summaries.

Everything here is pure: values in, Markdown (or plain text) out.  Text from the
repository (paths, messages, reasons) goes through :mod:`docsync.deliver.markdown_escape`,
so it shows as written and mentions, links or HTML in it stay inert.  The hidden
markers (:data:`PR_MARKER`, :data:`SUMMARY_MARKER`, :data:`SUGGESTION_MARKER`) let
a later run find what an earlier run wrote, so a second run edits instead of
posting again.  Links point at lines of a commit
(``https://<host>/<owner>/<repo>/blob/<sha>/<path>#L10-L12``); for Markdown files
``?plain=1`` makes GitHub show the source, where line anchors work.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from docsync.deliver.markdown_escape import cell, code_span, fence, html_text, inline
from docsync.deliver.report import count_sentence, reviews_line
from docsync.models import Edit, Finding
from docsync.wording import plural

__all__ = [
    "FORK_TOKEN_NOTE",
    "PR_MARKER",
    "SUGGESTION_MARKER",
    "SUMMARY_MARKER",
    "FollowUp",
    "LineChange",
    "LineShift",
    "Links",
    "PullReport",
    "ReviewSummary",
    "commit_message",
    "nothing_written",
    "pull_body",
    "review_body",
    "since_markdown",
    "suggestion_body",
    "summary_body",
]

PR_MARKER = "<!-- docsync:pr -->"
SUMMARY_MARKER = "<!-- docsync:summary -->"
SUGGESTION_MARKER = "<!-- docsync:suggestion -->"

FORK_TOKEN_NOTE = (
    "The pull request comes from a fork: GitHub gives the workflows of a fork's pull "
    "requests a read-only GITHUB_TOKEN, whatever the workflow's `permissions` say."
)
"""Said after a refused write, and only when the pull request comes from a fork."""

#: GitHub refuses bodies over 65,536 characters; tables stop well before that.
BODY_LIMIT = 60_000
_MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class Links:
    """Where links point: a repository's web address and one commit in it."""

    web_url: str
    sha: str

    def lines(self, path: str, start: int, end: int | None = None) -> str:
        """The address of lines ``start``-``end`` of ``path`` at the commit.

        Args:
            path: The repo-relative POSIX path.
            start: The first line (1-based).
            end: The last line; ``None`` or ``start`` for one line.

        Returns:
            The URL, with ``#L10`` or ``#L10-L12``.
        """
        anchor = f"#L{start}" if end is None or end <= start else f"#L{start}-L{end}"
        plain = "?plain=1" if path.endswith(_MARKDOWN_SUFFIXES) else ""
        return f"{self.web_url.rstrip('/')}/blob/{self.sha}/{quote(path)}{plain}{anchor}"

    def commit(self, sha: str) -> str:
        """The address of a commit of the repository.

        Args:
            sha: The commit's sha.

        Returns:
            The URL.
        """
        return f"{self.web_url.rstrip('/')}/commit/{quote(sha)}"

    def pull(self, number: int) -> str:
        """The address of a pull request of the repository.

        Args:
            number: The pull request's number.

        Returns:
            The URL.
        """
        return f"{self.web_url.rstrip('/')}/pull/{number}"


def since_markdown(finding: Finding, links: Links | None, *, in_table: bool = False) -> str:
    """A finding's provenance as Markdown, with links when there is a repository.

    Args:
        finding: The finding.
        links: Where links point; ``None`` for plain text.
        in_table: Escape the commit subject for a table cell.

    Returns:
        ``stale since [3f2a1c9](…) (2025-04-18, PR [#12](…)): subject``, or "" when unknown.
    """
    since = finding.evidence.since
    if since is None:
        return ""
    short = re.sub(r"[^0-9a-f]", "", since.commit.lower())[:7]
    date = re.sub(r"[^0-9-]", "", since.date[:10])
    commit = f"[`{short}`]({links.commit(since.commit)})" if links else f"`{short}`"
    pr = ""
    if since.pr is not None:
        pr = f", PR [#{since.pr}]({links.pull(since.pr)})" if links else f", PR #{since.pr}"
    return f"stale since {commit} ({date}{pr}): {inline(since.summary, in_table=in_table)}"


class LineShift:
    """Maps line numbers of files before edits to the same places after them.

    Edits change the number of lines of a file, so a line below an edit moves by
    the lines the edits above it added or removed.
    """

    def __init__(self, edits: Iterable[Edit]) -> None:
        """Index the edits by file.

        Args:
            edits: The edits applied; spans of one file must not overlap.
        """
        self._by_path: dict[str, list[Edit]] = defaultdict(list)
        for edit in edits:
            self._by_path[edit.path].append(edit)
        for found in self._by_path.values():
            found.sort(key=lambda e: e.line)

    def span(self, edit: Edit) -> tuple[int, int]:
        """The lines an applied edit's new text occupies.

        Args:
            edit: One of the edits given to the constructor.

        Returns:
            The first and last line (equal when the new text is one line or empty).
        """
        start = edit.line + self._offset(edit.path, edit.line)
        end = edit.end_line + self._offset(edit.path, edit.line) + _delta(edit)
        return start, max(start, end)

    def line(self, path: str, line: int) -> int:
        """Where a line of the old file is in the new one.

        Args:
            path: The file.
            line: A line of the file before the edits.

        Returns:
            Its line after the edits (the start of an edit's new text for a line
            inside that edit).
        """
        for edit in self._by_path.get(path, ()):
            if edit.line <= line <= edit.end_line:
                return self.span(edit)[0]
        return line + self._offset(path, line)

    def _offset(self, path: str, line: int) -> int:
        return sum(_delta(e) for e in self._by_path.get(path, ()) if e.end_line < line)


def _delta(edit: Edit) -> int:
    return edit.new_text.count("\n") - edit.old_text.count("\n")


@dataclass(frozen=True)
class LineChange:
    """A change to whole lines of a file, as a suggestion or a listed change shows it.

    ``start``/``end`` are the lines replaced (1-based, inclusive, at the commit the
    change was computed on); ``old``/``new`` the lines before and after, without
    their line endings.
    """

    path: str
    start: int
    end: int
    old: tuple[str, ...]
    new: tuple[str, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class PullReport:
    """What a docsync pull request's body tells.

    ``fixed`` are the edits committed, ``left`` the findings left for a person and
    ``failed`` those whose fix failed, each with its reason.  ``links`` point at
    the branch's commit.  ``cost`` is the LLM cost in US dollars, when there was one.
    """

    fixed: tuple[Edit, ...]
    left: tuple[tuple[Finding, str], ...]
    failed: tuple[tuple[Finding, str], ...]
    links: Links
    cost: float | None = None


@dataclass(frozen=True)
class FollowUp:
    """A pull request docsync opened (or updated) for changes outside a PR's diff."""

    number: int
    url: str
    branch: str


@dataclass(frozen=True)
class ReviewSummary:
    """What the sticky summary comment on a reviewed pull request tells.

    ``findings`` and ``files_scanned`` are the check's, counted as the job summary
    and ``docsync check`` count them (see :func:`~docsync.deliver.report.count_sentence`),
    with ``reviews`` the review prompts it held back.  ``suggested`` are the changes
    inside the diff (suggested on it, now or by an earlier run); ``outside`` those
    outside it, delivered in ``follow_up`` or, when that is ``None``, listed with
    ``why_listed``.  A fix may split one finding into the entries it mends (DS501),
    so these count changes, not findings.
    """

    head_sha: str
    suggested: tuple[LineChange, ...]
    outside: tuple[LineChange, ...]
    follow_up: FollowUp | None
    why_listed: str | None
    left: tuple[tuple[Finding, str], ...]
    failed: tuple[tuple[Finding, str], ...]
    links: Links
    findings: tuple[Finding, ...]
    files_scanned: int
    reviews: tuple[Finding, ...] = ()
    cost: float | None = None


def commit_message(prefix: str, edits: Sequence[Edit]) -> str:
    """The message of the commit that applies ``edits``: a subject, then one line per finding.

    Args:
        prefix: Put before the subject (``docs:``); may be empty.
        edits: The edits committed.

    Returns:
        The message, ending with a newline.
    """
    findings = [(edit.path, f) for edit in edits for f in edit.findings]
    count = len(findings)
    subject = f"fix {count} documentation {plural(count, 'finding')} found by docsync"
    lines = [f"{prefix.strip()} {subject}".strip(), ""]
    for path, finding in sorted(findings, key=lambda item: (item[0], item[1].location.line)):
        lines.append(f"- {path}:{finding.location.line} {finding.code} {finding.message}")
    return "\n".join(lines) + "\n"


def pull_body(report: PullReport) -> str:
    """The body of docsync's pull request.

    Args:
        report: What was fixed, what is left, and where the links point.

    Returns:
        Markdown starting with :data:`PR_MARKER`, at most :data:`BODY_LIMIT` long.
    """
    shift = LineShift(report.fixed)
    count = sum(len(e.findings) for e in report.fixed)
    files = len({e.path for e in report.fixed})
    head = [
        PR_MARKER,
        f"docsync fixed **{count}** documentation {plural(count, 'finding')} in **{files}** "
        f"{plural(files, 'file')}: docstrings and pages that no longer matched the code.",
        "",
    ]
    rows = []
    for edit in sorted(report.fixed, key=lambda e: (e.path, e.line)):
        start, end = shift.span(edit)
        where = _where(report.links, edit.path, start, end)
        rows += [
            f"| {where} | {_rule(f)} | {cell(f.message)} | {_why(f, report.links)} "
            f"| {cell(edit.origin)} |"
            for f in edit.findings
        ]
    header = "| Where | Rule | What was fixed | Why | Drafted by |\n|---|---|---|---|---|"
    table = _table(header, rows)
    tail = _remaining(report.left, report.failed, report.links, shift)
    tail += _cost(report.cost)
    tail += [
        "",
        "<sub>Opened by docsync. A later run updates this branch and this description.</sub>",
    ]
    return _fit(head, table, tail)


def suggestion_body(change: LineChange) -> str:
    """A review comment that suggests ``change`` (applied with one click).

    Args:
        change: The lines to replace and their replacement.

    Returns:
        Markdown with the findings and a ``suggestion`` block.
    """
    reasons = "\n".join(
        f"- {_rule(f)}: {inline(f.message)}"
        + (f" ({since})" if (since := since_markdown(f, None)) else "")
        for f in change.findings
    )
    return f"{SUGGESTION_MARKER}\n**docsync** suggests:\n{reasons}\n\n" + fence(
        "\n".join(change.new), "suggestion"
    )


def nothing_written(reason: str, *, after: str = "", fork: bool = False) -> str:
    """The one sentence that says a refused write left GitHub as it was, and why.

    Args:
        reason: Why GitHub (or git) refused, e.g. a refused request and the
            permission the token lacks.
        after: What was written before the refusal (``"the review"``); empty when
            nothing was.
        fork: The pull request comes from a fork: add :data:`FORK_TOKEN_NOTE`.

    Returns:
        E.g. ``"Nothing was written to GitHub: the token may not push to o/r (...)."``
    """
    if after:
        head = f"Nothing more was written to GitHub after {after}"
    else:
        head = "Nothing was written to GitHub"
    text = f"{head}: {reason.strip().rstrip('.')}."
    return f"{text} {FORK_TOKEN_NOTE}" if fork else text


def review_body(count: int) -> str:
    """The body of the one review that carries the suggestions.

    Args:
        count: How many suggestions the review carries.

    Returns:
        One sentence.
    """
    return (
        f"docsync suggests {count} {plural(count, 'change')} to keep the documentation in step "
        "with the code; each can be applied with one click."
    )


def summary_body(summary: ReviewSummary) -> str:
    """The sticky summary comment of a reviewed pull request.

    Args:
        summary: The state of the pull request's docs at its head commit.

    Returns:
        Markdown starting with :data:`SUMMARY_MARKER`.
    """
    head = [SUMMARY_MARKER, "### docsync", ""]
    short = summary.head_sha[:7]
    count = count_sentence(summary.findings, summary.files_scanned, number=lambda n: f"**{n}**")
    work = (summary.suggested, summary.outside, summary.left, summary.failed)
    if not summary.findings and not any(work):
        head.append(f"{count} at {short}: the docs match the code.")
        if summary.reviews:
            head += ["", inline(reviews_line(summary.reviews))]
        return "\n".join(head) + "\n"
    head.append(f"{count} at {short}.")
    if summary.reviews:
        head += ["", inline(reviews_line(summary.reviews))]
    head.append("")
    if summary.suggested:
        n = len(summary.suggested)
        head.append(
            f"- **{n}** suggested {plural(n, 'change')} on the diff: "
            f"apply {'it' if n == 1 else 'them'} from *Files changed*."
        )
    rows: list[str] = []
    if summary.outside and summary.follow_up is not None:
        n, up = len(summary.outside), summary.follow_up
        head.append(
            f"- **{n}** {plural(n, 'change')} outside the diff, in #{up.number} "
            f"({code_span(up.branch)} into this branch): {up.url}"
        )
    elif summary.outside:
        n = len(summary.outside)
        why = f" ({inline(summary.why_listed)})" if summary.why_listed else ""
        head.append(f"- **{n}** {plural(n, 'change')} outside the diff, listed below{why}.")
        rows = [_listed(summary.links, change) for change in summary.outside]
    if summary.left:
        head.append(f"- **{len(summary.left)}** left for a person, see below.")
    if summary.failed:
        head.append(f"- **{len(summary.failed)}** whose fix failed, see below.")
    tail = _remaining(summary.left, summary.failed, summary.links, LineShift(()))
    tail += _cost(summary.cost)
    return _fit([*head, ""], rows, tail)


def _why(finding: Finding, links: Links) -> str:
    """A table cell with the finding's provenance ("" when unknown)."""
    return since_markdown(finding, links, in_table=True)


def _rule(finding: Finding) -> str:
    return f"{finding.code} `{finding.slug}`"


def _where(links: Links, path: str, start: int, end: int) -> str:
    lines = f"L{start}" if end <= start else f"L{start}-L{end}"
    return f"[{code_span(path, in_table=True)} {lines}]({links.lines(path, start, end)})"


def _table(header: str, rows: list[str]) -> list[str]:
    return [header, *rows] if rows else []


def _remaining(
    left: Sequence[tuple[Finding, str]],
    failed: Sequence[tuple[Finding, str]],
    links: Links,
    shift: LineShift,
) -> list[str]:
    out: list[str] = []
    for title, items in (("Left for a person", left), ("Could not be fixed", failed)):
        if not items:
            continue
        out += ["", f"#### {title} ({len(items)})", "", "| Where | Rule | Finding | Why |"]
        out.append("|---|---|---|---|")
        for finding, reason in sorted(
            items, key=lambda i: (i[0].location.path, i[0].location.line)
        ):
            line = shift.line(finding.location.path, finding.location.line)
            where = _where(links, finding.location.path, line, line)
            why = cell(reason) or (cell(finding.fix_hint) if finding.fix_hint else "")
            since = _why(finding, links)
            why = f"{why}<br>{since}" if why and since else why or since
            out.append(f"| {where} | {_rule(finding)} | {cell(finding.message)} | {why} |")
    return out


def _listed(links: Links, change: LineChange) -> str:
    rules = ", ".join(sorted({f.code for f in change.findings}))
    where = _where(links, change.path, change.start, change.end)
    diff = "\n".join([*(f"-{line}" for line in change.old), *(f"+{line}" for line in change.new)])
    summary = html_text(f"{where} · {rules}")  # raw HTML: Markdown is not read there
    return f"<details><summary>{summary}</summary>\n\n{fence(diff, 'diff')}</details>\n"


def _cost(cost: float | None) -> list[str]:
    if cost is None:
        return []
    return ["", f"LLM cost of the drafts: ${cost:.4f}."]


def _fit(head: list[str], rows: list[str], tail: list[str]) -> str:
    """Join the parts, dropping table rows from the end until the body fits GitHub's limit."""
    fixed = len("\n".join(head)) + len("\n".join(tail)) + 200
    kept: list[str] = []
    used = fixed
    for row in rows:
        if used + len(row) + 1 > BODY_LIMIT:
            break
        kept.append(row)
        used += len(row) + 1
    dropped = len(rows) - len(kept)
    if dropped:
        kept.append(f"\n… and {dropped} more (see the commit message or run docsync locally).")
    return "\n".join([*head, *kept, *tail]).strip() + "\n"
