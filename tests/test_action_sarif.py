"""``docsync check --format sarif`` output validates against the official SARIF 2.1.0 schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from click.testing import CliRunner

from docsync.cli import main
from docsync.deliver.sarif import FINGERPRINT_KEY

SCHEMA = Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json"

MODULE = '''\
"""A module."""


def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        url: Where from.
        retries: How often.
    """
    return url


def count(n):
    """Count.

    Returns:
        int: Numbers.
    """
    yield n
'''
PAGE = "# API\n\nSee [the guide](missing.md) for more.\n"

# RFC 3986: characters that may not appear in a URI (reference) as they stand.
_NOT_IN_URI = re.compile(r"[\s\"<>\\^`{|}]|%(?![0-9A-Fa-f]{2})")


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()

    @checker.checks("uri-reference")
    def uri_reference(value: object) -> bool:
        return not isinstance(value, str) or not _NOT_IN_URI.search(value)

    @checker.checks("uri")
    def uri(value: object) -> bool:
        return not isinstance(value, str) or (uri_reference(value) and bool(urlsplit(value).scheme))

    return checker


def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema, format_checker=_format_checker())


def problems(log: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(log)
    ]


def sarif_of(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "sarif"])
    assert result.exit_code == 1, result.output
    log: dict[str, Any] = json.loads(result.stdout)
    return log


def test_real_sarif_output_is_valid_sarif_2_1_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A directory with a space and a page: the URIs must be percent-encoded to be valid.
    (tmp_path / "my pkg").mkdir()
    (tmp_path / "my pkg" / "mod.py").write_text(MODULE, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    log = sarif_of(tmp_path, monkeypatch)
    assert problems(log) == []
    [run] = log["runs"]
    results = run["results"]
    assert {r["ruleId"] for r in results} >= {"DS103", "DS202"}
    assert any(r["ruleId"].startswith("DS7") for r in results)  # the page's finding
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "my%20pkg/mod.py" in uris and "docs/index.md" in uris
    # What GitHub code scanning needs beyond the schema: rules that the results name,
    # each at its index, and a fingerprint on every result.
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert len(result["partialFingerprints"][FINGERPRINT_KEY]) >= 16


def test_the_schema_check_catches_what_it_should() -> None:
    log = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "docsync", "informationUri": "not a uri"}},
                "results": [
                    {
                        "message": {"text": "x"},
                        "level": "warn",
                        "locations": [
                            {"physicalLocation": {"artifactLocation": {"uri": "my pkg/a.py"}}}
                        ],
                    }
                ],
            }
        ],
    }
    found = "\n".join(problems(log))
    assert "'warn' is not one of" in found
    assert "'not a uri' is not a 'uri'" in found
    assert "'my pkg/a.py' is not a 'uri-reference'" in found
