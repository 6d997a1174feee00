"""Base mode's scan: the working tree and the base side of the changed files in one pass.

A cold ``check --base`` scans every file of the head, as a whole-tree check does, and
the changed files as they were at the base.  Scanned one after the other, each is a
pool of its own: the pool starts twice, and each pass waits for its slowest chunk
while the other CPU idles.  :func:`scan_head_and_base` reads the changed files' base
blobs first and hands them to the head's scan
(:func:`~docsync.scan.project.scan_working_tree_with`), so both go through one pool;
:func:`~docsync.changes.changeset.compare` then takes the base side as scanned
(:class:`~docsync.changes.changeset.BaseSide`) instead of reading and scanning it again.
"""

from __future__ import annotations

from dataclasses import replace

import git

from docsync.changes.changeset import BaseSide, FileChange, Sides, changed_files, git_failed
from docsync.config import Config
from docsync.models import Project
from docsync.scan.files import scope_filter
from docsync.scan.project import ScanJob, scan_working_tree_with

__all__ = ["scan_head_and_base"]


def scan_head_and_base(
    sides: Sides, config: Config, files: tuple[FileChange, ...] | None = None
) -> tuple[Project, BaseSide]:
    """Scan the working tree and the base side of the changed files together.

    Args:
        sides: the resolved sides; the head is the working tree.
        config: the run's configuration.
        files: the changed files when the caller listed them already; ``None`` lists
            them here.

    Returns:
        The head project (the same as :func:`~docsync.scan.project.scan_working_tree`
        gives), and the base side of the changed files for
        :func:`~docsync.changes.changeset.compare`.

    Raises:
        SourceError: A configured path does not exist or lies outside the root.
        GitError: a git command failed (a corrupt index or object store).
    """
    try:
        files = changed_files(sides) if files is None else files
        in_scope = scope_filter(config)
        paths = sorted({f.base_path for f in files if f.base_path and in_scope(f.base_path)})
        limit = config.max_file_size
        sources = {p: s for p in paths if (s := sides.base.read(p)) and len(s) <= limit}
        jobs = [ScanJob(s, p, sides.base.module_name(p)) for p, s in sources.items()]
    except git.GitCommandError as exc:  # a corrupt index or object store
        raise git_failed(sides, exc) from None
    head, base = scan_working_tree_with(replace(config, root=sides.root), jobs)
    return head, BaseSide(files, sources, base)
