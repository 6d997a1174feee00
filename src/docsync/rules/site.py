"""The page rules over a whole MkDocs site: read it, index the project, check every page.

:func:`check_pages` is the one entry point.  Its :class:`PageReport` keeps what it
read and built (the site, its pages, the symbol index, the symbols each page
mentions) beside the findings, so a caller such as the MkDocs plugin relates
findings to pages without reading or checking them again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docsync.models import Diagnostic, Finding, Page, Project
from docsync.rules.code_blocks import Mention
from docsync.rules.doctests import run_page_examples
from docsync.rules.pages import PageContext, check_page
from docsync.scan.index import SymbolIndex
from docsync.scan.pages import Site, load_site, scan_pages

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet  # imports GitPython: only for type checking

__all__ = ["PageReport", "check_pages"]


@dataclass(frozen=True)
class PageReport:
    """What the page rules found on a site, and what they read to find it.

    ``pages`` are the scanned pages (none for a Sphinx ``docs/`` folder);
    ``index`` is the symbol index the rules resolved names with (``None`` when there
    is no page); ``mentions`` holds, per page path, the project symbols the page
    uses (pages about the past are not read for them).
    """

    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    site: Site
    pages: tuple[Page, ...] = ()
    index: SymbolIndex | None = None
    mentions: Mapping[str, tuple[Mention, ...]] = field(default_factory=dict)


def check_pages(
    project: Project,
    root: Path,
    *,
    docs_dir: str | None = None,
    changes: ChangeSet | None = None,
    run_examples: bool = False,
    timeout: float = 60.0,
) -> PageReport:
    """Run every page rule on the MkDocs pages of a project.

    Args:
        project: The scanned project (at the head).
        root: The project root, where ``mkdocs.yml`` is looked for.
        docs_dir: The docs directory, relative to ``root``, instead of the config's
            (without an ``mkdocs.yml`` the default is ``docs``).
        changes: The change set of ``--base``; enables DS706 and names renamed symbols.
        run_examples: Run the ``>>>`` sessions of the pages (DS707); never on by default.
        timeout: Seconds each page's sessions may run, with ``run_examples``.

    Returns:
        The findings in path/line/code order, diagnostics for pages that could not
        be read, and the site, pages, index and mentions they were found with.

    Raises:
        ConfigError: ``mkdocs.yml`` exists but is broken.

    Without ``mkdocs.yml`` and without an explicit ``docs_dir``, a ``docs/`` folder that
    holds a Sphinx project (``conf.py``) is not checked: its Markdown is MyST, whose
    links and roles mean something else.
    """
    site = load_site(root, docs_dir)
    if site.config_path is None and docs_dir is None and _is_sphinx(site.docs_dir):
        return PageReport((), (), site)  # a Sphinx site (MyST pages): not MkDocs' links
    pages, diagnostics = scan_pages(site)
    if not pages:
        return PageReport((), tuple(diagnostics), site)  # no site: no symbol index
    config_dir = site.config_path.parent if site.config_path else root
    search = [os.path.relpath(config_dir / p, root) for p in site.python_paths]
    index = SymbolIndex.from_project(project, (".", "src", *search))
    ctx = PageContext(site, index, {p.path: p for p in pages}, changes)
    findings = [finding for page in pages for finding in check_page(page, ctx)]
    if run_examples:
        ran, problems = run_page_examples(
            pages, root, paths=search, timeout=timeout, project_names=index.top_level_names
        )
        findings.extend(ran)
        diagnostics.extend(problems)
    findings.sort(key=lambda f: (f.location.path, f.location.line, f.code, f.message))
    mentions = {path: tuple(found) for path, found in ctx.mentions.items()}
    return PageReport(tuple(findings), tuple(diagnostics), site, tuple(pages), index, mentions)


def _is_sphinx(docs_dir: Path) -> bool:
    """Whether ``docs_dir`` holds a Sphinx project rather than MkDocs pages."""
    return (docs_dir / "conf.py").is_file() or (docs_dir / "source" / "conf.py").is_file()
