"""The prose lines of a page that name a Python version: ``**Python 3.8+**``.

Only a cheap filter: the lines outside code and raw HTML blocks where ``Python`` (or ``CPython``)
is followed by a version; :mod:`docsync.rules.old_python` judges what they state.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

__all__ = ["python_version_lines"]

_MENTION = re.compile(r"\bc?python\W{0,12}(?:version\W{0,4})?\d+\.\d+", re.IGNORECASE)
_MAX_LINE = 2000  # a longer "line" is generated content, not a sentence


def python_version_lines(
    lines: Sequence[str], code: Collection[int]
) -> tuple[tuple[int, str], ...]:
    """The lines, outside code and raw HTML, that name a Python version.

    Args:
        lines: The page's lines.
        code: The 1-based numbers of the lines inside code blocks and raw HTML blocks
            (a sponsor's card: "FastAPI ... with Python 3.8+").

    Returns:
        ``(line number, text)`` for every such line, in page order.
    """
    return tuple(
        (number, line)
        for number, line in enumerate(lines, 1)
        if number not in code and len(line) <= _MAX_LINE and _MENTION.search(line)
    )
