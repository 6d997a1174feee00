"""The README's first screen: the two set-up commands, and CI running both as written."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def first_screen_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = "\n".join(text.splitlines()[:30])
    return re.findall(r"```bash\n(.+?)\n```", head)


def test_first_screen_has_the_demo_and_the_test_commands() -> None:
    demo, tests = first_screen_commands()[:2]
    assert "docsync check" in demo and "examples/demo" in demo
    assert "pytest" in tests


def test_ci_runs_exactly_the_readme_test_command() -> None:
    tests = first_screen_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci


def test_ci_runs_exactly_the_readme_demo_command_in_a_fresh_clone() -> None:
    demo = first_screen_commands()[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    [line] = [line for line in ci.splitlines() if demo in line]
    assert line.startswith('(cd "$demo/docsync" && ')
    assert 'git clone -q . "$demo/docsync"' in ci
