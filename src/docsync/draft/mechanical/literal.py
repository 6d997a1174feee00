"""A docstring literal as editable source lines, and a line editor that keeps its layout.

Drafts work on the literal's source, never on its cleaned value, so indentation, tabs,
quotes, the string prefix and the line endings stay as written.  Line ``k`` of the
literal's body is file line ``first_line + k``, which is how the parser's entry spans
map onto it; :meth:`DocLiteral.read` refuses a literal for which that is not true
(escape sequences that add or swallow line breaks).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from docsync.apply.linebreaks import line_ending

__all__ = ["DocLiteral", "LineEditor", "LiteralRefused", "is_blank"]

_PREFIX_RE = re.compile(r"[rRuUbBfF]*")
_BREAK_RE = re.compile(r"\r\n|\r|\n")


class LiteralRefused(ValueError):
    """The literal cannot be edited line by line; the message says why."""


def is_blank(text: str) -> bool:
    """Whether a line holds only whitespace.

    Args:
        text: A line without its ending.

    Returns:
        True for an empty or whitespace-only line.
    """
    return not text.strip()


@dataclass(frozen=True)
class DocLiteral:
    """The source of a docstring literal, split into the lines of its body.

    ``lines`` are the body's lines without endings, the first one being what
    follows the opening quotes.  ``close_indent`` is the whitespace before the
    closing quotes when they sit on a line of their own, else ``None`` (the quotes
    follow the last line of text).
    """

    opening: str
    closing: str
    lines: tuple[str, ...]
    close_indent: str | None
    newline: str
    first_line: int

    @classmethod
    def read(cls, literal: str, first_line: int) -> DocLiteral:
        """Split a literal's source into body lines.

        Args:
            literal: The literal as written in the file, prefix and quotes included.
            first_line: The file line the literal starts on.

        Returns:
            The literal's parts.

        Raises:
            LiteralRefused: The text is not a single string literal, mixes line
                endings, or holds escape sequences that break the line mapping.
        """
        prefix = _PREFIX_RE.match(literal)
        start = prefix.end() if prefix else 0
        quote = next((q for q in ('"""', "'''", '"', "'") if literal.startswith(q, start)), "")
        if not quote or not literal.endswith(quote) or len(literal) < start + 2 * len(quote):
            raise LiteralRefused("the docstring is not a single string literal")
        body = literal[start + len(quote) : len(literal) - len(quote)]
        _check_mapping(literal, body, raw="r" in literal[:start].lower())
        lines = _BREAK_RE.split(body)
        close_indent = None
        if len(lines) > 1 and is_blank(lines[-1]):
            close_indent = lines.pop()
        return cls(
            opening=literal[: start + len(quote)],
            closing=quote,
            lines=tuple(lines),
            close_indent=close_indent,
            newline=line_ending(body),
            first_line=first_line,
        )

    def index(self, file_line: int) -> int:
        """The body line index of a file line.

        Args:
            file_line: An absolute, 1-based file line.

        Returns:
            The 0-based index into :attr:`lines` (may be out of range).
        """
        return file_line - self.first_line

    def render(self, lines: Sequence[str]) -> str:
        """The literal's source with ``lines`` as its body lines.

        Args:
            lines: The new body lines, without endings.

        Returns:
            The literal, quotes, prefix, line endings and closing layout as before.
        """
        body = list(lines)
        if self.close_indent is None:
            while len(body) > 1 and is_blank(body[-1]):
                body.pop()
        else:
            body.append(self.close_indent)
        return self.opening + self.newline.join(body) + self.closing


def _check_mapping(literal: str, body: str, *, raw: bool) -> None:
    try:
        value = ast.literal_eval(literal)
    except (SyntaxError, ValueError) as exc:
        raise LiteralRefused(f"the docstring does not parse as a literal: {exc}") from None
    if not isinstance(value, str):
        raise LiteralRefused("the docstring is not a str literal")
    endings = set(_BREAK_RE.findall(body))
    if len(endings) > 1:
        raise LiteralRefused("the docstring mixes line endings")
    breaks = len(_BREAK_RE.findall(body))
    if "\r" in value or value.count("\n") != breaks:
        raise LiteralRefused(
            "escape sequences in the docstring (such as \\n) make its lines differ from "
            "the file's lines"
        )
    if not raw and re.search(r"(?<!\\)(?:\\\\)*\\(?:\r\n|\r|\n)", body):
        raise LiteralRefused("the docstring continues lines with a backslash")


@dataclass
class LineEditor:
    """Collects line edits on a :class:`DocLiteral`, addressed by original line index.

    Removals remember the section they are in, so that rendering can take out one
    blank line next to what was removed and keep the layout tidy.
    """

    doc: DocLiteral
    replaced: dict[int, str] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    inserted: dict[int, list[str]] = field(default_factory=dict)
    order: list[int] | None = None
    _scopes: list[tuple[int, int, tuple[int, int] | None]] = field(default_factory=list)

    def text(self, index: int) -> str:
        """The current text of original line ``index``.

        Args:
            index: An original body line index.

        Returns:
            The line as edited so far.
        """
        return self.replaced.get(index, self.doc.lines[index])

    def replace(self, index: int, text: str) -> None:
        """Give original line ``index`` a new text.

        Args:
            index: An original body line index.
            text: The new line, without ending.
        """
        self.replaced[index] = text

    def remove(self, first: int, last: int, section: tuple[int, int] | None = None) -> None:
        """Remove original lines ``first..last``.

        Args:
            first: The first line index to remove.
            last: The last line index to remove (inclusive).
            section: The index span of the section the lines belong to, when they
                are an entry of it: a blank line after them is removed too when the
                section goes on after it.
        """
        self.removed.update(range(first, last + 1))
        self._scopes.append((first, last, section))

    def insert_after(self, index: int, lines: Sequence[str]) -> None:
        """Insert new lines after original line ``index`` (``-1``: before the first).

        Args:
            index: An original body line index, or -1.
            lines: The lines to insert, without endings.
        """
        self.inserted.setdefault(index, []).extend(lines)

    def reorder(self, slots: Sequence[Sequence[int]], blocks: Sequence[Sequence[int]]) -> None:
        """Put ``blocks[i]`` where ``slots[i]`` is; every other line stays in place.

        Args:
            slots: Blocks of original line indices, in document order.
            blocks: The same blocks in their new order.

        Raises:
            ValueError: Two blocks share a line.
        """
        starts = {slot[0]: block for slot, block in zip(slots, blocks, strict=True)}
        moving = {index for slot in slots for index in slot}
        if len(moving) != sum(len(slot) for slot in slots) or len(starts) != len(slots):
            raise ValueError("blocks to reorder overlap")
        order: list[int] = []
        for index in range(len(self.doc.lines)):
            if index in starts:
                order.extend(starts[index])
            elif index not in moving:
                order.append(index)
        self.order = order

    @property
    def changed(self) -> bool:
        """Whether any edit was made."""
        return bool(
            self.removed
            or self.inserted
            or any(self.doc.lines[i] != t for i, t in self.replaced.items())
            or (self.order is not None and self.order != list(range(len(self.doc.lines))))
        )

    def render(self) -> str:
        """The edited literal's source.

        Returns:
            The literal with every collected edit applied.
        """
        removed = self.removed | self._tidy()
        lines = list(self.inserted.get(-1, ()))
        for index in self.order if self.order is not None else range(len(self.doc.lines)):
            if index not in removed:
                lines.append(self.text(index))
            lines.extend(self.inserted.get(index, ()))
        if 0 in removed and lines:
            lines[0] = lines[0].lstrip()
        return self.doc.render(lines)

    def _tidy(self) -> set[int]:
        """The blank lines to remove with the removed runs, one per run at most."""
        extra: set[int] = set()
        for first, last, section in self._runs():
            previous = self._neighbour(first, -1, extra)
            following = self._neighbour(last, 1, extra)
            if previous is not None and self._blank(previous):
                if following is None or self._blank(following):
                    extra.add(previous)
            elif following is not None and self._blank(following):
                after = self._neighbour(following, 1, extra)
                inside = (
                    section is not None and after is not None and section[0] <= after <= section[1]
                )
                if previous is None or inside:
                    extra.add(following)
        return extra

    def _runs(self) -> list[tuple[int, int, tuple[int, int] | None]]:
        """Removed spans, merged when only blank lines separate them."""
        runs: list[tuple[int, int, tuple[int, int] | None]] = []
        for first, last, section in sorted(self._scopes):
            if runs:
                start, end, scope = runs[-1]
                between = range(end + 1, first)
                if all(i in self.removed or self._blank(i) for i in between):
                    self.removed.update(between)
                    runs[-1] = (start, max(end, last), scope or section)
                    continue
            runs.append((first, last, section))
        return runs

    def _neighbour(self, index: int, step: int, extra: set[int]) -> int | None:
        current = index + step
        while 0 <= current < len(self.doc.lines):
            if current not in self.removed and current not in extra:
                return current
            current += step
        return None

    def _blank(self, index: int) -> bool:
        return is_blank(self.text(index))
