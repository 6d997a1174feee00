"""Adversarial inputs for every loop over names: each finishes, and gives a sane answer.

The guard (:func:`finishes`) only catches a hang; it is no speed test (speed is
measured in ``benchmarks/``): its limit is many times what the work takes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from docsync.changes.diff import MAX_CANDIDATES, ChangeKind, SideModule, diff_modules
from docsync.models import Project
from docsync.scan.index import Namespace, Status, SymbolIndex
from docsync.scan.python import scan_source

T = TypeVar("T")
HANG = 60.0  # seconds: far beyond what any of these takes


def finishes(work: Callable[[], T]) -> T:
    """Run ``work`` in a thread; fail (instead of hanging the suite) if it never ends."""
    box: list[T] = []
    thread = threading.Thread(target=lambda: box.append(work()), daemon=True)
    thread.start()
    thread.join(HANG)
    assert not thread.is_alive(), "did not finish: an unbounded loop"
    assert box, "raised (see the thread's traceback above)"
    return box[0]


def module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project(files: dict[str, str], root: Path) -> Project:
    modules = []
    for path, text in sorted(files.items()):
        module = scan_source(text.encode(), path, module_name(path)).module
        assert module is not None
        modules.append(module)
    return Project(str(root), tuple(modules))


def sides(files: dict[str, str]) -> list[SideModule]:
    out = []
    for path, text in sorted(files.items()):
        module = scan_source(text.encode(), path, module_name(path)).module
        assert module is not None
        out.append(SideModule(module, text.encode()))
    return out


# A module and a class of one name, the class re-exported over the module (SQLAlchemy's
# ``sqlalchemy.dialects.postgresql.array``): ``pkg.array.ARRAY`` leads to
# ``pkg.array.array.ARRAY``, then ``pkg.array.array.array.ARRAY``, ...
SAME_NAME = {
    "pkg/__init__.py": "from .array import array\nfrom .array import ARRAY\n",
    "pkg/array.py": "class array:\n    def get(self): ...\n\nARRAY = array\n",
}


def test_namespace_alias_chain_that_grows_ends(tmp_path: Path) -> None:
    p = project(SAME_NAME, tmp_path)
    namespace = Namespace.of(p.modules, p.modules)
    assert finishes(lambda: namespace.resolve("pkg.array.NOPE")) is None
    assert namespace.resolve("pkg.array.ARRAY") == "pkg.array.array"
    assert namespace.resolve("pkg.array.get") == "pkg.array.array.get"
    assert namespace.resolve("pkg.array.array.get") == "pkg.array.array.get"


def test_index_module_and_class_of_one_name(tmp_path: Path) -> None:
    index = SymbolIndex(project(SAME_NAME, tmp_path), search_paths=("."))
    assert finishes(lambda: index.lookup("pkg.array.NOPE")).status is not Status.FOUND
    assert index.lookup("pkg.array.array.get").qualname == "pkg.array.array.get"


def test_self_referential_reexports_end(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "from pkg import x as x\nfrom . import *\ny = y\n"
        "from pkg.sub import z\n",
        "pkg/sub.py": "from pkg import z\nfrom pkg.sub import *\n",
    }
    p = project(files, tmp_path)
    index = SymbolIndex(p, search_paths=("."))
    for name in ("pkg.x", "pkg.y", "pkg.z", "pkg.sub.z.q", "pkg.nothing"):
        assert finishes(lambda n=name: index.lookup(n)).symbol is None
    namespace = Namespace.of(p.modules, p.modules)
    assert finishes(lambda: namespace.resolve("pkg.z.attr")) is None


def test_star_import_cycles_that_branch_end(tmp_path: Path) -> None:
    # Ten modules, each star-importing all the others: a missing name has 10**12
    # paths at the depth bound; the step budget cuts them.
    count = 10
    files = {"pkg/__init__.py": "from .m0 import *\n"}
    for i in range(count):
        imports = "".join(f"from .m{j} import *\n" for j in range(count) if j != i)
        files[f"pkg/m{i}.py"] = imports + f"def f{i}(): ...\n"
    index = SymbolIndex(project(files, tmp_path), search_paths=("."))
    assert finishes(lambda: index.lookup("pkg.nowhere")).status is not Status.FOUND
    assert index.lookup("pkg.m3.f3").qualname == "pkg.m3.f3"


def test_alias_chains_that_grow_end(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "A = A.b\nB = C\nC = B\nfrom pkg import D as E\nD = E.x\n"}
    p = project(files, tmp_path)
    namespace = Namespace.of(p.modules, p.modules)
    index = SymbolIndex(p, search_paths=("."))
    for name in ("pkg.A.c", "pkg.B", "pkg.E.y", "pkg.D.x.x.x"):
        finishes(lambda n=name: (namespace.resolve(n), index.lookup(n)))


def test_ten_thousand_symbol_module(tmp_path: Path) -> None:
    body = "".join(f"def f{i}(a, b):\n    return a + {i}\n\n" for i in range(10_000))
    files = {"pkg/__init__.py": "from .big import *\n", "pkg/big.py": body}
    p = finishes(lambda: project(files, tmp_path))
    index = SymbolIndex(p, search_paths=("."))
    names = [f"pkg.f{i}" for i in range(0, 10_000, 7)]
    found = finishes(lambda: [index.resolve(n) for n in names])
    assert all(s is not None for s in found)


def test_rename_pairing_of_thousands_is_bounded() -> None:
    # 2,000 methods removed and 2,000 added, all of one signature in one module: every
    # pair is a candidate; each removed method is compared with MAX_CANDIDATES at most.
    old = "class K:\n" + "".join(
        f"    def old_{i}(self):\n        x = {i}\n        return x * {i} + 1\n"
        for i in range(2_000)
    )
    new = "class K:\n" + "".join(
        f"    def new_{i}(self):\n        y = {i}\n        return y * {i} - 2\n"
        for i in range(2_000)
    )
    new += "    def moved(self):\n        x = 7\n        return x * 7 + 1\n"  # old_7, same code
    changes = finishes(lambda: diff_modules(sides({"pkg/m.py": old}), sides({"pkg/m.py": new})))
    by_name = {c.qualname: c for c in changes}
    assert ChangeKind.RENAMED in by_name["pkg.m.K.old_7"].kinds
    assert by_name["pkg.m.K.old_7"].new_qualname == "pkg.m.K.moved"
    assert MAX_CANDIDATES < 2_000
