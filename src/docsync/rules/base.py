"""What every docstring rule family shares: the run context and finding helpers.

A :class:`~docsync.rules.rule.Rule` is metadata plus self-test examples; the
detection of docstring rules lives in one pure check function per family,
``(symbol, ctx) -> Iterator[Finding]``, which may yield the codes of several rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from docsync.models import (
    DocEntry,
    DocSection,
    Finding,
    Location,
    ParamKind,
    Project,
    Signature,
    Symbol,
    SymbolKind,
)
from docsync.rules.hierarchy import ClassIndex, base_name
from docsync.rules.rule import Rule
from docsync.rules.types import Lineage
from docsync.scan.lazy_project import PartialProject

__all__ = [
    "Check",
    "Family",
    "RuleContext",
    "callable_label",
    "clean_doc_name",
    "entry_location",
    "entry_text",
    "is_abstract",
    "is_overload",
    "is_property_like",
    "render_params",
    "section_location",
]


_CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__"})


@dataclass(frozen=True)
class RuleContext:
    """What checks may consult besides the symbol: the whole project and options.

    ``require_params`` turns on DS106; ``check_tests`` checks test code like API
    (see :mod:`docsync.rules.test_code`).
    """

    project: Project
    require_params: bool = False
    check_tests: bool = False

    @cached_property
    def classes(self) -> ClassIndex:
        """The project's classes, indexed by name."""
        return ClassIndex(self.project)

    @cached_property
    def callables(self) -> dict[str, tuple[Symbol, ...]]:
        """Project functions by bare name; a class name maps to its constructors."""
        if isinstance(self.project, PartialProject):
            return _Callables(self.project)
        table: dict[str, list[Symbol]] = {}
        for symbol in self.project.symbols():
            if symbol.kind in (SymbolKind.FUNCTION, SymbolKind.METHOD, SymbolKind.PROPERTY):
                table.setdefault(symbol.name, []).append(symbol)
                if symbol.name in _CONSTRUCTORS:
                    owner = symbol.qualname.rpartition(".")[0].rpartition(".")[2]
                    table.setdefault(owner, []).append(symbol)
        return {name: tuple(found) for name, found in table.items()}

    def lineage(self, name: str) -> Lineage | None:
        """The lineage of the project class(es) called ``name``, for type comparison.

        Args:
            name: A bare class name.

        Returns:
            The lineage, or ``None`` if ``name`` is not a project class.
        """
        return self.classes.lineage(name)

    def parent_class(self, symbol: Symbol) -> Symbol | None:
        """The class that directly contains ``symbol``, if it is a method of one.

        Args:
            symbol: Any symbol.

        Returns:
            The enclosing class symbol, or ``None``.
        """
        parent = self.classes.parent(symbol)
        return parent if parent is not None and parent.kind is SymbolKind.CLASS else None

    def in_protocol(self, symbol: Symbol) -> bool:
        """Whether ``symbol`` is defined in a ``Protocol`` class.

        Args:
            symbol: Any symbol.

        Returns:
            True for members of classes that list ``Protocol`` as a base.
        """
        parent = self.parent_class(symbol)
        return parent is not None and any(base_name(b) == "Protocol" for b in parent.bases)


class _Callables(dict[str, tuple[Symbol, ...]]):
    """:attr:`RuleContext.callables` of a project that loads modules on demand.

    Filled one name at a time, with the entries the whole-project table would hold,
    in the same order.
    """

    def __init__(self, project: PartialProject) -> None:
        super().__init__()
        self._project = project

    def get(self, name: str, default: object = None) -> Any:
        if name not in self:
            found: list[Symbol] = []
            for symbol in self._project.named(name):
                if symbol.kind not in _CALLABLE_KINDS:
                    continue
                if symbol.name == name:
                    found.append(symbol)
                if symbol.name in _CONSTRUCTORS:
                    owner = symbol.qualname.rpartition(".")[0].rpartition(".")[2]
                    if owner == name:
                        found.append(symbol)
            self[name] = tuple(found)
        value = self[name]
        return value if value else default


_CALLABLE_KINDS = (SymbolKind.FUNCTION, SymbolKind.METHOD, SymbolKind.PROPERTY)


Check = Callable[[Symbol, RuleContext], Iterator[Finding]]


@dataclass(frozen=True)
class Family:
    """A group of rules detected by one check function."""

    name: str
    rules: tuple[Rule, ...]
    check: Check


_ROLE = re.compile(r"^:(?:py:)?[a-z]+:")


def clean_doc_name(name: str) -> str:
    """A documented name without escapes, roles, backticks or ``~``.

    Args:
        name: The entry name as written, e.g. ``\\*\\*kwargs`` or ``:exc:`~a.Error```.

    Returns:
        The bare text, e.g. ``**kwargs`` or ``a.Error``.
    """
    text = _ROLE.sub("", name.strip()).replace("\\", "").replace("`", "")
    return text.lstrip("~").strip()


def is_overload(symbol: Symbol) -> bool:
    """Whether ``symbol`` is an ``@overload`` stub, which no rule checks.

    Args:
        symbol: Any symbol.

    Returns:
        True when decorated with ``overload``.
    """
    return symbol.has_decorator("overload")


def is_property_like(symbol: Symbol) -> bool:
    """Whether ``symbol`` is a property, cached property, setter or deleter.

    Args:
        symbol: Any symbol.

    Returns:
        True for properties and their accessors.
    """
    return symbol.kind is SymbolKind.PROPERTY or symbol.has_decorator(
        "property", "cached_property", "setter", "deleter", "getter"
    )


def is_abstract(symbol: Symbol) -> bool:
    """Whether ``symbol`` is declared abstract.

    Args:
        symbol: Any symbol.

    Returns:
        True when decorated with ``abstractmethod`` or one of its variants.
    """
    return symbol.has_decorator(
        "abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod"
    )


def callable_label(symbol: Symbol) -> str:
    """How messages name a callable: ``fetch()``, ``Client.fetch()`` or ``Client()``.

    Args:
        symbol: A function, method or class.

    Returns:
        The label.
    """
    if symbol.kind in (SymbolKind.METHOD, SymbolKind.PROPERTY):
        parts = symbol.qualname.rsplit(".", 2)
        return f"{'.'.join(parts[-2:])}()"
    return f"{symbol.name}()"


def render_params(signature: Signature, *, markers: bool = False) -> str:
    """The parameter list as evidence: ``(url, retries=3, *args, **kwargs)``.

    Args:
        signature: The signature to render.
        markers: Show where positional-only parameters end (``/``) and keyword-only
            ones start (a bare ``*``), as in ``(a, /, b=1, *, c)``.

    Returns:
        Names with defaults, in signature order, in parentheses.
    """
    parts: list[str] = []
    kinds = [p.kind for p in signature.params]
    for index, param in enumerate(signature.params):
        bare_star = ParamKind.VAR_POSITIONAL not in kinds[:index] and "*" not in parts
        if markers and param.kind is ParamKind.KEYWORD_ONLY and bare_star:
            parts.append("*")
        default = "" if param.default is None else f"={param.default}"
        parts.append(f"{param.display_name}{default}")
        following = kinds[index + 1] if index + 1 < len(kinds) else None
        positional_only = param.kind is ParamKind.POSITIONAL_ONLY
        if markers and positional_only and following is not ParamKind.POSITIONAL_ONLY:
            parts.append("/")
    return f"({', '.join(parts)})"


def entry_location(symbol: Symbol, entry: DocEntry) -> Location:
    """The span of one docstring entry in ``symbol``'s file.

    Args:
        symbol: The symbol the entry belongs to.
        entry: The entry.

    Returns:
        The entry's location.
    """
    return Location(_doc_path(symbol), entry.line, entry.end_line)


def section_location(symbol: Symbol, section: DocSection) -> Location:
    """The span of one docstring section in ``symbol``'s file.

    Args:
        symbol: The symbol the section belongs to.
        section: The section.

    Returns:
        The section's location.
    """
    return Location(_doc_path(symbol), section.line, section.end_line)


def _doc_path(symbol: Symbol) -> str:
    return symbol.docstring.location.path if symbol.docstring else symbol.location.path


def entry_text(entry: DocEntry) -> str:
    """The whole text of an entry, for fingerprints: name, type and description.

    Args:
        entry: A docstring entry.

    Returns:
        The parts joined by spaces.
    """
    return " ".join(part for part in (entry.name, entry.type, entry.description) if part)
