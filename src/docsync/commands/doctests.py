"""Run the ``>>>`` sessions of pages in a subprocess (opt-in ``--run-examples``).

The sessions of one page run in order, sharing one namespace as a reader
following the page would, with :mod:`doctest` (``ELLIPSIS`` and
``NORMALIZE_WHITESPACE`` on) in a fresh subprocess of :data:`sys.executable`:
the working directory is the project root, the project's source directories are
on ``sys.path``, and each page has a timeout.  What each page's run gives back is
judged by DS707 ``example-failed`` (:mod:`docsync.rules.doctests`).

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
from pathlib import Path

from docsync.models import CodeBlock, Diagnostic
from docsync.rules.doctests import SessionFailure, SessionOutcome, session_blocks
from docsync.scan.docs import Docs

__all__ = ["run_page_sessions", "run_sessions"]

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


def run_page_sessions(docs: Docs, *, timeout: float = 60.0) -> dict[str, SessionOutcome]:
    """Run the sessions of every page of a site, one subprocess per page.

    Args:
        docs: The loaded site; its root is the working directory, and the root,
            ``src`` and the mkdocstrings paths are put on ``sys.path``.
        timeout: Seconds each page's sessions may run.

    Returns:
        Page path → its failures (empty when every example passed), or a diagnostic
        when the run timed out or could not run; pages without sessions are left out.
    """
    root = docs.site.root
    search = [str(root), str(root / "src"), *(str(root / p) for p in docs.search_paths)]
    outcomes: dict[str, SessionOutcome] = {}
    for page in docs.pages:
        blocks = session_blocks(page)
        if blocks:
            outcomes[page.path] = run_sessions(page.path, blocks, root, search, timeout)
    return outcomes


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
