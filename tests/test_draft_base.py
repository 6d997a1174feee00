"""The drafter protocol and the chain: order, hand-over of what is left, failures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docsync.draft.base import (
    DocstringTarget,
    Drafted,
    Drafter,
    DraftFailed,
    DraftOutcome,
    DraftRequest,
    NeedsPerson,
    run_chain,
)
from docsync.draft.mechanical.drafter import MechanicalDrafter
from docsync.models import Project
from docsync.rules import run_rules
from docsync.rules.params import PARAM_SECTIONS
from docsync.scan.python import scan_source

SOURCE = '''def f(a, b):
    """Go.

    Args:
        old: Stale.
        a: A.
    """
'''


def request() -> DraftRequest:
    module = scan_source(SOURCE.encode(), "mod.py", "mod").module
    assert module is not None
    project = Project(str(Path("/nonexistent")), (module,))
    findings = tuple(run_rules(project))
    symbol = module.symbols[1]
    literal = SOURCE[SOURCE.index('"""') : SOURCE.rindex('"""') + 3]
    return DraftRequest(
        "mod.py", DocstringTarget(symbol, literal), findings, SOURCE, symbol.docstring.style
    )


@dataclass(frozen=True)
class Recorder:
    """Answers NeedsPerson and remembers what it was asked."""

    seen: list[DraftRequest]
    name: str = "recorder"

    def draft(self, request: DraftRequest) -> DraftOutcome:
        self.seen.append(request)
        return NeedsPerson(request.findings, "recorded")


@dataclass(frozen=True)
class Describer:
    """Fills in the description of a missing parameter, like an LLM drafter would."""

    name: str = "llm:test"

    def draft(self, request: DraftRequest) -> DraftOutcome:
        assert isinstance(request.target, DocstringTarget)
        new = request.target.literal.replace("a: A.", "a: A.\n        b: The b.")
        return Drafted(request.edit(new, request.findings, self.name))


class Exploder:
    name = "exploder"

    def draft(self, request: DraftRequest) -> DraftOutcome:
        raise RuntimeError("boom")


def test_drafters_satisfy_the_protocol() -> None:
    assert isinstance(MechanicalDrafter(), Drafter)
    assert isinstance(Describer(), Drafter)


def test_findings_are_a_stale_and_a_missing_param() -> None:
    assert sorted(f.code for f in request().findings) == ["DS101", "DS102"]


def test_the_next_drafter_gets_what_is_left_on_the_edited_text() -> None:
    seen: list[DraftRequest] = []
    outcome = run_chain([MechanicalDrafter(), Recorder(seen)], request())
    assert outcome.edit is not None
    assert [f.code for f in outcome.edit.findings] == ["DS101"]
    (second,) = seen
    assert [f.code for f in second.findings] == ["DS102"]
    assert isinstance(second.target, DocstringTarget)
    assert "old" not in second.target.literal
    assert "old" not in second.file_text
    assert second.target.symbol.docstring is not None
    names = [e.name for e in second.target.symbol.docstring.entries_of(*PARAM_SECTIONS)]
    assert names == ["a"]
    assert [(type(p).__name__, p.findings[0].code) for p in outcome.left] == [
        ("NeedsPerson", "DS102")
    ]


def test_edits_of_two_drafters_combine_into_one() -> None:
    original = request()
    outcome = run_chain([MechanicalDrafter(), Describer()], original)
    assert outcome.edit is not None
    assert outcome.left == ()
    assert outcome.edit.origin == "mechanical+llm:test"
    assert outcome.edit.old_text == original.target.text
    assert "b: The b." in outcome.edit.new_text and "old" not in outcome.edit.new_text
    assert sorted(f.code for f in outcome.edit.findings) == ["DS101", "DS102"]


def test_a_raising_drafter_is_a_failure_not_an_exception() -> None:
    outcome = run_chain([Exploder()], request())
    assert outcome.edit is None
    (failed,) = outcome.left
    assert isinstance(failed, DraftFailed)
    assert failed.error == "exploder: RuntimeError: boom"


def test_a_failure_after_an_edit_keeps_the_edit() -> None:
    outcome = run_chain([MechanicalDrafter(), Exploder()], request())
    assert outcome.edit is not None
    assert [type(p).__name__ for p in outcome.left] == ["DraftFailed"]


def test_no_drafter_leaves_everything() -> None:
    outcome = run_chain([], request())
    assert outcome.edit is None
    assert [len(p.findings) for p in outcome.left] == [2]
