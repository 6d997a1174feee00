"""The command line end to end: exit codes, formats, configuration errors, bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docsync.cli import main
from docsync.rules.registry import RULES

REPO = Path(__file__).resolve().parents[1]

DRIFTED = '''\
def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        url: where from.
        retries: how often to retry.
    """
    return url
'''

CLEAN = '''\
def fetch(url):
    """Fetch a URL.

    Args:
        url: where from.
    """
    return url
'''


def make_project(tmp_path: Path, files: dict[str, str], pyproject: str = "") -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return tmp_path


def run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_clean_project_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path, {"pkg/mod.py": CLEAN})
    result = run(["check"], tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "No drift found in 1 file." in result.output


def test_findings_exit_1_and_are_grouped_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(tmp_path, {"pkg/mod.py": DRIFTED})
    result = run(["check"], tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert "pkg/mod.py\n" in result.output
    assert "DS103" in result.output and "renamed-param" in result.output
    assert "mod.fetch" in result.output


def test_fail_on_error_ignores_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = DRIFTED.replace("        retries: how often to retry.\n", "")
    make_project(tmp_path, {"mod.py": source})  # only DS102 missing-param (a warning)
    assert run(["check"], tmp_path, monkeypatch).exit_code == 1
    assert run(["check", "--fail-on", "error"], tmp_path, monkeypatch).exit_code == 0
    assert run(["check", "--exit-zero"], tmp_path, monkeypatch).exit_code == 0


def test_select_ignore_and_severity_from_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(tmp_path, {"mod.py": DRIFTED}, '[tool.docsync]\nignore = ["DS1"]\n')
    assert run(["check"], tmp_path, monkeypatch).exit_code == 0
    result = run(["check", "--format", "json"], tmp_path, monkeypatch)
    assert json.loads(result.output)["findings"] == []


def test_json_output_to_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path, {"mod.py": DRIFTED})
    result = run(["check", "--format", "json", "-o", "out.json"], tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert result.output == ""
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    (finding,) = document["findings"]
    assert finding["code"] == "DS103"
    assert finding["path"] == "mod.py"
    assert finding["symbol"] == "mod.fetch"
    assert finding["evidence"] == {"documented": "retries", "actual": "timeout", "since": None}


def test_github_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path, {"mod.py": DRIFTED})
    result = run(["check", "--format", "github"], tmp_path, monkeypatch)
    assert result.output.startswith("::error file=mod.py,line=6,")


@pytest.mark.parametrize(
    ("pyproject", "args", "expected"),
    [
        ("[tool.docsync]\ncolour = true\n", [], "unknown key 'colour'"),
        ("[tool.docsync]\nfail-on = 'loud'\n", [], "'fail-on' must be one of"),
        ("", ["--select", "DS999"], "no rule matches 'DS999'"),
        ("", ["--select", "E501"], "'E501' is not a rule code"),
        ("", ["missing/"], "path not found"),
    ],
)
def test_usage_errors_exit_2_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pyproject: str, args: list[str], expected: str
) -> None:
    make_project(tmp_path, {"mod.py": CLEAN}, pyproject)
    result = run(["check", *args], tmp_path, monkeypatch)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output


def test_bad_files_are_diagnostics_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(tmp_path, {"good.py": DRIFTED, "broken.py": "def f(:\n    pass\n"})
    (tmp_path / "latin.py").write_bytes(b'x = "caf\xe9"\n')
    result = run(["check", "--format", "json"], tmp_path, monkeypatch)
    document = json.loads(result.output)
    assert result.exit_code == 1
    assert [f["path"] for f in document["findings"]] == ["good.py"]
    diagnostics = {d["path"]: d for d in document["diagnostics"]}
    assert diagnostics["broken.py"]["line"] == 1
    assert diagnostics["latin.py"]["line"] == 1
    assert "UTF-8" in diagnostics["latin.py"]["message"]


def test_explicit_paths_limit_the_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path, {"a/mod.py": DRIFTED, "b/mod.py": CLEAN})
    assert run(["check", "b"], tmp_path, monkeypatch).exit_code == 0
    assert run(["check", "a"], tmp_path, monkeypatch).exit_code == 1


def test_rules_lists_every_rule() -> None:
    """Every rule of the registry, and every rule the reference documents, with its slug."""
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0, result.output
    listed = dict(re.findall(r"^(DS\d{3})\s+(\S+)", result.output, flags=re.M))
    registered = {rule.code: rule.slug for rule in RULES}
    assert registered, "the registry is empty"
    assert {code: listed.get(code) for code in registered} == registered
    reference = (REPO / "docs" / "reference" / "rules.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| \[(DS\d{3})\]\(#[^)]*\) \| `([^`]+)` \|", reference, re.M))
    assert len(documented) >= len(registered)
    assert listed == documented
    lines = result.output.splitlines()
    assert len(lines) == len(RULES)
    for line, rule in zip(lines, RULES, strict=True):
        assert line.split()[:3] == [rule.code, rule.slug, rule.severity.value]
        assert line.endswith(rule.summary)


def test_python_dash_m_and_the_demo() -> None:
    """The README's first command: the demo has drift of every kind, in all three styles.

    It runs in the checkout, so without the cache: the run must leave the repository as it was.
    """
    env = {**os.environ, "NO_COLOR": "1"}
    command = ["check", "examples/demo", "--format", "json", "--no-cache"]
    proc = subprocess.run(
        [sys.executable, "-m", "docsync", *command],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    codes = {f["code"] for f in findings}
    assert {
        "DS101",
        "DS103",
        "DS104",
        "DS105",
        "DS201",
        "DS202",
        "DS203",
        "DS301",
        "DS401",
    } <= codes
    files = {f["path"].rsplit("/", 1)[1] for f in findings}
    assert files == {"cart.py", "inventory.py", "payments.py"}
