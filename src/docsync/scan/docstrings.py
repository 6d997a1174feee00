"""Parse Google, NumPy and Sphinx docstrings into sections with file spans.

PROVISIONAL: interface only, being implemented now.
"""

from __future__ import annotations

import inspect

from docsync.models import Docstring, Location, Style


def parse_docstring(
    raw: str,
    location: Location,
    default_style: Style | None = None,
) -> Docstring:
    """Parse the value of a docstring literal that starts at ``location.line``."""
    return Docstring(inspect.cleandoc(raw), default_style or Style.PLAIN, (), location)
