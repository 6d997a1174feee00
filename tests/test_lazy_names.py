"""Reading what a module ``__getattr__`` serves (scan.lazy_names), through the scanner."""

from __future__ import annotations

import textwrap

import pytest

from docsync.models import Bindings
from docsync.scan.python import scan_source


def bindings(source: str) -> Bindings:
    result = scan_source(textwrap.dedent(source).encode(), "pkg/__init__.py", "pkg")
    assert result.module is not None
    return result.module.bindings


@pytest.mark.parametrize(
    ("source", "served"),
    [
        (  # pydantic: a name -> (package, module) table, read with .get
            """
            _dynamic_imports: 'dict[str, tuple[str, str]]' = {
                'Field': (__spec__.parent, '.fields'),
                'BaseModel': (__spec__.parent, '.main'),
            }
            def __getattr__(attr_name: str) -> object:
                dynamic_attr = _dynamic_imports.get(attr_name)
                if dynamic_attr is None:
                    raise AttributeError(attr_name)
                package, module_name = dynamic_attr
                return module_name
            """,
            ("BaseModel", "Field"),
        ),
        (  # textual: only __version__
            """
            def __getattr__(name: str) -> str:
                '''Lazily get the version.'''
                if name == "__version__":
                    from importlib.metadata import version
                    return version("textual")
                raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
            """,
            ("__version__",),
        ),
        (  # deprecated names in a set, a tuple branch, and `not in` first
            """
            _OLD = frozenset({"load", "dump"})
            def __getattr__(name):
                if name not in _OLD and name not in ("parse",):
                    raise AttributeError(name)
                import warnings
                return name
            """,
            None,  # `and` of two negative tests is not read: unreadable, judged nothing
        ),
        (
            """
            def __getattr__(name):
                if name in ("a", "b") or name == "c":
                    return 1
                elif name in {"d"}:
                    return 2
                raise AttributeError(name)
            """,
            ("a", "b", "c", "d"),
        ),
        (
            """
            _lazy = dict(Client="._client")
            def __getattr__(name):
                if name not in _lazy.keys():
                    raise AttributeError(name)
                return __import__(_lazy[name])
            """,
            ("Client",),
        ),
    ],
)
def test_readable_getattrs(source: str, served: tuple[str, ...] | None) -> None:
    found = bindings(source)
    if served is None:
        assert found.dynamic and found.unread_getattr > 0
    else:
        assert found.lazy == served and not found.dynamic and found.unread_getattr == 0


@pytest.mark.parametrize(
    "source",
    [
        "import importlib\ndef __getattr__(name):\n    return importlib.import_module(name)\n",
        "def __getattr__(name):\n    if name.startswith('x'):\n        return 1\n"
        "    raise AttributeError(name)\n",
        "def __getattr__(name):\n    pass\n",  # falls off the end: None for every name
        "T = {'a': 1}\nT = make()\ndef __getattr__(name):\n    if name in T:\n        return 1\n"
        "    raise AttributeError(name)\n",  # the table was rebound to something unknown
        "def __getattr__(name):\n    try:\n        return load(name)\n    except KeyError:\n"
        "        raise AttributeError(name)\n",
        "def __getattr__(*names):\n    raise AttributeError(names)\n",
    ],
)
def test_unreadable_getattrs(source: str) -> None:
    found = bindings(source)
    assert found.dynamic and found.lazy == () and found.unread_getattr >= 1


def test_no_getattr_is_not_dynamic() -> None:
    found = bindings("X = {'a': 1}\n")
    assert not found.dynamic and found.lazy == () and found.unread_getattr == 0
