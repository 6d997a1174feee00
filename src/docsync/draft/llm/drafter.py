"""The LLM drafter: prose for what the mechanical drafter leaves, drafted by Claude.

:class:`LLMDrafter` implements :class:`~docsync.draft.base.Drafter`.  For each
target it plans one request (:class:`~docsync.draft.llm.turns.Plan`: the findings
it can help with, a grounded prompt, the model), talks to the model through the
real ``anthropic`` client, and offers an edit only when the answer passes every
check of :mod:`docsync.draft.llm.checks`, after at most one repair round.

The fix pipeline runs it in two passes so requests can go out together:

1. *collect*: the drafter records each target's plan and drafts nothing;
2. :meth:`LLMDrafter.draft_collected` drafts every plan -- concurrently on a thread
   pool (``llm-concurrency``), through the Message Batches API (``--batch``), or
   not at all (``--dry-run``, which keeps the prompts and their estimated cost);
3. *replay*: the pipeline runs again and the drafter answers from what was
   drafted (a target it has not seen, such as one revealed by an edit, is drafted
   on the spot).

Spending is bounded by :class:`~docsync.draft.llm.cost.Budget` (``--max-cost``): a
request whose estimated cost would take the spend past the limit is not sent,
and drafting stops.  A billing or permission error stops drafting too; drafts
made before the stop are kept.  The drafter never raises.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import anthropic
from anthropic.types import Message

from docsync.config import DEFAULT_MODEL, DEFAULT_REVIEW_MODEL, Config
from docsync.draft.base import (
    DocstringTarget,
    Drafted,
    Drafter,
    DraftFailed,
    DraftOutcome,
    DraftRequest,
    NeedsPerson,
)
from docsync.draft.llm.client import (
    KEY_MISSING,
    APIFailure,
    BatchItem,
    FailureKind,
    classify,
    has_credentials,
    make_client,
    run_batch,
)
from docsync.draft.llm.cost import Budget, Usage, estimate_tokens, price_of
from docsync.draft.llm.prompts import (
    StyleGuide,
    choose_examples,
    docstring_prompt,
    is_new_docstring,
    module_style,
    page_prompt,
    repository_style,
)
from docsync.draft.llm.schema import OutputKind, answer_phrase, output_mode
from docsync.draft.llm.summary import LLMSummary, PromptPreview
from docsync.draft.llm.turns import STILL_ACCURATE, Conversation, Plan, usage_of
from docsync.draft.mechanical.literal import DocLiteral, LiteralRefused
from docsync.models import Finding, Project, Style, Symbol
from docsync.rules.registry import REVIEW_CODES, RULES

__all__ = ["LLM_CODES", "LLMDrafter", "LLMOptions", "llm_chain"]

LLM_CODES = frozenset(rule.code for rule in RULES if rule.llm)
"""The rule codes the LLM drafter drafts (what the mechanical drafter leaves of them)."""

MAX_CONSECUTIVE_FAILURES = 3
"""Requests that may fail in a row (after the SDK's retries) before drafting stops."""

Detector = Callable[[Project, Symbol], list[Finding]]
ClientFactory = Callable[["LLMOptions"], anthropic.Anthropic]


@dataclass(frozen=True)
class LLMOptions:
    """How the LLM drafter works: models, limits, and how requests go out.

    ``timeout`` (seconds per HTTP attempt) and ``max_retries`` are handed to the
    SDK; ``poll_interval`` and ``batch_timeout`` govern ``--batch``.
    """

    model: str = DEFAULT_MODEL
    review_model: str = DEFAULT_REVIEW_MODEL
    max_cost: float | None = None
    concurrency: int = 4
    dry_run: bool = False
    batch: bool = False
    timeout: float = 120.0
    max_retries: int = 4
    max_tokens: int = 4096
    poll_interval: float = 15.0
    batch_timeout: float = 6 * 3600.0
    default_style: Style | None = None

    @classmethod
    def from_config(cls, config: Config, **overrides: Any) -> LLMOptions:
        """The options a configuration asks for.

        Args:
            config: The merged configuration (``model``, ``review-model``,
                ``max-cost``, ``llm-concurrency``, ``style``).
            **overrides: Fields to set otherwise, such as ``dry_run`` or ``batch``.

        Returns:
            The options.
        """
        values: dict[str, Any] = {
            "model": config.model,
            "review_model": config.review_model,
            "max_cost": config.max_cost,
            "concurrency": config.llm_concurrency,
            "default_style": config.style,
        }
        return cls(**{**values, **overrides})


class _Phase(str, Enum):
    COLLECT = "collect"
    REPLAY = "replay"


@dataclass
class _Tally:
    """Counters shared by the drafting threads (guarded by the drafter's lock)."""

    requests: int = 0
    usage: Usage = field(default_factory=Usage)
    cost: float = 0.0
    drafted: int = 0
    still_accurate: int = 0
    needs_person: int = 0
    failed: int = 0
    consecutive_failures: int = 0
    notes: list[str] = field(default_factory=list)


class LLMDrafter:
    """Drafts docstring and page fixes with Claude; see the module docstring."""

    def __init__(
        self,
        options: LLMOptions,
        detect: Detector,
        *,
        client: anthropic.Anthropic | None = None,
        collect: bool = False,
    ) -> None:
        """Prepare a drafter.

        Args:
            options: Models, limits and the way requests go out.
            detect: Runs the run's rules on one symbol (validation and examples).
            client: The SDK client; made from the environment when needed if omitted.
            collect: Start in the collect phase (record plans, draft nothing).
        """
        self.options = options
        self.detect = _serialised(detect)
        self.budget = Budget(options.max_cost)
        self._client = client
        self._phase = _Phase.COLLECT if collect else _Phase.REPLAY
        self._plans: dict[tuple[str, int, str, tuple[str, ...]], Plan] = {}
        self._drafted: dict[tuple[str, int, str, tuple[str, ...]], DraftOutcome] = {}
        self._previews: list[PromptPreview] = []
        self._guides: dict[Style, StyleGuide] = {}
        self._repository_style: Style | None = None
        self._stopped: str | None = None
        self._lock = threading.Lock()
        self._tally = _Tally()

    @property
    def name(self) -> str:
        """``llm:<model>``."""
        return f"llm:{self.options.model}"

    def fixes(self, code: str) -> bool:
        """Whether this drafter drafts findings of ``code``.

        Args:
            code: A rule code.

        Returns:
            True for :data:`LLM_CODES`.
        """
        return code in LLM_CODES

    def draft(self, request: DraftRequest) -> DraftOutcome:
        """Draft (or, in the collect phase, plan) the fix of one target.

        Args:
            request: The target and the findings earlier drafters left.

        Returns:
            The outcome; never raises.
        """
        try:
            plan = self._plan(request)
            if not isinstance(plan, Plan):
                return plan
            if self._phase is _Phase.COLLECT:
                self._plans.setdefault(plan.key, plan)
                return NeedsPerson(request.findings, "waiting for the LLM drafter")
            if plan.key in self._drafted:
                return self._drafted[plan.key]
            if self.options.dry_run or self.options.batch:
                return NeedsPerson(plan.findings, f"{self.name}: not drafted in this run")
            return self._converse(plan)
        except Exception as exc:  # the protocol: one target's bug must not end the run
            return DraftFailed(request.findings, f"{self.name}: {type(exc).__name__}: {exc}")

    def draft_collected(self) -> None:
        """Draft every collected plan, then switch to the replay phase.

        Live requests run on a thread pool of ``concurrency`` workers; ``--batch``
        sends them through the Message Batches API; ``--dry-run`` only keeps the
        prompts with their estimated cost.
        """
        plans = list(self._plans.values())
        self._phase = _Phase.REPLAY
        if self.options.dry_run:
            self._preview(plans)
        elif self.options.batch:
            self._draft_batch(plans)
        elif plans:
            workers = max(1, min(self.options.concurrency, len(plans)))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="docsync-llm") as pool:
                outcomes = list(pool.map(self._converse_safely, plans))
            for plan, outcome in zip(plans, outcomes, strict=True):
                self._drafted[plan.key] = outcome

    def summary(self) -> LLMSummary:
        """What drafting did so far.

        Returns:
            The requests, tokens, estimated cost, outcomes and notes.
        """
        with self._lock:
            t = self._tally
            return LLMSummary(
                model=self.options.model,
                requests=t.requests,
                usage=t.usage,
                cost=t.cost,
                drafted=t.drafted,
                still_accurate=t.still_accurate,
                needs_person=t.needs_person,
                failed=t.failed,
                notes=tuple(t.notes),
                previews=tuple(self._previews),
                batch=self.options.batch,
            )

    # --- planning --------------------------------------------------------------------

    def _plan(self, request: DraftRequest) -> Plan | DraftOutcome:
        handled = tuple(f for f in request.findings if self.fixes(f.code))
        others = tuple(f for f in request.findings if not self.fixes(f.code))
        left = (NeedsPerson(others, "not a finding the LLM drafter drafts"),) if others else ()
        if not handled:
            return NeedsPerson(request.findings, "not a finding the LLM drafter drafts")
        reviews = tuple(f for f in handled if f.code in REVIEW_CODES)
        fixes = tuple(f for f in handled if f.code not in REVIEW_CODES)
        if fixes and reviews:
            reason = "drafted with other fixes of this text: a person should confirm it still holds"
            left = (*left, NeedsPerson(reviews, reason))
        target = request.target
        findings = fixes or reviews
        allowed: Style | None = None
        review = not fixes
        model = self.options.review_model if review else self.options.model
        if isinstance(target, DocstringTarget):
            symbol = target.symbol
            if symbol.docstring is None:
                return NeedsPerson(request.findings, "the symbol has no docstring to edit")
            try:
                DocLiteral.read(target.literal, target.line)
            except LiteralRefused as exc:
                return NeedsPerson(request.findings, str(exc))
            kind = OutputKind.REVIEW_DOCSTRING if review else OutputKind.DOCSTRING
            style = symbol.docstring.style
            if is_new_docstring(symbol, findings):  # written as its neighbours are
                style = module_style(request.project, request.path) or style
            guide = self._guide(request, style)
            if is_new_docstring(symbol, findings):
                allowed = guide.style  # the style a blank docstring may take
            answer = answer_phrase(kind, output_mode(model))
            prompt = docstring_prompt(request.with_findings(findings), symbol, kind, guide, answer)
            expected = 2 * estimate_tokens(target.literal) + 300
        else:
            kind = OutputKind.REVIEW_PAGE if review else OutputKind.PAGE
            answer = answer_phrase(kind, output_mode(model))
            prompt = page_prompt(request.with_findings(findings), target, kind, answer)
            expected = 2 * estimate_tokens(target.text) + 300
        return Plan(
            request=request,
            findings=findings,
            left=left,
            kind=kind,
            model=model,
            mode=output_mode(model),
            prompt=prompt,
            expected_output=min(expected, self.options.max_tokens),
            repository_style=allowed or self._repository_style or Style.GOOGLE,
            default_style=self.options.default_style,
        )

    def _guide(self, request: DraftRequest, style: Style) -> StyleGuide:
        """The style block for ``style``, computed once per run (so it stays cacheable)."""
        with self._lock:
            if self._repository_style is None:
                self._repository_style = repository_style(request.project)
            wanted = style if style is not Style.PLAIN else self._repository_style
            if wanted not in self._guides:
                examples = choose_examples(request.project, wanted, self.detect)
                self._guides[wanted] = StyleGuide(wanted, examples)
            return self._guides[wanted]

    # --- live requests ---------------------------------------------------------------

    def _converse_safely(self, plan: Plan) -> DraftOutcome:
        try:
            return self._converse(plan)
        except Exception as exc:  # a worker must hand back an outcome, whatever happened
            return DraftFailed(plan.findings, f"{self.name}: {type(exc).__name__}: {exc}")

    def _converse(self, plan: Plan) -> DraftOutcome:
        """Run one plan's conversation to its outcome, request by request."""
        conversation = Conversation(plan, self.options.max_tokens, self.detect)
        while True:
            stopped = self._stop_reason()
            if stopped is not None:
                return self._count(NeedsPerson(plan.findings, stopped))
            estimate = conversation.estimated_cost()
            if not self.budget.reserve(estimate):
                return self._count(NeedsPerson(plan.findings, self._over_budget(estimate)))
            try:
                message = self._client_or_new().messages.create(**conversation.params())
            except Exception as exc:
                self.budget.settle(estimate, 0.0)
                return self._count(self._failure(plan, classify(exc)))
            self._record(plan.model, message, estimate)
            outcome = conversation.accept(message)
            if outcome is not None:
                return self._count(outcome)

    def _client_or_new(self) -> anthropic.Anthropic:
        with self._lock:
            if self._client is None:
                self._client = make_client(
                    timeout=self.options.timeout, max_retries=self.options.max_retries
                )
            return self._client

    def _record(
        self, model: str, message: Message, estimate: float, *, batch: bool = False
    ) -> None:
        usage = usage_of(message)
        cost = usage.cost(price_of(model), batch=batch)
        self.budget.settle(estimate, cost)
        with self._lock:
            self._tally.requests += 1
            self._tally.usage += usage
            self._tally.cost += cost
            self._tally.consecutive_failures = 0

    def _failure(self, plan: Plan, failure: APIFailure) -> DraftOutcome:
        if failure.kind is FailureKind.STOP:
            self._stop(failure.message)
            return NeedsPerson(plan.findings, failure.message)
        with self._lock:
            self._tally.consecutive_failures += 1
            too_many = self._tally.consecutive_failures >= MAX_CONSECUTIVE_FAILURES
        if too_many:
            self._stop(
                f"LLM drafting stopped after {MAX_CONSECUTIVE_FAILURES} failed requests in a "
                f"row (last: {failure.message})"
            )
        return DraftFailed(plan.findings, f"{self.name}: {failure.message}")

    def _over_budget(self, estimate: float) -> str:
        message = (
            f"LLM drafting stopped: the next request (estimated ${estimate:.4f}) would take the "
            f"spend past --max-cost {self.budget.describe()}"
        )
        self._stop(message)
        return message

    def _stop(self, message: str) -> None:
        with self._lock:
            if self._stopped is None:
                self._stopped = message
                self._tally.notes.append(message)

    def _stop_reason(self) -> str | None:
        with self._lock:
            return self._stopped

    def _count(self, outcome: DraftOutcome) -> DraftOutcome:
        with self._lock:
            if isinstance(outcome, Drafted):
                self._tally.drafted += 1
            elif isinstance(outcome, DraftFailed):
                self._tally.failed += 1
            elif STILL_ACCURATE in outcome.reason:
                self._tally.still_accurate += 1
            else:
                self._tally.needs_person += 1
        return outcome

    # --- dry run and batches -----------------------------------------------------------

    def _preview(self, plans: list[Plan]) -> None:
        for plan in plans:
            conversation = Conversation(plan, self.options.max_tokens, self.detect)
            self._previews.append(
                PromptPreview(
                    where=plan.where,
                    model=plan.model,
                    text=plan.prompt.render(),
                    input_tokens=conversation.estimated_input_tokens(),
                    output_tokens=plan.expected_output,
                    cost=conversation.estimated_cost(),
                )
            )
            self._drafted[plan.key] = NeedsPerson(plan.findings, "--dry-run: not sent")

    def _draft_batch(self, plans: list[Plan]) -> None:
        """Send the plans as a Message Batch; the repairs go in a second batch."""
        pending = {
            f"docsync-{i}": Conversation(p, self.options.max_tokens, self.detect)
            for i, p in enumerate(plans)
        }
        for round_number in range(2):
            items, reserved = [], {}
            for custom_id, conversation in pending.items():
                plan = conversation.plan
                estimate = conversation.estimated_cost(batch=True)
                stopped = self._stop_reason()
                if stopped is None and not self.budget.reserve(estimate):
                    stopped = self._over_budget(estimate)
                if stopped is not None:
                    self._drafted[plan.key] = self._count(NeedsPerson(plan.findings, stopped))
                    continue
                reserved[custom_id] = estimate
                items.append(BatchItem(f"{custom_id}-r{round_number}", conversation.params()))
            results = run_batch(
                self._client_or_new(),
                items,
                poll_interval=self.options.poll_interval,
                timeout=self.options.batch_timeout,
            )
            next_round = {}
            for custom_id, estimate in reserved.items():
                conversation = pending[custom_id]
                plan = conversation.plan
                result = results[f"{custom_id}-r{round_number}"]
                if isinstance(result, APIFailure):
                    self.budget.settle(estimate, 0.0)
                    self._drafted[plan.key] = self._count(self._failure(plan, result))
                    continue
                self._record(plan.model, result, estimate, batch=True)
                outcome = conversation.accept(result)
                if outcome is None:
                    next_round[custom_id] = conversation
                else:
                    self._drafted[plan.key] = self._count(outcome)
            pending = next_round


def llm_chain(
    options: LLMOptions,
    detect: Detector,
    chain: Sequence[Drafter],
    prepass: Callable[[tuple[Drafter, ...]], object],
) -> tuple[tuple[Drafter, ...], Callable[[], LLMSummary]]:
    """Add the LLM drafter to a chain, with its plans collected and drafted.

    Without credentials (and outside ``--dry-run``) the chain is returned as it is
    and the summary says, once, that LLM drafting was skipped.

    Args:
        options: The LLM options of the run.
        detect: Runs the run's rules on one symbol.
        chain: The drafters so far (the mechanical one first).
        prepass: Runs the fix pipeline with the given chain and writes nothing;
            the LLM drafter collects its plans during it.

    Returns:
        The chain to fix with, and a function that summarises LLM drafting
        (call it after the fix).
    """
    if not options.dry_run and not has_credentials():
        return tuple(chain), lambda: LLMSummary(options.model, notes=(KEY_MISSING,))
    drafter = LLMDrafter(options, detect, collect=True)
    extended = (*chain, drafter)
    prepass(extended)
    drafter.draft_collected()
    return extended, drafter.summary


def _serialised(detect: Detector) -> Detector:
    """``detect`` behind a lock: a rule runner may cache per-project state between calls."""
    lock = threading.Lock()

    def run(project: Project, symbol: Symbol) -> list[Finding]:
        with lock:
            return detect(project, symbol)

    return run
