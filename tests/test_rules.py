"""Unit tests for the rules, on hand-built symbols (no scanner involved)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import docsync.rules
from docsync.draft.mechanical import api_pages
from docsync.draft.mechanical import docstring as docstring_fix
from docsync.draft.mechanical import page as page_fix
from docsync.draft.mechanical.drafter import MECHANICAL_CODES, PLACEHOLDER_CODES
from docsync.models import (
    DocEntry,
    DocSection,
    Docstring,
    Finding,
    Location,
    Module,
    Parameter,
    ParamKind,
    Project,
    SectionKind,
    Severity,
    Signature,
    Style,
    Symbol,
    SymbolKind,
)
from docsync.rules import (
    FAMILIES,
    RULES,
    FixKind,
    Rule,
    RuleContext,
    RuleKind,
    rule_by_code,
    run_rules,
)
from docsync.rules.base import callable_label, clean_doc_name, render_params
from docsync.rules.hierarchy import ClassIndex, base_name
from docsync.rules.registry import rule_module
from docsync.scan.python import scan_source

PATH = "pkg/mod.py"
POK = ParamKind.POSITIONAL_OR_KEYWORD

SRC = Path(__file__).resolve().parents[1] / "src" / "docsync"


def entry(name: str | None, type_: str | None = None, desc: str = "", line: int = 5) -> DocEntry:
    return DocEntry(name, type_, desc, line, line)


def section(kind: SectionKind, *entries: DocEntry, title: str = "Args") -> DocSection:
    first = min((e.line for e in entries), default=4) - 1
    last = max((e.end_line for e in entries), default=4)
    return DocSection(kind, title, entries, first, last)


def args(*entries: DocEntry) -> DocSection:
    return section(SectionKind.PARAMS, *entries)


def returns(*entries: DocEntry) -> DocSection:
    return section(SectionKind.RETURNS, *entries, title="Returns")


def doc(*sections: DocSection) -> Docstring:
    return Docstring("Summary.", Style.GOOGLE, sections, Location(PATH, 2, 9))


def params(*names: str) -> tuple[Parameter, ...]:
    result = []
    for name in names:
        if name.startswith("**"):
            result.append(Parameter(name[2:], ParamKind.VAR_KEYWORD))
        elif name.startswith("*"):
            result.append(Parameter(name[1:], ParamKind.VAR_POSITIONAL))
        else:
            result.append(Parameter(name, POK))
    return tuple(result)


def func(
    name: str = "fetch",
    signature: Signature | None = None,
    docstring: Docstring | None = None,
    *,
    kind: SymbolKind = SymbolKind.FUNCTION,
    **fields: Any,
) -> Symbol:
    return Symbol(
        qualname=f"pkg.mod.{name}",
        kind=kind,
        location=Location(PATH, 1, 10),
        docstring=docstring,
        signature=signature if signature is not None else Signature(),
        **fields,
    )


def cls(name: str, docstring: Docstring | None = None, **fields: Any) -> Symbol:
    return Symbol(
        qualname=f"pkg.mod.{name}",
        kind=SymbolKind.CLASS,
        location=Location(PATH, 1, 10),
        docstring=docstring,
        **fields,
    )


def project(*symbols: Symbol) -> Project:
    return Project(".", (Module(PATH, "pkg.mod", symbols, "hash"),))


def run(*symbols: Symbol, require_params: bool = False) -> list[Finding]:
    return run_rules(project(*symbols), require_params=require_params)


def run_source(source: str) -> list[Finding]:
    """Scan one module's source (as ``m.py``) and run every rule on it."""

    module = scan_source(source.encode(), "m.py", "m").module
    assert module is not None
    return run_rules(Project(root=".", modules=(module,)))


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# --- registry --------------------------------------------------------------------------


def test_rule_codes_and_slugs_are_unique_and_complete() -> None:
    assert [r.code for r in RULES] == [
        "DS101", "DS102", "DS103", "DS104", "DS105", "DS106", "DS107",
        "DS201", "DS202", "DS203", "DS204", "DS301", "DS401",
        "DS501", "DS502", "DS503", "DS504", "DS601",
        "DS701", "DS702", "DS703", "DS704", "DS705", "DS706", "DS707", "DS708", "DS709", "DS710",
        "DS711",
    ]  # fmt: skip
    assert len({r.slug for r in RULES}) == len(RULES)


def test_every_code_in_the_source_is_a_registered_rule() -> None:
    # A code written anywhere in the package (a finding, a docstring, a comment) names
    # a rule of the registry, so no rule lives outside it.  The end of a range
    # (DS101-DS199) is not a code.
    found = {
        code
        for path in SRC.rglob("*.py")
        for code in re.findall(r"(?<!-)\bDS\d{3}\b", path.read_text(encoding="utf-8"))
    }
    assert found <= {r.code for r in RULES}


def test_every_rule_object_is_registered_once_in_its_module() -> None:
    # The registry finds rules in RULE_MODULES; a rule declared in any other module of
    # docsync.rules, or imported into a second one, would be missed or ambiguous.
    homes: dict[int, list[str]] = {}
    for info in pkgutil.walk_packages(docsync.rules.__path__, "docsync.rules."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, Rule):
                homes.setdefault(id(value), []).append(info.name)
    assert sorted(homes) == sorted(id(r) for r in RULES)
    assert {id(r): [rule_module(r)] for r in RULES} == homes


def test_docstring_rules_are_the_families_rules() -> None:
    family_codes = [r.code for f in FAMILIES for r in f.rules]
    docstring_codes = [r.code for r in RULES if r.kind is RuleKind.DOCSTRING]
    assert sorted(family_codes) == docstring_codes


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_metadata_is_documented(rule: Rule) -> None:
    assert rule is rule_by_code(rule.code)
    assert "\n" not in rule.summary and rule.summary.endswith(".")
    assert rule.description and rule.must_flag and rule.must_not_flag
    assert rule.code.startswith(
        {
            RuleKind.DOCSTRING: ("DS1", "DS2", "DS3", "DS4"),
            RuleKind.CHANGE: ("DS5", "DS6"),
            RuleKind.PAGE: ("DS7",),
        }[rule.kind]
    )


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_what_a_fix_needs_is_consistent(rule: Rule) -> None:
    # A rule the mechanical drafter cannot fix says why, unless a page drafter or
    # nobody handles it; review prompts are never mechanical.
    if rule.fix in (FixKind.PLACEHOLDER, FixKind.PROSE) and rule.kind is RuleKind.DOCSTRING:
        assert rule.fix_needs
    if rule.fix is FixKind.MECHANICAL:
        assert not rule.fix_needs
    if rule.review:
        assert rule.fix is FixKind.PROSE
    if rule.fix is FixKind.NONE:
        assert not rule.llm


def test_the_mechanical_fixers_cover_exactly_the_mechanical_rules() -> None:
    fixers = {
        *docstring_fix._FIXES,
        *docstring_fix._STALE_KINDS,
        *page_fix._FIXES,
        *api_pages.FIXES,
    }
    assert fixers == set(MECHANICAL_CODES | PLACEHOLDER_CODES)


def test_rules_without_examples_are_refused() -> None:
    ds101 = rule_by_code("DS101")
    missing = replace(ds101.examples, must_flag="NO_SUCH_EXAMPLES")
    with pytest.raises(ValueError, match="DS999"):
        replace(ds101, code="DS999", examples=missing).must_flag  # noqa: B018
    other_kind = replace(ds101, code="DS999", examples=rule_by_code("DS701").examples)
    with pytest.raises(ValueError, match=r"DS999.*docstring examples"):
        other_kind.must_not_flag  # noqa: B018


def test_every_rules_examples_load_and_match_its_kind() -> None:
    for rule in RULES:
        assert rule.must_flag, rule.code
        assert all(isinstance(e, type(rule.must_flag[0])) for e in rule.must_not_flag)


def test_rule_by_code_rejects_unknown_codes() -> None:
    with pytest.raises(KeyError, match="DS999"):
        rule_by_code("DS999")


def test_default_severities() -> None:
    assert rule_by_code("DS101").severity is Severity.ERROR
    assert rule_by_code("DS102").severity is Severity.WARNING
    assert rule_by_code("DS103").severity is Severity.ERROR
    assert rule_by_code("DS105").severity is Severity.INFO
    assert rule_by_code("DS301").severity is Severity.INFO


# --- DS101 / DS102 / DS103 -------------------------------------------------------------


def stale_fetch(line: int = 5, desc: str = "Seconds to wait.") -> Symbol:
    sig = Signature(params=(Parameter("url", POK), Parameter("retries", POK, default="3")))
    d = doc(args(entry("url", line=line), entry("retries", line=line + 1)))
    d = replace(d, sections=(args(*d.sections[0].entries, entry("timeout", None, desc, line + 2)),))
    return func("fetch", sig, d)


def test_stale_param_finding_has_message_evidence_hint_and_location() -> None:
    [finding] = run(stale_fetch())
    assert finding.code == "DS101"
    assert finding.slug == "stale-param"
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "parameter 'timeout' is documented but not in the signature of fetch()"
    )
    assert finding.evidence.documented == "timeout"
    assert finding.evidence.actual == "(url, retries=3)"
    assert finding.fix_hint == "remove the entry for 'timeout'"
    assert finding.location == Location(PATH, 7, 7)
    assert finding.symbol == "pkg.mod.fetch"


def test_fingerprint_survives_moves_but_not_doc_edits() -> None:
    [original] = run(stale_fetch(line=5))
    [moved] = run(stale_fetch(line=15))
    [edited] = run(stale_fetch(desc="Seconds to wait before giving up."))
    [reflowed] = run(stale_fetch(desc="Seconds   to\nwait."))
    assert moved.location.line == original.location.line + 10
    assert moved.fingerprint == original.fingerprint
    assert reflowed.fingerprint == original.fingerprint
    assert edited.fingerprint != original.fingerprint


def test_rename_replaces_the_stale_and_missing_pair() -> None:
    sig = Signature(params=params("source", "dest"))
    symbol = func("copy", sig, doc(args(entry("src", line=5), entry("dest", line=6))))
    [finding] = run(symbol)
    assert finding.code == "DS103"
    assert finding.evidence.documented == "src"
    assert finding.evidence.actual == "source"
    assert finding.fix_hint == "rename the entry 'src' to 'source'"
    assert finding.location.line == 5


def test_rename_of_variadic_parameters() -> None:
    sig = Signature(params=params("fmt", "*values"))
    symbol = func("log", sig, doc(args(entry("fmt"), entry("*args", line=6))))
    [finding] = run(symbol)
    assert (finding.code, finding.evidence.actual) == ("DS103", "values")


def test_unpaired_stale_and_missing_are_reported_separately() -> None:
    sig = Signature(params=params("source", "dest"))
    d = doc(args(entry("dest", line=5), entry("src", line=6)))
    assert sorted(codes(run(func("copy", sig, d)))) == ["DS101", "DS102"]


def test_missing_param_reports_each_parameter_at_the_section() -> None:
    sig = Signature(params=(*params("url", "retries"), Parameter("verify", POK, "bool", "True")))
    findings = run(func("fetch", sig, doc(args(entry("url", line=5)))))
    assert codes(findings) == ["DS102", "DS102"]
    assert findings[1].evidence.actual == "verify: bool = True"
    assert findings[0].evidence.documented == "url"
    assert findings[0].location == Location(PATH, 4, 5)
    assert findings[0].message == "parameter 'retries' of fetch() is not documented"


def test_variadics_are_never_missing_and_match_any_spelling() -> None:
    sig = Signature(params=params("a", "*args", "**kwargs"))
    assert run(func("f", sig, doc(args(entry("a"))))) == []
    for spelled in ("args", "*args", "\\*args"):
        d = doc(args(entry("a"), entry(spelled), entry("\\*\\*kwargs")))
        assert run(func("f", sig, d)) == []


def test_self_and_cls_entries_are_ignored() -> None:
    sig = Signature(params=params("amount"))
    d = doc(args(entry("self"), entry("cls"), entry("amount")))
    assert run(func("C.add", sig, d, kind=SymbolKind.METHOD)) == []


def test_extra_names_are_not_stale_when_kwargs_is_present() -> None:
    sig = Signature(params=params("shape", "**options"))
    d = doc(args(entry("shape"), entry("color")))
    assert run(func("draw", sig, d)) == []


def test_keyword_args_extras_are_not_stale_with_kwargs_but_are_without() -> None:
    kwargs_doc = doc(args(entry("shape")), section(SectionKind.KEYWORD_ARGS, entry("color")))
    with_kwargs = Signature(params=params("shape", "**kwargs"))
    without = Signature(params=params("shape"))
    assert run(func("draw", with_kwargs, kwargs_doc)) == []
    assert codes(run(func("draw", without, kwargs_doc))) == ["DS101"]


def test_class_params_documented_by_init_are_not_missing() -> None:
    sig = Signature(params=params("base_url", "timeout"))
    klass = cls("Client", doc(args(entry("base_url"))), signature=sig)
    init = func(
        "Client.__init__",
        sig,
        doc(args(entry("base_url"), entry("timeout"))),
        kind=SymbolKind.METHOD,
    )
    assert run(klass, init) == []
    assert codes(run(klass)) == ["DS102"]


def test_class_without_known_constructor_is_skipped() -> None:
    assert run(cls("Client", doc(args(entry("anything"))), signature=None)) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": SymbolKind.PROPERTY},
        {"decorators": ("typing.overload",)},
        {"decorators": ("name.setter",)},
    ],
)
def test_properties_setters_and_overloads_are_not_checked(fields: dict[str, Any]) -> None:
    sig = Signature(params=params("value"), returns="None")
    d = doc(args(entry("old")), returns(entry(None, "int", line=7)))
    assert run(func("C.value", sig, d, **fields)) == []


def test_symbols_without_docstring_are_not_checked() -> None:
    assert run(func("f", Signature(params=params("a")), None), require_params=True) == []


# --- DS104 / DS105 / DS106 -------------------------------------------------------------


def test_param_type_mismatch() -> None:
    sig = Signature(params=(Parameter("timeout", POK, "int"),))
    [finding] = run(func("wait", sig, doc(args(entry("timeout", "str")))))
    assert finding.code == "DS104"
    assert (finding.evidence.documented, finding.evidence.actual) == ("str", "int")
    assert "documented as 'str' but annotated 'int'" in finding.message


def test_param_types_that_only_differ_in_none_are_fine() -> None:
    sig = Signature(params=(Parameter("timeout", POK, "Optional[int]", "None"),))
    assert run(func("wait", sig, doc(args(entry("timeout", "int, optional"))))) == []


def test_param_order() -> None:
    sig = Signature(params=params("x", "y"))
    [finding] = run(func("move", sig, doc(args(entry("y", line=5), entry("x", line=6)))))
    assert finding.code == "DS105"
    assert (finding.evidence.documented, finding.evidence.actual) == ("y, x", "x, y")
    assert finding.fix_hint == "reorder the entries to: x, y"


def test_param_order_not_checked_with_other_problems() -> None:
    sig = Signature(params=params("x", "y", "z"))
    assert codes(run(func("move", sig, doc(args(entry("y"), entry("x")))))) == ["DS102"]


def test_missing_params_section_only_with_require_params() -> None:
    symbol = func("fetch", Signature(params=params("url", "*args")), doc())
    assert run(symbol) == []
    [finding] = run(symbol, require_params=True)
    assert finding.code == "DS106"
    assert finding.location == Location(PATH, 2, 9)
    assert finding.fix_hint == "document the parameters: url"


def test_missing_params_section_skips_init_documented_by_class() -> None:
    sig = Signature(params=params("base_url"))
    klass = cls("Client", doc(args(entry("base_url"))), signature=sig)
    init = func("Client.__init__", sig, doc(), kind=SymbolKind.METHOD)
    assert run(klass, init, require_params=True) == []
    assert codes(run(cls("Client", doc(), signature=sig), init, require_params=True)) == ["DS106"]


# --- DS201 / DS202 / DS203 -------------------------------------------------------------


def test_return_without_value() -> None:
    symbol = func("save", Signature(), doc(returns(entry(None, "bool", "Whether saved.", 7))))
    [finding] = run(symbol)
    assert finding.code == "DS201"
    assert finding.evidence.documented == "bool Whether saved."
    assert finding.evidence.actual == "no 'return <value>'"
    assert finding.location == Location(PATH, 6, 7)


@pytest.mark.parametrize(
    "signature",
    [
        Signature(returns_value=True),
        Signature(returns="int"),
        Signature(returns="Optional[int]"),
        Signature(is_generator=True),
    ],
)
def test_return_without_value_needs_a_valueless_function(signature: Signature) -> None:
    symbol = func("save", signature, doc(returns(entry(None, "int"))))
    assert "DS201" not in codes(run(symbol))


@pytest.mark.parametrize(
    "fields",
    [{"is_stub": True}, {"decorators": ("abc.abstractmethod",)}],
)
def test_return_without_value_skips_stubs_and_abstract_methods(fields: dict[str, Any]) -> None:
    symbol = func("save", Signature(), doc(returns(entry(None, "int"))), **fields)
    assert run(symbol) == []


def test_return_without_value_skips_protocol_members() -> None:
    proto = cls("Sized", None, bases=("typing.Protocol",))
    method = func(
        "Sized.size", Signature(), doc(returns(entry(None, "int"))), kind=SymbolKind.METHOD
    )
    assert run(proto, method) == []


@pytest.mark.parametrize(
    "documented", [entry(None, "None"), entry(None, None, "None, always."), entry(None, None, "")]
)
def test_returns_that_say_none_are_fine(documented: DocEntry) -> None:
    symbol = func("save", Signature(returns="None"), doc(returns(documented)))
    found = codes(run(symbol))
    assert found == ([] if documented.description or documented.type else ["DS201"])


def test_returns_on_generator() -> None:
    symbol = func("lines", Signature(is_generator=True), doc(returns(entry(None, "str"))))
    [finding] = run(symbol)
    assert finding.code == "DS202"
    assert finding.fix_hint == "rename the Returns section to Yields"


@pytest.mark.parametrize(
    ("signature", "extra"),
    [
        (Signature(is_generator=True, returns="Generator[int, None, str]"), ()),
        (Signature(is_generator=True, returns_value=True), ()),
        (Signature(is_generator=True), (section(SectionKind.YIELDS, entry(None, "int")),)),
    ],
)
def test_generators_may_document_returns_when_they_return(
    signature: Signature, extra: tuple[DocSection, ...]
) -> None:
    symbol = func("gen", signature, doc(returns(entry(None, "str")), *extra))
    assert run(symbol) == []


def test_returns_on_generator_with_iterator_annotation() -> None:
    sig = Signature(is_generator=True, returns="Generator[int, None, None]")
    assert codes(run(func("gen", sig, doc(returns(entry(None, "int")))))) == ["DS202"]


def test_return_type_mismatch() -> None:
    sig = Signature(returns="int", returns_value=True)
    [finding] = run(func("size", sig, doc(returns(entry(None, "str", line=7)))))
    assert finding.code == "DS203"
    assert finding.location == Location(PATH, 7, 7)
    assert finding.message == "return value of size() is documented as 'str' but annotated 'int'"


def test_return_type_with_several_entries_is_not_compared() -> None:
    sig = Signature(returns="tuple[int, int]", returns_value=True)
    d = doc(returns(entry("a", "str"), entry("b", "str", line=6)))
    assert run(func("pair", sig, d)) == []


# --- DS301 ------------------------------------------------------------------------------


def raising(*raised: str, documented: str = "ValueError", **fields: Any) -> Symbol:
    d = doc(section(SectionKind.RAISES, entry(documented, line=8), title="Raises"))
    return func("load", Signature(), d, raises=raised, **fields)


def test_raises_not_raised() -> None:
    [finding] = run(raising())
    assert finding.code == "DS301"
    assert finding.severity is Severity.INFO
    assert (finding.evidence.documented, finding.evidence.actual) == (
        "ValueError",
        "raises nothing",
    )
    assert finding.location.line == 8


@pytest.mark.parametrize(
    ("raised", "documented"),
    [
        (("ValueError",), "ValueError"),
        (("builtins.ValueError",), ":exc:`ValueError`"),
        (("FileNotFoundError",), "OSError"),
        (("UnicodeDecodeError",), "ValueError"),
        (("requests.HTTPError",), "IOError"),
        ((), "Exception"),
        ((), "KeyError"),
        ((), "if the input is bad"),
    ],
)
def test_raises_accepted(raised: tuple[str, ...], documented: str) -> None:
    assert run(raising(*raised, documented=documented)) == []


def test_raises_flagged_for_unrelated_builtin() -> None:
    assert codes(run(raising("TypeError"))) == ["DS301"]


@pytest.mark.parametrize(
    "fields", [{"raises_unknown": True}, {"is_stub": True}, {"decorators": ("abstractmethod",)}]
)
def test_raises_skipped_when_body_unknown(fields: dict[str, Any]) -> None:
    assert run(raising(**fields)) == []


def test_raises_through_project_subclasses() -> None:
    base = cls("AppError", bases=("Exception",))
    config = cls("ConfigError", bases=("mod.AppError",))
    other = cls("OtherError", bases=("Exception",))
    wrapped = cls("WrappedError", bases=("lib.LibError",))
    assert run(base, config, raising("ConfigError", documented="AppError")) == []
    assert run(base, config, raising("ConfigError", documented="Exception")) == []
    assert run(base, config, raising("ConfigError", documented="mod.AppError")) == []
    assert codes(run(base, other, raising("OtherError", documented="AppError"))) == ["DS301"]
    assert codes(run(base, raising("lib.LibError", documented="AppError"))) == ["DS301"]
    # A project class with a base outside the project may subclass anything builtin.
    assert run(wrapped, raising("WrappedError", documented="ValueError")) == []


def test_class_raises_use_the_constructor() -> None:
    d = doc(section(SectionKind.RAISES, entry("ValueError"), title="Raises"))
    klass = cls("Port", d)
    raising_init = func(
        "Port.__init__", Signature(), None, kind=SymbolKind.METHOD, raises=("ValueError",)
    )
    quiet_init = func("Port.__init__", Signature(), None, kind=SymbolKind.METHOD)
    assert run(klass) == []
    assert run(klass, raising_init) == []
    assert codes(run(klass, quiet_init)) == ["DS301"]


# --- DS401 ------------------------------------------------------------------------------


def attrs_doc(*names: str) -> Docstring:
    entries = [entry(n, line=5 + i) for i, n in enumerate(names)]
    return doc(section(SectionKind.ATTRIBUTES, *entries, title="Attributes"))


def test_stale_attribute() -> None:
    [finding] = run(cls("Cache", attrs_doc("entries", "hits"), attributes=("entries",)))
    assert finding.code == "DS401"
    assert finding.message == "attribute 'hits' is documented but class Cache does not define it"
    assert (finding.evidence.documented, finding.evidence.actual) == ("hits", "entries")
    assert finding.location.line == 6


def test_attributes_known_from_children_constructor_and_project_bases() -> None:
    base = cls("Base", None, attributes=("created",))
    child = cls(
        "Cache",
        attrs_doc("entries", "created", "size", "self.capacity"),
        bases=("Base",),
        attributes=("entries",),
        signature=Signature(params=params("capacity")),
    )
    size = func("Cache.size", Signature(), None, kind=SymbolKind.PROPERTY)
    assert run(base, child, size) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"bases": ("threading.Thread",)},
        {"decorators": ("attr_magic",)},
        {"attributes": ("__getattr__",)},
    ],
)
def test_attributes_of_open_classes_are_not_checked(fields: dict[str, Any]) -> None:
    assert run(cls("Worker", attrs_doc("name"), **fields)) == []


@pytest.mark.parametrize("bases", [("object",), ("Generic[T]",), ("typing.Protocol",), ("ABC",)])
def test_attribute_free_bases_keep_the_class_checked(bases: tuple[str, ...]) -> None:
    assert codes(run(cls("Worker", attrs_doc("name"), bases=bases))) == ["DS401"]


# --- framework --------------------------------------------------------------------------


def test_suppression_by_code_and_wildcard() -> None:
    assert run(replace(stale_fetch(), suppressed=frozenset({"DS101"}))) == []
    assert run(replace(stale_fetch(), suppressed=frozenset({"*"}))) == []
    assert codes(run(replace(stale_fetch(), suppressed=frozenset({"DS102"})))) == ["DS101"]


def in_file(symbol: Symbol, path: str) -> Symbol:
    assert symbol.docstring is not None
    moved = replace(symbol.docstring, location=replace(symbol.docstring.location, path=path))
    return replace(symbol, qualname=f"z.{symbol.name}", docstring=moved)


def test_findings_are_sorted_by_path_line_and_code() -> None:
    late = func("late", Signature(params=params("a")), doc(args(entry("b", line=30))))
    early = func("early", Signature(), doc(returns(entry(None, "int", line=3))))
    other = Project(
        ".",
        (
            Module("z.py", "z", (in_file(stale_fetch(), "z.py"),), "h"),
            Module(PATH, "pkg.mod", (late, early), "h"),
        ),
    )
    found = [(f.location.path, f.location.line, f.code) for f in run_rules(other)]
    assert found == sorted(found)
    assert found[0][0] == PATH and found[-1][0] == "z.py"


def test_helpers() -> None:
    assert clean_doc_name(":exc:`~pkg.Error`") == "pkg.Error"
    assert clean_doc_name("\\*\\*kwargs") == "**kwargs"
    sig = Signature(params=(Parameter("url", POK), Parameter("n", POK, default="3"), *params("*a")))
    assert render_params(sig) == "(url, n=3, *a)"
    method = func("Client.get", kind=SymbolKind.METHOD)
    assert callable_label(method) == "Client.get()"
    assert callable_label(cls("Client")) == "Client()"
    assert base_name("typing.Generic[T]") == "Generic"


def test_class_index_prefers_same_module_and_survives_cycles() -> None:
    a = cls("A", bases=("B",))
    b = cls("B", bases=("A",))
    elsewhere = replace(cls("A"), qualname="other.A")
    index = ClassIndex(
        Project(
            ".", (Module(PATH, "pkg.mod", (a, b), "h"), Module("o.py", "other", (elsewhere,), "h"))
        )
    )
    assert index.resolve_base("A", b) == (a,)
    lineage = index.class_lineage(a)
    assert "B" in lineage.ancestors
    assert [s.qualname for s in index.ancestors_in_project(a)] == ["pkg.mod.B"]


def test_rule_context_lineage() -> None:
    ctx = RuleContext(project(cls("MyStr", bases=("str",)), cls("Open", bases=("lib.Base",))))
    my_str = ctx.lineage("MyStr")
    assert my_str is not None and my_str.complete and "str" in my_str.ancestors
    opened = ctx.lineage("Open")
    assert opened is not None and not opened.complete
    assert ctx.lineage("Missing") is None


# --- regressions found by running the rules on real packages ----------------------------


def test_a_function_parameter_called_cls_is_checked_like_any_other() -> None:
    sig = Signature(params=params("cls", "ctx"))
    d = doc(args(entry("cls"), entry("ctx")))
    assert run(func("known_members", sig, d)) == []
    assert codes(run(func("known_members", sig, doc(args(entry("ctx")))))) == ["DS102"]


def test_private_parameters_are_never_missing() -> None:
    sig = Signature(params=params("path", "_depth"))
    assert run(func("read", sig, doc(args(entry("path"))))) == []
    assert run(func("read", sig, doc()), require_params=True)[0].fix_hint == (
        "document the parameters: path"
    )


def test_unreadable_parameter_section_reports_nothing_missing() -> None:
    # `:param: sha: string` parses as a :param: field without a usable name.
    sig = Signature(params=params("sha", "ref"))
    assert run(func("get", sig, doc(args(entry(None, None, "sha: string"))))) == []


def test_rename_picks_the_one_similar_name() -> None:
    sig = Signature(params=params("repo", "proc_or_stream"))
    found = run(func("parse", sig, doc(args(entry("proc")))))
    assert [(f.code, f.evidence.actual) for f in found] == [
        ("DS102", "repo"),
        ("DS103", "proc_or_stream"),
    ]
    unclear = Signature(params=params("repo", "stream"))
    assert sorted(codes(run(func("parse", unclear, doc(args(entry("proc"))))))) == [
        "DS101",
        "DS102",
        "DS102",
    ]


def test_param_order_ignores_where_variadics_are_described() -> None:
    sig = Signature(params=params("a", "b", "**kwargs"))
    d = doc(args(entry("a"), entry("**kwargs"), entry("b")))
    assert run(func("f", sig, d)) == []
    starless = Signature(params=params("*names", "b", "**kwargs"))
    assert run(func("f", starless, doc(args(entry("b"), entry("names"), entry("kwargs"))))) == []
    [finding] = run(func("f", sig, doc(args(entry("b"), entry("a")))))
    assert finding.message == (
        "parameters of f() are not documented in signature order: 'b' is documented before 'a'"
    )


def test_return_without_value_skips_init() -> None:
    init = func("Repo.__init__", Signature(returns="None"), doc(returns(entry(None, "Repo"))))
    assert run(replace(init, kind=SymbolKind.METHOD)) == []


def test_dotted_bases_resolve_only_to_matching_qualified_names() -> None:
    mine = cls("TestCase", None)
    legacy = cls("LegacyTestCase", attrs_doc("location"), bases=("unittest.TestCase",))
    assert run(mine, legacy) == []  # unittest.TestCase is not pkg.mod.TestCase
    local = cls("Legacy", attrs_doc("location"), bases=("mod.TestCase",))
    assert codes(run(mine, local)) == ["DS401"]


def test_builtin_bases_contribute_their_attributes() -> None:
    error = cls("HTTPError", attrs_doc("args", "status"), bases=("Exception",))
    [finding] = run(error)
    assert finding.evidence.documented == "status"


@pytest.mark.parametrize(
    ("raised", "documented"),
    [("OSError", "FileNotFoundError"), ("BaseException", "ValueError"), ("Exception", "Timeout")],
)
def test_raising_a_base_class_may_pass_on_the_documented_subclass(
    raised: str, documented: str
) -> None:
    assert run(raising(raised, documented=documented)) == []


def test_raising_a_broad_exception_does_not_excuse_a_project_exception() -> None:
    app = cls("AppError", bases=("Exception",))
    assert run(app, raising("Exception", documented="AppError")) == []  # AppError < Exception
    other = cls("Unrelated", bases=("ValueError",))
    assert codes(run(other, raising("KeyError", documented="Unrelated"))) == ["DS301"]


def test_underscore_names_are_not_similar_to_everything() -> None:
    sig = Signature(params=params("a", "value", "other"))
    found = codes(run(func("f", sig, doc(args(entry("a"), entry("_"))))))
    assert sorted(found) == ["DS101", "DS102", "DS102"]


def test_two_stale_entries_never_rename_to_the_same_parameter() -> None:
    """Out-of-order entries make overlapping gaps; each parameter pairs at most once."""

    source = (
        "def f(a, b, mode, d, e):\n"
        '    """F.\n\n    Args:\n        a: A.\n        gone: G.\n        d: D.\n'
        '        b: B.\n        legacy: L.\n        e: E.\n    """\n'
    )
    findings = run_source(source)
    renamed_to = [f.evidence.actual for f in findings if f.code == "DS103"]
    assert len(renamed_to) == len(set(renamed_to)) <= 1


def test_keyword_arguments_section_alone_reports_only_missing_keyword_parameters() -> None:

    source = (
        'def add(srs, auth_name="EPSG", timeout=None, *, retries=2):\n'
        '    """Add ``srs``.\n\n    Keyword Arguments:\n        auth_name: The authority.\n'
        '    """\n'
    )
    findings = run_source(source)
    missing = sorted(f.evidence.actual or "" for f in findings if f.code == "DS102")
    assert missing == ["retries=2", "timeout=None"]


def test_a_typo_fixed_in_the_code_is_a_rename() -> None:
    """SymPy's ``tree`` documents ``asssumptions``; the parameter is ``assumptions``."""

    source = (
        "def tree(node, assumptions=True):\n"
        '    """Print a tree.\n\n    Parameters\n    ==========\n\n'
        "    node : Basic\n        The root.\n"
        "    asssumptions : bool, optional\n        Print the assumptions.\n"
        '    """\n'
    )
    findings = run_source(source)
    assert [(f.code, f.evidence.documented, f.evidence.actual) for f in findings] == [
        ("DS103", "asssumptions", "assumptions")
    ]


def test_the_implicit_first_parameter_is_never_stale_whatever_its_name() -> None:
    """SymPy's ``DomainMatrix.matmul(A, B)`` documents ``A, B``; ``A`` is its self."""

    source = (
        "class DomainMatrix:\n"
        '    """A matrix."""\n\n'
        "    def matmul(A, B):\n"
        '        """Multiply.\n\n        Parameters\n        ==========\n\n'
        "        A, B: DomainMatrix\n            to multiply\n"
        '        """\n'
    )
    assert run_source(source) == []
