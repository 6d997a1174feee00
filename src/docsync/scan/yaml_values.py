"""The values the MkDocs config reader makes, apart from the YAML parser that makes them.

A page scan names a tagged value or shows a setting in an error without needing
the parser (:mod:`docsync.scan.mkdocs_yaml` imports ``yaml``), so a project without
``mkdocs.yml`` never loads it (start-up, issue 19).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MAX_CONFIG_SIZE = 2_000_000
"""The largest site configuration read, in bytes (YAML or TOML)."""

__all__ = ["EnvValue", "TaggedValue", "environment_value", "shown_value"]


@dataclass(frozen=True)
class TaggedValue:
    """A YAML value under a tag docsync does not interpret, e.g. ``!!python/name:x``."""

    tag: str
    value: object


class EnvValue(str):
    """A value ``!ENV`` took from the environment: it may be a secret, so never shown."""


def environment_value(value: object) -> object:
    """What ``!ENV NAME`` or ``!ENV [NAME, ..., default]`` gives (as MkDocs reads it).

    Args:
        value: The tagged value: a variable's name, or names and a default last.

    Returns:
        The first set variable's value (an :class:`EnvValue`), else the default.
    """
    names = value if isinstance(value, list) else [value]
    candidates, default = (names[:-1], names[-1]) if len(names) > 1 else (names, None)
    for name in candidates:
        if isinstance(name, str) and name in os.environ:
            return EnvValue(os.environ[name])
    return default


def shown_value(key: str, value: object) -> str:
    """How an error names a setting's value: never what ``!ENV`` read.

    Args:
        key: The setting's name.
        value: Its value, as read.

    Returns:
        ``'the !ENV tag of KEY'`` for a value from the environment, else its ``repr``.
    """
    return f"the !ENV tag of {key}" if isinstance(value, EnvValue) else repr(value)
