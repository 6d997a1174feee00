"""Every rule's own examples, scanned and checked end to end.

Each must-flag example yields exactly its expected number of findings of the
rule's code; each must-not-flag example yields none.  Examples run with
``require_params`` on, as their docs say.
"""

from __future__ import annotations

import pytest

from docsync.models import Finding, Module, Project, Style
from docsync.rules import RULES, Example, Rule, run_rules
from docsync.scan.python import scan_source

CASES = [
    pytest.param(rule, example, flagged, id=f"{rule.code}-{kind}-{number}")
    for rule in RULES
    for kind, flagged, examples in (
        ("flag", True, rule.must_flag),
        ("ok", False, rule.must_not_flag),
    )
    for number, example in enumerate(examples)
]


def scan(example: Example) -> Module:
    result = scan_source(
        example.source.encode("utf-8"), "example.py", "example", default_style=example.style
    )
    assert result.module is not None, result.diagnostics
    return result.module


def findings_of(example: Example) -> list[Finding]:
    return run_rules(Project(".", (scan(example),)), require_params=True)


@pytest.mark.parametrize(("rule", "example", "flagged"), CASES)
def test_rule_example(rule: Rule, example: Example, flagged: bool) -> None:
    found = [f for f in findings_of(example) if f.code == rule.code]
    expected = example.expected if flagged else 0
    assert len(found) == expected, (example.note, [f.message for f in found])
    for finding in found:
        assert finding.slug == rule.slug
        assert finding.severity is rule.severity
        assert finding.location.path == "example.py"
        assert finding.fix_hint


@pytest.mark.parametrize(("rule", "example", "flagged"), CASES)
def test_example_is_written_in_its_declared_style(
    rule: Rule, example: Example, flagged: bool
) -> None:
    # A docstring without sections takes the declared style; one with sections must
    # be detected as that style, or the example does not test what it claims.
    docstrings = [s.docstring for s in scan(example).symbols if s.docstring]
    assert docstrings
    assert {d.style for d in docstrings} == {example.style}, example.note


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_flags_in_every_style(rule: Rule) -> None:
    assert {e.style for e in rule.must_flag} == {Style.GOOGLE, Style.NUMPY, Style.SPHINX}
    assert len(rule.must_not_flag) >= 3


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_fingerprints_are_distinct_within_an_example(rule: Rule) -> None:
    for example in rule.must_flag:
        prints = [f.fingerprint for f in findings_of(example)]
        assert len(prints) == len(set(prints)), example.note
