"""The MkDocs plugin ``docsync``: drift reported to writers at build time, and told to readers.

Enable it in ``mkdocs.yml``::

    plugins:
      - search
      - docsync:
          strict: false       # true: findings are errors and fail the build
          notice: true        # a notice on pages whose code changed after them
          notice_docstrings: false  # true: a changed docstring alone counts too
          health_page: false  # a generated "Docs health" page (docs-health/)
          health_nav: false   # true: list it in the site's navigation

Once per build it runs the pipeline the CLI runs (see
:func:`docsync.mkdocs_plugin.site_report.check_site`) with the project's
``[tool.docsync]`` settings, then:

* logs each finding on a page, and each docstring finding of a symbol a page renders
  with a mkdocstrings ``::: identifier`` block, as ``docs/page.md:12: DS701 ...``: a
  warning (so ``mkdocs build --strict`` fails on it), or with ``strict: true`` an
  error that fails the build; a broken link that MkDocs' own ``validation`` reports
  (:mod:`docsync.mkdocs_plugin.mkdocs_validation`) is left to MkDocs;
* puts a notice at the top of each page that names a symbol whose signature (or,
  with ``notice_docstrings: true``, docstring) changed after the page's last commit
  (:mod:`docsync.changes.history`), saying what changed; every other page comes out
  byte for byte as without the plugin;
* adds the generated ``docs-health.md`` page with ``health_page: true``, out of the
  navigation unless ``health_nav: true``.

Under ``mkdocs serve`` the plugin object lives across rebuilds (it has
``on_startup``) and reuses its last report while the inputs it hashes
(:func:`docsync.mkdocs_plugin.site_report.input_key`) are unchanged; it watches the
code and settings docsync reads (:mod:`docsync.mkdocs_plugin.watch`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from docsync.config import Config, apply_settings, find_project_root, load_config
from docsync.errors import DocsyncError
from docsync.mkdocs_plugin.health import HEALTH_PAGE, HEALTH_TITLE, render_health_page
from docsync.mkdocs_plugin.mkdocs_validation import checked_by_mkdocs, mkdocs_link_levels
from docsync.mkdocs_plugin.notice import insert_notice, render_notice
from docsync.mkdocs_plugin.site_report import RenderedFinding, SiteReport, check_site, input_key
from docsync.mkdocs_plugin.watch import watched_paths
from docsync.models import Finding
from docsync.sinks import for_terminal
from docsync.wording import plural

if TYPE_CHECKING:  # imports watchdog: only `mkdocs serve` needs it
    from mkdocs.livereload import LiveReloadServer

__all__ = ["DocsyncPlugin", "PluginSettings", "finding_lines"]

log = get_plugin_logger(__name__)


class PluginSettings(base.Config):  # type: ignore[no-untyped-call]  # mkdocs' hook
    """The plugin's options in ``mkdocs.yml``.

    ``config_file`` is the pyproject.toml to read ``[tool.docsync]`` from (default:
    the one at the project root, found from ``mkdocs.yml`` upwards); ``paths``
    replaces its ``paths`` (relative to the project root).  ``enabled: false``
    turns the plugin off (MkDocs handles that key for every plugin).
    """

    strict = c.Type(bool, default=False)
    notice = c.Type(bool, default=True)
    notice_docstrings = c.Type(bool, default=False)
    health_page = c.Type(bool, default=False)
    health_nav = c.Type(bool, default=False)
    config_file = c.Optional(c.File(exists=True))
    paths = c.Optional(c.ListOfItems(c.Type(str)))


class DocsyncPlugin(BasePlugin[PluginSettings]):  # type: ignore[no-untyped-call]
    """Runs docsync over the site once per build; see the module docstring."""

    def __init__(self) -> None:
        self._key: str | None = None
        self._report: SiteReport | None = None
        self._docsync: Config | None = None
        self._failures = 0
        self._told: str | None = None

    @property
    def settings(self) -> Config | None:
        """The docsync settings of the current build (``None`` before ``on_config``)."""
        return self._docsync

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Keep this plugin object, and its last report, across ``mkdocs serve`` rebuilds."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Read the project's docsync settings.

        Args:
            config: The MkDocs configuration.

        Returns:
            The configuration, unchanged.

        Raises:
            PluginError: The ``[tool.docsync]`` settings are wrong.
        """
        self._docsync = self._settings(config)
        return config

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer | None:
        """Under ``mkdocs serve``, watch the code and settings docsync reads.

        Args:
            server: The live-reload server.
            config: The MkDocs configuration.
            builder: The function that rebuilds the site.

        Returns:
            The server, watching the paths of :func:`~docsync.mkdocs_plugin.watch.watched_paths`.

        Raises:
            PluginError: A configured path does not exist, or git failed.
        """
        settings = self._docsync if self._docsync is not None else self._settings(config)
        try:
            paths = watched_paths(settings, avoid=[Path(config.site_dir)])
        except DocsyncError as exc:
            raise PluginError(f"docsync: {for_terminal(str(exc))}") from None
        for path in paths:
            server.watch(str(path))
        log.debug(f"watching {len(paths)} {plural(len(paths), 'path')} docsync reads")
        return server

    def _settings(self, config: MkDocsConfig) -> Config:
        explicit = self.config.config_file
        try:
            if explicit:
                path = Path(explicit).resolve()
                settings = load_config(path.parent, path)
            else:
                start = Path(config.config_file_path or config.docs_dir).resolve().parent
                settings = load_config(find_project_root(start))
            config_file = Path(config.config_file_path or "mkdocs.yml")
            origin = f"{config_file.name}: plugins: docsync"
            if self.config.paths:
                settings = apply_settings(settings, {"paths": self.config.paths}, origin=origin)
            root = settings.root.resolve()
            if config.config_file_path and config_file.resolve().is_relative_to(root):
                # The pages are read with the file being built (properdocs.yml, mkdocs.yml...).
                used = config_file.resolve().relative_to(root).as_posix()
                settings = apply_settings(settings, {"site-config": used}, origin=origin)
        except DocsyncError as exc:
            raise PluginError(f"docsync: {for_terminal(str(exc))}") from None
        return settings

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Run docsync (or reuse the last report), then log the findings.

        Args:
            config: The MkDocs configuration.

        Raises:
            PluginError: docsync could not run (a configuration, source or git problem).
        """
        settings = self._docsync
        if settings is None:  # on_config always runs first; this keeps mypy honest
            settings = self._docsync = self._settings(config)
        docs_dir = Path(config.docs_dir).resolve()
        relative_docs = os.path.relpath(docs_dir, settings.root)
        try:
            mkdocs_file = [Path(config.config_file_path)] if config.config_file_path else []
            key = input_key(
                settings, docs_dir, settings=self._option_values(), extra_files=mkdocs_file
            )
            if self._report is None or key != self._key:
                self._report = check_site(
                    settings,
                    relative_docs,
                    history=self.config.notice,
                    docstrings=self.config.notice_docstrings,
                )
                self._key = key
            else:
                log.debug("nothing changed since the last build: reusing its findings")
        except DocsyncError as exc:
            raise PluginError(f"docsync: {for_terminal(str(exc))}") from None
        report = self._report
        skipped = report.history.skipped if self.config.notice else None
        if skipped and skipped != self._told:  # once, not again on every serve rebuild
            log.info(f"no out-of-date notices: {skipped}")
        self._told = skipped
        for diagnostic in report.diagnostics:
            log.debug(for_terminal(f"{diagnostic.path}:{diagnostic.line}: {diagnostic.message}"))
        levels = mkdocs_link_levels(config)
        self._failures = _log_findings(
            report,
            settings,
            strict=self.config.strict,
            mkdocs_reports=lambda finding: checked_by_mkdocs(finding, settings.root, levels),
        )

    def _option_values(self) -> tuple[object, ...]:
        return tuple(sorted((k, repr(v)) for k, v in self.config.items()))

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        """Add the generated health page with ``health_page: true``; in the nav with ``health_nav``.

        Args:
            files: The site's files.
            config: The MkDocs configuration.

        Returns:
            The files, with the health page when asked for.

        Raises:
            PluginError: A file ``docs-health.md`` already exists in ``docs_dir``.
        """
        if not self.config.health_page or self._report is None or self._docsync is None:
            return files
        if files.get_file_from_path(HEALTH_PAGE) is not None:
            raise PluginError(
                f"docsync: {HEALTH_PAGE} exists in docs_dir, and health_page: true would "
                "replace it; rename the file or set health_page: false"
            )
        root = self._docsync.root
        docs_dir = Path(config.docs_dir).resolve()
        pages = {
            _root_relative(docs_dir / f.src_uri, root): f.src_uri
            for f in files.documentation_pages()
        }
        content = render_health_page(self._report, pages)
        if not self.config.health_nav:  # a page for writers: reachable by its URL, not listed
            page = File.generated(
                config, HEALTH_PAGE, content=content, inclusion=InclusionLevel.NOT_IN_NAV
            )
            files.append(page)
            return files
        files.append(File.generated(config, HEALTH_PAGE, content=content))
        if config.nav is not None and not _in_nav(config.nav, HEALTH_PAGE):
            config.nav.append({HEALTH_TITLE: HEALTH_PAGE})
        return files

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Put the out-of-date notice on a page whose code changed after it.

        Args:
            html: The page's content.
            page: The page.
            config: The MkDocs configuration.
            files: The site's files.

        Returns:
            The content, unchanged for every page that is not stale.
        """
        if not self.config.notice or self._report is None or self._docsync is None:
            return html
        if page.file.abs_src_path is None:  # a generated page has no history
            return html
        path = _root_relative(Path(page.file.abs_src_path), self._docsync.root)
        stale = self._report.history.stale.get(path)
        if stale is None:
            return html
        return insert_notice(
            html, render_notice(stale, self._report.names.get(path), config.repo_url)
        )

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """With ``strict: true``, fail the build when docsync reported a finding.

        Args:
            config: The MkDocs configuration.

        Raises:
            PluginError: ``strict: true`` and findings at or above ``fail-on``.
        """
        if self.config.strict and self._failures:
            count = self._failures
            raise PluginError(
                f"docsync: {count} {plural(count, 'finding')} in the docs (strict: true);"
                " fix them, or record them with docsync baseline"
            )


def finding_lines(report: SiteReport) -> list[tuple[Finding, str]]:
    """Every finding the plugin reports, with its log message.

    Page findings read ``docs/page.md:12: DS701 unknown-reference: ...``; a docstring
    finding reads the same from the page and line of the ``:::`` block that renders
    it, naming the symbol and the docstring's own file and line.

    Args:
        report: What the run found.

    Returns:
        (finding, message) pairs, page findings first, each in page and line order.
    """
    lines = [(f, _page_message(f)) for f in report.page_findings]
    lines += [(r.finding, _rendered_message(r)) for r in report.rendered]
    return lines


def _page_message(finding: Finding) -> str:
    where = f"{finding.location.path}:{finding.location.line}"
    return f"{where}: {finding.code} {finding.slug}: {finding.message}"


def _rendered_message(shown: RenderedFinding) -> str:
    finding = shown.finding
    source = f"{finding.location.path}:{finding.location.line}"
    return (
        f"{shown.page}:{shown.line}: {finding.code} {finding.slug} in the docstring of "
        f"{finding.symbol} ({source}), rendered by '::: {shown.target}': {finding.message}"
    )


def _log_findings(
    report: SiteReport,
    settings: Config,
    *,
    strict: bool,
    mkdocs_reports: Callable[[Finding], bool] = lambda finding: False,
) -> int:
    """Log each finding MkDocs does not report itself; returns how many fail the build."""
    failing = 0
    emit: Callable[[str], None]
    for finding, message in finding_lines(report):
        if mkdocs_reports(finding):
            continue  # a broken link MkDocs' own validation logs: once is enough
        if settings.fails(finding):
            failing += 1
            emit = log.error if strict else log.warning
        else:
            emit = log.info
        emit(for_terminal(message))  # input text: one line, controls shown, secrets scrubbed
    return failing


def _root_relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path.resolve(), root)).as_posix()


def _in_nav(nav: object, target: str) -> bool:
    if isinstance(nav, str):
        return nav == target
    if isinstance(nav, dict):
        return any(_in_nav(v, target) for v in nav.values())
    if isinstance(nav, list):
        return any(_in_nav(item, target) for item in nav)
    return False
