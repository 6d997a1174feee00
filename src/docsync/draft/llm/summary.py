"""What LLM drafting did in one run, and the prompts a dry run shows instead of sending.

Token counts come from the API's ``usage`` of each answer; costs are estimates
from the price table of :mod:`docsync.draft.llm.cost`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docsync.draft.llm.cost import Usage
from docsync.wording import plural

__all__ = ["LLMSummary", "PromptPreview", "render_previews"]


@dataclass(frozen=True)
class PromptPreview:
    """A prompt ``--dry-run`` shows instead of sending it."""

    where: str
    model: str
    text: str
    input_tokens: int
    output_tokens: int
    cost: float


@dataclass(frozen=True)
class LLMSummary:
    """What LLM drafting did in one run: requests, tokens, estimated cost, notes."""

    model: str
    requests: int = 0
    usage: Usage = field(default_factory=Usage)
    cost: float = 0.0
    drafted: int = 0
    still_accurate: int = 0
    needs_person: int = 0
    failed: int = 0
    notes: tuple[str, ...] = ()
    previews: tuple[PromptPreview, ...] = ()
    batch: bool = False

    def render(self) -> list[str]:
        """The summary lines ``docsync fix`` prints at the end.

        Returns:
            The notes, then one line of requests, tokens and estimated cost.
        """
        lines = list(self.notes)
        if self.previews:
            lines.append(self.dry_run_totals())
        elif self.requests:
            u = self.usage
            via = " via the Message Batches API" if self.batch else ""
            lines.append(
                f"LLM ({self.model}){via}: {self.requests} {plural(self.requests, 'request')}, "
                f"{u.input_tokens:,} input tokens (+{u.cache_write_tokens:,} cache write, "
                f"+{u.cache_read_tokens:,} cache read), {u.output_tokens:,} output tokens; "
                f"estimated cost ${self.cost:.4f}. Drafts: {self.drafted} proposed, "
                f"{self.still_accurate} still accurate, {self.needs_person} for a person, "
                f"{self.failed} failed."
            )
        return lines

    def dry_run_totals(self) -> str:
        """One line of a dry run's totals: requests not sent, tokens and estimated cost.

        Returns:
            The line (``--dry-run`` prints it first, and the prompts only with ``-v``).
        """
        count = len(self.previews)
        tokens = sum(p.input_tokens for p in self.previews)
        output = sum(p.output_tokens for p in self.previews)
        cost = sum(p.cost for p in self.previews)
        return (
            f"LLM dry run: {count} {plural(count, 'request')} not sent; "
            f"~{tokens:,} input tokens, ~{output:,} output tokens; "
            f"estimated cost ${cost:.4f} (estimate)."
        )

    def to_dict(self) -> dict[str, object]:
        """The summary as JSON-ready data.

        Returns:
            Requests, token counts, estimated cost (USD) and notes.
        """
        return {
            "model": self.model,
            "requests": self.requests,
            "input_tokens": self.usage.input_tokens,
            "output_tokens": self.usage.output_tokens,
            "cache_write_tokens": self.usage.cache_write_tokens,
            "cache_read_tokens": self.usage.cache_read_tokens,
            "estimated_cost_usd": round(self.cost, 6),
            "drafted": self.drafted,
            "still_accurate": self.still_accurate,
            "needs_person": self.needs_person,
            "failed": self.failed,
            "notes": list(self.notes),
            "dry_run_requests": len(self.previews),
        }


def render_previews(summary: LLMSummary) -> str:
    """The prompts of a dry run, each under a header with its estimates.

    Args:
        summary: The run's summary.

    Returns:
        The text (empty when there are no previews).
    """
    parts = []
    count = len(summary.previews)
    for number, preview in enumerate(summary.previews, start=1):
        header = (
            f"=== prompt {number}/{count}: {preview.where}; {preview.model}; "
            f"~{preview.input_tokens:,} input tokens, ~{preview.output_tokens:,} output tokens; "
            f"estimated ${preview.cost:.4f} ==="
        )
        parts.append(f"{header}\n{preview.text}")
    return "\n".join(parts)
