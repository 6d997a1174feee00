"""Configuration: [tool.docsync] keys, CLI overrides and the errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsync.config import Config, apply_settings, find_project_root, load_config
from docsync.errors import ConfigError
from docsync.models import Evidence, Finding, Location, Severity, Style


def write_pyproject(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_no_pyproject_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config(root=tmp_path)
    assert config.fail_on is Severity.WARNING
    assert config.paths == (".",)


def test_pyproject_without_table_gives_defaults(tmp_path: Path) -> None:
    path = write_pyproject(tmp_path, '[project]\nname = "x"\n')
    assert load_config(tmp_path) == Config(root=tmp_path, source=path)


def test_every_key_is_read(tmp_path: Path) -> None:
    write_pyproject(
        tmp_path,
        """
[tool.docsync]
paths = ["src", "lib"]
exclude = ["tests/**"]
extend-exclude = ["*_pb2.py"]
style = "numpy"
select = ["DS1", "DS201"]
ignore = ["DS105"]
severity = { DS301 = "warning" }
fail-on = "error"
require-params = true
max-file-size = 2048
baseline = "docs-baseline.json"
""",
    )
    config = load_config(tmp_path)
    assert config.paths == ("src", "lib")
    assert config.exclude == ("tests/**", "*_pb2.py")
    assert config.style is Style.NUMPY
    assert config.select == ("DS1", "DS201")
    assert config.ignore == ("DS105",)
    assert config.severity == {"DS301": Severity.WARNING}
    assert config.fail_on is Severity.ERROR
    assert config.require_params is True
    assert config.max_file_size == 2048
    assert config.baseline == "docs-baseline.json"


def test_style_auto_means_detect(tmp_path: Path) -> None:
    write_pyproject(tmp_path, '[tool.docsync]\nstyle = "auto"\n')
    assert load_config(tmp_path).style is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("colour = 1", "unknown key 'colour'"),
        ("fail_on = 'error'", "did you mean 'fail-on'"),
        ("fail-on = 'fatal'", "'fail-on' must be one of info, warning, error"),
        ("style = 'epytext'", "'style' must be one of auto, google, numpy, sphinx"),
        ("paths = 3", "'paths' must be a list of strings"),
        ("select = ['E501']", "'E501' is not a rule code"),
        ("severity = { DS101 = 'loud' }", "'severity.DS101' must be one of"),
        ("severity = 'error'", "'severity' must be a table"),
        ("require-params = 'yes'", "'require-params' must be true or false"),
        ("max-file-size = 0", "'max-file-size' must be a positive integer"),
    ],
)
def test_bad_values_name_the_key_and_the_file(tmp_path: Path, body: str, expected: str) -> None:
    path = write_pyproject(tmp_path, f"[tool.docsync]\n{body}\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    write_pyproject(tmp_path, "[tool.docsync\npaths = [")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(tmp_path)


def test_explicit_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path, tmp_path / "nope.toml")


def test_flags_override_file_and_none_is_not_given(tmp_path: Path) -> None:
    write_pyproject(tmp_path, "[tool.docsync]\nfail-on = 'error'\nselect = ['DS1']\n")
    config = apply_settings(
        load_config(tmp_path), {"fail-on": "info", "select": None}, origin="command line"
    )
    assert config.fail_on is Severity.INFO
    assert config.select == ("DS1",)


def test_select_and_ignore_by_prefix() -> None:
    config = Config(root=Path(), select=("DS1", "DS301"), ignore=("DS105",))
    assert config.is_selected("DS101")
    assert config.is_selected("DS301")
    assert not config.is_selected("DS105")
    assert not config.is_selected("DS201")
    assert Config(root=Path()).is_selected("DS401")


def test_find_project_root_walks_up(tmp_path: Path) -> None:
    write_pyproject(tmp_path, "")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_project_root(nested) == tmp_path.resolve()


@pytest.mark.parametrize(
    ("fail_on", "failing"),
    [
        (Severity.INFO, {"info", "warning", "error"}),
        (Severity.WARNING, {"warning", "error"}),
        (Severity.ERROR, {"error"}),
    ],
)
def test_fails_compares_a_finding_with_fail_on(
    tmp_path: Path, fail_on: Severity, failing: set[str]
) -> None:
    config = Config(root=tmp_path, fail_on=fail_on)
    for severity in Severity:
        finding = Finding(
            "DS101", "stale-param", severity, "m", Location("a.py", 1, 1), "a.f", Evidence(), "0"
        )
        assert config.fails(finding) is (severity.value in failing)
