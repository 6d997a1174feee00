"""Run docsync as ``python -m docsync``."""

from __future__ import annotations

from docsync.cli import main

if __name__ == "__main__":
    main()
