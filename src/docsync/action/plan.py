"""What a run of the action will do, decided from the event and the inputs alone.

:class:`ActionInputs` reads the ``INPUT_*`` variables ``action.yml`` sets;
:func:`read_event` the event GitHub wrote; :func:`plan_action` picks the delivery
(see :mod:`docsync.action.main` for the rules) and says what it will skip, and why.
Nothing here touches git, the network or the project.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from docsync.action.trust import TARGET_EVENTS, untrusted_reason
from docsync.errors import ConfigError

__all__ = [
    "PULL_REQUEST_EVENTS",
    "SYNC_EVENTS",
    "ActionInputs",
    "ActionPlan",
    "Delivery",
    "Event",
    "Mode",
    "PullRequestEvent",
    "plan_action",
    "read_event",
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
