"""Write the missing docstring of new public API (DS504), with the drafter that can.

A symbol without a docstring has no literal for the fix pipeline to edit, so this
module gives it one for the time of the draft: a blank placeholder inserted with
libcst (:mod:`docsync.apply.new_docstring`) into a copy of the file, on which the
usual pipeline runs (:class:`~docsync.commands.fix_python.PythonFixer`: draft,
scan the draft, re-run the rules, check the code is unchanged).  Only the drafts
that pass every check are inserted into the file, as new first statements of their
bodies; a placeholder is never written.  Findings on a blank docstring that exists
already are moved onto it and fixed like any other.

Without a drafter that writes prose (``docsync fix`` without ``--llm``), the
findings are left for a person and say how to have them drafted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from docsync.apply.files import FileFix
from docsync.apply.new_docstring import Insertion, insert_docstrings, insertion_edit
from docsync.apply.python import EditRejected
from docsync.models import Edit, Finding, Module, Project, Style, Symbol
from docsync.rules.coverage import NEW_API_UNDOCUMENTED
from docsync.scan.python import scan_source

__all__ = ["NEEDS_LLM", "NewApiFix", "fresh_findings", "needs_docstring"]

NEEDS_LLM = "a new docstring is written from the code by `docsync fix --llm`"

FixLiterals = Callable[[Project, Module, bytes, Sequence[Finding]], FileFix]
"""The literal pipeline: fixes findings that sit on docstring literals."""


def needs_docstring(module: Module, finding: Finding) -> Symbol | None:
    """The symbol a DS504 finding asks a new docstring for, if it has none at all.

    Args:
        module: the module the finding is in.
        finding: any finding.

    Returns:
        The symbol, when the finding is a DS504 on a symbol without a docstring.
    """
    if finding.code != NEW_API_UNDOCUMENTED.code:
        return None
    symbol = _named(module, finding.symbol)
    return symbol if symbol is not None and symbol.docstring is None else None


def fresh_findings(module: Module, findings: Sequence[Finding]) -> list[Finding]:
    """The findings as the literal pipeline can locate them.

    A DS504 on a symbol whose docstring is blank is moved onto that docstring (its
    location was the symbol's); every other finding is kept as it is.

    Args:
        module: the module.
        findings: the findings in it.

    Returns:
        The findings, in order.
    """
    moved = []
    for finding in findings:
        symbol = (
            _named(module, finding.symbol) if finding.code == NEW_API_UNDOCUMENTED.code else None
        )
        if (
            symbol is not None
            and symbol.docstring is not None
            and not symbol.docstring.text.strip()
        ):
            finding = replace(finding, location=symbol.docstring.location)
        moved.append(finding)
    return moved


def _named(module: Module, qualname: str | None) -> Symbol | None:
    return next((s for s in module.symbols if s.qualname == qualname), None)


class NewApiFix:
    """Drafts and inserts the new docstrings of one file; see the module docstring."""

    def __init__(
        self,
        fix_literals: FixLiterals,
        *,
        drafts_prose: bool,
        default_style: Style | None = None,
    ) -> None:
        """Prepare the fix.

        Args:
            fix_literals: the literal pipeline of the run (its drafters and checks).
            drafts_prose: whether a drafter of the chain drafts DS504 (the LLM drafter).
            default_style: the docstring style the scan assumes.
        """
        self.fix_literals = fix_literals
        self.drafts_prose = drafts_prose
        self.default_style = default_style

    def fix(
        self,
        project: Project,
        module: Module,
        source: bytes,
        done: FileFix,
        findings: Sequence[Finding],
    ) -> FileFix:
        """Add the new docstrings to a file the literal pipeline has fixed.

        Args:
            project: the scanned project.
            module: the module, as scanned from ``source``.
            source: the file's bytes as read.
            done: what the literal pipeline made of the file's other findings.
            findings: the DS504 findings on symbols without a docstring.

        Returns:
            ``done`` with the new docstrings inserted, their edits, and what is left.
        """
        if not self.drafts_prose:
            return replace(done, left=(*done.left, *((f, NEEDS_LLM) for f in findings)))
        wanted = {f.fingerprint: f for f in findings}
        insertions, refused = self._placeable(source, module, findings)
        if not insertions:
            return replace(done, left=(*done.left, *refused))
        placed = insert_docstrings(source, [i for _, i in insertions.values()])
        scanned = scan_source(
            placed, module.path, module.qualname, default_style=self.default_style
        )
        if scanned.module is None:
            error = "the file with placeholders cannot be scanned"
            return replace(done, failed=(*done.failed, *((f, error) for f in findings)))
        draft_module = scanned.module
        modules = tuple(draft_module if m.path == module.path else m for m in project.modules)
        draft_project = Project(project.root, modules, project.diagnostics)
        moved = []
        for finding, _ in insertions.values():
            symbol = _named(draft_module, finding.symbol)
            if symbol is not None and symbol.docstring is not None:
                moved.append(replace(finding, location=symbol.docstring.location))
        drafted = self.fix_literals(draft_project, draft_module, placed, moved)
        literals = _literals(draft_module, drafted.edits)
        left = [(wanted.get(f.fingerprint, f), why) for f, why in (*refused, *drafted.left)]
        failed = [(wanted.get(f.fingerprint, f), why) for f, why in drafted.failed]
        result, edits, lost = self._insert(done, module, literals)
        failed += lost
        return replace(
            done,
            new=result,
            edits=(*done.edits, *edits),
            left=(*done.left, *left),
            failed=(*done.failed, *failed),
        )

    def _placeable(
        self, source: bytes, module: Module, findings: Sequence[Finding]
    ) -> tuple[dict[int, tuple[Finding, Insertion]], list[tuple[Finding, str]]]:
        """The placeholders that can go in, by def line (each tried alone when not all can)."""
        insertions: dict[int, tuple[Finding, Insertion]] = {}
        refused: list[tuple[Finding, str]] = []
        for finding in findings:
            symbol = needs_docstring(module, finding)
            if symbol is None:
                refused.append((finding, "not on a symbol docsync can give a docstring"))
            else:
                line = symbol.location.line
                insertions[line] = (finding, Insertion(line, symbol.name))
        try:
            insert_docstrings(source, [i for _, i in insertions.values()])
        except EditRejected:
            for line, (finding, insertion) in list(insertions.items()):
                try:
                    insert_docstrings(source, [insertion])
                except EditRejected as exc:
                    refused.append((finding, str(exc)))
                    del insertions[line]
        return insertions, refused

    def _insert(
        self, done: FileFix, module: Module, literals: dict[str, tuple[str, Edit]]
    ) -> tuple[bytes, list[Edit], list[tuple[Finding, str]]]:
        """Insert the drafted literals into the fixed file, one edit each."""
        if not literals:
            return done.new, [], []
        current = done.new
        target = module
        if done.changed:
            rescanned = scan_source(current, module.path, module.qualname).module
            if rescanned is None:
                error = "the fixed file cannot be scanned to insert the new docstrings"
                return current, [], [(f, error) for _, e in literals.values() for f in e.findings]
            target = rescanned
        places = []
        lost: list[tuple[Finding, str]] = []
        for qualname, (literal, edit) in literals.items():
            symbol = _named(target, qualname)
            if symbol is None or symbol.docstring is not None:
                lost.extend((f, "the symbol moved while it was drafted") for f in edit.findings)
                continue
            places.append(
                (symbol.location.line, Insertion(symbol.location.line, symbol.name, literal), edit)
            )
        edits = []
        for _line, insertion, edit in sorted(places, key=lambda p: -p[0]):
            try:
                after = insert_docstrings(current, [insertion])
            except EditRejected as exc:
                lost.extend((f, str(exc)) for f in edit.findings)
                continue
            text = (current.decode(done.encoding), after.decode(done.encoding))
            made = insertion_edit(module.path, *text, edit.findings, edit.origin)
            edits.append(_in_old_lines(made, done.edits))
            current = after
        return current, sorted(edits, key=lambda e: e.line), lost


def _literals(module: Module, edits: Sequence[Edit]) -> dict[str, tuple[str, Edit]]:
    """The drafted literal of each placeholder, by the symbol's qualified name."""
    found = {}
    for edit in edits:
        symbol = next(
            (
                s
                for s in module.symbols
                if s.docstring is not None and s.docstring.location.line == edit.line
            ),
            None,
        )
        if symbol is not None:
            found[symbol.qualname] = (edit.new_text, edit)
    return found


def _in_old_lines(edit: Edit, earlier: Sequence[Edit]) -> Edit:
    """``edit`` (on the file the earlier edits made) on the lines of the file as it was read."""
    offset = 0
    for other in sorted(earlier, key=lambda e: e.line):
        delta = other.new_text.count("\n") - other.old_text.count("\n")
        if other.end_line + offset + delta >= edit.line:
            break
        offset += delta
    return replace(edit, line=edit.line - offset, end_line=edit.line - offset)
