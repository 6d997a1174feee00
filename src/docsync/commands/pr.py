"""``docsync pr``: fix on a branch, push it, and open or update the one pull request.

The fix runs in a temporary worktree at ``HEAD`` (see :mod:`docsync.deliver.git`),
so the user's working tree, index and branch are never touched; the commit goes to
the bot branch (``branch``, default ``docsync/sync``) with ``--force-with-lease``;
the pull request from that branch is found by its ``owner:branch`` head and updated,
or opened (see :mod:`docsync.deliver.github`).  Nothing to change: no commit, no
push, no request.  The same state twice: nothing pushed, nothing edited.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from docsync.commands.check import CheckResult
from docsync.config import Config
from docsync.deliver.fix_report import FixResult
from docsync.deliver.git import (
    BranchResult,
    PushDenied,
    commit_files,
    open_repo,
    project_in,
    publish,
    remote_head,
    remote_url,
    repo_path,
    repo_paths,
    work_tree_is,
    worktree,
)
from docsync.deliver.github import (
    PERMISSIONS_HINT,
    GitHub,
    GitHubSettings,
    PermissionDenied,
    PullOutcome,
    require_token,
)
from docsync.deliver.github_text import (
    Links,
    PullReport,
    commit_message,
    nothing_written,
    pull_body,
)
from docsync.models import Edit, Finding

if TYPE_CHECKING:
    import git

    from docsync.draft.llm.drafter import LLMOptions

__all__ = ["PrOutcome", "check_in_worktree", "pull_report", "run_pr"]


@dataclass(frozen=True)
class PrOutcome:
    """What ``docsync pr`` did.

    ``branch`` is ``None`` when there was nothing to change (no commit, no push);
    ``pull`` is ``None`` when no pull request was looked at.  ``denied`` says why
    nothing was written when the token lacks permission.
    """

    fix: FixResult
    branch: BranchResult | None
    pull: PullOutcome | None
    denied: str | None = None

    def failed(self, config: Config) -> bool:
        """Whether the exit code should be 1.

        Args:
            config: The run's configuration (``fail-on``).

        Returns:
            When delivered: a finding left or failed at or above ``fail-on`` (as for
            ``fix``); when denied, nothing was delivered, so any finding counts.
        """
        findings = (
            self.fix.remaining()
            if self.denied is None
            else (*self.fix.fixed, *self.fix.remaining())
        )
        return any(config.fails(f) for f in findings)

    def describe(self) -> str:
        """What was delivered, in a few lines for the terminal.

        Returns:
            The lines, ending with a newline.
        """
        lines = []
        if self.branch is None and self.denied is None:
            lines.append("Nothing to change: no commit, no push.")
        elif self.branch is not None:
            short = self.branch.commit[:7]
            if self.branch.pushed:
                lines.append(f"Pushed {short} to {self.branch.branch}.")
            else:
                lines.append(
                    f"{self.branch.branch} already holds these fixes ({short}): nothing pushed."
                )
        if self.pull is not None:
            verb = {"opened": "Opened", "updated": "Updated"}.get(self.pull.action)
            text = (
                f"{verb} pull request #{self.pull.number}"
                if verb
                else f"Pull request #{self.pull.number} is up to date"
            )
            lines.append(f"{text}: {self.pull.html_url}")
        if self.denied is not None:
            after = "" if self.branch is None else f"pushing {self.branch.branch}"
            lines.append(nothing_written(self.denied, after=after))
        return "\n".join(lines) + "\n"


def run_pr(
    config: Config,
    *,
    base: str | None = None,
    into: str | None = None,
    placeholders: bool = False,
    remote: str = "origin",
    env: Mapping[str, str] | None = None,
    client: GitHub | None = None,
    llm: LLMOptions | None = None,
    check: CheckResult | None = None,
) -> PrOutcome:  # docsync: ignore[DS301]  (git, fix and the API raise; see below)
    """Fix the committed project on a branch, push it, and open or update its pull request.

    The user's working tree, index and branch are not touched: the fix runs in a
    temporary worktree at ``HEAD``.

    Args:
        config: The merged configuration (``branch``, ``commit-prefix``,
            ``pr-title``, ``labels``).
        base: Fix only what the change from this ref made stale (base mode).
        into: The branch the pull request merges into; default: the current
            branch, else the repository's default branch.
        placeholders: Let the mechanical drafter add marked parameter entries.
        remote: The git remote to push to.
        env: The environment to read GitHub settings from; default ``os.environ``.
        client: The GitHub client to use; default: one built from ``env``.
        llm: Draft what needs prose with Claude (see :mod:`docsync.draft.llm.drafter`).
        check: The whole-project check the caller ran on ``config``'s work tree;
            its findings are fixed when that tree is exactly ``HEAD`` (else, or with
            ``base``, the fix detects again on ``HEAD``).

    Returns:
        The fix result, the branch and the pull request.

    Raises:
        GitError: Not in a git repository, or git failed.
        ConfigError: The GitHub repository cannot be determined.
        DeliveryError: A push or an API request failed (not for lack of permission:
            then the outcome's ``denied`` says why).
    """
    from docsync.commands.fix import run_fix

    if client is None:
        require_token(env or os.environ, "docsync pr")  # before any git or API work
    repo = open_repo(config.root)
    head = repo.head.commit.hexsha
    with worktree(repo, head) as path:
        project = project_in(config, repo, path)
        whole = check if base is None and check is not None and check.change is None else None
        reused = check_in_worktree(whole, repo, head, project.root)
        result = run_fix(project, placeholders=placeholders, base=base, llm=llm, check=reused)
        changed = repo_paths(config, repo, result.files_changed)
        if not changed:
            return PrOutcome(result, None, None)
        hub = client or GitHub(GitHubSettings.from_env(env or os.environ, remote_url(repo, remote)))
        info = hub.repo_info()
        if info.can_push is False:
            return PrOutcome(result, None, None, denied=_no_push(info.full_name))
        edits = repo_edits(config, repo, result.edits_applied)
        message = commit_message(config.commit_prefix, edits)
        commit = commit_files(path, changed, message)
        if commit is None:
            return PrOutcome(result, None, None)
        try:
            branch = publish(
                repo, remote, config.branch, commit, remote_head(repo, remote, config.branch)
            )
        except PushDenied as exc:
            return PrOutcome(result, None, None, denied=str(exc))
    report = pull_report(config, repo, result, Links(info.html_url, branch.commit))
    target = into or _current_branch(repo, config.branch) or info.default_branch
    try:
        pull = hub.open_or_update_pull(
            branch=config.branch,
            base=target,
            title=config.pr_title,
            body=pull_body(report),
            labels=config.labels,
        )
    except PermissionDenied as exc:
        return PrOutcome(result, branch, None, denied=str(exc))
    return PrOutcome(result, branch, pull)


def check_in_worktree(
    check: CheckResult | None, repo: git.Repo, commit: str, root: Path
) -> CheckResult | None:
    """``check`` moved into a worktree of ``commit``, when it holds for that worktree.

    Args:
        check: A check of the user's work tree (``None``: there is none).
        repo: The user's repository.
        commit: The commit the worktree holds.
        root: The project root in the worktree.

    Returns:
        The check at ``root`` when the user's work tree is exactly ``commit`` (see
        :func:`~docsync.deliver.git.work_tree_is`), else ``None``: detect again.
    """
    if check is None:
        return None
    pages = check.pages.site.docs_dir if check.pages is not None else None
    if not work_tree_is(repo, commit, pages=pages):
        return None
    return check.rooted_at(root)


def pull_report(config: Config, repo: git.Repo, result: FixResult, links: Links) -> PullReport:
    """What a pull request's body says about ``result``, with repository-relative paths.

    Args:
        config: The configuration (its root may be below the repository's top).
        repo: The git repository.
        result: The fix result.
        links: Where the links point.

    Returns:
        The report to render.
    """
    left = tuple(
        (in_repo(config, repo, f), result.reasons.get(f.fingerprint, ""))
        for f in result.left_for_person
    )
    failed = tuple((in_repo(config, repo, f), error) for f, error in result.failed)
    edits = repo_edits(config, repo, result.edits_applied)
    return PullReport(edits, left, failed, links, result.llm_cost)


def repo_edits(config: Config, repo: git.Repo, edits: tuple[Edit, ...]) -> tuple[Edit, ...]:
    """``edits`` with their paths (and their findings') relative to the repository's top.

    Args:
        config: The configuration.
        repo: The git repository.
        edits: Edits with project-relative paths.

    Returns:
        The edits as GitHub and git name their files.
    """
    return tuple(
        replace(
            e,
            path=repo_path(config, repo, e.path),
            findings=tuple(in_repo(config, repo, f) for f in e.findings),
        )
        for e in edits
    )


def in_repo(config: Config, repo: git.Repo, finding: Finding) -> Finding:
    """``finding`` with its path relative to the repository's top.

    Args:
        config: The configuration.
        repo: The git repository.
        finding: A finding with a project-relative path.

    Returns:
        The finding as GitHub names its file.
    """
    location = replace(finding.location, path=repo_path(config, repo, finding.location.path))
    return replace(finding, location=location)


def _current_branch(repo: git.Repo, bot_branch: str) -> str | None:
    if repo.head.is_detached:
        return None
    name = str(repo.active_branch.name)
    return None if name == bot_branch else name


def _no_push(full_name: str) -> str:
    return (
        f"the token may not push to {full_name} (GET /repos/{full_name} says push: false). "
        f"{PERMISSIONS_HINT}"
    )
