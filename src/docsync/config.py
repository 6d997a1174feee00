"""Configuration: ``[tool.docsync]`` in pyproject.toml, overridden by CLI flags.

Every key has the same name in the file and on the command line (``fail-on`` ↔
``--fail-on``).  An unknown key, or a value of the wrong type or out of range, is
a :class:`~docsync.errors.ConfigError` that names the key and the file.
"""

from __future__ import annotations

import difflib
import functools
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docsync.errors import PARSER_LIMITS, ConfigError
from docsync.models import Finding, Severity, Style
from docsync.paths import read_regular

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CODE_PATTERN = re.compile(r"^DS\d{1,3}$")
DEFAULT_MODEL = "claude-sonnet-5-5"
"""The model ``--llm`` drafts with unless ``model`` says otherwise (the current Sonnet)."""
DEFAULT_REVIEW_MODEL = "claude-haiku-5-5"
"""The cheaper model that answers review findings (DS502, DS706) unless ``review-model`` says."""
MAX_LLM_CONCURRENCY = 64
_MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@/-]*$")
_CODE_PREFIX = re.compile(r"^DS\d{0,3}$")
DEFAULT_BRANCH = "docsync/sync"
"""The branch ``docsync pr`` commits its fixes to unless ``branch`` says otherwise."""
DEFAULT_PR_TITLE = "docs: fix documentation that drifted from the code"
"""The title of docsync's pull requests unless ``pr-title`` says otherwise."""
_LABEL_MAX = 50  # GitHub's limit on a label's name
_REF_FORBIDDEN = re.compile(r"[\x00-\x20~^:?*\[\\\x7f]|\.\.|@\{|//")


@dataclass(frozen=True)
class Config:
    """Everything a run needs to know, after merging the file and the flags.

    ``style`` is the default docstring style for docstrings whose style cannot be
    detected (``None``: auto).  ``check_tests`` checks test functions, fixtures
    and task contexts like API (by default their injected parameters need no
    docs).  ``select``/``ignore`` hold rule codes or code
    prefixes (``DS1`` selects DS101-DS199).  ``severity`` maps a rule code to the
    severity it is reported at.  ``cache`` keeps scan results in ``.docsync-cache/``
    at the root between runs.  ``pages`` checks the site's pages (of the config file's
    ``docs_dir``, or ``docs_dir`` here, else ``docs/``); ``site_config`` names that
    config file, relative to the root (default: the first of ``properdocs.yml``,
    ``mkdocs.yml`` and ``zensical.toml`` there).  ``llm`` lets ``fix`` draft with
    ``model`` (review findings with ``review_model``), at most ``llm_concurrency``
    requests at a time, stopping before the estimated spend passes ``max_cost``
    (USD, ``None``: no limit).  ``branch``, ``commit_prefix``, ``pr_title`` and
    ``labels`` shape what ``docsync pr`` and ``docsync review`` deliver: the bot
    branch, the commit subject's prefix, the pull request's title and the labels it
    is opened with.  ``since`` names the commit that made each finding stale
    (``None``: in base mode only; see docs/provenance.md).  ``source`` is the file
    the settings came from.  ``report_paths``
    (not a key: the command line sets it when it names pages) limits what is reported
    to these repo-relative files and folders, while ``paths`` is still scanned whole,
    since the pages' names resolve against the whole project; empty: no limit.
    ``origins`` says where each key's value came from, for error messages
    (``pyproject.toml:7: [tool.docsync] 'select'``, ``command line (--select)``).
    """

    root: Path
    paths: tuple[str, ...] = (".",)
    exclude: tuple[str, ...] = ()
    style: Style | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.WARNING
    require_params: bool = False
    check_tests: bool = False
    max_file_size: int = 1_000_000
    baseline: str = ".docsync-baseline.json"
    cache: bool = True
    pages: bool = True
    docs_dir: str | None = None
    site_config: str | None = None
    review: bool = False
    since: bool | None = None
    llm: bool = False
    model: str = DEFAULT_MODEL
    review_model: str = DEFAULT_REVIEW_MODEL
    max_cost: float | None = None
    llm_concurrency: int = 4
    branch: str = DEFAULT_BRANCH
    commit_prefix: str = "docs:"
    pr_title: str = DEFAULT_PR_TITLE
    labels: tuple[str, ...] = ()
    source: Path | None = None
    report_paths: tuple[str, ...] = ()
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)

    def reports(self, path: str) -> bool:
        """Whether findings on ``path`` are reported under ``report_paths``.

        Args:
            path: A repo-relative POSIX path.

        Returns:
            True when ``report_paths`` is empty or holds ``path`` or a folder of it.
        """
        return not self.report_paths or any(
            path == p or p in (".", "") or path.startswith(p.rstrip("/") + "/")
            for p in self.report_paths
        )

    def is_selected(self, code: str) -> bool:
        """Whether findings of rule ``code`` are reported under select/ignore."""
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)

    def severity_of(self, code: str, default: Severity) -> Severity:
        """The severity to report ``code`` at, after overrides."""
        return self.severity.get(code, default)

    def at_root(self, path: str) -> Path:
        """A path of the settings (``paths``, ``baseline``) as a path on disk.

        Args:
            path: As written in the settings: absolute, or relative to ``root``.

        Returns:
            ``path`` when it is absolute, else ``root / path``.
        """
        candidate = Path(path)
        return candidate if candidate.is_absolute() else self.root / candidate

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` is at or above the ``fail-on`` level (exit code 1).

        Args:
            finding: A finding at its configured severity.

        Returns:
            True when it makes the run fail.
        """
        return finding.severity.rank >= self.fail_on.rank


_KEYS = {
    "paths",
    "exclude",
    "extend-exclude",
    "style",
    "select",
    "ignore",
    "severity",
    "fail-on",
    "require-params",
    "check-tests",
    "max-file-size",
    "baseline",
    "cache",
    "pages",
    "docs-dir",
    "site-config",
    "review",
    "since",
    "llm",
    "model",
    "review-model",
    "max-cost",
    "llm-concurrency",
    "branch",
    "commit-prefix",
    "pr-title",
    "labels",
}
_DELIVERY_KEYS = ("branch", "commit-prefix", "pr-title", "labels")


@dataclass(frozen=True)
class SettingsOrigin:
    """Where settings come from, for messages: a file's ``[tool.docsync]`` or the command line.

    ``file`` is ``None`` for command-line flags; ``lines`` maps a key to the
    file's line that sets it.
    """

    file: Path | None = None
    lines: Mapping[str, int] = field(default_factory=dict)

    def where(self, key: str, item: str | None = None) -> str:
        """Where ``key`` (or its table's ``item``) was set.

        Args:
            key: A settings key (``select``).
            item: An entry of a table key (``DS101`` of ``severity``).

        Returns:
            ``command line (--select)``, or ``path:line: [tool.docsync] 'select'``.
        """
        if self.file is None:
            return f"command line (--{key}{' ' + item if item else ''})"
        line = self.lines.get(key)
        at = f"{self.file}:{line}" if line else str(self.file)
        return f"{at}: [tool.docsync] '{key}{'.' + item if item else ''}'"


COMMAND_LINE = SettingsOrigin()
"""The origin of command-line flags."""


def find_project_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding pyproject.toml or .git.

    Args:
        start: where to begin looking (usually the current directory).

    Returns:
        That directory, or ``start`` itself when none is found.
    """
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / "pyproject.toml").is_file() or (candidate / ".git").exists():
            return candidate
    return start


def load_config(
    root: Path, config_file: Path | None = None, *, problems: list[str] | None = None
) -> Config:
    """Read ``[tool.docsync]`` from ``config_file`` (default: ``root/pyproject.toml``).

    Args:
        root: the project root; relative paths in the settings are relative to it.
        config_file: an explicit pyproject.toml (``--config``); it must exist.
        problems: collect every problem here (with its file and line) instead of
            raising; the settings that are right still apply.

    Returns:
        The settings, or the defaults when the file or the table is absent.

    Raises:
        ConfigError: the file does not parse, or keys or values are wrong (all of
            them, one per line); not with ``problems``.
    """
    found: list[str] = []
    config = _load(root, config_file, found)
    if problems is not None:
        problems.extend(found)
    elif found:
        raise ConfigError.of(found)
    return config


def _load(root: Path, config_file: Path | None, problems: list[str]) -> Config:
    path = config_file if config_file is not None else root / "pyproject.toml"
    if not path.is_file():
        if config_file is not None:
            problems.append(f"{path}: config file not found (check --config)")
        return Config(root=root)
    try:
        text = read_regular(path, root=root if config_file is None else None).decode("utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        problems.append(f"{path}: cannot read the config file: {exc.strerror or exc}")
        return Config(root=root)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: not valid TOML: {exc}")
        return Config(root=root)
    except PARSER_LIMITS:
        problems.append(f"{path}: not valid TOML: nested too deeply; fix the file")
        return Config(root=root)
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        problems.append(f"{path}: not valid TOML: an integer is too long; fix the file")
        return Config(root=root)
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        problems.append(f"{path}: [tool] must be a table, not {type(tool).__name__}")
        return Config(root=root)
    table = tool.get("docsync")
    if table is None:
        return Config(root=root, source=path)
    if not isinstance(table, dict):
        problems.append(f"{path}: [tool.docsync] must be a table")
        return Config(root=root, source=path)
    origin = SettingsOrigin(path, _key_lines(text))
    return apply_settings(Config(root=root, source=path), table, origin=origin, problems=problems)


_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\]]*?)\s*\]")
_KEY_LINE = re.compile(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*[.=]""")


def _key_lines(text: str) -> dict[str, int]:
    """The line of each key of ``[tool.docsync]`` (a sub-table's header counts for its key)."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_HEADER.match(line)
        if header and not line.lstrip().startswith("[["):
            table = header.group(1).replace(" ", "").replace('"', "")
            if table.startswith("tool.docsync."):
                lines.setdefault(table.split(".")[2], number)
            continue
        key = _KEY_LINE.match(line)
        if key and table == "tool.docsync":
            lines.setdefault(key.group(1), number)
    return lines


def apply_settings(
    config: Config,
    settings: Mapping[str, Any],
    *,
    origin: str | SettingsOrigin,
    problems: list[str] | None = None,
) -> Config:
    """Return ``config`` with ``settings`` (file keys or CLI flags) applied.

    Args:
        config: the settings so far.
        settings: key → value, keys spelled as in ``[tool.docsync]``; ``None`` values
            are skipped (a CLI flag that was not given).
        origin: where the settings come from, for error messages: a
            :class:`SettingsOrigin`, or a prefix (``"test"``).
        problems: collect every problem here instead of raising; the settings
            that are right still apply.

    Returns:
        The updated configuration.

    Raises:
        ConfigError: keys are unknown or values invalid (all of them, one per
            line); not with ``problems``.
    """
    where_of: Callable[..., str] = (
        origin.where if isinstance(origin, SettingsOrigin) else _prefixed(origin)
    )
    changes: dict[str, Any] = {}
    origins = dict(config.origins)
    found: list[str] = []
    for key, value in settings.items():
        if value is None:
            continue
        exclude = changes.get("exclude", config.exclude)
        try:
            changes.update(_setting(key, value, functools.partial(where_of, key), exclude))
        except ConfigError as exc:
            found.append(str(exc))
            continue
        origins[key] = where_of(key)
    if problems is not None:
        problems.extend(found)
    elif found:
        raise ConfigError.of(found)
    return replace(config, **changes, origins=origins)


def _prefixed(prefix: str) -> Callable[..., str]:
    def where(key: str, item: str | None = None) -> str:
        return f"{prefix}: '{key}{'.' + item if item else ''}'"

    return where


def _setting(
    key: str, value: Any, where_of: Callable[..., str], exclude: tuple[str, ...]
) -> dict[str, Any]:
    """The ``Config`` fields one setting sets, validated; ``where_of(item)`` names its place."""
    where = where_of()
    if key not in _KEYS:
        hint = _close_key(key)
        head = where.rpartition(" '")[0] if where.endswith("'") else where
        raise ConfigError(f"{head}: unknown key '{key}'{hint}")
    if key == "paths":
        return {"paths": _str_list(value, where) or (".",)}
    if key == "exclude":
        return {"exclude": _str_list(value, where)}
    if key == "extend-exclude":
        return {"exclude": exclude + _str_list(value, where)}
    if key == "style":
        return {"style": _style(value, where)}
    if key in ("select", "ignore"):
        return {key: _codes(value, where)}
    if key == "severity":
        return {"severity": _severity_table(value, where, where_of)}
    if key == "fail-on":
        return {"fail_on": _severity(value, where)}
    if key == "max-file-size":
        return {"max_file_size": _positive_int(value, where)}
    if key in ("require-params", "check-tests", "cache", "pages", "review", "since"):
        return {key.replace("-", "_"): _bool(value, where)}
    if key in ("baseline", "docs-dir", "site-config"):
        return {key.replace("-", "_"): _str(value, where)}
    if key in _DELIVERY_KEYS:
        return _delivery_setting(key, value, where)
    return _llm_setting(key, value, where)


def _llm_setting(key: str, value: Any, where: str) -> dict[str, Any]:
    """The ``Config`` field for one of the LLM keys, validated."""
    if key == "llm":
        return {"llm": _bool(value, where)}
    if key in ("model", "review-model"):
        if not isinstance(value, str) or not _MODEL_ID.match(value):
            raise ConfigError(
                f"{where} must be a model id such as {DEFAULT_MODEL!r}, got {value!r}"
            )
        return {key.replace("-", "_"): value}
    if key == "max-cost":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise ConfigError(f"{where} must be a positive amount of US dollars, got {value!r}")
        return {"max_cost": float(value)}
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 0 < value <= MAX_LLM_CONCURRENCY
    ):
        raise ConfigError(
            f"{where} must be an integer from 1 to {MAX_LLM_CONCURRENCY}, got {value!r}"
        )
    return {"llm_concurrency": value}


def _delivery_setting(key: str, value: Any, where: str) -> dict[str, Any]:
    """The ``Config`` field for one of the delivery keys (``docsync pr``/``review``), validated."""
    if key == "labels":
        labels = _str_list(value, where)
        for label in labels:
            if len(label) > _LABEL_MAX or label != label.strip():
                raise ConfigError(
                    f"{where}: {label!r} is not a GitHub label name (at most {_LABEL_MAX} "
                    "characters, no leading or trailing spaces)"
                )
        return {"labels": labels}
    if key == "commit-prefix":
        if not isinstance(value, str) or "\n" in value:
            raise ConfigError(f"{where} must be a one-line string (may be empty), got {value!r}")
        return {"commit_prefix": value}
    text = _str(value, where)
    if key == "pr-title":
        if "\n" in text:
            raise ConfigError(f"{where} must be one line, got {value!r}")
        return {"pr_title": text}
    if (
        _REF_FORBIDDEN.search(text)
        or text.startswith(("/", ".", "-"))
        or text.endswith(("/", ".", ".lock"))
        or "/." in text
        or text == "@"
    ):
        raise ConfigError(
            f"{where} must be a valid git branch name (see git check-ref-format), got {value!r}"
        )
    return {"branch": text}


def _close_key(key: str) -> str:
    normalised = key.replace("_", "-").lower()
    close = [normalised] if normalised in _KEYS else closest(normalised, _KEYS)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f"; known keys: {', '.join(sorted(_KEYS))}"


def closest(word: str, choices: Iterable[str]) -> list[str]:
    """The choice closest to a misspelt ``word``, if one is close enough.

    Args:
        word: What was written.
        choices: What it could have meant.

    Returns:
        At most one choice (``difflib``'s ratio of at least 0.6), or none.
    """
    return difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where} must be a non-empty string, got {value!r}")
    return value


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where} must be a list of strings, got {value!r}")
    return tuple(value)


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} must be true or false, got {value!r}")
    return value


def _positive_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{where} must be a positive integer (bytes), got {value!r}")
    return value


def _style(value: Any, where: str) -> Style | None:
    choices = ("auto", "google", "numpy", "sphinx")
    if value not in choices:
        raise ConfigError(f"{where} must be one of {', '.join(choices)}, got {value!r}")
    return None if value == "auto" else Style(value)


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        choices = ", ".join(s.value for s in Severity)
        raise ConfigError(f"{where} must be one of {choices}, got {value!r}") from None


def _codes(value: Any, where: str) -> tuple[str, ...]:
    codes = _str_list(value, where)
    for code in codes:
        if code.upper() != "ALL" and not _CODE_PREFIX.match(code):
            raise ConfigError(f"{where}: {code!r} is not a rule code or prefix (like DS101 or DS1)")
    return tuple("DS" if c.upper() == "ALL" else c for c in codes)


def _severity_table(
    value: Any, where: str, item_where: Callable[[str], str]
) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table of rule code = severity, got {value!r}")
    table: dict[str, Severity] = {}
    for code, level in value.items():
        if not CODE_PATTERN.match(code):
            raise ConfigError(f"{where}: {code!r} is not a rule code (like DS101)")
        table[code] = _severity(level, item_where(code))
    return table
