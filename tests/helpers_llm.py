"""Helpers for the LLM drafter tests: test options, canned answers and a fix run with the drafter.

The fake API itself is the ``fake_api`` fixture in ``conftest.py``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docsync.apply.files import FileFix
from docsync.commands.fix import SymbolRules, fix_bytes
from docsync.config import Config
from docsync.draft.llm.drafter import LLMDrafter, LLMOptions
from docsync.draft.mechanical.drafter import MechanicalDrafter
from docsync.models import Style
from fake_anthropic import Reply, json_reply, tool_reply

TOOL_MODEL = "claude-sonnet-4-6"
"""A model that takes a forced tool choice: requests go out in tool mode."""
JSON_MODEL = "claude-sonnet-5-5"
"""A model that refuses a forced tool choice: requests go out with output_config."""


def options(**changes: Any) -> LLMOptions:
    """Test options: tool mode, small retry budget, fast batch polling.

    The request timeout is generous: the fake server answers at once, but a loaded
    machine can take seconds; a test of timeouts sets its own.
    """
    values: dict[str, Any] = {
        "model": TOOL_MODEL,
        "review_model": "claude-haiku-4-5",
        "max_retries": 2,
        "timeout": 60.0,
        "poll_interval": 0.01,
        **changes,
    }
    return LLMOptions(**values)


def llm_fix(
    source: str, llm: LLMOptions | None = None, *, style: Style | None = None
) -> tuple[FileFix, LLMDrafter]:
    """Fix ``source`` (dedented) as ``mod.py`` with the mechanical and the LLM drafter."""
    config = Config(root=Path("/nonexistent"), style=style)
    drafter = LLMDrafter(llm or options(), SymbolRules(config))
    text = textwrap.dedent(source)
    result = fix_bytes(
        "mod.py", text.encode("utf-8"), config, drafters=[MechanicalDrafter(), drafter]
    )
    return result, drafter


def asked_symbol(body: dict[str, Any]) -> str:
    """The symbol a request asks about (from the first user turn)."""
    first = body["messages"][0]["content"]
    found = re.search(r"for symbol `([^`]+)`", first)
    assert found, first
    return found.group(1)


def docstring_answers(
    answers: dict[str, str], *, tool: str = "propose_docstring"
) -> Callable[[dict[str, Any]], Reply]:
    """A fake model that proposes ``answers[symbol]`` for whichever symbol it is asked about."""

    def respond(body: dict[str, Any]) -> Reply:
        symbol = asked_symbol(body)
        payload = {
            "symbol": symbol,
            "new_docstring": answers[symbol],
            "rationale": "From the code.",
        }
        if tool.startswith("review"):
            payload = {**payload, "verdict": "edit"}
        if "output_config" in body:
            return json_reply(payload, model=body["model"])
        return tool_reply(tool, payload, model=body["model"])

    return respond


def proposal(symbol: str, new_docstring: str, **extra: Any) -> Reply:
    """A tool-mode ``propose_docstring`` answer."""
    payload = {"symbol": symbol, "new_docstring": new_docstring, "rationale": "From the code."}
    return tool_reply("propose_docstring", {**payload, **extra})
