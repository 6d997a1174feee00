"""The full robustness run: ``python benchmarks/robustness.py --seed 1 --cases 1200``.

Generates the seeded hostile cases of ``tests/robustness_cases.py`` and runs every
command on each (see ``tests/robustness_suite.py``); prints the table per category
and every crash, hang and violation; exits 1 if there is any.  About 1.5 s of CPU
per case: 1,200 cases take some 15 minutes on two cores.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from robustness_suite import cli

if __name__ == "__main__":
    sys.exit(cli())
