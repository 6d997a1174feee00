"""Provenance ("stale since"): the commit that made each finding stale, in real git histories.

Base mode walks base..head (first parents); a whole tree walks the commits that
touched the findings' files (``--since``).  Covered: several commits in the range,
renames and moves, a docstring edited inside the range, squash-merge and
merge-commit pull request numbers, uncommitted work, and a shallow clone (one
notice, never an error).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from docsync.changes.changeset import compare, resolve_sides
from docsync.changes.provenance import Step, pr_number, range_steps
from docsync.commands.check import BaseOptions, CheckResult, run_check
from docsync.config import Config
from docsync.models import Finding
from helpers_git import GitRepo, edit, new_repo

_API = '''
def fetch(url, timeout=10):
    """Fetch a page.

    Args:
        url: The address.
        timeout: Seconds to wait.
    """
    return url, timeout


def helper(x):
    """Help with ``fetch``: see :func:`pkg.api.fetch`."""
    return x
'''


def _repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("pkg/__init__.py", "")
    repo.write("pkg/api.py", _API)
    repo.commit("base")
    repo.git("tag", "base")
    return repo


def _check(repo: GitRepo, base: str | None = "base", **config: object) -> CheckResult:
    settings = Config(root=repo.path, cache=False, pages=False, **config)  # type: ignore[arg-type]
    change = BaseOptions(base) if base is not None else None
    return run_check(settings, change=change, use_baseline=False)


def _since(result: CheckResult, code: str) -> list[tuple[str, str | None, int | None]]:
    """(symbol, commit subject, pr) of every finding of ``code``."""
    found: list[Finding] = [f for f in result.findings if f.code == code]
    return [
        (
            f.symbol,
            f.evidence.since.summary if f.evidence.since else None,
            f.evidence.since.pr if f.evidence.since else None,
        )
        for f in found
    ]


@pytest.mark.parametrize(
    ("subject", "number"),
    [
        ("Rename timeout (#1432)", 1432),
        ("Merge pull request #77 from someone/branch", 77),
        ('Revert "Add x (#10)" (#12)', 12),
        ("Fix #12: off by one", None),
        ("Bump version to 2.0", None),
    ],
)
def test_pr_number_comes_from_the_subject(subject: str, number: int | None) -> None:
    assert pr_number(subject) == number


def test_several_commits_in_the_range_name_the_one_that_changed_the_signature(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    edit(repo, "return url, timeout", "return (url, timeout)")
    repo.commit("Tidy the body (#1)")
    edit(repo, "timeout=10", "timeouts=10")
    edit(repo, "return (url, timeout)", "return (url, timeouts)")
    repo.commit("Rename timeout to timeouts (#2)")
    repo.write("pkg/other.py", "VALUE = 1\n")
    repo.commit("Unrelated (#3)")
    result = _check(repo)
    assert _since(result, "DS501") == [("pkg.api.fetch", "Rename timeout to timeouts (#2)", 2)]
    line = next(f for f in result.findings if f.code == "DS501").evidence.since
    assert line is not None and line.line().startswith("stale since ")
    assert line.author == "Docsync Test" and len(line.commit) == 40


def test_a_rename_then_a_signature_change_follows_the_symbol(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    edit(repo, "def fetch(url, timeout=10):", "def get(url, timeout=10):")
    repo.commit("Rename fetch to get (#5)")
    edit(repo, "def get(url, timeout=10):", "def get(url, timeout=10, retries=0):")
    repo.commit("Add retries (#6)")
    result = _check(repo)
    # The broken reference dates from the rename; the parameters from the signature change.
    assert _since(result, "DS601") == [("pkg.api.helper", "Rename fetch to get (#5)", 5)]
    params = [s for s in _since(result, "DS503") + _since(result, "DS102") if s[0] == "pkg.api.get"]
    assert params and all(s[1:] == ("Add retries (#6)", 6) for s in params)


def test_a_move_to_another_module_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    source = (repo.path / "pkg/api.py").read_text(encoding="utf-8")
    fetch, _, rest = source.partition("\n\ndef helper")
    repo.write("pkg/net.py", fetch.strip() + "\n")
    repo.write("pkg/api.py", "def helper" + rest)
    repo.commit("Move fetch to pkg.net (#7)")
    edit(repo, "timeout=10", "timeouts=10", path="pkg/net.py")
    edit(repo, "return url, timeout", "return url, timeouts", path="pkg/net.py")
    repo.commit("Rename timeout (#8)")
    result = _check(repo)
    assert _since(result, "DS601") == [("pkg.api.helper", "Move fetch to pkg.net (#7)", 7)]
    assert _since(result, "DS103") == [("pkg.net.fetch", "Rename timeout (#8)", 8)]


def test_a_docstring_edited_inside_the_range_starts_the_clock_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    edit(repo, "timeout=10", "timeouts=10")
    edit(repo, "return url, timeout", "return url, timeouts")
    repo.commit("Rename timeout (#1)")
    edit(repo, "Fetch a page.", "Fetch one page.")
    repo.commit("Reword fetch's docs (#2)")
    edit(repo, "return url, timeouts", "return (url, timeouts)")
    repo.commit("Tidy (#3)")
    result = _check(repo)
    # The docs were rewritten after the rename and still name `timeout`: stale since then.
    assert _since(result, "DS103") == [("pkg.api.fetch", "Reword fetch's docs (#2)", 2)]


def test_a_merge_commit_names_its_pull_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    main = repo.git("rev-parse", "--abbrev-ref", "HEAD")
    repo.git("checkout", "-q", "-b", "feature")
    edit(repo, "timeout=10", "timeouts=10")
    edit(repo, "return url, timeout", "return url, timeouts")
    repo.commit("rename the parameter")
    repo.write("pkg/extra.py", "def added(x):\n    return x\n")
    repo.commit("add a helper")
    repo.git("checkout", "-q", main)
    repo.write("pkg/other.py", "VALUE = 1\n")
    repo.commit("meanwhile on main")
    repo.git(
        "merge", "-q", "--no-ff", "-m", "Merge pull request #34 from someone/feature", "feature"
    )
    result = _check(repo)
    merge = ("Merge pull request #34 from someone/feature", 34)
    assert [s[1:] for s in _since(result, "DS501")] == [merge]
    assert _since(result, "DS504") == [("pkg.extra.added", *merge)]


def test_uncommitted_work_has_no_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path, monkeypatch)
    edit(repo, "timeout=10", "timeouts=10")
    edit(repo, "return url, timeout", "return url, timeouts")
    result = _check(repo)
    assert _since(result, "DS501") == [("pkg.api.fetch", None, None)]


def test_whole_tree_is_opt_in_and_dates_from_the_files_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    edit(repo, "timeout=10", "timeouts=10")
    edit(repo, "return url, timeout", "return url, timeouts")
    repo.commit("Rename timeout (#9)")
    repo.write("pkg/other.py", "VALUE = 1\n")
    repo.commit("Unrelated (#10)")
    assert _since(_check(repo, base=None), "DS103") == [("pkg.api.fetch", None, None)]
    dated = _check(repo, base=None, since=True)
    assert _since(dated, "DS103") == [("pkg.api.fetch", "Rename timeout (#9)", 9)]
    assert dated.notes == ()


def test_whole_tree_docs_wrong_from_the_start_date_from_their_first_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("pkg/__init__.py", "")
    repo.write(
        "pkg/api.py",
        _API.replace("timeout=10", "timeouts=10").replace("url, timeout\n", "url, timeouts\n"),
    )
    first = repo.commit("Initial import")
    result = _check(repo, base=None, since=True)
    found = [f for f in result.findings if f.code == "DS103"]
    assert found and found[0].evidence.since is not None
    assert found[0].evidence.since.commit == first


def test_base_mode_opt_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path, monkeypatch)
    edit(repo, "timeout=10", "timeouts=10")
    edit(repo, "return url, timeout", "return url, timeouts")
    repo.commit("Rename timeout (#1)")
    assert _since(_check(repo, since=False), "DS501") == [("pkg.api.fetch", None, None)]


def test_a_shallow_clone_gives_one_notice_and_no_provenance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    origin = _repo(tmp_path / "origin", monkeypatch)
    edit(origin, "timeout=10", "timeouts=10")
    edit(origin, "return url, timeout", "return url, timeouts")
    origin.commit("Rename timeout (#1)")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{origin.path}", str(clone)],
        check=True,
        capture_output=True,
    )
    config = Config(root=clone, cache=False, pages=False)
    for change in (BaseOptions("HEAD~1"), None):
        settings = (
            config
            if change is not None
            else Config(root=clone, cache=False, pages=False, since=True)
        )
        result = run_check(settings, change=change, use_baseline=False)
        assert result.findings
        assert all(f.evidence.since is None for f in result.findings)
        notices = [n for n in result.notes if "shallow" in n]
        assert len(notices) == 1 and notices[0].startswith("provenance skipped")


def test_a_single_squash_merged_commit_with_a_head_ref(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    edit(repo, "timeout=10", "timeouts=10")
    edit(repo, "return url, timeout", "return url, timeouts")
    repo.write("pkg/extra.py", "def added(x):\n    return x\n")
    repo.commit("Rename timeout, add a helper (#55)")
    settings = Config(root=repo.path, cache=False, pages=False)
    result = run_check(settings, change=BaseOptions("base", head="HEAD"), use_baseline=False)
    assert _since(result, "DS501") == [("pkg.api.fetch", "Rename timeout, add a helper (#55)", 55)]
    assert _since(result, "DS504") == [
        ("pkg.extra.added", "Rename timeout, add a helper (#55)", 55)
    ]


def _steps(repo: GitRepo, *, reuse: bool) -> tuple[tuple[object, ...], list[Step]]:
    """The change's own symbol diff, and ``range_steps`` of base..working tree."""
    config = Config(root=repo.path, cache=False, pages=False)
    sides = resolve_sides(repo.path, "base", None, False)
    try:
        changes, _ = compare(sides, config)
        whole = changes.symbols if reuse else None
        return changes.symbols, range_steps(
            sides.base, sides.head, changes.changed_paths, config, whole
        )
    finally:
        sides.repo.close()


def test_one_commit_under_a_clean_working_tree_reuses_the_changes_own_diff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    edit(repo, "timeout=10", "timeouts=10")
    edit(repo, "return url, timeout", "return url, timeouts")
    repo.commit("Rename timeout (#7)")
    whole, reused = _steps(repo, reuse=True)
    assert len(reused) == 1 and reused[0].changes is whole  # not computed again
    _, computed = _steps(repo, reuse=False)
    assert reused == computed  # and the same answer as walking the commit


def test_uncommitted_work_on_a_changed_file_is_its_own_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    edit(repo, "timeout=10", "timeouts=10")
    edit(repo, "return url, timeout", "return url, timeouts")
    repo.commit("Rename timeout (#7)")
    edit(repo, "def helper(x):", "def helper(x, y=1):")
    _, steps = _steps(repo, reuse=True)
    assert [s.commit.pr if s.commit else None for s in steps] == [None, 7]
    assert [c.qualname for c in steps[0].changes] == ["pkg.api.helper"]
