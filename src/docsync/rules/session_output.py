"""Names that the printed output of a ``>>>`` session shows: ``<class 'pkg.mod.Name'>``.

A session's expected output often shows where a class lives (``type(obj)`` prints
``<class 'griffe.dataclasses.Module'>``).  When a change moves that class, the output
is wrong even though every statement still runs.  :func:`output_references` reads the
output lines of a session for the reprs that spell a dotted import path (classes,
enums, modules, ``<pkg.Cls object at 0x...>``) and turns each into an inline
reference, which the page rules judge like any other (only names of the project).
Functions print their qualified name without the module, so they are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from docsync.models import CodeBlock, CodeRef, RefKind

__all__ = ["output_references"]

_DOTTED = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+"
_REPR = re.compile(
    rf"<(?:class|enum) '(?P<named>{_DOTTED})'>"
    rf"|<module '(?P<module>{_DOTTED})'(?: from '[^'>]*')?>"
    rf"|<(?P<instance>{_DOTTED}) object at 0x[0-9a-fA-F]+>"
)
_MAX_LINES = 2_000  # of one session; later lines are not read
_MAX_LINE = 1_000  # characters of one output line that are read


def output_references(block: CodeBlock) -> Iterator[CodeRef]:
    """The dotted names a session's output lines show, as inline references.

    Args:
        block: A code block; only ``>>>`` sessions that are not about the past are read.

    Yields:
        One reference per repr, on its page line; its text is the repr as printed.
    """
    if not block.is_session or block.historical:
        return
    first = block.text_line or block.line + 1
    for offset, raw in enumerate(block.text.splitlines()[:_MAX_LINES]):
        line = raw.strip()
        if line.startswith((">>>", "...")):
            continue  # a statement, not output
        for match in _REPR.finditer(line[:_MAX_LINE]):
            name = match["named"] or match["module"] or match["instance"]
            yield CodeRef(name, match.group(0), RefKind.INLINE, first + offset, match.start())
