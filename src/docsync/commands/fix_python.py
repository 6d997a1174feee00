"""Fix the findings on the docstrings of one Python file, and prove the result.

For each docstring with findings, the drafters (see :func:`~docsync.draft.base.run_chain`)
draft one new literal.  Every draft is checked before anything is written:

1. the module is scanned with the new literals in place, and the rules run again on
   each edited symbol: a finding the edit claims to fix must be gone, and no
   finding may appear that was not there before (the fixed point).  A new finding
   that the drafters fix mechanically (a fixed stale entry can reveal the order of
   the rest) is drafted in another round, on the edited text;
2. libcst makes the edits (:func:`~docsync.apply.python.apply_literal_edits`),
   which refuses any result whose code, docstrings stripped, differs; and the
   result must equal the text-level draft byte for byte.

A docstring whose draft fails a check is left as it was and its findings are
reported failed; the other docstrings of the file still go through.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docsync.apply.files import FileFix
from docsync.apply.literals import LiteralSpan, docstring_spans, replace_literals
from docsync.apply.python import EditRejected, LiteralEdit, apply_literal_edits
from docsync.commands.fix_new_api import NewApiFix, fresh_findings, needs_docstring
from docsync.draft.base import (
    DocstringTarget,
    Drafted,
    Drafter,
    DraftFailed,
    DraftRequest,
    NeedsPerson,
    run_chain,
)
from docsync.models import Edit, Finding, Module, Project, Style, Symbol
from docsync.rules.coverage import NEW_API_UNDOCUMENTED, documentation_gap
from docsync.rules.registry import REVIEW_CODES, RULES
from docsync.scan.python import scan_source

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet

__all__ = ["PythonFixer", "SymbolDetector"]

SymbolDetector = Callable[[Project, Symbol], list[Finding]]
"""Runs the rules on one symbol of a project, with the run's selection applied."""

MAX_ROUNDS = 3

UNMASKED_CODES = frozenset(rule.code for rule in RULES if rule.masked_by_others)
"""Codes a rule checks only once the others are fixed (the order of exactly right names).

A fix that reveals one of them did not cause it; when no drafter can fix it, it is
left for a person instead of failing the fix that revealed it.
"""


@dataclass(frozen=True)
class PythonFixer:
    """Fixes the docstrings of Python files with a chain of drafters.

    ``detect`` re-runs the rules on one symbol; ``redraft`` says which codes are
    worth another round when an edit reveals them; ``checked`` holds the codes
    ``detect`` can report (others are checked by text: the reference is gone);
    ``default_style`` is the docstring style the scan assumed (``Config.style``).
    """

    drafters: Sequence[Drafter]
    detect: SymbolDetector
    redraft: Callable[[str], bool]
    checked: frozenset[str]
    changes: ChangeSet | None = None
    default_style: Style | None = None

    def fix(
        self, project: Project, module: Module, source: bytes, findings: Sequence[Finding]
    ) -> FileFix:
        """Fix the findings on one module's docstrings.

        Args:
            project: The scanned project the module belongs to.
            module: The module, as scanned from ``source``.
            source: The file's bytes.
            findings: The findings to fix, all in this file.

        Returns:
            The file's new bytes (unchanged if nothing went through), the edits,
            and the findings left or failed.
        """
        fresh = [f for f in findings if needs_docstring(module, f) is not None]
        fresh_prints = {f.fingerprint for f in fresh}
        rest = fresh_findings(module, [f for f in findings if f.fingerprint not in fresh_prints])
        done = self._fix_literals(project, module, source, rest)
        if not fresh:
            return done
        new_api = NewApiFix(
            self._fix_literals,
            drafts_prose=self.redraft(NEW_API_UNDOCUMENTED.code)
            or any(not callable(getattr(d, "fixes", None)) for d in self.drafters),
            default_style=self.default_style,
        )
        return new_api.fix(project, module, source, done, fresh)

    def _fix_literals(
        self, project: Project, module: Module, source: bytes, findings: Sequence[Finding]
    ) -> FileFix:
        """Fix the findings that sit on docstring literals (see :meth:`fix`)."""
        encoding = _encoding(source)
        try:
            text = source.decode(encoding)
            spans = docstring_spans(text)
        except (UnicodeDecodeError, SyntaxError, ValueError) as exc:
            failed = tuple((f, f"cannot read the file for editing: {exc}") for f in findings)
            return FileFix(module.path, source, source, encoding, failed=failed)
        run = _Run(self, project, module, text, spans, encoding)
        run.locate(findings)
        run.draft_rounds()
        run.verify_final()
        return run.finish(source, encoding)

    def preview(
        self, project: Project, module: Module, source: bytes, findings: Sequence[Finding]
    ) -> tuple[Finding, ...]:
        """The findings the drafters draft a fix of in a first round, nothing checked.

        What ``check`` marks ``[*]``: :meth:`fix` drafts the same edits, then checks
        each one (code unchanged, the rules pass) before it writes anything; one pass
        of the drafters costs a small part of that.

        Args:
            project: The scanned project the module belongs to.
            module: The module, as scanned from ``source``.
            source: The file's bytes.
            findings: The findings, all in this file.

        Returns:
            The findings a drafted edit claims to fix.
        """
        try:
            text = source.decode(_encoding(source))
            spans = docstring_spans(text)
        except (UnicodeDecodeError, SyntaxError, ValueError):
            return ()
        by_symbol: dict[int, list[Finding]] = {}
        for finding in findings:
            index = _symbol_index(module, finding)
            if index is not None:
                by_symbol.setdefault(index, []).append(finding)
        drafted: list[Finding] = []
        for index, found in by_symbol.items():
            symbol = module.symbols[index]
            span = spans.get(symbol.docstring.location.line) if symbol.docstring else None
            if symbol.docstring is None or span is None:
                continue
            request = DraftRequest(
                path=module.path,
                target=DocstringTarget(symbol, span.source(text)),
                findings=tuple(found),
                file_text=text,
                style=symbol.docstring.style,
                project=project,
                changes=self.changes,
            )
            for drafter in self.drafters:
                outcome = drafter.draft(request)
                if isinstance(outcome, Drafted):
                    drafted.extend(outcome.edit.findings)
        return tuple(drafted)


@dataclass
class _Symbol:
    """The fix of one docstring in progress.

    ``before`` holds the fingerprints of the symbol's findings before any edit;
    ``left`` those the first round left for a person (a later round retries the
    mechanical ones once, since an edit can make them fixable); ``must_fix`` those
    an edit revealed, which the current round has to fix; ``unmasked`` the
    revealed findings of :data:`UNMASKED_CODES` left for a person instead.
    """

    index: int
    span: LiteralSpan
    findings: list[Finding]
    before: frozenset[str] = frozenset()
    literal: str | None = None
    claimed: list[Finding] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    left: set[str] = field(default_factory=set)
    retried: set[str] = field(default_factory=set)
    must_fix: frozenset[str] = frozenset()
    unmasked: set[str] = field(default_factory=set)
    saved: tuple[str | None, list[Finding], list[str]] | None = None

    def save(self) -> None:
        """Remember the state before a round, to go back to if a retry fails."""
        self.saved = (self.literal, list(self.claimed), list(self.origins))

    def restore(self) -> None:
        """Go back to the state before the last round."""
        if self.saved is not None:
            self.literal, self.claimed, self.origins = self.saved


@dataclass
class _Run:
    fixer: PythonFixer
    project: Project
    module: Module
    text: str
    spans: dict[int, LiteralSpan]
    encoding: str
    targets: dict[int, _Symbol] = field(default_factory=dict)
    left: list[tuple[Finding, str]] = field(default_factory=list)
    failed: list[tuple[Finding, str]] = field(default_factory=list)

    def locate(self, findings: Sequence[Finding]) -> None:
        """Group the findings by the docstring literal they are on."""
        for finding in findings:
            index = _symbol_index(self.module, finding)
            symbol = self.module.symbols[index] if index is not None else None
            span = (
                self.spans.get(symbol.docstring.location.line)
                if symbol and symbol.docstring
                else None
            )
            if index is None or span is None:
                self.left.append((finding, "not located on a docstring docsync can edit"))
                continue
            if index not in self.targets:
                before = _fingerprints(self.fixer.detect(self.project, self.module.symbols[index]))
                self.targets[index] = _Symbol(index, span, [], before)
            self.targets[index].findings.append(finding)

    def draft_rounds(self) -> None:
        """Draft, check, and draft again what an edit reveals, up to ``MAX_ROUNDS`` times."""
        pending = {index: target.findings for index, target in self.targets.items()}
        project, module, text = self.project, self.module, self.text
        for round_number in range(MAX_ROUNDS):
            drafted = self._draft(pending, project, module, text, first=round_number == 0)
            for index in set(pending) - set(drafted):
                target = self.targets[index]
                if target.must_fix:  # what the last edit revealed could not be fixed
                    revealed = [f for f in pending[index] if f.fingerprint in target.must_fix]
                    self._fail(index, _introduced(revealed))
            if not drafted:
                return
            checked = self._check(drafted, last=round_number == MAX_ROUNDS - 1)
            if checked is None:
                return
            pending, project, module, text = checked

    def _draft(
        self,
        pending: dict[int, list[Finding]],
        project: Project,
        module: Module,
        text: str,
        *,
        first: bool,
    ) -> dict[int, Edit]:
        spans = docstring_spans(text)
        drafted: dict[int, Edit] = {}
        for index, findings in pending.items():
            symbol = module.symbols[index]
            assert symbol.docstring is not None
            span = spans[symbol.docstring.location.line]
            request = DraftRequest(
                path=module.path,
                target=DocstringTarget(symbol, span.source(text)),
                findings=tuple(findings),
                file_text=text,
                style=symbol.docstring.style,
                project=project,
                changes=self.fixer.changes,
            )
            outcome = run_chain(self.fixer.drafters, request)
            target = self.targets[index]
            if first:
                self._record_left(target, outcome.left)
            else:
                self._accept_unmasked(target, outcome.left)
            if outcome.edit is not None:
                drafted[index] = outcome.edit
                target.save()
                target.literal = outcome.edit.new_text
                target.claimed.extend(outcome.edit.findings)
                target.origins.append(outcome.edit.origin)
        return drafted

    def _accept_unmasked(self, target: _Symbol, left: Sequence[NeedsPerson | DraftFailed]) -> None:
        """Leave for a person the revealed findings of :data:`UNMASKED_CODES` nobody fixed."""
        for part in left:
            for finding in part.findings:
                if finding.fingerprint in target.must_fix and finding.code in UNMASKED_CODES:
                    why = part.reason if isinstance(part, NeedsPerson) else part.error
                    self.left.append((finding, f"revealed by the fix; {why}"))
                    target.unmasked.add(finding.fingerprint)
        target.must_fix = target.must_fix - target.unmasked

    def _record_left(self, target: _Symbol, left: Sequence[NeedsPerson | DraftFailed]) -> None:
        for part in left:
            if isinstance(part, DraftFailed):
                self.failed.extend((f, part.error) for f in part.findings)
            else:
                self.left.extend((f, part.reason) for f in part.findings)
                target.left.update(f.fingerprint for f in part.findings)

    def _check(
        self, drafted: dict[int, Edit], *, last: bool
    ) -> tuple[dict[int, list[Finding]], Project, Module, str] | None:
        """Scan the draft; fail what does not hold; return what to draft next, if anything."""
        scanned = self._scan_draft()
        if scanned is None:
            for index in drafted:
                self._fail(index, "the edited module cannot be scanned")
            return None
        project, module, text = scanned
        pending: dict[int, list[Finding]] = {}
        for index, edit in drafted.items():
            target = self.targets[index]
            problem, revealed, after = self._judge(project, module, index, edit.findings)
            if problem is not None and target.saved is not None and not target.must_fix:
                if target.saved[0] is None:
                    self._fail(index, problem)
                else:  # a retry went wrong: keep what the earlier rounds did
                    target.restore()
                    self.failed.extend((f, problem) for f in edit.findings)
            elif problem is not None:
                self._fail(index, problem)
            elif revealed and (last or not all(self.fixer.redraft(f.code) for f in revealed)):
                self._reveal_last(index, revealed)
            else:
                retry = [
                    f
                    for f in after
                    if f.fingerprint in target.left - target.retried and self.fixer.redraft(f.code)
                ]
                target.retried.update(f.fingerprint for f in retry)
                target.must_fix = _fingerprints(revealed)
                if revealed or (retry and not last):
                    pending[index] = [*revealed, *retry]
        return pending, project, module, text

    def _reveal_last(self, index: int, revealed: list[Finding]) -> None:
        """No round left to fix what an edit revealed: fail it, unless it was only unmasked."""
        target = self.targets[index]
        if any(f.code not in UNMASKED_CODES for f in revealed):
            self._fail(index, _introduced(revealed))
            return
        for finding in revealed:
            self.left.append((finding, "revealed by the fix; not fixed mechanically"))
            target.unmasked.add(finding.fingerprint)

    def _judge(
        self, project: Project, module: Module, index: int, claimed: Sequence[Finding]
    ) -> tuple[str | None, list[Finding], list[Finding]]:
        """Whether the claimed findings are gone; the new findings; all findings now."""
        target = self.targets[index]
        after = self.fixer.detect(project, module.symbols[index])
        present = _fingerprints(after)
        for finding in claimed:
            if finding.fingerprint in present:
                return f"{finding.code} is still reported after the edit", [], after
            if finding.code == NEW_API_UNDOCUMENTED.code and documentation_gap(
                module.symbols[index], module
            ):
                return f"{finding.code}: the new docstring still leaves it undocumented", [], after
            if finding.code not in self.fixer.checked and _still_written(finding, target.literal):
                problem = f"{finding.code}: the reference is still in the docstring after the edit"
                return problem, [], after
        known = target.before | target.unmasked
        return None, [f for f in after if f.fingerprint not in known], after

    def verify_final(self) -> None:
        """Check the accepted drafts together until every one of them holds."""
        while any(t.literal is not None for t in self.targets.values()):
            scanned = self._scan_draft()
            if scanned is None:
                for index in self._edited():
                    self._fail(index, "the edited module cannot be scanned")
                return
            project, module, _ = scanned
            broken = False
            for index in self._edited():
                problem, revealed, _ = self._judge(
                    project, module, index, self.targets[index].claimed
                )
                if problem is not None or revealed:
                    self._fail(index, problem or _introduced(revealed))
                    broken = True
            if not broken:
                return

    def finish(self, source: bytes, encoding: str) -> FileFix:
        """Make the accepted edits with libcst and check the bytes against the draft."""
        edits = {index: self._edit(index) for index in self._edited()}
        while edits:
            try:
                result = apply_literal_edits(source, [_literal_edit(e) for e in edits.values()])
            except EditRejected as exc:
                self._isolate(source, edits, str(exc))
                continue
            if result != self._draft_text().encode(encoding):
                for index in list(edits):
                    self._fail(
                        index, "libcst's result differs from the draft outside the docstrings"
                    )
                break
            return FileFix(
                self.module.path,
                source,
                result,
                encoding,
                tuple(edits.values()),
                self._relocated(self._still_left()),
                self._relocated(self.failed),
            )
        return FileFix(
            self.module.path,
            source,
            source,
            encoding,
            (),
            tuple(self._still_left()),
            tuple(self.failed),
        )

    def _still_left(self) -> list[tuple[Finding, str]]:
        """The findings left for a person that no later round fixed or failed on."""
        done = {f.fingerprint for i in self._edited() for f in self.targets[i].claimed}
        done.update(f.fingerprint for f, _ in self.failed)
        return [(f, why) for f, why in self.left if f.fingerprint not in done]

    def _relocated(self, pairs: list[tuple[Finding, str]]) -> tuple[tuple[Finding, str], ...]:
        """The findings as the edited file reports them (their lines may have moved)."""
        scanned = self._scan_draft()
        if scanned is None:
            return tuple(pairs)
        project, module, _ = scanned
        after: dict[int, dict[str, Finding]] = {}
        moved = []
        for finding, why in pairs:
            index = _symbol_index(self.module, finding)
            if index is not None and index not in after:
                found = self.fixer.detect(project, module.symbols[index])
                after[index] = {f.fingerprint: f for f in found}
            now = (
                after.get(index, {}).get(finding.fingerprint, finding)
                if index is not None
                else finding
            )
            moved.append((now, why))
        return tuple(moved)

    def _isolate(self, source: bytes, edits: dict[int, Edit], error: str) -> None:
        """Drop the edits libcst refuses on their own (or all of them, if none does alone)."""
        refused = []
        for index, edit in edits.items():
            try:
                apply_literal_edits(source, [_literal_edit(edit)])
            except EditRejected as exc:
                refused.append((index, str(exc)))
        for index, reason in refused or [(i, error) for i in edits]:
            self._fail(index, reason)
            del edits[index]

    def _edit(self, index: int) -> Edit:
        target = self.targets[index]
        assert target.literal is not None
        origins = list(dict.fromkeys(o for origin in target.origins for o in origin.split("+")))
        return Edit(
            path=self.module.path,
            line=target.span.line,
            end_line=target.span.end_line,
            old_text=target.span.source(self.text),
            new_text=target.literal,
            findings=tuple(target.claimed),
            origin="+".join(origins),
        )

    def _edited(self) -> list[int]:
        return [i for i, t in self.targets.items() if t.literal is not None]

    def _draft_text(self) -> str:
        new = {t.span.line: t.literal for t in self.targets.values() if t.literal is not None}
        return replace_literals(self.text, self.spans, new)

    def _scan_draft(self) -> tuple[Project, Module, str] | None:
        text = self._draft_text()
        try:
            source = text.encode(self.encoding)
        except UnicodeEncodeError:
            return None
        result = scan_source(
            source, self.module.path, self.module.qualname, default_style=self.fixer.default_style
        )
        module = result.module
        if module is None or len(module.symbols) != len(self.module.symbols):
            return None
        modules = tuple(module if m.path == module.path else m for m in self.project.modules)
        project = Project(self.project.root, modules, self.project.diagnostics)
        return project, module, text

    def _fail(self, index: int, reason: str) -> None:
        target = self.targets[index]
        if target.literal is None and not target.claimed:
            return
        self.failed.extend((f, reason) for f in target.claimed)
        target.literal, target.claimed, target.origins = None, [], []


def _literal_edit(edit: Edit) -> LiteralEdit:
    return LiteralEdit(edit.line, edit.old_text, edit.new_text)


def _introduced(findings: Sequence[Finding]) -> str:
    codes = ", ".join(sorted({f.code for f in findings}))
    return f"the edit would introduce {codes}"


def _still_written(finding: Finding, literal: str | None) -> bool:
    if finding.code in REVIEW_CODES:
        return False  # a review edit keeps the mention: the docs were checked, not broken
    reference = finding.evidence.documented
    return reference is not None and literal is not None and reference in literal


def _fingerprints(findings: Sequence[Finding]) -> frozenset[str]:
    return frozenset(f.fingerprint for f in findings)


def _encoding(source: bytes) -> str:
    try:
        return tokenize.detect_encoding(io.BytesIO(source).readline)[0]
    except SyntaxError:
        return "utf-8"


def _symbol_index(module: Module, finding: Finding) -> int | None:
    """The index of the symbol whose docstring holds the finding's location."""
    line = finding.location.line
    candidates = [
        i
        for i, s in enumerate(module.symbols)
        if s.docstring is not None
        and s.docstring.location.line <= line <= s.docstring.location.end_line
    ]
    named = [i for i in candidates if module.symbols[i].qualname == finding.symbol]
    if len(named) == 1 or len(candidates) == 1:
        return (named or candidates)[0]
    return None
