"""One target's exchange with the model: the request, at most one repair, the outcome.

A :class:`Plan` is everything decided before any request: which findings the model
is asked about, the kind of answer, the model, the transport and the prompt.  A
:class:`Conversation` turns a plan into request parameters, reads each answer
(:meth:`Conversation.accept`) and either ends with a draft outcome or asks for one
repair: the answer goes back as the assistant's turn and the validation errors as
the user's (a ``tool_result`` with ``is_error`` in tool mode).  A second answer that
fails validation ends the conversation with :class:`~docsync.draft.base.NeedsPerson`.

Nothing here touches the network; the drafter sends what :meth:`Conversation.params`
returns and hands back what came.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from anthropic.types import Message

from docsync.draft.base import (
    DocstringTarget,
    Drafted,
    DraftOutcome,
    DraftRequest,
    NeedsPerson,
    PageTarget,
)
from docsync.draft.llm.checks import Checked, check_docstring_answer, check_page_answer
from docsync.draft.llm.cost import Usage, estimate_tokens, price_of
from docsync.draft.llm.prompts import Prompt
from docsync.draft.llm.schema import (
    DocstringAnswer,
    OutputKind,
    OutputMode,
    PageAnswer,
    Verdict,
    answer_phrase,
    read_payload,
    request_shape,
)
from docsync.models import Finding, Project, Style, Symbol
from docsync.redact import scrub_secrets

__all__ = ["STILL_ACCURATE", "Conversation", "Plan", "usage_of"]

Detector = Callable[[Project, Symbol], list[Finding]]

_STOPS = {
    "refusal": "the model declined to draft this (stop_reason refusal)",
    "max_tokens": "the model's answer was cut off at max_tokens",
    "model_context_window_exceeded": "the prompt and answer do not fit the model's context window",
    "pause_turn": "the model paused its turn instead of answering",
}
_CACHE = {"type": "ephemeral"}
STILL_ACCURATE = "reviewed it: still accurate"
"""What the reason of a review the model found still accurate says, after the model's name."""


@dataclass(frozen=True)
class Plan:
    """What to ask the model about one target, decided before any request.

    ``findings`` are the findings the answer must fix (or review); ``left`` what
    this drafter leaves on the target for a person, with why.
    """

    request: DraftRequest
    findings: tuple[Finding, ...]
    left: tuple[NeedsPerson, ...]
    kind: OutputKind
    model: str
    mode: OutputMode
    prompt: Prompt
    expected_output: int
    repository_style: Style
    default_style: Style | None = None

    @property
    def key(self) -> tuple[str, int, str, tuple[str, ...]]:
        """Identifies the target and findings across the collect and replay passes."""
        target = self.request.target
        return (
            self.request.path,
            target.line,
            target.text,
            tuple(sorted(f.fingerprint for f in self.findings)),
        )

    @property
    def where(self) -> str:
        """``path:line subject (codes)``, for reports."""
        codes = ",".join(sorted({f.code for f in self.findings}))
        where = f"{self.request.path}:{self.request.target.line}"
        if self.prompt.subject != self.request.path:
            where += f" {self.prompt.subject}"
        return f"{where} ({codes})"


def usage_of(message: Message) -> Usage:
    """The token usage an answer reports.

    Args:
        message: The API's answer.

    Returns:
        Its input, output, cache-write and cache-read tokens.
    """
    usage = message.usage
    return Usage(
        usage.input_tokens,
        usage.output_tokens,
        usage.cache_creation_input_tokens or 0,
        usage.cache_read_input_tokens or 0,
    )


@dataclass
class Conversation:
    """The turns of one plan; at most two requests."""

    plan: Plan
    max_tokens: int
    detect: Detector
    messages: list[dict[str, Any]] = field(default_factory=list)
    repaired: bool = False
    usage: Usage = field(default_factory=Usage)

    def __post_init__(self) -> None:
        self.messages.append({"role": "user", "content": self.plan.prompt.user})

    def params(self) -> dict[str, Any]:
        """The ``messages.create`` parameters of the next request.

        Returns:
            Model, ``max_tokens``, the system blocks (the last one cached), the
            turns so far, and the structured-output settings.
        """
        blocks: list[dict[str, Any]] = [
            {"type": "text", "text": text} for text in self.plan.prompt.system
        ]
        blocks[-1] = {**blocks[-1], "cache_control": _CACHE}
        return {
            "model": self.plan.model,
            "max_tokens": self.max_tokens,
            "system": blocks,
            "messages": list(self.messages),
            **request_shape(self.plan.kind, self.plan.mode),
        }

    def estimated_input_tokens(self) -> int:
        """The next request's input tokens, estimated from its JSON size.

        Returns:
            The estimate.
        """
        params = self.params()
        return estimate_tokens(
            json.dumps([params["system"], params["messages"], params.get("tools")])
        ) + estimate_tokens(json.dumps(params.get("output_config", "")))

    def estimated_cost(self, *, batch: bool = False) -> float:
        """The next request's cost, estimated before sending it.

        Input is priced as a cache write (the dearest input rate), output at the
        plan's expected answer size.

        Args:
            batch: Whether it goes through the Message Batches API.

        Returns:
            The estimate in USD.
        """
        price = price_of(self.plan.model)
        estimate = Usage(cache_write_tokens=self.estimated_input_tokens())
        estimate += Usage(output_tokens=self.plan.expected_output)
        return estimate.cost(price, batch=batch)

    def accept(self, message: Message) -> DraftOutcome | None:
        """Read an answer: the outcome, or ``None`` when a repair request comes next.

        Args:
            message: The API's answer to :meth:`params`.

        Returns:
            The draft outcome, or ``None`` when the answer failed validation for the
            first time (the repair turn is then in :attr:`messages`).
        """
        self.usage += usage_of(message)
        findings = self.plan.findings
        stop = _STOPS.get(str(message.stop_reason))
        if stop is not None:
            return NeedsPerson(findings, f"{self._who()}: {stop}")
        payload, errors = self._payload(message)
        answer = errors or read_payload(self.plan.kind, payload)
        if isinstance(answer, list):
            errors = answer
        else:
            outcome = self._judge(answer)
            if not isinstance(outcome, list):
                return outcome
            errors = outcome
        if self.repaired:
            reasons = "; ".join(dict.fromkeys(_for_people(e) for e in errors))
            return NeedsPerson(
                findings,
                f"{self._who()}: its draft was wrong twice, so it was not offered: {reasons}",
            )
        self.repaired = True
        self._repair_turn(message, errors)
        return None

    def _who(self) -> str:
        return f"llm:{self.plan.model}"

    def _payload(self, message: Message) -> tuple[object, list[str]]:
        """The structured answer in a message, or the transport errors."""
        name = self.plan.kind.value
        if self.plan.mode is OutputMode.TOOL:
            calls = [b for b in message.content if b.type == "tool_use"]
            if len(calls) != 1:
                return None, [f"answer with exactly one call of the tool {name}"]
            if calls[0].name != name:
                return None, [f"the tool {_clean(calls[0].name, 60)!r} was called; call {name}"]
            return calls[0].input, []
        text = "".join(b.text for b in message.content if b.type == "text")
        return _json_object(text)

    def _judge(self, answer: DocstringAnswer | PageAnswer) -> DraftOutcome | list[str]:
        """Validate an answer; a draft outcome when it holds, else the problems."""
        plan = self.plan
        request = plan.request
        if answer.verdict is Verdict.STILL_ACCURATE:
            rationale = _clean(answer.rationale)
            return NeedsPerson(plan.findings, f"{self._who()} {STILL_ACCURATE} ({rationale})")
        target = request.target
        if isinstance(answer, DocstringAnswer) and isinstance(target, DocstringTarget):
            checked = check_docstring_answer(
                request,
                target,
                answer,
                self.detect,
                fixing=plan.findings,
                repository_style=plan.repository_style,
                default_style=plan.default_style,
            )
        elif isinstance(answer, PageAnswer) and isinstance(target, PageTarget):
            checked = check_page_answer(target, answer, plan.findings)
        else:
            checked = Checked(None, ("the answer does not match the kind of target",))
        if checked.text is None:
            return list(checked.errors)
        edit = request.edit(checked.text, plan.findings, self._who())
        return Drafted(edit, plan.left)

    def _repair_turn(self, message: Message, errors: Sequence[str]) -> None:
        """The answer as the assistant's turn, the errors as the user's (tool results if any)."""
        content = [_scrubbed(b.model_dump(mode="json", exclude_none=True)) for b in message.content]
        self.messages.append({"role": "assistant", "content": content or "(no answer)"})
        again = answer_phrase(self.plan.kind, self.plan.mode)
        text = (
            "docsync rejected this answer:\n"
            + "\n".join(f"- {_clean_block(e)}" for e in errors)
            + f"\nAnswer again {again}, fixing these problems and changing nothing else."
        )
        calls = [b.id for b in message.content if b.type == "tool_use"]
        if calls:
            results = [
                {"type": "tool_result", "tool_use_id": call, "is_error": True, "content": text}
                for call in calls
            ]
            self.messages.append({"role": "user", "content": results})
        else:
            self.messages.append({"role": "user", "content": text})


_MAX_OBJECT_STARTS = 50
"""The most ``{`` positions tried when an answer holds text around its JSON object."""


def _json_object(text: str) -> tuple[object, list[str]]:
    """The JSON answer in a text: the whole text, or the one object in it.

    A model may put a sentence (or a fenced block) around the JSON object even
    when the output format is set; that is harmless when exactly one object
    decodes from the text.  Two different objects are ambiguous and rejected.
    """
    try:
        return json.loads(text), []
    except json.JSONDecodeError as exc:
        error = f"the answer is not valid JSON ({exc.msg})"
    decoder = json.JSONDecoder()
    found: list[object] = []
    position = text.find("{")
    for _ in range(_MAX_OBJECT_STARTS):
        if position < 0:
            break
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            position = text.find("{", position + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        position = text.find("{", end)
    if len(found) == 1:
        return found[0], []
    if len(found) > 1:
        return None, ["the answer holds more than one JSON object; give exactly one"]
    return None, [error]


def _scrubbed(block: dict[str, Any]) -> dict[str, Any]:
    """An answer block with secrets scrubbed from its strings, to send back in a repair.

    Thinking blocks are left as they are: their signature covers their text, and
    the model cannot have seen a secret the prompt never held.
    """
    if block.get("type") in ("thinking", "redacted_thinking"):
        return block
    return {key: _scrub_value(value) for key, value in block.items()}


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_secrets(value)
    if isinstance(value, dict):
        return {k: _scrub_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_value(v) for v in value]
    return value


_PEOPLE_WORDS = (
    ("new_docstring ", "the draft "),
    ("the new docstring introduces", "the draft would cause"),
    ("the replacement ", "the drafted text "),
)


def _for_people(error: str) -> str:
    """A validation error as a report says it: its first line, without schema names."""
    text = error.split("\n", 1)[0].removesuffix(":")
    for internal, plain in _PEOPLE_WORDS:
        text = text.replace(internal, plain)
    return _clean(text)


def _clean_block(text: str, limit: int = 2000) -> str:
    """Model- or repository-sourced text for a repair turn: no secrets, bounded, lines kept.

    The lines after the first (the exact text to keep) are indented under the list item.
    """
    text = scrub_secrets(text)
    text = text if len(text) <= limit else text[: limit - 3] + "..."
    head, _, rest = text.partition("\n")
    head = " ".join(head.split())
    return head if not rest else head + "\n" + textwrap.indent(rest, "    ")


def _clean(text: str, limit: int = 300) -> str:
    """Model-sourced text made safe for a report line: no secrets, one line, bounded."""
    text = " ".join(scrub_secrets(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
