"""The symbol index: re-exports, aliases, star imports, members, and what stays unknown."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsync.models import Project
from docsync.scan.index import ModuleFacts, Status, SymbolIndex, module_facts
from docsync.scan.project import scan_project
from docsync.scan.python import scan_source

FILES = {
    "src/pkg/__init__.py": (
        "from ._client import Client as Client\n"
        "from .sub import *\n"
        "from . import util\n"
        "import os.path\n"
        "Alias = Client\n"
        "VERSION = '1'\n"
        "__all__ = ['Client', 'helper']\n"
    ),
    "src/pkg/_client.py": (
        "from typing import Generic, TypeVar\n"
        "from requests import Session\n"
        "T = TypeVar('T')\n\n"
        "class Base(Generic[T]):\n"
        "    def close(self): ...\n\n"
        "class Client(Base[int]):\n"
        "    timeout = 3\n"
        "    def __init__(self, url, *, retries=3):\n"
        "        self.url = url\n"
        "    def get(self, path, **kw): ...\n\n"
        "class Remote(Session):\n"
        "    def fetch(self): ...\n\n"
        "class Dynamic:\n"
        "    def __getattr__(self, name): ...\n"
    ),
    "src/pkg/sub/__init__.py": "from .impl import *\n",
    "src/pkg/sub/impl.py": (
        "__all__ = ['helper']\n\n"
        "def helper(a, b=1): ...\n\n"
        "def hidden(): ...\n\n"
        "from typing import overload\n\n"
        "@overload\ndef shape(x: int) -> int: ...\n"
        "@overload\ndef shape(x: str) -> str: ...\n"
        "def shape(x): return x\n"
    ),
    "src/pkg/util.py": "from os.path import join\n\ndef load_config(path): ...\n",
    "src/pkg/lazy.py": "def __getattr__(name): ...\n",
    "src/pkg/_speedups.c": "/* compiled */\n",
    "src/pkg/_speedups_user.py": "from pkg._speedups import fast\n",
    "setup.py": "from setuptools import setup\nsetup()\n",
    "tools/build.py": "def build(): ...\n",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SymbolIndex:
    root = tmp_path_factory.mktemp("project")
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    project = scan_project(root, [root / "src", root / "setup.py", root / "tools"])
    return SymbolIndex.from_project(project)


@pytest.mark.parametrize(
    ("dotted", "qualname"),
    [
        ("pkg.Client", "pkg._client.Client"),
        ("pkg.Alias", "pkg._client.Client"),
        ("pkg.Client.get", "pkg._client.Client.get"),
        ("pkg.Client.close", "pkg._client.Base.close"),
        ("pkg.helper", "pkg.sub.impl.helper"),
        ("pkg.sub.helper", "pkg.sub.impl.helper"),
        ("pkg.util", "pkg.util"),
        ("pkg.util.load_config", "pkg.util.load_config"),
    ],
)
def test_resolves_through_reexports_aliases_and_bases(
    index: SymbolIndex, dotted: str, qualname: str
) -> None:
    found = index.lookup(dotted)
    assert (found.status, found.qualname) == (Status.FOUND, qualname)
    symbol = index.resolve(dotted)
    assert symbol is not None and symbol.qualname == qualname


@pytest.mark.parametrize(
    "dotted", ["pkg.VERSION", "pkg.Client.url", "pkg.Client.timeout", "pkg.util.join", "pkg.os"]
)
def test_values_exist_without_a_symbol(index: SymbolIndex, dotted: str) -> None:
    found = index.lookup(dotted)
    assert found.status is Status.FOUND and found.symbol is None


@pytest.mark.parametrize(
    ("dotted", "container", "missing"),
    [
        ("pkg.nope", "pkg", "nope"),
        ("pkg.hidden", "pkg", "hidden"),  # not in impl's __all__, so not star-imported
        ("pkg.util.load_conf", "pkg.util", "load_conf"),
        ("pkg.Client.post", "pkg._client.Client", "post"),
        ("pkg.sub.impl.nothing", "pkg.sub.impl", "nothing"),
    ],
)
def test_missing_names(index: SymbolIndex, dotted: str, container: str, missing: str) -> None:
    found = index.lookup(dotted)
    assert (found.status, found.qualname, found.missing) == (Status.MISSING, container, missing)


@pytest.mark.parametrize(
    "dotted",
    [
        "pkg._client.Remote.anything",  # a base from outside the project
        "pkg._client.Dynamic.anything",  # __getattr__
        "pkg.lazy.anything",  # module __getattr__
        "pkg._speedups",  # a compiled module the scan did not read
        "pkg._speedups_user.fast",  # imported from it
        "pkg.VERSION.upper",  # an attribute of a value
        "pkg.util.load_config.cache",  # an attribute of a function
        "pkg.Client.__init__",
    ],
)
def test_what_cannot_be_known_is_unknown(index: SymbolIndex, dotted: str) -> None:
    assert index.lookup(dotted).status in (Status.UNKNOWN, Status.FOUND)
    assert index.lookup(dotted).status is not Status.MISSING


def test_other_libraries_and_tool_modules_are_external(index: SymbolIndex) -> None:
    assert index.lookup("os.path.join").status is Status.EXTERNAL
    assert index.is_project_name("pkg.anything") and not index.is_project_name("requests.get")
    assert not index.is_project_name("setup.py")  # a tool script at the root
    assert not index.is_project_name("build.build")  # a loose module outside the search paths
    assert index.top_level_names == frozenset({"pkg"})


def test_suggestions_are_close_siblings_or_a_unique_move(index: SymbolIndex) -> None:
    assert index.suggest("pkg.util.load_conf") == "pkg.util.load_config"
    assert index.suggest("pkg.Client.gett") == "pkg.Client.get"
    assert index.suggest("pkg.util.helper") == "pkg.sub.impl.helper"  # moved elsewhere
    assert index.suggest("pkg.zzz") is None
    assert index.suggest("pkg.Client") is None  # not missing


def test_members_follow_project_bases_only(index: SymbolIndex) -> None:
    client = index.resolve("pkg.Client")
    remote = index.resolve("pkg._client.Remote")
    assert client is not None and remote is not None
    members = index.members(client)
    assert members is not None and {"get", "close", "url", "timeout"} <= members
    assert index.members(remote) is None


def test_short_names_and_overloads(index: SymbolIndex) -> None:
    assert [s.qualname for s in index.find_by_short_name("helper")] == ["pkg.sub.impl.helper"]
    assert index.is_overloaded("pkg.sub.impl.shape")
    assert not index.is_overloaded("pkg.sub.impl.helper")


def facts_of(source: str, path: str, name: str) -> ModuleFacts:
    """The facts of a module, from its one scan."""
    module = scan_source(source.encode(), path, name).module
    assert module is not None
    return module_facts(module)


def test_module_facts_read_imports_all_and_dynamism() -> None:
    facts = facts_of(
        "import a.b\nimport c.d as e\nfrom .x import y as z\nfrom ..up import *\n"
        "__all__ = ['z']\n__all__ += ['w']\nw = a.b.c\n"
        "try:\n    from fast import f\nexcept ImportError:\n    f = None\n"
        "def __getattr__(name): ...\n",
        "pkg/sub/mod.py",
        "pkg.sub.mod",
    )
    assert facts.imports == {
        "a": "a",
        "e": "c.d",
        "z": "pkg.sub.x.y",
        "w": "pkg.sub.mod.a.b.c",
        "f": "fast.f",
    }
    assert facts.star == ("pkg.up",)
    assert facts.all_names == frozenset({"z", "w"})
    assert facts.dynamic
    assert facts_of("x = 1\n", "m.py", "m") == ModuleFacts({})
    assert facts_of("x = globals()\n", "m.py", "m").dynamic


def test_a_package_init_imports_relative_to_itself_and_definitions_rebind() -> None:
    facts = facts_of(
        "from .core import run, stop\nfrom . import util\ndef stop(): ...\nrun = run\n",
        "pkg/__init__.py",
        "pkg",
    )
    assert facts.imports == {"run": "pkg.core.run", "util": "pkg.util"}


def test_namespace_package_without_init(tmp_path: Path) -> None:
    module = tmp_path / "src" / "ns" / "inner" / "__init__.py"
    module.parent.mkdir(parents=True)
    module.write_text("def go(): ...\n", encoding="utf-8")
    index = SymbolIndex.from_project(scan_project(tmp_path, [tmp_path / "src"]))
    assert index.lookup("inner.go").status is Status.FOUND
    assert index.lookup("inner.stop").status is Status.MISSING


def test_a_partial_scan_does_not_make_names_missing(tmp_path: Path) -> None:
    package = tmp_path / "src" / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("def top(): ...\n", encoding="utf-8")
    (package / "sub" / "__init__.py").write_text("def inner(): ...\n", encoding="utf-8")
    (package / "other.py").write_text("def other(): ...\n", encoding="utf-8")
    index = SymbolIndex.from_project(scan_project(tmp_path, [package / "sub"]))
    assert index.lookup("pkg.sub.inner").status is Status.FOUND
    assert index.lookup("pkg.sub.nothing").status is Status.MISSING
    assert index.lookup("pkg.top").status is Status.UNKNOWN  # pkg/__init__.py not scanned
    assert index.lookup("pkg.other.other").status is Status.UNKNOWN


def test_builtin_and_enum_bases_have_known_members(tmp_path: Path) -> None:
    module = tmp_path / "src" / "pal" / "__init__.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "import enum\nfrom enum import IntEnum\n\n"
        "class Color(enum.Enum):\n    RED = 1\n\n"
        "class Size(IntEnum):\n    BIG = 2\n\n"
        "class PaletteError(ValueError):\n    code = 3\n",
        encoding="utf-8",
    )
    index = SymbolIndex.from_project(scan_project(tmp_path, [tmp_path / "src"]))
    assert index.lookup("pal.Color.RED").status is Status.FOUND
    assert index.lookup("pal.Color.BLUE").status is Status.MISSING
    assert index.lookup("pal.Size.bit_length").status is Status.FOUND
    assert index.lookup("pal.PaletteError.args").status is Status.FOUND
    assert index.lookup("pal.PaletteError.colour").status is Status.MISSING


def test_classes_that_set_attributes_dynamically_have_unknown_members() -> None:
    source = (
        "class Plain:\n    x = 1\n\n\n"
        "class Bag:\n    def __init__(self, **kw):\n        self.__dict__.update(kw)\n\n\n"
        "class Loader:\n    def load(self, name):\n        setattr(self, name, 1)\n"
    )
    module = scan_source(source.encode(), "src/pkg/mod.py", "pkg.mod").module
    assert module is not None
    flags = {s.name: s.dynamic_attributes for s in module.symbols if s.kind.value == "class"}
    assert flags == {"Plain": False, "Bag": True, "Loader": True}
    index = SymbolIndex(Project("/nonexistent", (module,)))  # read from the scan, not the disk
    plain, bag, loader = (index.project.get(f"pkg.mod.{n}") for n in ("Plain", "Bag", "Loader"))
    assert plain is not None and index.members(plain) is not None
    assert bag is not None and index.members(bag) is None
    assert loader is not None and index.members(loader) is None
