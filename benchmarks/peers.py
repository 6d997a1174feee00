"""Compare docsync with its peers on the peers' own test fixtures: pydoclint and numpydoc.

Run by hand (it downloads sdists and installs the peers in a venv of the cache; never in CI)::

    python benchmarks/peers.py              # the table, the classes, the unclassified cases
    python benchmarks/peers.py --list       # also every disagreement, with its class

pydoclint: its test suite runs (in a venv with pydoclint and pytest) with the plugin
``peers_recorder.py``, which records every ``_checkFile`` call of the tests that pass:
the violations those tests assert.  A fixture checked under several option sets is
judged under the set closest to pydoclint's defaults.  docsync checks each fixture
(``--style`` as the test's), and for each pydoclint code whose meaning overlaps a
docsync rule (:data:`PYDOCLINT_CODES`) the objects both flag are agreements, the
objects only pydoclint flags are misses and the objects only docsync flags are extras.

numpydoc: its validation cases (``numpydoc/tests/test_validate.py``) are classes whose
methods carry good and bad docstrings; the expected PR01/PR02 messages per method come
from the test's parametrize lists.  Objects numpydoc treats as clean must get no
docsync finding at all.

Every disagreement is classified by ``peers_classified.toml`` (first matching entry:
``docsync-wrong``, ``policy`` or ``peer-debatable``), so a rule change shows up as a
change in these counts.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import re
import subprocess
import sys
import venv
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import sdists
import tomllib

PYDOCLINT = "pydoclint==0.12.0"
NUMPYDOC = "numpydoc==1.9.0"
HERE = Path(__file__).resolve().parent
CLASSIFIED = HERE / "peers_classified.toml"

# pydoclint code -> the docsync codes that mean the same (empty: docsync has no such rule).
PYDOCLINT_CODES: dict[str, frozenset[str]] = {
    "DOC101": frozenset({"DS102", "DS103", "DS106"}),
    "DOC102": frozenset({"DS101", "DS103"}),
    "DOC103": frozenset({"DS101", "DS102", "DS103", "DS106"}),
    "DOC104": frozenset({"DS105"}),
    "DOC105": frozenset({"DS104"}),
    "DOC202": frozenset({"DS201"}),
    "DOC203": frozenset({"DS203"}),
    "DOC402": frozenset({"DS202"}),
    "DOC403": frozenset(),
    "DOC404": frozenset(),
    "DOC501": frozenset(),
    "DOC502": frozenset({"DS301"}),
    "DOC503": frozenset({"DS301"}),
    "DOC602": frozenset({"DS401"}),
    "DOC603": frozenset({"DS401"}),
}
# pydoclint's tests that turn on ``--check-arg-defaults`` assert DOC105 where the documented
# default differs from the signature's: DS107's meaning.  Judged in a second pass.
ARG_DEFAULTS_CODES: dict[str, frozenset[str]] = {
    "DOC105-defaults": frozenset({"DS104", "DS107"}),
}
NUMPYDOC_CODES: dict[str, frozenset[str]] = {
    "PR01": frozenset({"DS102", "DS103"}),
    "PR02": frozenset({"DS101", "DS103"}),
}
_OBJECT_RE = re.compile(r"^(DOC\d+): [A-Za-z ]+? `([^`]+)`:? ?(.*)", re.DOTALL)


@dataclass(frozen=True)
class Case:
    """One object of one fixture, as a peer and docsync judge it for one peer code."""

    peer: str
    file: str
    obj: str
    code: str
    kind: str  # "agree", "miss" (only the peer flags) or "extra" (only docsync flags)
    docsync: tuple[str, ...]
    message: str = ""  # the peer's message, for agreements and misses


def peer_venv() -> Path:
    """A venv in the cache with the peers and pytest, created once."""
    home = sdists.CACHE / "peers-venv"
    python = home / "bin" / "python"
    if not python.exists():
        venv.create(home, with_pip=True)
        pins = [PYDOCLINT, NUMPYDOC, "pytest"]
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *pins], check=True)
    return python


def record_pydoclint(root: Path, python: Path) -> list[dict[str, object]]:
    """Run pydoclint's tests with the recorder; the calls of the tests that passed."""
    record = sdists.CACHE / "peers" / "pydoclint-record.json"
    env = {**os.environ, "PEERS_RECORD": str(record), "PYTHONPATH": str(HERE)}
    tests = ["tests/test_main.py", "tests/test_edge_cases.py"]
    command = [str(python), "-m", "pytest", "-q", "-p", "peers_recorder", "-p", "no:cacheprovider"]
    subprocess.run([*command, *tests], cwd=root, env=env, check=False, capture_output=True)
    calls: list[dict[str, object]] = json.loads(record.read_text(encoding="utf-8"))
    return calls


def pydoclint_defaults(python: Path) -> dict[str, object]:
    """The keyword defaults of pydoclint's ``_checkFile``, read in the peers' venv."""
    code = (
        "import inspect, json; from pydoclint.main import _checkFile; "
        "print(json.dumps({k: p.default for k, p in inspect.signature(_checkFile).parameters"
        ".items() if p.default is not inspect.Parameter.empty and "
        "isinstance(p.default, (bool, int, str))}))"
    )
    out = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True)
    defaults: dict[str, object] = json.loads(out.stdout)
    return defaults


def closest_calls(
    calls: list[dict[str, object]], defaults: dict[str, object]
) -> dict[str, dict[str, object]]:
    """Per fixture file, the recorded call whose options differ least from the defaults."""

    def distance(call: dict[str, object]) -> int:
        options = call["options"]
        assert isinstance(options, dict)
        return sum(1 for k, v in options.items() if k != "style" and defaults.get(k) != v)

    chosen: dict[str, dict[str, object]] = {}
    for call in calls:
        file = str(call["file"])
        if file not in chosen or distance(call) < distance(chosen[file]):
            chosen[file] = call
    return chosen


def run_docsync(root: Path, files: list[str], style: str) -> dict[str, set[tuple[str, str]]]:
    """docsync's findings per file (relative to ``root``): (object, code) pairs."""
    command = [sys.executable, "-m", "docsync", "check", "--format", "json", "--no-cache"]
    command += ["--no-pages", "--exit-zero", "--style", style, *files]
    out = subprocess.run(command, cwd=root, check=True, capture_output=True, text=True)
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for finding in json.loads(out.stdout)["findings"]:
        path = str(finding["path"])
        found[path].add((object_name(path, str(finding["symbol"])), str(finding["code"])))
    return found


def object_name(path: str, qualname: str) -> str:
    """The qualified name without its module part (``case.MyClass.f`` → ``MyClass.f``)."""
    parts = path.removesuffix(".py").split("/")
    for start in range(len(parts)):
        prefix = ".".join(parts[start:]) + "."
        if qualname.startswith(prefix):
            return qualname[len(prefix) :]
    return qualname


def compare(
    peer: str,
    file: str,
    flagged: dict[str, dict[str, str]],
    found: set[tuple[str, str]],
    codes: dict[str, frozenset[str]],
) -> list[Case]:
    """The cases of one fixture: per peer code, its objects (with messages) against docsync's."""
    cases = []
    for code, ours in codes.items():
        peer_objects = flagged.get(code, {})
        docsync_objects = {obj for obj, ds in found if ds in ours}
        for obj in sorted(set(peer_objects) | docsync_objects):
            mine = tuple(sorted(ds for o, ds in found if o == obj and ds in ours))
            if obj in peer_objects:
                kind = "agree" if obj in docsync_objects else "miss"
            else:
                kind = "extra"
            message = " ".join(peer_objects.get(obj, "").split())
            cases.append(Case(peer, file, obj, code, kind, mine, message))
    return cases


def pydoclint_cases(python: Path) -> list[Case]:
    """Every case of pydoclint's fixtures: the default options, then ``--check-arg-defaults``."""
    root = sdists.download(PYDOCLINT, area="peers")
    calls = record_pydoclint(root, python)
    defaults = pydoclint_defaults(python)
    cases = _pass(root, closest_calls(calls, defaults), PYDOCLINT_CODES, "")
    with_defaults = [call for call in calls if _option(call, "checkArgDefaults")]
    chosen = closest_calls(with_defaults, {**defaults, "checkArgDefaults": True})
    return cases + _pass(root, chosen, ARG_DEFAULTS_CODES, "-defaults")


def _option(call: dict[str, object], name: str) -> object:
    options = call["options"]
    assert isinstance(options, dict)
    return options.get(name)


def _pass(
    root: Path,
    chosen: dict[str, dict[str, object]],
    codes: dict[str, frozenset[str]],
    suffix: str,
) -> list[Case]:
    """Compare docsync with the chosen call of each fixture, for ``codes``."""
    by_style: dict[str, list[str]] = defaultdict(list)
    violations: dict[str, list[list[object]]] = {}
    for file, call in chosen.items():
        path = Path(file).resolve()
        if not path.is_relative_to(root):
            continue  # a copy in a temporary folder (pydoclint's stub-file tests)
        relative = str(path.relative_to(root))
        if relative.endswith(".py") and "syntax_error" not in relative:
            by_style[str(_option(call, "style") or "numpy")].append(relative)
            found = call["violations"]
            assert isinstance(found, list)
            violations[relative] = found
    cases = []
    for style, files in sorted(by_style.items()):
        found = run_docsync(root, sorted(files), style)
        for relative in sorted(files):
            flagged: dict[str, dict[str, str]] = defaultdict(dict)
            for _line, _code, text in violations[relative]:
                match = _OBJECT_RE.match(str(text))
                if match is not None:
                    flagged[match.group(1) + suffix].setdefault(match.group(2), match.group(3))
            cases += compare("pydoclint", relative, flagged, found[relative], codes)
    return cases


def numpydoc_expected(source: str) -> tuple[dict[str, dict[str, str]], set[str]]:
    """From ``test_validate.py``: PR01/PR02 objects, and the objects numpydoc finds clean."""
    flagged: dict[str, dict[str, str]] = defaultdict(dict)
    clean: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            if not (isinstance(decorator, ast.Call) and len(decorator.args) >= 2):
                continue
            values = decorator.args[1]
            if not isinstance(values, (ast.List, ast.Tuple)):
                continue
            for item in values.elts:
                _expected_item(node.name, item, flagged, clean)
    return flagged, clean


def _expected_item(
    test: str, item: ast.expr, flagged: dict[str, dict[str, str]], clean: set[str]
) -> None:
    if test == "test_good_functions" and isinstance(item, ast.Constant):
        clean.add(f"GoodDocStrings.{item.value}")
        return
    if not (isinstance(item, ast.Tuple) and len(item.elts) >= 3):
        return
    klass, func, messages = item.elts[:3]
    if not (isinstance(klass, ast.Constant) and isinstance(func, ast.Constant)):
        return
    obj = f"{klass.value}.{func.value}"
    texts = [e.value for e in ast.walk(messages) if isinstance(e, ast.Constant)]
    for text in texts:
        if not isinstance(text, str):
            continue
        if text.startswith("Parameters {") and "not documented" in text:
            flagged["PR01"][obj] = text
        elif text.startswith("Unknown parameters"):
            flagged["PR02"][obj] = text


def numpydoc_cases() -> tuple[list[Case], list[str]]:
    """The PR01/PR02 cases, and docsync's findings on the objects numpydoc finds clean."""
    root = sdists.download(NUMPYDOC, area="peers")
    relative = "numpydoc/tests/test_validate.py"
    flagged, clean = numpydoc_expected((root / relative).read_text(encoding="utf-8"))
    found = run_docsync(root, [relative], "numpy")[relative]
    on_clean = sorted(f"{obj} {code}" for obj, code in found if obj in clean)
    return compare("numpydoc", relative, flagged, found, NUMPYDOC_CODES), on_clean


def load_classes() -> list[dict[str, str]]:
    """The classification entries of ``peers_classified.toml``, in order."""
    with CLASSIFIED.open("rb") as handle:
        entries: list[dict[str, str]] = tomllib.load(handle)["case"]
    return entries


def classify(case: Case, entries: list[dict[str, str]]) -> tuple[str, str]:
    """The class and reason of the first entry matching ``case`` (unclassified if none)."""
    for entry in entries:
        if entry.get("peer", case.peer) != case.peer or entry.get("kind", case.kind) != case.kind:
            continue
        if not fnmatch.fnmatchcase(case.code, entry.get("code", "*")):
            continue
        if not fnmatch.fnmatchcase(case.file, entry.get("file", "*")):
            continue
        if not fnmatch.fnmatchcase(case.obj, entry.get("object", "*")):
            continue
        if not fnmatch.fnmatchcase(case.message, entry.get("message", "*")):
            continue
        return entry["class"], entry["reason"]
    return "unclassified", ""


def print_table(cases: list[Case], entries: list[dict[str, str]]) -> None:
    """Per peer code: agreements, misses and extras, and the disagreements by class."""
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for case in cases:
        counts[case.peer, case.code][case.kind] += 1
        if case.kind != "agree":
            counts[case.peer, case.code][classify(case, entries)[0]] += 1
    head = ("peer code", "docsync", "agree", "miss", "extra", "wrong", "policy", "debatable", "?")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    mapping = {**PYDOCLINT_CODES, **ARG_DEFAULTS_CODES, **NUMPYDOC_CODES}
    total: Counter[str] = Counter()
    for (peer, code), count in sorted(counts.items()):
        total.update(count)
        row = [f"{peer} {code}", ", ".join(sorted(mapping[code])) or "(none)"]
        row += [str(count[k]) for k in ("agree", "miss", "extra", "docsync-wrong", "policy")]
        row += [str(count["peer-debatable"]), str(count["unclassified"])]
        print("| " + " | ".join(row) + " |")
    keys = ("agree", "miss", "extra", "docsync-wrong", "policy", "peer-debatable", "unclassified")
    print("| total | | " + " | ".join(str(total[k]) for k in keys) + " |")


def main() -> None:
    """Run both comparisons and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every disagreement")
    args = parser.parse_args()
    python = peer_venv()
    entries = load_classes()
    cases = pydoclint_cases(python)
    numpydoc, on_clean = numpydoc_cases()
    cases += numpydoc
    print_table(cases, entries)
    print(f"\nnumpydoc's clean objects with a docsync finding: {len(on_clean)}")
    for line in on_clean:
        print(f"  {line}")
    for case in cases:
        if case.kind == "agree":
            continue
        klass, reason = classify(case, entries)
        if args.list or klass == "unclassified":
            found = ",".join(case.docsync) or "-"
            where = f"{case.file.removeprefix('tests/test_data/')}::{case.obj}"
            print(f"{klass:15} {case.kind:5} {case.code} {where} [{found}] {reason}")
            if case.message and klass == "unclassified":
                print(f"    {case.message[:200]}")


if __name__ == "__main__":
    main()
