"""The notice a reader sees on a page whose code changed after the page was written.

The notice is an admonition in the markup Python-Markdown's ``admonition``
extension produces (``<div class="admonition warning">`` with a
``<p class="admonition-title">``), which MkDocs' default theme and Material for
MkDocs both style, so no stylesheet is needed.  It goes right after the page's
first heading when the page starts with one, else at the very top.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from docsync.changes.history import StalePage, SymbolDrift

__all__ = ["NOTICE_CLASS", "insert_notice", "render_notice"]

NOTICE_CLASS = "docsync-notice"
"""The extra class of the notice's ``div``, for sites that want to style it."""

_LEADING_H1 = re.compile(r"\A\s*<h1\b[^>]*>.*?</h1>", re.DOTALL)
_GITHUB_REPO = re.compile(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$")


def render_notice(stale: StalePage, repo_url: str | None = None) -> str:
    """The notice for one stale page, as an HTML block.

    Args:
        stale: The page and the symbols that changed after it.
        repo_url: The site's ``repo_url``; on GitHub, the commits and pull requests
            that changed the code are links.

    Returns:
        The ``div``, one line per symbol naming it, what changed and when.
    """
    web = _github(repo_url)
    items = "\n".join(f"<li>{_describe(symbol, web)}</li>" for symbol in stale.symbols)
    return (
        f'<div class="admonition warning {NOTICE_CLASS}">\n'
        '<p class="admonition-title">This page may be out of date</p>\n'
        "<p>The code it describes changed after the page was last updated "
        f"on {_date(stale.written)}:</p>\n"
        f"<ul>\n{items}\n</ul>\n"
        "</div>"
    )


def insert_notice(page_html: str, notice: str) -> str:
    """Put ``notice`` after the page's leading ``<h1>``, or first when there is none.

    Args:
        page_html: The page's content, rendered from its Markdown.
        notice: The notice's HTML.

    Returns:
        The content with the notice in it.
    """
    heading = _LEADING_H1.match(page_html)
    if heading is None:
        return f"{notice}\n{page_html}"
    end = heading.end()
    return f"{page_html[:end]}\n{notice}{page_html[end:]}"


def _describe(symbol: SymbolDrift, web: str | None) -> str:
    what = " and ".join(d.value for d in symbol.changed)
    when = f"on {_date(symbol.when)}" if symbol.when else "in changes not committed yet"
    return f"<code>{html.escape(symbol.qualname)}</code>: {what} changed {when}{_by(symbol, web)}"


def _by(symbol: SymbolDrift, web: str | None) -> str:
    """`` in 3f2a1c9 (PR #12)``, linked on GitHub; "" for uncommitted changes."""
    if symbol.commit is None:
        return ""
    sha = re.sub(r"[^0-9a-f]", "", symbol.commit.lower())
    commit = f"<code>{sha[:7]}</code>"
    if web is not None:
        commit = f'<a href="{html.escape(web)}/commit/{sha}">{commit}</a>'
    if symbol.pr is None:
        return f" in {commit}"
    pr = f"PR #{symbol.pr}"
    if web is not None:
        pr = f'<a href="{html.escape(web)}/pull/{symbol.pr}">{pr}</a>'
    return f" in {commit} ({pr})"


def _github(repo_url: str | None) -> str | None:
    """The web address of a GitHub repository, from MkDocs' ``repo_url``."""
    if not repo_url:
        return None
    match = _GITHUB_REPO.match(repo_url.strip())
    return f"https://github.com/{match.group(1)}" if match else None


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")
