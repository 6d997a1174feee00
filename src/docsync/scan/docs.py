"""Load a docs site once, as values the page rules judge without touching the disk.

:func:`load_docs` reads the site's config (``properdocs.yml``, ``mkdocs.yml`` or
``zensical.toml``) and the pages (:mod:`docsync.scan.pages`),
works out the mkdocstrings Python handler's paths, and looks up on disk which of
the files the pages link to exist.  The page rules then take the :class:`Docs`
value and compute; a test can build one in memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from docsync.models import Diagnostic, Page, Project
from docsync.paths import path_exists
from docsync.scan.index import SymbolIndex
from docsync.scan.pages import Site, load_site, scan_pages

__all__ = ["Docs", "link_target", "link_targets", "load_docs", "page_index"]


@dataclass(frozen=True)
class Docs:
    """An MkDocs site as the page rules read it.

    ``pages`` are the scanned pages (none for a ``docs/`` that holds a Sphinx
    project), ``diagnostics`` name the pages that could not be read.
    ``search_paths`` are the mkdocstrings Python handler's ``paths``, relative to
    the project root.  ``existing`` holds the root-relative targets of the pages'
    relative links (see :func:`link_target`) that exist in the repository.
    """

    site: Site
    pages: tuple[Page, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    search_paths: tuple[str, ...] = ()
    existing: frozenset[str] = frozenset()


def load_docs(root: Path, docs_dir: str | None = None, site_config: str | None = None) -> Docs:
    """Read a project's docs site: its config, its pages and the files they link to.

    Args:
        root: The project root, where the config file is looked for.
        docs_dir: The docs directory, relative to ``root``, instead of the config's
            (without a config file the default is ``docs``).
        site_config: The config file, relative to ``root``, instead of the first of
            ``properdocs.yml``, ``mkdocs.yml`` and ``zensical.toml`` found.

    Returns:
        The site and its pages.  Without a config file and without an explicit
        ``docs_dir``, a ``docs/`` folder that holds a Sphinx project (``conf.py``)
        has no pages: its Markdown is MyST, whose links and roles mean something else.

    Raises:
        ConfigError: The config file is broken, or ``site_config`` names no file.
    """
    site = load_site(root, docs_dir, site_config)
    if site.config_path is None and docs_dir is None and _is_sphinx(site.docs_dir):
        return Docs(site)
    pages, diagnostics = scan_pages(site)
    config_dir = site.config_path.parent if site.config_path else root
    search = tuple(os.path.relpath(config_dir / p, root) for p in site.python_paths)
    existing = frozenset(t for t in link_targets(pages) if path_exists(root / t))
    return Docs(site, tuple(pages), tuple(diagnostics), search, existing)


def page_index(project: Project, docs: Docs, gone: Iterable[str] = ()) -> SymbolIndex:
    """The symbol index the page rules use: with the mkdocstrings Python paths.

    Args:
        project: The scanned project.
        docs: Its loaded site.
        gone: Qualified names the change removed, renamed or moved (base mode).

    Returns:
        The index.
    """
    return SymbolIndex(project, (".", "src", *docs.search_paths), gone)


def link_target(page_path: str, link_path: str) -> PurePosixPath:
    """The root-relative path a relative link of a page points to.

    Args:
        page_path: The page's root-relative path.
        link_path: The link's path part (no anchor).

    Returns:
        The normalised path; it starts with ``..`` when it leaves the repository.
    """
    return PurePosixPath(os.path.normpath(PurePosixPath(page_path).parent / link_path))


def link_targets(pages: Iterable[Page]) -> Iterator[str]:
    """The link targets inside the repository, of every page.

    Args:
        pages: The scanned pages.

    Yields:
        Each relative link's root-relative target (see :func:`link_target`).
    """
    for page in pages:
        for link in page.links:
            if link.path:
                target = link_target(page.path, link.path)
                if target.parts[:1] != ("..",):
                    yield target.as_posix()


def _is_sphinx(docs_dir: Path) -> bool:
    """Whether ``docs_dir`` holds a Sphinx project rather than MkDocs pages."""
    return (docs_dir / "conf.py").is_file() or (docs_dir / "source" / "conf.py").is_file()
