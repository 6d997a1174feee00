"""Read ``mkdocs.yml`` without running anything, and without echoing ``!ENV`` values.

The YAML loader accepts any tag (``!ENV``, ``!!python/name:``, ``!relative``...):
unknown tags become :class:`TaggedValue` placeholders, and ``!ENV`` reads the
environment as MkDocs does.  A value read that way may be a secret (a workflow's
``INPUT_GITHUB_TOKEN``), so error messages name the tag instead of the value.
``INHERIT`` targets are read as the file itself is: regular files inside the
repository only, at most :data:`MAX_CONFIG_SIZE` bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from docsync.errors import ConfigError
from docsync.paths import read_regular

__all__ = ["MAX_CONFIG_SIZE", "TaggedValue", "read_mkdocs_yaml", "shown_value", "yaml_load"]

MAX_CONFIG_SIZE = 2_000_000
"""The largest ``mkdocs.yml`` (or ``INHERIT`` target) read."""


@dataclass(frozen=True)
class TaggedValue:
    """A YAML value under a tag docsync does not interpret, e.g. ``!!python/name:x``."""

    tag: str
    value: object


class _TolerantLoader(yaml.SafeLoader):
    """A SafeLoader that turns every unknown tag into a :class:`TaggedValue`."""


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    value: object = None
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    return _environment_value(value) if node.tag == "!ENV" else TaggedValue(node.tag, value)


class _EnvValue(str):
    """A value ``!ENV`` took from the environment: it may be a secret, so never shown."""


def _environment_value(value: object) -> object:
    """What ``!ENV NAME`` or ``!ENV [NAME, ..., default]`` gives (as MkDocs reads it)."""
    names = value if isinstance(value, list) else [value]
    candidates, default = (names[:-1], names[-1]) if len(names) > 1 else (names, None)
    for name in candidates:
        if isinstance(name, str) and name in os.environ:
            return _EnvValue(os.environ[name])
    return default


def shown_value(key: str, value: object) -> str:
    """How an error names a setting's value: never what ``!ENV`` read.

    Args:
        key: The setting's name.
        value: Its value, as read.

    Returns:
        ``'the !ENV tag of KEY'`` for a value from the environment, else its ``repr``.
    """
    return f"the !ENV tag of {key}" if isinstance(value, _EnvValue) else repr(value)


_TolerantLoader.add_multi_constructor("", _construct_tagged)


def read_mkdocs_yaml(
    path: Path, *, root: Path | None = None, _depth: int = 0, _name: str = ""
) -> dict[str, Any]:
    """Read an ``mkdocs.yml`` (following ``INHERIT``) without running any tag.

    Args:
        path: The config file.
        root: When given, the file and every ``INHERIT`` target must be regular
            files inside it (see :func:`docsync.paths.read_regular`).

    Returns:
        The settings; values under unknown tags are :class:`TaggedValue` objects.

    Raises:
        ConfigError: The file cannot be read, is not valid YAML (the message names
            the line), or is not a mapping.
    """
    path_name = _name or str(path)
    try:
        text = read_regular(path, max_bytes=MAX_CONFIG_SIZE, root=root).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and _name else exc
        raise ConfigError(f"{path_name}: cannot read the MkDocs config: {reason}") from None
    try:
        data = yaml.load(text, Loader=_TolerantLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "syntax error"
        raise ConfigError(f"{path_name}:{line}: not valid YAML: {problem}; fix the file") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path_name}: not valid YAML: {exc}; fix the file") from None
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise ConfigError(f"{path_name}:1: the MkDocs config must be a mapping of settings")
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str) and _depth < 5:
        name = f"{path_name}: the file named by the !ENV tag of INHERIT"
        name = name if isinstance(parent, _EnvValue) else ""
        inherited = read_mkdocs_yaml(path.parent / parent, root=root, _depth=_depth + 1, _name=name)
        return _merge(inherited, data)
    return data


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        both = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _merge(merged[key], value) if both else value
    return merged


def yaml_load(text: str) -> object:
    """Load YAML text with the tolerant loader (unknown tags become :class:`TaggedValue`).

    Args:
        text: The YAML.

    Returns:
        The value.
    """
    return yaml.load(text, Loader=_TolerantLoader)
