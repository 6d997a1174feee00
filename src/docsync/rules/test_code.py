"""Test code and task files: parameters no caller passes, and code that is not API.

pytest injects a test's and a fixture's arguments (fixtures, ``parametrize``
values), and invoke/fabric pass a task its context: asking their docstrings to
list those parameters is noise (on griffe, 15 of 20 DS102 findings).  The
``check-tests`` setting turns this off and checks test code like API.

What counts is decided from names and decorators only, conservatively, so that a
module outside the tests is never mistaken for test code:

* a test module is a file named ``test_*.py``, ``*_test.py`` or ``conftest.py``, or
  any file under a ``tests/`` directory or a top-level ``test/`` one (a ``test``
  package inside the code, such as ``django.test``, is API);
* a test is a function named ``test*`` at a test module's top level, or any method of
  a ``Test*`` class in a test module;
* a fixture is a function decorated with ``@pytest.fixture``, ``@fixture`` or
  ``@pytest_asyncio.fixture`` (called or not), wherever it is defined;
* a task is a function decorated with ``@task`` (``invoke.task``, ``fabric.task``)
  or ``@duty`` whose first parameter is ``c``, ``ctx`` or ``context``, or with
  ``@nox.session`` whose first parameter is ``session``: that first parameter is
  the injected one.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from docsync.models import Symbol, SymbolKind

__all__ = ["injected_params", "is_test_module"]

_FIXTURES = frozenset({"fixture", "pytest.fixture", "pytest_asyncio.fixture"})
_TASKS = frozenset({"task", "invoke.task", "fabric.task", "invoke.tasks.task", "duty", "duty.duty"})
_CONTEXTS = frozenset({"c", "ctx", "context"})
_SESSIONS = frozenset({"session", "nox.session"})


def is_test_module(path: str) -> bool:
    """Whether the file at ``path`` is test code (pytest's naming, or a tests folder).

    Args:
        path: A root-relative path with ``/`` separators.

    Returns:
        True for ``test_*.py``, ``*_test.py``, ``conftest.py``, any file under a
        ``tests/`` directory and any file under a top-level ``test/`` one.
    """
    parts = PurePosixPath(path).parts
    if not parts:
        return False
    name = parts[-1]
    if name == "conftest.py" or name.endswith("_test.py"):
        return True
    if name.startswith("test_") and name.endswith(".py"):
        return True
    return (len(parts) > 1 and parts[0] == "test") or "tests" in parts[:-1]


def injected_params(symbol: Symbol) -> frozenset[str]:
    """The parameters of ``symbol`` that are injected rather than passed by a caller.

    Args:
        symbol: Any symbol.

    Returns:
        Every parameter of a test or a fixture, the context (or nox session)
        parameter of a task, else nothing.
    """
    signature = symbol.signature
    if signature is None or not signature.params:
        return frozenset()
    if _is_fixture(symbol) or _is_test(symbol):
        return frozenset(p.name for p in signature.params)
    first = signature.params[0].name
    if first in _CONTEXTS and any(d in _TASKS for d in symbol.decorators):
        return frozenset({first})
    if first == "session" and any(d in _SESSIONS for d in symbol.decorators):
        return frozenset({first})
    return frozenset()


def _is_fixture(symbol: Symbol) -> bool:
    return symbol.kind in (SymbolKind.FUNCTION, SymbolKind.METHOD) and any(
        d in _FIXTURES for d in symbol.decorators
    )


def _is_test(symbol: Symbol) -> bool:
    if not is_test_module(symbol.location.path):
        return False
    parts = symbol.qualname.split(".")
    if symbol.kind is SymbolKind.METHOD:
        return len(parts) >= 2 and parts[-2].startswith("Test")
    return symbol.kind is SymbolKind.FUNCTION and parts[-1].startswith("test")
