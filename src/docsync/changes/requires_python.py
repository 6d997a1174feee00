"""The project's ``requires-python`` on one side of a change (``pyproject.toml`` ``[project]``)."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["PYPROJECT", "requires_python"]

PYPROJECT = "pyproject.toml"
_MAX_SIZE = 1_000_000  # a pyproject.toml is a few kB; a bigger one is not read


def requires_python(raw: bytes | None) -> str | None:
    """The ``[project] requires-python`` string of a ``pyproject.toml``.

    Args:
        raw: the file's bytes on one side of the change; ``None`` when it has none.

    Returns:
        The specifier as written, or ``None`` when the file is missing, too big, not
        valid TOML, or has no such string.
    """
    if raw is None or len(raw) > _MAX_SIZE:
        return None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
        return None
    project = data.get("project")
    value = project.get("requires-python") if isinstance(project, dict) else None
    return value if isinstance(value, str) else None
