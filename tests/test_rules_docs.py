"""The committed rules reference is exactly what the rules render."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

from docsync.commands.rules import REGENERATE, render_rules_markdown
from docsync.rules import RULES

RULES_MD = Path(__file__).resolve().parents[1] / "docs" / "reference" / "rules.md"


def test_committed_rules_reference_is_up_to_date() -> None:
    committed = RULES_MD.read_text(encoding="utf-8")
    assert committed == render_rules_markdown(), (
        f"docs/reference/rules.md is stale; run: {REGENERATE}"
    )


def test_reference_lists_every_rule_with_examples() -> None:
    text = render_rules_markdown()
    for rule in RULES:
        assert f"## {rule.code} {rule.slug}" in text
        assert f"[{rule.code}](#{rule.code.lower()}-{rule.slug})" in text
        assert rule.must_flag[0].source.splitlines()[0] in text
    docstring_part = text.split("## DS501")[0]
    assert docstring_part.count("\n```python\n") == 2 * len(RULES)


def test_reference_lists_base_mode_and_page_rules() -> None:
    from docsync.commands.check import all_rules

    text = render_rules_markdown()
    for rule in all_rules():
        assert f"## {rule.code} {rule.slug}" in text
    assert "````markdown" in text


def test_module_main_prints_the_reference(capsys: pytest.CaptureFixture[str]) -> None:
    saved = sys.modules.pop("docsync.commands.rules")
    try:
        runpy.run_module("docsync.commands.rules", run_name="__main__")
    finally:
        sys.modules["docsync.commands.rules"] = saved
    assert capsys.readouterr().out == render_rules_markdown()
