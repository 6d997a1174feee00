"""Renaming a reference to code on one line: docstring cross-references and page references.

A reference finding (DS601 in docstrings, DS701/DS702 on pages) is mechanical only
when the change renamed or moved what it names: then the new name is known, and the
fix replaces the old name inside the reference text as written, keeping its role,
backticks, ``~`` and call parentheses.
"""

from __future__ import annotations

import re

from docsync.models import Finding

__all__ = ["rename_in_line", "renamed_names"]

_RENAMED_RE = re.compile(r"^`(?P<old>[^`]+)` was (?:renamed|moved) to `(?P<new>[^`]+)`")


def renamed_names(finding: Finding) -> tuple[str, str] | None:
    """The old and new name, as written, of a DS601 finding about a renamed symbol.

    Args:
        finding: A DS601 finding.

    Returns:
        ``(old, new)`` without call parentheses, or ``None`` when the target was
        removed rather than renamed or moved.
    """
    if finding.evidence.actual is None:
        return None
    found = _RENAMED_RE.match(finding.message)
    if found is None:
        return None
    old, new = (found.group(g).removesuffix("()") for g in ("old", "new"))
    return (old, new) if old != new else None


def rename_in_line(line: str, reference: str, old: str, new: str) -> str | None:
    """``line`` with the name ``old`` replaced by ``new`` inside the reference text.

    Args:
        line: The source line holding the reference.
        reference: The reference as written (``:func:`~pkg.old```, ```old()```).
        old: The dotted name to replace, as written inside ``reference``.
        new: The name to put in its place.

    Returns:
        The new line, or ``None`` when the reference or the name is not found
        (for example, when the source spells it with escape sequences).
    """
    position = line.find(reference)
    if position < 0:
        return None
    renamed, count = re.subn(rf"(?<![\w]){re.escape(old)}(?![\w])", new, reference, count=1)
    if count == 0:
        return None
    return line[:position] + renamed + line[position + len(reference) :]
