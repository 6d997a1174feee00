"""How serious a finding is: its own small module, so the CLI can offer the levels at start-up.

:mod:`docsync.models` re-exports :class:`Severity`; the command line imports it from
here to build ``--fail-on``'s choices without loading the data model (tests/test_startup.py).
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Severity"]


class Severity(str, Enum):
    """How serious a finding is; ``fail-on`` compares against this order."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """The position of this severity in the order info < warning < error."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
