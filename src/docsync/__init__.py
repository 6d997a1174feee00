"""docsync: find the docs that have drifted from the code, and draft the fixes."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
