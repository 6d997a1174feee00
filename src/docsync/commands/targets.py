"""What the command line's paths name: Python code, MkDocs pages, or nothing to check.

``docsync check src/pkg/api.py docs/index.md`` names a module and a page.  A path
inside the site's docs directory that is a Markdown file or a folder names pages;
any other path names code.  Pages resolve the names they use against the whole
project, so when pages are named the configured ``paths`` are scanned whole and
only what was named is reported (:attr:`~docsync.config.Config.report_paths`).

A run that judges no Python file and no page says so and exits 2 (ruff warns "No
Python files found"); "No drift found in 0 files" must never read as clean.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docsync.config import Config
from docsync.errors import SourceError

__all__ = ["NothingToCheck", "PathTargets", "nothing_to_check", "split_paths"]

PAGE_SUFFIXES = (".md", ".markdown")


class NothingToCheck(SourceError):
    """The paths of a run hold no Python file and no page: nothing was judged (exit 2)."""


@dataclass(frozen=True)
class PathTargets:
    """The command line's paths, resolved: those naming pages, and the others (code)."""

    pages: tuple[Path, ...]
    code: tuple[Path, ...]


def covers(parent: Path, child: Path) -> bool:
    """Whether ``child`` is ``parent`` or lies inside it (both resolved)."""
    return child == parent or parent in child.parents


def split_paths(resolved: Sequence[Path], docs_dir: Path) -> PathTargets:
    """Tell the paths that name pages from the paths that name code.

    Args:
        resolved: The command line's paths, resolved.
        docs_dir: The site's docs directory, resolved.

    Returns:
        The page paths (a Markdown file or a folder inside ``docs_dir``) and the rest.
    """
    pages = tuple(
        p
        for p in resolved
        if covers(docs_dir, p) and (p.is_dir() or p.suffix.lower() in PAGE_SUFFIXES)
    )
    return PathTargets(pages, tuple(p for p in resolved if p not in pages))


def nothing_to_check(config: Config, given: Sequence[str], docs_dir: Path) -> NothingToCheck:
    """The error of a run that judged nothing, naming each path and why it held nothing.

    Args:
        config: The run's configuration.
        given: The paths as typed on the command line (relative to the current
            directory); empty when the configured ``paths`` were scanned.
        docs_dir: The site's docs directory, resolved.

    Returns:
        The error to raise (exit code 2).
    """
    docs = _shown(docs_dir, config.root)
    if not given:
        where = ", ".join(config.paths)
        pages = f"no page in {docs}/" if config.pages else "pages are off"
        return NothingToCheck(
            f"nothing to check: no Python file under the configured paths ({where}; after "
            f"exclude), and {pages}"
        )
    reasons = [f"{path} ({_why_empty(config, Path(path).resolve(), docs_dir)})" for path in given]
    return NothingToCheck(f"nothing to check: {'; '.join(reasons)}")


def _why_empty(config: Config, path: Path, docs_dir: Path) -> str:
    docs = _shown(docs_dir, config.root)
    is_page = path.suffix.lower() in PAGE_SUFFIXES
    if covers(docs_dir, path) and (path.is_dir() or is_page):
        if not config.pages:
            return "pages are off (--no-pages, or pages = false)"
        return f"no page of the site here ({docs}/ is not an MkDocs docs directory, or is empty)"
    if is_page:
        return f"a Markdown file outside the docs directory {docs}/; docsync checks pages there"
    if path.is_dir():
        return "holds no Python file, or every one is excluded"
    if path.suffix != ".py":
        return "not a Python file"
    return "excluded by exclude/extend-exclude"


def _shown(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive (Windows)
        return path.as_posix()
