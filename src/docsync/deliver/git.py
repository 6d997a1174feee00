"""Deliver fixes as a git branch: one commit in a separate worktree, pushed with a lease.

The user's checkout is never touched: the fix runs in a ``git worktree`` created in
a temporary directory from a given commit, the commit is made there, pushed from
there, and the worktree is removed afterwards, whatever happens.  The working tree,
the index and the current branch of the user's checkout stay as they were.

A push is skipped when the remote branch already holds the same change (the same
tree on the same parent), so running twice pushes nothing the second time.  The
push uses ``--force-with-lease`` against the commit the remote branch had when it
was looked up, so a branch someone else pushed to in between is not overwritten.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import git

from docsync.config import Config
from docsync.errors import DeliveryError, GitError
from docsync.paths import is_inside

__all__ = [
    "BOT_EMAIL",
    "BOT_NAME",
    "BranchResult",
    "PushDenied",
    "commit_files",
    "fetch_ref",
    "has_commit",
    "open_repo",
    "project_in",
    "publish",
    "remote_head",
    "remote_url",
    "repo_path",
    "repo_paths",
    "worktree",
]

BOT_NAME = "docsync"
BOT_EMAIL = "docsync@users.noreply.github.com"

_DENIED = ("403", "permission", "denied", "authentication failed", "could not read username")


class PushDenied(DeliveryError):
    """The remote refused a push for lack of permission (or of credentials)."""


@dataclass(frozen=True)
class BranchResult:
    """What :func:`publish` did: the commit the remote branch holds, and whether it pushed."""

    branch: str
    commit: str
    pushed: bool
    created: bool


def open_repo(root: Path) -> git.Repo:
    """The git repository that contains ``root``.

    Args:
        root: A directory inside a work tree.

    Returns:
        The repository.

    Raises:
        GitError: ``root`` is not in a git work tree, or git cannot be run.
    """
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(
            f"{root} is not in a git repository: docsync delivers through git; "
            "run it in a clone of the repository"
        ) from None
    except git.GitCommandNotFound:
        raise GitError("git failed. Is it installed and on PATH?") from None
    if repo.bare or repo.working_tree_dir is None:
        raise GitError(f"{repo.git_dir} is a bare repository: run docsync in a clone with files")
    return repo


def remote_url(repo: git.Repo, remote: str) -> str | None:
    """The URL of a remote.

    Args:
        repo: The repository.
        remote: The remote's name.

    Returns:
        Its URL, or ``None`` when there is no such remote.
    """
    try:
        return str(repo.remote(remote).url)
    except ValueError:
        return None


def project_in(config: Config, repo: git.Repo, path: Path) -> Config:
    """``config`` moved into a worktree of ``repo`` at ``path``, with the scan cache off.

    The project root keeps its place below the repository's top, and every
    absolute path under the old root (``paths`` from the command line, the config
    file) moves along.

    Args:
        config: The configuration of the user's checkout.
        repo: The user's repository.
        path: The worktree.

    Returns:
        The configuration to run the fix with in the worktree.

    Raises:
        GitError: The project root is not inside the repository.
    """
    old_root = config.root.resolve()
    new_root = path / _below_top(config, repo)

    def moved(value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(moved(v) for v in value)
        if isinstance(value, (str, Path)) and Path(value).is_absolute():
            try:
                relative = Path(value).resolve().relative_to(old_root)
            except ValueError:
                return value
            return type(value)(new_root / relative)
        return value

    changes = {f.name: moved(getattr(config, f.name)) for f in fields(config) if f.name != "root"}
    return replace(config, **{**changes, "root": new_root, "cache": False})


def work_tree_is(repo: git.Repo, commit: str, *, pages: Path | None = None) -> bool:
    """Whether the repository's work tree holds exactly ``commit``, as a worktree of it would.

    Args:
        repo: The user's repository.
        commit: A commit's full sha.
        pages: A directory read whole, ignored files included (the docs' pages).

    Returns:
        True when ``HEAD`` is ``commit``, nothing is modified, staged or untracked,
        and no ignored file lies under ``pages``; False when git cannot tell.
    """
    try:
        if not repo.head.is_valid() or repo.head.commit.hexsha != commit:
            return False
        if repo.is_dirty(untracked_files=True):
            return False
        if pages is None or not pages.is_dir():
            return True
        ignored = repo.git.ls_files("--others", "--ignored", "--exclude-standard", "--", pages)
        return not ignored.strip()
    except (git.GitCommandError, ValueError):
        return False


def repo_path(config: Config, repo: git.Repo, path: str) -> str:
    """A project-relative path made relative to the repository's top (as GitHub shows it).

    Args:
        config: The configuration (its root may be a subdirectory of the repository).
        repo: The repository.
        path: A path relative to ``config.root``.

    Returns:
        The POSIX path relative to the repository's top.
    """
    below = _below_top(config, repo)
    return (below / path).as_posix() if below.parts else path


def repo_paths(config: Config, repo: git.Repo, paths: Iterable[str]) -> list[str]:
    """:func:`repo_path` of each path.

    Args:
        config: The configuration.
        repo: The repository.
        paths: Paths relative to ``config.root``.

    Returns:
        The paths relative to the repository's top.
    """
    return [repo_path(config, repo, p) for p in paths]


def _below_top(config: Config, repo: git.Repo) -> Path:
    top = Path(str(repo.working_tree_dir)).resolve()
    try:
        return config.root.resolve().relative_to(top)
    except ValueError:
        raise GitError(f"{config.root} is not inside the repository at {top}") from None


def has_commit(repo: git.Repo, sha: str) -> bool:
    """Whether the repository has the commit ``sha``.

    Args:
        repo: The repository.
        sha: A full commit id.

    Returns:
        True when the object exists and is a commit.
    """
    try:
        repo.git.cat_file("-e", f"{sha}^{{commit}}")
    except git.GitCommandError:
        return False
    return True


@contextmanager
def worktree(repo: git.Repo, commit: str) -> Iterator[Path]:
    """A detached worktree at ``commit`` in a temporary directory, removed afterwards.

    Args:
        repo: The user's repository; its own work tree is not touched.
        commit: The commit to check out.

    Yields:
        The worktree's directory.

    Raises:
        GitError: The worktree cannot be created.
    """
    parent = Path(tempfile.mkdtemp(prefix="docsync-"))
    path = parent / "worktree"
    try:
        try:
            with repo.git.custom_environment(GIT_LFS_SKIP_SMUDGE="1"):
                repo.git.worktree("add", "--detach", "--quiet", str(path), commit)
        except git.GitCommandError as exc:
            raise GitError(f"git worktree add failed: {_stderr(exc)}") from None
        yield path
    finally:
        _remove_worktree(repo, path)
        shutil.rmtree(parent, ignore_errors=True)


def _remove_worktree(repo: git.Repo, path: Path) -> None:
    try:
        repo.git.worktree("remove", "--force", "--force", str(path))
    except git.GitCommandError:
        shutil.rmtree(path, ignore_errors=True)
        with contextlib.suppress(git.GitCommandError):
            repo.git.worktree("prune")


def commit_files(path: Path, files: Sequence[str], message: str) -> str | None:
    """Stage ``files`` in the worktree at ``path`` and commit them.

    Args:
        path: The worktree.
        files: Repo-relative paths of the files changed.
        message: The commit message.

    Returns:
        The new commit's id, or ``None`` when nothing differs from ``HEAD``.

    Raises:
        GitError: git refused to stage or commit.
    """
    repo = git.Repo(path)
    files = [*files, *_link_targets(path, files)]
    try:
        if files:
            repo.git.add("--", *files)
        if not repo.git.diff("--cached", "--name-only"):
            return None
        identity: list[str] = []
        if not _configured(repo, "user.email"):
            identity = ["-c", f"user.name={BOT_NAME}", "-c", f"user.email={BOT_EMAIL}"]
        with tempfile.TemporaryDirectory(prefix="docsync-message-") as folder:
            message_file = Path(folder) / "message.txt"
            message_file.write_text(message, encoding="utf-8")
            repo.git.execute(
                ["git", *identity, "commit", "--quiet", "--no-verify", "--file", str(message_file)]
            )
    except git.GitCommandError as exc:
        raise GitError(f"git commit failed in {path}: {_stderr(exc)}") from None
    return repo.head.commit.hexsha


def _link_targets(path: Path, files: Sequence[str]) -> list[str]:
    """The files inside ``path`` that symlinks among ``files`` point to: fix edits those."""
    targets = []
    for name in files:
        link = path / name
        if link.is_symlink() and is_inside(path, link):
            targets.append(link.resolve().relative_to(path.resolve()).as_posix())
    return targets


def _configured(repo: git.Repo, key: str) -> bool:
    try:
        return bool(repo.git.config("--get", key))
    except git.GitCommandError:
        return False


def remote_head(repo: git.Repo, remote: str, branch: str) -> str | None:
    """The commit ``branch`` has on ``remote``, fetched so it can be compared.

    Args:
        repo: The repository.
        remote: The remote's name (``origin``).
        branch: The branch name on the remote.

    Returns:
        The commit id, or ``None`` when the remote has no such branch.

    Raises:
        DeliveryError: The remote cannot be reached.
    """
    ref = f"refs/heads/{branch}"
    try:
        with repo.git.custom_environment(GIT_TERMINAL_PROMPT="0"):
            listed = str(repo.git.ls_remote(remote, ref))
    except git.GitCommandError as exc:
        raise _remote_error(f"git ls-remote {remote} {ref}", exc) from None
    sha = next((line.split()[0] for line in listed.splitlines() if line.endswith(ref)), None)
    if sha is not None and not has_commit(repo, sha):
        fetch_ref(repo, remote, ref, f"refs/remotes/{remote}/{branch}")
    return sha


def fetch_ref(repo: git.Repo, remote: str, ref: str, local_ref: str) -> str:
    """Fetch ``ref`` from ``remote`` into ``local_ref``.

    Args:
        repo: The repository.
        remote: The remote's name.
        ref: The full ref on the remote (``refs/pull/7/head``).
        local_ref: Where to keep it (``refs/remotes/origin/...``).

    Returns:
        The commit id fetched.

    Raises:
        DeliveryError: The fetch failed.
    """
    try:
        with repo.git.custom_environment(GIT_TERMINAL_PROMPT="0"):
            repo.git.fetch("--quiet", "--no-tags", remote, f"+{ref}:{local_ref}")
    except git.GitCommandError as exc:
        raise _remote_error(f"git fetch {remote} {ref}", exc) from None
    return str(repo.git.rev_parse(local_ref))


def publish(
    repo: git.Repo, remote: str, branch: str, commit: str, remote_sha: str | None
) -> BranchResult:
    """Make ``branch`` on ``remote`` hold ``commit``, unless it already holds the same change.

    Args:
        repo: The repository (it has ``commit`` and ``remote_sha``).
        remote: The remote's name.
        branch: The branch to update.
        commit: The commit to push.
        remote_sha: What the branch held when looked up (:func:`remote_head`);
            the push is refused if it holds anything else by now.

    Returns:
        The commit the remote branch holds and whether docsync pushed it.

    Raises:
        PushDenied: The remote refused the push for lack of permission.
        DeliveryError: The branch moved since it was looked up, or the push failed.
    """
    if remote_sha is not None and _same_change(repo, commit, remote_sha):
        return BranchResult(branch, remote_sha, pushed=False, created=False)
    ref = f"refs/heads/{branch}"
    lease = f"--force-with-lease={ref}:{remote_sha or ''}"
    try:
        with repo.git.custom_environment(GIT_TERMINAL_PROMPT="0"):
            repo.git.push("--porcelain", "--no-verify", lease, remote, f"{commit}:{ref}")
    except git.GitCommandError as exc:
        text = f"{exc.stdout or ''}\n{exc.stderr or ''}"
        if "stale info" in text or "fetch first" in text:
            raise DeliveryError(
                f"git push {remote} {branch}: the branch changed on {remote} since docsync "
                "looked at it (someone pushed to it); run docsync again"
            ) from None
        raise _remote_error(f"git push {remote} {branch}", exc) from None
    return BranchResult(branch, commit, pushed=True, created=remote_sha is None)


def _same_change(repo: git.Repo, commit: str, other: str) -> bool:
    """Whether two commits hold the same tree on the same parents (a re-made commit)."""
    mine, theirs = repo.commit(commit), repo.commit(other)
    return mine.tree.hexsha == theirs.tree.hexsha and [p.hexsha for p in mine.parents] == [
        p.hexsha for p in theirs.parents
    ]


def _remote_error(command: str, exc: git.GitCommandError) -> DeliveryError:
    detail = _stderr(exc)
    if any(word in detail.lower() for word in _DENIED):
        return PushDenied(
            f"{command} was refused: {detail}. The credentials git uses for this remote "
            "cannot write to it: give the token `contents: write` (in GitHub Actions: "
            "`permissions: contents: write`)"
        )
    return DeliveryError(f"{command} failed: {detail}. Check the remote URL and your network")


def _stderr(exc: git.GitCommandError) -> str:
    text = exc.stderr if isinstance(exc.stderr, str) else str(exc.stderr or "")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    cleaned = [line.removeprefix("stderr: ").strip("'") for line in lines]
    return "; ".join(cleaned) or str(exc)
