"""The LLM drafter against the fake API: good drafts, bad answers, repairs, API failures.

Every test runs the real ``anthropic`` client (configured from ``ANTHROPIC_API_KEY``
and ``ANTHROPIC_BASE_URL``) against :mod:`fake_anthropic` on 127.0.0.1.
"""

from __future__ import annotations

import ast

import pytest

from docsync.models import Style
from fake_anthropic import FakeAnthropic, error_reply, stop_reply, tool_reply
from helpers_llm import (
    JSON_MODEL,
    docstring_answers,
    llm_fix,
    options,
    proposal,
)

GOOGLE = '''\
    """Arithmetic."""


    def scale(value, factor):
        """Scale a value.

        Args:
            value: The value.

        Returns:
            The scaled value.
        """
        return value * factor
'''
GOOGLE_FIXED = (
    "Scale a value.\n\nArgs:\n    value: The value.\n    factor: What to multiply it by.\n\n"
    "Returns:\n    The scaled value."
)
NUMPY = '''\
    """Arithmetic."""


    def scale(value, factor):
        """Scale a value.

        Parameters
        ----------
        value : float
            The value.

        Returns
        -------
        float
            The scaled value.
        """
        return value * factor
'''
NUMPY_FIXED = (
    "Scale a value.\n\nParameters\n----------\nvalue : float\n    The value.\n"
    "factor : float\n    What to multiply it by.\n\nReturns\n-------\nfloat\n    The scaled value."
)
SPHINX = '''\
    """Arithmetic."""


    def scale(value, factor):
        """Scale a value.

        :param value: The value.
        :returns: The scaled value.
        """
        return value * factor
'''
SPHINX_FIXED = (
    "Scale a value.\n\n:param value: The value.\n:param factor: What to multiply it by.\n"
    ":returns: The scaled value."
)


def _docstring(text: str, name: str = "scale") -> str:
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_docstring(node) or ""
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("source", "fixed", "style"),
    [
        (GOOGLE, GOOGLE_FIXED, Style.GOOGLE),
        (NUMPY, NUMPY_FIXED, Style.NUMPY),
        (SPHINX, SPHINX_FIXED, Style.SPHINX),
    ],
    ids=["google", "numpy", "sphinx"],
)
def test_a_missing_parameter_is_drafted_in_each_style(
    fake_api: FakeAnthropic, source: str, fixed: str, style: Style
) -> None:
    fake_api.add(proposal("mod.scale", fixed))
    result, drafter = llm_fix(source)
    assert not result.failed and not result.left
    assert [e.origin for e in result.edits] == ["llm:claude-sonnet-4-6"]
    assert [f.code for f in result.edits[0].findings] == ["DS102"]
    new = result.new.decode()
    assert _docstring(new) == fixed
    assert new.replace("        factor", "").count("\n") <= new.count("\n")
    request = fake_api.message_requests[0]
    assert request.headers["authorization"] == f"Bearer {fake_api.api_key}"
    assert request.headers["anthropic-version"]
    body = request.body
    assert body["tool_choice"] == {
        "type": "tool",
        "name": "propose_docstring",
        "disable_parallel_tool_use": True,
    }
    assert all(tool["strict"] is True for tool in body["tools"])
    assert all(tool["input_schema"]["additionalProperties"] is False for tool in body["tools"])
    assert body["system"][-1]["cache_control"] == {"type": "ephemeral"}
    assert f"in {style.value} style" in body["system"][-1]["text"]
    user = body["messages"][0]["content"]
    assert "<docstring" in user and "<code" in user and "DS102" in user
    assert user.index("<findings>") < user.index("<code")  # the changing code comes last
    assert drafter.summary().requests == 1


def test_only_the_new_entry_changes_bytes(fake_api: FakeAnthropic) -> None:
    source = GOOGLE.replace("            value: The value.", "            value: The value.   ")
    fake_api.add(proposal("mod.scale", GOOGLE_FIXED))
    result, _ = llm_fix(source)
    old, new = result.old.decode().splitlines(), result.new.decode().splitlines()
    assert [line for line in new if line not in old] == ["        factor: What to multiply it by."]
    assert "        value: The value.   " in new  # kept as written, trailing spaces and all


def test_models_that_refuse_forced_tools_get_json_outputs(fake_api: FakeAnthropic) -> None:
    fake_api.responder = docstring_answers({"mod.scale": GOOGLE_FIXED})
    result, _ = llm_fix(GOOGLE, options(model=JSON_MODEL))
    assert _docstring(result.new.decode()) == GOOGLE_FIXED
    body = fake_api.message_requests[0].body
    assert "tool_choice" not in body and "tools" not in body
    schema = body["output_config"]["format"]["schema"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"new_docstring", "rationale"}  # the target is known


def test_off_schema_answers_get_one_repair_then_a_person(fake_api: FakeAnthropic) -> None:
    fake_api.add(
        proposal("mod.scale", GOOGLE_FIXED, confidence="high"),
        tool_reply(
            "propose_docstring", {"symbol": "mod.scale", "new_docstring": 42, "rationale": ""}
        ),
    )
    result, drafter = llm_fix(GOOGLE)
    assert result.new == result.old and not result.edits
    [(finding, reason)] = result.left
    assert finding.code == "DS102"
    assert "was wrong twice" in reason and "'new_docstring' must be a string" in reason
    repair = fake_api.message_requests[1].body["messages"]
    assert [m["role"] for m in repair] == ["user", "assistant", "user"]
    [result_block] = repair[2]["content"]
    assert result_block["type"] == "tool_result" and result_block["is_error"] is True
    assert result_block["tool_use_id"] == repair[1]["content"][0]["id"]
    assert "unexpected key 'confidence'" in result_block["content"]
    assert drafter.summary().needs_person == 1


def test_a_draft_that_fails_validation_passes_on_repair(fake_api: FakeAnthropic) -> None:
    still_missing = "Scale a value.\n\nArgs:\n    value: The value.\n\nReturns:\n    The result."
    fake_api.add(proposal("mod.scale", still_missing), proposal("mod.scale", GOOGLE_FIXED))
    result, _ = llm_fix(GOOGLE)
    assert _docstring(result.new.decode()) == GOOGLE_FIXED
    assert not result.left and not result.failed
    errors = fake_api.message_requests[1].user_texts[-1]
    assert "DS102 is still reported: parameter 'factor' of scale() is not documented" in errors
    assert "the 'returns' section changed, but no finding concerns it" in errors


@pytest.mark.parametrize(
    ("stop_reason", "said"),
    [("refusal", "declined to draft"), ("max_tokens", "cut off at max_tokens")],
)
def test_refusal_and_max_tokens_leave_the_finding_for_a_person(
    fake_api: FakeAnthropic, stop_reason: str, said: str
) -> None:
    fake_api.add(stop_reply(stop_reason, "I can't help with that."))
    result, _ = llm_fix(GOOGLE)
    assert result.new == result.old
    [(finding, reason)] = result.left
    assert finding.code == "DS102" and said in reason
    assert len(fake_api.message_requests) == 1


@pytest.mark.parametrize(
    "failure",
    [
        error_reply(429, "rate_limit_error", "Slow down.", {"retry-after": "0.05"}),
        error_reply(529, "overloaded_error", "Overloaded."),
        error_reply(500, "api_error", "Internal error."),
    ],
    ids=["429-retry-after", "529", "500"],
)
def test_transient_errors_are_retried_by_the_sdk(fake_api: FakeAnthropic, failure: object) -> None:
    fake_api.add(failure, proposal("mod.scale", GOOGLE_FIXED))  # type: ignore[arg-type]
    result, _ = llm_fix(GOOGLE)
    assert _docstring(result.new.decode()) == GOOGLE_FIXED
    requests = fake_api.message_requests
    assert len(requests) == 2
    assert requests[1].headers.get("x-stainless-retry-count") == "1"


def test_errors_that_outlast_the_retries_fail_the_target(fake_api: FakeAnthropic) -> None:
    fake_api.add(*[error_reply(500, "api_error", "Internal error.")] * 2)
    result, drafter = llm_fix(GOOGLE, options(max_retries=1))
    [(finding, error)] = result.failed
    assert finding.code == "DS102" and "HTTP 500 after retries" in error
    assert len(fake_api.message_requests) == 2
    assert drafter.summary().failed == 1


def test_a_request_that_times_out_is_retried_then_fails(fake_api: FakeAnthropic) -> None:
    slow = proposal("mod.scale", GOOGLE_FIXED)
    # The answer comes long after the timeout, so a starved client cannot still catch it.
    slow = type(slow)(slow.status, slow.body, slow.headers, delay=10.0)
    fake_api.add(slow, slow)
    result, _ = llm_fix(GOOGLE, options(timeout=0.3, max_retries=1))
    [(_, error)] = result.failed
    assert "timed out" in error
    assert len(fake_api.message_requests) == 2
    assert result.new == result.old


TWO = (
    GOOGLE
    + '''

    def shift(value, offset):
        """Shift a value.

        Args:
            value: The value.

        Returns:
            The shifted value.
        """
        return value + offset
'''
)
SHIFT_FIXED = (
    "Shift a value.\n\nArgs:\n    value: The value.\n    offset: How far.\n\n"
    "Returns:\n    The shifted value."
)


@pytest.mark.parametrize(
    "refusal",
    [
        error_reply(
            400, "invalid_request_error", "Your credit balance is too low to access the API."
        ),
        error_reply(402, "billing_error", "Payment required."),
        error_reply(403, "permission_error", "This key may not use this model."),
    ],
    ids=["credit-400", "billing-402", "permission-403"],
)
def test_a_spend_or_permission_error_stops_drafting_and_keeps_what_was_drafted(
    fake_api: FakeAnthropic, refusal: object
) -> None:
    fake_api.add(proposal("mod.scale", GOOGLE_FIXED), refusal)  # type: ignore[arg-type]
    fake_api.responder = docstring_answers({"mod.shift": SHIFT_FIXED})  # never reached
    result, drafter = llm_fix(TWO)
    assert _docstring(result.new.decode()) == GOOGLE_FIXED  # the first draft is kept
    assert _docstring(result.new.decode(), "shift") == _docstring(result.old.decode(), "shift")
    [(finding, reason)] = result.left
    assert finding.symbol == "mod.shift" and reason.startswith("LLM drafting stopped")
    assert len(fake_api.message_requests) == 2
    [note] = drafter.summary().notes
    assert note.startswith("LLM drafting stopped")


def test_an_unrelated_section_may_not_change(fake_api: FakeAnthropic) -> None:
    rewritten = GOOGLE_FIXED.replace("Scale a value.", "Multiply a value.")
    fake_api.add(proposal("mod.scale", rewritten), proposal("mod.scale", rewritten))
    result, _ = llm_fix(GOOGLE)
    assert result.new == result.old
    [(_, reason)] = result.left
    assert "summary and description changed" in reason
