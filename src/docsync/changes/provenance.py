"""Which commit made a finding stale: per-commit symbol diffs over a bounded history.

A finding is about a *subject*: a symbol at the head (its docstring contradicts its
code) or a name the change removed (a reference to it broke).  The history is a list
of :class:`Step` values, newest first, each the symbol diff
(:func:`~docsync.changes.diff.diff_modules`) of one commit against its first parent,
over the Python files that matter; uncommitted work is a step without a commit.
:func:`stale_since` walks it back from the head, following renames and moves, and
returns the first commit after the docs were last written that changed the code
side the finding is about: in base mode the steps are the commits of base..head
(:func:`range_steps`), on a whole tree the commits that touched the findings' files
(:func:`file_steps`).  Both walks are bounded (:data:`MAX_COMMITS`, :data:`MAX_FILES`).

The pull request comes from the commit's subject, never from an API: ``Fix it
(#123)`` (a squash merge) or ``Merge pull request #123 from ...``.  Following first
parents makes a merged pull request's merge commit the step that holds its changes.
A shallow clone's history is cut short, so nothing is walked there: the caller says
so once (:func:`history_problem`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import git

from docsync.changes.changeset import parse_name_status
from docsync.changes.diff import ChangeKind, SideModule, SymbolChange, diff_modules
from docsync.changes.revisions import CommitRevision, Revision, WorkingTree, split_z
from docsync.config import Config
from docsync.models import Provenance
from docsync.scan.files import scope_filter
from docsync.scan.project import ScanJob, open_cache, scan_sources

__all__ = [
    "MAX_COMMITS",
    "MAX_FILES",
    "Step",
    "Subject",
    "file_steps",
    "history_problem",
    "pr_number",
    "range_steps",
    "stale_since",
]

MAX_COMMITS = 200
"""At most this many commits are walked (the newest)."""

MAX_FILES = 400
"""At most this many Python files of one commit are compared (a vendored tree's import)."""

_SQUASH = re.compile(r"\(#(\d{1,9})\)")
_MERGE = re.compile(r"^Merge pull request #(\d{1,9})\b")
_NAME = (ChangeKind.RENAMED, ChangeKind.MOVED)
_FIELDS = "%H%x00%P%x00%aI%x00%an%x00%s%x1e"


@dataclass(frozen=True)
class Subject:
    """What a finding is about, for its provenance.

    ``head`` is the symbol's qualified name at the head, walked back through its
    renames; ``gone`` a base-side name the change removed, renamed or moved (the
    newest commit that did so is the answer).  ``kinds`` are the code changes that
    count for the finding (a parameter finding: the signature; a raise: the body).
    """

    head: str | None = None
    gone: str | None = None
    kinds: frozenset[ChangeKind] = frozenset()


@dataclass(frozen=True)
class Step:
    """One commit's symbol changes (``commit`` is ``None`` for uncommitted work)."""

    commit: Provenance | None
    changes: tuple[SymbolChange, ...]


def pr_number(subject: str) -> int | None:
    """The pull request a commit subject names, if any.

    Args:
        subject: a commit's first line.

    Returns:
        ``N`` of ``Merge pull request #N``, else of the last ``(#N)``; ``None`` otherwise.
    """
    merge = _MERGE.match(subject)
    if merge:
        return int(merge.group(1))
    squash = _SQUASH.findall(subject)
    return int(squash[-1]) if squash else None


def stale_since(subject: Subject, steps: Sequence[Step]) -> Provenance | None:
    """The commit that made a subject's docs stale.

    Walking back from the newest step: a step that changed the subject's code in one
    of ``subject.kinds`` is remembered; a step that edited its docstring, or added
    it, ends the walk (the docs were written then).  The answer is the oldest
    remembered step, or the step that ended the walk when nothing changed after it
    (docs written wrong, or with the code change that made them wrong).  A name the
    change removed is answered by the newest step that removed, renamed or moved it.

    Args:
        subject: what the finding is about.
        steps: the history, newest first.

    Returns:
        The commit, or ``None`` when no committed step is the answer (the change is
        uncommitted, or older than the walked history).
    """
    if subject.gone is not None:
        for step in steps:
            if any(
                c.qualname == subject.gone and c.has(ChangeKind.REMOVED, *_NAME)
                for c in step.changes
            ):
                return step.commit
        return None
    name = subject.head
    found: Step | None = None
    for step in steps:
        change = next((c for c in step.changes if c.new_qualname == name), None)
        if change is None:
            continue
        if change.has(ChangeKind.ADDED, ChangeKind.DOCSTRING_CHANGED):
            return (found or step).commit  # the docs were written here
        if change.has(*subject.kinds):
            found = step
        if change.has(*_NAME):
            name = change.qualname
    return found.commit if found is not None else None


def history_problem(repo: git.Repo) -> str | None:
    """Why a repository's history cannot date findings, or ``None`` when it can.

    Args:
        repo: the repository.

    Returns:
        A one-line notice (a shallow clone, no commits), or ``None``.
    """
    if (Path(repo.git_dir) / "shallow").exists():
        return (
            "provenance skipped: the repository is a shallow clone, so the commits that "
            "made docs stale are unknown (fetch-depth: 0 with actions/checkout, or "
            "git fetch --unshallow)"
        )
    if not repo.head.is_valid():
        return "provenance skipped: the repository has no commits yet"
    return None


def range_steps(
    base: CommitRevision,
    head: Revision,
    paths: Iterable[str],
    config: Config,
    whole: Sequence[SymbolChange] | None = None,
) -> list[Step]:
    """The steps of a change, newest first: base..head's commits, then uncommitted work.

    Args:
        base: the change's base side (the merge base).
        head: its head side (a commit, the index or the working tree).
        paths: root-relative paths the change touched; only those are compared.
        config: the run's configuration (scope, style, size limit, cache).
        whole: the change's own symbol diff: when the change is one commit on its
            base (a squash merge, a release), that commit's step is this diff, not
            computed again.

    Returns:
        At most :data:`MAX_COMMITS` commit steps (and one for uncommitted work).
    """
    repo, wanted = base.repo, frozenset(paths)
    tip = head.commit.hexsha if isinstance(head, CommitRevision) else "HEAD"
    out = repo.git.log(
        "--first-parent", f"--max-count={MAX_COMMITS}", f"--format={_FIELDS}",
        f"{base.commit.hexsha}..{tip}",
    )  # fmt: skip
    walker = _Walker(base, config)
    records = _records(out)
    # Uncommitted work on the change's files, if any: without it, the head's files
    # are HEAD's, and a change of one commit is that commit (a release in CI).
    touched = [] if isinstance(head, CommitRevision) else walker.uncommitted_paths(head, wanted)
    if whole is not None and not touched and len(records) == 1:
        only, tip_sha = records[0], _tip_sha(head, repo)
        if only.sha == tip_sha and only.parent == base.commit.hexsha:
            return [Step(only.provenance, tuple(whole))] if whole else []
    steps = []
    if not isinstance(head, CommitRevision):
        steps.append(walker.uncommitted(head, touched))
    steps.extend(walker.commit(record, wanted) for record in records)
    return [s for s in steps if s.changes]


def _tip_sha(head: Revision, repo: git.Repo) -> str | None:
    """The commit the head side is, or holds uncommitted work on (``None``: no commit yet)."""
    if isinstance(head, CommitRevision):
        return head.commit.hexsha
    return repo.head.commit.hexsha if repo.head.is_valid() else None


def file_steps(
    head: WorkingTree, base: CommitRevision, paths: Iterable[str], config: Config
) -> list[Step]:
    """The steps of a whole tree's files, newest first: uncommitted work, then commits.

    Only the commits (first parents, the newest :data:`MAX_COMMITS`) that touched
    ``paths`` are walked; a file renamed in the past is followed no further back.

    Args:
        head: the working tree.
        base: ``HEAD``, for the uncommitted work and the repository.
        paths: root-relative paths of the files the findings are in.
        config: the run's configuration.

    Returns:
        The steps.
    """
    wanted = frozenset(paths)
    if not wanted:
        return []
    repo = base.repo
    out = repo.git.log(
        "--first-parent", f"--max-count={MAX_COMMITS}", f"--format={_FIELDS}", "HEAD", "--",
        *(f":(literal){base.to_git(p)}" for p in sorted(wanted)),
    )  # fmt: skip
    walker = _Walker(base, config)
    steps = [walker.uncommitted(head, walker.uncommitted_paths(head, wanted))]
    steps.extend(walker.commit(record, wanted) for record in _records(out))
    return [s for s in steps if s.changes]


@dataclass(frozen=True)
class _Record:
    sha: str
    parent: str | None
    provenance: Provenance


def _records(out: str) -> list[_Record]:
    records = []
    for chunk in out.split("\x1e"):
        fields = chunk.strip("\n").split("\x00")
        if len(fields) != 5:
            continue
        sha, parents, date, author, subject = fields
        parent = parents.split()[0] if parents.split() else None
        when = Provenance(sha, date, author, subject, pr_number(subject))
        records.append(_Record(sha, parent, when))
    return records


class _Walker:
    """Reads and scans the two sides of each commit (through the scan cache)."""

    def __init__(self, base: CommitRevision, config: Config) -> None:
        self._base = base
        self._config = config
        self._in_scope = scope_filter(config)
        self._cache = open_cache(config)
        self._revisions: dict[str, CommitRevision] = {}

    def _revision(self, sha: str) -> CommitRevision:
        if sha not in self._revisions:
            base = self._base
            commit = base.repo.commit(sha)
            self._revisions[sha] = CommitRevision(base.repo, base.root, base.prefix, commit)
        return self._revisions[sha]

    def commit(self, record: _Record, wanted: frozenset[str]) -> Step:
        """The symbol diff of one commit against its first parent, over ``wanted`` files."""
        repo = self._base.repo
        if record.parent is None:
            out = repo.git.diff_tree(
                "-r", "-z", "--no-commit-id", "--name-status", "-M", "--root", record.sha
            )  # fmt: skip
        else:
            out = repo.git.diff_tree("-r", "-z", "--name-status", "-M", record.parent, record.sha)
        old_paths, new_paths = [], []
        head = self._revision(record.sha)
        for change in parse_name_status(split_z(out)):
            new = head.from_git(change.path)
            old = head.from_git(change.old_path) if change.old_path else new
            if not any(p in wanted for p in (new, old) if p is not None):
                continue
            if change.base_path is not None and old is not None:
                old_paths.append(old)
            if change.head_path is not None and new is not None:
                new_paths.append(new)
        before = self._revision(record.parent) if record.parent is not None else None
        changes = self._diff(before, head, old_paths, new_paths)
        return Step(record.provenance, changes)

    def uncommitted_paths(self, head: Revision, wanted: frozenset[str]) -> list[str]:
        """The ``wanted`` files with work not committed to ``HEAD`` (staged, or on disk)."""
        repo = self._base.repo
        if not repo.head.is_valid():
            return []
        args = ("--cached",) if not isinstance(head, WorkingTree) else ()
        out = repo.git.diff("-z", "--name-status", "-M", "--no-ext-diff", *args, "HEAD")
        paths = {head.from_git(c.path) for c in parse_name_status(split_z(out))}
        touched = sorted(p for p in paths if p is not None and p in wanted)
        if isinstance(head, WorkingTree):
            untracked = repo.git.ls_files("-z", "--others", "--exclude-standard")
            touched += sorted(
                p for p in (head.from_git(x) for x in split_z(untracked)) if p in wanted
            )
        return touched

    def uncommitted(self, head: Revision, touched: list[str]) -> Step:
        """The symbol diff of uncommitted work against ``HEAD``, over the ``touched`` files
        (see :meth:`uncommitted_paths`)."""
        if not touched:
            return Step(None, ())
        return Step(None, self._diff(self._revision("HEAD"), head, touched, touched))

    def _diff(
        self, before: Revision | None, after: Revision, old: list[str], new: list[str]
    ) -> tuple[SymbolChange, ...]:
        old = [p for p in old if p.endswith(".py") and self._in_scope(p)][:MAX_FILES]
        new = [p for p in new if p.endswith(".py") and self._in_scope(p)][:MAX_FILES]
        if not old and not new:
            return ()
        base_side = self._side(before, old) if before is not None else []
        return diff_modules(base_side, self._side(after, new))

    def _side(self, revision: Revision, paths: list[str]) -> list[SideModule]:
        limit = self._config.max_file_size
        sources = {p: s for p in paths if (s := revision.read(p)) and len(s) <= limit}
        jobs = [ScanJob(s, p, revision.module_name(p)) for p, s in sources.items()]
        style = self._config.style
        scanned = scan_sources(jobs, revision.root, default_style=style, cache=self._cache)
        by_path = {m.path: m for m in scanned.modules}
        return [SideModule(by_path[p], s) for p, s in sources.items() if p in by_path]
