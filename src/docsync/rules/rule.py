"""What a rule is: its identity, its documentation, its examples and what a fix needs.

Every rule docsync can report is one :class:`Rule`, declared in the module of its
check and listed in :data:`docsync.rules.registry.RULES`.  Like Fixit's rules, each
one carries must-flag and must-not-flag examples: the test suite runs them all and
``docs/reference/rules.md`` shows them, so the docs cannot drift from the rules.
The examples are data for the tests and the docs, not for checking: a rule names
where they are (:class:`Examples`) and they are loaded on first use, so a check
never pays for building them (start-up, issue 19).
What a fix of a finding needs (:class:`FixKind`, :attr:`Rule.review`,
:attr:`Rule.sections`...) is declared here too, so the drafters and the fix loop
ask the rule instead of keeping tables of codes.

Three kinds of rule (:attr:`Rule.kind`, which its examples' type must match):

* docstring rules (DS1xx-DS4xx) judge one module: :class:`Example`;
* change rules (DS501, DS502, DS601) judge what a change did, in base mode:
  :class:`ChangeExample`, a base and a head source;
* page rules (DS7xx) judge a MkDocs site: :class:`PageExample`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache

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
    "Examples",
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
    produces; must-not-flag examples always expect none.  ``path`` is the module's
    root-relative path (where it sits matters for test code).  Examples run with
    ``require_params`` enabled.
    """

    source: str
    style: Style
    note: str
    expected: int = 1
    path: str = "example.py"


@dataclass(frozen=True)
class ChangeExample:
    """A change to a small module that a change rule must (or must not) flag.

    The module is ``path`` (default ``example.py``) in a git repository: ``base``
    is committed first, then ``head``, and base mode (``--base``) judges the change.
    ``expected`` counts the rule's findings on a must-flag example; must-not-flag
    examples expect none.
    """

    base: str
    head: str
    style: Style
    note: str
    expected: int = 1
    path: str = "example.py"


@dataclass(frozen=True)
class PageExample:
    """A small MkDocs project that a page rule must (or must not) flag.

    ``markdown`` is ``docs/index.md``; ``pages`` are more pages (path under
    ``docs/`` -> Markdown) and ``modules`` the Python files (repo-relative path ->
    source; ``None`` for the sample package of
    :mod:`docsync.rules.examples.pages`).  ``renamed`` pairs an old qualified name
    with its new one (``None``: removed), ``changed`` lists symbols whose signature
    changed, ``page_changed`` says the change touched the page and ``deleted`` lists
    files the change deleted, ``requires_python`` the project's ``requires-python``
    at the base and at the head; any of them puts the example in base mode.  ``run``
    turns on ``--run-examples``.
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
    deleted: tuple[str, ...] = ()
    requires_python: tuple[str | None, str | None] | None = None


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
class Examples:
    """Where a rule's examples are: two tuples of a module in :mod:`docsync.rules.examples`.

    ``module`` is the module's name in that package; ``must_flag`` and
    ``must_not_flag`` name its tuples of examples.  :meth:`load` imports them.
    """

    module: str
    must_flag: str
    must_not_flag: str

    def load(self, kind: RuleKind) -> tuple[tuple[RuleExample, ...], tuple[RuleExample, ...]]:
        """The must-flag and must-not-flag examples, checked against the rule's kind.

        Args:
            kind: What the rule judges; every example must be of that kind's type.

        Returns:
            The must-flag examples (at least one) and the must-not-flag ones.

        Raises:
            ValueError: A tuple is missing or empty, or holds examples of another kind.
        """
        return _load_examples(self, kind)


@cache
def _load_examples(
    where: Examples, kind: RuleKind
) -> tuple[tuple[RuleExample, ...], tuple[RuleExample, ...]]:
    module = importlib.import_module(f"docsync.rules.examples.{where.module}")
    flag = tuple(getattr(module, where.must_flag, ()))
    keep = tuple(getattr(module, where.must_not_flag, ()))
    if not flag or any(_KINDS.get(type(example)) is not kind for example in (*flag, *keep)):
        raise ValueError(
            f"{where.module}.{where.must_flag}/{where.must_not_flag}: a rule's examples are "
            f"must-flag ones (at least one), all {kind.value} examples"
        )
    return flag, keep


@dataclass(frozen=True)
class Rule:
    """One rule: identity, documentation, self-test examples and what a fix needs.

    ``kind`` says what the rule judges, and so the type of its examples, which
    ``examples`` locates (:attr:`must_flag`, :attr:`must_not_flag` load them).
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
    kind: RuleKind
    examples: Examples
    fix: FixKind
    fix_needs: str = ""
    llm: bool = True
    review: bool = False
    sections: tuple[SectionKind, ...] = ()
    masked_by_others: bool = False
    names_symbol: bool = False

    @property
    def must_flag(self) -> tuple[RuleExample, ...]:
        """The examples the rule must flag (loaded on first use)."""
        return self._loaded()[0]

    @property
    def must_not_flag(self) -> tuple[RuleExample, ...]:
        """The examples the rule must not flag (loaded on first use)."""
        return self._loaded()[1]

    def _loaded(self) -> tuple[tuple[RuleExample, ...], tuple[RuleExample, ...]]:
        try:
            return self.examples.load(self.kind)
        except ValueError as exc:
            raise ValueError(f"{self.code}: {exc}") from None

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
