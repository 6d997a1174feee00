"""Read ``mkdocs.yml`` without running anything, and without echoing ``!ENV`` values.

The YAML loader accepts any tag (``!ENV``, ``!!python/name:``, ``!relative``...):
unknown tags become :class:`TaggedValue` placeholders, and ``!ENV`` reads the
environment as MkDocs does.  A value read that way may be a secret (a workflow's
``INPUT_GITHUB_TOKEN``), so error messages name the tag instead of the value.
``INHERIT`` targets are read as the file itself is: regular files inside the
repository only, at most :data:`MAX_CONFIG_SIZE` bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from docsync.errors import PARSER_LIMITS, ConfigError
from docsync.paths import read_regular
from docsync.scan.yaml_values import (
    MAX_CONFIG_SIZE,
    EnvValue,
    TaggedValue,
    environment_value,
    shown_value,
)

__all__ = [
    "MAX_CONFIG_SIZE",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "TaggedValue",
    "read_mkdocs_yaml",
    "shown_value",
    "yaml_load",
]

"""The largest ``mkdocs.yml`` (or ``INHERIT`` target) read."""


MAX_YAML_DEPTH = 100
"""The deepest nesting of collections a YAML file may have (MkDocs configs use a handful)."""
MAX_YAML_NODES = 200_000
"""The most nodes a YAML document may hold once every alias is expanded ("billion laughs")."""


class _TolerantLoader(yaml.SafeLoader):
    """A bounded SafeLoader that turns every unknown tag into a :class:`TaggedValue`.

    The composer counts, while it builds the node graph, how deep collections nest
    and how many nodes the document holds with every alias expanded; past
    :data:`MAX_YAML_DEPTH` or :data:`MAX_YAML_NODES`, or on an alias to a collection
    that contains it (``nav: &a [*a]``), it stops with a :class:`yaml.YAMLError` that
    names the line.  So nothing downstream walks a cycle or an exponential tree.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._expanded = 0
        self._open_anchors: set[str] = set()
        self._anchor_sizes: dict[str, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent) and anchor is not None:
            if anchor in self._open_anchors:
                self._refuse(event, f"the alias *{anchor} refers to a collection that contains it")
            self._count(event, self._anchor_sizes.get(anchor, 1))
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            self._refuse(event, f"collections nested more than {MAX_YAML_DEPTH} deep")
        if anchor is not None:
            self._open_anchors.add(anchor)
        before = self._expanded
        self._count(event, 1)
        node = super().compose_node(parent, index)
        if anchor is not None:
            self._open_anchors.discard(anchor)
            self._anchor_sizes[anchor] = self._expanded - before
        self._depth -= 1
        return node

    def _count(self, event: yaml.Event, nodes: int) -> None:
        self._expanded += nodes
        if self._expanded > MAX_YAML_NODES:
            self._refuse(event, f"more than {MAX_YAML_NODES:,} values once aliases are expanded")

    @staticmethod
    def _refuse(event: yaml.Event, problem: str) -> None:
        raise yaml.composer.ComposerError(None, None, problem, event.start_mark)  # type: ignore[arg-type]


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    value: object = None
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    return environment_value(value) if node.tag == "!ENV" else TaggedValue(node.tag, value)


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
        data = yaml_load(text)
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
        name = name if isinstance(parent, EnvValue) else ""
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
    """Load YAML text with the tolerant, bounded loader.

    Unknown tags become :class:`TaggedValue`; see :class:`_TolerantLoader` for the
    limits on nesting and alias expansion.

    Args:
        text: The YAML.

    Returns:
        The value.

    Raises:
        yaml.YAMLError: The text is not valid YAML, or goes past a limit (an
            integer of more digits than Python converts is refused the same way).
    """
    try:
        return yaml.load(text, Loader=_TolerantLoader)
    except PARSER_LIMITS:
        raise yaml.YAMLError("nested too deeply") from None
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        raise yaml.YAMLError("an integer is too long") from None
