"""Which pages name code that changed after the page was last changed, from git history.

For each page, the last commit that touched the page is when it was last written.
For each project symbol the page names, the symbol's file is read from git at that
commit, scanned with :func:`~docsync.scan.python.scan_source`, and compared with the
file as it is now (the working tree) by :func:`~docsync.changes.diff.diff_modules`,
the same symbol diff base mode uses.  A symbol whose signature differs (as parsed:
comments and formatting make no difference) makes the page stale, and so, when
asked, does one whose docstring's words differ; the date reported is that of the
newest commit that changed them (the commits since the page's are walked newest
first, each compared with the working tree).

Git is only read: blobs come from the object store, nothing is checked out.  A page
with uncommitted edits counts as written now (its writer is looking at it), and a
page git does not track has no history, so neither is ever stale.  Outside a git
repository, in a bare repository, in a repository without commits, or in a shallow
clone (whose history is cut short, so every page would look old), nothing is read
and :attr:`HistoryReport.skipped` says why; so it does when a git command fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path

import git

from docsync.changes.diff import ChangeKind, SideModule, SymbolChange, diff_modules
from docsync.changes.provenance import pr_number
from docsync.models import Module, Project, Signature, Symbol
from docsync.paths import read_regular
from docsync.scan.python import scan_source

__all__ = ["MAX_COMMITS", "Drift", "HistoryReport", "StalePage", "SymbolDrift", "find_stale_pages"]

MAX_COMMITS = 200
"""At most this many commits of a file are walked to date the newest change of a symbol."""

_NOW = "working tree"
_Commit = tuple[str, datetime, int | None]
"""A commit that touched a file: its sha, its commit time, the pull request it names."""
# The symbol is not the same one as at the older version: it was added or renamed since.
_OTHER_SYMBOL = (ChangeKind.ADDED, ChangeKind.RENAMED, ChangeKind.MOVED)


class Drift(str, Enum):
    """What changed about a symbol since a page was written."""

    SIGNATURE = "signature"
    DOCSTRING = "docstring"


@dataclass(frozen=True)
class SymbolDrift:
    """A symbol a page names whose signature or docstring changed after the page did.

    ``when`` and ``commit`` are the time and sha of the newest commit that changed
    them; both are ``None`` when the newest change is not committed yet.
    ``before`` and ``after`` are the signatures when the page was written and now
    (``None`` for a symbol without one, such as a module).  ``pr`` is the pull
    request that commit's subject names (``(#N)``, ``Merge pull request #N``).
    """

    qualname: str
    changed: tuple[Drift, ...]
    when: datetime | None
    commit: str | None
    before: Signature | None = None
    after: Signature | None = None
    pr: int | None = None


@dataclass(frozen=True)
class StalePage:
    """A page whose code changed after it: ``written`` is the time of its last commit."""

    path: str
    written: datetime
    commit: str
    symbols: tuple[SymbolDrift, ...]


@dataclass(frozen=True)
class HistoryReport:
    """The stale pages by root-relative path; ``skipped`` says why history was not read."""

    stale: Mapping[str, StalePage] = field(default_factory=dict)
    skipped: str | None = None


def find_stale_pages(
    root: Path,
    project: Project,
    mentions: Mapping[str, Iterable[str]],
    *,
    docstrings: bool = False,
) -> HistoryReport:
    """Find the pages that name a symbol whose signature changed after them.

    A signature changed when its parameters (names, kinds, annotations, defaults),
    its return annotation or ``async`` did, each compared as the parsed code reads
    (comments, line breaks and spacing make no difference).  A change of the body
    alone does not count, nor, unless ``docstrings`` is true, one of the docstring
    (whose words are compared, not its line breaks).

    Args:
        root: The project root (the repository's top or a directory inside it).
        project: The project as scanned now, from the working tree.
        mentions: For each page (root-relative path), the qualified names of the
            project symbols it names.
        docstrings: A changed docstring makes a page stale too.

    Returns:
        The stale pages, or none and the reason when git history cannot be read.
    """
    opened = _open_repo(root)
    if isinstance(opened, str):
        return HistoryReport(skipped=opened)
    repo, prefix = opened
    try:
        reader = _History(repo, prefix, project, docstrings=docstrings)
        stale = {}
        for page in sorted(mentions):
            found = reader.page(page, sorted(set(mentions[page])))
            if found is not None:
                stale[page] = found
        return HistoryReport(stale)
    except git.GitCommandError as exc:  # notices are a courtesy: never fail a build for them
        return HistoryReport(skipped=f"git failed: {_stderr(exc)}")
    finally:
        repo.close()


def _stderr(exc: git.GitCommandError) -> str:
    """What git said, without GitPython's ``stderr: '...'`` wrapping."""
    text = " ".join(str(exc.stderr).split())
    text = text.removeprefix("stderr:").strip()
    return text.strip("'\"").strip() or f"exit status {exc.status}"


def _open_repo(root: Path) -> tuple[git.Repo, str] | str:
    """The repository and the root's path inside it, or why history cannot be read."""
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return f"{root} is not inside a git repository"
    except git.GitCommandNotFound:
        return "git is not installed"
    reason = _unusable(repo)
    if reason is None and repo.working_tree_dir is not None:
        top = Path(repo.working_tree_dir).resolve()
        try:
            relative = Path(root).resolve().relative_to(top)
        except ValueError:
            reason = f"{root} is outside the work tree of {top}"
        else:
            return repo, "" if relative == Path() else relative.as_posix()
    repo.close()
    return reason or "the repository has no work tree"


def _unusable(repo: git.Repo) -> str | None:
    if repo.bare:
        return "the repository is bare"
    if (Path(repo.git_dir) / "shallow").exists():
        return (
            "the repository is a shallow clone, so page ages are unknown (fetch the whole "
            "history: fetch-depth: 0 with actions/checkout, or git fetch --unshallow)"
        )
    if not repo.head.is_valid():
        return "the repository has no commits yet"
    return None


class _History:
    """Git reads for one run, each done at most once."""

    def __init__(self, repo: git.Repo, prefix: str, project: Project, *, docstrings: bool) -> None:
        self._repo = repo
        self._docstrings = docstrings
        self._prefix = prefix
        self._project = project
        self._root = Path(project.root)
        self._modules: dict[str, Module] = {m.path: m for m in project.modules}
        self._dirty = self._uncommitted()
        self._commits: dict[tuple[str, str], list[_Commit]] = {}
        self._sides: dict[tuple[str, str], SideModule | None] = {}
        self._diffs: dict[tuple[str, str], dict[str, SymbolChange]] = {}

    def page(self, path: str, qualnames: list[str]) -> StalePage | None:
        """The page's stale symbols, if it has any; ``None`` for a page without history."""
        if path in self._dirty:
            return None
        last = self._log(path, "-1")
        if not last:
            return None
        sha, written, _ = last[0]
        drifts = [d for d in (self._drift(q, sha) for q in qualnames) if d is not None]
        return StalePage(path, written, sha, tuple(drifts)) if drifts else None

    def _drift(self, qualname: str, since: str) -> SymbolDrift | None:
        symbol = self._project.get(qualname)
        if symbol is None or symbol.location.path not in self._modules:
            return None
        path = symbol.location.path
        commits = self._commits_since(since, path)
        if not commits and path not in self._dirty:
            return None
        change = self._changes(since, path).get(qualname)
        if change is None or change.has(*_OTHER_SYMBOL):
            return None
        changed = self._drifts(change)
        if not changed:
            return None
        newer: _Commit | None = None  # None: the working tree
        for commit in commits:
            if self._differs(commit[0], path, qualname):
                break
            newer = commit
        before = change.old.signature if change.old is not None else None
        after = change.new.signature if change.new is not None else None
        if newer is None:
            return SymbolDrift(qualname, changed, None, None, before, after)
        return SymbolDrift(qualname, changed, newer[1], newer[0], before, after, newer[2])

    def _drifts(self, change: SymbolChange) -> tuple[Drift, ...]:
        """What of a symbol's interface differs between the two sides of ``change``."""
        old, new = change.old, change.new
        if old is None or new is None:
            return ()
        found = []
        if _interface(old) != _interface(new):
            found.append(Drift.SIGNATURE)
        if self._docstrings and _words(old) != _words(new):
            found.append(Drift.DOCSTRING)
        return tuple(found)

    def _differs(self, sha: str, path: str, qualname: str) -> bool:
        change = self._changes(sha, path).get(qualname)
        return change is not None and (change.has(*_OTHER_SYMBOL) or bool(self._drifts(change)))

    def _changes(self, sha: str, path: str) -> dict[str, SymbolChange]:
        """How each symbol of ``path`` differs between commit ``sha`` and the working tree."""
        key = (sha, path)
        if key not in self._diffs:
            old, new = self._side(sha, path), self._side(_NOW, path)
            table: dict[str, SymbolChange] = {}
            if new is not None:
                base = [old] if old is not None else []
                for change in diff_modules(base, [new]):
                    if change.new_qualname is not None:
                        table[change.new_qualname] = change
            self._diffs[key] = table
        return self._diffs[key]

    def _side(self, version: str, path: str) -> SideModule | None:
        key = (version, path)
        if key not in self._sides:
            source = self._read(version, path)
            side = None
            if source is not None:
                module = scan_source(source, path, self._modules[path].qualname).module
                side = SideModule(module, source) if module is not None else None
            self._sides[key] = side
        return self._sides[key]

    def _read(self, version: str, path: str) -> bytes | None:
        if version == _NOW:
            try:
                return read_regular(self._root / path, root=self._root)
            except OSError:
                return None
        try:
            blob = self._repo.commit(version).tree[self._git_path(path)]
        except (KeyError, ValueError):
            return None
        if blob.type != "blob":
            return None
        data: bytes = blob.data_stream.read()
        return data

    def _commits_since(self, since: str, path: str) -> list[_Commit]:
        key = (since, path)
        if key not in self._commits:
            self._commits[key] = self._log(path, f"--max-count={MAX_COMMITS}", f"{since}..HEAD")
        return self._commits[key]

    def _log(self, path: str, *options: str) -> list[_Commit]:
        """Commits (sha, commit time, pull request) that touched ``path``, newest first."""
        out: str = self._repo.git.log(
            *options, "--format=%H %ct %s", "--", f":(literal){self._git_path(path)}"
        )
        commits = []
        for line in out.splitlines():
            sha, stamp, subject = [*line.split(" ", 2), ""][:3]
            when = datetime.fromtimestamp(int(stamp), tz=timezone.utc)
            commits.append((sha, when, pr_number(subject)))
        return commits

    def _uncommitted(self) -> frozenset[str]:
        """Root-relative paths of tracked files that differ from HEAD (staged or not)."""
        out: str = self._repo.git.diff("--name-only", "-z", "HEAD")
        found = (self._from_git(p) for p in out.split("\0") if p)
        return frozenset(p for p in found if p is not None)

    def _git_path(self, path: str) -> str:
        return f"{self._prefix}/{path}" if self._prefix else path

    def _from_git(self, path: str) -> str | None:
        if not self._prefix:
            return path
        relative = os.path.relpath(path, self._prefix)
        return None if relative.startswith("..") else Path(relative).as_posix()


def _interface(symbol: Symbol) -> tuple[object, ...]:
    """What callers see of a signature: parameters, return annotation, ``async``.

    Annotations and defaults are source text as :func:`ast.unparse` writes it, so
    a reformatted signature compares equal.  What the body decides (returning a
    value, being a generator) is left out.
    """
    signature = symbol.signature
    if signature is None:
        return ()
    return (signature.params, signature.returns, signature.is_async)


def _words(symbol: Symbol) -> tuple[str, ...]:
    """The docstring's words: rewrapped or reindented text compares equal."""
    return tuple(symbol.docstring.text.split()) if symbol.docstring else ()
