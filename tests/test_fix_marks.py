"""The `[*]` marks without the dry run: the same marks as the real drafter's, no libcst.

``docsync check`` marks each finding with who fixes it.  When no finding is of a
rule the mechanical drafter fixes, the marks come from
:func:`docsync.commands.fix_marks.marks` without the dry run (and without
importing libcst); these tests hold them equal to :func:`docsync.commands.fix.fixable`
(the dry run of the real drafter) on every rule example, and check the import.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from docsync.commands.check import BaseOptions, run_check
from docsync.commands.fix import fixable
from docsync.commands.fix_marks import drafts_any, marks
from docsync.config import Config
from docsync.deliver.report import FixBy
from docsync.rules import RULES, Example
from docsync.rules.rule import FixKind
from helpers_git import new_repo

DOCSTRING_EXAMPLES = [
    pytest.param(example, id=f"{rule.code}-{number}")
    for rule in RULES
    for number, example in enumerate(rule.must_flag)  # the must-not-flag ones have no findings
    if isinstance(example, Example)
]


@pytest.mark.parametrize("example", DOCSTRING_EXAMPLES)
def test_marks_equal_the_drafters_on_every_docstring_example(
    tmp_path: Path, example: Example
) -> None:
    path = tmp_path / example.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(example.source, encoding="utf-8")
    config = Config(root=tmp_path, cache=False, require_params=True, style=example.style)
    check = run_check(config, pages=False, use_baseline=False)
    drafted = fixable(config, check)
    if drafts_any(check.findings):
        mechanical = {key for key, by in drafted.items() if by is FixBy.MECHANICAL}
        assert marks(check.findings, check.project, mechanical) == drafted
    else:  # what `check` uses then, without a dry run
        assert FixBy.MECHANICAL not in drafted.values()
        assert marks(check.findings, check.project) == drafted


def test_the_examples_reach_both_paths() -> None:
    # Both branches above run: some examples need the dry run, others do not.
    mechanical = {r.code for r in RULES if r.fix is FixKind.MECHANICAL}
    docstring_codes = {r.code for r in RULES if any(isinstance(e, Example) for e in r.must_flag)}
    assert mechanical & docstring_codes
    assert docstring_codes - mechanical


NEW_API = '''\
"""Orders."""


def total(prices):
    """Add prices up.

    Args:
        prices: the prices.

    Returns:
        The sum.
    """
    return sum(prices)


def discount(price, rate=0.1):
    return price * (1 - rate)
'''

_CHECK = """
import json, sys
from click.testing import CliRunner
from docsync.cli import main
result = CliRunner().invoke(main, ["check", "--format", "json", "--base", "HEAD"])
print(json.dumps({"out": result.stdout, "libcst": "libcst" in sys.modules}))
"""


def test_check_base_marks_new_api_for_fix_llm_without_importing_libcst(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("shop/__init__.py", "")
    repo.write("shop/orders.py", '"""Orders."""\n')
    repo.commit("base")
    repo.write("shop/orders.py", NEW_API)
    child = subprocess.run(
        [sys.executable, "-c", _CHECK], cwd=repo.path, capture_output=True, text=True, check=True
    )
    answer = json.loads(child.stdout)
    document = json.loads(answer["out"])
    assert [(f["code"], f["fix"]) for f in document["findings"]] == [("DS504", "llm")]
    assert answer["libcst"] is False
    # The same marks as the real drafter's dry run.
    config = Config(root=repo.path, cache=False)
    check = run_check(config, change=BaseOptions("HEAD"), use_baseline=False)
    assert not drafts_any(check.findings)
    assert marks(check.findings, check.project) == fixable(config, check)
