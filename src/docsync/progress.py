"""A progress bar for long scans, on terminals only.

The bar goes to stderr, appears only once a scan has run for about a second (a
warm run never shows one) and is erased when the scan ends.  It never appears
when stderr is not a terminal, in CI (the ``CI`` variable), with ``TERM=dumb``,
or for machine-readable output (``--format json``, ``sarif``, ``github``).  It
starts no thread, so a process pool can fork safely while it is shown.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

__all__ = ["ScanProgress", "progress_wanted", "scan_progress"]

SHOW_AFTER_SECONDS = 1.0
"""How long a scan runs before the bar appears."""

_REFRESH_SECONDS = 0.1
_FALSE = frozenset({"", "0", "false", "no", "off"})


def progress_wanted(
    output_format: str,
    *,
    stream: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> bool:
    """Whether a run with this output may show a progress bar.

    Args:
        output_format: The report format (``text``, ``json``, ``sarif``, ``github``).
        stream: Where the bar would go (default: ``sys.stderr``).
        environ: The environment (default: ``os.environ``).

    Returns:
        True only for text output to an interactive terminal outside CI.
    """
    stream = sys.stderr if stream is None else stream
    environ = os.environ if environ is None else environ
    if output_format != "text" or environ.get("CI", "").strip().lower() not in _FALSE:
        return False
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


class ScanProgress:
    """A transient bar of files scanned, shown once the scan has run a while.

    Call it with (files done, files in all) as the scan advances; :meth:`close`
    erases the bar.
    """

    def __init__(
        self,
        *,
        stream: TextIO | None = None,
        delay: float = SHOW_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Prepare a bar; nothing is drawn until the scan has run for ``delay`` seconds.

        Args:
            stream: Where to draw it (default: ``sys.stderr``).
            delay: Seconds of scanning before the bar appears.
            clock: The time source, in seconds.
        """
        self._stream = stream
        self._delay = delay
        self._clock = clock
        self._started_at: float | None = None
        self._last_refresh = 0.0
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    @property
    def shown(self) -> bool:
        """Whether the bar has appeared."""
        return self._bar is not None

    def __call__(self, done: int, total: int) -> None:
        """Record progress; draw the bar once the scan has run long enough.

        Args:
            done: Files scanned (or loaded from the cache) so far.
            total: Files to scan in all.
        """
        now = self._clock()
        if self._started_at is None:
            self._started_at = now
        if self._bar is None:
            if done >= total or now - self._started_at < self._delay:
                return
            self._start(total)
        bar, task = self._bar, self._task
        if bar is None or task is None:  # pragma: no cover - set by _start
            return
        bar.update(task, completed=done, total=total)
        if done >= total or now - self._last_refresh >= _REFRESH_SECONDS:
            self._last_refresh = now
            bar.refresh()

    def close(self) -> None:
        """Erase the bar, if it was shown."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(file=self._stream if self._stream is not None else sys.stderr)
        self._bar = Progress(
            TextColumn("Scanning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            auto_refresh=False,  # no refresh thread: a process pool may fork
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._task = self._bar.add_task("scan", total=total)
        self._bar.start()


@contextlib.contextmanager
def scan_progress(output_format: str) -> Iterator[ScanProgress | None]:
    """A progress callback for this run's scan, or ``None`` when none may be shown.

    Args:
        output_format: The report format (see :func:`progress_wanted`).

    Yields:
        The bar to pass as the scan's ``progress`` (erased on exit), or ``None``.
    """
    if not progress_wanted(output_format):
        yield None
        return
    bar = ScanProgress()
    try:
        yield bar
    finally:
        bar.close()
