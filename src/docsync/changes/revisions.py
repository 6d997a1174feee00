"""The sides of a change that can be read: a commit, the index, the work tree (GitPython).

Contents of commits and of the index are read from git's object store: nothing is
checked out, and the repository is never modified.  Paths given to and returned by a
revision are relative to the project root.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path, PurePosixPath

import git

from docsync.paths import read_regular
from docsync.scan.python import module_name_for

__all__ = [
    "EMPTY_TREE",
    "CommitRevision",
    "EmptyRevision",
    "IndexRevision",
    "Revision",
    "WorkingTree",
    "split_z",
]

_INIT = "__init__.py"


class Revision:
    """One side of a change whose files can be read: a commit, the index or the work tree.

    Paths given to and returned by a revision are relative to the project root.
    """

    label: str

    def __init__(self, repo: git.Repo, root: Path, prefix: str) -> None:
        self._repo = repo
        self._root = root
        self._prefix = prefix

    @property
    def root(self) -> Path:
        """The project root (absolute) that paths are relative to."""
        return self._root

    @property
    def repo(self) -> git.Repo:
        """The repository this revision is read from."""
        return self._repo

    @property
    def prefix(self) -> str:
        """The project root's path inside the repository ("" at its top)."""
        return self._prefix

    def read(self, path: str) -> bytes | None:
        """The content of a file at this revision.

        Args:
            path: the file, relative to the project root.

        Returns:
            Its bytes, or ``None`` when the revision has no such file.
        """
        raise NotImplementedError

    def _list(self) -> str:
        raise NotImplementedError

    @cached_property
    def paths(self) -> tuple[str, ...]:
        """Every file of this revision under the project root, sorted."""
        found = (self.from_git(p) for p in split_z(self._list()))
        return tuple(sorted(p for p in found if p is not None))

    def module_name(self, path: str) -> str:
        """The dotted module name of a file, from the ``__init__.py`` files of this revision.

        The same walk as :func:`docsync.scan.python.module_name_for`, over this
        revision's files instead of the disk.

        Args:
            path: the file, relative to the project root.

        Returns:
            The module's qualified name.
        """
        inits = self._inits
        pure = PurePosixPath(path)
        parts = [] if pure.name == "__init__.py" else [pure.stem]
        directory = pure.parent
        while (directory / "__init__.py").as_posix() in inits:
            if directory == PurePosixPath("."):
                parts.append(self._root.name)
                break
            parts.append(directory.name)
            directory = directory.parent
        return ".".join(reversed(parts)) or pure.stem

    @cached_property
    def _inits(self) -> frozenset[str]:
        # String tests, not PurePosixPath: a release has thousands of paths (0.3 s).
        return frozenset(p for p in self.paths if p == _INIT or p.endswith("/" + _INIT))

    def to_git(self, path: str) -> str:
        """The repository-relative path of a root-relative one.

        Args:
            path: a path relative to the project root.

        Returns:
            The same file's path relative to the repository's top.
        """
        return f"{self._prefix}/{path}" if self._prefix else path

    def from_git(self, path: str) -> str | None:
        """The root-relative path of a repository-relative one.

        Args:
            path: a path relative to the repository's top.

        Returns:
            The same file's path relative to the project root; ``None`` outside it.
        """
        if not self._prefix:
            return path
        before, sep, rest = path.partition(self._prefix + "/")
        return rest if sep and not before else None


class CommitRevision(Revision):
    """The files of a commit, read from git's object store."""

    def __init__(self, repo: git.Repo, root: Path, prefix: str, commit: git.Commit) -> None:
        super().__init__(repo, root, prefix)
        self.commit = commit
        self.label = commit.hexsha

    def read(self, path: str) -> bytes | None:
        try:
            blob = self.commit.tree[self.to_git(path)]
        except KeyError:
            return None
        if blob.type != "blob":
            return None
        data: bytes = blob.data_stream.read()
        return data

    @property
    def tree(self) -> str:
        """What ``git diff`` compares the head with: the commit's sha."""
        return self.commit.hexsha

    def _list(self) -> str:
        out: str = self._repo.git.ls_tree("-r", "-z", "--name-only", self.commit.hexsha)
        return out


EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
"""git's empty tree, which every repository knows without storing it."""


class EmptyRevision(Revision):
    """The base of a repository's first commit: git's empty tree, with no files.

    Against it, everything at the head is added (see :func:`resolve_sides`).
    """

    label = EMPTY_TREE
    tree = EMPTY_TREE

    def read(self, path: str) -> bytes | None:
        return None

    def _list(self) -> str:
        return ""


class IndexRevision(Revision):
    """The files staged in the index (what ``git commit`` would record)."""

    label = "index"

    @cached_property
    def _index(self) -> git.IndexFile:
        return self._repo.index

    def read(self, path: str) -> bytes | None:
        entry = self._index.entries.get((self.to_git(path), 0))
        if entry is None:
            return None
        data: bytes = self._repo.odb.stream(entry.binsha).read()
        return data

    def _list(self) -> str:
        out: str = self._repo.git.ls_files("-z", "--cached")
        return out


class WorkingTree(Revision):
    """The files on disk: tracked ones plus untracked ones that are not ignored."""

    label = "working tree"

    def read(self, path: str) -> bytes | None:
        try:
            return read_regular(self._root / path, root=self._root)
        except OSError:  # missing, a directory, a FIFO, a link out of the repository...
            return None

    def module_name(self, path: str) -> str:
        return module_name_for(self._root / path, self._root)

    def _list(self) -> str:
        out: str = self._repo.git.ls_files("-z", "--cached", "--others", "--exclude-standard")
        return out


def split_z(output: str) -> list[str]:
    """The non-empty fields of NUL-separated git output.

    Args:
        output: what a ``-z`` git command printed.

    Returns:
        The fields, in order.
    """
    return [p for p in output.split("\0") if p]
