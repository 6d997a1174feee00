"""Docstrings given at run time: ``f.__doc__ = ...`` in the body that defines ``f``.

networkx writes ``out_edges.__doc__ = edges.__doc__`` in a class body; other projects
set ``func.__doc__ = "..."`` after a function, or ``Cls.meth.__doc__ = ...`` after
a class.  The scanner reads these assignments in module and class bodies
(:func:`doc_assigned`) and records the symbol as documented at run time
(``Symbol.runtime_doc``), so that no rule asks it for a docstring it has.
"""

from __future__ import annotations

import ast

__all__ = ["doc_assigned"]

MAX_DOC_TARGET_DEPTH = 8
"""The most dotted parts before ``.__doc__`` that are read (``a.b.c.__doc__``)."""


def doc_assigned(target: ast.expr, value: ast.expr | None) -> str | None:
    """The dotted name whose ``__doc__`` an assignment sets (``a.b.__doc__ = ...``).

    Args:
        target: one target of the assignment.
        value: the value assigned (``None`` for an annotation without one).

    Returns:
        The name as written before ``.__doc__``, or ``None`` for any other target and
        for a value that documents nothing (``None``, an empty string).
    """
    if not isinstance(target, ast.Attribute) or target.attr != "__doc__":
        return None
    if isinstance(value, ast.Constant) and not (
        isinstance(value.value, str) and value.value.strip()
    ):
        return None
    parts: list[str] = []
    node: ast.expr = target.value
    while isinstance(node, ast.Attribute) and len(parts) < MAX_DOC_TARGET_DEPTH:
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])
