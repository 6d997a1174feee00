"""Renderers: text, the versioned JSON schema, GitHub workflow commands."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace

from rich.console import Console

from docsync.deliver.github_text import Links, since_markdown
from docsync.deliver.report import (
    JSON_SCHEMA_VERSION,
    FixBy,
    Report,
    finding_key,
    render_github,
    render_json,
    render_text,
    sort_findings,
    summary_line,
)
from docsync.deliver.sarif import render_sarif
from docsync.models import (
    Diagnostic,
    Evidence,
    Finding,
    Location,
    Provenance,
    Severity,
    fingerprint,
)


def make_finding(
    path: str = "src/pkg/mod.py",
    line: int = 10,
    code: str = "DS101",
    severity: Severity = Severity.ERROR,
    message: str = "parameter 'x' is documented but not in the signature",
) -> Finding:
    return Finding(
        code=code,
        slug="stale-param",
        severity=severity,
        message=message,
        location=Location(path, line, line + 1),
        symbol="pkg.mod.func",
        evidence=Evidence(documented="x", actual="(a, b)"),
        fingerprint=fingerprint(code, "pkg.mod.func", "x"),
        fix_hint="remove the entry for 'x'",
    )


JSON_KEYS = {
    "code",
    "slug",
    "severity",
    "path",
    "line",
    "end_line",
    "symbol",
    "message",
    "fingerprint",
    "evidence",
    "fix_hint",
    "fix",
}


def test_json_schema_is_versioned_and_complete() -> None:
    report = Report(
        findings=(make_finding(),),
        diagnostics=(Diagnostic("bad.py", 3, "cannot parse: invalid syntax"),),
        files_scanned=4,
        baselined=2,
    )
    document = json.loads(render_json(report))
    assert document["schema_version"] == JSON_SCHEMA_VERSION == 2
    assert document["tool"]["name"] == "docsync"
    assert document["summary"] == {
        "findings": 1,
        "by_severity": {"info": 0, "warning": 0, "error": 1},
        "files_scanned": 4,
        "baselined": 2,
        "reviews_held": 0,
        "notes": [],
        "pages_checked": 0,
        "fixable": {"mechanical": 0, "llm": 0},
    }
    (finding,) = document["findings"]
    assert set(finding) == JSON_KEYS
    assert finding["line"] == 10 and finding["end_line"] == 11
    assert finding["evidence"] == {"documented": "x", "actual": "(a, b)", "since": None}
    assert document["diagnostics"] == [
        {"path": "bad.py", "line": 3, "level": "warning", "message": "cannot parse: invalid syntax"}
    ]


def test_text_groups_by_file_without_colour() -> None:
    out = io.StringIO()
    findings = sort_findings(
        [make_finding("b.py", 3), make_finding("a.py", 9), make_finding("a.py", 2)]
    )
    render_text(Report(findings, (), 2), Console(file=out, no_color=True, width=200))
    text = out.getvalue()
    assert "\x1b[" not in text
    assert text.index("a.py:2:") < text.index("a.py:9:") < text.index("b.py:3:")
    assert text.count("\na.py\n") + text.startswith("a.py\n") == 1
    assert "documented: x   actual: (a, b)" in text
    assert text.rstrip().endswith(
        "3 findings (3 errors) in 2 files.\nNo fix available: a person decides what to change."
    )


def test_text_shows_severity_and_fixability_on_every_line_without_colour() -> None:
    # CI logs and pre-commit have no colour: the words must carry it (ruff's [*]).
    fixed, drafted, by_hand = (make_finding("a.py", n) for n in (2, 5, 9))
    fixes = {finding_key(fixed): FixBy.MECHANICAL, finding_key(drafted): FixBy.LLM}
    report = Report((fixed, drafted, by_hand), (), 1, fixes=fixes, fix_command="docsync fix")
    for colour in (False, True):
        out = io.StringIO()
        render_text(report, Console(file=out, no_color=not colour, force_terminal=colour))
        text = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())
        assert "a.py:2: DS101 [*] error stale-param pkg.mod.func:" in text
        assert "a.py:5: DS101 error stale-param" in text
        assert "a.py:9: DS101 error stale-param" in text
        assert text.rstrip().endswith(
            "[*] 1 fixable with `docsync fix` (1 more with `docsync fix --llm`)."
        )
    only_llm = Report((drafted,), (), 1, fixes=fixes)
    out = io.StringIO()
    render_text(only_llm, Console(file=out, no_color=True))
    last = out.getvalue().rstrip().splitlines()[-1]
    assert last == "No mechanical fix; 1 fixable with `docsync fix --llm`."


def test_text_hides_info_diagnostics_unless_verbose() -> None:
    diag = Diagnostic("empty.py", 1, "empty file", Severity.INFO)
    quiet, loud = io.StringIO(), io.StringIO()
    render_text(Report((), (diag,), 1), Console(file=quiet, no_color=True))
    render_text(Report((), (diag,), 1, verbose=True), Console(file=loud, no_color=True))
    assert "empty file" not in quiet.getvalue()
    assert "empty.py:1: empty file" in loud.getvalue()


def test_text_does_not_treat_brackets_as_markup() -> None:
    out = io.StringIO()
    finding = make_finding(message="documented type list[str] vs [bold]int[/bold]")
    render_text(Report((finding,), (), 1), Console(file=out, no_color=True, width=200))
    assert "list[str] vs [bold]int[/bold]" in out.getvalue()


def test_summary_counts_and_baseline() -> None:
    report = Report(
        (make_finding(severity=Severity.WARNING), make_finding(severity=Severity.INFO)),
        (),
        1,
        baselined=1,
    )
    assert summary_line(report) == (
        "2 findings (1 warning, 1 info) in 1 file. 1 baselined finding skipped."
    )
    assert summary_line(Report((), (), 3)) == "No drift found in 3 files."


def test_github_commands_escape_data_and_properties() -> None:
    finding = make_finding(path="src/a,b.py", message="50% off\nnext line")
    text = render_github(Report((finding,), (), 1))
    assert text == (
        "::error file=src/a%2Cb.py,line=10,endLine=11,title=DS101 stale-param::"
        "pkg.mod.func: 50%25 off%0Anext line\n"
    )


def test_github_info_is_a_notice() -> None:
    text = render_github(Report((make_finding(severity=Severity.INFO),), (), 1))
    assert text.startswith("::notice ")


def test_sort_is_deterministic() -> None:
    a = make_finding("a.py", 5, "DS102")
    b = make_finding("a.py", 5, "DS101")
    assert sort_findings([a, b]) == sort_findings([b, a]) == (b, a)


def test_sarif_has_rules_results_and_partial_fingerprints() -> None:
    from docsync.deliver.sarif import FINGERPRINT_KEY, RuleInfo, render_sarif

    rules = [
        RuleInfo(
            "DS101", "stale-param", "documented parameter not in the signature", Severity.ERROR
        ),
        RuleInfo("DS301", "raises-not-raised", "documented exception not raised", Severity.INFO),
    ]
    findings = (make_finding(), make_finding(code="DS301", severity=Severity.INFO))
    log = json.loads(render_sarif(Report(findings, (), 1), rules))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["DS101", "DS301"]
    assert run["tool"]["driver"]["rules"][1]["defaultConfiguration"] == {"level": "note"}
    first, second = run["results"]
    assert first["ruleId"] == "DS101" and first["ruleIndex"] == 0 and first["level"] == "error"
    assert second["level"] == "note" and second["ruleIndex"] == 1
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 10, "endLine": 11}
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/pkg/mod.py"
    assert first["partialFingerprints"] == {FINGERPRINT_KEY: findings[0].fingerprint}


def test_review_prompts_are_one_line_of_the_summary() -> None:
    prompts = (
        make_finding(code="DS502", severity=Severity.INFO),
        make_finding(code="DS706", severity=Severity.INFO, path="docs/a.md"),
    )
    report = Report(findings=(), diagnostics=(), files_scanned=3, reviews=prompts)
    assert summary_line(report) == (
        "No drift found in 3 files. 1 changed symbol is described by docs this change "
        "did not touch; `--review` lists them."
    )
    assert json.loads(render_json(report))["summary"]["reviews_held"] == 2
    assert render_github(report) == ""


_SINCE = Provenance(
    "3f2a1c9" + "0" * 33, "2025-04-18T10:00:00+02:00", "Ada", "Rename timeout (#1432)", 1432
)


def _dated() -> Finding:
    finding = make_finding()
    return replace(finding, evidence=replace(finding.evidence, since=_SINCE))


def test_provenance_in_text_json_and_sarif() -> None:
    report = Report(
        (_dated(),), (), 1, notes=("this change adds 2 public symbols: 1 documented, 1 not",)
    )
    out = io.StringIO()
    render_text(report, Console(file=out, no_color=True, width=200))
    text = out.getvalue()
    assert "stale since 3f2a1c9 (2025-04-18, PR #1432): Rename timeout (#1432)" in text
    assert "This change adds 2 public symbols: 1 documented, 1 not." in text
    document = json.loads(render_json(report))
    assert document["findings"][0]["evidence"]["since"] == {
        "commit": _SINCE.commit,
        "date": "2025-04-18T10:00:00+02:00",
        "author": "Ada",
        "pr": 1432,
        "summary": "Rename timeout (#1432)",
    }
    assert document["summary"]["notes"] == [
        "this change adds 2 public symbols: 1 documented, 1 not"
    ]
    sarif = json.loads(render_sarif(report, []))
    assert sarif["runs"][0]["results"][0]["properties"]["since"]["pr"] == 1432


def test_provenance_markdown_links_to_the_commit_and_the_pull_request() -> None:
    links = Links("https://github.com/o/r", "abc")
    shown = since_markdown(_dated(), links, in_table=True)
    assert shown == (
        f"stale since [`3f2a1c9`](https://github.com/o/r/commit/{_SINCE.commit}) "
        "(2025-04-18, PR [#1432](https://github.com/o/r/pull/1432)): Rename timeout (#1432)"
    )
    assert since_markdown(make_finding(), links) == ""
    hostile = replace(_SINCE, summary="x | <img src=y> [z](http://e)")
    finding = replace(make_finding(), evidence=Evidence(since=hostile))
    cell_text = since_markdown(finding, None, in_table=True)
    assert cell_text.endswith(": x \\| &lt;img src=y> \\[z\\](http://e)")
