"""What a module-level ``__getattr__`` can serve, read from its source (never run).

Packages serve lazy exports and deprecated names through a module ``__getattr__``
(PEP 562).  The names it serves are most often written down: a dict of names
(``_dynamic_imports = {"Field": (".fields", "Field")}``, the pydantic way), a set
or tuple of names, or ``if name == "__version__":`` branches.  Any other name
raises :class:`AttributeError`, so it is as missing as if there were no
``__getattr__``.  :func:`served_names` reads those shapes; whatever else the
function does with a name it has not tested (returns an import of it, calls
another function with it) makes it unreadable, and then the caller must treat
every name as possible.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence

__all__ = ["literal_names", "served_names"]

_MAX_STATEMENTS = 200  # a longer __getattr__ is not read


def literal_names(value: ast.expr | None) -> frozenset[str] | None:
    """The string keys of a dict literal, or the strings of a set, tuple or list literal.

    ``frozenset({...})``, ``set([...])`` and ``dict(a=...)`` count too.

    Args:
        value: The assigned expression.

    Returns:
        The names, or ``None`` when the value is not such a literal.
    """
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        if value.func.id == "dict" and not value.args:
            words = [k.arg for k in value.keywords]
            return frozenset(w for w in words if w) if all(words) else None
        if value.func.id in ("frozenset", "set", "tuple", "list") and len(value.args) == 1:
            return literal_names(value.args[0])
        return None
    if isinstance(value, ast.Dict):
        keys = value.keys
    elif isinstance(value, (ast.Set, ast.Tuple, ast.List)):
        keys = list(value.elts)
    else:
        return None
    names: list[str] = []
    for key in keys:
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None  # `**other` or a computed key: not a list of names
        names.append(key.value)
    return frozenset(names)


def served_names(
    func: ast.FunctionDef | ast.AsyncFunctionDef, collections: Mapping[str, frozenset[str]]
) -> frozenset[str] | None:
    """The names a module ``__getattr__`` may return something for.

    Args:
        func: The ``def __getattr__(name)`` node.
        collections: The module's top-level literal collections by name (see
            :func:`literal_names`), which the function may test the name against.

    Returns:
        The names, or ``None`` when the function can return for a name it did not
        test (or is too unusual to read).
    """
    args = func.args
    if len(args.args) + len(args.posonlyargs) != 1 or args.vararg or args.kwarg:
        return None
    if sum(1 for _ in ast.walk(func)) > _MAX_STATEMENTS * 10:
        return None
    reader = _Reader((args.posonlyargs + args.args)[0].arg, collections)
    return frozenset(reader.names) if reader.unserved(func.body) else None


class _Reader:
    """Follows the paths of a ``__getattr__`` on which the name was not found."""

    def __init__(self, param: str, collections: Mapping[str, frozenset[str]]) -> None:
        self.param = param
        self.collections = collections
        self.names: set[str] = set()
        self.lookups: set[str] = set()  # variables holding `table.get(name)`

    def unserved(self, body: Sequence[ast.stmt]) -> bool:
        """Whether every path through ``body`` for an untested name raises."""
        for stmt in body:
            if isinstance(stmt, ast.Raise):
                return True
            if isinstance(stmt, ast.If):
                outcome = self._branch(stmt)
                if outcome is None:
                    return False
                if outcome:
                    return True
                continue
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and self._lookup(stmt):
                continue
            if any(isinstance(n, (ast.Return, ast.Yield, ast.YieldFrom)) for n in ast.walk(stmt)):
                return False
            if isinstance(stmt, (ast.Try, ast.With, ast.Match, ast.For, ast.While)):
                return False
        return False  # falling off the end returns None for every name

    def _branch(self, stmt: ast.If) -> bool | None:
        """An ``if``: ``True`` when it ends every unserved path, ``False`` to go on, else None."""
        test = self._test(stmt.test)
        if test is None:
            if _returns(stmt.body) or _returns(stmt.orelse):
                return None
            return False
        found, positive = test
        self.names |= found
        if positive:  # `if name in table:` serves in the body; the else goes on unserved
            return self.unserved(stmt.orelse) if stmt.orelse else False
        # `if name not in table:` is the unserved path; after it, the name was found.
        return True if self.unserved(stmt.body) else None

    def _test(self, test: ast.expr) -> tuple[frozenset[str], bool] | None:
        """The names a test checks the parameter against, and whether it is positive."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self._test(test.operand)
            return None if inner is None else (inner[0], not inner[1])
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
            parts = [self._test(v) for v in test.values]
            if any(p is None or not p[1] for p in parts):
                return None
            return frozenset().union(*(p[0] for p in parts if p)), True
        if isinstance(test, ast.Name) and test.id in self.lookups:
            return frozenset(), True
        if not isinstance(test, ast.Compare) or len(test.ops) != 1:
            return None
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(left, ast.Name) and left.id in self.lookups:
            if isinstance(right, ast.Constant) and right.value is None:
                if isinstance(op, (ast.Is, ast.Eq)):
                    return frozenset(), False
                if isinstance(op, (ast.IsNot, ast.NotEq)):
                    return frozenset(), True
            return None
        if not (isinstance(left, ast.Name) and left.id == self.param):
            return None
        if isinstance(op, (ast.Eq, ast.NotEq)):
            if isinstance(right, ast.Constant) and isinstance(right.value, str):
                return frozenset({right.value}), isinstance(op, ast.Eq)
            return None
        if isinstance(op, (ast.In, ast.NotIn)):
            names = self._collection(right)
            return None if names is None else (names, isinstance(op, ast.In))
        return None

    def _collection(self, node: ast.expr) -> frozenset[str] | None:
        if isinstance(node, ast.Name):
            return self.collections.get(node.id)
        call = node if isinstance(node, ast.Call) and not node.args else None
        if call is not None and isinstance(call.func, ast.Attribute) and call.func.attr == "keys":
            return self._collection(call.func.value)
        return literal_names(node)

    def _lookup(self, stmt: ast.Assign | ast.AnnAssign) -> bool:
        """``found = table.get(name)``: remember ``found`` and the table's names."""
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        value = stmt.value
        if len(targets) != 1 or not isinstance(targets[0], ast.Name) or value is None:
            return False
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
            return False
        table = self._collection(value.func.value)
        first = value.args[0] if value.args else None
        is_param = isinstance(first, ast.Name) and first.id == self.param
        if value.func.attr != "get" or table is None or not is_param or len(value.args) != 1:
            return False
        self.names |= table
        self.lookups.add(targets[0].id)
        return True


def _returns(body: Sequence[ast.stmt]) -> bool:
    return any(isinstance(n, (ast.Return, ast.Yield)) for s in body for n in ast.walk(s))
