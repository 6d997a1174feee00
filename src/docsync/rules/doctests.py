"""Judge the ``>>>`` sessions of pages (opt-in ``--run-examples``): DS707 ``example-failed``.

The command layer runs each page's sessions in a subprocess
(:mod:`docsync.commands.doctests`); this rule takes what each run gave back and
reports the first failure of a page at its page line (later ones usually follow
from it), or a diagnostic when the session cannot run here.

Never on by default: the sessions are code from the repository, and running
them on an untrusted pull request runs that code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from docsync.models import CodeBlock, Diagnostic, Evidence, Finding, Page, Severity
from docsync.rules.code_blocks import page_finding
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind

__all__ = [
    "EXAMPLE_FAILED",
    "SessionFailure",
    "SessionOutcome",
    "judge_sessions",
    "session_blocks",
]

EXAMPLE_FAILED = Rule(
    code="DS707",
    slug="example-failed",
    summary="A `>>>` session on a page fails when run (with `--run-examples`).",
    severity=Severity.WARNING,
    description=(
        "Opt-in: the sessions of each page run in a subprocess, in the project root, with "
        "a timeout per page; the first failure of each page is reported."
    ),
    kind=RuleKind.PAGE,
    examples=Examples("pages", "EXAMPLE_FAILED_FLAG", "EXAMPLE_FAILED_KEEP"),
    fix=FixKind.NONE,
    llm=False,
)


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


SessionOutcome: TypeAlias = Sequence[SessionFailure] | Diagnostic
"""What running one page's sessions gave: its failures, or why they could not run."""


def session_blocks(page: Page) -> list[CodeBlock]:
    """The ``>>>`` sessions of a page that are run, in page order.

    Args:
        page: A scanned page.

    Returns:
        Its session blocks, without those about the past.
    """
    return [b for b in page.code_blocks if b.is_session and not b.historical]


def judge_sessions(
    pages: Sequence[Page],
    outcomes: Mapping[str, SessionOutcome],
    project_names: frozenset[str] = frozenset(),
) -> tuple[list[Finding], list[Diagnostic]]:
    """Report the first failure of each page's sessions.

    Args:
        pages: The scanned pages.
        outcomes: Page path → what running its sessions gave (pages that were not
            run are left out).
        project_names: The project's top-level packages and modules: a missing module
            among them is drift, any other missing module is the environment's.

    Returns:
        DS707 findings, and diagnostics for pages whose sessions timed out, could not
        run, or failed for want of a dependency or of a name defined outside them.
    """
    findings: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    for page in pages:
        blocks = session_blocks(page)
        outcome = outcomes.get(page.path)
        if not blocks or outcome is None:
            continue
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
