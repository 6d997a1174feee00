"""`-v` on `docsync pr` and `docsync review`: the informational diagnostics, as `check` shows."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from docsync.cli import main
from fake_github.scenario import Scenario
from helpers_github import MAIN, open_pull

INFO = "info: pkg/empty.py:1: empty file"


@pytest.fixture
def hub_files() -> dict[str, str]:
    return {"pkg/mod.py": MAIN, "pkg/empty.py": "", "pyproject.toml": ""}


@pytest.fixture
def env(hub: Scenario, monkeypatch: pytest.MonkeyPatch) -> Scenario:
    for key, value in hub.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(hub.repo.path)
    return hub


def test_pr_verbose(env: Scenario) -> None:
    quiet = CliRunner().invoke(main, ["pr"], catch_exceptions=False)
    assert quiet.exit_code == 0 and INFO not in quiet.output
    verbose = CliRunner().invoke(main, ["pr", "-v"], catch_exceptions=False)
    assert verbose.exit_code == 0 and "Nothing to change" in verbose.output
    assert INFO in verbose.stderr


def test_review_verbose(env: Scenario) -> None:
    number = open_pull(env)
    quiet = CliRunner().invoke(main, ["review", "--pr", str(number)], catch_exceptions=False)
    assert "Summary comment: created." in quiet.output and INFO not in quiet.output
    verbose = CliRunner().invoke(main, ["review", "--pr", str(number), "--verbose"])
    assert "Summary comment: unchanged." in verbose.output, verbose.output
    assert INFO in verbose.stderr
