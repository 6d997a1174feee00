"""Untrusted text made safe for Markdown: code spans, table cells, plain text, fences.

Everything docsync writes to GitHub (pull request bodies, review comments, the
summary comment, the job summary) and to the MkDocs health page holds text from
the repository: paths, symbol names, finding messages that quote a page's link or
a docstring, error messages.  Each piece goes through one function here, chosen by
where it lands:

* :func:`code_span` -- a code span whose fence is longer than any backtick run in
  the text (padded with spaces when the text starts or ends with a backtick);
* :func:`plain` -- literal text on GitHub: no HTML, no link, no code span, no live
  ``@mention`` (a zero-width joiner follows each ``@``), no line break;
* :func:`inline` -- a message whose backtick-quoted parts are code: each code span
  is written again with :func:`code_span`, everything between with :func:`plain`,
  so no split of the text can leave a mention, a tag or a link live;
* :func:`cell` -- :func:`inline` for one cell of a table (``|`` escaped, also in
  code spans, as GitHub's tables read it);
* :func:`fence` -- a fenced block (``suggestion``, ``diff``) whose fence is longer
  than any backtick run inside;
* :func:`html_text` -- text inside raw HTML (``<details><summary>``), where Markdown
  is not read;
* :func:`mkdocs_text` -- literal text in a page MkDocs renders, where raw HTML passes
  and ``{: ...}`` sets attributes (the health page);
* :func:`mkdocs_inline` -- :func:`inline` for such a page: the message's code spans
  kept, everything between as :func:`mkdocs_text`.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict, deque
from collections.abc import Callable

__all__ = [
    "ZERO_WIDTH_JOINER",
    "cell",
    "code_span",
    "fence",
    "html_text",
    "inline",
    "mkdocs_inline",
    "mkdocs_text",
    "plain",
]

ZERO_WIDTH_JOINER = "\u200d"
"""Put after each ``@`` of untrusted text, so GitHub sees no mention."""

_BACKTICKS = re.compile(r"`+")
# On GitHub: what could start HTML, a link, a code span, a table column or a mention.
# Emphasis is harmless there, and issue references are linked even when escaped.
_GITHUB = {
    "&": "&amp;",
    "<": "&lt;",
    "@": "@" + ZERO_WIDTH_JOINER,
    **{char: f"\\{char}" for char in "\\`[]|"},
}
# In Python-Markdown (MkDocs) raw HTML passes and attr_list reads `{: ...}` as attributes:
# every Markdown punctuation mark that can mean something is escaped.
_MKDOCS = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    **{char: f"\\{char}" for char in "\\`*_[]{}|#"},
}


def code_span(text: str, *, in_table: bool = False) -> str:
    """``text`` as one code span, however many backticks it holds.

    Args:
        text: Any text; line breaks and runs of spaces become one space.
        in_table: The span is in a table cell: ``|`` is escaped (GitHub removes the
            backslash inside a cell's code span).

    Returns:
        The span with its fences, or an empty string for empty text.
    """
    return _code_span(_one_line(text), in_table)


def plain(text: str) -> str:
    """``text`` as literal text on GitHub, on one line (also right for a table cell).

    Args:
        text: Any text.

    Returns:
        The text with ``&`` and ``<`` as entities, ``\\``, backticks, brackets and
        ``|`` backslash-escaped, and each ``@`` followed by a zero-width joiner.
    """
    return _escape(_one_line(text))


def mkdocs_text(text: str) -> str:
    """``text`` as literal text in a page MkDocs renders (Python-Markdown), on one line.

    Args:
        text: Any text.

    Returns:
        The text with ``&``, ``<`` and ``>`` as entities and every Markdown
        punctuation mark (``\\`*_[]{}|#``) backslash-escaped.
    """
    return _mkdocs_escape(_one_line(text))


def inline(text: str, *, in_table: bool = False) -> str:
    """A message whose backtick-quoted parts stay code, with everything else literal.

    The code spans are found as CommonMark finds them (a backtick run closed by the
    next run of the same length); an unclosed run is literal backticks.

    Args:
        text: A message such as ``parameter `x` of f() is not documented``.
        in_table: The text is in a table cell.

    Returns:
        Markdown on one line that shows the message as written.
    """
    return _inline(text, in_table, _escape)


def mkdocs_inline(text: str, *, in_table: bool = False) -> str:
    """A message for a page MkDocs renders: its code spans kept, the rest literal.

    Like :func:`inline`, with the text between the code spans escaped as
    :func:`mkdocs_text` escapes it (Python-Markdown passes raw HTML and reads ``{: ...}``).

    Args:
        text: A message such as ``no heading or id `#routing` on this page``.
        in_table: The text is in a table cell.

    Returns:
        Markdown on one line that shows the message as written.
    """
    return _inline(text, in_table, _mkdocs_escape)


def _inline(text: str, in_table: bool, escape: Callable[[str], str]) -> str:
    flat = _one_line(text)
    runs = list(_BACKTICKS.finditer(flat))
    later: dict[int, deque[int]] = defaultdict(deque)  # width -> indexes of runs that wide
    for number, run in enumerate(runs):
        later[len(run.group())].append(number)
    out: list[str] = []
    done = 0  # the text before this index is written
    number = 0
    while number < len(runs):
        opening = runs[number]
        same = later[len(opening.group())]
        while same and same[0] <= number:
            same.popleft()
        if not same:  # no closing run: literal backticks
            number += 1
            continue
        closing_number = same.popleft()
        closing = runs[closing_number]
        out.append(escape(flat[done : opening.start()]))
        out.append(_code_span(_span_content(flat[opening.end() : closing.start()]), in_table))
        done = closing.end()
        number = closing_number + 1
    out.append(escape(flat[done:]))
    return "".join(out)


def cell(text: str) -> str:
    """A message made safe for one cell of a Markdown table (see :func:`inline`).

    Args:
        text: Any text.

    Returns:
        One line, with pipes escaped and the message's code spans kept.
    """
    return inline(text, in_table=True)


def fence(text: str, info: str = "") -> str:
    """A fenced code block holding ``text``, with a fence longer than any inside it.

    Args:
        text: The block's content (no trailing newline needed).
        info: The info string (``suggestion``, ``diff``, ``python``).

    Returns:
        The block, ending with a newline.
    """
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    ticks = "`" * (longest + 1)
    body = f"{text}\n" if text else ""
    return f"{ticks}{info}\n{body}{ticks}\n"


def html_text(text: str) -> str:
    """``text`` inside raw HTML, where GitHub reads no Markdown but still links mentions.

    Args:
        text: Any text (Markdown written for elsewhere shows as written).

    Returns:
        The text with ``&``, ``<`` and ``>`` as entities, and each ``@`` followed by
        a zero-width joiner.
    """
    return html.escape(text, quote=False).replace("@", "@" + ZERO_WIDTH_JOINER)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _mkdocs_escape(text: str) -> str:
    return "".join(_MKDOCS.get(char, char) for char in text)


def _escape(text: str) -> str:
    return "".join(_GITHUB.get(char, char) for char in text)


def _code_span(text: str, in_table: bool) -> str:
    """A code span that CommonMark reads back as ``text`` (which has no line break)."""
    if not text:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or _padded(text):
        text = f" {text} "  # CommonMark strips one space from each end of these
    if in_table:
        text = text.replace("|", "\\|")
    return f"{ticks}{text}{ticks}"


def _padded(text: str) -> bool:
    """Whether CommonMark strips a space from each end of a code span holding ``text``."""
    return len(text) >= 2 and text[0] == " " and text[-1] == " " and bool(text.strip(" "))


def _span_content(raw: str) -> str:
    """A code span's text as CommonMark reads it: one space stripped from each end."""
    return raw[1:-1] if _padded(raw) else raw
