"""Line handling shared by drafting and applying: the line breaks Python and Markdown use.

``str.splitlines`` also splits on form feeds, vertical tabs and Unicode separators,
which are not line breaks to Python's tokenizer or to a Markdown file's readers, so
line numbers computed with it drift from the ones the scanners report.  These
functions split on ``\\r\\n``, ``\\r`` and ``\\n`` only.
"""

from __future__ import annotations

import re

__all__ = ["line_ending", "line_offsets", "split_lines", "strip_ending"]

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_ENDING_RE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Split ``text`` into lines that keep their line endings.

    Args:
        text: Any text.

    Returns:
        The lines; joining them gives ``text`` back.  A text that ends with a line
        break has no empty last line.
    """
    return _LINE_RE.findall(text)


def strip_ending(line: str) -> str:
    """A line without its line ending.

    Args:
        line: One line, as :func:`split_lines` gives it.

    Returns:
        The line's text.
    """
    return line.rstrip("\r\n")


def line_ending(text: str, default: str = "\n") -> str:
    """The first line ending of ``text``.

    Args:
        text: Any text.
        default: What to answer when ``text`` has no line break.

    Returns:
        ``"\\r\\n"``, ``"\\r"`` or ``"\\n"``.
    """
    found = _ENDING_RE.search(text)
    return found.group() if found else default


def line_offsets(text: str) -> list[int]:
    """The offset in ``text`` where each line starts.

    Args:
        text: Any text.

    Returns:
        ``offsets[i]`` is where 1-based line ``i + 1`` starts; one more entry than
        there are line breaks.
    """
    offsets = [0]
    offsets.extend(match.end() for match in _ENDING_RE.finditer(text))
    return offsets
