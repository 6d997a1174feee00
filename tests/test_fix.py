"""``docsync fix`` end to end: files on disk, the fixed point, refused edits, the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docsync.cli import main
from docsync.commands.check import run_check
from docsync.commands.fix import FixResult, run_fix
from docsync.config import load_config
from docsync.deliver.fix_report import render_fix_text
from docsync.draft.base import (
    DocstringTarget,
    Drafted,
    DraftOutcome,
    DraftRequest,
    NeedsPerson,
)

DRIFTED = '''\
"""A module."""


def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        timeout (str): How long.
        url: Where from.
        retries: How often to retry.
    """
    return url


def numbers(n):
    """Count.

    Args:
        n: How many.

    Returns:
        int: Numbers.
    """
    yield n


def missing(a, b):
    """Needs a person.

    Args:
        a: A.
    """
    return a + b
'''


def project(tmp_path: Path, files: dict[str, str], pyproject: str = "") -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return tmp_path


def fix(root: Path, **options: object) -> FixResult:
    return run_fix(load_config(root), **options)  # type: ignore[arg-type]


def cli(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_fix_writes_the_mechanical_fixes_and_leaves_the_rest(tmp_path: Path) -> None:
    root = project(tmp_path, {"pkg/mod.py": DRIFTED})
    result = fix(root)
    assert sorted(f.code for f in result.fixed) == ["DS101", "DS105", "DS202"]
    assert [f.code for f in result.left_for_person] == ["DS102"]
    assert result.failed == ()
    assert result.files_changed == ("pkg/mod.py",)
    text = (root / "pkg/mod.py").read_text(encoding="utf-8")
    assert "retries" not in text
    assert text.index("url: Where from.") < text.index("timeout (str): How long.")
    assert "Yields:\n        int: Numbers." in text


def test_fixed_point_check_reports_none_of_the_fixed_and_second_fix_is_a_no_op(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, {"pkg/mod.py": DRIFTED})
    first = fix(root)
    after = run_check(load_config(root))
    fixed = {f.fingerprint for f in first.fixed}
    assert not fixed & {f.fingerprint for f in after.findings}
    assert [f.code for f in after.findings] == ["DS102"]
    before_second = (root / "pkg/mod.py").read_bytes()
    second = fix(root)
    assert second.edits_applied == () and second.diff == ""
    assert (root / "pkg/mod.py").read_bytes() == before_second


def test_diff_only_writes_nothing(tmp_path: Path) -> None:
    root = project(tmp_path, {"pkg/mod.py": DRIFTED})
    result = fix(root, diff_only=True)
    assert (root / "pkg/mod.py").read_text(encoding="utf-8") == DRIFTED
    assert result.diff.startswith("diff --git a/pkg/mod.py b/pkg/mod.py\n--- a/pkg/mod.py\n")
    assert "-        retries: How often to retry.\n" in result.diff
    assert not result.written


def test_placeholders_fix_the_missing_parameter(tmp_path: Path) -> None:
    root = project(tmp_path, {"pkg/mod.py": DRIFTED})
    result = fix(root, placeholders=True)
    assert result.left_for_person == ()
    text = (root / "pkg/mod.py").read_text(encoding="utf-8")
    assert "        a: A.\n        b: TODO(docsync): describe b.\n" in text
    assert run_check(load_config(root)).findings == ()


@dataclass(frozen=True)
class CodeSmuggler:
    """A bad drafter: fixes the docstring and appends code after the literal."""

    name: str = "llm:bad"

    def draft(self, request: DraftRequest) -> DraftOutcome:
        assert isinstance(request.target, DocstringTarget)
        new = request.target.literal.replace("        retries: How often to retry.\n", "")
        return Drafted(request.edit(new + "; import os", request.findings, self.name))


def test_an_edit_that_changes_code_is_refused_and_the_file_untouched(tmp_path: Path) -> None:
    root = project(tmp_path, {"pkg/mod.py": DRIFTED})
    result = fix(root, drafters=[CodeSmuggler()])
    assert result.edits_applied == ()
    assert {f.code for f, _ in result.failed} >= {"DS101"}
    assert all("literal" in error or "code" in error for _, error in result.failed)
    assert (root / "pkg/mod.py").read_bytes() == DRIFTED.encode()


@dataclass(frozen=True)
class PrefixFlipper:
    """A bad drafter: turns the docstring into an f-string, which is code, not a docstring."""

    name: str = "llm:flip"

    def draft(self, request: DraftRequest) -> DraftOutcome:
        assert isinstance(request.target, DocstringTarget)
        return Drafted(request.edit("f" + request.target.literal, request.findings, self.name))


def test_an_edit_that_turns_the_docstring_into_code_fails_and_others_go_through(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, {"pkg/bad.py": DRIFTED, "pkg/good.py": DRIFTED})
    bad = run_fix(load_config(root), drafters=[PrefixFlipper()])
    assert bad.edits_applied == ()
    assert bad.failed
    assert (root / "pkg/bad.py").read_bytes() == DRIFTED.encode()
    good = run_fix(load_config(root))
    assert good.files_changed == ("pkg/bad.py", "pkg/good.py")


@dataclass(frozen=True)
class PrefixAdder:
    """A bad drafter: adds a ``u`` prefix, which libcst's checks refuse."""

    name: str = "llm:prefix"

    def draft(self, request: DraftRequest) -> DraftOutcome:
        assert isinstance(request.target, DocstringTarget)
        if request.target.symbol.name != "numbers":
            return NeedsPerson(request.findings, "not mine")
        new = "u" + request.target.literal.replace("Returns:", "Yields:")
        return Drafted(request.edit(new, request.findings, self.name))


def test_libcst_refusal_drops_the_edit_and_reports_it_failed(tmp_path: Path) -> None:
    root = project(tmp_path, {"pkg/mod.py": DRIFTED})
    result = fix(root, drafters=[PrefixAdder()])
    assert result.edits_applied == ()
    assert [(f.code, error) for f, error in result.failed] == [
        ("DS202", "line 16: the edit would change the string prefix")
    ]
    assert (root / "pkg/mod.py").read_bytes() == DRIFTED.encode()


def test_one_bad_docstring_does_not_stop_the_others_in_the_file(tmp_path: Path) -> None:
    escaped = DRIFTED.replace('"""Fetch a URL.', '"""Fetch a URL.\\n')
    root = project(tmp_path, {"pkg/mod.py": escaped})
    result = fix(root)
    assert sorted(f.code for f in result.fixed) == ["DS202"]
    reasons = {f.code: result.reasons[f.fingerprint] for f in result.left_for_person}
    assert "escape" in reasons["DS101"]


def test_report_lists_each_finding_and_a_table_per_rule(tmp_path: Path) -> None:
    root = project(tmp_path, {"pkg/mod.py": DRIFTED})
    text = render_fix_text(fix(root))
    assert "fixed   pkg/mod.py:10  DS101  parameter 'retries'" in text
    assert "left    pkg/mod.py:29  DS102" in text  # where it is after the fix
    table = text[text.index("rule ") :].splitlines()
    assert table[0].split() == ["rule", "fixed", "left", "failed"]
    assert table[1].split() == ["DS101", "1", "0", "0"]
    assert table[-2].split() == ["total", "3", "1", "0"]
    assert table[-1] == "Fixed: 3 findings in 1 file; left for a person: 1; failed: 0."


def test_cli_fix_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"pkg/mod.py": DRIFTED})
    left = cli(["fix", "--diff"], root, monkeypatch)
    assert left.exit_code == 1  # DS102 is a warning, the default fail-on level
    assert left.stdout.startswith("diff --git")
    assert "Fixable: 3 findings" in left.stderr
    assert cli(["fix", "--fail-on", "error"], root, monkeypatch).exit_code == 0
    assert cli(["fix", "--placeholders"], root, monkeypatch).exit_code == 0
    assert cli(["check"], root, monkeypatch).exit_code == 0


def test_cli_fix_select_and_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"pkg/mod.py": DRIFTED})
    result = cli(["fix", "--select", "DS202", "--fail-on", "error"], root, monkeypatch)
    assert result.exit_code == 0
    assert "DS101" not in result.output and "DS202" in result.output
    assert cli(["fix", "--select", "DS999"], root, monkeypatch).exit_code == 2
    assert cli(["fix", "--nope"], root, monkeypatch).exit_code == 2


def test_baselined_findings_are_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"pkg/mod.py": DRIFTED})
    assert cli(["baseline"], root, monkeypatch).exit_code == 0
    result = fix(root)
    assert result.edits_applied == ()
    assert (root / "pkg/mod.py").read_text(encoding="utf-8") == DRIFTED
