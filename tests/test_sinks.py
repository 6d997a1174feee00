"""Output escaped for its sink and scrubbed of secrets (DESIGN invariant 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsync.deliver.report import Report, render_github
from docsync.models import Diagnostic
from docsync.sinks import (
    for_terminal,
    scrub_output,
    stop_commands,
    workflow_data,
    workflow_property,
)
from helpers_action import invoke_action, repository_event
from helpers_git import GitRepo
from test_security import CLEAN, project, run

# Not shaped like any known token: only the environment variable's name marks it secret.
SECRET = "s3cr3t-Value-9f8e7d6c5b4a"
WEB = "https://github.example"


@pytest.mark.parametrize(
    "name",
    [
        "GITHUB_TOKEN",
        "INPUT_GITHUB_TOKEN",
        "INPUT_GITHUB-TOKEN",
        "ANTHROPIC_API_KEY",
        "INPUT_ANTHROPIC-API-KEY",
        "INPUT_DEPLOY_KEY",
        "NPM_SECRET",
    ],
)
def test_the_value_of_a_secret_looking_variable_is_scrubbed(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, SECRET)
    for render in (scrub_output, for_terminal, workflow_data, workflow_property, stop_commands):
        assert SECRET not in render(f"path/{SECRET}: cannot read")


def test_other_variables_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INPUT_MODE", "review-everything")
    monkeypatch.setenv("KEYBOARD", "layout-de-nodeadkeys")
    text = "review-everything layout-de-nodeadkeys"
    assert scrub_output(text) == text


def test_token_patterns_are_scrubbed_whatever_the_variable() -> None:
    token = "ghp_" + "a1B2" * 9
    assert scrub_output(f"x {token} y") == "x [REDACTED] y"


def test_control_characters_are_shown_on_a_terminal() -> None:
    text = "a\x1b[2Jb\rc\nd\te\x07f\u202eg\x9bh"
    assert for_terminal(text) == "a\\x1b[2Jb\\rc\\nd\\te\\x07f\\u202eg\\x9bh"
    assert for_terminal(text, multiline=True) == "a\\x1b[2Jb\\rc\nd\te\\x07f\\u202eg\\x9bh"


def test_workflow_commands_are_escaped_as_the_toolkit_does() -> None:
    assert workflow_data("50% a\r\nb:c,d") == "50%25 a%0D%0Ab:c,d"
    assert workflow_property("50% a\r\nb:c,d") == "50%25 a%0D%0Ab%3Ac%2Cd"


def test_an_annotation_cannot_be_split_or_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INPUT_GITHUB_TOKEN", SECRET)
    diagnostic = Diagnostic(f"x,y:z\n::error::{SECRET}.py", 1, f"bad\n::add-mask::{SECRET}")
    text = render_github(Report((), (diagnostic,), 1))
    assert text.count("\n") == 1 and text.startswith("::warning file=x%2Cy%3Az%0A")
    assert SECRET not in text


def test_stop_commands_pauses_the_runner_around_text(monkeypatch: pytest.MonkeyPatch) -> None:
    wrapped = stop_commands("done\n::error::injected\n")
    first, *body, last = wrapped.splitlines()
    token = first.removeprefix("::stop-commands::")
    assert len(token) > 20 and last == f"::{token}::"
    assert body == ["done", "::error::injected"]
    assert stop_commands("x") != stop_commands("x")  # a fresh token each time


# --- end to end: secrets and workflow commands in messages (issue 21) ---------------------


def action_step(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, inputs: dict[str, str]
) -> tuple[int, str, str]:
    payload = repository_event("workflow_dispatch", web=WEB)
    env = {"GITHUB_SERVER_URL": WEB, "GITHUB_REPOSITORY": "octo/demo"}
    done = invoke_action(
        monkeypatch, tmp_path / "step", repo.path, "workflow_dispatch", payload, env, inputs
    )
    return done.exit_code, done.result.stdout + done.result.stderr, done.summary


def test_an_env_tag_in_inherit_never_puts_the_token_into_the_log_or_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"pkg/mod.py": CLEAN, "mkdocs.yml": "INHERIT: !ENV INPUT_GITHUB_TOKEN\n"}
    repo = project(tmp_path, monkeypatch, files)
    code, log, summary = action_step(
        repo, monkeypatch, tmp_path, {"mode": "check", "github-token": SECRET}
    )
    assert code == 2
    assert "the !ENV tag of INHERIT" in log and "cannot read the MkDocs config" in log
    assert "## docsync: stopped" in summary
    assert SECRET not in log and SECRET not in summary


def test_a_secret_from_any_token_variable_is_scrubbed_from_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = project(tmp_path, monkeypatch, {"pkg/mod.py": CLEAN})
    monkeypatch.setenv("INPUT_DEPLOY-TOKEN", SECRET)
    repo.write("pyproject.toml", f'[tool.docsync]\nstyle = "{SECRET}"\n')
    code, out, err = run(repo.path, monkeypatch, "check")
    assert code == 2 and "'style' must be one of" in err
    assert SECRET not in out + err and "[REDACTED]" in err


def test_a_newline_in_inherit_cannot_start_a_workflow_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inherit = 'INHERIT: "x\\n::error title=pwned::owned\\n::add-mask::y"\n'
    repo = project(tmp_path, monkeypatch, {"pkg/mod.py": CLEAN, "mkdocs.yml": inherit})
    code, log, summary = action_step(repo, monkeypatch, tmp_path, {"mode": "check"})
    assert code == 2 and "cannot read the MkDocs config" in log
    for text in (log, summary):
        lines = [line.strip() for line in text.splitlines()]
        assert not [line for line in lines if line.startswith("::")], text
    assert "x\\n::error title=pwned" in log  # shown, escaped, on the error's own line


def test_control_characters_in_a_report_are_shown_not_sent_to_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "evil\x1b]0;owned\x07.py"
    repo = project(tmp_path, monkeypatch, {"pkg/mod.py": CLEAN})
    (repo.path / "pkg" / name).write_text("def broken(:\n", encoding="utf-8")
    code, out, err = run(repo.path, monkeypatch, "check", "--exit-zero")
    assert code == 0
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "evil\\x1b]0;owned\\x07.py" in out
