"""``docsync action``: the GitHub Action's entry point, which reads the event and picks the mode.

The action (``action.yml``) hands its inputs over as ``INPUT_*`` variables; GitHub
sets ``GITHUB_EVENT_NAME``, ``GITHUB_EVENT_PATH`` (the event's payload) and the rest.
:func:`plan_action` decides, purely from the event and the inputs, what to do:

* ``pull_request`` -- check what the pull request changed (base mode, from the merge
  base with ``pull_request.base.sha``), then post review suggestions
  (:func:`~docsync.commands.review.run_review`) when the pull request comes from the
  same repository and a token is there;
* a ``pull_request`` from a fork, any ``pull_request_target`` run and a ``workflow_run``
  that follows a fork's run -- check only, in every ``mode``, unless the
  ``allow-untrusted`` input says otherwise (see :mod:`docsync.action.trust`); the
  summary says so;
* ``schedule`` and ``workflow_dispatch`` -- open or update the sync pull request
  (:func:`~docsync.commands.pr.run_pr`);
* any other event -- check the whole project.

The ``mode`` input (``check``, ``review``, ``pr``) overrides that choice.  LLM
drafting runs only for a review or the sync pull request, and only with an
Anthropic key.  :func:`run_action` then checks, prints the findings as annotations,
delivers, and writes the job summary and the step outputs (``findings``, ``fixed``,
``pr-url``, ``cost``); its exit code follows ``fail-on`` as ``docsync check`` does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docsync.action.summary import SummaryView, append_file, format_outputs, summary_markdown
from docsync.action.trust import TARGET_EVENTS, untrusted_reason
from docsync.commands.check import BaseOptions, CheckResult, run_check
from docsync.config import Config
from docsync.deliver.github_text import Links
from docsync.deliver.markdown_escape import code_span
from docsync.deliver.report import Report, render_github, sort_findings
from docsync.errors import ConfigError, DocsyncError, GitError
from docsync.models import Finding
from docsync.sinks import for_terminal, scrub_output, stop_commands

if TYPE_CHECKING:
    from docsync.commands.pr import PrOutcome
    from docsync.commands.review import ReviewOutcome
    from docsync.draft.llm.drafter import LLMOptions

__all__ = [
    "PULL_REQUEST_EVENTS",
    "SYNC_EVENTS",
    "ActionInputs",
    "ActionOutcome",
    "ActionPlan",
    "Delivery",
    "Event",
    "Mode",
    "PullRequestEvent",
    "plan_action",
    "read_event",
    "run_action",
]

PULL_REQUEST_EVENTS = frozenset({"pull_request", *TARGET_EVENTS})
"""Events whose payload carries the pull request to check and review."""
SYNC_EVENTS = frozenset({"schedule", "workflow_dispatch"})
"""Events on which the action opens or updates the sync pull request."""


class Mode(str, Enum):
    """The ``mode`` input: let the event decide, or say what to do."""

    AUTO = "auto"
    CHECK = "check"
    REVIEW = "review"
    PR = "pr"


class Delivery(str, Enum):
    """What a run delivers after the check."""

    CHECK = "check"
    REVIEW = "review"
    PR = "pr"


@dataclass(frozen=True)
class ActionInputs:
    """The action's inputs, from ``INPUT_*`` variables; empty ones are ``None``.

    The two secrets are left out of the ``repr``.  ``allow_untrusted`` lets fork and
    ``pull_request_target`` runs review, open pull requests and draft with the LLM.
    """

    mode: Mode = Mode.AUTO
    fail_on: str | None = None
    paths: tuple[str, ...] = ()
    config_file: str | None = None
    model: str | None = None
    max_cost: float | None = None
    github_token: str | None = field(default=None, repr=False)
    anthropic_api_key: str | None = field(default=None, repr=False)
    allow_untrusted: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ActionInputs:
        """Read the inputs as ``action.yml`` passes them (``INPUT_FAIL_ON``, ...).

        GitHub's own spelling for JavaScript and Docker actions (``INPUT_FAIL-ON``)
        is read too.

        Args:
            env: The environment.

        Returns:
            The inputs.

        Raises:
            ConfigError: ``mode``, ``max-cost`` or ``allow-untrusted`` has a value
                they cannot take.
        """

        def get(name: str) -> str | None:
            for key in (f"INPUT_{name.upper().replace('-', '_')}", f"INPUT_{name.upper()}"):
                value = env.get(key, "").strip()
                if value:
                    return value
            return None

        mode_text = (get("mode") or "auto").lower()
        try:
            mode = Mode(mode_text)
        except ValueError:
            choices = ", ".join(m.value for m in Mode)
            raise ConfigError(f"input 'mode' must be one of {choices}, got {mode_text!r}") from None
        return cls(
            mode=mode,
            fail_on=get("fail-on"),
            paths=tuple((get("paths") or "").split()),
            config_file=get("config"),
            model=get("model"),
            max_cost=_amount(get("max-cost")),
            github_token=get("github-token"),
            anthropic_api_key=get("anthropic-api-key"),
            allow_untrusted=_flag("allow-untrusted", get("allow-untrusted")),
        )


def _flag(name: str, text: str | None) -> bool:
    value = (text or "false").lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ConfigError(f"input {name!r} must be true or false, got {text!r}")
    return value in ("true", "1", "yes")


def _amount(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text.removeprefix("$"))
    except ValueError:
        raise ConfigError(
            f"input 'max-cost' must be an amount of US dollars such as 0.50, got {text!r}"
        ) from None


@dataclass(frozen=True)
class Event:
    """The event that started the workflow: its name and its payload."""

    name: str
    payload: Mapping[str, Any]


def read_event(env: Mapping[str, str]) -> Event:
    """The event from ``GITHUB_EVENT_NAME`` and the payload at ``GITHUB_EVENT_PATH``.

    Args:
        env: The environment.

    Returns:
        The event.

    Raises:
        ConfigError: A variable is missing, or the payload is not a JSON object.
    """
    name = env.get("GITHUB_EVENT_NAME", "").strip()
    path = env.get("GITHUB_EVENT_PATH", "").strip()
    if not name or not path:
        raise ConfigError(
            "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: docsync action runs as a "
            "step of a GitHub Actions workflow; elsewhere use docsync check, review or pr"
        )
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(
            f"{path}: cannot read the event payload (GITHUB_EVENT_PATH): {exc}"
        ) from None
    if not isinstance(payload, dict):
        raise ConfigError(f"{path}: the event payload is not a JSON object")
    return Event(name, payload)


@dataclass(frozen=True)
class PullRequestEvent:
    """The pull request of a ``pull_request`` event's payload.

    ``head_repo`` is ``None`` when the fork it came from was deleted.
    """

    number: int
    action: str
    html_url: str
    base_ref: str
    base_sha: str
    base_repo: str
    head_ref: str
    head_sha: str
    head_repo: str | None

    @property
    def from_fork(self) -> bool:
        """Whether the head branch lives in another repository than the base."""
        return self.head_repo != self.base_repo

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> PullRequestEvent:
        """Read the pull request of an event payload.

        Args:
            payload: The ``pull_request`` event's payload.

        Returns:
            The pull request.

        Raises:
            ConfigError: The payload lacks a field docsync needs.
        """
        try:
            pull = payload["pull_request"]
            base, head = pull["base"], pull["head"]
            head_repo = head.get("repo")
            return cls(
                number=int(pull["number"]),
                action=str(payload.get("action", "")),
                html_url=str(pull.get("html_url", "")),
                base_ref=str(base["ref"]),
                base_sha=str(base["sha"]),
                base_repo=str(base["repo"]["full_name"]),
                head_ref=str(head["ref"]),
                head_sha=str(head["sha"]),
                head_repo=str(head_repo["full_name"]) if head_repo else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(
                f"the pull_request event's payload lacks {exc}: is GITHUB_EVENT_PATH the "
                "payload GitHub wrote?"
            ) from None


@dataclass(frozen=True)
class ActionPlan:
    """What a run will do: the delivery, the pull request, the base, LLM drafting.

    ``base`` is the commit the check compares with (``None``: the whole project);
    ``skipped`` says what will not be done, and why, for the summary.
    """

    event: str
    delivery: Delivery
    pull: PullRequestEvent | None
    base: str | None
    llm: bool
    skipped: tuple[str, ...] = ()


_UNTRUSTED_NOTE = (
    "{what}: {reason}, so docsync checked and annotated only (no API call, no LLM). "
    "The allow-untrusted input lifts this; see the Security section of docsync's "
    "GitHub Action docs first."
)


def plan_action(
    event: Event, inputs: ActionInputs, *, has_token: bool, has_key: bool
) -> ActionPlan:
    """Decide what a run does, from the event and the inputs alone.

    Args:
        event: The workflow's event.
        inputs: The action's inputs (``mode`` overrides the event's choice).
        has_token: Whether a GitHub token is there.
        has_key: Whether an Anthropic API key is there.

    Returns:
        The plan.

    Raises:
        ConfigError: ``mode: review`` on an event without a pull request.
    """
    pull = (
        PullRequestEvent.from_payload(event.payload) if event.name in PULL_REQUEST_EVENTS else None
    )
    if inputs.mode is not Mode.AUTO:
        delivery = Delivery(inputs.mode.value)
    elif pull is not None:
        delivery = Delivery.REVIEW
    elif event.name in SYNC_EVENTS:
        delivery = Delivery.PR
    else:
        delivery = Delivery.CHECK
    skipped: list[str] = []
    if delivery is Delivery.REVIEW:
        if pull is None:
            raise ConfigError(
                f"input 'mode' is review, but the {event.name} event has no pull request: "
                "run it on pull_request, or use mode check or pr"
            )
        if pull.action == "closed":
            delivery = Delivery.CHECK
            skipped.append("Review suggestions: the pull request is closed.")
    fork = (pull.head_repo or "(deleted)") if pull is not None and pull.from_fork else None
    untrusted = untrusted_reason(event.name, event.payload, fork=fork)
    if untrusted and delivery is not Delivery.CHECK and not inputs.allow_untrusted:
        what = "Review suggestions" if delivery is Delivery.REVIEW else "The sync pull request"
        skipped.append(_UNTRUSTED_NOTE.format(what=what, reason=untrusted))
        delivery = Delivery.CHECK
    if delivery is not Delivery.CHECK and not has_token:
        skipped.append(
            f"{'Review suggestions' if delivery is Delivery.REVIEW else 'The sync pull request'}: "
            "no GitHub token (the github-token input is empty)."
        )
        delivery = Delivery.CHECK
    llm = delivery is not Delivery.CHECK and has_key
    if delivery is not Delivery.CHECK and not has_key:
        skipped.append(
            "LLM drafts: no anthropic-api-key was given, so only the mechanical fixes were "
            "drafted; the rest is left for a person."
        )
    base = pull.base_sha if pull is not None and delivery is not Delivery.PR else None
    return ActionPlan(event.name, delivery, pull, base, llm, tuple(skipped))


@dataclass(frozen=True)
class ActionOutcome:
    """What a run did: the check, the delivery's outcome, the step outputs, the exit code."""

    plan: ActionPlan
    check: CheckResult
    findings: tuple[Finding, ...]
    review: ReviewOutcome | None = None
    pr: PrOutcome | None = None
    fixed: int = 0
    pr_url: str = ""
    cost: float | None = None
    exit_code: int = 0

    def outputs(self) -> dict[str, str]:
        """The step outputs, as written to ``GITHUB_OUTPUT``.

        Returns:
            ``findings``, ``fixed``, ``pr-url`` and ``cost`` (US dollars, four decimals).
        """
        return {
            "findings": str(len(self.findings)),
            "fixed": str(self.fixed),
            "pr-url": self.pr_url,
            "cost": f"{self.cost or 0.0:.4f}",
        }


def run_action(
    config: Config,
    inputs: ActionInputs,
    environ: MutableMapping[str, str],
    *,
    echo: Callable[[str], None],
) -> ActionOutcome:
    """Check, annotate, deliver as planned, and write the job summary and the outputs.

    Args:
        config: The merged configuration (inputs applied).
        inputs: The action's inputs.
        environ: The process environment: read for ``GITHUB_*``, and given the
            Anthropic key of the input when LLM drafting runs (the SDK reads it there).
        echo: Prints to the step's log (annotations are workflow commands there).

    Returns:
        What was done.

    Raises:
        DocsyncError: The event cannot be read, or the check or a delivery failed
            (the summary says so first).
    """
    try:
        event = read_event(environ)
        token = inputs.github_token or environ.get("GITHUB_TOKEN") or None
        key = inputs.anthropic_api_key or environ.get("ANTHROPIC_API_KEY") or None
        plan = plan_action(event, inputs, has_token=bool(token), has_key=bool(key))
        if plan.llm and key:
            environ["ANTHROPIC_API_KEY"] = key
        delivery_env = {**environ, "GITHUB_TOKEN": token} if token else dict(environ)
        outcome = _run(config, plan, delivery_env, echo)
    except DocsyncError as exc:
        _write_summary(environ, f"## docsync: stopped\n\n{_code_block(str(exc))}")
        raise
    _write_summary(environ, scrub_output(summary_markdown(_view(config, outcome, event, environ))))
    target = environ.get("GITHUB_OUTPUT", "").strip()
    if target:
        append_file(Path(target), format_outputs(outcome.outputs()))
    return outcome


def _run(
    config: Config, plan: ActionPlan, env: Mapping[str, str], echo: Callable[[str], None]
) -> ActionOutcome:
    check = run_check(config, change=BaseOptions(plan.base) if plan.base else None)
    findings = sort_findings(_in_repo(config, check.findings))
    report = Report(
        findings, check.diagnostics, check.files_scanned, check.baselined, reviews=check.reviews
    )
    annotations = render_github(report)
    if annotations:
        echo(annotations.rstrip("\n"))
    outcome = ActionOutcome(plan, check, findings, exit_code=int(check.failed(config)))
    llm = _llm_options(config) if plan.llm else None
    if plan.delivery is Delivery.REVIEW and plan.pull is not None:
        from docsync.commands.review import run_review

        review = run_review(config, plan.pull.number, env=env, llm=llm, check=check)
        echo(stop_commands(review.describe()).rstrip("\n"))
        follow_up = review.follow_up
        return replace(
            outcome,
            review=review,
            fixed=_fixed_by_review(review),
            pr_url=follow_up.html_url if follow_up is not None else "",
            cost=review.fix.llm_cost,
            exit_code=int(review.failed(config)),
        )
    if plan.delivery is Delivery.PR:
        from docsync.commands.pr import run_pr

        pr = run_pr(config, env=env, llm=llm, check=check)
        echo(stop_commands(pr.describe()).rstrip("\n"))
        delivered = pr.branch is not None and pr.denied is None
        return replace(
            outcome,
            pr=pr,
            fixed=len(pr.fix.fixed) if delivered else 0,
            pr_url=pr.pull.html_url if pr.pull is not None else "",
            cost=pr.fix.llm_cost,
            exit_code=int(pr.failed(config)),
        )
    return outcome


def _llm_options(config: Config) -> LLMOptions:
    from docsync.draft.llm.drafter import LLMOptions

    return LLMOptions.from_config(config)


def _fixed_by_review(review: ReviewOutcome) -> int:
    """The findings whose fix is on GitHub after a review: suggested, or in the follow-up."""
    refused = review.denied is not None and not review.posted
    suggested = 0 if refused else sum(len(c.findings) for c in review.suggested)
    outside = sum(len(c.findings) for c in review.outside) if review.follow_up else 0
    return suggested + outside


def _in_repo(config: Config, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The findings with paths relative to the repository's top, as GitHub names files."""
    from docsync.commands.pr import in_repo
    from docsync.deliver.git import open_repo

    try:
        repo = open_repo(config.root)
        return tuple(in_repo(config, repo, f) for f in findings)
    except GitError:  # not a git checkout: the project root is the best guess
        return findings


def _view(
    config: Config, outcome: ActionOutcome, event: Event, env: Mapping[str, str]
) -> SummaryView:
    plan = outcome.plan
    delivered: tuple[str, ...] = ()
    skipped = list(plan.skipped)
    if outcome.review is not None:
        delivered = _lines(outcome.review.describe())
        if outcome.review.denied is not None:
            skipped.append(f"Writing to the pull request: {outcome.review.denied}")
    if outcome.pr is not None:
        delivered = _lines(outcome.pr.describe())
        if outcome.pr.denied is not None:
            skipped.append(f"The sync pull request: {outcome.pr.denied}")
    return SummaryView(
        title=_title(plan),
        scope=_scope(plan),
        findings=outcome.findings,
        files_scanned=outcome.check.files_scanned,
        baselined=outcome.check.baselined,
        diagnostics=outcome.check.diagnostics,
        links=_links(config, event, env),
        delivered=delivered,
        skipped=tuple(skipped),
        cost=outcome.cost,
        reviews=outcome.check.reviews,
        notes=outcome.check.notes,
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.splitlines() if line.strip())


def _title(plan: ActionPlan) -> str:
    if plan.pull is not None:
        what = {Delivery.REVIEW: "review of", Delivery.PR: "sync pull request on"}
        return f"{what.get(plan.delivery, 'check of')} pull request #{plan.pull.number}"
    if plan.delivery is Delivery.PR:
        return f"sync pull request ({plan.event})"
    return f"check ({plan.event})"


def _scope(plan: ActionPlan) -> str:
    if plan.base is None or plan.pull is None:
        return "the whole project"
    return (
        f"what the pull request changed since its merge base with {code_span(plan.pull.base_ref)}"
    )


def _links(config: Config, event: Event, env: Mapping[str, str]) -> Links | None:
    """Links to lines of the checked-out commit, in the repository's web pages."""
    from docsync.deliver.git import open_repo

    server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    repository = env.get("GITHUB_REPOSITORY", "").strip()
    web = _repository_url(event) or (f"{server}/{repository}" if repository else "")
    if not web:
        return None
    try:
        sha = str(open_repo(config.root).head.commit.hexsha)
    except (GitError, ValueError):
        sha = env.get("GITHUB_SHA", "")
    return Links(web, sha) if sha else None


def _repository_url(event: Event) -> str:
    """``repository.html_url`` of the event's payload, when it has one."""
    repository = event.payload.get("repository")
    url = repository.get("html_url") if isinstance(repository, dict) else None
    return url if isinstance(url, str) else ""


def _code_block(text: str) -> str:
    """A message as a Markdown code block: one line, scrubbed, controls shown, not rendered."""
    shown = for_terminal(text)
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", shown)), default=0))
    return f"{fence}text\n{shown}\n{fence}\n"


def _write_summary(env: Mapping[str, str], text: str) -> None:
    target = env.get("GITHUB_STEP_SUMMARY", "").strip()
    if target:
        append_file(Path(target), text)
