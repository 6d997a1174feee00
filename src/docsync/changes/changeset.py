"""What a change did to the code: the two sides from git (GitPython), then the symbol diff.

:func:`compute_changes` compares the merge base of a base ref and a head (the
working tree, the index, or another ref) and returns a :class:`ChangeSet`: the
files that changed and, for every symbol of the changed Python files, how it
changed (see :mod:`docsync.rules.staleness` for the pure symbol diff).  Contents
of commits and of the index are read from git's object store: nothing is checked
out, and the repository is never modified.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePosixPath

import git

from docsync.changes.diff import ChangeKind, SideModule, SymbolChange, diff_modules
from docsync.changes.refs import closest_ref
from docsync.changes.requires_python import PYPROJECT, requires_python
from docsync.changes.revisions import (
    CommitRevision,
    EmptyRevision,
    IndexRevision,
    Revision,
    WorkingTree,
    split_z,
)
from docsync.config import Config
from docsync.errors import ConfigError, GitError
from docsync.models import Project
from docsync.scan.cache import ScanCache
from docsync.scan.files import scope_filter
from docsync.scan.project import ScanJob, open_cache, scan_sources


class FileStatus(str, Enum):
    """How a file changed."""

    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"
    RENAMED = "renamed"


@dataclass(frozen=True)
class FileChange:
    """A changed file: ``path`` at the head (the old path when deleted), root-relative."""

    path: str
    status: FileStatus
    old_path: str | None = None

    @property
    def base_path(self) -> str | None:
        """The file's path at the base, ``None`` when it was added."""
        if self.status is FileStatus.ADDED:
            return None
        return self.old_path or self.path

    @property
    def head_path(self) -> str | None:
        """The file's path at the head, ``None`` when it was deleted."""
        return None if self.status is FileStatus.DELETED else self.path


@dataclass(frozen=True)
class ChangeSet:
    """Everything a change did: changed files and changed symbols.

    ``base`` is the merge-base commit the change is measured from (git's empty
    tree, :data:`EMPTY_TREE`, before a repository's first commit), ``base_ref``
    the ref the user named, ``head`` a description of the other side (a commit
    sha, ``"index"`` or ``"working tree"``).  ``base_sources`` holds the base-side
    source of every base module that was scanned, by path.  ``requires_python`` is
    the project's ``requires-python`` at the base and at the head, read only when the
    change touched ``pyproject.toml`` (``None``: absent or unread).
    """

    base: str
    base_ref: str
    head: str
    files: tuple[FileChange, ...]
    symbols: tuple[SymbolChange, ...]
    base_sources: Mapping[str, bytes] = field(default_factory=dict, compare=False, repr=False)
    requires_python: tuple[str | None, str | None] = field(default=(None, None), compare=False)
    _by_new: dict[str, SymbolChange] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    _by_old: dict[str, SymbolChange] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def __post_init__(self) -> None:
        for change in self.symbols:
            if change.new is not None and change.new_qualname is not None:
                self._by_new.setdefault(change.new_qualname, change)
            if change.old is not None:
                self._by_old.setdefault(change.qualname, change)

    def for_head(self, qualname: str) -> SymbolChange | None:
        """The change of a head-side symbol, if it changed.

        Args:
            qualname: the symbol's qualified name at the head.

        Returns:
            Its change, or ``None`` when the change left it alone.
        """
        return self._by_new.get(qualname)

    def for_base(self, qualname: str) -> SymbolChange | None:
        """The change of a base-side symbol, if it changed.

        Args:
            qualname: the symbol's qualified name at the base.

        Returns:
            Its change, or ``None`` when the change left it alone.
        """
        return self._by_old.get(qualname)

    @property
    def changed_paths(self) -> frozenset[str]:
        """Every root-relative path the change touched, at the base and at the head."""
        paths = {f.path for f in self.files}
        paths.update(f.old_path for f in self.files if f.old_path)
        return frozenset(paths)

    def gone(self) -> dict[str, SymbolChange]:
        """The base-side names the change removed, renamed or moved, with their changes."""
        kinds = (ChangeKind.REMOVED, ChangeKind.RENAMED, ChangeKind.MOVED)
        return {c.qualname: c for c in self.symbols if c.has(*kinds)}


# --- git: the two sides of a change ----------------------------------------------------


@dataclass(frozen=True)
class Sides:
    """The resolved sides of a change: the merge base, the head, and how to compare them."""

    repo: git.Repo
    root: Path
    base_ref: str
    base: CommitRevision | EmptyRevision
    head: Revision
    diff_args: tuple[str, ...]


def open_repo(root: Path) -> git.Repo:
    """The git repository that contains ``root``.

    Args:
        root: the project root (the repository's top or a directory inside it).

    Returns:
        The repository.

    Raises:
        GitError: ``root`` is not in a git repository, or git cannot be run.
    """
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(
            f"{root} is not inside a git repository: run docsync in a clone, "
            "or run without --base (base mode compares git revisions)"
        ) from None
    except git.GitCommandNotFound:
        raise GitError("git failed. Is it installed and on PATH?") from None


def unstaged_paths(root: Path) -> frozenset[str]:
    """The tracked files under ``root`` whose working-tree content differs from the index.

    Args:
        root: the project root (inside a git work tree).

    Returns:
        Their paths, relative to ``root``.

    Raises:
        GitError: ``root`` is not in a git repository, or git fails.
    """
    root = Path(os.path.normpath(root.absolute()))
    repo = open_repo(root)
    try:
        if repo.working_tree_dir is None:
            return frozenset()
        prefix = _prefix(Path(repo.working_tree_dir), root)
        relative = (f"--relative={prefix}/",) if prefix else ()
        out: str = repo.git.diff("--name-only", "-z", "--no-renames", *relative)
    except git.GitCommandError as exc:
        raise GitError(f"git diff failed in {root}: exit code {exc.status}") from None
    finally:
        repo.close()
    return frozenset(split_z(out))


def resolve_sides(root: Path, base: str, head: str | None = None, staged: bool = False) -> Sides:
    """Resolve ``base`` and the head to the two sides of the change.

    The base side is the merge base of ``base`` and the head commit, so a branch is
    compared with where it forked (``base...head``).  The head side is the working
    tree (default: HEAD plus uncommitted and untracked work), the index
    (``staged``) or the commit ``head``.

    In a repository without commits (an unborn ``HEAD``, before the first commit),
    a ``base`` of exactly ``HEAD`` with the working tree or the index as the head
    is the empty tree (:class:`EmptyRevision`): everything at the head is added.
    That is what a pre-commit hook (``--base HEAD --staged``) sees on the first
    commit.  Any other ref that does not resolve is an error.

    Args:
        root: the project root.
        base: the base ref (``origin/main``, a tag, a sha).
        head: the head ref; ``None`` for the working tree or the index.
        staged: compare the index instead of the working tree.

    Returns:
        The sides.

    Raises:
        GitError: a ref cannot be resolved, the merge base is missing (a shallow
            clone) or ``root`` is not in a repository; the message says what to do.
        ConfigError: ``head`` and ``staged`` were both given.
    """
    if head is not None and staged:
        raise ConfigError("--head and --staged cannot be combined: --staged compares the index")
    root = Path(os.path.normpath(root.absolute()))
    repo = open_repo(root)
    if repo.working_tree_dir is None:
        raise GitError(f"{repo.git_dir} is a bare repository: run docsync in a clone with files")
    prefix = _prefix(Path(repo.working_tree_dir), root)
    base_side: CommitRevision | EmptyRevision
    head_commit: git.Commit | None = None
    if head is None and base == "HEAD" and _unborn(repo):
        base_side = EmptyRevision(repo, root, prefix)
    else:
        base_commit = _resolve(repo, base, "base")
        # `--base HEAD` (pre-commit, a local check): one commit, no second rev-parse, and
        # a commit is its own merge base.
        same = (head or "HEAD") == base
        head_commit = base_commit if same else _resolve(repo, head or "HEAD", "head")
        same = same or head_commit.hexsha == base_commit.hexsha
        merge_base = base_commit if same else _merge_base(repo, base, base_commit, head_commit)
        base_side = CommitRevision(repo, root, prefix, merge_base)
    head_side: Revision
    args: tuple[str, ...]
    if head is not None and head_commit is not None:
        head_side, args = CommitRevision(repo, root, prefix, head_commit), (head_commit.hexsha,)
    elif staged:
        head_side, args = IndexRevision(repo, root, prefix), ("--cached",)
    else:
        head_side, args = WorkingTree(repo, root, prefix), ()
    return Sides(repo, root, base, base_side, head_side, args)


def _unborn(repo: git.Repo) -> bool:
    """Whether ``HEAD`` names a branch that has no commit yet (a new repository)."""
    return not repo.head.is_detached and not repo.head.is_valid()


def _prefix(top: Path, root: Path) -> str:
    try:
        relative = root.resolve().relative_to(top.resolve())
    except ValueError:
        raise GitError(f"{root} is not inside the repository at {top}") from None
    return "" if relative == Path() else relative.as_posix()


def _is_shallow(repo: git.Repo) -> bool:
    return (Path(repo.git_dir) / "shallow").exists()


def _shallow_error(ref: str) -> GitError:
    return GitError(
        "the base commit is not in this shallow clone: use fetch-depth: 0 with "
        f"actions/checkout, or run git fetch --unshallow / git fetch origin {_fetch_spec(ref)}"
    )


def _fetch_spec(ref: str) -> str:
    remote, sep, branch = ref.partition("/")
    return branch if sep and remote == "origin" else ref


def _resolve(repo: git.Repo, ref: str, what: str) -> git.Commit:
    if not ref or ref.startswith("-"):
        raise GitError(f"{what} ref {ref!r} is not a valid ref name")
    try:
        sha = repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
        return repo.commit(sha)
    except (git.GitCommandError, ValueError, git.BadName):
        pass
    if ref == "HEAD" and not repo.head.is_valid():
        raise GitError(
            "the repository has no commits yet: commit first, then compare "
            "(--base HEAD without --head judges the first commit against nothing)"
        )
    if _is_shallow(repo) and what == "base":
        raise _shallow_error(ref)
    close = closest_ref(repo, ref)
    if close:
        raise GitError(f"{what} ref '{ref}' not found: did you mean {close}?")
    hint = f"git fetch origin {_fetch_spec(ref)}" if "/" in ref else f"git fetch origin {ref}"
    raise GitError(f"{what} ref '{ref}' not found: fetch it ({hint}) or check the name")


def _merge_base(repo: git.Repo, ref: str, base: git.Commit, head: git.Commit) -> git.Commit:
    try:
        sha = repo.git.merge_base(base.hexsha, head.hexsha)
    except git.GitCommandError:
        sha = ""
    if sha:
        return repo.commit(sha.split()[0])
    if _is_shallow(repo):
        raise _shallow_error(ref)
    raise GitError(
        f"'{ref}' and the head share no history (no merge base): pick a base on the same branch"
    )


def changed_files(sides: Sides) -> tuple[FileChange, ...]:
    """The files that differ between the sides, root-relative, sorted by path.

    Renames are detected at file level by git (``-M``); untracked files of the
    working tree count as added.

    Args:
        sides: the resolved sides.

    Returns:
        The changed files under the project root.

    Raises:
        GitError: ``git diff`` or ``git ls-files`` failed (a corrupt index).
    """
    try:
        out = sides.repo.git.diff(
            "-z", "--name-status", "-M", "--no-ext-diff", sides.base.tree, *sides.diff_args
        )
        files = list(parse_name_status(split_z(out)))
        if isinstance(sides.head, WorkingTree):
            untracked = sides.repo.git.ls_files("-z", "--others", "--exclude-standard")
            files.extend(FileChange(p, FileStatus.ADDED) for p in split_z(untracked))
    except git.GitCommandError as exc:
        raise git_failed(sides, exc) from None
    head = sides.head
    result = []
    for change in files:
        path = head.from_git(change.path)
        old = head.from_git(change.old_path) if change.old_path else None
        if path is None and old is None:
            continue
        if path is None or (change.old_path and old is None):
            # A rename across the root's edge: only one side is ours.
            status = FileStatus.DELETED if path is None else FileStatus.ADDED
            result.append(FileChange(path or old or "", status))
        else:
            result.append(FileChange(path, change.status, old))
    return tuple(sorted(set(result), key=lambda c: (c.path, c.status.value)))


_STATUS = {"A": FileStatus.ADDED, "C": FileStatus.ADDED, "D": FileStatus.DELETED}


def parse_name_status(tokens: list[str]) -> Iterator[FileChange]:
    """Read ``git diff -z --name-status`` output: a status, then one path (two for R and C).

    Args:
        tokens: the output split at NUL bytes (:func:`split_z`).

    Yields:
        One change per file, with repository-relative paths.
    """
    index = 0
    while index < len(tokens):
        letter = tokens[index][:1]
        if letter in ("R", "C"):
            old, path = tokens[index + 1], tokens[index + 2]
            index += 3
        else:
            old, path = None, tokens[index + 1]
            index += 2
        if letter == "R":
            yield FileChange(path, FileStatus.RENAMED, old)
        else:
            yield FileChange(path, _STATUS.get(letter, FileStatus.MODIFIED))


# --- scanning the sides, and the change set ---------------------------------------------


def compute_changes(
    root: Path, config: Config, base: str, head: str | None = None, staged: bool = False
) -> tuple[ChangeSet, Project]:  # docsync: ignore[DS301]  (callees raise)
    """What the change from ``base`` to the head did to the project's code.

    Only the changed Python files are scanned, at both sides; base-side contents
    come from git's object store.  The base project also holds the ``__init__``
    modules of the changed files' packages, which references resolve through.

    Args:
        root: the project root (inside a git work tree).
        config: the run's configuration (paths, exclude, style, size limit).
        base: the base ref; the change is measured from its merge base with the head.
        head: the head ref; ``None`` for the working tree (HEAD plus uncommitted
            and untracked work) or, with ``staged``, the index.
        staged: compare the index instead of the working tree (a pre-commit view).

    Returns:
        The change set, and the base side's project (changed modules only).

    Raises:
        GitError: a ref cannot be resolved, the base is missing from a shallow
            clone, or ``root`` is not in a git repository.
        ConfigError: ``head`` and ``staged`` were both given.
    """
    sides = resolve_sides(root, base, head, staged)
    try:
        return compare(sides, config)
    finally:
        sides.repo.close()


@dataclass(frozen=True)
class BaseSide:
    """The changed files and their base side, read and scanned ahead (see ``changes.joint``)."""

    files: tuple[FileChange, ...]
    sources: Mapping[str, bytes]
    project: Project


def compare(
    sides: Sides,
    config: Config,
    head: Project | None = None,
    base: BaseSide | None = None,
    *,
    files: tuple[FileChange, ...] | None = None,
) -> tuple[ChangeSet, Project]:
    """:func:`compute_changes` for sides that are already resolved.

    Args:
        sides: the resolved sides (see :func:`resolve_sides`).
        config: the run's configuration.
        head: the head side's project when it is scanned already: its modules are
            taken as they are instead of scanning the changed files again.
        base: the changed files and their base side, when read and scanned already.
        files: :func:`changed_files` of these sides when the caller listed them
            already (one ``git diff`` per run); ``None`` lists them here.

    Returns:
        The change set, and the base side's project (changed modules only).

    Raises:
        GitError: a git command failed (a corrupt index or object store).
    """
    try:
        return _compare(sides, config, head, base, files)
    except git.GitCommandError as exc:
        raise git_failed(sides, exc) from None


def git_failed(sides: Sides, exc: git.GitCommandError) -> GitError:
    """The error to raise for a git command that failed on ``sides``' repository.

    Args:
        sides: the resolved sides.
        exc: what GitPython raised.

    Returns:
        An error naming the repository and git's reason, and what to do.
    """
    stderr = exc.stderr.strip() if isinstance(exc.stderr, str) else ""
    reason = stderr.removeprefix("stderr:").strip(" '\n") or f"exit code {exc.status}"
    return GitError(
        f"git failed in {sides.root}: {reason} (is the repository intact? "
        "`git status` shows the same error; repair or re-clone it)"
    )


def _compare(
    sides: Sides,
    config: Config,
    head: Project | None,
    base: BaseSide | None,
    listed: tuple[FileChange, ...] | None,
) -> tuple[ChangeSet, Project]:
    if base is not None:
        files = base.files
    else:
        files = changed_files(sides) if listed is None else listed
    in_scope = scope_filter(config)
    base_paths = sorted({f.base_path for f in files if f.base_path and in_scope(f.base_path)})
    head_paths = sorted({f.head_path for f in files if f.head_path and in_scope(f.head_path)})
    cache = open_cache(config)
    scanned, read = (base.project, base.sources) if base is not None else (None, None)
    base_side = _scan_side(sides.base, base_paths, config, scanned, cache, read)
    head_side = _scan_side(sides.head, head_paths, config, head, cache)
    packages = _package_inits(base_paths, sides.base, config, set(base_paths), cache)
    base_modules = [m.module for m in base_side] + [m.module for m in packages]
    changes = ChangeSet(
        base=sides.base.label,
        base_ref=sides.base_ref,
        head=sides.head.label,
        files=files,
        symbols=diff_modules(base_side, head_side),
        base_sources={m.module.path: m.source for m in (*base_side, *packages)},
        requires_python=_requires_python(sides, files),
    )
    return changes, Project(str(sides.root), tuple(sorted(base_modules, key=lambda m: m.path)))


def _requires_python(sides: Sides, files: Iterable[FileChange]) -> tuple[str | None, str | None]:
    if not any(PYPROJECT in (f.path, f.old_path) for f in files):
        return None, None
    return requires_python(sides.base.read(PYPROJECT)), requires_python(sides.head.read(PYPROJECT))


def _scan_side(
    revision: Revision,
    paths: list[str],
    config: Config,
    scanned: Project | None,
    cache: ScanCache | None,
    read: Mapping[str, bytes] | None = None,
) -> list[SideModule]:
    """The changed modules of one side: from ``scanned``, else through the scan cache
    (and a pool when there are many: a release diff changes hundreds of files).
    ``read`` holds sources read already (others are read from ``revision``)."""
    read = read or {}
    limit = config.max_file_size
    sources = {p: s for p in paths if (s := read.get(p) or revision.read(p)) and len(s) <= limit}
    known = {m.path: m for m in scanned.modules} if scanned is not None else {}
    jobs = [ScanJob(s, p, revision.module_name(p)) for p, s in sources.items() if p not in known]
    fresh = scan_sources(jobs, revision.root, default_style=config.style, cache=cache)
    by_path = {**known, **{m.path: m for m in fresh.modules}}
    return [SideModule(by_path[p], s) for p, s in sources.items() if p in by_path]


def _scan(
    revision: Revision, path: str, config: Config, cache: ScanCache | None
) -> SideModule | None:
    """One file of a side, through the scan cache (an unchanged ``__init__`` is a hit)."""
    source = revision.read(path)
    if source is None or len(source) > config.max_file_size:
        return None
    job = ScanJob(source, path, revision.module_name(path))
    scanned = scan_sources([job], revision.root, default_style=config.style, cache=cache)
    return SideModule(scanned.modules[0], source) if scanned.modules else None


def _package_inits(
    paths: Iterable[str],
    revision: Revision,
    config: Config,
    seen: set[str],
    cache: ScanCache | None,
) -> list[SideModule]:
    found = []
    for path in paths:
        directory = PurePosixPath(path).parent
        while directory != PurePosixPath("."):
            init = (directory / "__init__.py").as_posix()
            if init not in seen:
                seen.add(init)
                scanned = _scan(revision, init, config, cache)
                if scanned is None:
                    break
                found.append(scanned)
            directory = directory.parent
    return found
