"""The read-only Python scanner: symbols, signatures, body facts, locations, bad input."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

import docsync.scan.python as python_scanner
from docsync.models import (
    Docstring,
    Location,
    Module,
    Parameter,
    ParamKind,
    Severity,
    Style,
    Symbol,
    SymbolKind,
)
from docsync.scan.project import scan_project
from docsync.scan.python import ScanResult, module_name_for, scan_source

P = ParamKind


def scan(code: str, module: str = "mod") -> ScanResult:
    return scan_source(textwrap.dedent(code).encode("utf-8"), "pkg/mod.py", module)


def module_of(code: str) -> Module:
    result = scan(code)
    assert result.module is not None, result.diagnostics
    return result.module


def symbols(code: str) -> dict[str, Symbol]:
    """Symbols by qualname; the first one wins for a repeated name."""
    table: dict[str, Symbol] = {}
    for symbol in module_of(code).symbols:
        table.setdefault(symbol.qualname, symbol)
    return table


def params(symbol: Symbol) -> list[tuple[str, ParamKind, str | None, str | None]]:
    assert symbol.signature is not None
    return [(p.name, p.kind, p.annotation, p.default) for p in symbol.signature.params]


# --- symbols, kinds, qualnames, order ------------------------------------------------------


def test_symbols_in_source_order_with_nested_qualnames() -> None:
    mod = module_of(
        """
        def outer():
            def inner():
                pass
            class Local:
                def meth(self):
                    pass
        class Class:
            def method(self):
                pass
            class Inner:
                def meth(self):
                    pass
        if True:
            def conditional():
                pass
        """
    )
    assert [s.qualname for s in mod.symbols] == [
        "mod",
        "mod.outer",
        "mod.outer.inner",
        "mod.outer.Local",
        "mod.outer.Local.meth",
        "mod.Class",
        "mod.Class.method",
        "mod.Class.Inner",
        "mod.Class.Inner.meth",
        "mod.conditional",
    ]
    kinds = {s.qualname: s.kind for s in mod.symbols}
    assert kinds["mod"] is SymbolKind.MODULE
    assert kinds["mod.outer.inner"] is SymbolKind.FUNCTION
    assert kinds["mod.outer.Local.meth"] is SymbolKind.METHOD
    assert kinds["mod.Class.Inner"] is SymbolKind.CLASS


def test_repeated_qualnames_are_all_kept() -> None:
    mod = module_of(
        """
        from typing import overload
        @overload
        def f(x: int) -> int: ...
        @overload
        def f(x: str) -> str: ...
        def f(x):
            return x
        """
    )
    variants = [s for s in mod.symbols if s.qualname == "mod.f"]
    assert len(variants) == 3
    assert variants[0].decorators == ("overload",)
    assert variants[2].decorators == ()


def test_properties_and_their_accessors() -> None:
    table = symbols(
        """
        import functools
        class C:
            @property
            def size(self) -> int:
                return self._size
            @size.setter
            def size(self, value: int) -> None:
                self._size = value
            @size.deleter
            def size(self) -> None:
                del self._size
            @functools.cached_property
            def cached(self):
                return 1
            @cached_property
            def bare(self):
                return 2
        """
    )
    mod = module_of(
        """
        class C:
            @property
            def x(self): return 1
            @x.setter
            def x(self, v): pass
        """
    )
    assert [s.qualname for s in mod.symbols] == ["mod", "mod.C", "mod.C.x"]
    assert table["mod.C.size"].kind is SymbolKind.PROPERTY
    assert table["mod.C.size"].signature is not None
    assert table["mod.C.size"].signature.returns == "int"
    assert table["mod.C.cached"].kind is SymbolKind.PROPERTY
    assert table["mod.C.bare"].kind is SymbolKind.PROPERTY
    assert "_size" in table["mod.C"].attributes  # set in the setter


# --- signatures ----------------------------------------------------------------------------


def test_every_parameter_kind_with_annotations_and_defaults() -> None:
    fn = symbols(
        """
        def f(
            a, b: int = 1, /, c: "str" = 'x', *args: int, d, e: list[int] = [], **kw: object
        ) -> dict[str, int]:
            pass
        """
    )["mod.f"]
    assert params(fn) == [
        ("a", P.POSITIONAL_ONLY, None, None),
        ("b", P.POSITIONAL_ONLY, "int", "1"),
        ("c", P.POSITIONAL_OR_KEYWORD, "'str'", "'x'"),
        ("args", P.VAR_POSITIONAL, "int", None),
        ("d", P.KEYWORD_ONLY, None, None),
        ("e", P.KEYWORD_ONLY, "list[int]", "[]"),
        ("kw", P.VAR_KEYWORD, "object", None),
    ]
    assert fn.signature is not None
    assert fn.signature.returns == "dict[str, int]"


def test_defaults_are_unparsed_source_text() -> None:
    fn = symbols("def f(a=-1, b=1.5, c=None, d=os.sep, e=(1, 2), f=lambda: 0, g=True): ...")
    defaults = [p[3] for p in params(fn["mod.f"])]
    assert defaults == ["-1", "1.5", "None", "os.sep", "(1, 2)", "lambda: 0", "True"]


def test_methods_drop_the_first_parameter_unless_static() -> None:
    table = symbols(
        """
        class C:
            def method(this, a): pass
            @classmethod
            def factory(klass, b): pass
            @staticmethod
            def helper(c, d): pass
            def varargs_only(*args): pass
        def function(self, e): pass
        """
    )
    assert [p[0] for p in params(table["mod.C.method"])] == ["a"]
    assert [p[0] for p in params(table["mod.C.factory"])] == ["b"]
    assert [p[0] for p in params(table["mod.C.helper"])] == ["c", "d"]
    assert [p[0] for p in params(table["mod.C.varargs_only"])] == ["args"]
    assert [p[0] for p in params(table["mod.function"])] == ["self", "e"]


def test_async_and_decorator_texts() -> None:
    fn = symbols(
        """
        @functools.lru_cache(maxsize=1)
        @app.route("/x")
        @register
        @handlers[0]
        async def f():
            pass
        """
    )["mod.f"]
    assert fn.decorators == ("functools.lru_cache", "app.route", "register", "handlers[0]")
    assert fn.signature is not None and fn.signature.is_async
    assert fn.has_decorator("lru_cache")


# --- generators and returns ----------------------------------------------------------------


def test_generator_only_from_its_own_body() -> None:
    table = symbols(
        """
        def gen():
            x = yield
        def gen_from():
            if True:
                return (yield from other())
        def outer():
            def inner():
                yield 1
            lam = lambda: (yield)
            class K:
                def m(self):
                    yield 2
            return [x for x in inner()]
        def mentions():
            "yield in a docstring is not a yield"
            return "yield"
        """
    )
    assert table["mod.gen"].signature.is_generator  # type: ignore[union-attr]
    assert table["mod.gen_from"].signature.is_generator  # type: ignore[union-attr]
    assert not table["mod.outer"].signature.is_generator  # type: ignore[union-attr]
    assert table["mod.outer.inner"].signature.is_generator  # type: ignore[union-attr]
    assert not table["mod.mentions"].signature.is_generator  # type: ignore[union-attr]


def test_returns_value_ignores_bare_and_none_returns_and_nested_defs() -> None:
    table = symbols(
        """
        def bare():
            return
        def none():
            if x:
                return None
        def value():
            for i in x:
                try:
                    return i
                finally:
                    pass
        def nested():
            def inner():
                return 1
            return None
        """
    )
    returns = {q: s.signature.returns_value for q, s in table.items() if s.signature}
    assert returns == {
        "mod.bare": False,
        "mod.none": False,
        "mod.value": True,
        "mod.nested": False,
        "mod.nested.inner": True,
    }


# --- raises --------------------------------------------------------------------------------


def test_raises_named_classes_dotted_and_called() -> None:
    fn = symbols(
        """
        def f(x):
            if x:
                raise ValueError
            elif x > 1:
                raise errors.BadThing("no") from None
            with open(x):
                raise ValueError("again")
            def nested():
                raise KeyError
        """
    )["mod.f"]
    assert fn.raises == ("ValueError", "errors.BadThing")
    assert not fn.raises_unknown


def test_bare_raise_and_raise_of_the_caught_name() -> None:
    fn = symbols(
        """
        def f():
            try:
                work()
            except (OSError, socket.timeout):
                log()
                raise
            except KeyError as exc:
                raise exc
            except:
                raise
        """
    )["mod.f"]
    assert fn.raises == ("OSError", "socket.timeout", "KeyError", "BaseException")
    assert not fn.raises_unknown


def test_unknown_raises_and_asserts() -> None:
    table = symbols(
        """
        class C:
            def a(self):
                raise self._error()
            def b(self, exc):
                raise exc
            def c(self):
                raise errors[0]
            def d(self):
                raise
            def e(self, x):
                assert x
                assert x, "again"
        """
    )
    for name in "abcd":
        assert table[f"mod.C.{name}"].raises_unknown, name
        assert table[f"mod.C.{name}"].raises == ()
    assert table["mod.C.e"].raises == ("AssertionError",)
    assert not table["mod.C.e"].raises_unknown


# --- stubs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "stub"),
    [
        ("...", True),
        ("pass", True),
        ('"""Doc."""', True),
        ('"""Doc."""\n    ...', True),
        ("raise NotImplementedError", True),
        ('"""Doc."""\n    pass\n    raise NotImplementedError("subclass")', True),
        ("return 1", False),
        ("raise ValueError", False),
        ('"""Doc."""\n    "another string"', False),
    ],
)
def test_stub_bodies(body: str, stub: bool) -> None:
    assert symbols(f"def f():\n    {body}\n")["mod.f"].is_stub is stub


# --- classes: constructors -----------------------------------------------------------------


def test_class_signature_from_init_then_new_else_none() -> None:
    table = symbols(
        """
        class WithInit(Base):
            def __init__(self, a, *, b=1):
                pass
        class WithNew:
            def __new__(cls, value):
                return super().__new__(cls)
        class Inherits(Base):
            def method(self): pass
        """
    )
    assert params(table["mod.WithInit"]) == [
        ("a", P.POSITIONAL_OR_KEYWORD, None, None),
        ("b", P.KEYWORD_ONLY, None, "1"),
    ]
    assert table["mod.WithInit"].signature.returns is None  # type: ignore[union-attr]
    assert params(table["mod.WithNew"]) == [("value", P.POSITIONAL_OR_KEYWORD, None, None)]
    assert table["mod.Inherits"].signature is None
    assert table["mod.WithInit"].bases == ("Base",)


def test_dataclass_fields_become_parameters() -> None:
    cls = symbols(
        """
        import dataclasses
        from dataclasses import KW_ONLY, dataclass, field
        from typing import ClassVar

        @dataclass(frozen=True)
        class Point:
            x: int
            y: int = 0
            registry: ClassVar[dict] = {}
            tags: list[str] = field(default_factory=list)
            cache: dict = field(init=False, repr=False)
            label: str = field(default="p")
            _: KW_ONLY
            scale: float = 1.0
            early: int = field(kw_only=True, default=0)
            not_a_field = 3
        """
    )["mod.Point"]
    assert params(cls) == [
        ("x", P.POSITIONAL_OR_KEYWORD, "int", None),
        ("y", P.POSITIONAL_OR_KEYWORD, "int", "0"),
        ("tags", P.POSITIONAL_OR_KEYWORD, "list[str]", "<factory>"),
        ("label", P.POSITIONAL_OR_KEYWORD, "str", "'p'"),
        ("scale", P.KEYWORD_ONLY, "float", "1.0"),
        ("early", P.KEYWORD_ONLY, "int", "0"),
    ]


def test_dataclass_decorator_forms_and_kw_only_option() -> None:
    table = symbols(
        """
        @dataclasses.dataclass
        class A:
            a: int
        @dataclass(kw_only=True)
        class B(Generic[T]):
            b: T
        @pydantic.dataclasses.dataclass
        class C(object):
            c: "typing.ClassVar[int]"
            d: int
        @dataclass(init=False)
        class D:
            d: int
        """
    )
    assert params(table["mod.A"]) == [("a", P.POSITIONAL_OR_KEYWORD, "int", None)]
    assert params(table["mod.B"]) == [("b", P.KEYWORD_ONLY, "T", None)]
    assert params(table["mod.C"]) == [("d", P.POSITIONAL_OR_KEYWORD, "int", None)]
    assert table["mod.D"].signature is None


def test_generated_init_with_unknown_bases_is_unknown() -> None:
    table = symbols(
        """
        @dataclass
        class Child(Parent):
            extra: int
        @dataclass
        class Mixed(Protocol, Base):
            extra: int
        @dataclass
        class Abstract(abc.ABC):
            extra: int
        @dataclass
        class OwnInit(Parent):
            extra: int
            def __init__(self, extra: int) -> None:
                self.extra = extra
        """
    )
    assert table["mod.Child"].signature is None
    assert table["mod.Mixed"].signature is None
    assert params(table["mod.Abstract"]) == [("extra", P.POSITIONAL_OR_KEYWORD, "int", None)]
    assert params(table["mod.OwnInit"]) == [("extra", P.POSITIONAL_OR_KEYWORD, "int", None)]


def test_attrs_classes() -> None:
    table = symbols(
        """
        import attr, attrs
        @attr.s(auto_attribs=True)
        class Auto:
            a: int
            b: list = attr.ib(factory=list)
        @attr.s
        class Classic:
            _private = attr.ib()
            plain: int = 3
            with_default = attr.ib(5, kw_only=True)
            hidden = attr.ib(init=False)
        @attrs.define(kw_only=True)
        class Define:
            x: int
            y: int = attrs.field(default=attrs.Factory(list))
        @frozen
        class Frozen:
            z: str = "z"
        @mutable
        class Mutable:
            w: int
        """
    )
    assert params(table["mod.Auto"]) == [
        ("a", P.POSITIONAL_OR_KEYWORD, "int", None),
        ("b", P.POSITIONAL_OR_KEYWORD, "list", "<factory>"),
    ]
    assert params(table["mod.Classic"]) == [
        ("private", P.POSITIONAL_OR_KEYWORD, None, None),
        ("with_default", P.KEYWORD_ONLY, None, "5"),
    ]
    assert params(table["mod.Define"]) == [
        ("x", P.KEYWORD_ONLY, "int", None),
        ("y", P.KEYWORD_ONLY, "int", "<factory>"),
    ]
    assert params(table["mod.Frozen"]) == [("z", P.POSITIONAL_OR_KEYWORD, "str", "'z'")]
    assert params(table["mod.Mutable"]) == [("w", P.POSITIONAL_OR_KEYWORD, "int", None)]


def test_named_tuple_fields() -> None:
    table = symbols(
        """
        class Pair(typing.NamedTuple):
            left: int
            right: int = 0
            def total(self) -> int:
                return self.left + self.right
        """
    )
    assert params(table["mod.Pair"]) == [
        ("left", P.POSITIONAL_OR_KEYWORD, "int", None),
        ("right", P.POSITIONAL_OR_KEYWORD, "int", "0"),
    ]


# --- classes: attributes -------------------------------------------------------------------


def test_class_attributes_from_body_methods_and_slots() -> None:
    cls = symbols(
        """
        class C(Base, metaclass=Meta):
            __slots__ = ("slot_a", "slot_b")
            plain = 1
            annotated: int
            left, (right, *rest) = 1, (2, 3)
            if FLAG:
                conditional = True
            def __init__(me, value):
                me.value = value
                me.typed: int = 0
                me.count += 1
                me.a, me.b = 1, 2
                me.inner.deep = 3
                other.not_mine = 4
            @classmethod
            def configure(cls):
                cls.configured = True
            @property
            def prop(self):
                return 1
            class Nested:
                pass
        """
    )["mod.C"]
    assert cls.bases == ("Base",)
    assert cls.attributes == (
        "__slots__",
        "slot_a",
        "slot_b",
        "plain",
        "annotated",
        "left",
        "right",
        "rest",
        "conditional",
        "__init__",
        "value",
        "typed",
        "count",
        "a",
        "b",
        "configure",
        "configured",
        "prop",
        "Nested",
    )


def test_module_attributes_are_its_top_level_names() -> None:
    mod = module_of(
        """
        import os.path
        import numpy as np
        from .sibling import thing, other as alias
        from star import *
        CONSTANT = 1
        typed: int = 2
        try:
            import fast
        except ImportError:
            fast = None
        def function(): pass
        class Class:
            inside = 1
        """
    )
    assert mod.symbols[0].attributes == (
        "os",
        "np",
        "thing",
        "alias",
        "CONSTANT",
        "typed",
        "fast",
        "function",
        "Class",
    )


# --- locations, docstrings -----------------------------------------------------------------


def test_locations_are_exact() -> None:
    mod = module_of(
        '''\
        """Module doc."""

        @decorator
        class C:
            """Class doc,
            on two lines."""

            @property
            def p(self):
                \'\'\'Prop.\'\'\'
                return 1
        '''
    )
    module, cls, prop = mod.symbols
    assert (module.location.line, module.location.end_line) == (1, 11)
    assert module.docstring is not None and module.docstring.location.line == 1
    assert (cls.location.line, cls.location.end_line, cls.location.column) == (4, 11, 0)
    assert cls.docstring is not None
    doc = cls.docstring.location
    assert (doc.path, doc.line, doc.end_line, doc.column) == ("pkg/mod.py", 5, 6, 4)
    assert (prop.location.line, prop.location.end_line, prop.location.column) == (9, 11, 4)
    assert prop.docstring is not None and prop.docstring.location.line == 10
    assert all(s.location.path == "pkg/mod.py" for s in mod.symbols)


def test_only_a_leading_string_literal_is_a_docstring() -> None:
    table = symbols(
        """
        def none():
            x = 1
            "not a docstring"
        def fstring():
            f"not a {docstring}"
        def text():
            '''Raw value, kept as written.'''
        """
    )
    assert table["mod.none"].docstring is None
    assert table["mod.fstring"].docstring is None
    assert table["mod.text"].docstring is not None
    assert table["mod.text"].docstring.text.startswith("Raw value")


# --- suppression comments ------------------------------------------------------------------


def test_suppression_comments() -> None:
    table = symbols(
        '''
        def listed(a):  # docsync: ignore[DS101, DS102]
            pass
        def everything(a):  # noqa: E501  # docsync: ignore
            pass
        def multi_line(
            a,
            b,
        ) -> None:  # docsync: ignore[DS201]
            """Doc."""
        @decorator  # docsync: ignore[DS999]
        def decorated():
            pass
        def in_string(a="# docsync: ignore"):
            pass
        def in_body():
            x = 1  # docsync: ignore
        def docstring_mention():
            """Write ``# docsync: ignore`` to silence a rule."""
        def plain():
            pass
        '''
    )
    assert table["mod.listed"].suppressed == frozenset({"DS101", "DS102"})
    assert table["mod.everything"].suppressed == frozenset({"*"})
    assert table["mod.everything"].is_suppressed("DS301")
    assert table["mod.multi_line"].suppressed == frozenset({"DS201"})
    assert table["mod.decorated"].suppressed == frozenset()
    assert table["mod.in_string"].suppressed == frozenset()
    assert table["mod.in_body"].suppressed == frozenset()
    assert table["mod.docstring_mention"].suppressed == frozenset()
    assert table["mod.plain"].suppressed == frozenset()


# --- fingerprints --------------------------------------------------------------------------


def test_fingerprint_survives_moves_reformatting_and_doc_edits() -> None:
    original = symbols(
        '''
        def f(a, b):
            """Old doc."""
            total = a + b  # a comment
            return [total, {"k": 1}]
        '''
    )["mod.f"]
    moved = symbols(
        """
        import os


        class Unrelated:
            pass


        def f(a, b):
            '''New doc, longer.

            Args:
                a: one.
            '''
            total = (a +
                     b)
            return [
                total,
                {'k': 1},
            ]
        """
    )["mod.f"]
    changed = symbols("def f(a, b):\n    total = a - b\n    return [total, {'k': 1}]\n")["mod.f"]
    assert len(original.body_fingerprint) == 16
    assert original.body_fingerprint == moved.body_fingerprint
    assert original.body_fingerprint != changed.body_fingerprint


def test_fingerprint_of_an_outer_scope_sees_nested_code_but_not_nested_docs() -> None:
    def outer(inner_doc: str, inner_value: int) -> str:
        code = f'''
            class C:
                def m(self):
                    """{inner_doc}"""
                    return {inner_value}
            '''
        return symbols(code)["mod.C"].body_fingerprint

    assert outer("One.", 1) == outer("Two.", 1)
    assert outer("One.", 1) != outer("One.", 2)


# --- bad input -----------------------------------------------------------------------------


def test_syntax_error_reports_its_line() -> None:
    result = scan_source(b"x = 1\n\ndef broken(:\n    pass\n", "bad.py", "bad")
    assert result.module is None
    (diagnostic,) = result.diagnostics
    assert (diagnostic.path, diagnostic.line) == ("bad.py", 3)
    assert diagnostic.message.startswith("cannot parse: ")
    assert diagnostic.level is Severity.WARNING


def test_non_utf8_bytes_report_their_line() -> None:
    result = scan_source(b"x = 1\ny = 2\nname = '\xe9t\xe9'\n", "latin.py", "latin")
    assert result.module is None
    (diagnostic,) = result.diagnostics
    assert diagnostic.line == 3
    assert diagnostic.message.startswith("not valid UTF-8 (byte 0xe9 at line 3)")
    assert diagnostic.message.endswith("re-save the file as UTF-8 or declare its encoding")


def test_declared_latin1_and_bom_and_crlf_decode() -> None:
    latin = b"# -*- coding: latin-1 -*-\ndef f():\n    '''\xe9t\xe9'''\n"
    result = scan_source(latin, "latin.py", "latin")
    assert result.module is not None and result.diagnostics == ()
    assert result.module.symbols[1].docstring is not None
    assert result.module.symbols[1].docstring.text == "\u00e9t\u00e9"
    bom = scan_source(b"\xef\xbb\xbfdef f():\r\n    pass\r\n\r\ndef g(): pass\r\n", "b.py", "b")
    assert bom.module is not None
    assert [(s.qualname, s.location.line) for s in bom.module.symbols] == [
        ("b", 1),
        ("b.f", 1),
        ("b.g", 4),
    ]
    assert bom.module.symbols[0].location.end_line == 4


def test_unknown_encoding_cookie() -> None:
    result = scan_source(b"# coding: no-such-codec\nx = 1\n", "c.py", "c")
    assert result.module is None
    assert "no-such-codec" in result.diagnostics[0].message


@pytest.mark.parametrize("content", [b"", b"\n\n   \n", b"\xef\xbb\xbf"])
def test_empty_file_is_an_empty_module_with_an_info(content: bytes) -> None:
    result = scan_source(content, "empty.py", "empty")
    assert result.module is not None
    assert result.module.symbols == ()
    assert result.module.qualname == "empty"
    (diagnostic,) = result.diagnostics
    assert diagnostic.level is Severity.INFO
    assert diagnostic.message == "empty file"


def test_null_byte_is_a_diagnostic() -> None:
    result = scan_source(b"x = 1\ny = '\x00'\n", "nul.py", "nul")
    assert result.module is None
    assert result.diagnostics[0].line == 2
    assert "null byte" in result.diagnostics[0].message


def test_absurd_nesting_is_a_diagnostic_not_a_crash() -> None:
    deep = "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    result = scan_source(deep.encode(), "deep.py", "deep")
    assert result.module is None
    assert result.diagnostics[0].message.startswith("cannot parse")


def test_long_operator_chains_are_scanned() -> None:
    chain = "def f():\n    return " + " + ".join(["a"] * 1500) + "\n"
    result = scan_source(chain.encode(), "chain.py", "chain")
    assert result.module is not None, result.diagnostics
    assert len(result.module.symbols[1].body_fingerprint) == 16


def test_a_docstring_parser_failure_costs_only_that_docstring(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(raw: str, location: Location, default_style: Style | None = None) -> Docstring:
        raise IndexError("boom")

    monkeypatch.setattr(python_scanner, "parse_docstring", explode)
    result = scan(
        """
        def f():
            '''Summary.

            Args:
                x: gone.
            '''
        """
    )
    assert result.module is not None
    docstring = result.module.symbols[1].docstring
    assert docstring is not None
    assert (docstring.style, docstring.sections) == (Style.PLAIN, ())
    assert docstring.text.startswith("Summary.")
    (diagnostic,) = result.diagnostics
    assert diagnostic.line == 3
    assert "mod.f" in diagnostic.message
    assert "IndexError: boom" in diagnostic.message


def test_int_literals_longer_than_str_allows() -> None:
    huge = "0x" + "f" * 5000  # parses, but str() of it exceeds the default digit limit
    source = f"def f(a={huge}, b=(-{huge}, 1)):\n    return {huge}\n"
    result = scan_source(source.encode(), "huge.py", "huge")
    assert result.module is not None, result.diagnostics
    defaults = [p[3] or "" for p in params(result.module.symbols[1])]
    assert defaults[0] == huge
    assert defaults[1].startswith("(-0xfff") and defaults[1].endswith(", 1)")


def test_content_hash_is_sha256_of_the_bytes() -> None:
    source = b"def f():\n    pass\n"
    result = scan_source(source, "h.py", "h")
    assert result.module is not None
    assert result.module.content_hash == hashlib.sha256(source).hexdigest()


# --- module names and whole projects -------------------------------------------------------


def test_module_name_for_package_layouts(tmp_path: Path) -> None:
    for rel in ("src/pkg/__init__.py", "src/pkg/sub/__init__.py", "src/pkg/sub/mod.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "tool.py").write_text("")
    (tmp_path / "top.py").write_text("")
    assert module_name_for(tmp_path / "src/pkg/sub/mod.py", tmp_path) == "pkg.sub.mod"
    assert module_name_for(tmp_path / "src/pkg/sub/__init__.py", tmp_path) == "pkg.sub"
    assert module_name_for(tmp_path / "src/pkg/__init__.py", tmp_path) == "pkg"
    assert module_name_for(tmp_path / "scripts/tool.py", tmp_path) == "tool"
    assert module_name_for(tmp_path / "top.py", tmp_path) == "top"


def test_module_name_for_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    monkeypatch.chdir(tmp_path)
    assert module_name_for(Path("pkg/mod.py"), Path()) == "pkg.mod"


def test_module_name_stops_at_the_root(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    (tmp_path / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "mod.py").write_text("")
    assert module_name_for(root / "pkg" / "mod.py", root) == "project.pkg.mod"


def test_scan_project_collects_modules_and_diagnostics(tmp_path: Path) -> None:
    package = tmp_path / "src" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Package."""\n')
    (package / "good.py").write_text("def f(a):\n    return a\n")
    (package / "broken.py").write_text("def f(:\n")
    (package / "big.py").write_text("x = 1\n" * 100)
    project = scan_project(tmp_path, [tmp_path / "src"], max_file_size=300)
    assert [m.path for m in project.modules] == ["src/pkg/__init__.py", "src/pkg/good.py"]
    assert [m.qualname for m in project.modules] == ["pkg", "pkg.good"]
    assert project.get("pkg.good.f") is not None
    assert project.root == str(tmp_path)
    problems = {(d.path, d.level) for d in project.diagnostics}
    assert problems == {
        ("src/pkg/big.py", Severity.INFO),
        ("src/pkg/broken.py", Severity.WARNING),
    }


def test_parameters_are_models_values() -> None:
    fn = symbols("def f(*, key: str = 'k'): pass")["mod.f"]
    assert fn.signature is not None
    assert fn.signature.param("key") == Parameter("key", P.KEYWORD_ONLY, "str", "'k'")


def test_calls_are_the_callee_names_of_the_own_body() -> None:
    source = textwrap.dedent(
        '''
        class Client:
            def get(self, url):
                """Fetch."""
                response = self._request("GET", url, retries=len(url))
                helpers.check(response)
                def inner():
                    hidden()
                return (lambda: also_hidden())()
        '''
    ).encode()
    module = scan_source(source, "m.py", "m").module
    assert module is not None
    get = next(s for s in module.symbols if s.qualname == "m.Client.get")
    assert set(get.calls) == {"_request", "len", "check"}
    inner = next(s for s in module.symbols if s.qualname == "m.Client.get.inner")
    assert inner.calls == ("hidden",)


def test_run_time_docstrings_are_recorded_on_their_symbol() -> None:
    source = textwrap.dedent(
        '''
        class Graph:
            def edges(self):
                """The edges."""

            @property
            def out_edges(self):
                return self.edges

            out_edges.__doc__ = edges.__doc__

            def nodes(self):
                return ()

            nodes.__doc__ = None


        def first():
            return 1


        def second():
            return 2


        first.__doc__ = """The first."""
        Graph.nodes.__doc__ += "More."
        unknown.name.__doc__ = "Not a symbol of this module."
        '''
    )
    module = scan_source(source.encode(), "pkg/graph.py", "pkg.graph").module
    assert module is not None
    documented = {s.qualname for s in module.symbols if s.runtime_doc}
    assert documented == {"pkg.graph.Graph.out_edges", "pkg.graph.Graph.nodes", "pkg.graph.first"}
