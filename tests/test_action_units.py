"""The action's pure parts: inputs, payloads, the plan, the outputs file, the job summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docsync.action.main import (
    ActionInputs,
    Delivery,
    Event,
    Mode,
    PullRequestEvent,
    plan_action,
    read_event,
)
from docsync.action.summary import MAX_TABLE_ROWS, SummaryView, format_outputs, summary_markdown
from docsync.cli import main
from docsync.deliver.github_text import Links
from docsync.errors import ConfigError
from docsync.models import Diagnostic, Evidence, Finding, Location, Severity
from helpers_action import load_event, parse_outputs, pull_request_event

WEB = "https://github.example"


def pull_event(name: str = "opened", fork: str | None = None) -> Event:
    payload = pull_request_event(
        f"pull_request.{name}",
        web=WEB,
        number=7,
        base_sha="b" * 40,
        head_sha="h" * 40,
        head_repository=fork,
    )
    return Event("pull_request", payload)


# --- inputs and payloads -------------------------------------------------------------------


def test_inputs_are_read_as_action_yml_passes_them_and_in_githubs_spelling() -> None:
    env = {
        "INPUT_MODE": " Review ",
        "INPUT_FAIL_ON": "error",
        "INPUT_PATHS": "src\n  docs/api ",
        "INPUT_CONFIG": "",
        "INPUT_MAX-COST": "$1.25",
        "INPUT_GITHUB_TOKEN": "ghs_x",
        "INPUT_ANTHROPIC_API_KEY": "sk-secret",
    }
    inputs = ActionInputs.from_env(env)
    assert inputs.mode is Mode.REVIEW and inputs.fail_on == "error"
    assert inputs.paths == ("src", "docs/api") and inputs.config_file is None
    assert inputs.max_cost == 1.25 and inputs.github_token == "ghs_x"
    assert "sk-secret" not in repr(inputs) and "ghs_x" not in repr(inputs)
    assert ActionInputs.from_env({}) == ActionInputs()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"INPUT_MODE": "fix"}, "input 'mode' must be one of auto, check, review, pr, got 'fix'"),
        ({"INPUT_MAX_COST": "lots"}, "input 'max-cost' must be an amount of US dollars"),
    ],
)
def test_bad_inputs_are_config_errors_that_name_the_input(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        ActionInputs.from_env(env)


def test_githubs_payloads_are_read_unchanged() -> None:
    opened = PullRequestEvent.from_payload(load_event("pull_request.opened"))
    assert (opened.number, opened.action, opened.base_ref, opened.head_ref) == (
        2,
        "opened",
        "master",
        "changes",
    )
    assert opened.base_repo == opened.head_repo == "Codertocat/Hello-World"
    assert not opened.from_fork
    synchronize = PullRequestEvent.from_payload(load_event("pull_request.synchronize"))
    assert synchronize.head_sha == "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
    with pytest.raises(ConfigError, match="payload lacks 'pull_request'"):
        PullRequestEvent.from_payload(load_event("workflow_dispatch"))


def test_a_deleted_fork_counts_as_a_fork() -> None:
    payload = load_event("pull_request.opened")
    payload["pull_request"]["head"]["repo"] = None
    assert PullRequestEvent.from_payload(payload).from_fork


def test_read_event_explains_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="runs as a step of a GitHub Actions workflow"):
        read_event({})
    bad = tmp_path / "event.json"
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a JSON object"):
        read_event({"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(bad)})
    with pytest.raises(ConfigError, match="cannot read the event payload"):
        read_event({"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(tmp_path / "no")})


# --- the plan --------------------------------------------------------------------------------


def test_a_pull_request_from_the_same_repository_is_reviewed_from_its_base() -> None:
    plan = plan_action(pull_event(), ActionInputs(), has_token=True, has_key=True)
    assert plan.delivery is Delivery.REVIEW and plan.llm
    assert plan.base == "b" * 40 and plan.pull is not None and plan.pull.number == 7
    assert plan.skipped == ()


def test_a_fork_is_checked_only_without_llm_and_says_why() -> None:
    plan = plan_action(
        pull_event("synchronize", fork="contrib/demo"), ActionInputs(), has_token=True, has_key=True
    )
    assert plan.delivery is Delivery.CHECK and not plan.llm and plan.base == "b" * 40
    [note] = plan.skipped
    assert "fork contrib/demo" in note and "no secrets" in note


@pytest.mark.parametrize(
    ("event", "mode", "expected"),
    [
        ("schedule", Mode.AUTO, Delivery.PR),
        ("workflow_dispatch", Mode.AUTO, Delivery.PR),
        ("push", Mode.AUTO, Delivery.CHECK),
        ("schedule", Mode.CHECK, Delivery.CHECK),
        ("push", Mode.PR, Delivery.PR),
    ],
)
def test_the_event_picks_the_delivery_unless_mode_says(
    event: str, mode: Mode, expected: Delivery
) -> None:
    plan = plan_action(Event(event, {}), ActionInputs(mode=mode), has_token=True, has_key=False)
    assert plan.delivery is expected and plan.base is None and plan.pull is None
    assert any("no anthropic-api-key" in s for s in plan.skipped) == (expected is Delivery.PR)


def test_mode_overrides_a_pull_request_too() -> None:
    checked = plan_action(pull_event(), ActionInputs(mode=Mode.CHECK), has_token=True, has_key=True)
    assert checked.delivery is Delivery.CHECK and not checked.llm
    forced = plan_action(
        pull_event(fork="contrib/demo"),
        ActionInputs(mode=Mode.REVIEW, allow_untrusted=True),
        has_token=True,
        has_key=False,
    )
    assert forced.delivery is Delivery.REVIEW  # opted in: tried, refused writes are reported
    synced = plan_action(pull_event(), ActionInputs(mode=Mode.PR), has_token=True, has_key=False)
    assert synced.delivery is Delivery.PR and synced.base is None


def test_without_a_token_or_on_a_closed_pull_request_only_the_check_runs() -> None:
    plan = plan_action(pull_event(), ActionInputs(), has_token=False, has_key=True)
    assert plan.delivery is Delivery.CHECK and not plan.llm
    assert plan.skipped == (
        "Review suggestions: no GitHub token (the github-token input is empty).",
    )
    closed = pull_event()
    closed.payload["action"] = "closed"  # type: ignore[index]
    assert plan_action(closed, ActionInputs(), has_token=True, has_key=True).delivery is (
        Delivery.CHECK
    )


def test_mode_review_needs_a_pull_request() -> None:
    with pytest.raises(ConfigError, match="the push event has no pull request"):
        plan_action(Event("push", {}), ActionInputs(mode=Mode.REVIEW), has_token=True, has_key=True)


# --- GITHUB_OUTPUT -------------------------------------------------------------------------


def test_outputs_use_the_delimiter_form_only_for_several_lines() -> None:
    text = format_outputs(
        {"findings": "3", "report": "line one\nline two", "pr-url": ""},
        delimiter=lambda: "ghadelimiter_fixed",
    )
    assert text == (
        "findings=3\nreport<<ghadelimiter_fixed\nline one\nline two\nghadelimiter_fixed\npr-url=\n"
    )
    assert parse_outputs(text) == {"findings": "3", "report": "line one\nline two", "pr-url": ""}
    random = format_outputs({"a": "x\ny", "b": "z\r\nw"})
    assert parse_outputs(random)["a"] == "x\ny" and random.count("ghadelimiter_") == 4


def test_outputs_refuse_what_would_corrupt_the_file() -> None:
    with pytest.raises(ValueError, match="contains its delimiter"):
        format_outputs({"a": "x\nEOF\n"}, delimiter=lambda: "EOF")
    with pytest.raises(ValueError, match="is not an output name"):
        format_outputs({"a=b": "1"})


# --- the job summary -------------------------------------------------------------------------


def finding(line: int, message: str = "parameter 'x' is documented", **kw: object) -> Finding:
    values: dict[str, object] = {
        "code": "DS101",
        "slug": "stale-param",
        "severity": Severity.WARNING,
        "message": message,
        "location": Location("src/my pkg/mod.py", line, line + 2),
        "symbol": "pkg.mod.f",
        "evidence": Evidence(),
        "fingerprint": f"{line:016x}",
        **kw,
    }
    return Finding(**values)  # type: ignore[arg-type]


def test_the_summary_counts_links_and_escapes() -> None:
    view = SummaryView(
        title="review of pull request #7",
        scope="the whole project",
        findings=(
            finding(3, "a | b <script>\nnext"),
            finding(9, severity=Severity.ERROR, symbol="pkg.`odd`"),
        ),
        files_scanned=4,
        baselined=2,
        diagnostics=(Diagnostic("bad.py", 1, "cannot parse: invalid syntax"),),
        links=Links(f"{WEB}/octo/demo", "abc123"),
        delivered=("Pull request #7: 1 suggestion on the diff.",),
        skipped=("LLM drafts: no key.",),
        cost=0.01234,
    )
    text = summary_markdown(view)
    assert text.startswith("## docsync: review of pull request #7\n\n**2** findings (1 error, 1")
    assert "in 4 files (the whole project)." in text
    link = f"{WEB}/octo/demo/blob/abc123/src/my%20pkg/mod.py#L3-L5"
    assert f"| warning | DS101 `stale-param` | [`src/my pkg/mod.py:3`]({link}) |" in text
    assert "| a \\| b &lt;script> next |" in text
    assert "| `` pkg.`odd` `` |" in text  # a longer fence, not a changed name
    assert "### Delivered\n\n- Pull request #7: 1 suggestion on the diff.\n" in text
    assert "LLM drafting: estimated cost $0.0123." in text
    assert "- 2 findings listed in the baseline file" in text
    assert "- `bad.py`:1: cannot parse: invalid syntax" in text


def test_a_clean_run_and_a_long_table() -> None:
    clean = summary_markdown(SummaryView("check (push)", "the whole project", (), 1))
    assert (
        clean
        == "## docsync: check (push)\n\nNo documentation drift in 1 file (the whole project).\n"
    )
    many = tuple(finding(n) for n in range(1, MAX_TABLE_ROWS + 6))
    text = summary_markdown(SummaryView("check (push)", "the whole project", many, 9))
    assert text.count("| warning |") == MAX_TABLE_ROWS
    assert "…and 5 more: the annotations and the step's log list all of them." in text


def test_the_cli_reports_a_missing_event_as_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["action"])
    assert result.exit_code == 2
    assert "docsync: error: GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set" in result.stderr


# --- untrusted runs: forks and pull_request_target (issue 21) -------------------------------


def target_event(fork: str | None = None) -> Event:
    return Event("pull_request_target", pull_event(fork=fork).payload)


@pytest.mark.parametrize("mode", [Mode.AUTO, Mode.REVIEW, Mode.PR])
@pytest.mark.parametrize("make", [lambda: pull_event(fork="contrib/demo"), target_event])
def test_a_fork_or_pull_request_target_run_is_check_only_in_every_mode(
    mode: Mode, make: object
) -> None:
    event = make()  # type: ignore[operator]
    plan = plan_action(event, ActionInputs(mode=mode), has_token=True, has_key=True)
    assert plan.delivery is Delivery.CHECK and not plan.llm
    assert plan.pull is not None and plan.base == "b" * 40  # the change is what is checked
    [note] = plan.skipped
    assert "checked and annotated only" in note and "allow-untrusted" in note


def test_pull_request_target_is_untrusted_even_from_the_same_repository() -> None:
    plan = plan_action(target_event(), ActionInputs(mode=Mode.PR), has_token=True, has_key=True)
    assert plan.delivery is Delivery.CHECK and not plan.llm
    assert "pull_request_target" in plan.skipped[0]


def test_a_workflow_run_after_a_forks_run_is_untrusted() -> None:
    payload = {
        "repository": {"full_name": "octo/demo"},
        "workflow_run": {"head_repository": {"full_name": "contrib/demo"}},
    }
    plan = plan_action(
        Event("workflow_run", payload), ActionInputs(mode=Mode.PR), has_token=True, has_key=True
    )
    assert plan.delivery is Delivery.CHECK and not plan.llm
    payload["workflow_run"] = {"head_repository": {"full_name": "octo/demo"}}
    trusted = plan_action(
        Event("workflow_run", payload), ActionInputs(mode=Mode.PR), has_token=True, has_key=True
    )
    assert trusted.delivery is Delivery.PR and trusted.llm


@pytest.mark.parametrize(
    ("mode", "delivery"), [(Mode.REVIEW, Delivery.REVIEW), (Mode.PR, Delivery.PR)]
)
def test_allow_untrusted_opts_in_explicitly(mode: Mode, delivery: Delivery) -> None:
    inputs = ActionInputs(mode=mode, allow_untrusted=True)
    for event in (pull_event(fork="contrib/demo"), target_event()):
        plan = plan_action(event, inputs, has_token=True, has_key=True)
        assert plan.delivery is delivery and plan.llm


def test_the_allow_untrusted_input_is_read_strictly() -> None:
    assert ActionInputs.from_env({"INPUT_ALLOW_UNTRUSTED": "true"}).allow_untrusted
    assert ActionInputs.from_env({"INPUT_ALLOW-UNTRUSTED": "True"}).allow_untrusted
    assert not ActionInputs.from_env({"INPUT_ALLOW_UNTRUSTED": "false"}).allow_untrusted
    assert not ActionInputs.from_env({}).allow_untrusted
    with pytest.raises(ConfigError, match="'allow-untrusted' must be true or false"):
        ActionInputs.from_env({"INPUT_ALLOW_UNTRUSTED": "maybe"})


def test_the_summary_counts_the_review_prompts_in_one_line() -> None:
    prompt = Finding(
        code="DS502",
        slug="review-body-changed",
        severity=Severity.INFO,
        message="the code of f() changed",
        location=Location("a.py", 1, 1),
        symbol="pkg.f",
        evidence=Evidence(),
        fingerprint="0" * 16,
    )
    text = summary_markdown(SummaryView("check (push)", "the change", (), 1, reviews=(prompt,)))
    assert "No documentation drift in 1 file" in text
    assert "1 changed symbol is described by docs this change did not touch" in text
    assert "DS502" not in text
