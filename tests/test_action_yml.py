"""``action.yml``: valid metadata, inputs only through ``env:``, and in step with the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from docsync.action.main import ActionInputs, ActionOutcome

ACTION = Path(__file__).parent.parent / "action.yml"


def load(path: Path = ACTION) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    command = ["check_jsonschema", "--builtin-schema", "vendor.github-actions", str(path)]
    return subprocess.run(
        [sys.executable, "-m", *command],
        capture_output=True,
        text=True,
        check=False,
    )


def test_action_yml_passes_the_github_actions_schema() -> None:
    done = lint(ACTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    broken = load()
    broken["runs"]["using"] = "shell"
    del broken["runs"]["steps"][0]["uses"]
    path = tmp_path / "action.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert lint(path).returncode == 1


def run_steps() -> list[dict[str, Any]]:
    return [s for s in load()["runs"]["steps"] if "run" in s]


def test_no_expression_inside_a_run_script() -> None:
    steps = run_steps()
    assert len(steps) == 2
    for step in steps:
        assert "${{" not in step["run"], step["name"]
        assert step["shell"] == "bash"


def test_every_input_reaches_docsync_through_env() -> None:
    action = load()
    [run] = [s for s in action["runs"]["steps"] if s.get("id") == "docsync"]
    env = run["env"]
    expected = {
        f"INPUT_{name.upper().replace('-', '_')}": f"${{{{ inputs.{name} }}}}"
        for name in action["inputs"]
        if name != "python-version"
    }
    assert {k: v for k, v in env.items() if k.startswith("INPUT_")} == expected
    # ... and docsync reads each of them.
    values = dict.fromkeys(expected, "1") | {"INPUT_MODE": "check", "INPUT_FAIL_ON": "error"}
    read = ActionInputs.from_env(values)
    assert all(getattr(read, f) not in (None, ()) for f in read.__dataclass_fields__)
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert action["inputs"]["mode"]["default"] == "auto"


def test_python_is_set_up_with_the_pip_cache_of_the_actions_own_pyproject() -> None:
    steps = load()["runs"]["steps"]
    cached = steps[0]
    assert cached["uses"] == "actions/setup-python@v5"
    assert cached["with"]["cache"] == "pip"
    assert cached["with"]["cache-dependency-path"] == "${{ github.action_path }}/pyproject.toml"
    assert cached["with"]["python-version"] == "${{ inputs.python-version }}"
    install = next(s for s in steps if s.get("id") == "install")
    assert install["env"]["DOCSYNC_SOURCE"] == "${{ github.action_path }}"
    assert '-m venv "$venv"' in install["run"] and "pip install" in install["run"]


def test_the_outputs_are_the_run_steps_and_docsync_writes_each() -> None:
    outputs = load()["outputs"]
    assert {name: spec["value"] for name, spec in outputs.items()} == {
        name: f"${{{{ steps.docsync.outputs.{name} }}}}"
        for name in ("findings", "fixed", "pr-url", "cost")
    }
    written = ActionOutcome.outputs.__doc__ or ""
    for name in outputs:
        assert f"``{name}``" in written


@pytest.mark.parametrize("path", ["docs/github-action.md", "README.md"])
def test_the_docs_name_every_input(path: str) -> None:
    text = (ACTION.parent / path).read_text(encoding="utf-8")
    for name in load()["inputs"]:
        assert re.search(rf"`{re.escape(name)}`", text), f"{path} does not mention {name}"
