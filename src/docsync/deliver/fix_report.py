"""What a fix run did, and its plain-text report.

:class:`FixResult` is what :func:`docsync.commands.fix.run_fix` returns and what
``docsync pr`` and ``docsync review`` deliver; :func:`render_fix_text` is the report
``docsync fix`` prints: one line per finding, a table per rule, then LLM usage.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from docsync.config import Config
from docsync.draft.llm.summary import LLMSummary
from docsync.models import Diagnostic, Edit, Finding
from docsync.wording import plural

__all__ = ["FixResult", "RuleTally", "render_fix_text"]


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
    ``diagnostics`` are the check's problems with the input (unparsable or skipped files).
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
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def fixed(self) -> tuple[Finding, ...]:
        """Every finding an applied edit fixed."""
        return tuple(f for edit in self.edits_applied for f in edit.findings)

    @property
    def llm_cost(self) -> float | None:
        """The estimated LLM cost in US dollars; ``None`` when LLM drafting spent nothing."""
        if self.llm is None or self.llm.cost <= 0:
            return None
        return self.llm.cost

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
        return any(config.fails(f) for f in self.remaining())

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
    fixed = len(result.fixed)
    lines.append(
        f"{done.capitalize()}: {fixed} {plural(fixed, 'finding')} in {files} "
        f"{plural(files, 'file')}; left for a person: {len(result.left_for_person)}; "
        f"failed: {len(result.failed)}."
    )
    if result.llm is not None:
        lines += result.llm.render()
    return "\n".join(lines) + "\n"


def _finding_line(status: str, finding: Finding, note: str) -> str:
    where = f"{finding.location.path}:{finding.location.line}"
    text = f"{status:<8}{where}  {finding.code}  {finding.message}"
    return f"{text} ({note})" if note else text
