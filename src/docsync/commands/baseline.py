"""The baseline: findings recorded once so that later checks report only new ones.

``docsync baseline`` writes the fingerprints of today's findings to a JSON file
(``.docsync-baseline.json`` by default); every later ``check`` skips the findings
whose fingerprint it lists and says how many it skipped.  The file is meant to be
committed, so it is sorted, stable and diff-friendly::

    {
      "version": 1,
      "findings": [
        {"code": "DS101", "symbol": "pkg.mod.func", "fingerprint": "…", "path": "pkg/mod.py"}
      ]
    }

Fingerprints hash the rule, the symbol and the documentation text, never line
numbers (see :func:`docsync.models.fingerprint`), so moving code does not make an
old finding new again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docsync.atomic import write_text_atomic
from docsync.config import Config
from docsync.errors import ConfigError
from docsync.models import Finding
from docsync.paths import is_inside, read_regular

BASELINE_VERSION = 1

_REGENERATE = "regenerate it with `docsync baseline`"


def render_baseline(findings: Iterable[Finding]) -> str:
    """The baseline file's text for ``findings``: sorted, deduplicated, one key order.

    Args:
        findings: the findings to record.

    Returns:
        JSON with a two-space indent and a trailing newline; the same findings in
        any order give the same bytes.
    """
    entries = {
        (f.location.path, f.code, f.fingerprint, f.symbol): {
            "code": f.code,
            "symbol": f.symbol,
            "fingerprint": f.fingerprint,
            "path": f.location.path,
        }
        for f in findings
    }
    document = {"version": BASELINE_VERSION, "findings": [entries[k] for k in sorted(entries)]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Record ``findings`` in the baseline file at ``path``, replacing it atomically.

    Args:
        path: the baseline file (usually ``root / config.baseline``).
        findings: the findings to record.

    Returns:
        How many distinct findings the file now lists.
    """
    text = render_baseline(findings)
    write_text_atomic(path.resolve(), text)  # a symlink stays one: its target is written
    return text.count('"fingerprint":')


def load_baseline(path: Path) -> frozenset[str]:
    """The fingerprints listed in the baseline file at ``path``.

    Args:
        path: the baseline file.

    Returns:
        The fingerprints; empty when the file does not exist.

    Raises:
        ConfigError: the file cannot be read or is not a docsync baseline; the
            message names the file and says to regenerate it.
    """
    try:
        text = read_regular(path).decode("utf-8")
    except FileNotFoundError:
        return frozenset()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the baseline ({exc}); {_REGENERATE}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"{path}: the baseline is not valid JSON ({exc}); {_REGENERATE}"
        raise ConfigError(message) from None
    return _fingerprints(document, path)


def _fingerprints(document: Any, path: Path) -> frozenset[str]:
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise ConfigError(f"{path}: not a docsync baseline (no 'findings' list); {_REGENERATE}")
    version = document.get("version")
    if version != BASELINE_VERSION:
        raise ConfigError(
            f"{path}: baseline version {version!r} is not supported "
            f"(this docsync reads version {BASELINE_VERSION}); {_REGENERATE}"
        )
    fingerprints = []
    for index, entry in enumerate(document["findings"]):
        value = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value:
            raise ConfigError(
                f"{path}: baseline entry {index} has no 'fingerprint' string; {_REGENERATE}"
            )
        fingerprints.append(value)
    return frozenset(fingerprints)


def apply_baseline(
    findings: Iterable[Finding], fingerprints: frozenset[str]
) -> tuple[list[Finding], int]:
    """Drop the findings whose fingerprint the baseline lists.

    Args:
        findings: the findings of this run.
        fingerprints: the baseline's fingerprints (from :func:`load_baseline`).

    Returns:
        The findings to report, in their original order, and how many were skipped.
    """
    all_findings = list(findings)
    kept = [f for f in all_findings if f.fingerprint not in fingerprints]
    return kept, len(all_findings) - len(kept)


def baseline_path(config: Config) -> Path:
    """Where the baseline file of this project is.

    Args:
        config: the merged configuration.

    Returns:
        ``config.baseline`` resolved against the project root.

    Raises:
        ConfigError: The path resolves (symlinks included) outside the repository.
    """
    path = config.at_root(config.baseline)
    if not is_inside(config.root, path):
        raise ConfigError(
            f"baseline {config.baseline!r} is outside the repository {config.root} (symlinks "
            "resolved); docsync reads and writes files only inside it: use a path in it"
        )
    return path
