"""What ``mkdocs serve`` should watch for docsync: the code it scans and its settings.

MkDocs watches ``docs_dir`` and ``mkdocs.yml``.  docsync also reads the Python
files under ``paths``, its configuration file and the baseline, so editing any of
them should rebuild the site.  A configured path is watched as a whole unless it
holds the scan cache or the built site (the default ``paths = ["."]`` is the
project root, which holds both): writing either would start a rebuild after every
build.  Such a path is watched through what docsync reads in it instead: each
directory directly inside it that holds a scanned file (``src``, ``mypkg``), and
each scanned file that lies directly in it.  Every watched path resolves inside the
project root, and there are at most :data:`MAX_WATCHED`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from docsync.commands.baseline import baseline_path
from docsync.config import Config
from docsync.scan.cache import CACHE_DIR_NAME
from docsync.scan.files import discover_python_files

__all__ = ["MAX_WATCHED", "watched_paths"]

MAX_WATCHED = 200
"""The most paths the plugin asks ``mkdocs serve`` to watch."""


def watched_paths(settings: Config, *, avoid: Sequence[Path] = ()) -> list[Path]:
    """The files and directories whose changes should rebuild the site.

    Args:
        settings: The docsync settings of the build.
        avoid: Directories no watched directory may contain (the site directory).

    Returns:
        Absolute paths inside the project root, existing, without duplicates, at
        most :data:`MAX_WATCHED`.

    Raises:
        SourceError: A configured path does not exist.
        GitError: ``git ls-files`` failed.
    """
    root = settings.root.resolve()
    busy = [root / CACHE_DIR_NAME, *(p.resolve() for p in avoid)]
    found: list[Path] = []
    for entry in settings.paths:
        path = settings.at_root(entry).resolve()
        if not path.is_dir() or not any(b.is_relative_to(path) for b in busy):
            found.append(path)
            continue
        files = discover_python_files([path], settings.root, settings.exclude)
        found += _children_holding(path, (f.resolve() for f in files), busy)
    found += [p for p in (settings.source, baseline_path(settings)) if p is not None]
    unique: list[Path] = []
    for path in found:
        resolved = path.resolve()
        if resolved in unique or not resolved.exists() or not resolved.is_relative_to(root):
            continue
        unique.append(resolved)
        if len(unique) == MAX_WATCHED:
            break
    return unique


def _children_holding(parent: Path, files: Iterable[Path], busy: Sequence[Path]) -> list[Path]:
    """The entries directly inside ``parent`` that hold one of ``files`` (or are one)."""
    children: list[Path] = []
    for file in files:
        if not file.is_relative_to(parent) or any(file.is_relative_to(b) for b in busy):
            continue  # outside, or written by the build itself
        child = parent / file.relative_to(parent).parts[0]
        if child.is_dir() and any(b.is_relative_to(child) for b in busy):
            child = file  # a directory that holds the cache or the site: its files only
        if child not in children:
            children.append(child)
        if len(children) >= MAX_WATCHED:
            break
    return children
