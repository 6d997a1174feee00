"""Review a pull request: suggested changes on its diff, a follow-up PR for the rest, one summary.

The pure core turns edits into changes of whole lines (:func:`line_change`) and
sorts them by where they fall (:class:`DiffLines`, built from the pull request's
patches): a change whose lines all lie in one hunk of the diff, on the new side,
becomes a review comment with a ``suggestion`` block; the rest cannot be
commented on (GitHub answers 422, "Pull request review thread line must be part
of the diff").

:func:`run_review` is ``docsync review --pr N``: it fixes the pull request's head
in a temporary worktree (only what the pull request made stale, by default),
posts the new suggestions as one review, delivers the changes outside the diff in
a follow-up pull request into the PR's branch when the token may push there (else
lists them), and keeps one summary comment, found again by its hidden marker.
A second run on the same state posts nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docsync.commands.baseline import apply_baseline, baseline_path, load_baseline
from docsync.commands.check import BaseOptions, CheckResult, run_check
from docsync.commands.pr import check_in_worktree, in_repo, pull_report, repo_edits
from docsync.config import Config
from docsync.deliver.fix_report import FixResult
from docsync.deliver.git import (
    PushDenied,
    commit_files,
    fetch_ref,
    has_commit,
    open_repo,
    project_in,
    publish,
    remote_head,
    remote_url,
    repo_path,
    repo_paths,
    worktree,
)
from docsync.deliver.github import (
    GitHub,
    GitHubSettings,
    PermissionDenied,
    PullInfo,
    PullOutcome,
    RepoInfo,
    require_token,
)
from docsync.deliver.github_text import (
    SUMMARY_MARKER,
    FollowUp,
    LineChange,
    Links,
    ReviewSummary,
    commit_message,
    nothing_written,
    pull_body,
    review_body,
    suggestion_body,
    summary_body,
)
from docsync.errors import DeliveryError
from docsync.models import Edit, Finding
from docsync.paths import read_regular
from docsync.rules.coverage import NEW_API_UNDOCUMENTED
from docsync.wording import plural

if TYPE_CHECKING:
    import git

    from docsync.draft.base import DraftOutcome, DraftRequest
    from docsync.draft.llm.drafter import LLMOptions

__all__ = [
    "DiffLines",
    "ReviewOutcome",
    "line_change",
    "parse_hunks",
    "review_comment",
    "run_review",
]

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<count>\d+))? @@")


def parse_hunks(patch: str) -> tuple[range, ...]:
    """The new-side line ranges of a patch's hunks (the lines a RIGHT comment may use).

    Args:
        patch: A file's patch as GitHub gives it (hunks, from the first ``@@``).

    Returns:
        One range per hunk, of new-file line numbers (context and added lines).
    """
    hunks = []
    for line in patch.splitlines():
        found = _HUNK.match(line)
        if found:
            start = int(found.group("start"))
            count = int(found.group("count")) if found.group("count") is not None else 1
            hunks.append(range(start, start + count))
    return tuple(hunks)


@dataclass(frozen=True)
class DiffLines:
    """The lines of a pull request's diff that review comments may point at, per file."""

    hunks: Mapping[str, tuple[range, ...]]

    @classmethod
    def from_patches(cls, patches: Mapping[str, str | None]) -> DiffLines:
        """Index the patches of a pull request's files.

        Args:
            patches: Patch by path; ``None`` for a file GitHub shows no patch for
                (binary, or too large), which no comment can point into.

        Returns:
            The index.
        """
        return cls({path: parse_hunks(patch or "") for path, patch in patches.items()})

    def lines(self, path: str) -> frozenset[int]:
        """Every new-side line of ``path`` in the diff.

        Args:
            path: A repo-relative path.

        Returns:
            The line numbers (empty for a file the pull request does not change).
        """
        return frozenset(n for hunk in self.hunks.get(path, ()) for n in hunk)

    def covers(self, path: str, start: int, end: int) -> bool:
        """Whether lines ``start``-``end`` of ``path`` all lie in one hunk.

        Args:
            path: A repo-relative path.
            start: The first line.
            end: The last line.

        Returns:
            True when a (multi-line) review comment can point at them.
        """
        return any(start in hunk and end in hunk for hunk in self.hunks.get(path, ()))


def line_change(edit: Edit, text: str | None, path: str | None = None) -> LineChange:
    """``edit`` as a replacement of whole lines, trimmed to the lines that change.

    A suggestion replaces whole lines, while an edit of a docstring replaces the
    literal, which may start after code on its first line; the lines around it
    are kept.  Lines equal before and after at either end are left out, except
    one line kept as an anchor when the change only inserts lines.

    Args:
        edit: The edit (its lines refer to ``text``).
        text: The file's text the edit was drafted on; ``None`` when unknown.
        path: The path to show (default: the edit's).

    Returns:
        The change.
    """
    where = path or edit.path
    lines = text.splitlines(keepends=True) if text is not None else []
    block = "".join(lines[edit.line - 1 : edit.end_line])
    at = block.find(edit.old_text) if edit.old_text else -1
    if at < 0:  # the edit does not sit on those lines: show it as it is
        old, new = edit.old_text.splitlines(), edit.new_text.splitlines()
        return LineChange(where, edit.line, edit.end_line, tuple(old), tuple(new), edit.findings)
    after = block[:at] + edit.new_text + block[at + len(edit.old_text) :]
    old, new = _bare(block), _bare(after)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    if head + tail == len(old):  # only insertions: keep one line to anchor them
        if head:
            head -= 1
        else:
            tail -= 1
    start = edit.line + head
    old_part = tuple(old[head : len(old) - tail])
    new_part = tuple(new[head : len(new) - tail])
    return LineChange(where, start, start + len(old_part) - 1, old_part, new_part, edit.findings)


def _bare(text: str) -> list[str]:
    return [line.rstrip("\r\n") for line in text.splitlines(keepends=True)]


def review_comment(change: LineChange) -> dict[str, Any]:
    """The review comment that suggests ``change`` (``comments[]`` of a review).

    Args:
        change: A change inside the diff.

    Returns:
        ``path``, ``body``, ``line``, ``side`` and, for several lines,
        ``start_line``/``start_side`` (GitHub wants ``start_line`` before ``line``).
    """
    comment: dict[str, Any] = {
        "path": change.path,
        "body": suggestion_body(change),
        "line": change.end,
        "side": "RIGHT",
    }
    if change.start < change.end:
        comment["start_line"] = change.start
        comment["start_side"] = "RIGHT"
    return comment


def _key(comment: Mapping[str, Any]) -> tuple[str, int | None, int | None, str]:
    return (comment["path"], comment.get("start_line"), comment["line"], comment["body"])


@dataclass(frozen=True)
class ReviewOutcome:
    """What ``docsync review`` did on one pull request.

    ``suggested`` are all the changes inside the diff, ``posted`` how many of them
    this run posted (the others were there already).  ``outside`` are the changes
    outside the diff, delivered in ``follow_up`` when there is one.  ``summary`` is
    ``created``, ``updated``, ``unchanged`` or ``none``.  ``denied`` says why
    nothing (more) was written when the token lacks permission.  ``why_listed``
    says why the changes outside the diff are only listed in the summary comment
    (a fork, a token that may not push); ``fork`` whether the pull request comes
    from another repository.
    """

    fix: FixResult
    pull: PullInfo
    suggested: tuple[LineChange, ...]
    posted: int
    outside: tuple[LineChange, ...]
    follow_up: PullOutcome | None
    summary: str
    denied: str | None = None
    why_listed: str | None = None
    fork: bool = False

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding on the pull request, fixable or not (what a check would report)."""
        return (*self.fix.fixed, *self.fix.remaining())

    def failed(self, config: Config) -> bool:
        """Whether the exit code should be 1: a finding at or above ``fail-on``, as ``check``.

        Args:
            config: The run's configuration.

        Returns:
            True when the pull request has such a finding, suggested or not.
        """
        return any(config.fails(f) for f in self.findings)

    def describe(self, *, outside: bool = True) -> str:
        """What the review did, in a few lines for the terminal.

        Args:
            outside: Say where the changes outside the diff went (the Action's job
                summary has a section of its own for them).

        Returns:
            The lines, ending with a newline.
        """
        number = self.pull.number
        lines = [
            f"Pull request #{number}: {len(self.suggested)} "
            f"{plural(len(self.suggested), 'suggestion')} on the diff "
            f"({self.posted} posted now), {len(self.outside)} "
            f"{plural(len(self.outside), 'change')} outside it."
        ]
        if outside and self.follow_up is not None:
            lines.append(
                f"Changes outside the diff: pull request #{self.follow_up.number} "
                f"({self.follow_up.action}): {self.follow_up.html_url}"
            )
        elif outside and self.outside and self.why_listed is not None:
            lines.append(
                "Changes outside the diff: listed in the summary comment, not pushed: "
                f"{self.why_listed}."
            )
        lines.append(f"Summary comment: {self.summary}.")
        if self.denied is not None:
            after = "the review" if self.posted else ""
            lines.append(nothing_written(self.denied, after=after, fork=self.fork))
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Context:
    config: Config
    repo: git.Repo
    hub: GitHub
    info: RepoInfo
    pull: PullInfo
    remote: str


def run_review(
    config: Config,
    number: int,
    *,
    base: str | None = None,
    placeholders: bool = False,
    remote: str = "origin",
    env: Mapping[str, str] | None = None,
    client: GitHub | None = None,
    llm: LLMOptions | None = None,
    check: CheckResult | None = None,
) -> ReviewOutcome:  # docsync: ignore[DS301]  (git, fix and the API raise; see below)
    """Suggest fixes on pull request ``number``; deliver or list what lies outside its diff.

    Args:
        config: The merged configuration (``branch`` names the follow-up branch).
        number: The pull request's number.
        base: Judge the change from this ref; default: the pull request's merge base.
        placeholders: Let the mechanical drafter add marked parameter entries.
        remote: The git remote of the repository.
        env: The environment to read GitHub settings from; default ``os.environ``.
        client: The GitHub client; default: one built from ``env``.
        llm: Draft what needs prose with Claude (see :mod:`docsync.draft.llm.drafter`); the
            follow-up pull request reuses these drafts rather than asking again.
        check: The base-mode check the caller ran on ``config``'s work tree; the
            summary comment counts its findings, as the caller reports them.  They
            are fixed when that tree is exactly the pull request's head, measured
            from the same merge base, and no finding was baselined (else the review
            detects again in its worktree, and without ``check`` the comment counts
            that check's findings, baseline applied, as ``docsync check`` would).

    Returns:
        What was suggested, delivered and summarised.

    Raises:
        GitError: Not in a git repository, or git failed.
        ConfigError: The GitHub repository cannot be determined.
        DeliveryError: A fetch, push or API request failed (not for lack of
            permission: then the outcome's ``denied`` says why).
    """
    from docsync.commands.fix import run_fix

    if client is None:
        require_token(env or os.environ, "docsync review")  # before any git or API work
    repo = open_repo(config.root)
    hub = client or GitHub(GitHubSettings.from_env(env or os.environ, remote_url(repo, remote)))
    info = hub.repo_info()
    pull = hub.pull(number)
    context = _Context(config, repo, hub, info, pull, remote)
    head = _ensure(repo, remote, pull.head_sha, f"refs/pull/{number}/head", number, "head")
    since = base or _merge_base(repo, remote, pull, head)
    diff = DiffLines.from_patches(hub.pull_patches(number))
    existing = hub.review_comments(number)
    with worktree(repo, head) as path:
        project = project_in(config, repo, path)
        reused = check_in_worktree(_same_change(check, base, since), repo, head, project.root)
        found = reused or run_check(project, use_baseline=False, change=BaseOptions(since))
        result = run_fix(project, diff_only=True, placeholders=placeholders, llm=llm, check=found)
        changes = [(e, _change(config, repo, project.root, e)) for e in result.edits_applied]
        inside = tuple(c for _, c in changes if diff.covers(c.path, c.start, c.end))
        outside_edits = [e for e, c in changes if not diff.covers(c.path, c.start, c.end)]
        outside = tuple(c for _, c in changes if not diff.covers(c.path, c.start, c.end))
        new = [review_comment(c) for c in inside]
        new = [c for c in new if _key(c) not in existing]
        fork = pull.head_repo != info.full_name
        outcome = ReviewOutcome(result, pull, inside, 0, outside, None, "none", fork=fork)
        counted = check if check is not None else _with_baseline(project, found)
        follow_up: PullOutcome | None = None
        why: str | None = None
        try:
            if new:
                hub.post_review(number, head, review_body(len(new)), new)
                outcome = replace(outcome, posted=len(new))
            if outside_edits:
                follow_up, why = _follow_up(context, path, project, found, outside_edits)
                outcome = replace(outcome, follow_up=follow_up, why_listed=why)
        except PermissionDenied as exc:
            return replace(outcome, denied=str(exc))
    summary = ReviewSummary(
        head_sha=head,
        suggested=inside,
        outside=outside,
        follow_up=None
        if follow_up is None
        else FollowUp(follow_up.number, follow_up.html_url, _follow_branch(config, number)),
        why_listed=why,
        left=tuple(
            (in_repo(config, repo, f), result.reasons.get(f.fingerprint, ""))
            for f in result.left_for_person
        ),
        failed=tuple((in_repo(config, repo, f), error) for f, error in result.failed),
        links=Links(info.html_url, head),
        findings=counted.findings,
        files_scanned=counted.files_scanned,
        reviews=counted.reviews,
        cost=result.llm_cost,
    )
    total = bool(outcome.findings or counted.findings)
    try:
        state = hub.upsert_comment(number, SUMMARY_MARKER, summary_body(summary), create=total)
    except PermissionDenied as exc:
        return replace(outcome, denied=str(exc))
    return replace(outcome, summary=state)


def _with_baseline(project: Config, check: CheckResult) -> CheckResult:
    """``check`` (run without the baseline, to fix everything) as ``docsync check`` reports it.

    The summary comment counts what a check of the pull request reports, so the
    findings the project's baseline file lists are left out of the count.
    """
    kept, skipped = apply_baseline(list(check.findings), load_baseline(baseline_path(project)))
    return replace(check, findings=tuple(kept), baselined=check.baselined + skipped)


def _ensure(repo: git.Repo, remote: str, sha: str, ref: str, number: int, side: str) -> str:
    """Make sure the commit ``sha`` is here, fetching ``ref`` when it is not."""
    if not has_commit(repo, sha):
        fetch_ref(repo, remote, ref, f"refs/docsync/pull/{number}/{side}")
    if not has_commit(repo, sha):
        raise DeliveryError(
            f"commit {sha[:12]} of pull request #{number} is not in {remote} after fetching "
            f"{ref}; the pull request may have changed: run docsync review again"
        )
    return sha


def _merge_base(repo: git.Repo, remote: str, pull: PullInfo, head: str) -> str:
    base = pull.base_sha
    if not has_commit(repo, base):
        _ensure(repo, remote, base, f"refs/heads/{pull.base_ref}", pull.number, "base")
    found = repo.merge_base(base, head)
    return found[0].hexsha if found else base


def _change(config: Config, repo: git.Repo, root: Path, edit: Edit) -> LineChange:
    try:
        text: str | None = read_regular(root / edit.path, root=root).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    return line_change(edit, text, repo_path(config, repo, edit.path))


def _follow_branch(config: Config, number: int) -> str:
    return f"{config.branch}-pr-{number}"


def _same_change(check: CheckResult | None, base: str | None, since: str) -> CheckResult | None:
    """``check`` when it judged the change the review judges, with nothing baselined.

    The review fixes what the change made stale from its merge base, baseline or not
    (as ``fix --base`` does), so a check is reused only when its baseline held back
    nothing.
    """
    if check is None or base is not None or check.change is None or check.baselined:
        return None
    return check if check.change.changes.base == since else None


def _follow_up(
    context: _Context, path: Path, project: Config, check: CheckResult, edits: Sequence[Edit]
) -> tuple[PullOutcome | None, str | None]:
    """Deliver the edits outside the diff in a pull request into the PR's branch, if allowed.

    Returns:
        The follow-up pull request, or ``None`` and why the changes are only listed.
    """
    from docsync.commands.fix import run_fix

    pull, info, config, repo = context.pull, context.info, context.config, context.repo
    if pull.head_repo != info.full_name:
        return None, "the pull request comes from a fork, where docsync's token cannot push"
    if info.can_push is False:
        return None, "the token may not push to this repository (it needs `contents: write`)"
    findings = [f for edit in edits for f in edit.findings]
    result = run_fix(project, findings=findings, drafters=[_Replay(edits)], check=check)
    changed = repo_paths(config, repo, result.files_changed)
    message = commit_message(config.commit_prefix, repo_edits(config, repo, result.edits_applied))
    commit = commit_files(path, changed, message)
    if commit is None:
        return None, "the fixes could not be applied on the pull request's branch"
    branch = _follow_branch(config, pull.number)
    try:
        pushed = publish(
            repo, context.remote, branch, commit, remote_head(repo, context.remote, branch)
        )
    except PushDenied:
        return None, f"the token may not push to {info.full_name} (it needs `contents: write`)"
    body = pull_body(pull_report(config, repo, result, Links(info.html_url, pushed.commit)))
    outcome = context.hub.open_or_update_pull(
        branch=branch,
        base=pull.head_ref,
        title=f"{config.pr_title} (outside the diff of #{pull.number})",
        body=body,
        labels=config.labels,
    )
    return outcome, None


class _Replay:
    """A drafter that makes again the edits a first fix run drafted (no second LLM call).

    An edit is matched by its file and the target's text, which the follow-up run
    sees as the first one did (same commit, same worktree).
    """

    def __init__(self, edits: Sequence[Edit]) -> None:
        self._edits = {(e.path, e.old_text): e for e in edits}
        # A new docstring (DS504) was inserted before a line; the follow-up run drafts it
        # on a blank placeholder literal, found by the finding it fixes.
        self._inserted = {
            (e.path, f.fingerprint): e
            for e in edits
            for f in e.findings
            if f.code == NEW_API_UNDOCUMENTED.code and e.new_text.endswith(e.old_text)
        }

    @property
    def name(self) -> str:
        """``replay``."""
        return "replay"

    def draft(self, request: DraftRequest) -> DraftOutcome:
        """The first run's edit of this target, for the findings it fixed.

        Args:
            request: The target and its findings.

        Returns:
            The edit again, or the findings left for a person when there was none.
        """
        from docsync.draft.base import Drafted, NeedsPerson

        edit = self._edits.get((request.path, request.target.text))
        if edit is None:
            return self._insertion(request)
        fixed = {f.fingerprint for f in edit.findings}
        done = tuple(f for f in request.findings if f.fingerprint in fixed)
        rest = tuple(f for f in request.findings if f.fingerprint not in fixed)
        left = (NeedsPerson(rest, "not fixed in the review's run"),) if rest else ()
        return Drafted(request.edit(edit.new_text, done, edit.origin), left)

    def _insertion(self, request: DraftRequest) -> DraftOutcome:
        """The new docstring the first run inserted, as the placeholder's new literal."""
        from docsync.draft.base import Drafted, NeedsPerson

        for finding in request.findings:
            edit = self._inserted.get((request.path, finding.fingerprint))
            if edit is not None:
                literal = edit.new_text[: len(edit.new_text) - len(edit.old_text)].strip()
                return Drafted(request.edit(literal, (finding,), edit.origin))
        return NeedsPerson(request.findings, "not fixed in the review's run")
