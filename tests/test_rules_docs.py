"""The committed rules reference is exactly what the rules render."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

from docsync.commands.rules import REGENERATE, render_rules_markdown
from docsync.rules import RULES, ChangeExample, PageExample
from docsync.rules.registry import rule_module

RULES_MD = Path(__file__).resolve().parents[1] / "docs" / "reference" / "rules.md"


def test_committed_rules_reference_is_up_to_date() -> None:
    committed = RULES_MD.read_text(encoding="utf-8")
    assert committed == render_rules_markdown(), (
        f"docs/reference/rules.md is stale; run: {REGENERATE}"
    )


def test_reference_lists_every_rule_with_examples() -> None:
    text = render_rules_markdown()
    for rule in RULES:
        section = text.split(f"\n## {rule.code} {rule.slug}\n")[1].split("\n## ")[0]
        assert f"[{rule.code}](#{rule.code.lower()}-{rule.slug})" in text
        assert f"Checked in `{rule_module(rule)}`." in section
        assert "Flagged:" in section and "Not flagged:" in section
        first = rule.must_flag[0]
        if isinstance(first, PageExample):
            assert "````markdown" in section and first.markdown.splitlines()[0] in section
        elif isinstance(first, ChangeExample):
            assert section.count("\n```diff\n") == 2
        else:
            assert section.count("\n```python\n") == 2
            assert first.source.splitlines()[0] in section


def test_module_main_prints_the_reference(capsys: pytest.CaptureFixture[str]) -> None:
    saved = sys.modules.pop("docsync.commands.rules")
    try:
        runpy.run_module("docsync.commands.rules", run_name="__main__")
    finally:
        sys.modules["docsync.commands.rules"] = saved
    assert capsys.readouterr().out == render_rules_markdown()
