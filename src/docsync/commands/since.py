"""Provenance: put on each finding the commit that made it stale (``evidence.since``).

:func:`date_change` does it in base mode, over the commits of base..head;
:func:`date_tree` on a whole tree (opt-in: ``--since`` or ``since = true``), over
the commits that touched the findings' files.  Which code change counts comes from
the finding's rule (:func:`subject_of`); the walk itself is
:func:`docsync.changes.provenance.stale_since`.  Reading history never fails a run:
a shallow clone, a repository without commits or a failing git command leaves the
findings undated, with one notice saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import git

from docsync import timings as timing
from docsync.changes.changeset import ChangeSet, open_repo, resolve_sides
from docsync.changes.diff import ChangeKind
from docsync.changes.provenance import (
    Step,
    Subject,
    file_steps,
    history_problem,
    range_steps,
    stale_since,
)
from docsync.changes.revisions import CommitRevision, EmptyRevision, WorkingTree
from docsync.config import Config
from docsync.errors import GitError
from docsync.models import Finding, Project
from docsync.rules.coverage import NEW_API_OFF_PAGES, NEW_API_UNDOCUMENTED
from docsync.rules.param_changes import CHANGED_PARAMS_UNDOCUMENTED
from docsync.rules.references import BROKEN_REFERENCE
from docsync.rules.registry import rule_by_code
from docsync.rules.staleness import STALE_AFTER_CHANGE, SUBSUMED_PREFIXES

__all__ = ["Dated", "date_change", "date_tree", "date_with", "subject_of"]

_SIGNATURE = frozenset({ChangeKind.SIGNATURE_CHANGED})
_CODE = frozenset({ChangeKind.SIGNATURE_CHANGED, ChangeKind.BODY_CHANGED})
_NAME = frozenset({ChangeKind.RENAMED, ChangeKind.MOVED})
_SIGNATURE_CODES = frozenset({STALE_AFTER_CHANGE.code, CHANGED_PARAMS_UNDOCUMENTED.code})
_ADDED_CODES = frozenset({NEW_API_UNDOCUMENTED.code, NEW_API_OFF_PAGES.code})


@dataclass(frozen=True)
class Dated:
    """The findings with their provenance, and a notice when history could not be read."""

    findings: tuple[Finding, ...]
    notice: str | None = None


def subject_of(finding: Finding, head: Project, changes: ChangeSet | None) -> Subject | None:
    """What a finding is about, and which code changes count for it.

    A parameter or return finding (DS1xx, DS2xx, DS501, DS503) counts signature
    changes; new API (DS504, DS708) the commit that added it; a broken reference
    (DS601, and page references to a name the change removed) the commit that
    removed, renamed or moved its target; anything else any change to the code.

    Args:
        finding: the finding.
        head: the head project.
        changes: base mode's change set (``None`` on a whole tree).

    Returns:
        The subject, or ``None`` when the finding is about nothing git can date.
    """
    code = finding.code
    if code == BROKEN_REFERENCE.code or (
        head.get(finding.symbol) is None and rule_by_code(code).names_symbol
    ):
        moved_to = finding.evidence.actual
        if moved_to is not None and head.get(moved_to) is not None:
            return Subject(head=moved_to, kinds=_NAME)
        gone = _gone_name(finding, changes)
        return Subject(gone=gone) if gone is not None else None
    if head.get(finding.symbol) is None:
        return None
    if code in _ADDED_CODES:
        return Subject(head=finding.symbol)
    if code.startswith(SUBSUMED_PREFIXES) or code in _SIGNATURE_CODES:
        return Subject(head=finding.symbol, kinds=_SIGNATURE)
    return Subject(head=finding.symbol, kinds=_CODE)


def _gone_name(finding: Finding, changes: ChangeSet | None) -> str | None:
    """The one name the change removed that a reference finding is about."""
    if changes is None:
        return None
    gone = changes.gone()
    written = (finding.evidence.documented or finding.symbol).strip("`").removesuffix("()")
    if written in gone:
        return written
    last = written.rpartition(".")[2]
    matches = [name for name in gone if name.rpartition(".")[2] == last]
    return matches[0] if len(matches) == 1 else None


def date_with(
    findings: Iterable[Finding], steps: Sequence[Step], head: Project, changes: ChangeSet | None
) -> list[Finding]:
    """Put ``evidence.since`` on every finding the steps can date.

    Args:
        findings: the findings.
        steps: the history, newest first.
        head: the head project.
        changes: base mode's change set, if any.

    Returns:
        The findings, in their order; undated ones unchanged.
    """
    dated = []
    for finding in findings:
        subject = subject_of(finding, head, changes)
        since = stale_since(subject, steps) if subject is not None else None
        if since is not None:
            finding = replace(finding, evidence=replace(finding.evidence, since=since))
        dated.append(finding)
    return dated


def date_change(
    config: Config,
    findings: Sequence[Finding],
    head: Project,
    changes: ChangeSet,
    *,
    base: str,
    head_ref: str | None = None,
    staged: bool = False,
) -> Dated:  # docsync: ignore[DS301]  (resolve_sides raises; history problems are notices)
    """Base mode's provenance: the commits of base..head, compared file by file.

    Args:
        config: the run's configuration.
        findings: base mode's findings.
        head: the head project.
        changes: the change set.
        base: the base ref, as given to base mode.
        head_ref: the head ref, as given to base mode.
        staged: as given to base mode.

    Returns:
        The findings with their provenance, and a notice if history was not read.
    """
    if not findings:
        return Dated(tuple(findings))
    sides = resolve_sides(config.root, base, head_ref, staged)
    try:
        if isinstance(sides.base, EmptyRevision):
            return Dated(tuple(findings))  # the first commit: no commit made anything stale
        problem = history_problem(sides.repo)
        if problem is not None:
            return Dated(tuple(findings), problem)
        with timing.phase("git/since"):
            steps = range_steps(
                sides.base, sides.head, changes.changed_paths, config, changes.symbols
            )
        return Dated(tuple(date_with(findings, steps, head, changes)))
    except git.GitCommandError as exc:
        return Dated(tuple(findings), f"provenance skipped: git failed ({_stderr(exc)})")
    finally:
        sides.repo.close()


def date_tree(config: Config, findings: Sequence[Finding], head: Project) -> Dated:
    """A whole tree's provenance: the commits that touched the findings' files.

    Args:
        config: the run's configuration.
        findings: the findings.
        head: the project, scanned from the working tree.

    Returns:
        The findings with their provenance, and a notice if history was not read.
    """
    if not findings:
        return Dated(tuple(findings))
    try:
        repo = open_repo(config.root)
    except GitError as exc:
        return Dated(tuple(findings), f"provenance skipped: {exc}")
    try:
        problem = history_problem(repo)
        if problem is not None:
            return Dated(tuple(findings), problem)
        sides = resolve_sides(config.root, "HEAD")
        assert isinstance(sides.head, WorkingTree) and isinstance(sides.base, CommitRevision)
        paths = {
            symbol.location.path for f in findings if (symbol := head.get(f.symbol)) is not None
        }
        with timing.phase("git/since"):
            steps = file_steps(sides.head, sides.base, paths, config)
        sides.repo.close()
        return Dated(tuple(date_with(findings, steps, head, None)))
    except (git.GitCommandError, GitError) as exc:
        return Dated(tuple(findings), f"provenance skipped: git failed ({_stderr(exc)})")
    finally:
        repo.close()


def _stderr(exc: Exception) -> str:
    if isinstance(exc, git.GitCommandError):
        text = " ".join(str(exc.stderr).split()).removeprefix("stderr:").strip(" '\"")
        return text or f"exit status {exc.status}"
    return str(exc)
