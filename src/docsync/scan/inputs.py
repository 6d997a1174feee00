"""What a whole check reads, as digests: the key of the check's result cache.

A check's findings depend on the Python files it scans (their paths, the module
names the ``__init__.py`` files give them, their bytes), on the MkDocs site (its
settings, ``!ENV`` values included, and the files of its docs directory) and on
which of the files the pages link to exist.  The first two are digested here from
what is on disk now; the last is recorded with the result and looked at again
(:func:`targets_unchanged`), since the targets are known only once the pages are
parsed.  Reading every file costs a few hundredths of a second on Django; parsing
them costs seconds.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from docsync.paths import MAX_READ_BYTES, path_exists, read_regular
from docsync.scan.pages import PAGE_SUFFIXES, Site
from docsync.scan.project import ModuleNames

__all__ = ["file_digest", "python_inputs", "site_inputs", "targets_unchanged"]

MAX_DOCS_FILES = 20_000
"""The most files of a docs directory digested; a larger one is not cached (``None``)."""


def file_digest(path: Path, root: Path) -> str:
    """The digest of one input file's bytes, or a marker of why it cannot be read.

    Args:
        path: The file.
        root: The project root (the file must resolve inside it).

    Returns:
        A hex digest, or ``!`` and the error's kind: the same unreadable file gives the
        same marker, so its diagnostic is served from the cache as before.
    """
    try:
        return hashlib.sha256(read_regular(path, max_bytes=MAX_READ_BYTES, root=root)).hexdigest()
    except OSError as exc:
        try:  # a file too large today may be larger tomorrow: its diagnostic says the size
            size = path.stat().st_size
        except OSError:
            size = -1
        return f"!{type(exc).__name__}:{exc.errno}:{size}"


def python_inputs(root: Path, files: Sequence[Path]) -> str:
    """The digest of the scanned Python files: paths, module names and contents.

    Args:
        root: The absolute, normalised project root.
        files: The discovered files (absolute), in scan order.

    Returns:
        64 hex digits.
    """
    digest = hashlib.sha256()
    names = ModuleNames(root)
    for file in files:
        relative = os.path.relpath(file, root)
        line = f"{relative}\0{names.of(os.fspath(file))}\0{file_digest(file, root)}\n"
        digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def site_inputs(site: Site) -> str | None:
    """The digest of the MkDocs site: its settings and the files of its docs directory.

    Pages and Python files (a Sphinx ``conf.py``) are digested by content, other files
    by name (their existence is what a link needs).

    Args:
        site: The loaded ``mkdocs.yml`` (or the default site without one).

    Returns:
        64 hex digits, or ``None`` when the docs directory has more than
        :data:`MAX_DOCS_FILES` files (the result is then not cached).
    """
    digest = hashlib.sha256(repr(site).encode("utf-8", "surrogateescape"))
    count = 0
    for directory, subdirs, files in os.walk(site.docs_dir):
        subdirs.sort()
        for name in sorted(files):
            count += 1
            if count > MAX_DOCS_FILES:
                return None
            path = Path(directory) / name
            content = name.endswith((*PAGE_SUFFIXES, ".py"))
            mark = file_digest(path, site.root) if content else "-"
            line = f"{os.path.relpath(path, site.root)}\0{mark}\n"
            digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def targets_unchanged(root: Path, targets: Iterable[tuple[str, bool]]) -> bool:
    """Whether each recorded link target still exists, or still does not.

    Args:
        root: The project root.
        targets: Root-relative targets and whether each existed when recorded.

    Returns:
        True when every target's existence is as recorded.
    """
    return all(path_exists(root / target) is existed for target, existed in targets)
