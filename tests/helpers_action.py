"""Helpers for the action's tests: GitHub's event payloads, adjusted, and one action run.

The payloads in ``tests/data/events`` are GitHub's examples (see the README there);
:func:`pull_request_event` and :func:`repository_event` copy one and point it at a
repository of the fake GitHub.  :func:`invoke_action` runs ``docsync action`` in
process, with the environment a workflow step has, and returns what the step wrote:
its log, the outputs file (parsed as the runner parses it) and the job summary.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from docsync.cli import main
from fake_github.scenario import REPOSITORY, Scenario
from helpers_github import FEATURE

FORK = "contrib/demo"
FORK_TOKEN = "ghs_contrib"

EVENTS = Path(__file__).parent / "data" / "events"


def load_event(name: str) -> dict[str, Any]:
    """One of the committed payloads, e.g. ``pull_request.opened``."""
    data: dict[str, Any] = json.loads((EVENTS / f"{name}.payload.json").read_text("utf-8"))
    return data


def _repository(template: dict[str, Any], full_name: str, web: str) -> dict[str, Any]:
    owner, name = full_name.split("/")
    repo = copy.deepcopy(template)
    repo.update(name=name, full_name=full_name, html_url=f"{web}/{full_name}")
    repo.update(clone_url=f"{web}/{full_name}.git", fork=owner != "octo")
    repo["owner"] = {**repo["owner"], "login": owner, "html_url": f"{web}/{owner}"}
    return repo


def pull_request_event(
    name: str,
    *,
    web: str,
    number: int,
    base_sha: str,
    head_sha: str,
    head_ref: str = "feature",
    repository: str = "octo/demo",
    head_repository: str | None = None,
) -> dict[str, Any]:
    """A ``pull_request`` payload about pull request ``number`` of ``repository``.

    Args:
        name: The committed payload (``pull_request.opened``, ``pull_request.synchronize``).
        web: The fake server's web address.
        number: The pull request's number.
        base_sha: The base branch's tip when the event fired.
        head_sha: The head commit.
        head_ref: The head branch.
        repository: The base repository.
        head_repository: The repository of the head branch (a fork); default: the base one.
    """
    payload = load_event(name)
    pull = payload["pull_request"]
    base_repo = _repository(pull["base"]["repo"], repository, web)
    head_repo = _repository(pull["head"]["repo"], head_repository or repository, web)
    payload["number"] = pull["number"] = number
    pull["html_url"] = f"{web}/{repository}/pull/{number}"
    pull["base"].update(ref="main", sha=base_sha, label=f"{repository.split('/')[0]}:main")
    pull["base"]["repo"] = base_repo
    head_owner = head_repo["owner"]["login"]
    pull["head"].update(ref=head_ref, sha=head_sha, label=f"{head_owner}:{head_ref}")
    pull["head"]["repo"] = head_repo
    payload["repository"] = _repository(payload["repository"], repository, web)
    if "after" in payload:
        payload["after"] = head_sha
    return payload


def repository_event(name: str, *, web: str, repository: str = "octo/demo") -> dict[str, Any]:
    """A ``workflow_dispatch`` (or any payload with ``repository``) pointed at ``repository``."""
    payload = load_event(name)
    if "repository" in payload:
        payload["repository"] = _repository(payload["repository"], repository, web)
        payload["ref"] = "refs/heads/main"
    return payload


_DELIMITED = re.compile(r"^(?P<name>[^=\n]+)<<(?P<marker>.+)$")


def parse_outputs(text: str) -> dict[str, str]:
    """Read a ``GITHUB_OUTPUT`` file as the runner does (``name=value`` and the delimiter form)."""
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        found = _DELIMITED.match(line)
        if found and ("=" not in line or line.index("<<") < line.index("=")):
            value: list[str] = []
            while lines[index] != found.group("marker"):
                value.append(lines[index])
                index += 1
            index += 1
            outputs[found.group("name")] = "\n".join(value)
        else:
            name, _, value_text = line.partition("=")
            outputs[name] = value_text
    return outputs


@dataclass
class ActionRun:
    """What one ``docsync action`` step left behind."""

    result: Result
    outputs: dict[str, str]
    summary: str

    @property
    def exit_code(self) -> int:
        """The step's exit code."""
        return self.result.exit_code

    @property
    def annotations(self) -> list[str]:
        """The workflow commands that make annotations, from the step's log.

        As the runner reads them: nothing between ``::stop-commands::TOKEN`` and
        ``::TOKEN::`` is a command.
        """
        commands, paused = [], ""
        for line in self.result.stdout.splitlines():
            if paused:
                paused = "" if line == f"::{paused}::" else paused
            elif line.startswith("::stop-commands::"):
                paused = line.removeprefix("::stop-commands::")
            elif line.startswith("::"):
                commands.append(line)
        return commands


def invoke_action(
    monkeypatch: pytest.MonkeyPatch,
    workdir: Path,
    checkout: Path,
    event_name: str,
    payload: dict[str, Any],
    env: dict[str, str],
    inputs: dict[str, str] | None = None,
) -> ActionRun:
    """Run ``docsync action`` in ``checkout`` as a workflow step would.

    Args:
        monkeypatch: Sets the step's environment (undone after the test).
        workdir: Where the event, outputs and summary files go (a fresh one per run).
        checkout: The repository's checkout (the step's working directory).
        event_name: ``GITHUB_EVENT_NAME``.
        payload: The event's payload.
        env: ``GITHUB_API_URL``, ``GITHUB_REPOSITORY``, ``GITHUB_TOKEN`` and the like.
        inputs: The action's inputs by name (``fail-on``...), passed as action.yml does.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    event_path = workdir / "event.json"
    event_path.write_text(json.dumps(payload), encoding="utf-8")
    output, summary = workdir / "output.txt", workdir / "summary.md"
    for key in ("GITHUB_TOKEN", "ANTHROPIC_API_KEY", "GITHUB_SHA"):
        monkeypatch.delenv(key, raising=False)
    for name in ("mode", "fail-on", "paths", "config", "model", "max-cost"):
        monkeypatch.setenv(f"INPUT_{name.upper().replace('-', '_')}", "")
    for name in ("anthropic-api-key", "github-token"):
        monkeypatch.setenv(f"INPUT_{name.upper().replace('-', '_')}", "")
    step = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        **env,
        **{f"INPUT_{k.upper().replace('-', '_')}": v for k, v in (inputs or {}).items()},
    }
    for key, value in step.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(checkout)
    result = CliRunner().invoke(main, ["action"], catch_exceptions=False)
    outputs = parse_outputs(output.read_text("utf-8")) if output.exists() else {}
    text = summary.read_text("utf-8") if summary.exists() else ""
    return ActionRun(result, outputs, text)


# --- steps on the fake GitHub's pull requests ----------------------------------------------


def step_env(hub: Scenario) -> dict[str, str]:
    """What GitHub sets for every step (the token comes as the github-token input)."""
    return {
        "GITHUB_API_URL": hub.server.urls.api,
        "GITHUB_SERVER_URL": hub.server.urls.web,
        "GITHUB_REPOSITORY": REPOSITORY,
    }


def checkout_merge(hub: Scenario, head: str) -> str:
    """Check out the merge of ``head`` into main, detached, as actions/checkout does for a PR."""
    hub.repo.git("checkout", "-q", "--detach", "main")
    hub.repo.git("merge", "-q", "--no-ff", "--no-edit", head)
    return hub.repo.git("rev-parse", "HEAD")


def run_pull_event(
    hub: Scenario,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    number: int,
    *,
    head_repo: str | None = None,
    inputs: dict[str, str] | None = None,
    event: str = "pull_request",
) -> ActionRun:
    head = hub.server.repos.tip(head_repo or REPOSITORY, "feature")
    assert head is not None
    payload = pull_request_event(
        f"pull_request.{name}",
        web=hub.server.urls.web,
        number=number,
        base_sha=hub.server.repos.tip(REPOSITORY, "main") or "",
        head_sha=head,
        head_repository=head_repo,
    )
    workdir = tmp_path / f"step-{name}-{len(hub.server.requests)}"
    return invoke_action(monkeypatch, workdir, hub.repo.path, event, payload, step_env(hub), inputs)


def open_fork_pull(hub: Scenario) -> int:
    """A pull request from ``contrib/demo:feature``; its head is fetched from refs/pull/N/head."""
    hub.server.add_token(FORK_TOKEN, "contrib")
    hub.server.fork(REPOSITORY, "contrib")
    hub.repo.git("checkout", "-q", "-b", "feature")
    hub.repo.write("pkg/mod.py", FEATURE)
    hub.repo.commit("change the API")
    hub.repo.git("push", "-q", hub.server.remote_url(FORK, FORK_TOKEN), "feature")
    hub.repo.git("checkout", "-q", "main")
    hub.repo.git("branch", "-q", "-D", "feature")
    pull = hub.client(FORK_TOKEN)._repo.create_pull(
        base="main", head="contrib:feature", title="API", body=""
    )
    number = int(pull.number)
    hub.repo.git("fetch", "-q", "origin", f"refs/pull/{number}/head")
    return number
