"""A page that still states the old minimum Python after the change raised it.

Base mode only.  When the change raises the lower bound of the project's
``requires-python`` (``pyproject.toml`` ``[project]``, read at the base and at the
head), a prose line that states the old minimum as the requirement is reported:
``**Python 3.7+**``, ``Python >= 3.7``, ``Python 3.7 or newer``, ``requires Python
3.7``.  Only that version, only right after ``Python``/``CPython``, only outside code
blocks, raw HTML and history pages, and not on a line saying support was dropped.  A bound
docsync cannot read (``>=3.8; extra``, ``>=3.*``) judges nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docsync.models import Evidence, Finding, Page, Severity
from docsync.rules.code_blocks import page_finding
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet  # imports GitPython: only for type checking

__all__ = ["OLD_PYTHON", "old_python_findings", "python_floor"]

OLD_PYTHON = Rule(
    code="DS711",
    slug="page-old-python-version",
    summary="A page states the minimum Python the change raised (`Python 3.7+` after `>=3.8`).",
    severity=Severity.WARNING,
    description=(
        "Base mode only. When the change raises the lower bound of `requires-python` "
        "(`pyproject.toml` `[project]`), a prose line stating the old minimum as the "
        "requirement (`Python 3.7+`, `Python >= 3.7`, `Python 3.7 or newer`, `requires "
        "Python 3.7`, with or without emphasis) is reported. Other versions, lines saying "
        "support was dropped, code blocks and history pages are not judged."
    ),
    kind=RuleKind.PAGE,
    examples=Examples("pages", "OLD_PYTHON_FLAG", "OLD_PYTHON_KEEP"),
    fix=FixKind.PROSE,
)

_CLAUSE = re.compile(r"(~=|===|==|!=|>=|<=|>|<)\s*(\d+(?:\.\d+)*(?:\.\*)?)")
_PAST = re.compile(
    r"\b(drop(?:s|ped|ping)?|remov(?:e|es|ed|ing)|no\s+longer|deprecat\w*|end[- ]of[- ]life"
    r"|eol|previous(?:ly)?|used\s+to|legacy|last\s+(?:version|release))\b",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"[*_`]")


def python_floor(spec: str | None) -> tuple[int, int] | None:
    """The lowest Python minor version a ``requires-python`` specifier set admits.

    ``>=3.8``, ``>=3.8,<4``, ``~=3.8``, ``==3.8.*`` and ``>=3.8.1`` give ``(3, 8)``;
    ``>3.7`` gives ``(3, 7)`` (3.7.1 is admitted).  Clauses that set no lower
    bound (``<4``, ``!=3.9.*``) are skipped.

    Args:
        spec: The specifier set as written, or ``None``.

    Returns:
        ``(major, minor)``, or ``None`` when there is no lower bound or a clause cannot
        be read (``>=3.*``, ``>=3.8; python_version``, an arbitrary ``===`` string).
    """
    if spec is None or len(spec) > 500:
        return None
    floor: tuple[int, int] | None = None
    for raw in spec.split(","):
        clause = raw.strip()
        if not clause:
            continue
        match = _CLAUSE.fullmatch(clause)
        if match is None:
            return None
        operator, version = match.groups()
        if operator in ("<", "<=", "!="):
            continue
        parts = version.removesuffix(".*").split(".")
        if "*" in version.removesuffix(".*") or operator == "===" or len(parts) < 2:
            return None
        bound = (int(parts[0]), int(parts[1]))
        floor = bound if floor is None else max(floor, bound)
    return floor


def _statement(version: str) -> re.Pattern[str]:
    """The ways a line states ``version`` as the minimum Python."""
    v = re.escape(version) + r"(?:\.\d+)?(?![\d.]*\d)"
    python = r"\bc?python(?:\s+version)?"
    return re.compile(
        rf"{python}\s*{v}\s*\+"
        rf"|{python}\s*(?:>=|≥|&gt;=)\s*{v}"
        rf"|{python}\s*{v}\s*(?:,\s*)?(?:or|and)\s+(?:newer|later|higher|above|greater|up)\b"
        rf"|\brequires?\s+(?:at\s+least\s+)?{python}\s*{v}",
        re.IGNORECASE,
    )


def old_python_findings(page: Page, changes: ChangeSet) -> list[Finding]:
    """The lines of a page that state the minimum Python the change raised.

    Args:
        page: A scanned page (not a history page: the caller skips those).
        changes: The change set of ``--base``.

    Returns:
        One DS711 finding per line.
    """
    base_spec, head_spec = changes.requires_python
    old, new = python_floor(base_spec), python_floor(head_spec)
    if old is None or new is None or new <= old or not page.python_lines:
        return []
    shown = f"{old[0]}.{old[1]}"
    states = _statement(shown)
    findings: list[Finding] = []
    for line, text in page.python_lines:
        plain = _MARKUP.sub("", text)
        if not states.search(plain) or _PAST.search(plain):
            continue
        findings.append(
            page_finding(
                OLD_PYTHON,
                page,
                line,
                f"the page says Python {shown}+; this change raised requires-python to "
                f"{head_spec} (pyproject.toml)",
                subject="requires-python",
                text=text.strip(),
                evidence=Evidence(documented=f"Python {shown}+", actual=head_spec),
                fix_hint=f"state the new minimum, Python {new[0]}.{new[1]}",
            )
        )
    return findings
