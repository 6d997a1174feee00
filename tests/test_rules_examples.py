"""Every rule's own examples, run end to end: docstring, change and page rules.

Each must-flag example yields exactly its expected number of findings of the
rule's code; each must-not-flag example yields none.  Docstring examples are
scanned in memory, with ``require_params`` on as their docs say; a change example
is a real change in a git repository (the base committed, the head written over
it) judged by base mode; a page example is a small MkDocs project on disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docsync.commands.against_base import check_change
from docsync.commands.check import check_site_pages
from docsync.config import Config
from docsync.models import Finding, Module, Project, Style
from docsync.rules import RULES, ChangeExample, Example, PageExample, Rule, RuleKind, run_rules
from docsync.rules.examples.pages import example_changes, example_modules
from docsync.scan.project import scan_project
from docsync.scan.python import scan_source
from helpers_git import new_repo


def cases(kind: RuleKind) -> list[object]:
    """One test case per example of every rule of ``kind``: (rule, example, flagged)."""
    return [
        pytest.param(rule, example, flagged, id=f"{rule.code}-{label}-{number}")
        for rule in RULES
        if rule.kind is kind
        for label, flagged, examples in (
            ("flag", True, rule.must_flag),
            ("ok", False, rule.must_not_flag),
        )
        for number, example in enumerate(examples)
    ]


def rules_of(*kinds: RuleKind) -> list[Rule]:
    return [rule for rule in RULES if rule.kind in kinds]


def assert_found(rule: Rule, found: list[Finding], expected: int, note: str, path: str) -> None:
    own = [f for f in found if f.code == rule.code]
    assert len(own) == expected, (note, [f.message for f in found])
    for finding in own:
        assert finding.slug == rule.slug
        assert finding.severity is rule.severity
        assert finding.location.path == path
        assert finding.fix_hint


def test_every_kind_of_rule_has_a_runner_here() -> None:
    assert set(RuleKind) == {RuleKind.DOCSTRING, RuleKind.CHANGE, RuleKind.PAGE}
    assert {rule.kind for rule in RULES} == set(RuleKind)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_examples_of_one_kind(rule: Rule) -> None:
    examples = (*rule.must_flag, *rule.must_not_flag)
    assert rule.must_flag and rule.must_not_flag
    assert {type(e) for e in examples} == {type(rule.must_flag[0])}


# --- docstring rules ----------------------------------------------------------------------


def module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def scan(example: Example) -> Module:
    result = scan_source(
        example.source.encode("utf-8"),
        example.path,
        module_name(example.path),
        default_style=example.style,
    )
    assert result.module is not None, result.diagnostics
    return result.module


def findings_of(example: Example) -> list[Finding]:
    return run_rules(Project(".", (scan(example),)), require_params=True)


@pytest.mark.parametrize(("rule", "example", "flagged"), cases(RuleKind.DOCSTRING))
def test_rule_example(rule: Rule, example: Example, flagged: bool) -> None:
    expected = example.expected if flagged else 0
    assert_found(rule, findings_of(example), expected, example.note, example.path)


@pytest.mark.parametrize(("rule", "example", "flagged"), cases(RuleKind.DOCSTRING))
def test_example_is_written_in_its_declared_style(
    rule: Rule, example: Example, flagged: bool
) -> None:
    # A docstring without sections takes the declared style; one with sections must
    # be detected as that style, or the example does not test what it claims.
    docstrings = [s.docstring for s in scan(example).symbols if s.docstring]
    assert docstrings
    assert {d.style for d in docstrings} == {example.style}, example.note


@pytest.mark.parametrize(
    "rule", rules_of(RuleKind.DOCSTRING, RuleKind.CHANGE), ids=lambda r: r.code
)
def test_every_rule_flags_in_every_style(rule: Rule) -> None:
    styles = {e.style for e in rule.must_flag if isinstance(e, (Example, ChangeExample))}
    assert styles == {Style.GOOGLE, Style.NUMPY, Style.SPHINX}
    assert len(rule.must_not_flag) >= 3


@pytest.mark.parametrize("rule", rules_of(RuleKind.DOCSTRING), ids=lambda r: r.code)
def test_fingerprints_are_distinct_within_an_example(rule: Rule) -> None:
    for example in rule.must_flag:
        assert isinstance(example, Example)
        prints = [f.fingerprint for f in findings_of(example)]
        assert len(prints) == len(set(prints)), example.note


# --- change rules -------------------------------------------------------------------------


def change_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: ChangeExample
) -> list[Finding]:
    """Commit the base, write the head over it, and run base mode against the commit."""
    repo = new_repo(tmp_path, monkeypatch)
    module = repo.path / example.path
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text(example.base, encoding="utf-8")
    repo.commit("base")
    module.write_text(example.head, encoding="utf-8")
    config = Config(root=repo.path, style=example.style, cache=False)
    return list(check_change(config, "HEAD", detect=lambda p: run_rules(p)).findings)


@pytest.mark.parametrize(("rule", "example", "flagged"), cases(RuleKind.CHANGE))
def test_change_rule_example(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rule: Rule,
    example: ChangeExample,
    flagged: bool,
) -> None:
    expected = example.expected if flagged else 0
    found = change_findings(tmp_path, monkeypatch, example)
    assert_found(rule, found, expected, example.note, example.path)


@pytest.mark.parametrize(("rule", "example", "flagged"), cases(RuleKind.CHANGE))
def test_change_example_is_written_in_its_declared_style(
    rule: Rule, example: ChangeExample, flagged: bool
) -> None:
    for source in (example.base, example.head):
        scanned = scan_source(
            source.encode(), example.path, module_name(example.path), default_style=example.style
        )
        assert scanned.module is not None
        styles = {s.docstring.style for s in scanned.module.symbols if s.docstring}
        assert styles == {example.style}, example.note


# --- page rules ---------------------------------------------------------------------------


def page_findings(tmp_path: Path, example: PageExample) -> list[Finding]:
    """Write an example project to ``tmp_path`` and check its pages."""
    (tmp_path / "mkdocs.yml").write_text("site_name: Shop\n", encoding="utf-8")
    pages = {"index.md": example.markdown, **example.pages}
    for relative, text in {
        **{f"docs/{name}": body for name, body in pages.items()},
        **example_modules(example),
    }.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    project = scan_project(tmp_path, [tmp_path / "src"])
    report = check_site_pages(
        project, tmp_path, changes=example_changes(example), run_examples=example.run
    )
    assert report.diagnostics == ()
    return list(report.findings)


@pytest.mark.parametrize(("rule", "example", "flagged"), cases(RuleKind.PAGE))
def test_page_rule_examples(
    tmp_path: Path, rule: Rule, example: PageExample, flagged: bool
) -> None:
    expected = example.expected if flagged else 0
    assert_found(rule, page_findings(tmp_path, example), expected, example.note, "docs/index.md")
