"""The page rules over a whole MkDocs site: index the project, check every page.

:func:`check_pages` is the one entry point.  It is pure: the scan loaded the site
and its pages (:func:`docsync.scan.docs.load_docs`) and the command layer ran the
``>>>`` sessions (:func:`docsync.commands.doctests.run_page_sessions`).  Its
:class:`PageReport` keeps what it built (the symbol index, the symbols each page
mentions) beside the findings, so a caller such as the MkDocs plugin relates
findings to pages without reading or checking them again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docsync.models import Diagnostic, Finding, Page, Project
from docsync.rules.code_blocks import Mention
from docsync.rules.coverage import new_public_symbols, off_pages
from docsync.rules.doctests import SessionOutcome, judge_sessions
from docsync.rules.pages import PageContext, check_page, is_history_page
from docsync.scan.docs import Docs, page_index
from docsync.scan.index import SymbolIndex
from docsync.scan.pages import Site

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet  # imports GitPython: only for type checking

__all__ = ["PageReport", "check_pages"]


@dataclass(frozen=True)
class PageReport:
    """What the page rules found on a site, and what they read to find it.

    ``docs`` is the loaded site and its pages (none for a Sphinx ``docs/`` folder);
    ``index`` is the symbol index the rules resolved names with (``None`` when there
    is no page); ``mentions`` holds, per page path, the project symbols the page
    uses (pages about the past are not read for them).
    """

    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    docs: Docs
    index: SymbolIndex | None = None
    mentions: Mapping[str, tuple[Mention, ...]] = field(default_factory=dict)

    @property
    def site(self) -> Site:
        """The MkDocs site the pages belong to."""
        return self.docs.site

    @property
    def pages(self) -> tuple[Page, ...]:
        """The scanned pages."""
        return self.docs.pages


def check_pages(
    project: Project,
    docs: Docs,
    *,
    changes: ChangeSet | None = None,
    sessions: Mapping[str, SessionOutcome] | None = None,
) -> PageReport:
    """Run every page rule on the MkDocs pages of a project.

    Args:
        project: The scanned project (at the head).
        docs: Its site and pages, from :func:`docsync.scan.docs.load_docs`.
        changes: The change set of ``--base``; enables DS708 and DS706, and names
            renamed symbols.
        sessions: What running the pages' ``>>>`` sessions gave, by page path (from
            :func:`docsync.commands.doctests.run_page_sessions`); enables DS707.

    Returns:
        The findings in path/line/code order, diagnostics (unreadable pages, sessions),
        and the index and mentions they were found with.
    """
    diagnostics = list(docs.diagnostics)
    if not docs.pages:
        return PageReport((), tuple(diagnostics), docs)  # no site: no symbol index
    index = page_index(project, docs, changes.gone() if changes is not None else ())
    ctx = PageContext.of(docs, index, changes)
    findings = [finding for page in docs.pages for finding in check_page(page, ctx)]
    if changes is not None:
        findings.extend(_new_api_off_pages(project, docs, index, ctx, changes))
    if sessions is not None:
        ran, problems = judge_sessions(docs.pages, sessions, index.top_level_names)
        findings, diagnostics = [*findings, *ran], [*diagnostics, *problems]
    findings.sort(key=lambda f: (f.location.path, f.location.line, f.code, f.message))
    mentions = {path: tuple(found) for path, found in ctx.mentions.items()}
    return PageReport(tuple(findings), tuple(diagnostics), docs, index, mentions)


def _new_api_off_pages(
    project: Project, docs: Docs, index: SymbolIndex, ctx: PageContext, changes: ChangeSet
) -> list[Finding]:
    """DS708 over the pages that are not about the past, unless a page comment silences it."""
    added = new_public_symbols(changes, project, index)
    if not added:
        return []
    pages = [
        p
        for p in docs.pages
        if not is_history_page(os.path.relpath(docs.site.root / p.path, docs.site.docs_dir))
    ]
    mentions = {path: [m.qualname for m in found] for path, found in ctx.mentions.items()}
    by_path = {p.path: p for p in pages}
    return [
        f
        for f in off_pages(added, pages, index, mentions)
        if not by_path[f.location.path].is_suppressed(f.code, f.location.line)
    ]
