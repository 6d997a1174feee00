"""Edit Markdown pages line by line, keeping every other byte and the file's line endings.

A page edit replaces the lines ``line..end_line`` and nothing else.  The new text
is written with the line ending of the lines it replaces, so a CRLF page stays
CRLF, and a page without a final newline keeps lacking it.
"""

from __future__ import annotations

from collections.abc import Sequence

from docsync.apply.linebreaks import line_ending, split_lines, strip_ending
from docsync.errors import DocsyncError
from docsync.models import Edit

__all__ = ["LineEditRejected", "apply_line_edits"]


class LineEditRejected(DocsyncError):
    """A page edit does not match the page it is applied to."""


def apply_line_edits(text: str, edits: Sequence[Edit]) -> str:
    """Replace the line ranges of a page that the edits name.

    Args:
        text: The page as read.
        edits: Edits of disjoint line ranges of this page.

    Returns:
        The new page text; lines outside the edits are unchanged.

    Raises:
        LineEditRejected: An edit's old text is not what the page holds at its
            lines, or two edits overlap.
    """
    lines = split_lines(text)
    previous_end = 0
    parts: list[str] = []
    for edit in sorted(edits, key=lambda e: e.line):
        if edit.line <= previous_end or edit.end_line > len(lines):
            raise LineEditRejected(f"{edit.path}:{edit.line}: the edit overlaps another or the end")
        current = "".join(lines[edit.line - 1 : edit.end_line])
        if current != edit.old_text:
            raise LineEditRejected(f"{edit.path}:{edit.line}: the page changed since it was read")
        parts.extend(lines[previous_end : edit.line - 1])
        parts.append(_with_endings(edit.new_text, current))
        previous_end = edit.end_line
    parts.extend(lines[previous_end:])
    return "".join(parts)


def _with_endings(new: str, old: str) -> str:
    """``new`` with the line endings of ``old``, ending with a line break only if ``old`` did."""
    ending = line_ending(old)
    body = ending.join(strip_ending(line) for line in split_lines(new))
    return body + ending if old.endswith(("\n", "\r")) else body
