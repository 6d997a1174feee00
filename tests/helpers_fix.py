"""Helpers for the fix tests: fix a module given as text, in memory."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

from docsync.apply.files import FileFix
from docsync.commands.fix import fix_bytes
from docsync.config import Config
from docsync.draft.base import Drafter
from docsync.models import Style


def fix_text(
    source: str,
    *,
    placeholders: bool = False,
    style: Style | None = None,
    drafters: Sequence[Drafter] | None = None,
    dedent: bool = True,
) -> FileFix:
    """Fix ``source`` (dedented) as the module ``mod.py``."""
    text = textwrap.dedent(source) if dedent else source
    config = Config(root=Path("/nonexistent"), style=style)
    return fix_bytes(
        "mod.py", text.encode("utf-8"), config, placeholders=placeholders, drafters=drafters
    )


def fixed_text(source: str, **options: object) -> str:
    """The fixed module text; fails the test if any fix failed."""
    result = fix_text(source, **options)  # type: ignore[arg-type]
    assert not result.failed, result.failed
    return result.new.decode("utf-8")


def codes(findings: Sequence[tuple[object, str]] | Sequence[object]) -> list[str]:
    """The rule codes of findings (or of ``(finding, reason)`` pairs), sorted."""
    found = [item[0] if isinstance(item, tuple) else item for item in findings]
    return sorted(f.code for f in found)  # type: ignore[attr-defined]
