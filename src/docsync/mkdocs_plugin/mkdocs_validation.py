"""The broken links MkDocs reports itself, so the plugin does not log them a second time.

MkDocs 1.6 checks the relative links of the pages it builds (its ``validation``
setting): a link to a file that is not in the site (``validation.links.not_found``,
a warning by default) and a link to an anchor that the target page does not have
(``validation.links.anchors``, info by default).  When MkDocs logs a kind of broken
link at info level or above, the plugin leaves DS705 findings of that kind to it:
the writer sees each broken link once, at the level the site chose.  With
``ignore`` (or a MkDocs without the setting) the plugin logs them as before.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docsync.models import Finding
from docsync.rules.pages import BROKEN_LINK

__all__ = ["checked_by_mkdocs", "mkdocs_link_levels"]


def mkdocs_link_levels(config: object) -> tuple[int | None, int | None]:
    """The log levels MkDocs reports missing link targets and missing anchors at.

    Args:
        config: The MkDocs configuration.

    Returns:
        ``(not_found, anchors)``: each a :mod:`logging` level, or ``None`` when this
        MkDocs has no such setting.
    """
    links = getattr(getattr(config, "validation", None), "links", None)
    return _level(getattr(links, "not_found", None)), _level(getattr(links, "anchors", None))


def checked_by_mkdocs(finding: Finding, root: Path, levels: tuple[int | None, int | None]) -> bool:
    """Whether MkDocs logs the broken link of ``finding`` itself.

    A DS705 finding is about an anchor when its link has no path (``#routing``) or
    its path names a file that exists; else about a missing target.

    Args:
        finding: A page finding.
        root: The project root (the finding's path is relative to it).
        levels: What :func:`mkdocs_link_levels` returned.

    Returns:
        ``True`` for a broken link that MkDocs reports at info level or above.
    """
    target = finding.evidence.documented
    if finding.code != BROKEN_LINK.code or not target:
        return False
    not_found, anchors = levels
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return False
    path = unquote(parts.path)
    about_anchor = bool(parts.fragment) and (not path or _exists(root, finding, path))
    level = anchors if about_anchor else not_found
    return level is not None and level >= logging.INFO


def _exists(root: Path, finding: Finding, path: str) -> bool:
    page_dir = (root / finding.location.path).parent
    target = (page_dir / path).resolve()
    return target.is_relative_to(root.resolve()) and target.is_file()


def _level(value: object) -> int | None:
    return value if isinstance(value, int) else None
