"""What a signature rejects: the arguments of a call, the parameters of an override.

Shared by the example checks (:mod:`docsync.rules.code_blocks`), the shown
signatures (:mod:`docsync.rules.shown_signatures`) and the mechanical page fixes,
which must only write calls the new signature accepts.
"""

from __future__ import annotations

import ast

from docsync.models import ParamKind, Signature, Symbol, SymbolKind
from docsync.scan.index import SymbolIndex

__all__ = ["TRANSPARENT_DECORATORS", "call_problems", "callable_signature", "override_problems"]

# Decorators that keep a function's signature as written.
TRANSPARENT_DECORATORS = frozenset(
    {
        "staticmethod",
        "classmethod",
        "abstractmethod",
        "cache",
        "lru_cache",
        "override",
        "final",
        "deprecated",
        "contextmanager",
        "asynccontextmanager",
    }
)
_PLAIN_CLASS_DECORATORS = frozenset({"dataclass", "final", "total_ordering", "define", "frozen"})


def callable_signature(symbol: Symbol, index: SymbolIndex) -> tuple[Symbol, Signature] | None:
    """The signature a page can be held to: calling ``symbol`` takes exactly these arguments.

    ``None`` when decorators, overloads, a metaclass or ``__new__`` may change what a
    call accepts, and for anything that is not a function, method or class.

    Args:
        symbol: A project symbol.
        index: The project's names (for overloads).

    Returns:
        The symbol and its signature (``self``/``cls`` dropped; a class's is its
        ``__init__``'s), or ``None``.
    """
    signature = symbol.signature
    if signature is None or index.is_overloaded(symbol.qualname):
        return None
    if symbol.kind is SymbolKind.CLASS:
        plain = all(d.rpartition(".")[2] in _PLAIN_CLASS_DECORATORS for d in symbol.decorators)
        if not plain or any("=" in b and "ABCMeta" not in b for b in symbol.bases):
            return None
        if "__new__" in symbol.attributes and "__init__" in symbol.attributes:
            return None
    elif symbol.kind in (SymbolKind.FUNCTION, SymbolKind.METHOD):
        if any(d.rpartition(".")[2] not in TRANSPARENT_DECORATORS for d in symbol.decorators):
            return None
    else:
        return None
    return symbol, signature


def call_problems(signature: Signature, positional: int, keywords: list[str]) -> list[str]:
    """What is wrong with calling ``signature`` with these arguments (nothing: empty).

    Args:
        signature: The callee's signature (``self``/``cls`` already dropped).
        positional: How many positional arguments the call passes.
        keywords: The keyword argument names the call passes.

    Returns:
        One short phrase per problem: too many positional arguments, an unknown or
        positional-only keyword, or a required parameter left out.
    """
    params = signature.params
    slots = [
        p for p in params if p.kind in (ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD)
    ]
    var_positional = any(p.kind is ParamKind.VAR_POSITIONAL for p in params)
    var_keyword = any(p.kind is ParamKind.VAR_KEYWORD for p in params)
    problems: list[str] = []
    if positional > len(slots) and not var_positional:
        problems.append(
            f"takes {len(slots)} positional argument(s) but the example passes {positional}"
        )
    filled = {p.name for p in slots[:positional]}
    for name in keywords:
        param = signature.param(name)
        accepts = param is not None and not param.is_variadic
        if param is not None and param.kind is ParamKind.POSITIONAL_ONLY:
            accepts = False
        if not accepts and not var_keyword:
            problems.append(f"has no parameter `{name}` that can be passed by keyword")
        elif accepts and name in filled:
            problems.append(f"gets `{name}` both by position and by keyword")
        if accepts:
            filled.add(name)
    missing = [
        p.name for p in params if p.default is None and not p.is_variadic and p.name not in filled
    ]
    if missing:
        shown = ", ".join(f"`{m}`" for m in missing)
        problems.append(f"requires {shown}, which the example does not pass")
    return problems


def override_problems(
    method: ast.FunctionDef | ast.AsyncFunctionDef, signature: Signature
) -> list[str]:
    """Why an override cannot be called the way the project calls the method it overrides.

    Only what is certain is said: a parameter the project's method requires by
    keyword (keyword-only, without a default) that the override neither names nor
    absorbs with ``**kwargs``.  Callers must pass it, by that name, so the override
    fails with a ``TypeError``.  Positional parameters may be renamed in an override,
    and optional ones may never be passed: neither is judged.

    Args:
        method: The override, as written in the example (``self`` included).
        signature: The project method's signature (``self``/``cls`` already dropped).

    Returns:
        One short phrase per parameter the override does not accept.
    """
    args = method.args
    if args.kwarg is not None:
        return []
    accepted = {a.arg for a in [*args.args, *args.kwonlyargs]}
    required = [
        p.name for p in signature.params if p.kind is ParamKind.KEYWORD_ONLY and p.default is None
    ]
    return [
        f"it does not accept `{name}`, which the method requires by keyword"
        for name in required
        if name not in accepted
    ]
