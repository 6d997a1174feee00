"""The generated "Docs health" page: findings by page and by module, with counts.

The page is Markdown that MkDocs renders like any other page.  Text that comes
from findings is escaped (:mod:`docsync.deliver.markdown_escape`), so a message
with ``*`` or ``<`` shows as written; the parts a message quotes in backticks
stay code spans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from urllib.parse import quote

from docsync.changes.history import StalePage, SymbolDrift
from docsync.deliver.markdown_escape import code_span, mkdocs_inline, mkdocs_text
from docsync.mkdocs_plugin.notice import Phrase, drift_phrases
from docsync.mkdocs_plugin.site_report import SiteReport
from docsync.models import Finding
from docsync.wording import plural

__all__ = ["HEALTH_PAGE", "HEALTH_TITLE", "render_health_page"]

HEALTH_PAGE = "docs-health.md"
"""Where the generated page goes, relative to ``docs_dir``."""

HEALTH_TITLE = "Docs health"


def render_health_page(report: SiteReport, pages: Mapping[str, str]) -> str:
    """The Markdown of the health page.

    Args:
        report: What the run found.
        pages: Root-relative page path → its path under ``docs_dir``, for every page
            the site builds (findings on other pages are listed without a link).

    Returns:
        The page, starting with its ``# Docs health`` title.
    """
    by_page: dict[str, list[tuple[int, Finding]]] = defaultdict(list)
    for finding in report.page_findings:
        by_page[finding.location.path].append((finding.location.line, finding))
    for shown in report.rendered:
        by_page[shown.page].append((shown.line, shown.finding))
    modules = {m.path: m.qualname for m in report.project.modules}
    by_module: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.code_findings:
        by_module[modules.get(finding.location.path, finding.location.path)].append(finding)
    stale = report.history.stale
    lines = [f"# {HEALTH_TITLE}", "", _summary(report, len(stale)), ""]
    if by_page:
        lines += ["## By page", "", "| Page | Findings | Rules |", "| --- | ---: | --- |"]
        for path in sorted(by_page):
            found = [f for _, f in by_page[path]]
            lines.append(f"| {_page_link(path, pages)} | {len(found)} | {_codes(found)} |")
        lines.append("")
    if by_module:
        lines += ["## By module", "", "| Module | Findings | Rules |", "| --- | ---: | --- |"]
        for name in sorted(by_module):
            found = by_module[name]
            lines.append(f"| {code_span(name, in_table=True)} | {len(found)} | {_codes(found)} |")
        lines.append("")
    if stale:
        lines += _stale_section(stale, pages, report.names)
    if by_page or by_module:
        lines += _details(by_page, by_module, pages)
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary(report: SiteReport, stale: int) -> str:
    on_pages = len(report.page_findings)
    in_code = len(report.code_findings)
    if not on_pages and not in_code and not stale:
        return f"No findings in {report.files_scanned} Python files and the pages: all in sync."
    parts = [
        f"{on_pages} {plural(on_pages, 'finding')} on pages",
        f"{in_code} in docstrings ({report.files_scanned} Python files)",
    ]
    if stale:
        parts.append(f"{stale} {plural(stale, 'page')} that may be out of date")
    return "docsync found " + ", ".join(parts) + "."


def _stale_section(
    stale: Mapping[str, StalePage],
    pages: Mapping[str, str],
    names: Mapping[str, Mapping[str, str]],
) -> list[str]:
    lines = [
        "## Pages that may be out of date",
        "",
        "| Page | Last updated | Changed since |",
        "| --- | --- | --- |",
    ]
    for path in sorted(stale):
        entry = stale[path]
        written = names.get(path, {})
        changed = "<br>".join(  # one line per symbol: its phrases have "; " and ", "
            _drift(symbol, written.get(symbol.qualname, symbol.qualname))
            for symbol in entry.symbols
        )
        when = entry.written.strftime("%Y-%m-%d")
        lines.append(f"| {_page_link(path, pages)} | {when} | {changed} |")
    lines.append("")
    return lines


def _drift(symbol: SymbolDrift, name: str) -> str:
    when = symbol.when.strftime("%Y-%m-%d") if symbol.when else "not committed"
    what = ", ".join(_phrase(p) for p in drift_phrases(symbol, name))
    return f"{code_span(name, in_table=True)} ({when}): {what}"


def _phrase(phrase: Phrase) -> str:
    """Code pieces as code spans; docsync's own words need no escaping."""
    return "".join(code_span(text, in_table=True) if code else text for text, code in phrase)


def _details(
    by_page: Mapping[str, list[tuple[int, Finding]]],
    by_module: Mapping[str, list[Finding]],
    pages: Mapping[str, str],
) -> list[str]:
    lines = ["## Details", ""]
    for path in sorted(by_page):
        lines += [f"### {mkdocs_text(path)}", ""]
        for line, finding in sorted(by_page[path], key=lambda item: (item[0], item[1].code)):
            where = "" if finding.location.path == path else f" in {code_span(finding.symbol)}"
            lines.append(f"- line {line}: {finding.code}{where}: {mkdocs_inline(finding.message)}")
        lines.append("")
    for name in sorted(by_module):
        lines += [f"### {mkdocs_text(name)}", ""]
        for finding in sorted(by_module[name], key=lambda f: (f.location.line, f.code)):
            place = f"{finding.location.path}:{finding.location.line}"
            lines.append(f"- {code_span(place)} {finding.code}: {mkdocs_inline(finding.message)}")
        lines.append("")
    return lines


def _page_link(path: str, pages: Mapping[str, str]) -> str:
    target = pages.get(path)
    if target is None:
        return mkdocs_text(path)
    relative = PurePosixPath(target)
    return f"[{mkdocs_text(relative.as_posix())}]({quote(relative.as_posix())})"


def _codes(findings: Iterable[Finding]) -> str:
    return ", ".join(sorted({f.code for f in findings}))
