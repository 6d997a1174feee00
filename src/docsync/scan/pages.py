"""Read an MkDocs-style site: its config and the Markdown pages, with line numbers.

Pages are parsed with markdown-it-py (CommonMark), whose tokens carry line maps,
so every reference, code block and link keeps its 1-based page line.  MkDocs
containers that CommonMark would read as indented code (admonitions ``!!!``,
collapsible ``???`` blocks and content tabs ``===``) are dedented first, line for
line, so what they hold is read like any other Markdown.

The config (``properdocs.yml``, ``mkdocs.yml`` or ``zensical.toml``, found by
:mod:`docsync.scan.site_config`) is read, when YAML, with a loader that accepts
any tag (``!ENV``, ``!!python/name:``, ``!relative``...) without running anything:
unknown tags become :class:`TaggedValue` placeholders.
"""

from __future__ import annotations

import functools
import keyword
import os
import re
import textwrap
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from docsync.errors import ConfigError
from docsync.models import CodeBlock, CodeRef, Diagnostic, Heading, Link, Page, RefKind
from docsync.paths import inside_root, read_regular
from docsync.scan.files import matches_exclude
from docsync.scan.page_paths import SHELL_LANGUAGES, inline_path, paths_in_commands
from docsync.scan.page_versions import python_version_lines
from docsync.scan.site_config import find_site_config, read_site_config
from docsync.scan.yaml_values import TaggedValue, shown_value

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["Site", "TaggedValue", "load_site", "parse_page", "scan_pages"]

PAGE_SUFFIXES = (".md", ".markdown")
MAX_PAGE_SIZE = 2_000_000
PYTHON_LANGUAGES = frozenset({"python", "py", "python3", "py3", "pycon", "pyi", "python-repl"})
SESSION_LANGUAGES = frozenset({"pycon", "python-repl", "doctest"})
_PLAIN_LANGUAGES = frozenset({"", "text", "txt", "console", "doctest"})


@dataclass(frozen=True)
class Site:
    """An MkDocs, ProperDocs or Zensical site as far as the page rules need it.

    ``config_path`` is ``None`` when there is no config file (``docs_dir`` is then
    the default or the one asked for).  ``nav`` lists the page paths the nav names,
    relative to ``docs_dir``.  ``plugins`` maps each plugin name to its options.
    ``handler`` is mkdocstrings' default handler (``None`` without mkdocstrings);
    ``python_paths`` and ``python_options`` are its Python handler's ``paths``
    (relative to the config file) and ``options``.
    ``known_slugs`` is false when a custom ``toc`` slugify function makes heading
    anchors unpredictable.  ``exclude_docs`` holds the config's gitignore-style
    patterns of files that are not pages.
    """

    root: Path
    config_path: Path | None
    docs_dir: Path
    nav: tuple[str, ...] = ()
    plugins: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    handler: str | None = None
    python_paths: tuple[str, ...] = (".",)
    python_options: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    slug_separator: str = "-"
    known_slugs: bool = True
    exclude_docs: tuple[str, ...] = ()

    def has_plugin(self, *names: str) -> bool:
        """Whether any of ``names`` is configured (``material/search`` counts as ``search``)."""
        configured = {n.rpartition("/")[2] for n in self.plugins}
        return any(n in configured for n in names)


# --- the config file --------------------------------------------------------------------


def load_site(root: Path, docs_dir: str | None = None, site_config: str | None = None) -> Site:
    """Find and read the docs site of a project.

    Args:
        root: The project root, where the config file is looked for (see
            :func:`docsync.scan.site_config.find_site_config`).
        docs_dir: The docs directory to use instead of the config's (relative to
            ``root``); without a config it defaults to ``docs``.
        site_config: The config file, relative to ``root``, instead of the first of
            ``properdocs.yml``, ``mkdocs.yml`` and ``zensical.toml`` found.

    Returns:
        The site; its ``docs_dir`` may not exist.

    Raises:
        ConfigError: The config file is broken, or ``site_config`` names no file
            in the repository.
    """
    config_path = find_site_config(root, site_config)
    if config_path is None:
        return Site(root=root, config_path=None, docs_dir=_docs_dir(root, root, docs_dir or "docs"))
    data = read_site_config(config_path, root=root)
    configured = data.get("docs_dir")
    chosen = docs_dir or (configured if isinstance(configured, str) else "docs")
    plugins = _named_options(data.get("plugins"))
    separator, known_slugs = _toc_settings(data.get("markdown_extensions"))
    excluded = data.get("exclude_docs")
    patterns = excluded.splitlines() if isinstance(excluded, str) else []
    return Site(
        root=root,
        config_path=config_path,
        docs_dir=_docs_dir(root, root if docs_dir else config_path.parent, chosen),
        nav=tuple(_nav_pages(data.get("nav"))),
        plugins=plugins,
        slug_separator=separator,
        known_slugs=known_slugs,
        exclude_docs=tuple(p.strip().lstrip("/") for p in patterns if p.strip()[:1] not in "#!"),
        **_mkdocstrings(plugins),
    )


def _docs_dir(root: Path, base: Path, chosen: str) -> Path:
    """``base / chosen``, refused unless it resolves inside ``root``."""
    try:
        inside_root(root, base / chosen)
    except OSError:
        raise ConfigError(
            f"docs_dir {shown_value('docs_dir', chosen)} is outside the repository {root} "
            "(symlinks resolved); docsync reads and writes pages only inside it: use a folder in it"
        ) from None
    return base / chosen


def _named_options(value: object) -> dict[str, object]:
    """``[a, {b: {...}}]`` or ``{a: ..., b: ...}`` as name -> options."""
    items: list[tuple[object, object]] = list(value.items()) if isinstance(value, dict) else []
    for item in value if isinstance(value, list) else []:
        items.extend(item.items() if isinstance(item, dict) else [(item, {})])
    return {k: {} if v is None else v for k, v in items if isinstance(k, str)}


def _mkdocstrings(plugins: dict[str, object]) -> dict[str, Any]:
    options = plugins.get("mkdocstrings")
    if options is None:
        return {}
    options = options if isinstance(options, dict) else {}
    handlers = options.get("handlers")
    python = handlers.get("python") if isinstance(handlers, dict) else None
    python = python if isinstance(python, dict) else {}
    paths, default = python.get("paths"), options.get("default_handler")
    paths = [p for p in paths if isinstance(p, str)] if isinstance(paths, list) else ["."]
    settings = python.get("options")
    return {
        "handler": default if isinstance(default, str) else "python",
        "python_paths": tuple(paths),
        "python_options": settings if isinstance(settings, dict) else {},
    }


_KNOWN_SLUGIFY = ("pymdownx.slugs", "markdown.extensions.toc")


def _toc_settings(extensions: object) -> tuple[str, bool]:
    named = {k.rpartition(".")[2]: v for k, v in _named_options(extensions).items()}
    toc = named.get("toc")
    toc = toc if isinstance(toc, dict) else {}
    separator = toc.get("separator")
    separator = separator if isinstance(separator, str) and len(separator) == 1 else "-"
    custom = toc.get("slugify")
    tag = custom.tag if isinstance(custom, TaggedValue) else ""
    return separator, custom is None or any(known in tag for known in _KNOWN_SLUGIFY)


def _nav_pages(nav: object) -> Iterator[str]:
    if isinstance(nav, str) and not re.match(r"^[a-z][a-z0-9+.-]*:", nav, re.IGNORECASE):
        yield nav
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else ()
    for item in items:
        yield from _nav_pages(item)


# --- pages ------------------------------------------------------------------------------


def scan_pages(site: Site) -> tuple[list[Page], list[Diagnostic]]:
    """Read and parse every Markdown page under the site's ``docs_dir``.

    Args:
        site: The site, from :func:`load_site`.

    Returns:
        The pages in path order, and a diagnostic for each page that could not be read.
    """
    pages: list[Page] = []
    diagnostics: list[Diagnostic] = []
    for file in _page_files(site.docs_dir) if site.docs_dir.is_dir() else []:
        if matches_exclude(file.relative_to(site.docs_dir).as_posix(), site.exclude_docs):
            continue
        rel = Path(os.path.relpath(file, site.root)).as_posix()
        try:
            text = read_regular(file, max_bytes=MAX_PAGE_SIZE, root=site.root).decode("utf-8-sig")
            pages.append(parse_page(text, rel, separator=site.slug_separator))
        except (OSError, ValueError, RecursionError) as exc:  # UnicodeDecodeError included
            diagnostics.append(Diagnostic(rel, 1, f"cannot read page: {exc}"))
    return pages, diagnostics


def _page_files(docs_dir: Path) -> list[Path]:
    found: list[Path] = []
    for directory, subdirs, files in os.walk(docs_dir):
        subdirs[:] = [d for d in subdirs if not d.startswith((".", "__"))]
        found.extend(Path(directory) / f for f in files if f.endswith(PAGE_SUFFIXES))
    return sorted(p for p in found if not p.name.startswith("."))


@functools.cache
def _markdown() -> MarkdownIt:
    # Imported here, not at the top: ``docsync check`` on a project without pages,
    # and ``--help``, need no Markdown parser (start-up time, issue 19).
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True})
    parser.disable("text_join")  # keep escapes (`\[`) apart from text: they are not brackets
    return parser


_CONTAINER = re.compile(r"^ {0,3}(?:[!?]{3}\+?\s+[\w\"]|===\+?\s+\")")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_IDENTIFIER = re.compile(r"^(?:#{1,6} *)?::: ?(?P<name>[^\s:][^\s]*)\s*$")
_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
# `name`, `name(args)`, and a signature with its return type, `name(args) -> Type`.
_INLINE_REF = re.compile(rf"^(?P<name>{_NAME})(?P<call>\([^()]*\)(?:\s*->\s*[\w.\[\], |]+)?)?$")
_AUTOREF = re.compile(r"\[(?P<title>[^\[\]\x02]+)\]\[(?P<id>[^\[\]\x02]*)\]")
_ATTR_ID = re.compile(
    r"\{:?[^{}]*?(?:#(?P<id>[\w.:-]+)|\bid\s*=\s*[\"']?(?P<key>[^\"'\s}]+))[^{}]*\}"
)
_HEADING_ATTRS = re.compile(r"\s*\{\s*:?[^}]*\}\s*$")
_HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
_SUPPRESS = re.compile(r"<!--\s*docsync:\s*ignore(?![\w-])(?:\[([^\]]*)\])?\s*-->")
_HISTORICAL = re.compile(
    r"\b(?:deprecat\w*|removed|renamed|no longer|formerly|previously|used to|replaced|replaces"
    r"|supersed\w*"
    r"|instead of|legacy|obsolete|was moved|before version|until version|migrat\w*)\b",
    re.IGNORECASE,
)
_DYNAMIC = ("--8<--", "{%", "{{")
_INCLUDE = re.compile(r"""-{1,3}8<-{1,3}\s+["']([^"'\s:]+)""")
_SHORTCODE = re.compile(r":[\w+-]+:")  # emoji and icons, which become markup


def parse_page(text: str, path: str, *, separator: str = "-") -> Page:
    """Parse one Markdown page.

    Args:
        text: The page's Markdown.
        path: The page's repo-relative path, stored in the result.
        separator: The word separator of heading anchors (``toc``'s ``separator``).

    Returns:
        The page with its references, Python code blocks, relative links, headings
        and anchors, each with its 1-based line.
    """
    lines = _flatten_containers(text.splitlines())
    collector = _Collector(lines, separator)
    collector.walk(_markdown().parse("\n".join(lines)))
    refs = collector.refs
    autorefs = {(r.target, r.line) for r in refs if r.kind is RefKind.AUTOREF}
    refs = [r for r in refs if r.kind is not RefKind.INLINE or (r.target, r.line) not in autorefs]
    open_anchors = bool(collector.identifiers) or any(marker in text for marker in _DYNAMIC)
    suppressions, includes = _comments(lines, collector.code_lines)
    return Page(
        path=path,
        title=next((h.text for h in collector.headings if h.level == 1), None),
        code_refs=tuple(sorted(refs, key=lambda r: (r.line, r.column))),
        code_blocks=tuple(collector.blocks),
        links=tuple(collector.links),
        headings=tuple(collector.headings),
        anchors=frozenset(collector.anchors),
        open_anchors=open_anchors,
        suppressions=suppressions,
        includes=tuple(includes),
        file_mentions=tuple(collector.files),
        python_lines=python_version_lines(lines, collector.code_lines | collector.html_lines),
    )


def _flatten_containers(lines: list[str]) -> list[str]:
    """Dedent the bodies of admonitions and tabs, keeping one output line per input line."""
    out: list[str] = []
    stack: list[int] = []  # the body indent of each open container
    fence: str | None = None
    for raw in lines:
        line = raw.expandtabs(4)
        content = line.lstrip(" ")
        indent = len(line) - len(content)
        if fence is None and content:
            while stack and indent < stack[-1]:
                stack.pop()
        body = line[min(indent, stack[-1]) :] if stack else line
        if fence is not None:
            if re.match(rf"^ *{re.escape(fence[0])}{{{len(fence)},}}\s*$", body):
                fence = None
            out.append(body)
            continue
        if _CONTAINER.match(body):
            stack.append((stack[-1] if stack else 0) + len(body) - len(body.lstrip(" ")) + 4)
            out.append("")
            continue
        opening = _FENCE.match(body)
        if opening is not None:
            fence = opening.group(1)
        out.append(body)
    return out


def _comments(lines: list[str], code: set[int]) -> tuple[dict[int, frozenset[str]], list[str]]:
    """The suppression comments by line, and the files ``--8<--`` lines include."""
    found: dict[int, frozenset[str]] = {}
    includes: list[str] = []
    for number, line in enumerate(lines, 1):
        match = _SUPPRESS.search(line) if number not in code and "docsync" in line else None
        if match is not None:
            listed = {c.strip() for c in (match.group(1) or "").split(",")} - {""}
            found[number] = frozenset(listed or "*")
        includes.extend(_INCLUDE.findall(line) if number not in code else ())
    return found, includes


def slugify(text: str, separator: str = "-", *, unicode: bool = False) -> str:
    """The anchor MkDocs' ``toc`` extension gives a heading (Python-Markdown's slugify).

    Args:
        text: The heading's text.
        separator: The word separator (``toc``'s ``separator`` option).
        unicode: Keep non-ASCII letters (``slugify_unicode``) instead of dropping them.

    Returns:
        Lower case, without non-word characters, spaces replaced by ``separator``.
    """
    if not unicode:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(rf"[{re.escape(separator)}\s]+", lambda _: separator, text)


def _unique(anchor: str, taken: set[str], last: dict[str, str]) -> str:
    """``toc``'s de-duplication: a second ``usage`` becomes ``usage_1``.

    ``last`` remembers where each anchor's chain (``a``, ``a_1``, ``a_2``...) ended:
    every name before it was taken then and still is, so the walk resumes there and
    a page of many equal headings costs linear time, not quadratic.
    """
    start = anchor
    anchor = last.get(start, anchor)
    while anchor in taken or not anchor:
        match = re.match(r"^(.*)_([0-9]+)$", anchor)
        anchor = f"{match.group(1)}_{int(match.group(2)) + 1}" if match else f"{anchor}_1"
    last[start] = anchor
    return anchor


class _Collector:
    """Walks the tokens of one page and gathers what the page rules need."""

    def __init__(self, lines: list[str], separator: str) -> None:
        self.lines = lines
        self.separator = separator
        self.refs: list[CodeRef] = []
        self.blocks: list[CodeBlock] = []
        self.links: list[Link] = []
        self.files: list[Link] = []  # paths named in commands and inline code
        self.headings: list[Heading] = []
        self.anchors: set[str] = set()
        self.code_lines: set[int] = set()
        self.html_lines: set[int] = set()  # raw HTML blocks (cards, heroes)
        self.identifiers = 0
        self._slugs: set[str] = set()
        self._slug_chains: dict[str, str] = {}
        self._context = ""
        self._lead = ""  # the paragraph just before a list, which may introduce it
        self._lists: list[bool] = []  # open lists: whether a historical lead-in introduced it

    def walk(self, tokens: list[Token]) -> None:
        """Visit every block token in document order.

        The items of a list that a historical paragraph ending with a colon
        introduces ("replaces the old constructors:") are historical too.
        """
        for index, token in enumerate(tokens):
            if token.type in ("bullet_list_open", "ordered_list_open"):
                lead = self._lead.rstrip().endswith(":") and bool(_HISTORICAL.search(self._lead))
                self._lists.append(lead or (bool(self._lists) and self._lists[-1]))
            elif token.type in ("bullet_list_close", "ordered_list_close") and self._lists:
                self._lists.pop()
            if token.type == "heading_open" and index + 1 < len(tokens):
                self._lead = ""
                self._heading(token, tokens[index + 1])
            elif token.type == "inline" and token.map is not None:
                if not self._identifier(token):
                    self._inline(token)
            elif token.type in ("fence", "code_block") and token.map is not None:
                self.code_lines.update(range(token.map[0] + 1, token.map[1] + 1))
                self._code_block(token)
            elif token.type == "html_block":
                self.anchors.update(_HTML_ID.findall(token.content))
                self.html_lines.update(
                    range(token.map[0] + 1, token.map[1] + 1) if token.map else ()
                )

    def _heading(self, opening: Token, inline: Token) -> None:
        if inline.map is None:
            return
        text = "".join(
            c.content for c in inline.children or [] if c.type in ("text", "code_inline")
        )
        attrs = _HEADING_ATTRS.search(text)
        custom = _ATTR_ID.search(attrs.group(0)) if attrs is not None else None
        text = (text[: attrs.start()] if attrs is not None else text).strip()
        custom_id = (custom.group("id") or custom.group("key")) if custom else None
        anchor = custom_id or _unique(slugify(text, self.separator), self._slugs, self._slug_chains)
        plain = _SHORTCODE.sub("", text)
        variants = {
            slugify(t, self.separator, unicode=u) for t in (text, plain) for u in (False, True)
        }
        self.anchors.update({anchor, *variants})
        self._slugs.add(anchor)
        level = int(opening.tag[1]) if opening.tag[1:].isdigit() else 1
        self.headings.append(Heading(text, level, inline.map[0] + 1, anchor))

    def _identifier(self, token: Token) -> bool:
        """Record a mkdocstrings ``::: name`` block; whether the token was one."""
        assert token.map is not None
        start, end = token.map
        for number in range(start, end):
            match = _IDENTIFIER.match(self.lines[number].lstrip())
            if match is None:
                continue
            options = _block_options(self.lines[number + 1 : end])
            self.identifiers += 1
            text = self.lines[number].strip()
            ref = CodeRef(match["name"], text, RefKind.IDENTIFIER, number + 1, options=options)
            self.refs.append(ref)
            return True
        return False

    def _inline(self, token: Token) -> None:
        assert token.map is not None
        line = token.map[0] + 1
        historical = bool(_HISTORICAL.search(token.content)) or (
            bool(self._lists) and self._lists[-1]
        )
        self._context = self._lead = content = token.content
        self.anchors.update(
            m["id"] or m["key"] for m in _ATTR_ID.finditer(content.replace("\\", ""))
        )
        self.anchors.update(_HTML_ID.findall(content))
        buffer: list[str] = []
        link: tuple[str, int, list[str]] | None = None
        for child in token.children or []:
            kind = child.type
            if kind in ("text", "code_inline") and link is not None:
                link[2].append(child.content)
            if kind in ("softbreak", "hardbreak"):
                line += 1
                buffer.append("\n")
            elif kind == "text":
                buffer.append(child.content)
            elif kind == "code_inline":
                self._inline_code(child, line, historical)
                masked = child.content.replace("[", "\x01").replace("]", "\x01")
                buffer.append(f"`{masked}`")
            elif kind == "link_open":
                link = (str(child.attrs.get("href", "")), line, [])
                buffer.append("\x02")
            elif kind == "link_close" and link is not None:
                self._link(link[0], link[1], "".join(link[2]))
                link = None
                buffer.append("\x02")
            else:
                buffer.append("\x02")
        self._autorefs("".join(buffer), token.map[0] + 1, historical)

    def _inline_code(self, child: Token, line: int, historical: bool) -> None:
        path = None if historical else inline_path(child.content, line)
        self.files.extend([path] if path is not None else [])
        match = _INLINE_REF.match(child.content.strip())
        if match is not None and not keyword.iskeyword(match["name"]):
            call = match["call"] is not None
            text = f"`{child.content}`"
            self.refs.append(
                CodeRef(match["name"], text, RefKind.INLINE, line, 0, call, historical)
            )

    def _autorefs(self, text: str, first_line: int, historical: bool) -> None:
        for match in _AUTOREF.finditer(text):
            title = match.group("title")
            identifier = (match.group("id") or title).strip().strip("`").strip()
            identifier = identifier.replace("\x01", "").removesuffix("()")
            if not re.fullmatch(_NAME, identifier):
                continue
            line = first_line + text.count("\n", 0, match.start())
            shown = match.group(0).replace("\x01", "")
            self.refs.append(
                CodeRef(identifier, shown, RefKind.AUTOREF, line, historical=historical)
            )

    def _link(self, href: str, line: int, text: str) -> None:
        href = href.strip()
        external = re.match(r"^[a-zA-Z][\w+.-]*:", href) or href.startswith("/")
        if not href or external or any(marker in href for marker in ("{{", "{%", "<")):
            return
        target, _, anchor = href.partition("#")
        target = target.partition("?")[0]
        self.links.append(
            Link(href, unquote(target), unquote(anchor) if anchor else None, text, line)
        )

    def _code_block(self, token: Token) -> None:
        assert token.map is not None
        # The info string: `python title="a.py"` or `{.py .annotate}`.
        words = token.info.strip().lstrip("{").split() if token.type == "fence" else []
        language = words[0].lstrip(".").lower() if words else ""
        first = token.map[0] + (2 if token.type == "fence" else 1)
        session = token.content.lstrip().startswith(">>>")
        if language not in PYTHON_LANGUAGES and not (session and language in _PLAIN_LANGUAGES):
            if language in SHELL_LANGUAGES and not _HISTORICAL.search(self._context):
                self.files.extend(paths_in_commands(token.content, first, language))
            return
        session = session or language in SESSION_LANGUAGES
        body = textwrap.dedent(token.content)
        plain = (body, tuple(range(first, first + body.count("\n") + 1)))
        source, line_map = _session_source(body, first) if session else plain
        historical = bool(_HISTORICAL.search(self._context))
        self.blocks.append(
            CodeBlock(
                language or "pycon",
                token.content,
                source,
                token.map[0] + 1,
                token.map[1],
                session,
                line_map,
                historical,
                first,
            )
        )


def _session_source(text: str, first_line: int) -> tuple[str, tuple[int, ...]]:
    """The statements of a ``>>>`` session, and the page line of each source line."""
    source: list[str] = []
    line_map: list[int] = []
    start: int | None = None  # where the current statement begins in ``source``
    for offset, raw in enumerate(text.splitlines()):
        line = raw.strip(" ")
        if line.startswith(">>> ") or line == ">>>":
            start = len(source)
        elif not (start is not None and (line.startswith("... ") or line == "...")):
            if start is not None and line.startswith("Traceback ("):
                del source[start:], line_map[start:]  # the statement is meant to fail
            start = None
            continue
        source.append(raw.lstrip(" ")[4:])
        line_map.append(first_line + offset)
    return "\n".join(source) + "\n", tuple(line_map)


def _block_options(lines: list[str]) -> dict[str, object]:
    """The YAML under a ``::: name`` line (``options:``, ``handler:``), if it parses."""
    text = textwrap.dedent("\n".join(lines))
    if not text.strip():
        return {}
    # Only a page with a ``:::`` block under options needs the YAML parser (start-up).
    import yaml

    from docsync.scan.mkdocs_yaml import yaml_load

    try:
        data = yaml_load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}
