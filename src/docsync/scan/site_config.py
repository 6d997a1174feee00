"""Find and read a docs site's config: ``properdocs.yml``, ``mkdocs.yml`` or ``zensical.toml``.

Three generators read the same settings (``docs_dir``, ``nav``, ``plugins``,
``markdown_extensions``...) from different files.  Without a named file, the first
of :data:`SITE_CONFIG_NAMES` at the project root is the site's: ProperDocs' order
(``properdocs.yml``, ``properdocs.yaml``, then its ``mkdocs.yml``/``mkdocs.yaml``
fallback, which MkDocs reads too), then Zensical's ``zensical.toml``.  The
``site-config`` setting names one instead.

The YAML files are read by :func:`docsync.scan.mkdocs_yaml.read_mkdocs_yaml`;
``zensical.toml`` is TOML whose settings sit in a ``[project]`` table (read as
Zensical reads it: a file without one holds the settings at the top), with the
dotted Markdown extension keys Zensical allows (``pymdownx.highlight.x = 1``)
brought back to the names MkDocs uses (``pymdownx.highlight: {x: 1}``).  Every file is
read as a regular file inside the repository, at most
:data:`~docsync.scan.yaml_values.MAX_CONFIG_SIZE` bytes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from docsync.errors import PARSER_LIMITS, ConfigError
from docsync.paths import inside_root, read_regular
from docsync.scan.yaml_values import MAX_CONFIG_SIZE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["SITE_CONFIG_NAMES", "find_site_config", "read_site_config", "read_zensical_toml"]

SITE_CONFIG_NAMES = (
    "properdocs.yml",
    "properdocs.yaml",
    "mkdocs.yml",
    "mkdocs.yaml",
    "zensical.toml",
)
"""The config files looked for at the project root, first found first."""

# Markdown extension groups whose members Zensical lets a TOML file write as dotted keys,
# with the one member of each that is a group itself (``pymdownx.blocks.admonition``).
_DOTTED_GROUPS = {"pymdownx": "blocks", "zensical": "extensions"}
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def find_site_config(root: Path, named: str | None = None) -> Path | None:
    """The site's config file: ``named``, else the first of :data:`SITE_CONFIG_NAMES`.

    Args:
        root: The project root.
        named: A config file relative to ``root`` (the ``site-config`` setting).

    Returns:
        The file, or ``None`` when nothing is named and none of the names exists.

    Raises:
        ConfigError: ``named`` is not a file inside the repository.
    """
    if named is None:
        return next((root / n for n in SITE_CONFIG_NAMES if (root / n).is_file()), None)
    path = root / named
    try:
        inside_root(root, path)
    except OSError:
        raise ConfigError(
            f"site-config {named!r} is outside the repository {root} (symlinks resolved); "
            "name a config file inside it"
        ) from None
    if not path.is_file():
        raise ConfigError(
            f"site-config {named!r}: no such file under {root}; name the site's "
            f"config file ({', '.join(SITE_CONFIG_NAMES)}) relative to the project root"
        )
    return path


def read_site_config(path: Path, *, root: Path | None = None) -> dict[str, Any]:
    """Read a site's config file, YAML or (``.toml``) Zensical's TOML.

    Args:
        path: The config file.
        root: When given, the file (and every YAML ``INHERIT`` target) must be a
            regular file inside it.

    Returns:
        The settings, keyed as in ``mkdocs.yml``.

    Raises:
        ConfigError: The file cannot be read, does not parse (the message names the
            line), or is not a mapping.
    """
    if path.suffix.lower() == ".toml":
        return read_zensical_toml(path, root=root)
    # The YAML parser only for a site that has a YAML config (start-up, issue 19).
    from docsync.scan.mkdocs_yaml import read_mkdocs_yaml

    return read_mkdocs_yaml(path, root=root)


def read_zensical_toml(path: Path, *, root: Path | None = None) -> dict[str, Any]:
    """Read a ``zensical.toml``: its ``[project]`` table, with MkDocs' extension names.

    Args:
        path: The file.
        root: When given, the file must be a regular file inside it.

    Returns:
        The settings, keyed as in ``mkdocs.yml``.

    Raises:
        ConfigError: The file cannot be read, is not valid TOML (the message names the
            line), or its ``project`` is not a table.
    """
    try:
        text = read_regular(path, max_bytes=MAX_CONFIG_SIZE, root=root).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the Zensical config: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = int(found.group(1)) if found else text.count("\n") + 1
        problem = _TOML_LINE.sub("", str(exc)).strip() or "syntax error"
        raise ConfigError(f"{path}:{line}: not valid TOML: {problem}; fix the file") from None
    except PARSER_LIMITS:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply; fix the file") from None
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        raise ConfigError(f"{path}: not valid TOML: an integer is too long; fix the file") from None
    project = data.get("project", data)
    if not isinstance(project, dict):
        raise ConfigError(f"{path}: [project] must be a table of the site's settings")
    settings = dict(project)
    extensions = settings.get("markdown_extensions")
    if isinstance(extensions, dict):
        settings["markdown_extensions"] = _undotted(extensions)
    return settings


def _undotted(extensions: dict[str, Any]) -> dict[str, Any]:
    """``{pymdownx: {highlight: {...}}}`` (from dotted keys) as ``{pymdownx.highlight: {...}}``."""
    flat: dict[str, Any] = {}
    for name, options in extensions.items():
        if name in _DOTTED_GROUPS and isinstance(options, dict):
            for member, member_options in options.items():
                nested = member == _DOTTED_GROUPS[name] and isinstance(member_options, dict)
                for inner, inner_options in (member_options if nested else {}).items():
                    flat[f"{name}.{member}.{inner}"] = inner_options
                if not nested:
                    flat[f"{name}.{member}"] = member_options
        else:
            flat[name] = options
    return flat
