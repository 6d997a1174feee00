"""The fast subset of the robustness suite: a few dozen generated hostile cases.

The full run (1,000+ cases) is by hand: ``python benchmarks/robustness.py --cases 1200``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from robustness_cases import CATEGORIES, generate

SUITE = Path(__file__).parent / "robustness_suite.py"


def test_generated_cases_cover_every_category_and_are_seeded() -> None:
    cases = generate(3, 70)
    assert {case.category for case in cases} == set(CATEGORIES)
    assert [c.name for c in generate(3, 70)] == [c.name for c in cases]
    assert [c.name for c in generate(4, 70)] != [c.name for c in cases]


def test_fast_subset_has_no_crash_hang_or_violation() -> None:
    # A subprocess: the suite forks workers and installs an audit hook in each.
    run = subprocess.run(
        [sys.executable, str(SUITE), "--seed", "7", "--cases", "28", "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "| total | 28 |" in run.stdout
