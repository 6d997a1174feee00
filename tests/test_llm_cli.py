"""``docsync fix --llm`` end to end: flags, config keys, no key, dry run, budget, batch."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docsync.cli import main
from docsync.commands.fix import run_fix
from docsync.config import load_config
from docsync.draft.llm.client import KEY_MISSING
from docsync.draft.llm.drafter import LLMOptions
from fake_anthropic import FakeAnthropic
from helpers_llm import TOOL_MODEL, docstring_answers

MODULE = '''\
"""Arithmetic."""


def scale(value, factor):
    """Scale a value.

    Args:
        value: The value.

    Returns:
        The scaled value.
    """
    return value * factor


def shift(value, offset):
    """Shift a value.

    Args:
        value: The value.
        amount: The amount.

    Returns:
        The shifted value.
    """
    return value + offset
'''
ANSWERS = {
    "arith.scale": "Scale a value.\n\nArgs:\n    value: The value.\n    factor: The factor.\n\n"
    "Returns:\n    The scaled value.",
}
PYPROJECT = f'[tool.docsync]\nmodel = "{TOOL_MODEL}"\nreview-model = "claude-haiku-4-5"\n'


def project(tmp_path: Path, pyproject: str = PYPROJECT) -> Path:
    (tmp_path / "arith.py").write_text(MODULE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return tmp_path


def cli(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, ["fix", "--no-cache", *args], catch_exceptions=False)


def test_without_a_key_everything_else_works_and_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    root = project(tmp_path)
    result = cli(["--llm"], root, monkeypatch)
    assert result.output.count(KEY_MISSING) == 1
    assert "fixed   arith.py:21  DS103" in result.output  # the mechanical fix still lands
    assert "left    arith.py:7  DS102" in result.output
    assert "offset: The amount." in (root / "arith.py").read_text(encoding="utf-8")
    assert result.exit_code == 1


def test_fix_llm_drafts_writes_and_reports_usage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_api: FakeAnthropic
) -> None:
    fake_api.responder = docstring_answers(ANSWERS)
    root = project(tmp_path)
    result = cli(["--llm"], root, monkeypatch)
    assert result.exit_code == 0, result.output
    text = (root / "arith.py").read_text(encoding="utf-8")
    assert "        factor: The factor.\n" in text and "offset: The amount." in text
    assert f"LLM ({TOOL_MODEL}): 1 request, 900 input tokens" in result.output
    assert "estimated cost $0.0045" in result.output
    [request] = fake_api.message_requests
    assert request.body["model"] == TOOL_MODEL


def test_the_model_flag_and_the_run_result_carry_the_cost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_api: FakeAnthropic
) -> None:
    fake_api.responder = docstring_answers(ANSWERS)
    root = project(tmp_path, "")
    config = load_config(root)
    assert config.model == "claude-sonnet-5-5" and not config.llm
    options = LLMOptions.from_config(config, model="claude-opus-4-8", max_retries=0)
    result = run_fix(config, llm=options, diff_only=True)
    assert fake_api.message_requests[0].body["model"] == "claude-opus-4-8"
    assert result.llm is not None and result.llm.requests == 1
    assert result.llm_cost == pytest.approx(result.llm.cost) and result.llm.cost > 0
    assert result.llm.to_dict()["estimated_cost_usd"] == round(result.llm.cost, 6)


def test_dry_run_prints_the_totals_first_and_sends_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_api: FakeAnthropic
) -> None:
    root = project(tmp_path)
    result = cli(["--dry-run"], root, monkeypatch)
    assert fake_api.requests == []
    assert (root / "arith.py").read_text(encoding="utf-8") == MODULE
    first = result.output.splitlines()[0]
    assert first.startswith("LLM dry run: 1 request not sent; ~")
    assert "output tokens; estimated cost $" in first
    assert "(-v prints the prompts)" in result.output
    assert "=== prompt" not in result.output and "<docstring" not in result.output
    assert "fixable arith.py:21  DS103" in result.output


def test_dry_run_prints_the_prompts_with_verbose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_api: FakeAnthropic
) -> None:
    root = project(tmp_path)
    result = cli(["--dry-run", "-v"], root, monkeypatch)
    assert fake_api.requests == []
    assert result.output.startswith("LLM dry run: 1 request not sent;")
    assert "=== prompt 1/1: arith.py:5 arith.scale (DS102); claude-sonnet-4-6;" in result.output
    assert '<docstring style="google">' in result.output


def test_max_cost_stops_before_sending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_api: FakeAnthropic
) -> None:
    root = project(tmp_path)
    result = cli(["--llm", "--max-cost", "0.0001"], root, monkeypatch)
    assert fake_api.requests == []
    assert "LLM drafting stopped: the next request (estimated $" in result.output
    assert "would take the spend past --max-cost $0.0001 (spent $0.0000)" in result.output
    assert "offset: The amount." in (root / "arith.py").read_text(encoding="utf-8")


def test_batch_sends_a_message_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_api: FakeAnthropic
) -> None:
    fake_api.batch_polls_before_end = 0
    fake_api.responder = docstring_answers(ANSWERS)
    root = project(tmp_path)
    result = cli(["--llm", "--batch"], root, monkeypatch)
    assert result.exit_code == 0, result.output
    assert fake_api.message_requests == [] and len(fake_api.batch_requests()) == 1
    assert "via the Message Batches API: 1 request" in result.output
    assert "factor: The factor." in (root / "arith.py").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("llm = 'yes'", "'llm' must be true or false"),
        ("max-cost = -1", "'max-cost' must be a positive amount of US dollars"),
        ("llm-concurrency = 0", "'llm-concurrency' must be an integer from 1 to 64"),
        ("model = ''", "'model' must be a model id"),
        ("review_model = 'x'", "unknown key 'review_model' (did you mean 'review-model'?)"),
    ],
)
def test_llm_keys_are_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, message: str
) -> None:
    root = project(tmp_path, f"[tool.docsync]\n{setting}\n")
    result = cli([], root, monkeypatch)
    assert result.exit_code == 2
    assert message in result.stderr


def test_batch_without_llm_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = cli(["--batch"], project(tmp_path), monkeypatch)
    assert result.exit_code == 2 and "--batch sends requests to Claude: add --llm" in result.stderr


def test_llm_in_config_turns_it_on_and_no_llm_turns_it_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_api: FakeAnthropic
) -> None:
    root = project(tmp_path, PYPROJECT + "llm = true\n")
    result = cli(["--no-llm", "--diff"], root, monkeypatch)
    assert fake_api.requests == [] and "LLM" not in result.stderr
    fake_api.responder = docstring_answers(ANSWERS)
    result = cli(["--diff"], root, monkeypatch)
    assert len(fake_api.message_requests) == 1
    assert "+        factor: The factor." in result.output
