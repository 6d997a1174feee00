"""Drafts that land: varied-but-right answers are accepted, wrong ones rejected (issue 15).

The fake model (:mod:`fake_model`) builds each answer from the prompt, in the
docstring's style, and varies its shape the way real models do.
"""

from __future__ import annotations

import ast

import pytest

from fake_anthropic import FakeAnthropic
from fake_model import GOOD, WRONG, ModelLike
from helpers_llm import JSON_MODEL, TOOL_MODEL, llm_fix, options
from test_llm_safety import _fix_page as fix_page

PAGE = "# Usage\n\nCall `fetching.fetch_url()` to download a page.\n\nMore text.\n"

SOURCES = {
    "google": '''\
        """Shipping."""


        class Order:
            """An order."""

            def cancel(self, reason, refund=True):
                """Cancel the order.

                The order is marked as cancelled.

                Args:
                    reason: Why it is cancelled.

                Returns:
                    Whether it was cancelled.
                """
                return bool(reason) and refund
        ''',
    "numpy": '''\
        """Shipping."""


        def cancel(order, reason: str, refund: bool = True) -> bool:
            """Cancel an order.

            Parameters
            ----------
            order : object
                The order.
            reason : str
                Why it is cancelled.

            Returns
            -------
            bool
                Whether it was cancelled.
            """
            return bool(reason) and refund
        ''',
    "sphinx": '''\
        """Shipping."""


        def cancel(order, reason, refund=True):
            """Cancel an order.

            :param order: The order.
            :param reason: Why it is cancelled.
            :returns: Whether it was cancelled.
            """
            return bool(reason) and refund
        ''',
}


def _docstrings(text: str) -> list[str | None]:
    tree = ast.parse(text)
    return [
        ast.get_docstring(n)
        for n in ast.walk(tree)
        if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Module))
    ]


@pytest.mark.parametrize("model", [TOOL_MODEL, JSON_MODEL])
@pytest.mark.parametrize("style", sorted(SOURCES))
@pytest.mark.parametrize("variant", GOOD)
def test_a_right_answer_in_any_harmless_shape_is_accepted(
    fake_api: FakeAnthropic, variant: str, style: str, model: str
) -> None:
    fake_api.responder = ModelLike(variants=(variant,))
    result, drafter = llm_fix(SOURCES[style], options(model=model))
    assert [f.code for f, _ in result.left] == []
    assert len(fake_api.message_requests) == 1  # accepted at once, no repair
    new = result.new.decode()
    assert "refund" in "".join(d or "" for d in _docstrings(new))
    assert drafter.summary().drafted == 1
    assert ast.dump(ast.parse(new)).count("Constant") >= 1


@pytest.mark.parametrize("wrong", [w for w in WRONG if w != "outside_lines"])
def test_a_wrong_answer_is_rejected_and_the_repair_lands(
    fake_api: FakeAnthropic, wrong: str
) -> None:
    model = ModelLike(wrong_every=1, wrong=(wrong,))
    fake_api.responder = model
    result, _ = llm_fix(SOURCES["google"])
    assert model.wrong_sent == [wrong] and model.wrong_rejected == [wrong]
    assert len(fake_api.message_requests) == 2
    assert "refund: The refund to use." in result.new.decode()
    assert "import os" not in result.new.decode()
    repair = fake_api.message_requests[1].user_texts[-1]
    assert repair.startswith("docsync rejected this answer:")


def test_the_repair_turn_lists_every_error_with_the_text_to_keep(fake_api: FakeAnthropic) -> None:
    model = ModelLike(wrong_every=1, wrong=("unrelated_section",))
    fake_api.responder = model
    result, _ = llm_fix(SOURCES["google"])
    assert "rewritten" not in result.new.decode()
    repair = fake_api.message_requests[1].user_texts[-1]
    assert "summary and description changed" in repair
    assert "it was:\n    Cancel the order.\n\n    The order is marked as cancelled.\n" in repair


def test_every_outcome_is_a_draft_on_a_mixed_run(fake_api: FakeAnthropic) -> None:
    model = ModelLike(wrong_every=3)
    fake_api.responder = model
    outcomes = []
    for style in sorted(SOURCES):
        result, drafter = llm_fix(SOURCES[style])
        outcomes.append(drafter.summary().drafted)
        assert not result.left
    assert outcomes == [1, 1, 1]
    assert model.wrong_sent == model.wrong_rejected


@pytest.mark.parametrize("variant", ["exact", "short", "unnamed", "crlf", "preface"])
def test_a_page_answer_in_any_harmless_shape_is_accepted(
    fake_api: FakeAnthropic, variant: str
) -> None:
    fake_api.responder = ModelLike(variants=(variant,))
    new, result = fix_page(PAGE)
    assert new.decode().splitlines()[2] == "Call `fetching.fetch()` to download a page."
    assert not result.left and len(fake_api.message_requests) == 1  # type: ignore[attr-defined]


def test_page_lines_outside_the_target_are_rejected_then_repaired(
    fake_api: FakeAnthropic,
) -> None:
    model = ModelLike(wrong_every=1, wrong=("outside_lines",))
    fake_api.responder = model
    new, _ = fix_page(PAGE)
    assert model.wrong_sent == model.wrong_rejected == ["outside_lines"]
    assert new.decode().splitlines()[:2] == PAGE.splitlines()[:2]
    assert "fetching.fetch()" in new.decode()
