"""Drift in MkDocs pages: references, examples and links that no longer match the code.

:func:`check_page` runs the static page rules on one page (the pure
:func:`docsync.rules.site.check_pages` runs them on every page of a loaded site):

* DS701 ``unknown-reference`` (here): a mkdocstrings ``::: name``, an autorefs link
  or inline code names a project symbol that does not exist;
* DS702-DS704 (:mod:`docsync.rules.code_blocks`): an example calls, imports or
  uses what the code no longer has;
* DS709 ``page-stale-signature`` (:mod:`docsync.rules.shown_signatures`): inline
  code written as a signature no longer matches the code;
* DS705 ``broken-link`` (here): a relative link to a missing page, anchor or file;
* DS706 ``page-review-changed-symbol`` (here, base mode): a page that mentions a
  symbol the change altered was not touched by the change;
* DS707 ``example-failed`` (:mod:`docsync.rules.doctests`, opt-in): a ``>>>``
  session failed when the command layer ran it (:mod:`docsync.commands.doctests`).

Only names of the project are judged; ``os.path.join`` never is.  Pages about the
past (changelogs, migration guides, release notes, blog posts) and paragraphs
that say "removed", "deprecated", "renamed"... are not checked for references.
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote

from docsync.changes.diff import ChangeKind, SymbolChange
from docsync.models import (
    CodeBlock,
    CodeRef,
    Evidence,
    Finding,
    Link,
    Page,
    RefKind,
    Severity,
    Symbol,
    SymbolKind,
)
from docsync.rules import deleted_files, old_python
from docsync.rules.code_blocks import Mention, PageScope, check_block, page_finding
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind
from docsync.rules.session_output import output_references
from docsync.rules.shown_signatures import check_shown_signature
from docsync.scan.docs import Docs, link_target
from docsync.scan.index import Resolution, Status, SymbolIndex
from docsync.scan.pages import Site

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet  # imports GitPython: only for type checking

__all__ = [
    "BROKEN_LINK",
    "REVIEW_CHANGED",
    "UNKNOWN_REFERENCE",
    "PageContext",
    "check_links",
    "check_page",
    "is_history_page",
    "judge_reference",
    "link_into_change",
    "review_changed",
]

UNKNOWN_REFERENCE = Rule(
    code="DS701",
    slug="unknown-reference",
    summary="A page names a project symbol that does not exist.",
    severity=Severity.WARNING,
    description=(
        "mkdocstrings `::: name` blocks, autorefs links `[text][pkg.name]` and inline code "
        "`pkg.mod.name` / `Class.method` whose first component is a project package or "
        "module (or that the change removed). Names of other libraries are never judged; "
        "bare `func()` only when the change removed a project `func`; `Class.method` only "
        "when `Class` is the one project class of that name. Suggests the new name when "
        "the change renamed the symbol or a very similar name exists."
    ),
    kind=RuleKind.PAGE,
    examples=Examples("pages", "UNKNOWN_REFERENCE_FLAG", "UNKNOWN_REFERENCE_KEEP"),
    fix=FixKind.MECHANICAL,
    names_symbol=True,
)
BROKEN_LINK = Rule(
    code="DS705",
    slug="broken-link",
    summary="A relative link points to a page, heading anchor or file that does not exist.",
    severity=Severity.WARNING,
    description=(
        "Anchors are MkDocs' heading slugs, `{#id}` attributes and HTML ids; pages with "
        "includes, macros or mkdocstrings blocks accept any anchor. External links, "
        "URL-style links (`../page/`) and links into pages that plugins generate are "
        "not judged."
    ),
    kind=RuleKind.PAGE,
    examples=Examples("pages", "BROKEN_LINK_FLAG", "BROKEN_LINK_KEEP"),
    fix=FixKind.PROSE,
)
REVIEW_CHANGED = Rule(
    code="DS706",
    slug="page-review-changed-symbol",
    summary="A page mentions a symbol the change altered, and the change left the page alone.",
    severity=Severity.INFO,
    description=(
        "Base mode only. Inline references, autorefs links and examples count as "
        "mentions; mkdocstrings blocks do not, since they render from the code."
    ),
    kind=RuleKind.PAGE,
    examples=Examples("pages", "REVIEW_FLAG", "REVIEW_KEEP"),
    fix=FixKind.PROSE,
    review=True,
)

_HISTORY_PAGE = re.compile(
    r"(change[-_ ]?log|changes|history|release[-_ ]?notes|releases|news|migrat|upgrad"
    r"|deprecat|whats[-_ ]?new|what-s-new|^blog$|^posts$)",
    re.IGNORECASE,
)
# Inline code that is a file name, not a dotted symbol: `setup.py`, `mkdocs.yml`.
_SUFFIX_NAMES = (
    "py pyi pyx pxd pyc pyd so dll dylib egg whl txt md mdx rst adoc yml yaml toml cfg conf ini"
    " json jsonl lock in html htm css scss js mjs ts tsx sh bash zsh ps1 bat cmd csv tsv xml svg"
    " png jpg jpeg gif webp ico bmp pdf env log zip gz tgz bz2 xz tar jar pl pm rb c h cc cpp"
    " hpp go rs java kt php lua r db sqlite pkl npy npz com org io net dev"
)
_FILE_SUFFIXES = frozenset(_SUFFIX_NAMES.split())
# Plugins that add pages or files at build time, which links may point to.
_GENERATORS = ("gen-files", "i18n", "static-i18n", "monorepo", "multirepo", "mkdocs-simple")
_URL_SUFFIXES = (".html", ".htm")
_GONE = (ChangeKind.REMOVED, ChangeKind.RENAMED, ChangeKind.MOVED)
_BUILTINS = frozenset(dir(builtins))


@dataclass
class PageContext:
    """What the page rules consult besides the page itself.

    ``mentions`` collects, per page path, the project symbols the page uses;
    ``included`` caches the files pages pull in with snippets; ``existing`` is
    :attr:`Docs.existing <docsync.scan.docs.Docs.existing>`.
    """

    site: Site
    index: SymbolIndex
    pages: Mapping[str, Page]
    changes: ChangeSet | None = None
    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    included: frozenset[str] | None = None
    existing: frozenset[str] = frozenset()

    @classmethod
    def of(cls, docs: Docs, index: SymbolIndex, changes: ChangeSet | None = None) -> PageContext:
        """The context of a loaded site and the project's index, no mentions collected yet."""
        pages = {p.path: p for p in docs.pages}
        return cls(docs.site, index, pages, changes, existing=docs.existing)


def check_page(page: Page, ctx: PageContext) -> list[Finding]:
    """Run the static page rules (DS701-DS706) on one page.

    Args:
        page: A scanned page.
        ctx: The site, the index, every page, and the change set.

    Returns:
        The page's findings, without those a ``<!-- docsync: ignore -->`` comment covers.
    """
    findings = list(check_links(page, ctx))
    if is_history_page(os.path.relpath(ctx.site.root / page.path, ctx.site.docs_dir)):
        return [f for f in findings if not page.is_suppressed(f.code, f.location.line)]
    mentions: list[Mention] = []
    for ref in page.code_refs:
        finding = judge_reference(ref, page, ctx, mentions)
        shown = None if finding else check_shown_signature(ref, page, ctx.index, ctx.changes)
        if finding is not None:
            findings.append(finding)
        elif shown is not None:  # `f(a, *, b=..., **kw)`: a signature, not a call
            findings.extend(shown)
        elif _is_inline_call(ref):  # `pkg.f(x, key=1)`: an example, one line long
            block = _inline_block(ref)
            findings.extend(check_block(block, page, ctx.index, changes=ctx.changes).findings)
    for block in page.code_blocks:  # `<class 'pkg.mod.Name'>` printed by a session
        for ref in output_references(block):
            finding = judge_reference(ref, page, ctx, mentions)
            findings.extend([finding] if finding is not None else [])
    scope = PageScope()  # a page is one script: imports carry forward
    for block in (b for b in page.code_blocks if not b.historical):
        result = check_block(block, page, ctx.index, scope, ctx.changes)
        findings.extend(result.findings)
        mentions.extend(result.mentions)
    ctx.mentions[page.path] = mentions
    if ctx.changes is not None:
        findings.extend(review_changed(page, mentions, ctx.changes))
        findings.extend(deleted_files.deleted_file_findings(page, ctx.changes))
        findings.extend(old_python.old_python_findings(page, ctx.changes))
    return [f for f in findings if not page.is_suppressed(f.code, f.location.line)]


def is_history_page(path: str) -> bool:
    """Whether a page is about the past (changelog, migration guide, blog), by its path.

    Args:
        path: The page's path relative to ``docs_dir``.

    Returns:
        True when a path component names a changelog, release notes, a migration or
        upgrade guide, deprecations, or a blog.
    """
    return any(_HISTORY_PAGE.search(PurePosixPath(p).stem) for p in PurePosixPath(path).parts)


# --- DS701 unknown-reference --------------------------------------------------------------


def judge_reference(
    ref: CodeRef, page: Page, ctx: PageContext, mentions: list[Mention]
) -> Finding | None:
    """Whether a reference names a project symbol that does not exist.

    Args:
        ref: The reference.
        page: The page it is on.
        ctx: The page context.
        mentions: Collects the project symbols the reference resolves to.

    Returns:
        The DS701 finding, or ``None``.
    """
    if ref.historical or not _python_handler(ref, ctx):
        return None
    index = ctx.index
    target = ref.target
    if "." not in target and not ref.is_call:
        return _gone_bare_name(ref, page, ctx)
    if index.is_project_name(target):
        if ref.kind is RefKind.INLINE and _looks_like_file(ref):
            return None
        found = index.lookup(target)
        _mention(found, ref, mentions)
        if found.status is not Status.MISSING:
            return None
        return _unknown(ref, page, ctx, found)
    if "." not in target:
        return _gone_bare_name(ref, page, ctx) if ref.is_call else None
    if ref.kind is not RefKind.IDENTIFIER:
        by_class = _judge_class_member(ref, page, ctx, mentions)
        if by_class is not None:
            return by_class
    return _gone_at_base(ref, page, ctx)


def _is_inline_call(ref: CodeRef) -> bool:
    """Inline code written as a call with arguments, `` `pkg.f(x, key=1)` ``."""
    if ref.kind is not RefKind.INLINE or not ref.is_call or ref.historical or "->" in ref.text:
        return False
    inside = ref.text.strip("`").strip().removeprefix(ref.target).strip()[1:-1].strip()
    return bool(inside) and inside != "..."


def _inline_block(ref: CodeRef) -> CodeBlock:
    """Inline code as a one-line Python block on the reference's line."""
    source = ref.text.strip("`").strip()
    return CodeBlock("python", source, source, ref.line, ref.line, False, (ref.line,))


def _python_handler(ref: CodeRef, ctx: PageContext) -> bool:
    handler = ref.options.get("handler", ctx.site.handler or "python")
    return ref.kind is not RefKind.IDENTIFIER or handler == "python"


def _looks_like_file(ref: CodeRef) -> bool:
    return not ref.is_call and ref.target.rpartition(".")[2].lower() in _FILE_SUFFIXES


def _mention(found: Resolution, ref: CodeRef, mentions: list[Mention]) -> None:
    if found.status is Status.FOUND and found.qualname and ref.kind is not RefKind.IDENTIFIER:
        mentions.append(Mention(found.qualname, ref.line, ref.text))


def _judge_class_member(
    ref: CodeRef, page: Page, ctx: PageContext, mentions: list[Mention]
) -> Finding | None:
    """``Class.method`` where ``Class`` is the one project class of that name."""
    first, _, rest = ref.target.partition(".")
    if not first[:1].isupper() or first in _BUILTINS:
        return None
    named = ctx.index.find_by_short_name(first)
    if len(named) != 1 or named[0].kind is not SymbolKind.CLASS:
        return None
    parent = ctx.index.project.get(named[0].qualname.rpartition(".")[0])
    if parent is None or parent.kind is not SymbolKind.MODULE:
        return None  # a nested class is not what prose calls by its bare name
    found = ctx.index.lookup(f"{named[0].qualname}.{rest}")
    _mention(found, ref, mentions)
    if found.status is not Status.MISSING:
        return None
    return _unknown(ref, page, ctx, found)


def _unknown(ref: CodeRef, page: Page, ctx: PageContext, found: Resolution) -> Finding:
    renamed = _renamed_to(ref.target, found.missing, ctx)
    suggestion = renamed if renamed is not None else ctx.index.suggest(ref.target)
    message = (
        f"{_describe(ref)} names `{ref.target}`, but `{found.qualname}` has no `{found.missing}`"
    )
    return _reference_finding(ref, page, message, suggestion)


def _describe(ref: CodeRef) -> str:
    names = {RefKind.IDENTIFIER: "the mkdocstrings block", RefKind.AUTOREF: "the autorefs link"}
    if ref.kind is RefKind.INLINE and ref.text.startswith("<"):
        return "the session's output"  # a repr such as <class 'pkg.mod.Name'>
    return names.get(ref.kind, "the inline reference")


def _reference_finding(ref: CodeRef, page: Page, message: str, suggestion: str | None) -> Finding:
    written = f"{ref.target}()" if ref.is_call else ref.target
    if suggestion:
        message += f"; did you mean `{suggestion}`?"
        shown = f"{suggestion}()" if ref.is_call and not suggestion.endswith(")") else suggestion
        hint = f"replace `{written}` with `{shown}`"
    else:
        hint = f"remove the reference to `{written}` or point it to what replaced it"
    return page_finding(
        UNKNOWN_REFERENCE,
        page,
        ref.line,
        message,
        subject=ref.target,
        text=ref.text,
        evidence=Evidence(documented=ref.text, actual=suggestion),
        fix_hint=hint,
    )


def _renamed_to(target: str, missing: str | None, ctx: PageContext) -> str | None:
    """The new name of ``target`` when the change set renamed or moved what it named.

    The change must be the only rename of that name within the same top-level package;
    the new name is written like the old one (``pkg.new`` for ``pkg.old``) when that
    resolves, else in full.
    """
    if ctx.changes is None:
        return None
    name = missing or target.rpartition(".")[2]
    top = target.partition(".")[0]
    matches = [
        c
        for c in _gone(ctx.changes)
        if c.new_qualname is not None
        and c.qualname.rpartition(".")[2] == name
        and (c.qualname == target or c.qualname.partition(".")[0] == top)
    ]
    if len(matches) != 1 or matches[0].new_qualname is None:
        return None
    new_qualname = matches[0].new_qualname
    written = target.split(".")
    if name in written:
        written[written.index(name)] = new_qualname.rpartition(".")[2]
    same_place = ".".join(written)
    return same_place if ctx.index.lookup(same_place).status is Status.FOUND else new_qualname


def _gone_at_base(ref: CodeRef, page: Page, ctx: PageContext) -> Finding | None:
    """A dotted name outside the head project that the change removed or renamed."""
    if ctx.changes is None:
        return None
    change = ctx.changes.for_base(ref.target)
    if change is None or not change.has(*_GONE):
        return None
    if ctx.index.lookup(ref.target).status is Status.FOUND:
        return None
    verb = "removed" if change.new_qualname is None else "renamed or moved"
    message = f"{_describe(ref)} names `{ref.target}`, which this change {verb}"
    return _reference_finding(ref, page, message, change.new_qualname)


def _gone_bare_name(ref: CodeRef, page: Page, ctx: PageContext) -> Finding | None:
    """``func()`` or ``ClassName`` in inline code: judged only in base mode.

    Flagged when the change removed (or renamed) the one project function or class
    of that name and nothing at the head has it.  A bare name without a call must
    look like a name of code (``CamelCase`` or ``snake_case``, not a builtin), and
    the page must not name another library's attribute of that name
    (`` `ssl.SSLContext` ``), which the bare name then most likely means.
    """
    if ctx.changes is None or ctx.index.find_by_short_name(ref.target):
        return None
    if not ref.is_call and not _looks_like_code(ref.target, page, ctx):
        return None
    callables = (SymbolKind.FUNCTION, SymbolKind.CLASS)
    matches = [
        c
        for c in _gone(ctx.changes)
        if c.old is not None and c.old.name == ref.target and c.old.kind in callables
    ]
    if len(matches) != 1 or matches[0].old is None:
        return None
    change = matches[0]
    new = change.new_qualname.rpartition(".")[2] if change.new_qualname else None
    call = "()" if ref.is_call else ""
    verb = "removed" if new is None else f"renamed to `{new}{call}`"
    message = f"`{ref.target}{call}` names `{change.qualname}`, which this change {verb}"
    return _reference_finding(ref, page, message, f"{new}{call}" if new else None)


def _looks_like_code(name: str, page: Page, ctx: PageContext) -> bool:
    """Whether a bare inline name is a name of code, and not another library's."""
    camel = name[:1].isupper() and any(c.islower() for c in name) and "_" not in name
    snake = "_" in name.strip("_") and name.lower() == name
    if not (camel or snake) or name in _BUILTINS:
        return False
    return not any(
        r.target.endswith(f".{name}") and not ctx.index.is_project_name(r.target)
        for r in page.code_refs
    )


def _gone(changes: ChangeSet) -> Iterator[SymbolChange]:
    return (c for c in changes.symbols if c.has(*_GONE))


# --- DS705 broken-link --------------------------------------------------------------------


def check_links(page: Page, ctx: PageContext) -> Iterator[Finding]:
    """Relative links to pages, heading anchors or files that do not exist.

    Args:
        page: A scanned page.
        ctx: The page context.

    Yields:
        One DS705 finding per broken link.
    """
    root = ctx.site.root
    docs = PurePosixPath(os.path.relpath(ctx.site.docs_dir, root))
    generated = ctx.site.has_plugin(*_GENERATORS)
    if _is_snippet(page, ctx):
        return  # its links are resolved from the pages that include it
    for link in page.links:
        if not link.path:
            if link.anchor and not _has_anchor(page, link.anchor, ctx):
                yield _link_finding(link, page, f"no heading or id `#{link.anchor}` on this page")
            continue
        target = link_target(page.path, link.path)
        url_style = link.path.endswith("/") or not target.suffix or target.suffix in _URL_SUFFIXES
        if target.parts[:1] == ("..",) or url_style:
            continue  # outside the repository, or a URL MkDocs resolves itself
        in_docs = target.is_relative_to(docs) if docs != PurePosixPath(".") else True
        if target.as_posix() not in ctx.existing:
            if not (in_docs and generated):
                what = "page" if target.suffix in (".md", ".markdown") else "file"
                yield _link_finding(link, page, f"the {what} `{target.as_posix()}` does not exist")
            continue
        linked = ctx.pages.get(target.as_posix())
        if link.anchor and linked is not None and not _has_anchor(linked, link.anchor, ctx):
            where = f"`{target.as_posix()}`"
            yield _link_finding(link, page, f"no heading or id `#{link.anchor}` on {where}")


def link_into_change(finding: Finding, touched: frozenset[str]) -> bool:
    """Whether a broken-link finding points into a file the change touched.

    A link on a page the change left alone breaks only when what it points to
    changed: the change deleted or moved the linked page or file, or edited the
    linked page and so dropped the heading the anchor names.  Same-page anchors
    (``#usage``) are not: their page is untouched.

    Args:
        finding: A page finding.
        touched: The root-relative paths the change touched, at the base and at the head.

    Returns:
        True for a DS705 finding whose linked file is among ``touched``, and for a
        DS710 finding (a file the change deleted, named in a command) or a DS711
        finding (the minimum Python the change raised), which only a change produces.
    """
    if finding.code in (deleted_files.DELETED_FILE.code, old_python.OLD_PYTHON.code):
        return True
    if finding.code != BROKEN_LINK.code:
        return False
    path = unquote(finding.symbol.partition("#")[0].partition("?")[0])
    if not path:
        return False
    return link_target(finding.location.path, path).as_posix() in touched


def _is_snippet(page: Page, ctx: PageContext) -> bool:
    if ctx.included is None:
        ctx.included = frozenset(i.lstrip("./") for p in ctx.pages.values() for i in p.includes)
    return any(page.path == i or page.path.endswith(f"/{i}") for i in ctx.included)


def _has_anchor(page: Page, anchor: str, ctx: PageContext) -> bool:
    if page.open_anchors or not ctx.site.known_slugs:
        return True
    if anchor.startswith(("fn:", "fnref:", "__")):
        return True  # footnotes, tabs and code lines get generated ids
    return anchor in page.anchors or anchor.lower() in {a.lower() for a in page.anchors}


def _link_finding(link: Link, page: Page, problem: str) -> Finding:
    return page_finding(
        BROKEN_LINK,
        page,
        link.line,
        f"broken link `{link.target}`: {problem}",
        subject=link.target,
        text=link.target,
        evidence=Evidence(documented=link.target),
        fix_hint="point the link to an existing page, heading or file",
    )


# --- DS706 page-review-changed-symbol ----------------------------------------------------


def review_changed(page: Page, mentions: list[Mention], changes: ChangeSet) -> list[Finding]:
    """A page that mentions a symbol whose signature or body changed, while it was not.

    Args:
        page: A scanned page.
        mentions: The project symbols the page's references and examples use.
        changes: The change set of ``--base``.

    Returns:
        One informational finding per changed symbol, at its first mention.
    """
    if page.path in changes.changed_paths:
        return []
    findings: list[Finding] = []
    seen: set[str] = set()
    for mention in mentions:
        change = changes.for_head(mention.qualname)
        what = _review_reason(change) if mention.qualname not in seen else None
        if what is None:
            continue
        seen.add(mention.qualname)
        message = (
            f"the page mentions `{mention.qualname}`, whose {what} this change altered, "
            "but the page was not updated; check that it still holds"
        )
        findings.append(
            page_finding(
                REVIEW_CHANGED,
                page,
                mention.line,
                message,
                subject=mention.qualname,
                text=mention.qualname,
                evidence=Evidence(documented=mention.text),
                fix_hint="review the page against the new code",
            )
        )
    return findings


def _review_reason(change: SymbolChange | None) -> str | None:
    """``signature`` or ``code`` when a page about the symbol may need a review, else None.

    Annotation-only signature changes do not count (prose rarely states types), nor do
    modules, nor a class whose methods changed (the methods are mentioned themselves).
    """
    if change is None or change.old is None or change.new is None:
        return None
    if change.new.kind is SymbolKind.MODULE:
        return None
    if change.has(ChangeKind.SIGNATURE_CHANGED) and _shape(change.old) != _shape(change.new):
        return "signature"
    if change.has(ChangeKind.BODY_CHANGED) and change.new.kind is not SymbolKind.CLASS:
        return "code"
    return None


def _shape(symbol: Symbol) -> tuple[tuple[str, str, str | None], ...] | None:
    signature = symbol.signature
    if signature is None:
        return None
    return tuple((p.name, p.kind.value, p.default) for p in signature.params)
