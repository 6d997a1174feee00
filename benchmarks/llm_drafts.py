"""How many LLM drafts land: `fix --llm` on drifted real packages, against a model-like stand-in.

Run by hand (it downloads sdists; never in CI)::

    python benchmarks/llm_drafts.py                 # the three projects, one per style
    python benchmarks/llm_drafts.py requests        # only those whose name matches
    python benchmarks/llm_drafts.py --wrong-every 0 # no deliberately wrong answers

Each project is the newer release with the docstrings of an older one put back for
every function whose parameters changed (as in ``fix_real.py`` and the accuracy
benchmark).  ``docsync fix`` then runs with the mechanical drafter and the LLM
drafter, the real ``anthropic`` client talking to ``tests/fake_anthropic.py`` on
127.0.0.1 (``ANTHROPIC_BASE_URL``) with ``tests/fake_model.ModelLike`` answering:
right answers in every harmless shape real models use, and every
``--wrong-every``-th first answer deliberately wrong (another symbol, a breakout
into code, a rewritten summary), which must be rejected.

Reported per rule: the findings routed to the LLM, the drafts proposed that passed
validation and were applied, the ones rejected (with why), and for the applied
ones whether the documented parameters now equal the signature's.  The target:
at least 95% of the routed findings end as applied drafts; every wrong answer
rejected (the stand-in knows, because the repair request for it arrives).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fix_real import Pair, drifted_tree

from docsync.commands.fix import FixResult, run_fix
from docsync.config import load_config
from docsync.draft.llm.drafter import LLMOptions
from docsync.models import Project, Symbol
from docsync.rules.params import documented_params
from docsync.scan.project import scan_project
from fake_anthropic import API_KEY, FakeAnthropic
from fake_model import ModelLike

PROJECTS = (
    Pair("flax", "0.5.0", "0.6.0", "google"),
    Pair("networkx", "2.6.3", "3.0", "numpy"),
    Pair("requests", "2.25.1", "2.32.3", "sphinx"),
    Pair("werkzeug", "1.0.1", "2.0.0", "sphinx"),
)


@dataclass
class Tally:
    """Per rule: routed to the LLM, applied drafts, rejections by reason, parameter agreement."""

    routed: Counter[str] = field(default_factory=Counter)
    applied: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    params_equal: Counter[str] = field(default_factory=Counter)
    params_differ: list[str] = field(default_factory=list)


def run(pair: Pair, scratch: Path, model: ModelLike) -> tuple[Tally, str]:
    """Drift one project, fix it with the LLM, and tally what happened."""
    work = scratch / pair.package
    work.mkdir()
    _, reverted = drifted_tree(pair, work)
    (work / "pyproject.toml").write_text(
        f'[tool.docsync]\npaths = ["{pair.package}"]\ncache = false\n', encoding="utf-8"
    )
    config = load_config(work)
    started = time.perf_counter()
    options = LLMOptions.from_config(config, max_retries=0, timeout=30.0, concurrency=2)
    result = run_fix(config, llm=options)
    seconds = time.perf_counter() - started
    tally = Tally()
    _count(tally, result)
    _check_params(tally, result, scan_project(work, [work / pair.package]))
    summary = result.llm
    money = f"{summary.requests} requests, ${summary.cost:.2f} est." if summary else "no LLM"
    label = f"{pair.package} {pair.old}->{pair.new} ({pair.style}, {reverted} docstrings put back)"
    return tally, f"{label}: {money}, {seconds:.0f} s"


def _count(tally: Tally, result: FixResult) -> None:
    for edit in result.edits_applied:
        if edit.origin.startswith("llm:"):
            for finding in edit.findings:
                tally.routed[finding.code] += 1
                tally.applied[finding.code] += 1
    for finding in result.left_for_person:
        reason = result.reasons.get(finding.fingerprint, "")
        if reason.startswith("llm:") and "not a finding the LLM" not in reason:
            tally.routed[finding.code] += 1
            tally.rejected[finding.code] += 1
            tally.reasons[f"{finding.code}: {_short(reason)}"] += 1
    for finding, error in result.failed:
        if error.startswith("llm:"):
            tally.routed[finding.code] += 1
            tally.rejected[finding.code] += 1
            tally.reasons[f"{finding.code}: failed: {_short(error)}"] += 1


def _short(reason: str) -> str:
    text = reason.split(": ", 1)[-1]
    return text if len(text) < 150 else text[:147] + "..."


def _check_params(tally: Tally, result: FixResult, project: Project) -> None:
    """For each LLM edit of a parameter finding: documented names == signature names?"""
    for edit in result.edits_applied:
        if not edit.origin.startswith("llm:"):
            continue
        for qualname in {f.symbol for f in edit.findings if f.code.startswith("DS10")}:
            symbol = project.get(qualname)
            if symbol is None or symbol.signature is None:
                continue
            code = min(f.code for f in edit.findings if f.symbol == qualname)
            if _same_params(symbol):
                tally.params_equal[code] += 1
            else:
                tally.params_differ.append(qualname)


def _same_params(symbol: Symbol) -> bool:
    assert symbol.signature is not None
    documented = {d.name for d in documented_params(symbol)}
    wanted = {p.name for p in symbol.signature.params if not p.name.startswith("_")}
    variadic = {p.name for p in symbol.signature.params if p.is_variadic}
    return wanted - variadic <= documented <= wanted | {"self", "cls"}


def main(argv: list[str]) -> int:
    """Run the benchmark; exit 1 when below 95% or when a wrong answer was accepted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="run only packages whose name contains these")
    parser.add_argument("--wrong-every", type=int, default=7, help="every Nth answer is wrong")
    args = parser.parse_args(argv)
    fake = FakeAnthropic().start()
    model = ModelLike(wrong_every=args.wrong_every)
    fake.responder = model
    os.environ.update({"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake.url})
    total = Tally()
    lines = []
    try:
        with tempfile.TemporaryDirectory(prefix="docsync-llm-bench-") as temp:
            for pair in PROJECTS:
                if args.only and not any(w in pair.package for w in args.only):
                    continue
                tally, line = run(pair, Path(temp), model)
                lines.append(line)
                print(line, flush=True)
                for name in ("routed", "applied", "rejected", "reasons", "params_equal"):
                    getattr(total, name).update(getattr(tally, name))
                total.params_differ += tally.params_differ
                shutil.rmtree(Path(temp) / pair.package, ignore_errors=True)
    finally:
        fake.stop()
    return report(total, lines, model)


def report(total: Tally, lines: list[str], model: ModelLike) -> int:
    """Print the table; the exit status says whether the targets were met."""
    print("\n".join(lines))
    print("\n| rule | routed to the LLM | drafts applied | rejected | params = signature |")
    print("|---|---:|---:|---:|---:|")
    for code in sorted(total.routed):
        print(
            f"| {code} | {total.routed[code]} | {total.applied[code]} | {total.rejected[code]} "
            f"| {total.params_equal[code]} |"
        )
    routed, applied = sum(total.routed.values()), sum(total.applied.values())
    share = applied / routed if routed else 1.0
    print(
        f"| all | {routed} | {applied} ({share:.1%}) | {routed - applied} | "
        f"{sum(total.params_equal.values())} |"
    )
    print("\nrejected, by rule and reason:")
    for reason, count in total.reasons.most_common():
        print(f"  {count:>4}  {reason}")
    print(f"applied drafts whose documented parameters differ: {len(total.params_differ)}")
    if total.params_differ:
        for name in sorted(total.params_differ):
            print(f"  {name}")
    sent, rejected = Counter(model.wrong_sent), Counter(model.wrong_rejected)
    print(f"\nwrong answers sent: {dict(sent)}; rejected: {dict(rejected)}")
    return 0 if share >= 0.95 and sent == rejected else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
