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
Anthropic key (the inputs, the event and the plan live in :mod:`docsync.action.plan`).
:func:`run_action` then checks, prints the count and the findings as annotations,
writes the job summary and the step outputs (``findings``, ``fixed``, ``pr-url``,
``cost``), and only then delivers; both files are rewritten with what the delivery
did, or why it failed.  The exit code follows ``fail-on`` as ``docsync check`` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from docsync.action.plan import (
    PULL_REQUEST_EVENTS,
    SYNC_EVENTS,
    ActionInputs,
    ActionPlan,
    Delivery,
    Event,
    Mode,
    PullRequestEvent,
    plan_action,
    read_event,
)
from docsync.action.summary import (
    StepFile,
    SummaryView,
    append_file,
    format_outputs,
    summary_markdown,
)
from docsync.commands.check import BaseOptions, CheckResult, run_check
from docsync.config import Config
from docsync.deliver.github_text import LineChange, Links
from docsync.deliver.markdown_escape import code_span
from docsync.deliver.report import Report, count_sentence, render_github, sort_findings
from docsync.errors import DocsyncError, GitError
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


@dataclass(frozen=True)
class ActionOutcome:
    """What a run did: the check, the delivery's outcome, the step outputs, the exit code.

    ``failure`` is why the delivery failed, when it did (the check's findings stand).
    """

    plan: ActionPlan
    check: CheckResult
    findings: tuple[Finding, ...]
    review: ReviewOutcome | None = None
    pr: PrOutcome | None = None
    fixed: int = 0
    pr_url: str = ""
    cost: float | None = None
    exit_code: int = 0
    failure: str | None = None

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
    """Check and annotate, write the job summary and the outputs, then deliver as planned.

    What the check found reaches the step's log, the job summary and
    ``GITHUB_OUTPUT`` before any delivery starts; after it, both files are written
    again with what was delivered (their part only: what was there before the
    step is kept).  A failed delivery adds its reason to the summary and takes
    nothing away from what was found.

    Args:
        config: The merged configuration (inputs applied).
        inputs: The action's inputs.
        environ: The process environment: read for ``GITHUB_*``, and given the
            Anthropic key of the input when LLM drafting runs (the SDK reads it there).
        echo: Prints to the step's log (annotations are workflow commands there).

    Returns:
        What was done.

    Raises:
        DocsyncError: The event cannot be read, the check failed (the summary says
            so), or the delivery failed (after the findings and the failure's reason
            are written).
    """
    try:
        event = read_event(environ)
        token = inputs.github_token or environ.get("GITHUB_TOKEN") or None
        key = inputs.anthropic_api_key or environ.get("ANTHROPIC_API_KEY") or None
        plan = plan_action(event, inputs, has_token=bool(token), has_key=bool(key))
        if plan.llm and key:
            environ["ANTHROPIC_API_KEY"] = key
        found = _check(config, plan, echo)
    except DocsyncError as exc:
        _write_summary(environ, f"## docsync: stopped\n\n{_code_block(str(exc))}")
        raise
    summary = StepFile.at(environ, "GITHUB_STEP_SUMMARY")
    outputs = StepFile.at(environ, "GITHUB_OUTPUT")
    links = _links(config, event, environ)

    def write(outcome: ActionOutcome) -> None:
        summary.write(scrub_output(summary_markdown(_view(outcome, links))))
        outputs.write(format_outputs(outcome.outputs()))

    write(found)
    if plan.delivery is Delivery.CHECK:
        return found
    delivery_env = {**environ, "GITHUB_TOKEN": token} if token else dict(environ)
    try:
        outcome = _deliver(config, found, delivery_env, echo)
    except DocsyncError as exc:
        write(replace(found, failure=str(exc)))
        raise
    write(outcome)
    return outcome


def _check(config: Config, plan: ActionPlan, echo: Callable[[str], None]) -> ActionOutcome:
    """Check as planned, print the count and the annotations: the outcome before delivery."""
    check = run_check(config, change=BaseOptions(plan.base) if plan.base else None)
    findings = sort_findings(_in_repo(config, check.findings))
    report = Report(
        findings, check.diagnostics, check.files_scanned, check.baselined, reviews=check.reviews
    )
    count = count_sentence(findings, check.files_scanned)
    echo(for_terminal(f"docsync: {count} ({_scope(plan, str)})."))
    annotations = render_github(report)
    if annotations:
        echo(annotations.rstrip("\n"))
    return ActionOutcome(plan, check, findings, exit_code=int(check.failed(config)))


def _deliver(
    config: Config, outcome: ActionOutcome, env: Mapping[str, str], echo: Callable[[str], None]
) -> ActionOutcome:
    """Review the pull request or open the sync pull request, as the plan says."""
    plan, check = outcome.plan, outcome.check
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


def _view(outcome: ActionOutcome, links: Links | None) -> SummaryView:
    """What the job summary shows of ``outcome``: before, after or instead of the delivery."""
    plan = outcome.plan
    delivered: tuple[str, ...] = ()
    outside: tuple[LineChange, ...] = ()
    where = ""
    if outcome.review is not None:
        delivered = _lines(outcome.review.describe(outside=False))
        outside, where = outcome.review.outside, _outside_where(outcome.review)
    if outcome.pr is not None:
        delivered = _lines(outcome.pr.describe())
    finished = outcome.review is not None or outcome.pr is not None or outcome.failure
    return SummaryView(
        title=_title(plan),
        scope=_scope(plan),
        findings=outcome.findings,
        files_scanned=outcome.check.files_scanned,
        baselined=outcome.check.baselined,
        diagnostics=outcome.check.diagnostics,
        links=links,
        delivered=delivered,
        skipped=plan.skipped,
        cost=outcome.cost,
        reviews=outcome.check.reviews,
        pending="" if finished or plan.delivery is Delivery.CHECK else _pending(plan),
        failure=outcome.failure,
        outside=outside,
        outside_where=where,
        outside_links=_at_head(links, plan),
        notes=outcome.check.notes,
    )


def _pending(plan: ActionPlan) -> str:
    if plan.delivery is Delivery.REVIEW and plan.pull is not None:
        return f"Review suggestions on pull request #{plan.pull.number}"
    return "The sync pull request"


def _outside_where(review: ReviewOutcome) -> str:
    """Where the review put the changes outside the diff, after "it was" or "they were"."""
    if review.follow_up is not None:
        up = review.follow_up
        return (
            f"sent to pull request #{up.number} ({up.action}), into the pull request's "
            f"branch: {up.html_url}"
        )
    if review.summary != "none":
        why = f": {review.why_listed}" if review.why_listed else ""
        return (
            f"not pushed{why}; docsync's summary comment on the pull request shows each as a "
            "diff to apply by hand"
        )
    return "not delivered: GitHub refused a write (see Delivered, above)"


def _at_head(links: Links | None, plan: ActionPlan) -> Links | None:
    """Links to the pull request's head, where a review's line changes were computed."""
    if links is None or plan.pull is None:
        return None
    return Links(links.web_url, plan.pull.head_sha)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.splitlines() if line.strip())


def _title(plan: ActionPlan) -> str:
    if plan.pull is not None:
        what = {Delivery.REVIEW: "review of", Delivery.PR: "sync pull request on"}
        return f"{what.get(plan.delivery, 'check of')} pull request #{plan.pull.number}"
    if plan.delivery is Delivery.PR:
        return f"sync pull request ({plan.event})"
    return f"check ({plan.event})"


def _scope(plan: ActionPlan, quote: Callable[[str], str] = code_span) -> str:
    """What the check covered; ``quote`` renders the branch's name (Markdown by default)."""
    if plan.base is None or plan.pull is None:
        return "the whole project"
    return f"what the pull request changed since its merge base with {quote(plan.pull.base_ref)}"


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
