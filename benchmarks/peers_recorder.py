"""A pytest plugin that records what pydoclint's own tests assert (used by ``peers.py``).

Loaded into pydoclint's test run with ``-p peers_recorder``, it wraps
``pydoclint.main._checkFile`` before the test modules import it, and records each
call: the fixture file, the options, the test, and the violations returned.  The
tests assert those violations exactly, so the calls of the tests that pass are the
violations pydoclint's suite asserts.  The records go to ``$PEERS_RECORD`` as JSON.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pydoclint.main as pydoclint_main

_CHECK_FILE = pydoclint_main._checkFile
_CALLS: list[dict[str, Any]] = []
_OUTCOMES: dict[str, str] = {}
_CURRENT = [""]


def _recording_check_file(filename: Any, **options: Any) -> Any:
    violations = _CHECK_FILE(filename, **options)
    _CALLS.append(
        {
            "test": _CURRENT[0],
            "file": str(filename),
            "options": {k: v for k, v in options.items() if isinstance(v, (bool, int, str))},
            "violations": [[v.line, v.fullErrorCode, str(v)] for v in violations],
        }
    )
    return violations


pydoclint_main._checkFile = _recording_check_file  # type: ignore[assignment]


def pytest_runtest_setup(item: Any) -> None:
    """Remember which test the next calls belong to."""
    _CURRENT[0] = item.nodeid


def pytest_runtest_logreport(report: Any) -> None:
    """Keep each test's outcome (a failure in any phase fails it)."""
    if report.outcome != "passed" or report.when == "call":
        _OUTCOMES[report.nodeid] = _OUTCOMES.get(report.nodeid, "passed")
        if report.outcome != "passed":
            _OUTCOMES[report.nodeid] = report.outcome


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """Write the calls of the tests that passed."""
    passed = [call for call in _CALLS if _OUTCOMES.get(call["test"]) == "passed"]
    with Path(os.environ["PEERS_RECORD"]).open("w", encoding="utf-8") as handle:
        json.dump(passed, handle)
