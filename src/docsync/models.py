"""The data model: plain, frozen dataclasses that flow between the pipeline stages.

Every stage takes and returns these values; no dicts cross a stage boundary.
Lines are 1-based, paths are POSIX and relative to the repository root.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum

# Severity lives in its own module so the CLI offers the levels without this one.
from docsync.severity import Severity as Severity


class SymbolKind(str, Enum):
    """What a scanned symbol is."""

    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    METHOD = "method"
    PROPERTY = "property"


class ParamKind(str, Enum):
    """The kind of a parameter, as in :class:`inspect.Parameter`."""

    POSITIONAL_ONLY = "positional-only"
    POSITIONAL_OR_KEYWORD = "positional-or-keyword"
    VAR_POSITIONAL = "var-positional"
    KEYWORD_ONLY = "keyword-only"
    VAR_KEYWORD = "var-keyword"


class Style(str, Enum):
    """A docstring convention."""

    GOOGLE = "google"
    NUMPY = "numpy"
    SPHINX = "sphinx"
    PLAIN = "plain"  # no recognisable structured section


class SectionKind(str, Enum):
    """The structured sections of a docstring that rules understand."""

    PARAMS = "params"
    OTHER_PARAMS = "other-params"
    KEYWORD_ARGS = "keyword-args"
    RETURNS = "returns"
    YIELDS = "yields"
    RAISES = "raises"
    ATTRIBUTES = "attributes"
    SEE_ALSO = "see-also"
    OTHER = "other"


@dataclass(frozen=True)
class Location:
    """A place in a file: repo-relative POSIX path, 1-based inclusive lines."""

    path: str
    line: int
    end_line: int
    column: int = 0


@dataclass(frozen=True)
class Parameter:
    """One parameter of a signature; annotation and default as source text."""

    name: str
    kind: ParamKind
    annotation: str | None = None
    default: str | None = None

    @property
    def is_variadic(self) -> bool:
        """Whether this is ``*args`` or ``**kwargs``."""
        return self.kind in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD)

    @property
    def display_name(self) -> str:
        """The name as written in a signature: ``*args``, ``**kwargs`` or ``name``."""
        if self.kind is ParamKind.VAR_POSITIONAL:
            return f"*{self.name}"
        if self.kind is ParamKind.VAR_KEYWORD:
            return f"**{self.name}"
        return self.name


@dataclass(frozen=True)
class Signature:
    """The callable interface of a function, method, or a class's constructor.

    ``params`` excludes the implicit first parameter of methods; ``implicit`` keeps
    its name (``self``, ``cls``, or what the code calls it: SymPy's matrices use
    ``A``).  ``returns`` is the return annotation as source text.
    """

    params: tuple[Parameter, ...] = ()
    returns: str | None = None
    is_generator: bool = False
    is_async: bool = False
    returns_value: bool = False
    implicit: str | None = None

    def param(self, name: str) -> Parameter | None:
        """The parameter called ``name``, if any."""
        for p in self.params:
            if p.name == name:
                return p
        return None


@dataclass(frozen=True)
class DocEntry:
    """One entry of a docstring section, with its span in the file.

    ``name`` is the parameter/attribute/exception name (``None`` for an unnamed
    Returns/Yields entry); ``type`` is the documented type as written.
    ``line``/``end_line`` are absolute, 1-based file lines covering the entry
    (its header line and its description lines).
    """

    name: str | None
    type: str | None
    description: str
    line: int
    end_line: int


@dataclass(frozen=True)
class DocSection:
    """A section of a docstring (``Args:``, ``Parameters\\n----------``, ``:param`` block)."""

    kind: SectionKind
    title: str
    entries: tuple[DocEntry, ...]
    line: int
    end_line: int


@dataclass(frozen=True)
class Docstring:
    """A parsed docstring.

    ``text`` is the cleaned text (as :func:`inspect.cleandoc` gives it); ``location``
    spans the string literal in the file.
    """

    text: str
    style: Style
    sections: tuple[DocSection, ...]
    location: Location

    def sections_of(self, *kinds: SectionKind) -> tuple[DocSection, ...]:
        """The sections of the given kinds, in order of appearance."""
        return tuple(s for s in self.sections if s.kind in kinds)

    def entries_of(self, *kinds: SectionKind) -> tuple[DocEntry, ...]:
        """All entries of the sections of the given kinds, in order of appearance."""
        return tuple(e for s in self.sections_of(*kinds) for e in s.entries)

    def has_section(self, *kinds: SectionKind) -> bool:
        """Whether any section of the given kinds is present."""
        return any(s.kind in kinds for s in self.sections)


@dataclass(frozen=True)
class Symbol:
    """A documented (or documentable) object found by the scanner.

    ``qualname`` is the import path (``pkg.mod.Class.meth``).  For a class,
    ``signature`` is its constructor's (``__init__`` without ``self``, or the
    generated one of a dataclass) when it can be known, else ``None``.
    ``raises`` holds exception names as written after ``raise`` (dotted names kept);
    ``raises_unknown`` is true when the body raises something that cannot be
    named statically (``raise exc``).  ``is_stub`` marks bodies that are only
    ``...``, ``pass`` or ``raise NotImplementedError`` (after the docstring).
    ``attributes`` lists, for a class, the names it is known to define;
    ``dynamic_attributes`` is true when its lines use ``setattr(``, ``__dict__``,
    ``globals()`` or ``vars(`` (it may have attributes no scan can list).
    ``suppressed`` holds rule codes from ``# docsync: ignore[CODE]`` on the
    ``def``/``class`` line; ``"*"`` means every rule.  ``calls`` holds, for a
    function, the last name component of every callee in its own body
    (``self._post(...)`` → ``_post``), so a rule can tell that a documented
    exception comes from a project function it calls.  ``reads`` holds the
    attribute names its body reads (``self.final_target.module`` → ``final_target``,
    ``module``), so a rule can follow them into the project's properties.
    ``runtime_doc`` is true when the module or class body that defines it assigns
    its ``__doc__`` (``f.__doc__ = ...``, ``meth.__doc__ = other.__doc__``): it is
    documented at run time, though it has no docstring to check.
    """

    qualname: str
    kind: SymbolKind
    location: Location
    docstring: Docstring | None = None
    signature: Signature | None = None
    decorators: tuple[str, ...] = ()
    raises: tuple[str, ...] = ()
    raises_unknown: bool = False
    is_stub: bool = False
    bases: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    dynamic_attributes: bool = False
    body_fingerprint: str = ""
    suppressed: frozenset[str] = frozenset()
    calls: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    runtime_doc: bool = False

    @property
    def name(self) -> str:
        """The last component of the qualified name."""
        return self.qualname.rpartition(".")[2]

    def has_decorator(self, *names: str) -> bool:
        """Whether a decorator's last dotted component is one of ``names``."""
        return any(d.rpartition(".")[2] in names for d in self.decorators)

    def is_suppressed(self, code: str) -> bool:
        """Whether ``# docsync: ignore[...]`` on the definition line covers ``code``."""
        return "*" in self.suppressed or code in self.suppressed


@dataclass(frozen=True)
class Bindings:
    """What a module's top level binds, read by the scanner from its one parse.

    Names bound at the top level (also inside top-level ``if``/``try``/``with``/loop
    blocks), the last binding of a name winning, except that a plain value never
    replaces an import or alias (it is most often its fallback, ``except
    ImportError: f = None``).  ``imports`` pairs each name bound by an import or an
    alias assignment with the dotted name it binds: the imported path (relative
    imports made absolute, ``import a.b`` binds ``a``), or for ``alias =
    other.name`` the path ``<module>.other.name``.  ``defined`` lists the names a
    ``def``, ``class`` or other assignment binds.  ``star`` lists the modules
    imported with ``*``; ``all_names`` is ``__all__`` when it is a literal;
    ``lazy`` lists the names a module ``__getattr__`` serves, when its source says
    which (a dict or set of names, ``if name == ...`` branches); ``dynamic`` is
    true when the module can grow names the scan cannot list (a ``__getattr__``
    that could not be read, whose line is ``unread_getattr``, or ``globals()``).
    """

    imports: tuple[tuple[str, str], ...] = ()
    defined: tuple[str, ...] = ()
    star: tuple[str, ...] = ()
    all_names: frozenset[str] | None = None
    dynamic: bool = False
    lazy: tuple[str, ...] = ()
    unread_getattr: int = 0


@dataclass(frozen=True)
class Module:
    """One scanned Python file and the symbols it defines, in source order.

    ``bindings`` are the names its top level binds (imports, aliases, definitions).
    """

    path: str
    qualname: str
    symbols: tuple[Symbol, ...]
    content_hash: str
    bindings: Bindings = Bindings()


@dataclass(frozen=True)
class Diagnostic:
    """A problem with the input itself (unparsable file, skipped file), not with the docs."""

    path: str
    line: int
    message: str
    level: Severity = Severity.WARNING


@dataclass(frozen=True)
class Project:
    """Everything the scan found, ready for the rules."""

    root: str
    modules: tuple[Module, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    _by_qualname: dict[str, Symbol] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def __post_init__(self) -> None:
        table = self._by_qualname
        for module in self.modules:
            for symbol in module.symbols:
                table.setdefault(symbol.qualname, symbol)

    def symbols(self) -> tuple[Symbol, ...]:
        """Every symbol of every module, in module then source order."""
        return tuple(s for m in self.modules for s in m.symbols)

    def get(self, qualname: str) -> Symbol | None:
        """The symbol with this qualified name, if scanned."""
        return self._by_qualname.get(qualname)


@dataclass(frozen=True)
class Provenance:
    """The commit that made a finding's docs stale ("stale since").

    ``commit`` is the full sha, ``date`` the author date (ISO 8601), ``summary`` the
    commit's subject line, ``pr`` the pull request number its subject names
    (``(#N)`` of a squash merge, ``Merge pull request #N`` of a merge commit).
    """

    commit: str
    date: str
    author: str
    summary: str
    pr: int | None = None

    def line(self) -> str:
        """One short line: ``stale since 3f2a1c9 (2025-04-18, PR #1432): subject``."""
        pr = f", PR #{self.pr}" if self.pr is not None else ""
        return f"stale since {self.commit[:7]} ({self.date[:10]}{pr}): {self.summary}"


@dataclass(frozen=True)
class Evidence:
    """What the docs say against what the code says, and since when (``since``)."""

    documented: str | None = None
    actual: str | None = None
    since: Provenance | None = None


@dataclass(frozen=True)
class Finding:
    """One disagreement between docs and code.

    ``fingerprint`` is stable across runs and line moves: it hashes the rule, the
    symbol (or page) and the documentation text involved, never line numbers.
    """

    code: str
    slug: str
    severity: Severity
    message: str
    location: Location
    symbol: str
    evidence: Evidence
    fingerprint: str
    fix_hint: str | None = None


def fingerprint(code: str, subject: str, *doc_texts: str | None) -> str:
    """A stable 16-hex-digit fingerprint for a finding.

    Whitespace inside the documentation text is normalised so reflowing a
    paragraph does not produce a "new" finding.
    """
    parts = [code, subject, *(" ".join((t or "").split()) for t in doc_texts)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


# --- MkDocs pages ---------------------------------------------------------------------


class RefKind(str, Enum):
    """How a page names code."""

    IDENTIFIER = "identifier"  # a mkdocstrings block: ``::: pkg.mod.Symbol``
    INLINE = "inline"  # inline code: ``pkg.mod.func``, ``func()``, ``Class.method``
    AUTOREF = "autoref"  # an autorefs link: ``[text][pkg.mod.func]`` or ``[pkg.mod.func][]``


@dataclass(frozen=True)
class CodeRef:
    """A name of code written on a page.

    ``target`` is the dotted name without decoration (no parentheses or backticks);
    ``text`` is the reference as written.  ``is_call`` marks inline code written as
    a call (``func()``).  ``options`` holds a mkdocstrings block's YAML options.
    ``historical`` is true when the surrounding paragraph talks about the past
    (``removed``, ``deprecated``, ``renamed``...), where old names are expected.
    """

    target: str
    text: str
    kind: RefKind
    line: int
    column: int = 0
    is_call: bool = False
    historical: bool = False
    options: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class CodeBlock:
    """A fenced (or indented) code block that holds Python.

    ``text`` is the content as written; ``source`` the Python in it (for a ``>>>``
    session: the statements without prompts and output).  ``line_map[i]`` is the
    page line of ``source`` line ``i + 1``.  ``line`` is the page line of the
    opening fence (of the first content line for an indented block) and
    ``text_line`` the page line of the first line of ``text``.  Session statements
    whose expected output is a traceback are left out of ``source``: they are
    meant to fail.  ``historical`` is true when the paragraph before the block
    talks about the past (``deprecated``, ``removed``...).
    """

    language: str
    text: str
    source: str
    line: int
    end_line: int
    is_session: bool
    line_map: tuple[int, ...]
    historical: bool = False
    text_line: int = 0

    def page_line(self, source_line: int) -> int:
        """The page line of a 1-based line of :attr:`source`."""
        if 0 < source_line <= len(self.line_map):
            return self.line_map[source_line - 1]
        return self.line


@dataclass(frozen=True)
class Link:
    """A relative link on a page: ``target`` as written, split into path and anchor.

    ``path`` is URL-decoded and empty for a same-page ``#anchor`` link.
    """

    target: str
    path: str
    anchor: str | None
    text: str
    line: int


@dataclass(frozen=True)
class Heading:
    """A heading and the anchor MkDocs gives it (its ``{#id}`` when it has one)."""

    text: str
    level: int
    line: int
    anchor: str


@dataclass(frozen=True)
class Page:
    """A Markdown page of the docs, with what the page rules need.

    ``path`` is repo-relative.  ``anchors`` holds every id a link may target on
    the page (heading slugs, ``{#id}`` attributes, HTML ``id``/``name``);
    ``open_anchors`` is true when the page gets ids docsync cannot see
    (includes, macros, mkdocstrings blocks).  ``suppressions`` maps the line of a
    ``<!-- docsync: ignore[...] -->`` comment to the codes it names (``"*"``: all).
    ``includes`` lists the files the page pulls in with ``--8<-- "file"`` snippets.
    ``file_mentions`` are repository paths named outside links, in shell commands
    and inline code (``pip install -r requirements/docs.txt``), as anchorless links.
    ``python_lines`` are the lines outside code and raw HTML that name a Python version, with
    their numbers (``**Python 3.8+**``).
    """

    path: str
    title: str | None
    code_refs: tuple[CodeRef, ...]
    code_blocks: tuple[CodeBlock, ...]
    links: tuple[Link, ...]
    headings: tuple[Heading, ...] = ()
    anchors: frozenset[str] = frozenset()
    open_anchors: bool = False
    suppressions: dict[int, frozenset[str]] = field(default_factory=dict, compare=False, hash=False)
    includes: tuple[str, ...] = ()
    file_mentions: tuple[Link, ...] = ()
    python_lines: tuple[tuple[int, str], ...] = ()

    def is_suppressed(self, code: str, *lines: int) -> bool:
        """Whether a suppression comment on the line before any of ``lines`` covers ``code``."""
        for line in lines:
            codes = self.suppressions.get(line - 1, frozenset())
            if "*" in codes or code in codes:
                return True
        return False


# --- Fixes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """A drafted change to one place of one file, and the findings it fixes.

    For Python the unit is one whole docstring literal: ``line``/``end_line`` span
    the literal and ``old_text``/``new_text`` are its source text, prefix and
    quotes included, so every finding on one docstring becomes one edit.  For a
    Markdown page the unit is the line range ``line..end_line`` and the texts are
    those lines as written, line endings included.  ``origin`` is ``mechanical``
    or ``llm:<model>`` (drafters chained on one target join theirs with ``+``).
    """

    path: str
    line: int
    end_line: int
    old_text: str
    new_text: str
    findings: tuple[Finding, ...]
    origin: str
