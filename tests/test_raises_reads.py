"""DS301 follows the attributes a body reads into the project's properties, bounded."""

from __future__ import annotations

from docsync.models import Project
from docsync.rules import run_rules
from docsync.scan.python import scan_source


def ds301(source: str) -> list[str]:
    module = scan_source(source.encode(), "mod.py", "mod").module
    assert module is not None
    return [f.symbol for f in run_rules(Project(".", (module,))) if f.code == "DS301"]


def test_the_scan_records_the_attributes_a_body_reads() -> None:
    source = (
        "def f(self, other):\n"
        "    self.cache = other.items\n"
        "    return self.final_target.module, other.run()\n"
    )
    module = scan_source(source.encode(), "mod.py", "mod").module
    assert module is not None
    [function] = [s for s in module.symbols if s.name == "f"]
    # Stores are not reads; a called method is a callee and a read.
    assert set(function.reads) == {"items", "final_target", "module", "run"}
    assert function.calls == ("run",)


def chain(length: int, *, raises_at_end: bool) -> str:
    """A class whose property ``p0`` reads ``p1``, which reads ``p2``..."""
    lines = ["class Deep:"]
    for index in range(length):
        lines += ["    @property", f"    def p{index}(self):", f'        """Step {index}."""']
        if index == length - 1:
            lines.append("        raise ValueError" if raises_at_end else "        return 0")
        else:
            lines.append(f"        return self.p{index + 1}")
    lines += [
        "    @property",
        "    def top(self):",
        '        """The top.\n\n        Raises:\n            ValueError: deep down.\n        """',
        "        return self.p0",
    ]
    return "\n".join(lines) + "\n"


def test_a_raise_within_the_depth_is_found() -> None:
    assert ds301(chain(3, raises_at_end=True)) == []
    assert ds301(chain(3, raises_at_end=False)) == ["mod.Deep.top"]


def test_beyond_the_depth_nothing_is_reported() -> None:
    # Five properties deep is past the bound: unexplored, so it may raise.
    assert ds301(chain(6, raises_at_end=False)) == []


def test_a_cycle_of_properties_ends() -> None:
    source = '''\
class Ring:
    @property
    def left(self):
        """Left."""
        return self.right

    @property
    def right(self):
        """Right.

        Raises:
            ValueError: never, in fact.
        """
        return self.left
'''
    assert ds301(source) == ["mod.Ring.right"]
