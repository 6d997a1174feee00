"""Signatures shown on pages: inline code such as `` `Client(base_url, *, timeout=..., **kw)` ``.

Pages often show how to call something as a signature in inline code ("Signature:
`Response.set_cookie(key, value, max_age=None)`").  Such a span is read as a
signature, not as a call, when only a signature can be written that way (a bare
``*`` or ``/``, ``*args`` or ``**kwargs``, an annotation, a ``-> type``), or,
with ``--base``, when it lists the base's parameters exactly, with at least two
defaults, each as the base wrote it.  It is held to
the code only when it names one project callable exactly: a dotted project name,
the one project class or function of a bare name, or ``Class.method`` of the one
project class of that name, whose signature a call would see (no decorator that
may change it, no ``@overload``).  DS709 reports what a reader would get wrong.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docsync.models import (
    CodeRef,
    Evidence,
    Finding,
    Page,
    ParamKind,
    RefKind,
    Severity,
    Signature,
    Symbol,
    SymbolKind,
)
from docsync.rules.base import render_params
from docsync.rules.code_blocks import page_finding
from docsync.rules.literal_args import base_signature
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind
from docsync.rules.signatures import callable_signature
from docsync.scan.index import SymbolIndex

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet  # imports GitPython: only for type checking

__all__ = [
    "STALE_SIGNATURE",
    "ShownParam",
    "ShownSignature",
    "check_shown_signature",
    "parse_shown",
]

STALE_SIGNATURE = Rule(
    code="DS709",
    slug="page-stale-signature",
    summary="A signature shown in inline code no longer matches the code.",
    severity=Severity.WARNING,
    description=(
        "Inline code written as a signature (`f(a, *, b=..., **kw)`: a bare `*` or `/`, "
        "`*args`/`**kwargs`, annotations or `-> type`; with `--base`, also "
        "a copy of the base's parameters with two or more of its defaults) that names one project "
        "callable. Reported: a parameter the code does not have (unless it takes "
        "`**kwargs`), a required one not shown, one shown positional that is keyword-only "
        "or by keyword that is positional-only, positional parameters out of order; with "
        "`--base`, `*args`/`**kwargs` the change removed and parameters the change added "
        "to a signature the page copied in full."
    ),
    kind=RuleKind.PAGE,
    examples=Examples("pages", "STALE_SIGNATURE_FLAG", "STALE_SIGNATURE_KEEP"),
    fix=FixKind.PROSE,
    names_symbol=True,
)

_SIGNATURE = re.compile(
    r"^(?P<name>[A-Za-z_][\w.]*)\((?P<params>[^()]*)\)\s*(?:->\s*(?P<returns>\S.*))?$"
)
_MAX_TEXT = 500  # longer inline code is not a signature line; keeps the parse bounded
_POSITIONAL = (ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD)
_RECEIVERS = frozenset({"self", "cls"})


@dataclass(frozen=True)
class ShownParam:
    """One parameter as the page shows it; ``default`` as normalised source, if shown."""

    name: str
    kind: ParamKind
    default: str | None = None


@dataclass(frozen=True)
class ShownSignature:
    """A parameter list written in inline code; ``marked`` when only a signature reads so."""

    name: str
    params: tuple[ShownParam, ...]
    marked: bool

    def names(self) -> tuple[str, ...]:
        """The shown parameter names, in order, without ``self``/``cls``."""
        return tuple(p.name for p in self.params if p.name not in _RECEIVERS)


def parse_shown(text: str) -> ShownSignature | None:
    """Read inline code as ``name(parameters) [-> type]``, the way a ``def`` reads.

    Args:
        text: The inline code, with or without its backticks.

    Returns:
        The shown signature, or ``None`` when the text is not a name followed by a
        parameter list Python accepts in a ``def`` (``f("a")``, ``f(1)``, ``f(x.y)``
        are calls, never signatures).
    """
    code = text.strip().strip("`").strip()
    match = _SIGNATURE.match(code) if len(code) <= _MAX_TEXT else None
    if match is None:
        return None
    try:
        tree = ast.parse(f"def _shown({match['params']}): pass")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    func = tree.body[0]
    if not isinstance(func, ast.FunctionDef):
        return None
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    params: list[ShownParam] = []
    for number, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = (
            ParamKind.POSITIONAL_ONLY
            if number < len(args.posonlyargs)
            else ParamKind.POSITIONAL_OR_KEYWORD
        )
        params.append(ShownParam(arg.arg, kind, _source(default)))
    if args.vararg is not None:
        params.append(ShownParam(args.vararg.arg, ParamKind.VAR_POSITIONAL))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(ShownParam(arg.arg, ParamKind.KEYWORD_ONLY, _source(kw_default)))
    if args.kwarg is not None:
        params.append(ShownParam(args.kwarg.arg, ParamKind.VAR_KEYWORD))
    every = [*positional, *args.kwonlyargs, args.vararg, args.kwarg]
    annotated = any(a is not None and a.annotation is not None for a in every)
    # `...` defaults alone do not make a signature: calls elide values as `f(key=...)`.
    marked = bool(args.posonlyargs or args.vararg or args.kwarg or args.kwonlyargs or annotated)
    return ShownSignature(match["name"], tuple(params), marked or bool(match["returns"]))


def _source(node: ast.expr | None) -> str | None:
    return None if node is None else ast.unparse(node)


def _normalised(default: str | None) -> str | None:
    """A default as ``ast.unparse`` writes it (``'/'`` and ``"/"`` alike)."""
    if default is None:
        return None
    try:
        return ast.unparse(ast.parse(default, mode="eval"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return default


def check_shown_signature(
    ref: CodeRef, page: Page, index: SymbolIndex, changes: ChangeSet | None
) -> list[Finding] | None:
    """Hold a signature shown in inline code to the callable it names.

    Args:
        ref: An inline reference written with parentheses.
        page: The page it is on.
        index: The project's names.
        changes: The change set of ``--base``, or ``None``.

    Returns:
        ``None`` when the reference is not a shown signature of a project callable
        (it is then judged as a reference or a call, as before); else its DS709
        findings (none when it matches, or when the callable's signature cannot be
        known).
    """
    if ref.kind is not RefKind.INLINE or not ref.is_call or ref.historical:
        return None
    shown = parse_shown(ref.text)
    symbol = _named_callable(ref.target, index) if shown is not None else None
    if shown is None or symbol is None or _another_librarys(ref.target, page, index):
        return None
    base = base_signature(symbol, changes)
    if not shown.marked and not (base is not None and _copies(shown, base)):
        return None
    judged = callable_signature(symbol, index)
    if judged is None:
        return []
    head = judged[1]
    renamed = _renames(base, head) if base is not None else {}
    problems = _problems(shown, head, renamed)
    if base is not None:
        problems += _changed_since_base(shown, base, head, renamed)
    if not problems:
        return []
    label = _label(symbol)
    actual = f"{label}{render_params(head, markers=True)}"
    message = f"the signature `{ref.text.strip('`').strip()}` no longer matches `{actual}`: "
    return [
        page_finding(
            STALE_SIGNATURE,
            page,
            ref.line,
            message + "; ".join(problems),
            subject=symbol.qualname,
            # What is wrong is part of the identity: a change that makes a signature
            # the base already got wrong more wrong (`**env_options` removed) is new.
            text=f"{ref.text} {sorted(problems)}",
            evidence=Evidence(documented=ref.text, actual=actual),
            fix_hint=f"show `{actual}`",
        )
    ]


def _named_callable(target: str, index: SymbolIndex) -> Symbol | None:
    """The one project function, class or method ``target`` names exactly."""
    if index.is_project_name(target):
        found = index.resolve(target)
    elif "." not in target:
        found = _one_module_level(target, index)
    else:
        owner_name, _, member = target.partition(".")
        owner = _one_module_level(owner_name, index) if owner_name[:1].isupper() else None
        if owner is None or owner.kind is not SymbolKind.CLASS or "." in member:
            return None
        found = index.resolve(f"{owner.qualname}.{member}")
    callables = (SymbolKind.FUNCTION, SymbolKind.CLASS, SymbolKind.METHOD)
    return found if found is not None and found.kind in callables else None


def _another_librarys(name: str, page: Page, index: SymbolIndex) -> bool:
    """A bare name the page also writes as another library's (`` `httpx.get` ``)."""
    return "." not in name and any(
        r.target.endswith(f".{name}") and not index.is_project_name(r.target)
        for r in page.code_refs
    )


def _one_module_level(name: str, index: SymbolIndex) -> Symbol | None:
    named = index.find_by_short_name(name)
    if len(named) != 1 or named[0].kind not in (SymbolKind.CLASS, SymbolKind.FUNCTION):
        return None
    parent = index.project.get(named[0].qualname.rpartition(".")[0])
    return named[0] if parent is not None and parent.kind is SymbolKind.MODULE else None


def _copies(shown: ShownSignature, base: Signature) -> bool:
    """Whether the page copied the base signature.

    The same names and kinds in the same order, at least two defaults shown, and each
    shown default as the base wrote it (a default left out is fine: pages shorten
    ``value=""`` to ``value``).  A call passing every parameter, two of them at their
    defaults, is not something an example writes.
    """
    written = [p for p in shown.params if p.name not in _RECEIVERS]
    if [(p.name, p.kind) for p in written] != [(p.name, p.kind) for p in base.params]:
        return False
    pairs = [(p.default, _normalised(b.default)) for p, b in zip(written, base.params, strict=True)]
    shown_defaults = [(mine, theirs) for mine, theirs in pairs if mine is not None]
    return len(shown_defaults) >= 2 and all(mine == theirs for mine, theirs in shown_defaults)


def _renames(base: Signature, head: Signature) -> dict[str, str]:
    """Parameters the change renamed in place: same position and kind, old name gone."""
    base_names = {p.name for p in base.params}
    head_names = {p.name for p in head.params}
    return {
        old.name: new.name
        for old, new in zip(base.params, head.params, strict=False)
        if old.kind is new.kind and old.name not in head_names and new.name not in base_names
    }


def _problems(shown: ShownSignature, head: Signature, renamed: dict[str, str]) -> list[str]:
    """What the shown signature says that the head's contradicts."""
    kinds = {p.kind for p in head.params}
    takes_keywords = ParamKind.VAR_KEYWORD in kinds
    problems: list[str] = []
    for param in shown.params:
        if param.name in _RECEIVERS or param.kind in (
            ParamKind.VAR_POSITIONAL,
            ParamKind.VAR_KEYWORD,
        ):
            continue
        actual = head.param(param.name)
        if param.name in renamed:
            problems.append(f"`{param.name}` is now `{renamed[param.name]}`")
        elif actual is None or actual.is_variadic:
            if not takes_keywords:
                problems.append(f"the code has no parameter `{param.name}`")
        elif param.kind in _POSITIONAL and actual.kind is ParamKind.KEYWORD_ONLY:
            problems.append(f"`{param.name}` is keyword-only")
        elif param.kind is ParamKind.KEYWORD_ONLY and actual.kind is ParamKind.POSITIONAL_ONLY:
            problems.append(f"`{param.name}` is positional-only")
    shown_kinds = {p.kind for p in shown.params}
    variadic = shown_kinds & {ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD}
    names = set(shown.names()) | {renamed[n] for n in shown.names() if n in renamed}
    missing = [
        p.name
        for p in head.params
        if p.default is None and not p.is_variadic and p.name not in names
    ]
    if missing and not variadic:
        problems.append("it does not show " + ", ".join(f"`{m}`" for m in missing) + " (required)")
    order = [p.name for p in head.params if p.kind in _POSITIONAL]
    placed = [
        order.index(p.name) for p in shown.params if p.kind in _POSITIONAL and p.name in order
    ]
    if placed != sorted(placed):
        problems.append("its positional parameters are in another order")
    return problems


def _changed_since_base(
    shown: ShownSignature, base: Signature, head: Signature, renamed: dict[str, str]
) -> list[str]:
    """What the change made stale in a signature that matched the base."""
    problems: list[str] = []
    head_kinds = {p.kind for p in head.params}
    base_kinds = {p.kind for p in base.params}
    for param in shown.params:
        kind = param.kind
        variadic = kind in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD)
        if variadic and kind in base_kinds and kind not in head_kinds:
            star = "*" if kind is ParamKind.VAR_POSITIONAL else "**"
            problems.append(f"the change removed `{star}{param.name}`")
    base_names = tuple(p.name for p in base.params)
    if shown.names() == base_names:
        new_names = set(renamed.values())
        added = [p.name for p in head.params if p.name not in {*base_names, *new_names}]
        if added:
            problems.append("the change added " + ", ".join(f"`{a}`" for a in added))
    return problems


def _label(symbol: Symbol) -> str:
    if symbol.kind is SymbolKind.METHOD:
        return ".".join(symbol.qualname.rsplit(".", 2)[-2:])
    return symbol.name
