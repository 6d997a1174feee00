"""Run docsync on generated hostile inputs and check every promise it makes about them.

For each :class:`~robustness_cases.Case` a worker builds the repository (with a
sentinel directory ``outside/`` next to it), then runs, in-process through click's
``CliRunner``: ``check``, ``check --format json``, ``check --base HEAD``,
``fix --diff``, ``fix``, ``fix`` again (and ``fix --diff --base HEAD`` for git
states; ``--llm`` against the fake Messages API for LLM cases).  It asserts:

- exit code 0, 1 or 2 and no traceback; every run done within 60 s (``SIGALRM``);
- no open of a FIFO or device without ``O_NONBLOCK`` and no write, rename or
  removal outside the repository (an audit hook), and the sentinel files intact;
- code unchanged (the AST without docstrings) in every Python file ``fix`` changed;
- a second ``fix`` changes nothing; ``fix --diff`` changes nothing;
- the patch passes ``git apply --check`` and, applied to a copy, gives exactly the
  files ``fix`` writes.

``python tests/robustness_suite.py --seed N --cases 1200 --workers 2`` prints a table
per category (``benchmarks/robustness.py`` calls it); ``tests/test_robustness.py``
runs a fast subset.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from click.testing import CliRunner

from docsync.cli import main
from fake_anthropic import FakeAnthropic, Reply, error_reply, json_reply, stop_reply, tool_reply
from helpers_git import make_env
from robustness_cases import CATEGORIES, Case, Special, generate

TIMEOUT = 60
_NONBLOCK_OK = {"/dev/null", "/dev/urandom", "/dev/random", "/dev/tty"}


@dataclasses.dataclass
class Outcome:
    """What one case did: exit codes per command, crashes, hangs, broken promises."""

    category: str
    name: str
    codes: dict[str, int] = dataclasses.field(default_factory=dict)
    crashes: list[str] = dataclasses.field(default_factory=list)
    hangs: list[str] = dataclasses.field(default_factory=list)
    violations: list[str] = dataclasses.field(default_factory=list)
    fix_wrote: bool = False
    seconds: float = 0.0


class _Hang(BaseException):
    """Raised by the alarm: a command ran past :data:`TIMEOUT`."""


class _Watch:
    """The audit hook's state: the repository being watched, and what it saw."""

    root: str | None = None
    seen: list[str] = []  # noqa: RUF012


def _audit(event: str, args: tuple[Any, ...]) -> None:
    root = _Watch.root
    if root is None:
        return
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path, mode, flags = os.fsdecode(args[0]), args[1], args[2]
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int)
            and flags != -1
            and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC)
        )
        _check_open(root, path, bool(writes), flags if isinstance(flags, int) else -1)
    elif event in ("os.rename", "os.replace", "os.remove", "os.rmdir", "os.symlink", "os.chmod"):
        for arg in args[:2]:
            if isinstance(arg, (str, bytes, os.PathLike)):
                _check_write(root, os.fsdecode(arg), event)


def _check_open(root: str, path: str, writes: bool, flags: int) -> None:
    absolute = str(Path(path).absolute())
    if writes:
        _check_write(root, absolute, "open for writing")
        return
    try:
        info = Path(absolute).stat()
    except (OSError, ValueError):
        return
    special = not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode))
    blocking = flags == -1 or not flags & os.O_NONBLOCK
    if special and blocking and os.path.realpath(absolute) not in _NONBLOCK_OK:
        _Watch.seen.append(f"opened a non-regular file: {path!r}")


def _check_write(root: str, path: str, what: str) -> None:
    real = os.path.realpath(Path(path).absolute())
    if real != "/dev/null" and not (real + os.sep).startswith(root + os.sep):
        _Watch.seen.append(f"{what} outside the repository: {path!r}")


# --- building a repository -----------------------------------------------------------


def _write(root: Path, outside: Path, rel: str, value: str | bytes | Special) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    if isinstance(value, Special):
        if value.kind == "fifo":
            os.mkfifo(path)
        else:
            target = value.target.replace("@outside", str(outside))
            path.symlink_to(target if target.startswith("/") else root / target)
    else:
        path.write_bytes(value.encode("utf-8") if isinstance(value, str) else value)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)


def build(case: Case, work: Path) -> tuple[Path, Path]:
    """The case's repository and its sentinel directory, under ``work``."""
    root, outside = work / "repo", work / "outside"
    root.mkdir()
    outside.mkdir()
    for name in ("victim.py", "victim.md", "victim.yml"):
        (outside / name).write_text(
            '"""Victim."""\n\n\ndef f(a):\n    """Do.\n\n    Args:\n        b: x.\n    """\n'
            if name.endswith(".py")
            else "# Victim\n",
            encoding="utf-8",
        )
    (outside / "page.md").write_text("# Outside\n", encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    for rel, value in case.base.items():
        _write(root, outside, rel, value)
    if case.git != "no-commit":
        _git(root, "add", "-A")
        _git(root, "commit", "-qm", "base")
    for rel, value in case.files.items():
        _write(root, outside, rel, value)
    _git_state(root, case.git)
    return root, outside


def _git_state(root: Path, state: str) -> None:
    index = root / ".git" / "index"
    if state == "corrupt-index":
        index.write_bytes(b"DIRC" + bytes(range(256)) * 3)
    elif state == "truncated-index" and index.exists():
        index.write_bytes(index.read_bytes()[:20])
    elif state == "detached":
        _git(root, "checkout", "-q", "--detach")
    elif state == "renamed":
        _git(root, "add", "-A")
        _git(root, "mv", "pkg/mod.py", "pkg/renamed.py")
    elif state == "deleted":
        (root / "pkg" / "__init__.py").unlink()
    elif state == "untracked":
        (root / "pkg" / "new.py").write_text(
            "def g(x):\n    '''Do.\n\n    Args:\n        y: z.\n    '''\n", encoding="utf-8"
        )
    elif state == "garbage-head":
        (root / ".git" / "HEAD").write_text("ref: refs/heads/../../../x\n", encoding="utf-8")


def _craft_cache(root: Path, outside: Path, kind: str) -> None:
    """Damage the entries of a warm cache the way ``kind`` says."""
    from docsync.scan.cache import decode_result, encode_result  # the format under test

    entries = sorted((root / ".docsync-cache").rglob("*.pickle"))
    for number, entry in enumerate(entries):
        blob = entry.read_bytes()
        result = decode_result(blob)
        if kind == "garbage":
            entry.write_bytes(hashlib.sha256(blob).digest() * 50)
        elif kind == "truncated":
            entry.write_bytes(blob[: len(blob) // 2])
        elif kind == "fifo":
            entry.unlink()
            os.mkfifo(entry)
        elif result is not None and result.module is not None:
            module = result.module
            if kind == "wrong-types":
                bad: Any = [module.symbols, "symbols", 7, None][number % 4]
                module = dataclasses.replace(module, symbols=bad)
            elif kind == "other-path":
                module = dataclasses.replace(module, path="pkg/other.py")
            else:  # outside-path
                module = dataclasses.replace(module, path=f"../{outside.name}/victim.py")
            entry.write_bytes(encode_result(dataclasses.replace(result, module=module)))


# --- the fake model ------------------------------------------------------------------


def _responder(kinds: tuple[str, ...], api_key: str) -> Any:
    counter = iter(range(10**9))

    def respond(body: dict[str, Any]) -> Reply:
        kind = kinds[next(counter) % len(kinds)]
        first = body["messages"][0]["content"]
        text = first if isinstance(first, str) else json.dumps(first)
        start = text.find("for symbol `")
        symbol = text[start + 12 : text.find("`", start + 12)] if start >= 0 else "x"
        docstrings = {
            "code-in-docstring": 'Do it.\n"""\nimport os\nos.system("x")\n"""',
            "triple-quotes": "Do ''' it \"\"\" now.",
            "backslashes": "Path C:\\new\\x and \\N{BAD} end\\",
            "huge": "Word " * 40000,
            "secret-echo": f"Use key {api_key} here.",
            "fine": "Do it.\n\nArgs:\n    a0: The a0.\n\nReturns:\n    The value.",
        }
        if kind == "not-json":
            return stop_reply("end_turn", "not { json")
        if kind == "server-error":
            return error_reply(400, "invalid_request_error", "no")
        if kind == "refusal":
            return stop_reply("refusal")
        payload = {
            "symbol": "other.thing" if kind == "wrong-symbol" else symbol,
            "new_docstring": docstrings.get(kind, "Do it."),
            "rationale": "From the code.",
            "verdict": "edit",
        }
        if "output_config" in body:
            return json_reply(payload, model=body["model"])
        tool = body.get("tools", [{}])[0].get("name", "propose_docstring")
        return tool_reply(tool, payload, model=body["model"])

    return respond


# --- running one case ----------------------------------------------------------------


def _snapshot(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for directory, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", ".docsync-cache")]
        for name in names:
            path = Path(directory, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                files[rel] = b"-> " + os.fsencode(path.readlink())
            elif stat.S_ISREG(path.lstat().st_mode):
                files[rel] = path.read_bytes()
    return files


def _code(source: bytes) -> str | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:]
    try:
        return ast.dump(tree)
    except RecursionError:
        return None


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise _Hang

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _invoke(outcome: Outcome, root: Path, label: str, args: list[str], env: dict[str, str]) -> Any:
    runner = CliRunner()
    _Watch.root, _Watch.seen = os.path.realpath(root), []
    old = Path.cwd()
    os.chdir(root)
    try:
        with _alarm(TIMEOUT):
            result = runner.invoke(main, args, env=env, catch_exceptions=True)
    except _Hang:
        outcome.hangs.append(label)
        return None
    finally:
        _Watch.root = None
        os.chdir(old)
    outcome.violations += [f"{label}: {seen}" for seen in _Watch.seen]
    code = result.exit_code
    outcome.codes[label] = code
    text = result.output
    exception = result.exception
    if isinstance(exception, _Hang):
        outcome.hangs.append(label)
    elif exception is not None and not isinstance(exception, SystemExit):
        outcome.crashes.append(f"{label}: {type(exception).__name__}: {exception}"[:300])
    elif "Traceback (most recent call last)" in text:
        outcome.crashes.append(f"{label}: a traceback in the output")
    elif code not in (0, 1, 2):
        outcome.violations.append(f"{label}: exit code {code}")
    return result


def run_case(case: Case, fake: FakeAnthropic | None = None) -> Outcome:
    """Build and run one case; never raises for what docsync does."""
    outcome = Outcome(case.category, case.name)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="docsync-robust-") as temp:
        work = Path(temp)
        root, outside = build(case, work)
        env = {"DOCSYNC_ROBUST_SECRET": "s3cr3t-robust-token-value"}
        llm: list[str] = []
        if case.llm and fake is not None:
            fake.responder = _responder(case.llm, fake.api_key)
            env |= {"ANTHROPIC_API_KEY": fake.api_key, "ANTHROPIC_BASE_URL": fake.url}
            llm = ["--llm"]
        if case.cache:
            _invoke(outcome, root, "check (warm-up)", ["check"], env)
            _craft_cache(root, outside, case.cache)
        sentinel = _snapshot(outside)
        _run_commands(case, outcome, root, work, env, llm)
        if _snapshot(outside) != sentinel:
            outcome.violations.append("a file outside the repository changed")
    outcome.seconds = time.monotonic() - started
    return outcome


def _run_commands(
    case: Case, outcome: Outcome, root: Path, work: Path, env: dict[str, str], llm: list[str]
) -> None:
    secret = env["DOCSYNC_ROBUST_SECRET"]
    for label, args in (
        ("check", ["check"]),
        ("check --format json", ["check", "--format", "json"]),
        ("check --base HEAD", ["check", "--base", "HEAD"]),
    ):
        result = _invoke(outcome, root, label, args, env)
        if result is not None and secret in result.output:
            outcome.violations.append(f"{label}: echoed an !ENV value")
        if result is not None and label.endswith("json") and result.exit_code in (0, 1):
            try:
                json.loads(result.stdout)
            except ValueError:
                outcome.violations.append(f"{label}: the output is not JSON")
    before = _snapshot(root)
    diff = _invoke(outcome, root, "fix --diff", ["fix", "--diff", *llm], env)
    if _snapshot(root) != before:
        outcome.violations.append("fix --diff changed files")
    copy = work / "copy"  # the tree fix --diff saw, for the patch to apply to
    shutil.copytree(root, copy, symlinks=True, ignore=_not_plain)
    shutil.rmtree(copy / ".git", ignore_errors=True)
    fixed = _invoke(outcome, root, "fix", ["fix", *llm], env)
    after = _snapshot(root)
    outcome.fix_wrote = after != before
    for rel in after:
        changed = rel.endswith(".py") and rel in before and after[rel] != before[rel]
        if changed and (_code(before[rel]) is None or _code(before[rel]) != _code(after[rel])):
            outcome.violations.append(f"fix changed code in {rel!r}")
    if diff is not None and fixed is not None:
        _compare_patch(outcome, copy, work, before, after, diff.stdout_bytes)
    again = _invoke(outcome, root, "fix (second)", ["fix", *llm], env)
    if again is not None and _snapshot(root) != after:
        outcome.violations.append("a second fix changed files")
    if case.category == "git":
        _invoke(outcome, root, "fix --diff --base HEAD", ["fix", "--diff", "--base", "HEAD"], env)


def _compare_patch(
    outcome: Outcome,
    copy: Path,
    work: Path,
    before: dict[str, bytes],
    after: dict[str, bytes],
    output: bytes,
) -> None:
    start = output.find(b"diff --git ")
    patch = output[start:] if start >= 0 else b""
    if not patch:
        if after != before:
            outcome.violations.append("fix wrote files that fix --diff did not show")
        return
    end = patch.find(b"\nFix")  # the summary line after the patch, if any
    patch = patch if end < 0 else patch[: end + 1]
    patch_file = work / "fix.patch"
    patch_file.write_bytes(patch)
    checked = subprocess.run(
        ["git", "apply", "--check", str(patch_file)], cwd=copy, capture_output=True, check=False
    )
    applied = subprocess.run(
        ["git", "apply", str(patch_file)], cwd=copy, capture_output=True, check=False
    )
    if checked.returncode != 0 or applied.returncode != 0:
        reason = (checked.stderr or applied.stderr).decode("utf-8", "replace").strip()[:200]
        outcome.violations.append(f"git apply refuses the patch: {reason}")
        return
    patched = _snapshot(copy)
    expected = {k: v for k, v in after.items() if k in patched or k not in before}
    if patched != {k: v for k, v in expected.items() if k in patched}:
        outcome.violations.append("fix --diff and fix differ")


def _not_plain(directory: str, names: list[str]) -> list[str]:
    skipped = []
    for name in names:
        mode = Path(directory, name).lstat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
            skipped.append(name)
    return [*skipped, ".docsync-cache"]


# --- the pool and the table ------------------------------------------------------------

_FAKE: FakeAnthropic | None = None


def _worker_init() -> None:
    global _FAKE
    home = Path(tempfile.mkdtemp(prefix="docsync-robust-home-"))
    os.environ.update({k: v for k, v in make_env(home).items() if k != "PATH"})
    os.environ["ANTHROPIC_MAX_RETRIES"] = "0"
    sys.addaudithook(_audit)
    _FAKE = FakeAnthropic().start()


def _run_indexed(job: tuple[int, int, int]) -> Outcome:
    seed, count, index = job
    return run_case(generate(seed, count)[index], _FAKE)


def run_suite(seed: int, count: int, workers: int = 2, stream: Path | None = None) -> list[Outcome]:
    """Run ``count`` cases of ``seed`` in ``workers`` processes.

    Args:
        seed: The generator's seed.
        count: How many cases.
        workers: How many processes.
        stream: A file that gets each outcome as a JSON line as soon as it is known.

    Returns:
        One outcome per case, in the order they finished.
    """
    jobs = [(seed, count, i) for i in range(count)]
    context = multiprocessing.get_context("fork")
    outcomes = []
    with context.Pool(workers, initializer=_worker_init, maxtasksperchild=50) as pool:
        for outcome in pool.imap_unordered(_run_indexed, jobs, chunksize=1):
            outcomes.append(outcome)
            if stream is not None:
                with stream.open("a", encoding="utf-8") as lines:
                    lines.write(json.dumps(dataclasses.asdict(outcome)) + "\n")
    return outcomes


def table(outcomes: list[Outcome]) -> str:
    """The per-category table of the issue note, in Markdown."""
    rows = ["| category | cases | runs | fix wrote | crashes | hangs | violations |"]
    rows.append("|---|---:|---:|---:|---:|---:|---:|")
    totals = Counter[str]()
    for category in (*CATEGORIES, "total"):
        chosen = [o for o in outcomes if category in ("total", o.category)]
        counts = {
            "cases": len(chosen),
            "runs": sum(len(o.codes) + len(o.hangs) for o in chosen),
            "wrote": sum(o.fix_wrote for o in chosen),
            "crashes": sum(len(o.crashes) for o in chosen),
            "hangs": sum(len(o.hangs) for o in chosen),
            "violations": sum(len(o.violations) for o in chosen),
        }
        if category != "total":
            totals.update(counts)
        rows.append(f"| {category} | " + " | ".join(str(v) for v in counts.values()) + " |")
    return "\n".join(rows)


def problems(outcomes: list[Outcome]) -> list[str]:
    """Every crash, hang and violation, named by case."""
    found = []
    for o in outcomes:
        found += [f"{o.name}: crash: {c}" for c in o.crashes]
        found += [f"{o.name}: hang: {h}" for h in o.hangs]
        found += [f"{o.name}: violation: {v}" for v in o.violations]
    return found


def cli(argv: list[str] | None = None) -> int:
    """``python tests/robustness_suite.py --seed N --cases N --workers N [--json FILE]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=1200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="Append each outcome to this file (JSON lines).")
    parser.add_argument("--table", type=Path, help="Only print the table of a --json file.")
    options = parser.parse_args(argv)
    if options.table:
        lines = options.table.read_text(encoding="utf-8").splitlines()
        done = [Outcome(**json.loads(line)) for line in lines if line.strip()]
        print(table(done))
        print("\n".join(problems(done)))
        return 0
    started = time.monotonic()
    outcomes = run_suite(options.seed, options.cases, options.workers, options.json)
    print(table(outcomes))
    print(f"\n{options.cases} cases, seed {options.seed}, {time.monotonic() - started:.0f} s")
    slowest = max(outcomes, key=lambda o: o.seconds)
    print(f"slowest case: {slowest.name} ({slowest.seconds:.1f} s)")
    found = problems(outcomes)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(cli())
