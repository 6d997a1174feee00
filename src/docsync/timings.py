"""Where a run's time went: named phases, timed when ``--timings`` asks for them.

The stages time themselves with :func:`phase` (discovery, scan, rules, pages,
git/base); the CLI turns the recorder on with :func:`start` and prints
:func:`render` to standard error, as ruff's ``--statistics`` and pytest's
``--durations`` do.  When nobody started it, :func:`phase` costs one check.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator

# Set when docsync's package is imported: the start-up phase ends where the CLI starts.
_IMPORTED_AT = time.perf_counter()

# Phases in the order a run goes through them; others are listed after, as they come.
PHASES = ("start-up", "discovery", "scan", "git/base", "rules", "pages", "output")

_spent: dict[str, float] = {}
_state = {"on": False, "started": 0.0}


def start() -> None:
    """Turn the recorder on; start-up is the time from the process's start to now.

    (Where ``/proc`` is missing, from the import of this module: docsync's imports.)
    """
    _spent.clear()
    _state["on"] = True
    _state["started"] = time.perf_counter()
    since_start = _since_process_start()
    imports = _state["started"] - _IMPORTED_AT
    _spent["start-up"] = since_start if since_start is not None else imports


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    """Add the time the ``with`` block takes to phase ``name`` (when recording).

    Args:
        name: the phase; a phase entered twice adds up.

    Yields:
        Nothing.
    """
    if not _state["on"]:
        yield
        return
    begun = time.perf_counter()
    try:
        yield
    finally:
        _spent[name] = _spent.get(name, 0.0) + time.perf_counter() - begun


def render() -> str:
    """The phases recorded since :func:`start`, one a line, with the total.

    Returns:
        The table ("" when the recorder was never started).
    """
    if not _state["on"]:
        return ""
    total = time.perf_counter() - _state["started"] + _spent.get("start-up", 0.0)
    names = [p for p in PHASES if p in _spent] + sorted(set(_spent) - set(PHASES))
    other = total - sum(_spent.values())
    lines = ["docsync timings (wall seconds):"]
    lines += [f"  {name:<12} {_spent[name]:>8.3f}" for name in names]
    lines.append(f"  {'other':<12} {max(other, 0.0):>8.3f}")
    lines.append(f"  {'total':<12} {total:>8.3f}")
    return "\n".join(lines) + "\n"


def _since_process_start() -> float | None:
    """Seconds since this process started (Linux's ``/proc``; ``None`` elsewhere)."""
    try:
        # Plain open(): pathlib is not imported at start-up (issue 19).
        with open("/proc/self/stat", encoding="ascii") as stat:  # noqa: PTH123
            fields = stat.read().rpartition(")")[2].split()
        with open("/proc/uptime", encoding="ascii") as up:  # noqa: PTH123
            uptime = float(up.read().split()[0])
        started = float(fields[19]) / os.sysconf("SC_CLK_TCK")  # start time, ticks since boot
    except (OSError, ValueError, IndexError):
        return None
    return max(0.0, uptime - started)
