"""Which runs of the action are untrusted, and what they may do.

A run is untrusted when the files it checks may come from someone without write
access to the repository:

* a ``pull_request`` whose head branch lives in another repository (a fork);
* any ``pull_request_target`` run: it has the base repository's write token and
  secrets, and docsync cannot tell what the workflow checked out (often the
  pull request's head);
* a ``workflow_run`` started by a run on a fork's branch.

Such a run only checks and annotates, whatever ``mode`` says: no review, no sync
pull request, no GitHub API call, no LLM (the key is never put into the
environment).  The ``allow-untrusted`` input lifts this for workflows that vet
pull requests another way; docs/github-action.md says what that risks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["TARGET_EVENTS", "untrusted_reason"]

TARGET_EVENTS = frozenset({"pull_request_target"})
"""Pull request events that run with the base repository's token and secrets."""


def untrusted_reason(
    name: str, payload: Mapping[str, Any], *, fork: str | None = None
) -> str | None:
    """Why a run must be treated as untrusted, or ``None`` for a trusted one.

    Args:
        name: The event's name (``GITHUB_EVENT_NAME``).
        payload: The event's payload.
        fork: For a pull request from another repository, that repository's name
            (``"a deleted fork"`` when it is gone); ``None`` otherwise.

    Returns:
        A sentence for the job summary, or ``None``.
    """
    if name in TARGET_EVENTS:
        return (
            f"the run was started by {name}, which has a write token and the repository's "
            "secrets while the files checked out may come from the pull request"
        )
    if fork is not None:
        return (
            f"the pull request comes from the fork {fork}, whose workflows GitHub gives a "
            "read-only token and no secrets"
        )
    if name == "workflow_run":
        run = payload.get("workflow_run")
        head = _full_name(run.get("head_repository")) if isinstance(run, Mapping) else None
        if head != _full_name(payload.get("repository")):
            return f"the workflow run it follows ran on the fork {head or '(deleted)'}"
    return None


def _full_name(repository: object) -> str | None:
    name = repository.get("full_name") if isinstance(repository, Mapping) else None
    return name if isinstance(name, str) else None
