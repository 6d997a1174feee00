"""Test code is not API: tests, fixtures and task contexts need no parameter docs.

Unless ``check-tests`` is set, from pyproject.toml or the command line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docsync.cli import main
from docsync.config import ConfigError, load_config
from docsync.models import Project
from docsync.rules import run_rules
from docsync.rules.test_code import injected_params, is_test_module
from docsync.scan.python import scan_source

TEST_MODULE = '''\
import pytest


@pytest.fixture
def client(tmp_path, request):
    """A client on a temporary directory.

    Args:
        tmp_path: pytest's temporary directory.
    """
    return tmp_path, request


@pytest.mark.parametrize("status", [200, 404])
def test_fetch(client, status):
    """The client returns the status the server sent.

    Args:
        status: The status.
    """
    assert client


def helper(path, branch):
    """A helper the tests call.

    Args:
        path: Where.
    """
    return path, branch
'''


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/test_client.py", True),
        ("tests/helpers.py", True),
        ("pkg/tests/data/util.py", True),
        ("test/support.py", True),
        ("test_client.py", True),
        ("src/pkg/client_test.py", True),
        ("conftest.py", True),
        ("src/pkg/conftest.py", True),
        ("django/test/testcases.py", False),  # a `test` package inside the code is API
        ("src/pkg/testing.py", False),
        ("src/pkg/contest.py", False),
        ("src/tests.py", False),
        ("src/pkg/latest_test_data.py", False),
    ],
)
def test_test_modules_are_told_by_their_path(path: str, expected: bool) -> None:
    assert is_test_module(path) is expected


def scan(source: str, path: str) -> Project:
    module = scan_source(source.encode(), path, path[:-3].replace("/", ".")).module
    assert module is not None
    return Project(".", (module,))


def missing(project: Project, *, check_tests: bool = False) -> list[str]:
    return [
        f"{f.symbol}: {f.evidence.actual}"
        for f in run_rules(project, check_tests=check_tests)
        if f.code == "DS102"
    ]


def test_tests_and_fixtures_need_not_list_their_arguments() -> None:
    project = scan(TEST_MODULE, "tests/test_client.py")
    assert [m for m in missing(project) if "helper" not in m] == []
    # The helper's callers pass `branch`: still API for the tests that call it.
    assert len(missing(project)) == 1 and "helper" in missing(project)[0]
    assert len(missing(project, check_tests=True)) == 3


def test_the_same_code_outside_the_tests_is_checked() -> None:
    # `test_fetch` in a library module is a function like any other; a fixture is
    # injected wherever it is defined (pytest plugins define them in the package).
    found = missing(scan(TEST_MODULE, "src/pkg/checks.py"))
    assert len(found) == 2
    assert any("test_fetch" in m for m in found) and any("helper" in m for m in found)


def test_only_a_tasks_context_is_injected() -> None:
    source = '''\
import nox
from duty import duty
from invoke import task


@task
def release(ctx, version):
    """Tag a release.

    Args:
        version: The version.
    """


@duty
def lint(ctx, fix=False):
    """Lint the code.

    Args:
        fix: Fix what can be fixed.
    """


@nox.session
def tests(session):
    """Run the tests.

    Args:
        session: The nox session.
    """


@task
def clean(path, force):
    """Remove a build.

    Args:
        force: Also remove the cache.
    """
'''
    project = scan(source, "tasks.py")
    release, lint, clean = (project.get(f"tasks.{n}") for n in ("release", "lint", "clean"))
    assert release is not None and lint is not None and clean is not None
    assert injected_params(release) == {"ctx"}
    assert injected_params(lint) == {"ctx"}
    assert injected_params(clean) == frozenset()  # no context first: not a task's context
    assert [m.split(":")[0] for m in missing(project)] == ["tasks.clean"]


def test_check_tests_is_a_config_key_and_a_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_client.py").write_text(TEST_MODULE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.docsync]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["check", "--select", "DS102", "--no-cache", "--format", "json"]
    default = runner.invoke(main, args)
    assert default.output.count('"DS102"') == 1, default.output
    flagged = runner.invoke(main, [*args, "--check-tests"])
    assert flagged.output.count('"DS102"') == 3, flagged.output
    (tmp_path / "pyproject.toml").write_text(
        "[tool.docsync]\ncheck-tests = true\n", encoding="utf-8"
    )
    assert load_config(tmp_path).check_tests is True
    assert runner.invoke(main, args).output.count('"DS102"') == 3
    (tmp_path / "pyproject.toml").write_text(
        '[tool.docsync]\ncheck-tests = "yes"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="check-tests"):
        load_config(tmp_path)
