"""Whole runs of the LLM drafter: collect, draft together (threads, batch, dry run), replay.

These drive the drafter the way ``docsync fix --llm`` does: a first pass records the
plans, :meth:`LLMDrafter.draft_collected` drafts them, and a second pass applies the
outcomes through the usual checks.  Review findings (DS502) are asked of the review
model and may come back "still accurate".
"""

from __future__ import annotations

import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from docsync.apply.files import FileFix
from docsync.commands.fix import SymbolRules, fix_bytes
from docsync.commands.fix_python import PythonFixer
from docsync.config import Config
from docsync.draft.llm.drafter import LLMDrafter, LLMOptions
from docsync.draft.mechanical.drafter import MechanicalDrafter
from docsync.models import Evidence, Finding, Project, Severity
from docsync.rules import FAMILIES
from docsync.scan.python import scan_source
from fake_anthropic import FakeAnthropic, Reply, error_reply, tool_reply
from helpers_llm import asked_symbol, docstring_answers, options, proposal

FOUR = "\n\n".join(
    f'''def {name}(value, {extra}):
    """Do {name}.

    Args:
        value: The value.
    """
    return value'''
    for name, extra in (("alpha", "a"), ("beta", "b"), ("gamma", "c"), ("delta", "d"))
)
ANSWERS = {
    f"mod.{name}": f"Do {name}.\n\nArgs:\n    value: The value.\n    {extra}: The {extra}."
    for name, extra in (("alpha", "a"), ("beta", "b"), ("gamma", "c"), ("delta", "d"))
}


def two_passes(source: str, llm: LLMOptions) -> tuple[FileFix, LLMDrafter]:
    """Collect, draft the collected plans, replay -- as ``run_fix`` does."""
    config = Config(root=Path("/nonexistent"))
    drafter = LLMDrafter(llm, SymbolRules(config), collect=True)
    chain = [MechanicalDrafter(), drafter]
    data = textwrap.dedent(source).encode("utf-8")
    collected = fix_bytes("mod.py", data, config, drafters=chain)
    assert collected.new == collected.old
    drafter.draft_collected()
    return fix_bytes("mod.py", data, config, drafters=chain), drafter


def test_collected_targets_are_drafted_concurrently(fake_api: FakeAnthropic) -> None:
    answer = docstring_answers(ANSWERS)
    # No request is answered until all four are in flight: drafted one at a time (or two),
    # the first requests wait out the barrier's timeout, it breaks, and they fail.  The
    # timeout is generous (a loaded machine may take seconds to send the fourth); only a
    # failing run waits it out.
    together = threading.Barrier(4, timeout=60)

    def all_at_once(body: dict[str, Any]) -> Reply:
        together.wait()
        return answer(body)

    fake_api.responder = all_at_once
    result, drafter = two_passes(FOUR, options(concurrency=4, timeout=120.0))
    assert not together.broken, "the four requests were not in flight at the same time"
    assert len(result.edits) == 4 and not result.left and not result.failed
    assert sorted(asked_symbol(r.body) for r in fake_api.message_requests) == sorted(ANSWERS)
    summary = drafter.summary()
    assert summary.requests == 4 and summary.drafted == 4
    assert summary.usage.input_tokens == 4 * 900 and summary.cost > 0


def test_a_dry_run_sends_nothing_and_estimates_the_cost(fake_api: FakeAnthropic) -> None:
    result, drafter = two_passes(FOUR, options(dry_run=True))
    assert fake_api.requests == []
    assert result.new == result.old
    summary = drafter.summary()
    assert len(summary.previews) == 4 and summary.requests == 0
    preview = summary.previews[0]
    assert preview.where.startswith("mod.py:") and "(DS102)" in preview.where
    assert "--- system [1/2] ---" in preview.text and "<findings>" in preview.text
    assert preview.input_tokens > 500 and preview.cost > 0
    [line] = summary.render()
    assert line.startswith("LLM dry run: 4 requests not sent;") and "estimated cost $" in line


def test_max_cost_stops_before_the_estimate_passes_it(fake_api: FakeAnthropic) -> None:
    _, dry = two_passes(FOUR, options(dry_run=True))
    one = max(p.cost for p in dry.summary().previews)
    fake_api.responder = docstring_answers(ANSWERS)
    result, drafter = two_passes(FOUR, options(concurrency=1, max_cost=one * 1.2))
    assert len(fake_api.message_requests) == 1
    assert len(result.edits) == 1 and len(result.left) == 3
    summary = drafter.summary()
    [note] = summary.notes
    assert "would take the spend past --max-cost $" in note
    assert summary.cost <= one * 1.2
    assert all("--max-cost" in reason for _, reason in result.left)


def test_the_batch_api_drafts_and_repairs_in_rounds(fake_api: FakeAnthropic) -> None:
    bad = "Do alpha.\n\nArgs:\n    value: The value given."  # still misses `a`
    fake_api.add(proposal("mod.alpha", bad))
    fake_api.responder = docstring_answers(ANSWERS)
    result, drafter = two_passes(FOUR, options(batch=True))
    assert len(result.edits) == 4 and not result.left
    assert fake_api.message_requests == []
    batches = [r for r in fake_api.requests if r.path == "/v1/messages/batches"]
    assert [len(b.body["requests"]) for b in batches] == [4, 1]
    repair = batches[1].body["requests"][0]
    assert repair["custom_id"] == "docsync-0-r1"
    assert "DS102 is still reported" in repair["params"]["messages"][-1]["content"][0]["content"]
    assert any(r.path.endswith("/results") for r in fake_api.requests)
    summary = drafter.summary()
    assert summary.requests == 5 and summary.batch
    assert "via the Message Batches API" in summary.render()[0]
    assert summary.cost == pytest.approx(5 * (900 * 3 + 120 * 15) / 1e6 / 2)


def test_a_billing_error_in_a_batch_stops_cleanly(fake_api: FakeAnthropic) -> None:
    fake_api.add(error_reply(400, "billing_error", "Your credit balance is too low."))
    fake_api.responder = docstring_answers(ANSWERS)
    result, drafter = two_passes(FOUR, options(batch=True))
    assert len(result.edits) == 3  # the other results of the batch are kept
    [(finding, reason)] = result.left
    assert finding.symbol == "mod.alpha" and reason.startswith("LLM drafting stopped")
    assert drafter.summary().notes


REVIEWED = '''\
"""Arithmetic."""


def total(values):
    """Add the values up.

    Args:
        values: The numbers.

    Returns:
        The total.
    """
    return sum(v for v in values if v is not None)
'''


def _review(source: str, llm: LLMOptions) -> FileFix:
    config = Config(root=Path("/nonexistent"))
    data = source.encode("utf-8")
    module = scan_source(data, "mod.py", "mod").module
    assert module is not None and module.symbols[1].docstring is not None
    project = Project("/nonexistent", (module,))
    finding = Finding(
        "DS502",
        "review-body-changed",
        Severity.INFO,
        "the code of total() changed but its docstring was not updated",
        module.symbols[1].docstring.location,
        "mod.total",
        Evidence(documented="Add the values up."),
        "review-fp",
    )
    detect = SymbolRules(config)
    fixer = PythonFixer(
        drafters=[MechanicalDrafter(), LLMDrafter(llm, detect)],
        detect=detect,
        redraft=lambda code: False,
        checked=frozenset(rule.code for family in FAMILIES for rule in family.rules),
    )
    return fixer.fix(project, module, data, [finding])


def test_a_review_the_model_finds_still_accurate_is_left_with_its_rationale(
    fake_api: FakeAnthropic,
) -> None:
    payload = {
        "symbol": "mod.total",
        "verdict": "still_accurate",
        "new_docstring": "",
        "rationale": "Skipping None does not change what the docstring promises.",
    }
    fake_api.add(tool_reply("review_docstring", payload))
    result = _review(REVIEWED, options())
    assert result.new == result.old
    [(finding, reason)] = result.left
    assert finding.code == "DS502"
    assert "still accurate (Skipping None does not change" in reason
    body = fake_api.message_requests[0].body
    assert body["model"] == "claude-haiku-4-5"
    assert body["tool_choice"]["name"] == "review_docstring"


def test_a_review_edit_goes_through_the_checks(fake_api: FakeAnthropic) -> None:
    new = (
        "Add up the values that are not None.\n\n"
        "Args:\n    values: The numbers.\n\nReturns:\n    The total."
    )
    payload = {"symbol": "mod.total", "verdict": "edit", "new_docstring": new, "rationale": "r"}
    fake_api.add(tool_reply("review_docstring", payload))
    result = _review(REVIEWED, options())
    assert [f.code for e in result.edits for f in e.findings] == ["DS502"]
    assert "Add up the values that are not None." in result.new.decode()
    assert result.edits[0].origin == "llm:claude-haiku-4-5"
