"""The mechanical fix of DS107: the documented default replaced by the signature's.

Only the value changes; the wording around it (``Defaults to ...``, ``default=``,
backticks, the sentence's full stop) stays as the docstring's author wrote it.  A
string keeps the quote character the docstring used.
"""

from __future__ import annotations

from collections.abc import Iterable

from docsync.draft.mechanical.literal import LineEditor
from docsync.rules.defaults import documented_defaults, literal_value

__all__ = ["replace_default", "written_like"]


def written_like(documented: str, actual: str) -> str:
    """The signature's default written the way the docstring wrote its value.

    Args:
        documented: The documented value as written (``"utf-8"``, ``80``).
        actual: The signature's default as written (``'latin-1'``, ``72``).

    Returns:
        ``actual``, re-quoted with the docstring's quote character when both are strings.
    """
    ok, value = literal_value(actual)
    quote = documented[:1]
    plain = ok and isinstance(value, str) and "\\" not in value and quote not in value
    if plain and quote and quote in "'\"":
        return f"{quote}{value}{quote}"
    return actual


def replace_default(
    editor: LineEditor, lines: Iterable[int], documented: str, actual: str
) -> str | None:
    """Replace the documented default ``documented`` by ``actual`` on the first line stating it.

    Args:
        editor: The docstring's line editor.
        lines: The indices of the lines of the entry (and of its ``:type:`` field).
        documented: The documented value as written.
        actual: The signature's default as written.

    Returns:
        None when replaced, else why nothing was.
    """
    new = written_like(documented, actual)
    for index in lines:
        text = editor.text(index)
        for found in documented_defaults(text):
            if found.text == documented:
                editor.replace(index, text[: found.start] + new + text[found.end :])
                return None
    return "the documented default is not written on one line"
