"""The must-flag and must-not-flag examples of every rule, one module per family.

Each example is a complete small module; the test suite scans and checks every
one, and ``docs/reference/rules.md`` shows them, so the docs cannot drift.
"""

from __future__ import annotations

import textwrap

__all__ = ["code"]


def code(text: str) -> str:
    """An example's source: dedented, without the leading newline.

    Args:
        text: The indented source as written in an examples module.

    Returns:
        The module source.
    """
    return textwrap.dedent(text).lstrip("\n")
