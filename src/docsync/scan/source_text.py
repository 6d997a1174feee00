"""What the Python scanner reads from a module's text rather than from its syntax tree.

``# docsync: ignore[...]`` comments (tokens, not nodes), and the lines that mention
a word, so that a tree walk can be skipped where no line even mentions what it
looks for (``yield``), or a class can be known to set attributes the scan cannot
see (``setattr(``).
"""

from __future__ import annotations

import bisect
import io
import re
import tokenize

__all__ = ["DYNAMIC_ATTRIBUTE_MARKERS", "any_line_within", "ignore_comments", "lines_containing"]

DYNAMIC_ATTRIBUTE_MARKERS = ("setattr(", "__dict__", "globals()", "vars(")
"""Text in a class's lines that means it may have attributes no scan can list."""

_IGNORE_RE = re.compile(r"#\s*docsync:\s*ignore(?![\w-])(?:\[([^\]]*)\])?")


def ignore_comments(text: str) -> dict[int, frozenset[str]]:
    """The lines carrying a ``# docsync: ignore[...]`` comment, and the codes each names.

    Args:
        text: The module's source.

    Returns:
        Line → rule codes (``"*"`` for a comment that names none).
    """
    if "docsync:" not in text:
        return {}
    found: dict[int, frozenset[str]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                match = _IGNORE_RE.search(token.string)
                if match is not None:
                    listed = (match.group(1) or "").split(",")
                    codes = frozenset(c.strip() for c in listed if c.strip()) or frozenset({"*"})
                    found[token.start[0]] = codes
    except (tokenize.TokenError, SyntaxError):  # pragma: no cover - the file already parsed
        pass
    return found


def lines_containing(text: str, *words: str) -> list[int]:
    """The sorted 1-based numbers of the lines on which any of ``words`` occurs.

    Args:
        text: The module's source, with ``\\n`` line ends.
        *words: What to look for.

    Returns:
        The line numbers.
    """
    if not any(word in text for word in words):
        return []
    lines = enumerate(text.split("\n"), 1)
    return [number for number, line in lines if any(word in line for word in words)]


def any_line_within(lines: list[int], first: int, last: int) -> bool:
    """Whether sorted line numbers (from :func:`lines_containing`) hold one in a span.

    Args:
        lines: Sorted line numbers.
        first: The span's first line.
        last: Its last line.

    Returns:
        True when some line ``first <= n <= last`` is listed.
    """
    index = bisect.bisect_left(lines, first)
    return index < len(lines) and lines[index] <= last
