"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF consumers.

Each result carries ``partialFingerprints`` made from the finding's fingerprint, so
code scanning recognises the same finding after lines move.  Artifact locations are
URI references relative to ``%SRCROOT%``, percent-encoded (a path with a space or a
``#`` is not a valid URI as it stands).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from docsync import __version__
from docsync.deliver.report import Report, since_to_dict
from docsync.models import Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/docsync-bot/docsync"
FINGERPRINT_KEY = "docsyncFingerprint/v1"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


@dataclass(frozen=True)
class RuleInfo:
    """What SARIF needs to know about a rule."""

    code: str
    slug: str
    summary: str
    severity: Severity


def render_sarif(report: Report, rules: Sequence[RuleInfo]) -> str:
    """The report as a SARIF 2.1.0 log with one run.

    Args:
        report: the findings to render.
        rules: every rule that may appear, in a stable order (``ruleIndex`` points here).

    Returns:
        The SARIF JSON text, ending in a newline.
    """
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    for finding in report.findings:
        loc = finding.location
        result: dict[str, object] = {
            "ruleId": finding.code,
            "level": _LEVEL[finding.severity],
            "message": {"text": f"{finding.symbol}: {finding.message}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(loc.path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": loc.line, "endLine": max(loc.line, loc.end_line)},
                    },
                    "logicalLocations": [{"fullyQualifiedName": finding.symbol}],
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        properties: dict[str, object] = {}
        since = since_to_dict(finding.evidence.since)
        if since is not None:
            properties["since"] = since
        fix = report.fix_by(finding)
        if fix is not None:  # as in the JSON report: "mechanical" or "llm"
            properties["fix"] = fix.value
        if properties:
            result["properties"] = properties
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "docsync",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule_descriptor(rule: RuleInfo) -> dict[str, object]:
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "helpUri": f"{INFORMATION_URI}/blob/main/docs/reference/rules.md#{rule.code.lower()}",
    }
