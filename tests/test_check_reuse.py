"""Detection runs once per surface: what ``run_check`` found is what gets fixed and shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from docsync.commands import fix as fix_module
from docsync.commands.check import CheckResult, run_check
from docsync.commands.pr import run_pr
from docsync.config import load_config
from docsync.mkdocs_plugin.site_report import check_site
from docsync.rules import site as site_module
from docsync.rules.registry import run_rules
from fake_github.scenario import Scenario, scenario

DRIFTED = '''"""A module."""


def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        timeout (str): How long.
        url: Where from.
        retries: How often to retry.
    """
    return url
'''


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scenario]:
    with scenario(tmp_path, monkeypatch, {"pkg/mod.py": DRIFTED, "pyproject.toml": ""}) as made:
        yield made


def count_checks(monkeypatch: pytest.MonkeyPatch) -> list[CheckResult]:
    """Record every check ``run_fix`` runs itself."""
    ran: list[CheckResult] = []

    def counting(*args: object, **kwargs: object) -> CheckResult:
        result = run_check(*args, **kwargs)  # type: ignore[arg-type]
        ran.append(result)
        return result

    monkeypatch.setattr(fix_module, "run_check", counting)
    return ran


def test_pr_fixes_the_findings_of_the_check_it_is_given(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = hub.config()
    check = run_check(config)
    ran = count_checks(monkeypatch)
    outcome = run_pr(config, env=hub.env(), check=check)
    assert ran == []  # the work tree is HEAD: nothing detected again
    assert outcome.pull is not None and outcome.pull.action == "opened"
    done = {f.fingerprint for f in (*outcome.fix.fixed, *outcome.fix.remaining())}
    assert {f.fingerprint for f in check.findings} <= done


def test_pr_detects_again_when_the_work_tree_is_not_head(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = hub.config()
    (config.root / "pkg" / "mod.py").write_text(DRIFTED.replace("retries", "tries"))
    check = run_check(config)
    ran = count_checks(monkeypatch)
    outcome = run_pr(config, env=hub.env(), check=check)
    assert len(ran) == 1  # in the worktree at HEAD, which still says "retries"
    assert any("'retries'" in f.message for f in outcome.fix.fixed)


def test_the_site_report_runs_the_page_rules_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: S\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# S\n\nUse `pkg.mod.check_out()` to pay.\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "mod.py").write_text(DRIFTED)
    checked: list[str] = []
    real = site_module.check_page

    def counting(page: object, ctx: object) -> object:
        checked.append(page.path)  # type: ignore[attr-defined]
        return real(page, ctx)  # type: ignore[arg-type]

    monkeypatch.setattr(site_module, "check_page", counting)
    report = check_site(load_config(tmp_path), "docs", history=False)
    assert checked == ["docs/index.md"]
    assert [f.code for f in report.page_findings] == ["DS701"]
    assert {f.code for f in report.code_findings} == {f.code for f in run_rules(report.project)}
