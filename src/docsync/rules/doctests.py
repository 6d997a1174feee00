"""Run the ``>>>`` sessions of pages (opt-in ``--run-examples``): DS707 ``example-failed``.

The sessions of one page run in order, sharing one namespace as a reader
following the page would, with :mod:`doctest` (``ELLIPSIS`` and
``NORMALIZE_WHITESPACE`` on) in a fresh subprocess of :data:`sys.executable`:
the working directory is the project root, the project's source directories are
on ``sys.path``, and each page has a timeout.  The first failure of a page is
reported at its page line; later ones usually follow from it.

Never on by default: the sessions are code from the repository, and running
them on an untrusted pull request runs that code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docsync.models import CodeBlock, Diagnostic, Evidence, Finding, Page, Severity
from docsync.rules.code_blocks import page_finding
from docsync.rules.examples import pages as examples
from docsync.rules.rule import FixKind, Rule

__all__ = ["EXAMPLE_FAILED", "SessionFailure", "run_page_examples", "run_sessions"]

EXAMPLE_FAILED = Rule(
    code="DS707",
    slug="example-failed",
    summary="A `>>>` session on a page fails when run (with `--run-examples`).",
    severity=Severity.WARNING,
    description=(
        "Opt-in: the sessions of each page run in a subprocess, in the project root, with "
        "a timeout per page; the first failure of each page is reported."
    ),
    must_flag=examples.EXAMPLE_FAILED_FLAG,
    must_not_flag=examples.EXAMPLE_FAILED_KEEP,
    fix=FixKind.NONE,
    llm=False,
)

_MARKER = "@@docsync-run-examples@@"

# Runs in the subprocess: reads {"paths", "page", "blocks"} on stdin, prints the
# failures as JSON after a marker line (the examples may print too).
_RUNNER = textwrap.dedent(
    """
    import doctest, json, sys, traceback
    payload = json.load(sys.stdin)
    sys.path[:0] = payload["paths"]
    failures = []

    class Runner(doctest.DocTestRunner):
        def report_failure(self, out, test, example, got):
            line = test.lineno + example.lineno + 1
            failures.append([line, example.source, example.want, got, "", ""])

        def report_unexpected_exception(self, out, test, example, exc_info):
            got = "".join(traceback.format_exception_only(exc_info[0], exc_info[1]))
            line = test.lineno + example.lineno + 1
            missing = getattr(exc_info[1], "name", None) or ""
            error = exc_info[0].__name__
            failures.append([line, example.source, example.want, got, error, missing])

    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    runner = Runner(optionflags=flags)
    namespace = {"__name__": "__main__"}
    parser = doctest.DocTestParser()
    for text, first_line in payload["blocks"]:
        test = parser.get_doctest(text, namespace, "page", payload["page"], first_line - 1)
        runner.run(test, out=lambda _text: None, clear_globs=False)
        if failures:
            break
    sys.__stdout__.write("\\n" + MARKER + json.dumps(failures) + "\\n")
    """
).replace("MARKER", repr(_MARKER))


@dataclass(frozen=True)
class SessionFailure:
    """One failing example: its page line, source, expected and actual output.

    ``error`` is the name of the exception it raised (empty when the output
    differed), and ``missing`` the name a ``NameError``/``ModuleNotFoundError``
    could not find.
    """

    line: int
    source: str
    want: str
    got: str
    error: str = ""
    missing: str = ""

    def is_environmental(self, project_names: frozenset[str]) -> bool:
        """Whether the failure says the session cannot run here, rather than that it drifted.

        A module that is not the project's is missing (a dependency, or a made-up
        ``myproject``), or a name the page defines in prose or elsewhere is undefined.

        Args:
            project_names: The project's top-level packages and modules.

        Returns:
            True for those failures.
        """
        if self.error == "NameError":
            return True
        if self.error == "ModuleNotFoundError":
            return self.missing.partition(".")[0] not in project_names
        return False


def run_page_examples(
    pages: Sequence[Page],
    root: Path,
    *,
    paths: Sequence[str] = (),
    timeout: float = 60.0,
    project_names: frozenset[str] = frozenset(),
) -> tuple[list[Finding], list[Diagnostic]]:
    """Run the sessions of every page and report the first failure of each.

    Args:
        pages: The scanned pages.
        root: The project root: the working directory, and the base of ``paths``.
        paths: More directories to put on ``sys.path`` (the root and ``src`` always are).
        timeout: Seconds each page's sessions may run.
        project_names: The project's top-level packages and modules: a missing module
            among them is drift, any other missing module is the environment's.

    Returns:
        DS707 findings, and diagnostics for pages whose sessions timed out, could not
        run, or failed for want of a dependency or of a name defined outside them.
    """
    search = [str(root), str(root / "src"), *(str(root / p) for p in paths)]
    findings: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    for page in pages:
        blocks = [b for b in page.code_blocks if b.is_session and not b.historical]
        if not blocks:
            continue
        outcome = run_sessions(page.path, blocks, root, search, timeout)
        if isinstance(outcome, Diagnostic):
            diagnostics.append(outcome)
            continue
        for failure in outcome[:1]:
            block = next((b for b in blocks if b.line <= failure.line <= b.end_line), blocks[0])
            if failure.is_environmental(project_names):
                reason = _short(failure.got)
                message = f"the page's examples cannot run here ({reason}); not checked"
                diagnostics.append(Diagnostic(page.path, failure.line, message, Severity.INFO))
            elif not page.is_suppressed(EXAMPLE_FAILED.code, failure.line, block.line):
                findings.append(_finding(page, failure))
    return findings, diagnostics


def run_sessions(
    page_path: str,
    blocks: Sequence[CodeBlock],
    root: Path,
    paths: Sequence[str],
    timeout: float,
) -> list[SessionFailure] | Diagnostic:
    """Run some sessions of one page in a subprocess.

    Args:
        page_path: The page's path, for messages.
        blocks: Its session blocks, in page order.
        root: The working directory.
        paths: Directories to put first on ``sys.path``.
        timeout: Seconds the whole run may take.

    Returns:
        The failures (empty when every example passed), or a diagnostic when the
        run timed out or the runner itself failed.
    """
    payload = {
        "paths": list(paths),
        "page": page_path,
        "blocks": [[textwrap.dedent(b.text), b.text_line] for b in blocks],
    }
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", _RUNNER],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            cwd=root,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        message = f"the page's examples did not finish within {timeout:g} s; not checked"
        return Diagnostic(page_path, blocks[0].line, message)
    except OSError as exc:
        return Diagnostic(page_path, blocks[0].line, f"cannot run the page's examples: {exc}")
    return _parse_output(page_path, blocks[0].line, done)


def _parse_output(
    page_path: str, line: int, done: subprocess.CompletedProcess[str]
) -> list[SessionFailure] | Diagnostic:
    _, marker, report = done.stdout.rpartition(_MARKER)
    if not marker:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Diagnostic(page_path, line, f"the page's examples could not run: {tail}")
    try:
        rows = json.loads(report)
    except json.JSONDecodeError:
        return Diagnostic(page_path, line, "the example runner's report was not readable")
    return [SessionFailure(int(r[0]), *(str(v) for v in r[1:6])) for r in rows]


def _finding(page: Page, failure: SessionFailure) -> Finding:
    source = failure.source.strip()
    lines = failure.got.strip().splitlines()
    got = _short(lines[-1] if lines and lines[0].startswith("Traceback") else failure.got)
    want = _short(failure.want) or "no output"
    message = f"the example `{_short(source)}` fails when run: expected {want}, got {got}"
    return page_finding(
        EXAMPLE_FAILED,
        page,
        failure.line,
        message,
        subject=source,
        text=source,
        evidence=Evidence(documented=failure.want.rstrip("\n"), actual=failure.got.rstrip("\n")),
        fix_hint="update the expected output, or the example, to match what the code does",
    )


def _short(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
