"""The parameters family: documented parameters against the signature (DS101-DS106)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from docsync.models import (
    DocEntry,
    DocSection,
    Evidence,
    Finding,
    Parameter,
    ParamKind,
    SectionKind,
    Severity,
    Signature,
    Symbol,
    SymbolKind,
)
from docsync.rules.base import (
    Family,
    RuleContext,
    callable_label,
    clean_doc_name,
    entry_location,
    entry_text,
    is_overload,
    is_property_like,
    render_params,
    section_location,
)
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind
from docsync.rules.test_code import injected_params
from docsync.rules.types import types_contradict

__all__ = [
    "FAMILY",
    "MISSING_PARAM",
    "MISSING_PARAMS_SECTION",
    "PARAM_ORDER",
    "PARAM_TYPE_MISMATCH",
    "RENAMED_PARAM",
    "STALE_PARAM",
    "DocumentedParam",
    "check_params",
    "documented_params",
]

PARAM_SECTIONS = (SectionKind.PARAMS, SectionKind.OTHER_PARAMS, SectionKind.KEYWORD_ARGS)
_IMPLICIT = frozenset({"self", "cls"})

STALE_PARAM = Rule(
    code="DS101",
    slug="stale-param",
    summary="A documented parameter is not in the signature.",
    severity=Severity.ERROR,
    description=(
        "Reported for each entry of a parameter section (Args, Parameters, Other Parameters, "
        "Keyword Args, or Sphinx `:param:` fields) whose name is not a parameter of the "
        "function, or of the class's constructor for a class docstring. `self` and `cls` "
        "entries are ignored, and `*args`/`**kwargs` match however they are spelled "
        "(`args`, `*args`, `\\*args`). When the signature has `**kwargs`, an extra entry may "
        "describe a keyword argument it accepts, so nothing is reported."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("param_names", "STALE_FLAG", "STALE_OK"),
    fix=FixKind.MECHANICAL,
    sections=PARAM_SECTIONS,
)
MISSING_PARAM = Rule(
    code="DS102",
    slug="missing-param",
    summary="A parameter of the signature is not documented.",
    severity=Severity.WARNING,
    description=(
        "Only checked when the docstring documents parameters at all: a docstring without a "
        "parameter section is DS106's concern. `*args`, `**kwargs` and parameters whose name "
        "starts with an underscore (private by convention) are never required. "
        "For a class, parameters documented by the `__init__` docstring count as documented, "
        "and so does a parameter that a paragraph about deprecation names in markup "
        '("The ``decode_keys`` parameter is deprecated").'
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("param_missing", "MISSING_FLAG", "MISSING_OK"),
    fix=FixKind.PLACEHOLDER,
    fix_needs="a missing parameter needs a description (--placeholders inserts a marked one)",
    sections=PARAM_SECTIONS,
)
RENAMED_PARAM = Rule(
    code="DS103",
    slug="renamed-param",
    summary="A documented parameter was renamed in the signature.",
    severity=Severity.ERROR,
    description=(
        "When a stale entry and an undocumented parameter sit at the same place (between the "
        "same documented neighbours), they are reported once, as a rename, instead of as a "
        "DS101 and a DS102."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("param_names", "RENAMED_FLAG", "RENAMED_OK"),
    fix=FixKind.MECHANICAL,
    sections=PARAM_SECTIONS,
)
PARAM_TYPE_MISMATCH = Rule(
    code="DS104",
    slug="param-type-mismatch",
    summary="A documented parameter type contradicts the annotation.",
    severity=Severity.WARNING,
    description=(
        "Both types are normalised (`Optional[X]` is `X | None`, `List` is `list`, "
        "`list of str` is `list[str]`, NumPy's `optional`/`default` qualifiers are dropped) "
        "and reported only when they are clearly disjoint: `None` is set aside, numeric types "
        "are compatible with each other, abstract types accept their concrete types, and any "
        "unknown name (which may be a type alias), `Any`, TypeVar or `Literal` means no finding."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("param_details", "TYPE_FLAG", "TYPE_OK"),
    fix=FixKind.MECHANICAL,
    sections=PARAM_SECTIONS,
)
PARAM_ORDER = Rule(
    code="DS105",
    slug="param-order",
    summary="Documented parameters are not in signature order.",
    severity=Severity.INFO,
    description=(
        "Checked only when the documented names are exactly right (no stale, missing or "
        "renamed entry) and all sit in Args/Parameters sections. Where `*args`/`**kwargs` "
        "and private (`_name`) parameters are documented is left to the author."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("param_details", "ORDER_FLAG", "ORDER_OK"),
    fix=FixKind.MECHANICAL,
    sections=PARAM_SECTIONS,
    masked_by_others=True,
)
MISSING_PARAMS_SECTION = Rule(
    code="DS106",
    slug="missing-params-section",
    summary="A function with parameters has a docstring but no parameter section.",
    severity=Severity.WARNING,
    description=(
        "Opt-in: only reported with `require_params`. Functions and methods only; a function "
        "whose parameters are all `*args`/`**kwargs` or private (`_name`), a dunder method "
        "other than `__init__` and `__call__`, and an `__init__` whose class docstring "
        "documents the parameters are not reported."
    ),
    kind=RuleKind.DOCSTRING,
    examples=Examples("param_details", "SECTION_FLAG", "SECTION_OK"),
    fix=FixKind.PROSE,
    fix_needs="the parameters need descriptions",
    sections=PARAM_SECTIONS,
)


@dataclass(frozen=True)
class DocumentedParam:
    """One documented name: an entry may document several (``x, y : int``)."""

    name: str
    stars: int
    entry: DocEntry
    section: DocSection


@dataclass(frozen=True)
class _Analysis:
    """How the documented names line up with the signature."""

    matched: tuple[tuple[DocumentedParam, int], ...]
    stale: tuple[DocumentedParam, ...]
    missing: tuple[Parameter, ...]
    renames: tuple[tuple[DocumentedParam, Parameter], ...]
    extras: int


def documented_params(symbol: Symbol) -> tuple[DocumentedParam, ...]:
    """The parameter names a symbol's docstring documents, in order, first mention only.

    Args:
        symbol: Any symbol.

    Returns:
        The documented names, stars and escapes removed; entries whose name is
        not an identifier are left out.
    """
    if symbol.docstring is None:
        return ()
    found: list[DocumentedParam] = []
    seen: set[str] = set()
    for section in symbol.docstring.sections_of(*PARAM_SECTIONS):
        for entry in section.entries:
            for raw in (entry.name or "").split(","):
                cleaned = clean_doc_name(raw)
                bare = cleaned.lstrip("*").strip()
                if not bare.isidentifier() or bare in seen:
                    continue
                seen.add(bare)
                found.append(
                    DocumentedParam(bare, len(cleaned) - len(cleaned.lstrip("*")), entry, section)
                )
    return tuple(found)


def _applies(symbol: Symbol) -> bool:
    if symbol.docstring is None or symbol.signature is None:
        return False
    if symbol.kind not in (SymbolKind.FUNCTION, SymbolKind.METHOD, SymbolKind.CLASS):
        return False
    return not (is_overload(symbol) or is_property_like(symbol))


def check_params(symbol: Symbol, ctx: RuleContext) -> Iterator[Finding]:
    """Check a symbol's documented parameters against its signature.

    Args:
        symbol: A function, method or class.
        ctx: The run context.

    Yields:
        DS101-DS106 findings.
    """
    if not _applies(symbol):
        return
    assert symbol.docstring is not None and symbol.signature is not None
    signature = symbol.signature
    if not symbol.docstring.has_section(*PARAM_SECTIONS):
        if ctx.require_params:
            yield from _missing_section(symbol, signature, ctx)
        return
    analysis = _analyse(symbol, signature, ctx)
    yield from _report_names(symbol, signature, analysis)
    yield from _report_types(symbol, ctx, analysis)
    if not (analysis.stale or analysis.missing or analysis.renames or analysis.extras):
        yield from _report_order(symbol, analysis)


def _analyse(symbol: Symbol, signature: Signature, ctx: RuleContext) -> _Analysis:
    documented = documented_params(symbol)
    index = {p.name: i for i, p in enumerate(signature.params)}
    has_var_keyword = any(p.kind is ParamKind.VAR_KEYWORD for p in signature.params)
    matched = tuple((d, index[d.name]) for d in documented if d.name in index)
    # `self`/`cls` (whatever a method calls it) are dropped from method signatures:
    # documenting them is not stale.
    implicit = _IMPLICIT | ({signature.implicit} if signature.implicit else set())
    unmatched = [d for d in documented if d.name not in index and d.name not in implicit]
    stale = () if has_var_keyword else tuple(unmatched)
    names = (
        {d.name for d in documented}
        | _documented_elsewhere(symbol, ctx)
        | named_as_deprecated(symbol.docstring.text)  # type: ignore[union-attr]
    )
    # A parameter section none of whose entries could be read (`:param: x: ...`) is not
    # evidence that anything is missing.
    undocumented = [p for p in signature.params if p.name not in names] if documented else []
    private = {p.name for p in undocumented if p.name.startswith("_")}
    # pytest passes a test's and a fixture's arguments, invoke a task's context: no caller does.
    injected = frozenset() if ctx.check_tests else injected_params(symbol)
    renames = _pair_renames(documented, stale, undocumented, index)
    renamed_docs = {id(d) for d, _ in renames}
    renamed_params = {p.name for _, p in renames}
    # A docstring whose only parameter section is "Keyword Arguments" (or "Other
    # Parameters") describes its positional parameters in prose: only parameters a
    # caller passes by keyword can be missing from it.
    keywords_only = not symbol.docstring.has_section(SectionKind.PARAMS)  # type: ignore[union-attr]
    # With ``*args``, extra entries often describe the items it takes (SymPy's
    # ``Truss.remove_load(*args)`` documents ``location``, ``magnitude``...): a rename is
    # still reported, an unpaired extra entry is not.
    has_var_positional = any(p.kind is ParamKind.VAR_POSITIONAL for p in signature.params)
    reported = tuple(
        d for d in stale if id(d) not in renamed_docs and not (has_var_positional and d.stars == 0)
    )
    return _Analysis(
        matched=matched,
        stale=reported,
        missing=tuple(
            p
            for p in undocumented
            if not (p.is_variadic or p.name in renamed_params or p.name in private)
            and p.name not in injected
            and not (keywords_only and p.default is None and p.kind is not ParamKind.KEYWORD_ONLY)
        ),
        renames=renames,
        extras=len(unmatched) - len(reported) - len(renames),
    )


_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")
_MARKED_NAME_RE = re.compile(r"(?:``|`|\*\*|\*)(\w+)(?:``|`|\*\*|\*)")


def named_as_deprecated(text: str) -> set[str]:
    """Names marked up (````x````, ```x```, ``*x*``) in a paragraph about deprecation.

    Werkzeug drops deprecated parameters from its field list and says so in a
    ``.. versionchanged::`` note ("The ``decode_keys`` parameter is deprecated"):
    those parameters are documented, as deprecated.
    """
    names: set[str] = set()
    for paragraph in _PARAGRAPH_BREAK_RE.split(text)[:_MAX_PARAGRAPHS]:
        if "deprecat" in paragraph.lower():
            names.update(_MARKED_NAME_RE.findall(paragraph))
    return names


_MAX_PARAGRAPHS = 200


def _documented_elsewhere(symbol: Symbol, ctx: RuleContext) -> set[str]:
    """For a class, the parameters its ``__init__`` docstring documents."""
    if symbol.kind is not SymbolKind.CLASS:
        return set()
    init = ctx.project.get(f"{symbol.qualname}.__init__")
    return set() if init is None else {d.name for d in documented_params(init)}


def _pair_renames(
    documented: tuple[DocumentedParam, ...],
    stale: tuple[DocumentedParam, ...],
    undocumented: list[Parameter],
    index: dict[str, int],
) -> tuple[tuple[DocumentedParam, Parameter], ...]:
    """Pair stale entries with undocumented parameters between the same documented neighbours.

    A gap pairs when it holds as many stale entries as undocumented parameters
    of the matching kind (plain, ``*args``), or one of one side and exactly one
    similar name on the other (``proc`` and ``proc_or_stream``), or one stale
    entry and the parameter in its place with a loosely similar name, the others
    added after it (``ratio`` and ``rate`` in ``convert(amount, rate, precision)``).
    """
    stale_ids = {id(d) for d in stale}
    gaps: dict[tuple[int, int], list[DocumentedParam]] = {}
    for position, doc in enumerate(documented):
        if id(doc) not in stale_ids:
            continue
        before = [index[d.name] for d in documented[:position] if d.name in index]
        after = [index[d.name] for d in documented[position + 1 :] if d.name in index]
        gap = (before[-1] if before else -1, after[0] if after else len(index))
        gaps.setdefault(gap, []).append(doc)
    pairs: list[tuple[DocumentedParam, Parameter]] = []
    for (low, high), docs in gaps.items():
        for star_kind in (None, ParamKind.VAR_POSITIONAL):
            wanted_stars = 0 if star_kind is None else 1
            group = [d for d in docs if d.stars == wanted_stars]
            taken = {id(param) for _, param in pairs}
            candidates = [
                p
                for p in undocumented
                if low < index[p.name] < high
                and id(p) not in taken  # gaps overlap when entries are out of order
                and (p.kind is star_kind if star_kind else not p.is_variadic)
            ]
            slot = low + 1  # the first position after the documented neighbour
            pairs.extend(_pair_gap(group, candidates, [index[p.name] for p in candidates], slot))
    return tuple(pairs)


def _pair_gap(
    docs: list[DocumentedParam], params: list[Parameter], positions: list[int], slot: int
) -> list[tuple[DocumentedParam, Parameter]]:
    if not docs or not params:
        return []
    if len(docs) == len(params):
        return list(zip(docs, params, strict=True))
    if len(docs) == 1:
        similar = [p for p in params if _similar(docs[0].name, p.name)]
        if len(similar) == 1:
            return [(docs[0], similar[0])]
        # A rename with parameters added after it (``convert(amount, ratio)`` →
        # ``convert(amount, rate, precision)``): the first parameter of the gap takes the
        # old one's place, and a loosely similar name confirms it.
        first = params[0]
        if not similar and positions[0] == slot and _loosely_similar(docs[0].name, first.name):
            return [(docs[0], first)]
        return []
    if len(params) == 1:
        alike = [d for d in docs if _similar(d.name, params[0].name)]
        return [(alike[0], params[0])] if len(alike) == 1 else []
    return []


def _loosely_similar(old: str, new: str) -> bool:
    """Whether a name in the old one's place reads as its rename (``ratio`` and ``rate``)."""
    a, b = old.lower().strip("_"), new.lower().strip("_")
    if not a or not b:
        return False
    return a[:2] == b[:2] or difflib.SequenceMatcher(None, a, b).ratio() >= 0.6


def _similar(old: str, new: str) -> bool:
    """Whether two names look like one renamed: containment, a long shared prefix, or a typo."""
    a, b = old.lower().strip("_"), new.lower().strip("_")
    if not a or not b:
        return False
    shared = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    # A typo fixed in the code (``asssumptions`` → ``assumptions``) reads as one name.
    close = difflib.SequenceMatcher(None, a, b).ratio() >= 0.85
    return a in b or b in a or shared >= 4 or close


def _report_names(symbol: Symbol, signature: Signature, analysis: _Analysis) -> Iterator[Finding]:
    label = callable_label(symbol)
    actual = render_params(signature)
    for doc in analysis.stale:
        yield STALE_PARAM.finding(
            symbol,
            entry_location(symbol, doc.entry),
            f"parameter '{doc.name}' is documented but not in the signature of {label}",
            Evidence(documented=doc.name, actual=actual),
            f"remove the entry for '{doc.name}'",
            (doc.name, entry_text(doc.entry)),
        )
    for doc, param in analysis.renames:
        yield RENAMED_PARAM.finding(
            symbol,
            entry_location(symbol, doc.entry),
            f"parameter '{doc.name}' was renamed to '{param.name}' in the signature of {label}",
            Evidence(documented=doc.name, actual=param.name),
            f"rename the entry '{doc.name}' to '{param.name}'",
            (doc.name, entry_text(doc.entry), param.name),
        )
    if analysis.missing:
        assert symbol.docstring is not None
        section = symbol.docstring.sections_of(*PARAM_SECTIONS)[0]
        documented = ", ".join(d.name for d, _ in analysis.matched) or None
        for param in analysis.missing:
            yield MISSING_PARAM.finding(
                symbol,
                section_location(symbol, section),
                f"parameter '{param.name}' of {label} is not documented",
                Evidence(documented=documented, actual=_render_param(param)),
                f"add an entry for '{param.name}'",
                (param.name,),
            )


def _render_param(param: Parameter) -> str:
    text = param.display_name
    if param.annotation:
        text += f": {param.annotation}"
    if param.default is not None:
        text += f" = {param.default}" if param.annotation else f"={param.default}"
    return text


def _report_types(symbol: Symbol, ctx: RuleContext, analysis: _Analysis) -> Iterator[Finding]:
    assert symbol.signature is not None
    for doc, position in analysis.matched:
        param = symbol.signature.params[position]
        documented_type = doc.entry.type
        if not documented_type or not param.annotation:
            continue
        if types_contradict(documented_type, param.annotation, ctx.lineage):
            yield PARAM_TYPE_MISMATCH.finding(
                symbol,
                entry_location(symbol, doc.entry),
                f"parameter '{doc.name}' of {callable_label(symbol)} is documented as "
                f"'{documented_type}' but annotated '{param.annotation}'",
                Evidence(documented=documented_type, actual=param.annotation),
                f"change the documented type of '{doc.name}' to '{param.annotation}'",
                (doc.name, documented_type),
            )


def _report_order(symbol: Symbol, analysis: _Analysis) -> Iterator[Finding]:
    if any(doc.section.kind is not SectionKind.PARAMS for doc, _ in analysis.matched):
        return
    # Where *args/**kwargs are described is a matter of taste, so they are left out.
    params = symbol.signature.params if symbol.signature else ()
    # Private parameters (``_create_rule``) are often listed last on purpose, as internals.
    ordered = [
        (doc, i)
        for doc, i in analysis.matched
        if not (params[i].is_variadic or params[i].name.startswith("_"))
    ]
    documented = [doc.name for doc, _ in ordered]
    expected = [doc.name for doc, _ in sorted(ordered, key=lambda pair: pair[1])]
    if documented == expected:
        return
    first, before = next((d, e) for d, e in zip(documented, expected, strict=True) if d != e)
    section = ordered[0][0].section
    yield PARAM_ORDER.finding(
        symbol,
        section_location(symbol, section),
        f"parameters of {callable_label(symbol)} are not documented in signature order: "
        f"'{first}' is documented before '{before}'",
        Evidence(documented=", ".join(documented), actual=", ".join(expected)),
        f"reorder the entries to: {', '.join(expected)}",
        tuple(documented),
    )


def _missing_section(symbol: Symbol, signature: Signature, ctx: RuleContext) -> Iterator[Finding]:
    if symbol.kind is SymbolKind.CLASS:
        return
    name = symbol.name
    if name.startswith("__") and name.endswith("__") and name not in ("__init__", "__call__"):
        return
    injected = frozenset() if ctx.check_tests else injected_params(symbol)
    named = [
        p.name
        for p in signature.params
        if not (p.is_variadic or p.name.startswith("_") or p.name in injected)
    ]
    if not named:
        return
    if name == "__init__":
        owner = ctx.parent_class(symbol)
        if owner is not None and owner.docstring and owner.docstring.has_section(*PARAM_SECTIONS):
            return
    assert symbol.docstring is not None
    yield MISSING_PARAMS_SECTION.finding(
        symbol,
        symbol.docstring.location,
        f"{callable_label(symbol)} has parameters but its docstring has no parameter section",
        Evidence(documented=None, actual=render_params(signature)),
        f"document the parameters: {', '.join(named)}",
        tuple(named),
    )


FAMILY = Family(
    name="params",
    rules=(
        STALE_PARAM,
        MISSING_PARAM,
        RENAMED_PARAM,
        PARAM_TYPE_MISMATCH,
        PARAM_ORDER,
        MISSING_PARAMS_SECTION,
    ),
    check=check_params,
)
