"""What a rule is: its identity, its documentation, its examples and what a fix needs.

Every rule docsync can report is one :class:`Rule`, declared in the module of its
check and listed in :data:`docsync.rules.registry.RULES`.  Like Fixit's rules, each
one carries must-flag and must-not-flag examples: the test suite runs them all and
``docs/reference/rules.md`` shows them, so the docs cannot drift from the rules.
What a fix of a finding needs (:class:`FixKind`, :attr:`Rule.review`,
:attr:`Rule.sections`...) is declared here too, so the drafters and the fix loop
ask the rule instead of keeping tables of codes.

Three kinds of rule, told apart by their examples (:attr:`Rule.kind`):

* docstring rules (DS1xx-DS4xx) judge one module: :class:`Example`;
* change rules (DS501, DS502, DS601) judge what a change did, in base mode:
  :class:`ChangeExample`, a base and a head source;
* page rules (DS7xx) judge a MkDocs site: :class:`PageExample`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from docsync.models import (
    Evidence,
    Finding,
    Location,
    SectionKind,
    Severity,
    Style,
    Symbol,
    fingerprint,
)

__all__ = [
    "ChangeExample",
    "Example",
    "FixKind",
    "PageExample",
    "Rule",
    "RuleExample",
    "RuleKind",
]


@dataclass(frozen=True)
class Example:
    """A small, complete Python module that a docstring rule must (or must not) flag.

    ``expected`` is how many findings of the rule's code a must-flag example
    produces; must-not-flag examples always expect none.  Examples run with
    ``require_params`` enabled.
    """

    source: str
    style: Style
    note: str
    expected: int = 1


@dataclass(frozen=True)
class ChangeExample:
    """A change to a small module that a change rule must (or must not) flag.

    The module is ``example.py`` at the root of a git repository: ``base`` is
    committed first, then ``head``, and base mode (``--base``) judges the change.
    ``expected`` counts the rule's findings on a must-flag example; must-not-flag
    examples expect none.
    """

    base: str
    head: str
    style: Style
    note: str
    expected: int = 1


@dataclass(frozen=True)
class PageExample:
    """A small MkDocs project that a page rule must (or must not) flag.

    ``markdown`` is ``docs/index.md``; ``pages`` are more pages (path under
    ``docs/`` -> Markdown) and ``modules`` the Python files (repo-relative path ->
    source; ``None`` for the sample package of
    :mod:`docsync.rules.examples.pages`).  ``renamed`` pairs an old qualified name
    with its new one (``None``: removed), ``changed`` lists symbols whose signature
    changed, and ``page_changed`` says the change touched the page; any of them
    puts the example in base mode.  ``run`` turns on ``--run-examples``.
    ``expected`` counts the rule's findings on a must-flag example; must-not-flag
    examples expect none.
    """

    markdown: str
    note: str
    expected: int = 1
    modules: Mapping[str, str] | None = None
    pages: Mapping[str, str] = field(default_factory=dict)
    renamed: tuple[tuple[str, str | None], ...] = ()
    changed: tuple[str, ...] = ()
    page_changed: bool = False
    run: bool = False
    added: tuple[str, ...] = ()


RuleExample = Example | ChangeExample | PageExample
"""Any rule's example; all examples of one rule are of one type."""


class RuleKind(str, Enum):
    """What a rule judges, which decides its examples and when it runs."""

    DOCSTRING = "docstring"  # one symbol's docstring against its code, on every check
    CHANGE = "change"  # what a change did to documented code, in base mode only
    PAGE = "page"  # a MkDocs page against the code


_KINDS: dict[type, RuleKind] = {
    Example: RuleKind.DOCSTRING,
    ChangeExample: RuleKind.CHANGE,
    PageExample: RuleKind.PAGE,
}


class FixKind(str, Enum):
    """What a fix of a rule's finding needs."""

    MECHANICAL = "mechanical"  # ``docsync fix`` rewrites the docs from the code alone
    PLACEHOLDER = "placeholder"  # new prose; ``--placeholders`` inserts a marked stand-in
    PROSE = "prose"  # new or reworded prose: the LLM drafter (``--llm``) or a person
    NONE = "none"  # nothing to draft: a person decides what to change


@dataclass(frozen=True)
class Rule:
    """One rule: identity, documentation, self-test examples and what a fix needs.

    ``fix`` says who can fix a finding; ``fix_needs`` says in words what the
    mechanical drafter cannot supply (shown when a finding is left for a person).
    ``llm`` says whether the LLM drafter drafts what the mechanical drafter leaves.
    ``review`` marks a review prompt ("this changed, have a look") rather than a
    contradiction: an edit that answers one keeps the mention.  ``sections`` are
    the docstring sections a fix may change (empty: any part of the docs).
    ``masked_by_others`` means the rule is checked only once the symbol's other
    findings are gone, so a fix of those may reveal it.  ``names_symbol`` means a
    finding is about a project name the docs use (``Finding.symbol``), which a
    change breaks by removing, renaming or re-signing it.
    """

    code: str
    slug: str
    summary: str
    severity: Severity
    description: str
    must_flag: tuple[RuleExample, ...]
    must_not_flag: tuple[RuleExample, ...]
    fix: FixKind
    fix_needs: str = ""
    llm: bool = True
    review: bool = False
    sections: tuple[SectionKind, ...] = ()
    masked_by_others: bool = False
    names_symbol: bool = False

    def __post_init__(self) -> None:
        kinds = {type(example) for example in (*self.must_flag, *self.must_not_flag)}
        if not self.must_flag or len(kinds) != 1:
            raise ValueError(f"{self.code}: examples must be must-flag ones, all of one type")

    @property
    def kind(self) -> RuleKind:
        """What the rule judges, from the type of its examples."""
        return _KINDS[type(self.must_flag[0])]

    def finding(
        self,
        symbol: Symbol,
        location: Location,
        message: str,
        evidence: Evidence,
        fix_hint: str,
        doc_texts: tuple[str | None, ...],
    ) -> Finding:
        """Build a finding of this rule.

        Args:
            symbol: The symbol whose docstring is wrong.
            location: The offending entry's span (or the docstring's).
            message: One line saying what is wrong.
            evidence: The documented value against the actual one.
            fix_hint: A short instruction for the fix.
            doc_texts: The documentation text involved, hashed into the fingerprint.

        Returns:
            The finding, at this rule's default severity.
        """
        return Finding(
            code=self.code,
            slug=self.slug,
            severity=self.severity,
            message=message,
            location=location,
            symbol=symbol.qualname,
            evidence=evidence,
            fingerprint=fingerprint(self.code, symbol.qualname, *doc_texts),
            fix_hint=fix_hint,
        )
