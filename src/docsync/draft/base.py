"""The drafter protocol: findings on one target in, one edit (or a reason) out.

A *target* is one docstring literal of a Python file or one line range of a page.
A :class:`Drafter` gets a :class:`DraftRequest` (the target, every finding on it,
the file's text, the docstring style, optional change context) and answers with a
:class:`DraftOutcome`, a result union in the style of LibCST codemods:

* :class:`Drafted` -- an :class:`~docsync.models.Edit` for some or all of the
  findings, plus what it left (``left``);
* :class:`NeedsPerson` -- the findings need prose or judgement it cannot give;
* :class:`DraftFailed` -- something went wrong on this target; never an exception.

Drafting is pure: no files, no network (an LLM drafter's client is its one edge).
:func:`run_chain` runs drafters in order, the mechanical one first, each getting
the findings the previous ones left, on the text as the previous ones edited it.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from docsync.apply.linebreaks import line_offsets, split_lines
from docsync.models import Edit, Finding, Location, Page, Project, Style, Symbol
from docsync.scan.docstrings import parse_docstring

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet

__all__ = [
    "ChainOutcome",
    "DocstringTarget",
    "DraftFailed",
    "DraftOutcome",
    "DraftRequest",
    "Drafted",
    "Drafter",
    "NeedsPerson",
    "PageTarget",
    "Target",
    "run_chain",
]


@dataclass(frozen=True)
class DocstringTarget:
    """One docstring literal: the symbol it documents and its source text.

    ``literal`` is the literal as written in the file (prefix, quotes and line
    endings included); its first line is ``symbol.docstring.location.line``.
    """

    symbol: Symbol
    literal: str

    @property
    def line(self) -> int:
        """The file line the literal starts on."""
        return self.symbol.docstring.location.line if self.symbol.docstring else 0

    @property
    def end_line(self) -> int:
        """The file line the literal ends on."""
        return self.line + len(split_lines(self.literal)) - 1

    @property
    def text(self) -> str:
        """The target's current source text (the literal)."""
        return self.literal


@dataclass(frozen=True)
class PageTarget:
    """A line range of a Markdown page and its text, line endings included."""

    path: str
    line: int
    end_line: int
    text: str
    page: Page | None = None


Target = DocstringTarget | PageTarget


@dataclass(frozen=True)
class DraftRequest:
    """Everything a drafter may use to fix the findings on one target.

    ``findings`` are every finding on the target that is left to fix; their
    locations refer to ``file_text``.  ``style`` is the docstring's detected style
    (for a page, the project's default).  ``changes`` is set in base mode, when
    renames are known.
    """

    path: str
    target: Target
    findings: tuple[Finding, ...]
    file_text: str
    style: Style
    project: Project | None = None
    changes: ChangeSet | None = None

    def with_findings(self, findings: Sequence[Finding]) -> DraftRequest:
        """The same request for other findings.

        Args:
            findings: The findings to ask about.

        Returns:
            A copy of this request with ``findings`` replaced.
        """
        return replace(self, findings=tuple(findings))

    def after(self, edit: Edit) -> DraftRequest:
        """The request as it is once ``edit`` has been made to the target.

        Args:
            edit: An edit of this request's target.

        Returns:
            A request whose target text, docstring and file text include the edit.
        """
        start = _offset(self.file_text, self.target.line)
        position = self.file_text.find(edit.old_text, start)
        file_text = self.file_text
        if position >= 0:
            end = position + len(edit.old_text)
            file_text = file_text[:position] + edit.new_text + file_text[end:]
        target = self.target
        if isinstance(target, DocstringTarget):
            target = DocstringTarget(_reparsed(target.symbol, edit.new_text), edit.new_text)
        else:
            end_line = target.line + len(split_lines(edit.new_text)) - 1
            target = replace(target, text=edit.new_text, end_line=end_line)
        return replace(self, target=target, file_text=file_text)

    def edit(self, new_text: str, findings: Sequence[Finding], origin: str) -> Edit:
        """An edit of this request's target.

        Args:
            new_text: The target's new text (for a docstring, the whole new literal).
            findings: The findings the edit fixes.
            origin: ``mechanical`` or ``llm:<model>``.

        Returns:
            The edit, spanning the target as it is now.
        """
        target = self.target
        return Edit(
            path=self.path,
            line=target.line,
            end_line=target.end_line,
            old_text=target.text,
            new_text=new_text,
            findings=tuple(findings),
            origin=origin,
        )


def _offset(text: str, line: int) -> int:
    offsets = line_offsets(text)
    return offsets[min(max(line, 1), len(offsets)) - 1]


def _reparsed(symbol: Symbol, literal: str) -> Symbol:
    """``symbol`` with the docstring parsed from a new literal."""
    old = symbol.docstring
    if old is None:
        return symbol
    value = ast.literal_eval(literal)
    end = old.location.line + len(split_lines(literal)) - 1
    location = Location(old.location.path, old.location.line, end, old.location.column)
    return replace(symbol, docstring=parse_docstring(value, location, old.style))


@dataclass(frozen=True)
class NeedsPerson:
    """Findings a drafter leaves for a person (or a later drafter), and why."""

    findings: tuple[Finding, ...]
    reason: str


@dataclass(frozen=True)
class DraftFailed:
    """Findings a drafter failed on: a bug, an invalid answer, an unreachable model."""

    findings: tuple[Finding, ...]
    error: str


@dataclass(frozen=True)
class Drafted:
    """An edit for ``edit.findings``; ``left`` holds the target's other findings."""

    edit: Edit
    left: tuple[NeedsPerson | DraftFailed, ...] = ()


DraftOutcome = Drafted | NeedsPerson | DraftFailed


@runtime_checkable
class Drafter(Protocol):
    """Drafts the fix of the findings on one target; pure, and never raises."""

    @property
    def name(self) -> str:
        """A short name for reports (``mechanical``, ``llm:<model>``)."""
        ...

    def draft(self, request: DraftRequest) -> DraftOutcome:
        """Draft one edit of ``request.target`` for some or all of its findings.

        Args:
            request: The target, its findings and their context.

        Returns:
            The edit and what it left, or why nothing was drafted.
        """
        ...


@dataclass(frozen=True)
class ChainOutcome:
    """What a chain of drafters made of one target.

    ``edit`` combines every drafter's edit of the target (``None`` if no drafter
    drafted one); ``left`` holds what the last drafter to see them left, and every
    failure on the way.
    """

    edit: Edit | None
    left: tuple[NeedsPerson | DraftFailed, ...]


def run_chain(drafters: Sequence[Drafter], request: DraftRequest) -> ChainOutcome:
    """Run drafters in order on one target, each on what the previous ones left.

    A drafter gets the findings earlier drafters left for a person, on the target
    as they edited it; failures are final.  A drafter that raises is reported as
    :class:`DraftFailed`.

    Args:
        drafters: The drafters, mechanical first.
        request: The target and all of its findings.

    Returns:
        The combined edit, and the findings left or failed.
    """
    edit: Edit | None = None
    failed: list[DraftFailed] = []
    waiting: list[NeedsPerson] = [NeedsPerson(request.findings, "no drafter ran")]
    current = request
    for drafter in drafters:
        pending = tuple(f for group in waiting for f in group.findings)
        if not pending:
            break
        outcome = _draft_safely(drafter, current.with_findings(pending))
        if isinstance(outcome, Drafted):
            advanced = _advance(drafter, current, outcome)
            if isinstance(advanced, DraftFailed):
                failed.append(advanced)
                waiting = [part for part in outcome.left if isinstance(part, NeedsPerson)]
                continue
            edit = outcome.edit if edit is None else _combine(edit, outcome.edit)
            current = advanced
            waiting = [part for part in outcome.left if isinstance(part, NeedsPerson)]
            failed.extend(part for part in outcome.left if isinstance(part, DraftFailed))
        elif isinstance(outcome, NeedsPerson):
            waiting = [outcome]
        else:
            failed.append(outcome)
            waiting = []
    left: tuple[NeedsPerson | DraftFailed, ...] = (*failed, *(w for w in waiting if w.findings))
    return ChainOutcome(edit, left)


def _draft_safely(drafter: Drafter, request: DraftRequest) -> DraftOutcome:
    try:
        return drafter.draft(request)
    except Exception as exc:  # one bad target must not end the run; say who broke
        return DraftFailed(request.findings, f"{drafter.name}: {type(exc).__name__}: {exc}")


def _advance(
    drafter: Drafter, request: DraftRequest, outcome: Drafted
) -> DraftRequest | DraftFailed:
    """The request after the drafted edit, or a failure when the edit cannot be read back."""
    try:
        return request.after(outcome.edit)
    except (SyntaxError, ValueError, TypeError) as exc:
        error = f"{drafter.name}: the drafted text is not a plain string literal ({exc})"
        return DraftFailed(outcome.edit.findings, error)


def _combine(first: Edit, second: Edit) -> Edit:
    """One edit doing ``first`` then ``second`` (which edits ``first``'s result)."""
    origins = first.origin.split("+")
    origin = first.origin if second.origin in origins else f"{first.origin}+{second.origin}"
    return replace(
        first,
        new_text=second.new_text,
        findings=(*first.findings, *second.findings),
        origin=origin,
    )
