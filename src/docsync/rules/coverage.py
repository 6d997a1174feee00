"""Just-in-time coverage: the public API a change adds, and whether its docs know about it.

Base mode only, where "new" has a meaning (the symbol diff says ADDED).  Two rules:

* DS504 ``new-api-undocumented``: a new public function, class, method or property
  without a docstring, or whose docstring documents none of its parameters while the
  module's documented functions list theirs (the module's own convention, as DS503
  reads it).  The new public methods of a new undocumented class are named in the
  class's one finding instead of one finding each.
* DS708 ``new-api-off-pages``: on a MkDocs site, a new public symbol that no page
  reaches (no ``:::`` block shows it, its class or its module with members, and no
  page names it) while its siblings are shown by a ``:::`` block.  The finding is on
  that block's line, where the ``:::`` line or the member belongs.

"Public" is deliberately narrow, so that nothing private is ever asked for docs: no
underscore in any part of the name (a private module's name is public when a public
module's ``__all__`` re-exports it), listed in ``__all__`` where the module has one
(where it has none, and the project's packages hand out names from their ``__init__``,
only the names they hand out and their members), in a package or a top-level module (not
a script under ``examples/``), not in a test file or directory, not nested in a
function, not a dunder, not an ``@overload`` stub or ``@override``, and not a method
that overrides an inherited one (or may: a class with a base from outside the project),
whose docs the base already gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from docsync.changes.diff import ChangeKind
from docsync.models import (
    CodeRef,
    Evidence,
    Finding,
    Location,
    Module,
    Page,
    Project,
    RefKind,
    Severity,
    Symbol,
    SymbolKind,
    fingerprint,
)
from docsync.rules.base import callable_label
from docsync.rules.param_changes import documents_parameters, expected_params
from docsync.rules.params import PARAM_SECTIONS
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind
from docsync.scan.index import Status, SymbolIndex

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet

__all__ = [
    "NEW_API_OFF_PAGES",
    "NEW_API_UNDOCUMENTED",
    "Coverage",
    "coverage_of",
    "documentation_gap",
    "new_api_findings",
    "new_public_symbols",
    "off_pages",
]

NEW_API_UNDOCUMENTED = Rule(
    code="DS504",
    slug="new-api-undocumented",
    summary="The change adds public API without documentation.",
    severity=Severity.WARNING,
    description=(
        "Base mode only. A new public function, class, method or property without a "
        "docstring, or whose docstring documents none of its parameters while at least "
        "two of the module's documented functions list theirs and most do. Public: no "
        "underscore in any part of the name (unless a public `__all__` re-exports it), in "
        "`__all__` where the module has one (where it has none, and the project's package "
        "`__init__` modules import names to hand out, only those names and their members), "
        "not in tests, examples or docs, not nested in "
        "a function, not a dunder, not an override of an inherited method. A new "
        "undocumented class names its new undocumented methods in its one finding."
    ),
    kind=RuleKind.CHANGE,
    examples=Examples("coverage", "UNDOCUMENTED_FLAG", "UNDOCUMENTED_OK"),
    fix=FixKind.PROSE,
    fix_needs="a docstring for the new API, written from its code",
)
NEW_API_OFF_PAGES = Rule(
    code="DS708",
    slug="new-api-off-pages",
    summary="The change adds public API that no page shows, while its siblings are on one.",
    severity=Severity.INFO,
    description=(
        "Base mode, on projects with MkDocs pages. A new public symbol that no `:::` "
        "block reaches (itself, its class, or its module with members) and no page "
        "names, while a `:::` block shows its siblings (the other members of its class "
        "or module). Reported on that block's line: the `:::` line or the `members` "
        "entry belongs there. Nothing is said where the siblings are not on a page. "
        "`docsync fix` adds the name to the block's `members` list, or a `:::` block "
        "of the same form right after it; never prose."
    ),
    kind=RuleKind.PAGE,
    examples=Examples("coverage", "OFF_PAGES_FLAG", "OFF_PAGES_OK"),
    fix=FixKind.MECHANICAL,
    llm=False,
)

_NOT_API_DIRS = frozenset(
    {"tests", "test", "examples", "example", "docs", "doc", "benchmarks", "scripts"}
)
_OWNERS = (SymbolKind.MODULE, SymbolKind.CLASS)
_API_KINDS = (SymbolKind.FUNCTION, SymbolKind.CLASS, SymbolKind.METHOD, SymbolKind.PROPERTY)


@dataclass(frozen=True)
class Coverage:
    """What a change adds to the public API: every new public name, and the undocumented.

    ``undocumented`` is a subset of ``added`` (qualified names, in ``added``'s order).
    """

    added: tuple[str, ...] = ()
    undocumented: tuple[str, ...] = ()

    @property
    def documented(self) -> int:
        """How many of the new public symbols are documented."""
        return len(self.added) - len(self.undocumented)

    def line(self) -> str | None:
        """One line for the run's summary, or ``None`` when the change adds no public API."""
        if not self.added:
            return None
        count = len(self.added)
        noun = "symbol" if count == 1 else "symbols"
        return (
            f"this change adds {count} public {noun}: {self.documented} documented, "
            f"{len(self.undocumented)} not"
        )


def new_public_symbols(
    changes: ChangeSet, head: Project, index: SymbolIndex | None = None
) -> list[Symbol]:
    """The public functions, classes, methods and properties the change added.

    Args:
        changes: the change set.
        head: the head project.
        index: the head's symbol index, when the caller has one (else one is built).

    Returns:
        The head symbols, in change-set order (by qualified name).
    """
    modules = {m.path: m for m in head.modules}
    index = index if index is not None else SymbolIndex(head)
    hidden = _hidden_packages(head)
    public = _Public(
        head,
        index,
        _reexported_names(head, index, hidden),
        _package_exports(head, index, hidden),
        hidden,
    )
    found = []
    for change in changes.symbols:
        if not change.has(ChangeKind.ADDED) or change.new_qualname is None:
            continue
        symbol = head.get(change.new_qualname)
        module = modules.get(symbol.location.path) if symbol is not None else None
        if symbol is not None and module is not None and public.check(symbol, module):
            found.append(symbol)
    return found


def coverage_of(symbols: Iterable[Symbol], head: Project) -> Coverage:
    """Count the new public symbols and the undocumented ones among them.

    Args:
        symbols: the new public symbols (:func:`new_public_symbols`).
        head: the head project (for each module's documentation convention).

    Returns:
        The coverage, for the summary line.
    """
    modules = {m.path: m for m in head.modules}
    listed = list(symbols)
    missing = [
        s.qualname for s in listed if documentation_gap(s, modules.get(s.location.path)) is not None
    ]
    return Coverage(tuple(s.qualname for s in listed), tuple(missing))


def new_api_findings(
    symbols: Iterable[Symbol],
    head: Project,
    *,
    params_reported: frozenset[str] = frozenset(),
    fold: bool = True,
) -> list[Finding]:
    """DS504 for every new public symbol without documentation.

    Args:
        symbols: the new public symbols (:func:`new_public_symbols`).
        head: the head project.
        params_reported: symbols DS106 already reports for a missing parameter section.
        fold: name a new undocumented class's undocumented methods in its finding
            instead of one finding each (what a report shows; ``fix`` drafts each).

    Returns:
        One finding per undocumented symbol (a new undocumented class's methods
        folded in, with ``fold``).
    """
    modules = {m.path: m for m in head.modules}
    gaps = {}
    for symbol in symbols:
        gap = documentation_gap(symbol, modules.get(symbol.location.path))
        if gap is not None and not (gap == "params" and symbol.qualname in params_reported):
            gaps[symbol.qualname] = (symbol, gap)
    folded: dict[str, list[str]] = {}
    for name, (symbol, gap) in gaps.items():
        owner = name.rpartition(".")[0]
        if fold and gap == "docstring" and gaps.get(owner, (None, ""))[1] == "docstring":
            folded.setdefault(owner, []).append(symbol.name)
    findings = []
    for name, (symbol, gap) in gaps.items():
        if gap == "docstring" and name.rpartition(".")[0] in folded:
            continue  # named in its new class's finding
        if symbol.is_suppressed(NEW_API_UNDOCUMENTED.code):
            continue
        findings.append(_undocumented(symbol, gap, folded.get(name, [])))
    return findings


def documentation_gap(symbol: Symbol, module: Module | None) -> str | None:
    """What DS504 finds missing in the documentation of a new public symbol.

    Args:
        symbol: the symbol.
        module: the module it is defined in (for the module's convention).

    Returns:
        ``"docstring"`` when it has none (or a blank one) and its module or class
        does not assign its ``__doc__`` either, ``"params"`` when its
        docstring lists none of its parameters while the module's documented
        functions list theirs, else ``None``.
    """
    if symbol.docstring is None or not symbol.docstring.text.strip():
        return None if symbol.runtime_doc else "docstring"
    if (
        symbol.kind in (SymbolKind.FUNCTION, SymbolKind.METHOD)
        and module is not None
        and symbol.signature is not None
        and expected_params(symbol.signature)
        and not symbol.docstring.has_section(*PARAM_SECTIONS)
        and documents_parameters(module, symbol)
    ):
        return "params"
    return None


def _undocumented(symbol: Symbol, gap: str, methods: list[str]) -> Finding:
    rule = NEW_API_UNDOCUMENTED
    label = f"`{symbol.qualname}`"
    if gap == "params":
        names = ", ".join(p.name for p in expected_params(symbol.signature))  # type: ignore[arg-type]
        message = (
            f"{label} is new and its docstring documents none of its parameters, while "
            "this module's documented functions list theirs"
        )
        hint = f"document the parameters: {names}"
        location = symbol.docstring.location if symbol.docstring else symbol.location
    else:
        kind = "property" if symbol.kind is SymbolKind.PROPERTY else symbol.kind.value
        message = f"{label} is a new public {kind} without a docstring"
        if methods:
            shown = ", ".join(f"`{m}`" for m in methods[:5])
            more = f" and {len(methods) - 5} more" if len(methods) > 5 else ""
            message += f", nor do its new public methods {shown}{more}"
        hint = f"write a docstring for {callable_label(symbol)}"
        location = symbol.location
    return Finding(
        code=rule.code,
        slug=rule.slug,
        severity=rule.severity,
        message=message,
        location=location,
        symbol=symbol.qualname,
        evidence=Evidence(),
        fingerprint=fingerprint(rule.code, symbol.qualname, gap),
        fix_hint=hint,
    )


# --- what is public ---------------------------------------------------------------------


def _reexported_names(
    head: Project, index: SymbolIndex, hidden: frozenset[str] = frozenset()
) -> frozenset[str]:
    """What the public modules' ``__all__`` re-export (``pkg`` exporting ``pkg._impl.X``)."""
    found: set[str] = set()
    for module in head.modules:
        names = module.bindings.all_names
        private = _private_module(module, hidden)
        if names is None or private or not index.is_project_name(module.qualname):
            continue
        found.update(target for name, target in module.bindings.imports if name in names)
    return frozenset(found)


def _package_exports(
    head: Project, index: SymbolIndex, hidden: frozenset[str] = frozenset()
) -> frozenset[str] | None:
    """What the public packages' ``__init__`` modules import: the names users are given.

    ``None`` when no ``__init__`` imports a project name: then a module without
    ``__all__`` is all public, the only reading left.  Otherwise, in a module without
    ``__all__``, only what a package hands out is public API (SQLAlchemy's
    ``sqlalchemy.sql.lambdas`` is internal, ``lambda_stmt``, which ``sqlalchemy``
    imports, is not).  Targets are resolved to where they are defined.
    """
    found: set[str] = set()
    for module in head.modules:
        if not _is_package_init(module) or _private_module(module, hidden):
            continue
        for name, target in module.bindings.imports[:_MAX_IMPORTS]:
            if name.startswith("_") or not index.is_project_name(target):
                continue
            found.add(target)
            resolved = index.resolve(target)
            if resolved is not None:
                found.add(resolved.qualname)
    return frozenset(found) if found else None


_MAX_IMPORTS = 5_000  # per __init__ module


def _is_package_init(module: Module) -> bool:
    return PurePosixPath(module.path).name == "__init__.py"


def _private_module(module: Module, hidden: frozenset[str] = frozenset()) -> bool:
    """An underscore in the module's name, or a package its parent hides (see below)."""
    if any(part.startswith("_") for part in module.qualname.split(".")):
        return True
    parts = module.qualname.split(".")
    return any(".".join(parts[:end]) in hidden for end in range(2, len(parts) + 1))


def _hidden_packages(head: Project) -> frozenset[str]:
    """The subpackages and submodules their parent package binds only under a private name.

    ``from . import util as _util`` in ``sqlalchemy/__init__.py`` (and no public
    binding of ``sqlalchemy.util`` there) says that ``sqlalchemy.util`` is the
    package's internal toolbox: its contents are not API, whatever its own
    ``__init__`` hands out, unless a public ``__all__`` re-exports them.  A child
    the parent does not import at all says nothing (``sqlalchemy.orm`` is imported
    by its users, not by ``sqlalchemy``).
    """
    hidden: set[str] = set()
    for module in head.modules:
        if not _is_package_init(module):
            continue
        prefix = module.qualname + "."
        private: set[str] = set()
        public: set[str] = set()
        for name, target in module.bindings.imports[:_MAX_IMPORTS]:
            child = target.removeprefix(prefix)
            if not target.startswith(prefix) or "." in child:
                continue  # not a direct child of this package
            (private if name.startswith("_") else public).add(target)
        hidden.update(private - public)
    return frozenset(hidden)


@dataclass(frozen=True)
class _Public:
    """Decides what is public API in one head project (see the module's docstring)."""

    head: Project
    index: SymbolIndex
    exported: frozenset[str]
    handed_out: frozenset[str] | None = None
    hidden: frozenset[str] = frozenset()

    def check(self, symbol: Symbol, module: Module) -> bool:
        """Whether ``symbol``, defined in ``module``, is public API."""
        if symbol.kind not in _API_KINDS or _outside_api(module.path):
            return False
        if not self.index.is_project_name(module.qualname):
            return False  # a script beside the code (examples/, docs/): nothing imports it
        if module.qualname.rpartition(".")[2] in ("setup", "conftest", "noxfile", "__main__"):
            return False
        if symbol.has_decorator("overload", "override") or symbol.name.startswith("_"):
            return False  # dunders too: documented by their class, or by Python
        owner = self.head.get(symbol.qualname.rpartition(".")[0])
        if owner is None or owner.kind not in _OWNERS:
            return False  # nested in a function: not importable
        if owner.kind is SymbolKind.MODULE:
            if _private_module(module, self.hidden):
                return symbol.qualname in self.exported  # `from pkg._impl import X` in `pkg`
            names = module.bindings.all_names
            if names is not None:
                return symbol.name in names
            if self.handed_out is None or _is_package_init(module):
                return True
            return symbol.qualname in self.handed_out
        if not self.check(owner, module):
            return False
        inherited = self.index.inherited_members(owner)
        return (
            inherited is not None and symbol.name not in inherited
        )  # overrides take the base's docs


def _outside_api(path: str) -> bool:
    pure = PurePosixPath(path)
    if any(part in _NOT_API_DIRS for part in pure.parts[:-1]):
        return True
    return (
        pure.name.startswith("test_") or pure.stem.endswith("_test") or pure.name == "conftest.py"
    )


# --- DS708: new API no page shows -------------------------------------------------------


@dataclass(frozen=True)
class _Shown:
    """A ``:::`` block: what it resolves to and which members it shows (``None``: all)."""

    page: str
    line: int
    target: str
    members: frozenset[str] | None


def off_pages(
    symbols: Iterable[Symbol],
    pages: Iterable[Page],
    index: SymbolIndex,
    mentions: Mapping[str, Iterable[str]],
) -> list[Finding]:
    """DS708 for every new public symbol that no page reaches while its siblings are shown.

    Args:
        symbols: the new public symbols (:func:`new_public_symbols`).
        pages: the site's pages (pages about the past left out by the caller).
        index: the page rules' symbol index.
        mentions: per page, the qualified names its references and examples use.

    Returns:
        One finding per such symbol, on the line of the block that shows its siblings.
    """
    listed = list(symbols)
    new = {s.qualname for s in listed}
    blocks: list[_Shown] = []
    named: set[str] = {name for found in mentions.values() for name in found}
    for page in pages:
        for ref in page.code_refs:
            found = index.lookup(ref.target)
            if found.status is not Status.FOUND or found.qualname is None:
                continue
            if ref.kind is RefKind.IDENTIFIER:
                blocks.append(_Shown(page.path, ref.line, found.qualname, _members(ref)))
            else:
                named.add(found.qualname)
    findings = []
    for symbol in listed:
        if symbol.qualname in named or any(_shows(b, symbol.qualname, index) for b in blocks):
            continue
        if symbol.is_suppressed(NEW_API_OFF_PAGES.code):
            continue
        owner = symbol.qualname.rpartition(".")[0]
        siblings = [
            name for name in _siblings(owner, index) if name not in new and name != symbol.qualname
        ]
        home = _home(owner, siblings, blocks, index)
        if home is not None:
            findings.append(_off_page(symbol, owner, home))
    return findings


def _members(ref: CodeRef) -> frozenset[str] | None:
    options = ref.options.get("options")
    members = options.get("members") if isinstance(options, dict) else None
    if members is False:
        return frozenset()
    if isinstance(members, list):
        return frozenset(str(m) for m in members)
    return None


def _shows(block: _Shown, qualname: str, index: SymbolIndex, *, reexports: bool = True) -> bool:
    """Whether a ``:::`` block renders ``qualname`` (itself, as a member, or re-exported)."""
    if qualname == block.target:
        return True
    if reexports and _reexported(block, qualname, index):
        return True
    if not qualname.startswith(block.target + "."):
        return False
    rest = qualname[len(block.target) + 1 :].split(".")
    if block.members is not None and rest[0] not in block.members:
        return False
    target = index.project.get(block.target)
    symbol = index.project.get(qualname)
    if target is None or symbol is None:
        return False
    if target.kind is SymbolKind.MODULE:
        # A module block shows what the module defines, not its submodules.
        return index.module_of(symbol) is index.module_of(target)
    return target.kind is SymbolKind.CLASS


def _reexported(block: _Shown, qualname: str, index: SymbolIndex) -> bool:
    """A package block shows what its ``__all__`` re-exports (mkdocstrings' default)."""
    target = index.project.get(block.target)
    if target is None or target.kind is not SymbolKind.MODULE:
        return False
    module = index.module_of(target)
    if module is None or module.bindings.all_names is None:
        return False
    for name, imported in module.bindings.imports:
        if name not in module.bindings.all_names:
            continue
        if block.members is not None and name not in block.members:
            continue
        if qualname == imported or qualname.startswith(imported + "."):
            return True
    return False


def _siblings(owner: str, index: SymbolIndex) -> Iterator[str]:
    parent = index.project.get(owner)
    if parent is None:
        return
    module = index.module_of(parent)
    if module is None:
        return
    for symbol in module.symbols:
        public = not symbol.name.startswith("_")
        if public and symbol.qualname.rpartition(".")[0] == owner and symbol.kind in _API_KINDS:
            yield symbol.qualname


def _home(
    owner: str, siblings: list[str], blocks: list[_Shown], index: SymbolIndex
) -> _Shown | None:
    """The first block that shows a sibling, or the owner with a list of members.

    A package block that shows a sibling only because ``__all__`` re-exports it does
    not count: what the package leaves out of ``__all__`` it leaves out on purpose.
    """
    for block in blocks:
        if block.target == owner and block.members:
            return block
        if any(_shows(block, name, index, reexports=False) for name in siblings):
            return block
    return None


def _off_page(symbol: Symbol, owner: str, home: _Shown) -> Finding:
    rule = NEW_API_OFF_PAGES
    if home.target == owner:
        message = (
            f"`{symbol.qualname}` is new; `{owner}` is documented on {home.page}, "
            "which does not show it"
        )
        hint = f"add `{symbol.name}` to the members of `::: {owner}`"
    else:
        message = (
            f"`{symbol.qualname}` is new; its siblings in `{owner}` are documented on "
            f"{home.page}, which does not show it"
        )
        hint = f"add `::: {symbol.qualname}` to {home.page}"
    return Finding(
        code=rule.code,
        slug=rule.slug,
        severity=rule.severity,
        message=message,
        location=Location(home.page, home.line, home.line),
        symbol=symbol.qualname,
        evidence=Evidence(documented=home.target, actual=symbol.qualname),
        fingerprint=fingerprint(rule.code, symbol.qualname, home.page),
        fix_hint=hint,
    )
