"""The git side of delivery: a separate worktree, one commit, a push with a lease, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import git
import pytest

from docsync.commands import pr as pr_module
from docsync.commands.pr import run_pr
from docsync.config import Config, load_config
from docsync.deliver import github as github_module
from docsync.deliver.git import (
    BOT_EMAIL,
    PushDenied,
    commit_files,
    open_repo,
    project_in,
    publish,
    remote_head,
    repo_path,
    worktree,
)
from docsync.errors import DeliveryError, GitError
from fake_github.scenario import READ_ONLY, REPOSITORY, Scenario, scenario
from helpers_github import DRIFTED


@pytest.fixture
def hub_files() -> dict[str, str]:
    """``octo/demo`` starts out with drifted docstrings (the ``hub`` fixture is in conftest)."""
    return {"pkg/mod.py": DRIFTED, "pyproject.toml": ""}


def snapshot(hub: Scenario) -> dict[str, str]:
    """Everything about the user's checkout that docsync must leave as it was."""
    run = hub.repo.git
    return {
        "head": run("rev-parse", "HEAD"),
        "branch": run("symbolic-ref", "HEAD"),
        "status": run("status", "--porcelain=v1", "--untracked-files=all"),
        "staged": run("diff", "--cached"),
        "unstaged": run("diff"),
        "stash": run("stash", "list"),
        "worktrees": run("worktree", "list", "--porcelain"),
        "refs": run("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads"),
    }


def dirty(hub: Scenario) -> None:
    """Staged, unstaged and untracked changes, as a user has in the middle of work."""
    hub.repo.write("pkg/mod.py", DRIFTED.replace("Fetch a URL.", "Fetch a URL (staged)."))
    hub.repo.git("add", "pkg/mod.py")
    hub.repo.write("pkg/mod.py", DRIFTED.replace("Fetch a URL.", "Fetch a URL (unstaged)."))
    hub.repo.write("notes.txt", "untracked\n")


@pytest.mark.parametrize("where", ["commit_files", "publish", "open_or_update_pull"])
def test_the_checkout_is_restored_after_a_failure_mid_way(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    dirty(hub)
    before = snapshot(hub)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"injected failure in {where}")

    if where == "open_or_update_pull":
        monkeypatch.setattr(github_module.GitHub, where, boom)
    else:
        monkeypatch.setattr(pr_module, where, boom)
    with pytest.raises(RuntimeError, match="injected failure"):
        run_pr(hub.config(), env=hub.env())
    assert snapshot(hub) == before
    assert list(temp.iterdir()) == []  # the worktree and its temp dir are gone
    assert "(unstaged)" in (hub.repo.path / "pkg/mod.py").read_text(encoding="utf-8")
    if where != "open_or_update_pull":
        assert hub.server.repos.tip(REPOSITORY, "docsync/sync") is None


def test_only_committed_work_is_delivered_and_the_checkout_is_untouched(hub: Scenario) -> None:
    dirty(hub)
    before = snapshot(hub)
    outcome = run_pr(hub.config(), env=hub.env())
    assert outcome.branch is not None and outcome.branch.pushed
    assert snapshot(hub) == before
    pushed = hub.server.repos.git(REPOSITORY, "show", "docsync/sync:pkg/mod.py")
    assert "staged" not in pushed and "Fetch a URL.\n" in pushed
    changed = hub.server.repos.git(REPOSITORY, "diff", "--name-only", "main", "docsync/sync")
    assert changed == "pkg/mod.py"


def test_a_push_with_a_stale_lease_is_refused(hub: Scenario) -> None:
    run_pr(hub.config(), env=hub.env())
    repo = open_repo(hub.repo.path)
    seen = remote_head(repo, "origin", "docsync/sync")
    assert seen is not None
    # Someone else pushes to the branch after docsync looked at it.
    hub.repo.git("fetch", "-q", "origin", "docsync/sync")
    hub.repo.git("checkout", "-q", "-b", "other", "FETCH_HEAD")
    hub.repo.write("other.txt", "mine\n")
    theirs = hub.repo.commit("someone else's work")
    hub.repo.git("push", "-q", "origin", "other:docsync/sync")
    hub.repo.git("checkout", "-q", "main")
    with worktree(repo, repo.head.commit.hexsha) as path:
        (path / "x.txt").write_text("x\n", encoding="utf-8")
        commit = commit_files(path, ["x.txt"], "docs: x\n")
    assert commit is not None
    with pytest.raises(DeliveryError, match=r"git push origin docsync/sync: the branch changed"):
        publish(repo, "origin", "docsync/sync", commit, seen)
    assert hub.server.repos.tip(REPOSITORY, "docsync/sync") == theirs


def test_a_push_refused_for_lack_of_permission_says_what_is_needed(hub: Scenario) -> None:
    hub.repo.git("remote", "set-url", "origin", hub.server.remote_url(REPOSITORY, READ_ONLY))
    repo = open_repo(hub.repo.path)
    with worktree(repo, repo.head.commit.hexsha) as path:
        (path / "x.txt").write_text("x\n", encoding="utf-8")
        commit = commit_files(path, ["x.txt"], "docs: x\n")
    assert commit is not None
    with pytest.raises(
        PushDenied, match=r"git push origin docsync/sync was refused: .*contents: write"
    ):
        publish(repo, "origin", "docsync/sync", commit, None)


def test_nothing_staged_means_no_commit(hub: Scenario) -> None:
    repo = open_repo(hub.repo.path)
    with worktree(repo, repo.head.commit.hexsha) as path:
        assert commit_files(path, [], "docs: nothing\n") is None
        assert commit_files(path, ["pkg/mod.py"], "docs: nothing\n") is None


def test_the_bot_identity_is_used_when_git_has_none(
    hub: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key, raising=False)
    repo = open_repo(hub.repo.path)
    with worktree(repo, repo.head.commit.hexsha) as path:
        (path / "x.txt").write_text("x\n", encoding="utf-8")
        sha = commit_files(path, ["x.txt"], "docs: x\n\n- a line\n")
        assert sha is not None
        made = git.Repo(path).commit(sha)
        assert made.author.email == BOT_EMAIL and made.message == "docs: x\n\n- a line\n"


def test_a_project_below_the_repository_top_is_delivered_with_full_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scenario(
        tmp_path, monkeypatch, {"sub/pyproject.toml": "", "sub/pkg/mod.py": DRIFTED}
    ) as made:
        config = load_config(made.repo.path / "sub")
        outcome = run_pr(config, env=made.env())
        assert outcome.branch is not None
        changed = made.server.repos.git(REPOSITORY, "diff", "--name-only", "main", "docsync/sync")
        assert changed == "sub/pkg/mod.py"
        [pull] = made.server.api.pulls[REPOSITORY]
        assert f"/blob/{outcome.branch.commit}/sub/pkg/mod.py#L5-L10)" in (pull.body or "")
        message = made.server.repos.git(REPOSITORY, "log", "-1", "--format=%B", "docsync/sync")
        assert "- sub/pkg/mod.py:10 DS101" in message


def test_the_configuration_moves_into_the_worktree(hub: Scenario, tmp_path: Path) -> None:
    root = hub.repo.path.resolve()
    config = Config(root=root, paths=(str(root / "pkg"), "docs"), source=root / "pyproject.toml")
    repo = open_repo(root)
    moved = project_in(config, repo, tmp_path / "wt")
    assert moved.root == tmp_path / "wt" and moved.cache is False
    assert moved.paths == (str(tmp_path / "wt" / "pkg"), "docs")
    assert moved.source == tmp_path / "wt" / "pyproject.toml"
    assert repo_path(config, repo, "pkg/mod.py") == "pkg/mod.py"
    with pytest.raises(GitError, match="is not inside the repository"):
        project_in(Config(root=tmp_path), repo, tmp_path / "wt")


def test_outside_a_repository_is_a_git_error(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not in a git repository"):
        open_repo(tmp_path)
