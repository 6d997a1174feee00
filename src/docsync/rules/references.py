"""Cross-references in docstrings, and DS601 ``broken-reference``.

A docstring names other code in a few recognisable ways:

* a Sphinx role: ``:func:`load_config```, ``:py:meth:`~pkg.Client.fetch```,
  ``:class:`Title <pkg.Thing>```;
* inline code that calls: ```load_config()``` or ```cfg.load_config(path)```;
* inline code that is a dotted name: ```pkg.config.load_config```;
* an entry of a *See Also* section (NumPy or Google).

Bare inline code without a dot or parentheses (```timeout```) is not taken as a
reference: it is far more often a parameter or a literal.

:func:`find_references` extracts them with the file line that holds each one;
:func:`judge_reference` decides whether a change broke one: only a name that
resolved into the project at the base is judged, so ``os.path.join`` is never a
broken reference, and a name that still resolves at the head (a re-export, an
alias assignment) is not either.  Names resolve through the import tables the
scanner recorded (:class:`~docsync.scan.index.Namespace`), the same ones the page
rules' index follows.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from docsync.models import Docstring, Evidence, Finding, Location, Severity, fingerprint
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind
from docsync.scan.index import Namespace

BROKEN_REFERENCE = Rule(
    code="DS601",
    slug="broken-reference",
    summary="A docstring refers to a symbol the change removed or renamed.",
    severity=Severity.WARNING,
    description=(
        "Base mode only. Roles (:func:`x`), inline calls (`x()`), dotted names and "
        "See Also entries that resolved into the project at the base."
    ),
    kind=RuleKind.CHANGE,
    examples=Examples("changes", "BROKEN_REFERENCE_FLAG", "BROKEN_REFERENCE_OK"),
    fix=FixKind.MECHANICAL,
    llm=False,
)

_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_ROLE = re.compile(
    r":(?:py:)?(?P<role>func|function|meth|method|class|attr|obj|data|exc|mod|module"
    r"|const|type|property):`(?P<body>[^`]+)`"
)
_INLINE = re.compile(r"(?<![:`\w])(?P<ticks>``?)(?P<body>[^`\n]+?)(?P=ticks)(?!`)")
_CALL = re.compile(rf"^(?P<name>\.?{_NAME})\([^()]*\)$")
_DOTTED = re.compile(rf"^(?P<name>\.?{_NAME})$")
_SEE_ALSO_HEADER = re.compile(r"^\s*see\s+also\s*:?\s*$", re.IGNORECASE)
_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")
_SEE_ALSO_ITEM = re.compile(rf"^\s*(?P<name>~?\.?{_NAME})(?:\(\))?\s*$")
_BUILTINS = frozenset(dir(builtins))


class RefForm(str, Enum):
    """How a reference was written."""

    ROLE = "role"
    CALL = "call"
    DOTTED = "dotted"
    SEE_ALSO = "see-also"


@dataclass(frozen=True)
class Reference:
    """A name of other code written in a docstring.

    ``target`` is the dotted name without decoration (``~``, a leading ``.``,
    parentheses, a role title); ``text`` is the reference as written; ``line`` is
    the file line holding it and ``column`` its column in the cleaned docstring line.
    ``relative`` is true for Sphinx's ``.name`` form (search by suffix).
    """

    target: str
    text: str
    form: RefForm
    line: int
    column: int
    relative: bool = False

    @property
    def explicit(self) -> bool:
        """Whether the writer marked this as a reference (a role or a See Also entry)."""
        return self.form in (RefForm.ROLE, RefForm.SEE_ALSO)


def text_start_line(docstring: Docstring, source_lines: Sequence[str]) -> int:
    """The file line of the first line of ``docstring.text``.

    :func:`inspect.cleandoc` drops the blank lines that open a docstring (the usual
    ``\"\"\"`` followed by a newline), so the cleaned text can start below the
    opening quotes.

    Args:
        docstring: a docstring whose ``location.line`` is the line of its opening quotes.
        source_lines: the lines of the file the docstring is in.

    Returns:
        A 1-based line number (the opening line when the source does not match).
    """
    start = docstring.location.line
    if not 0 < start <= len(source_lines):
        return start
    first = source_lines[start - 1]
    quote = _opening_quote_end(first, docstring.location.column)
    if quote is None or first[quote:].strip():
        return start
    line = start + 1
    while line <= len(source_lines) and not source_lines[line - 1].strip():
        line += 1
    return line


def _opening_quote_end(line: str, column: int) -> int | None:
    match = re.compile(r"[rRuUbBfF]{0,2}(\"\"\"|'''|\"|')").search(line, max(column, 0))
    return match.end() if match else None


def find_references(docstring: Docstring, first_line: int) -> tuple[Reference, ...]:
    """Every reference to code in ``docstring``, in text order.

    Args:
        docstring: the parsed docstring.
        first_line: the file line of the text's first line (see :func:`text_start_line`).

    Returns:
        The references, each with the file line that holds it.
    """
    found: list[Reference] = []
    lines = docstring.text.splitlines()
    for index, text in enumerate(lines):
        found.extend(_inline_references(text, first_line + index))
    for index in _see_also_lines(lines):
        found.extend(_see_also_references(lines[index], first_line + index))
    return tuple(sorted(found, key=lambda r: (r.line, r.column)))


def _inline_references(text: str, line: int) -> list[Reference]:
    found = []
    for match in _ROLE.finditer(text):
        body = match["body"].strip()
        if body.startswith("!"):
            continue  # Sphinx: explicitly not a link
        if body.endswith(">") and "<" in body:
            body = body[body.rindex("<") + 1 : -1]
        ref = _make(body, match.group(0), RefForm.ROLE, line, match.start())
        if ref is not None:
            found.append(ref)
    for match in _INLINE.finditer(text):
        body = match["body"].strip()
        call = _CALL.match(body)
        if call is not None:
            ref = _make(call["name"], match.group(0), RefForm.CALL, line, match.start())
        elif "." in body.lstrip(".") and _DOTTED.match(body):
            ref = _make(body, match.group(0), RefForm.DOTTED, line, match.start())
        else:
            ref = None
        if ref is not None:
            found.append(ref)
    return found


def _make(body: str, text: str, form: RefForm, line: int, column: int) -> Reference | None:
    body = body.lstrip("~").removesuffix("()")
    relative = body.startswith(".")
    target = body.lstrip(".")
    if not re.fullmatch(_NAME, target):
        return None
    return Reference(target, text, form, line, column, relative)


def _see_also_lines(lines: list[str]) -> list[int]:
    """Indexes of the entry lines of every See Also section (NumPy or Google)."""
    entries: list[int] = []
    index = 0
    while index < len(lines):
        if not _SEE_ALSO_HEADER.match(lines[index]):
            index += 1
            continue
        header_indent = _indent(lines[index])
        index += 2 if index + 1 < len(lines) and _UNDERLINE.match(lines[index + 1]) else 1
        entry_indent: int | None = None
        while index < len(lines):
            line = lines[index]
            if line.strip():
                if _indent(line) < max(header_indent, entry_indent or 0):
                    break
                if _is_header(lines, index):
                    break
                entry_indent = _indent(line) if entry_indent is None else entry_indent
                if _indent(line) == entry_indent:
                    entries.append(index)
            index += 1
    return entries


def _is_header(lines: list[str], index: int) -> bool:
    nxt = lines[index + 1] if index + 1 < len(lines) else ""
    return bool(_UNDERLINE.match(nxt)) or (
        lines[index].rstrip().endswith(":") and " " not in lines[index].strip()
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _see_also_references(text: str, line: int) -> list[Reference]:
    if _ROLE.search(text):
        return []  # roles are found by the inline pass
    head = re.split(r"\s:\s|:\s|:$", text, maxsplit=1)[0]
    found = []
    column = _indent(text)
    for item in head.split(","):
        match = _SEE_ALSO_ITEM.match(item)
        if match is not None:
            ref = _make(match["name"], item.strip(), RefForm.SEE_ALSO, line, column)
            if ref is not None:
                found.append(ref)
        column += len(item) + 1
    return found


@dataclass(frozen=True)
class Scope:
    """Where a reference is written: the documented symbol, its module and imports.

    ``params`` are the documented callable's parameter names: a bare ```f()```
    naming one is a call of that argument, not a reference to project code.
    """

    owner: str
    module: str
    imports: Mapping[str, str]
    params: frozenset[str] = frozenset()


def candidates(ref: Reference, scope: Scope) -> list[str]:
    """The qualified names ``ref`` may mean, most specific first (Sphinx's order).

    Args:
        ref: the reference.
        scope: where it is written.

    Returns:
        Names relative to the owner's class and module, through the module's
        imports, and as written.
    """
    first, _, rest = ref.target.partition(".")
    if first in scope.imports:
        imported = scope.imports[first]
        return [f"{imported}.{rest}" if rest else imported]
    found = []
    owner = scope.owner
    while owner.startswith(scope.module + ".") or owner == scope.module:
        found.append(f"{owner}.{ref.target}")
        if owner == scope.module:
            break
        owner = owner.rpartition(".")[0]
    found.append(ref.target)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Gone:
    """A qualified name the change removed; ``new`` is where it went, if anywhere.

    ``moved`` tells a move to another module from a rename in place.
    """

    old: str
    new: str | None = None
    moved: bool = False


@dataclass(frozen=True)
class Broken:
    """A reference that resolved at the base to a symbol the change removed or renamed."""

    reference: Reference
    gone: Gone


def judge_reference(
    ref: Reference,
    scope: Scope,
    base: Namespace,
    head: Namespace,
    gone: Mapping[str, Gone],
) -> Broken | None:
    """Whether the change broke ``ref``.

    Args:
        ref: the reference, as written in a docstring at the head.
        scope: where it is written.
        base: the project's names at the base.
        head: the project's names at the head.
        gone: the qualified names the change removed, renamed or moved.

    Returns:
        The reference and what became of its target, or ``None`` when the
        reference is fine, was already broken at the base, or names code outside
        the project.
    """
    if ref.target.partition(".")[0] in scope.params:
        return None
    names = candidates(ref, scope)
    # Still bound at the head, even to code outside the project (tornado's
    # ``TimeoutError = asyncio.TimeoutError``): the name works, nothing broke.
    if any(head.resolve(n) or n in head.aliases for n in names):
        return None
    for name in names:
        resolved = base.resolve(name)
        if resolved is not None:
            return Broken(ref, gone[resolved]) if resolved in gone else None
    old = _by_suffix(ref, scope, base)
    if old is None or old not in gone or _exists_by_suffix(ref.target, head):
        return None
    if "." not in ref.target and not ref.explicit and old in base.members:
        return None  # a bare `close()` is too likely to be some other object's method
    return Broken(ref, gone[old])


def _exists_by_suffix(target: str, namespace: Namespace) -> bool:
    return bool(namespace.ending_with(target, aliases=True))


def _by_suffix(ref: Reference, scope: Scope, namespace: Namespace) -> str | None:
    """The one name ending in ``.target`` (Sphinx's fuzzy search), if unambiguous.

    A bare name written as inline code (not a role or See Also entry) never
    matches a builtin's name or a name the module imports from elsewhere.
    """
    target = ref.target
    bare_inline = "." not in target and not (ref.explicit or ref.relative)
    if bare_inline and (target in _BUILTINS or target in scope.imports):
        return None
    matches = namespace.ending_with(target)
    return matches[0] if len(matches) == 1 else None


def broken_reference_finding(broken: Broken, owner: str, path: str) -> Finding:
    """The DS601 finding for a reference the change broke.

    Args:
        broken: the judged reference.
        owner: the qualified name of the documented symbol holding the reference.
        path: the file the docstring is in.

    Returns:
        A warning located on the docstring line that holds the reference.
    """
    ref, gone = broken.reference, broken.gone
    shown = _shown(ref, ref.target)
    if gone.new is None:
        message = f"{shown} refers to {gone.old}, which this change removed"
        hint = f"remove or update the reference to {gone.old}"
    else:
        new_shown = _shown(ref, _same_depth(ref.target, gone.old, gone.new))
        message = f"{shown} was {'moved' if gone.moved else 'renamed'} to {new_shown}"
        hint = f"replace {shown} with {new_shown}"
    return Finding(
        code=BROKEN_REFERENCE.code,
        slug=BROKEN_REFERENCE.slug,
        severity=BROKEN_REFERENCE.severity,
        message=message,
        location=Location(path, ref.line, ref.line, ref.column),
        symbol=owner,
        evidence=Evidence(documented=ref.text, actual=gone.new),
        fingerprint=fingerprint(BROKEN_REFERENCE.code, owner, ref.text, gone.old),
        fix_hint=hint,
    )


def _shown(ref: Reference, target: str) -> str:
    return f"`{target}()`" if ref.form is RefForm.CALL else f"`{target}`"


def _same_depth(written: str, old: str, new: str) -> str:
    """``new`` with as many dotted components as the reference had (or the whole)."""
    depth = written.count(".") + 1
    if old.split(".")[-depth:] != written.split("."):
        return new
    return ".".join(new.split(".")[-depth:])


_WORD = re.compile(r"\w+")


def mentions_any(names: Iterable[str]) -> Callable[[str], bool]:
    """A test of whether a text mentions one of ``names`` as a whole word.

    The same answer as searching for ``\\b(?:name|...)\\b``, but a set lookup per word
    of the text instead of a regular expression of hundreds of alternatives (a
    release diff removes that many names).

    Args:
        names: the names (a symbol's last name each).

    Returns:
        The test.
    """
    wanted = frozenset(names)
    if all(_WORD.fullmatch(name) for name in wanted):
        return lambda text: not wanted.isdisjoint(_WORD.findall(text))
    pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, wanted))) + r")\b")
    return lambda text: pattern.search(text) is not None
