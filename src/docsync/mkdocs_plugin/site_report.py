"""One docsync run over an MkDocs site, for the MkDocs plugin.

:func:`check_site` calls the pipeline the CLI calls (:func:`~docsync.commands.check.run_check`,
docstrings and pages, with the same select/ignore, severities and baseline), then
relates the results to the pages: which docstring findings each page renders
through a mkdocstrings ``::: identifier`` block, and which pages name code that
changed after them (:mod:`docsync.changes.history`).  No finding is made here, and
no page is read again: the site, its pages, the symbol index and what each page
mentions come with the check's page report.

:func:`input_key` hashes everything a run reads, so ``mkdocs serve`` can reuse the
last report while nothing changed.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import git

from docsync import __version__
from docsync.changes.history import HistoryReport, find_stale_pages
from docsync.commands.baseline import baseline_path
from docsync.commands.check import run_check
from docsync.config import Config
from docsync.models import Diagnostic, Finding, Module, Page, Project, RefKind, SymbolKind
from docsync.paths import read_regular
from docsync.rules.site import PageReport
from docsync.scan.files import discover_python_files
from docsync.scan.index import Status, SymbolIndex
from docsync.scan.pages import PAGE_SUFFIXES, Site
from docsync.scan.pyast import dotted_name

__all__ = [
    "RenderedFinding",
    "SiteReport",
    "check_site",
    "input_key",
    "page_mentions",
    "rendered_findings",
    "rendered_symbols",
    "written_names",
]

# mkdocstrings' default member filter: no `_private` names (dunders stay).
_DEFAULT_FILTERS = ("!^_[^_]",)


@dataclass(frozen=True)
class RenderedFinding:
    """A docstring finding shown on a page by the ``::: target`` block at ``line``."""

    page: str
    line: int
    target: str
    finding: Finding


@dataclass(frozen=True)
class SiteReport:
    """What one run found: every docstring finding, the page findings, and how they relate.

    ``page_findings`` are the page rules' findings (DS7xx) on the site's pages;
    ``rendered`` pairs docstring findings with the pages whose mkdocstrings blocks
    render them.  ``history`` holds the pages that name code changed after them.
    """

    project: Project
    code_findings: tuple[Finding, ...]
    page_findings: tuple[Finding, ...]
    rendered: tuple[RenderedFinding, ...]
    diagnostics: tuple[Diagnostic, ...]
    history: HistoryReport = field(default_factory=HistoryReport)
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Per page, each named symbol's canonical name → the name as the page wrote it."""

    @property
    def files_scanned(self) -> int:
        """How many Python files the run scanned."""
        return len(self.project.modules)


def check_site(
    config: Config, docs_dir: str, *, history: bool = True, docstrings: bool = False
) -> SiteReport:
    """Run the pipeline over the project and its MkDocs pages.

    The pages are checked whatever ``pages`` says in ``[tool.docsync]`` (the site is
    what the plugin is for); ``select``/``ignore``, severities and the baseline apply.

    Args:
        config: The merged configuration.
        docs_dir: The site's docs directory, relative to ``config.root``.
        history: Read git history to find the pages that name changed code.
        docstrings: A changed docstring makes a page stale too, not only a changed
            signature.

    Returns:
        The report.

    Raises:
        DocsyncError: A configuration, source or git problem (the message says what
            to fix); raised by the pipeline, never for one bad file.
    """
    config = replace(config, pages=True, docs_dir=docs_dir)
    result = run_check(config)
    code = result.code_findings
    pages = result.pages  # checked: pages=True above
    rendered: list[RenderedFinding] = []
    if pages is not None and pages.index is not None:
        rendered = rendered_findings(pages.pages, pages.site, pages.index, code)
    mentions = page_mentions(pages) if pages is not None else {}
    stale = HistoryReport()
    if history:
        stale = find_stale_pages(config.root, result.project, mentions, docstrings=docstrings)
    names = written_names(pages) if pages is not None and pages.index is not None else {}
    return SiteReport(
        project=result.project,
        code_findings=code,
        page_findings=result.page_findings,
        rendered=tuple(rendered),
        diagnostics=result.diagnostics,
        history=stale,
        names=names,
    )


def page_mentions(report: PageReport) -> dict[str, list[str]]:
    """The project symbols each page names in its prose and examples.

    These are the names the page rules resolved: inline code, autorefs links and the
    calls, imports and attributes of Python examples.  mkdocstrings blocks are left
    out, since what they render is read from the code at build time and cannot be
    stale; so are pages about the past (changelogs, migration guides).

    Args:
        report: The page rules' report on the site.

    Returns:
        Root-relative page path → qualified names, for the pages that name any.
    """
    return {path: [m.qualname for m in found] for path, found in report.mentions.items() if found}


def written_names(report: PageReport) -> dict[str, dict[str, str]]:
    """How each page wrote the names of the project symbols it names.

    A page that writes ``httpx.Client`` names the symbol ``httpx._client.Client``;
    a notice about it should say ``httpx.Client``.  Each mention's text (inline
    code, a call, an import) is parsed for dotted names (``from a import b`` gives
    ``a.b``), and the first, longest one that the index resolves to the symbol is
    the page's name for it.  A symbol written only as a bare name bound by an
    import (``checkout(...)``) keeps its canonical name.

    Args:
        report: The page rules' report on the site (with its index).

    Returns:
        Root-relative page path → {canonical name: name as written}, for the names
        written differently from their canonical one.
    """
    index = report.index
    found: dict[str, dict[str, str]] = {}
    if index is None:
        return found
    for path, mentions in report.mentions.items():
        names: dict[str, str] = {}
        for mention in sorted(mentions, key=lambda m: m.line):
            if mention.qualname in names:
                continue
            for candidate in sorted(_dotted_names(mention.text), key=len, reverse=True):
                if "." in candidate and index.lookup(candidate).qualname == mention.qualname:
                    names[mention.qualname] = candidate
                    break
        renamed = {q: n for q, n in names.items() if n != q}
        if renamed:
            found[path] = renamed
    return found


_MAX_MENTION = 2_000  # characters of one mention parsed for names


def _dotted_names(text: str) -> list[str]:
    """The dotted names of a snippet of Python: ``a.b.c`` chains and ``from a import b``."""
    source = text.strip().strip("`").strip()[:_MAX_MENTION]
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names += [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.Attribute):
            name = dotted_name(node)
            if name is not None:
                names.append(name)
    return names


def rendered_findings(
    pages: Iterable[Page], site: Site, index: SymbolIndex, findings: Sequence[Finding]
) -> list[RenderedFinding]:
    """Pair docstring findings with the mkdocstrings blocks that render their symbols.

    Blocks of handlers other than Python's are skipped.  The Python handler's
    site-wide options (``members``, ``filters``) apply, overridden by a block's own.

    Args:
        pages: The scanned pages.
        site: The site they belong to.
        index: The project's symbol index.
        findings: Docstring findings, each on the symbol named by ``Finding.symbol``.

    Returns:
        One entry per block and finding, in page and line order.
    """
    by_symbol: dict[str, list[Finding]] = {}
    for finding in findings:
        by_symbol.setdefault(finding.symbol, []).append(finding)
    found: list[RenderedFinding] = []
    for page in sorted(pages, key=lambda p: p.path):
        for ref in page.code_refs:
            handler = ref.options.get("handler", site.handler or "python")
            if ref.kind is not RefKind.IDENTIFIER or handler != "python":
                continue
            resolved = index.lookup(ref.target)
            if resolved.status is not Status.FOUND or resolved.qualname is None:
                continue
            options = {**site.python_options, **_block_options(ref.options)}
            for qualname in sorted(rendered_symbols(index.project, resolved.qualname, options)):
                for finding in by_symbol.get(qualname, ()):
                    found.append(RenderedFinding(page.path, ref.line, ref.target, finding))
    return found


def _block_options(options: Mapping[str, object]) -> dict[str, object]:
    inner = options.get("options")
    return {str(k): v for k, v in inner.items()} if isinstance(inner, dict) else {}


def rendered_symbols(
    project: Project, qualname: str, options: Mapping[str, object] | None = None
) -> set[str]:
    """The symbols a ``::: qualname`` block shows: the object and its members.

    Members are those mkdocstrings shows by default: the object's own module only
    (no submodules), without ``_private`` names, narrowed by the ``members`` option
    (``false`` or a list of names) and the ``filters`` option.

    Args:
        project: The scanned project.
        qualname: The canonical name the block resolves to.
        options: The block's mkdocstrings options.

    Returns:
        The qualified names, the object's own included.
    """
    options = options or {}
    module = _module_of(project, qualname)
    if module is None:
        return {qualname}
    members = options.get("members", True)
    filters = options.get("filters")
    patterns = [f for f in filters if isinstance(f, str)] if isinstance(filters, list) else []
    if not isinstance(filters, list):
        patterns = list(_DEFAULT_FILTERS)
    shown = {qualname}
    if members is False:
        return shown
    chosen = {m for m in members if isinstance(m, str)} if isinstance(members, list) else None
    prefix = f"{qualname}."
    for symbol in module.symbols:
        if not symbol.qualname.startswith(prefix) or symbol.kind is SymbolKind.MODULE:
            continue
        parts = symbol.qualname[len(prefix) :].split(".")
        if chosen is not None and parts[0] not in chosen:
            continue
        if all(_kept(part, patterns) for part in parts):
            shown.add(symbol.qualname)
    return shown


def _module_of(project: Project, qualname: str) -> Module | None:
    symbol = project.get(qualname)
    if symbol is None:
        return None
    return next((m for m in project.modules if m.path == symbol.location.path), None)


def _kept(name: str, filters: Sequence[str]) -> bool:
    positive = [f for f in filters if not f.startswith("!")]
    if any(re.search(f[1:], name) for f in filters if f.startswith("!")):
        return False
    return not positive or any(re.search(f, name) for f in positive)


def input_key(
    config: Config, docs_dir: Path, *, settings: object, extra_files: Sequence[Path] = ()
) -> str:
    """A hash of everything a run over the site reads, to tell when a report still holds.

    Covers docsync's version, the configuration, ``settings`` (the plugin's own),
    the bytes of every Python file in scope, of every page, of the docsync
    configuration file, the baseline, ``mkdocs.yml`` at the root and
    ``extra_files``, and the commit git's HEAD is at (the history the notices come
    from).

    Args:
        config: The merged configuration.
        docs_dir: The absolute docs directory.
        settings: The plugin's settings, by their ``repr``.
        extra_files: Other files the run depends on (the MkDocs config file in use).

    Returns:
        A hex digest.

    Raises:
        SourceError: A configured path does not exist.
        GitError: ``git ls-files`` failed.
    """
    digest = hashlib.sha256(repr((__version__, config, settings)).encode())
    roots = [config.at_root(p) for p in config.paths]
    files = discover_python_files(roots, config.root, config.exclude)
    files += sorted(p for p in docs_dir.rglob("*") if p.suffix in PAGE_SUFFIXES)
    others = [config.source, baseline_path(config), *(config.root / n for n in _CONFIGS)]
    others += extra_files
    files += [p for p in others if p is not None]
    for path in files:
        digest.update(os.fsencode(path) + b"\0")
        try:
            # a file named inside the root is read only if it resolves inside it too
            inside = path.absolute().is_relative_to(config.root)
            content = read_regular(path, root=config.root if inside else None)
            digest.update(hashlib.sha256(content).digest())
        except OSError:
            digest.update(b"-")
    digest.update(_head(config.root).encode())
    return digest.hexdigest()


_CONFIGS = ("mkdocs.yml", "mkdocs.yaml")


def _head(root: Path) -> str:
    try:
        with git.Repo(root, search_parent_directories=True) as repo:
            return repo.head.commit.hexsha if repo.head.is_valid() else ""
    except (git.GitError, ValueError):
        return ""  # no repository, no git, or no HEAD: the notices say why elsewhere
