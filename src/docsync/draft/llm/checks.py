"""Checks on a model's proposal before docsync offers it: the model is untrusted.

Strict about what matters, tolerant of what does not.  A docstring answer is
first normalised (:func:`normalise_docstring`: wrapping triple quotes, the code's
indentation, CRLF, trailing whitespace and blank lines around it are taken
away), then becomes a literal with the original's prefix, quotes, indentation
and line endings (:func:`rewrite_literal`; every line the model kept is copied
from the original byte for byte), and then must:

* name no other symbol (when it names one at all: the exact qualified name or an
  unambiguous suffix of it, see :func:`names_target`), hold no secret and no
  triple quotes;
* apply under the code-invariance check of :mod:`docsync.apply.python` (the
  module's code, docstrings stripped, is unchanged);
* parse in the docstring's style (a plain docstring may take the repository's);
* make the rules report none of the findings it fixes and nothing new;
* leave every section the findings do not concern byte-identical.

A page proposal must stay inside the lines that were asked about (and name no
other page), keep the number of lines and the code fences, hold no secret, and
no longer hold the text a finding reports; CRLF in it is read as LF.  Each check
returns every problem it finds as sentences, which go back to the model in the
repair round (with the exact text of a section that must be kept).
"""

from __future__ import annotations

import ast
import difflib
import inspect
import io
import re
import textwrap
import tokenize
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docsync.apply.linebreaks import line_ending, split_lines, strip_ending
from docsync.apply.literals import docstring_spans, replace_literals
from docsync.apply.python import EditRejected, LiteralEdit, apply_literal_edits
from docsync.draft.base import DocstringTarget, DraftRequest, PageTarget
from docsync.draft.llm.new_docstrings import (
    close_literal,
    coverage_errors,
    escape_line,
    fresh_literal,
)
from docsync.draft.llm.schema import DocstringAnswer, PageAnswer
from docsync.draft.mechanical.literal import DocLiteral, LiteralRefused
from docsync.models import Docstring, Finding, Project, SectionKind, Style, Symbol
from docsync.redact import contains_secret
from docsync.rules.params import PARAM_ORDER, documented_params
from docsync.rules.registry import REVIEW_CODES, RULES
from docsync.scan.python import scan_source

__all__ = [
    "Checked",
    "check_docstring_answer",
    "check_page_answer",
    "names_target",
    "normalise_docstring",
    "rewrite_literal",
    "touched_kinds",
]

Detector = Callable[[Project, Symbol], list[Finding]]

# The docstring sections each rule's fix may change; a rule without any may change all.
_TOUCHES: dict[str, tuple[SectionKind, ...]] = {r.code: r.sections for r in RULES if r.sections}
_BREAK_RE = re.compile(r"\r\n|\r|\n")
_FENCE_RE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})")
_PREAMBLE = "summary and description"


@dataclass(frozen=True)
class Checked:
    """A proposal's new target text, or why it cannot be offered."""

    text: str | None
    errors: tuple[str, ...] = ()


def touched_kinds(findings: Sequence[Finding]) -> frozenset[SectionKind] | None:
    """The docstring sections the findings may change.

    Args:
        findings: The findings a proposal fixes.

    Returns:
        The section kinds, or ``None`` when anything may change (a finding about
        the whole docstring, such as DS501 or DS502, or an unknown code).
    """
    kinds: set[SectionKind] = set()
    for finding in findings:
        if finding.code not in _TOUCHES:
            return None
        kinds.update(_TOUCHES[finding.code])
    return frozenset(kinds)


def rewrite_literal(literal: str, new_text: str, first_line: int, indent: str) -> str:
    """Write ``new_text`` as a docstring literal laid out like ``literal``.

    Lines of ``new_text`` that match lines of the old docstring (trailing
    whitespace aside) are copied from the old literal as written; new lines get
    the docstring's indentation and the escapes the literal's quotes need.

    Args:
        literal: The old literal as written (prefix and quotes included).
        new_text: The new docstring text, as :func:`inspect.cleandoc` gives it.
        first_line: The file line the literal starts on.
        indent: The indentation of the statement (used when the old docstring has
            only one line).

    Returns:
        The new literal.

    Raises:
        LiteralRefused: The old literal cannot be edited line by line, or the new
            text cannot be written with its quotes.
    """
    doc = DocLiteral.read(literal, first_line)
    body = literal[len(doc.opening) : len(literal) - len(doc.closing)]
    source = _BREAK_RE.split(body)
    value = ast.literal_eval(literal)
    if not value.strip():
        return fresh_literal(doc, source, new_text, indent)
    keys, margin_ws = _clean_keys(value.split("\n"), source, indent)
    content = [i for i, key in enumerate(keys) if key]
    start, end = (content[0], content[-1]) if content else (0, -1)
    new_lines = inspect.cleandoc(new_text).split("\n")
    raw = "r" in doc.opening[: -len(doc.closing)].lower()
    if len(doc.closing) == 1 and len(new_lines) > 1:
        raise LiteralRefused("a one-line string literal cannot hold several lines")
    out: list[str] = []
    matcher_old = keys[start : end + 1]
    for position, (old_index, line) in enumerate(_align(matcher_old, new_lines)):
        at_quotes = start == 0 and position == 0
        kept = old_index is not None and (start + old_index == 0) == at_quotes
        if kept and old_index is not None:
            out.append(source[start + old_index])
        elif not line.strip():
            out.append("")
        else:
            out.append(("" if at_quotes else margin_ws) + escape_line(line, doc.closing, raw))
    lines = [*source[:start], *out, *source[end + 1 :]]
    if end + 1 >= len(source) and len(out) > 1 and end <= start:
        lines.append(indent)  # a one-line docstring grows: closing quotes on their own line
    return close_literal(doc, lines, new_lines)


def _clean_keys(values: list[str], source: list[str], indent: str) -> tuple[list[str], str]:
    """Each line as ``inspect.cleandoc`` would give it (trailing space dropped), and the margin."""
    expanded = [v.expandtabs() for v in values]
    widths = [len(v) - len(v.lstrip()) for v in expanded[1:] if v.strip()]
    margin = min(widths, default=0)
    keys = [expanded[0].strip()] + [v[margin:].rstrip() for v in expanded[1:]]
    margin_ws = indent
    for index, v in enumerate(expanded[1:], start=1):
        if v.strip() and len(v) - len(v.lstrip()) == margin:
            margin_ws = source[index][: len(source[index]) - len(source[index].lstrip())]
            break
    return keys, margin_ws


def _align(old: list[str], new: list[str]) -> list[tuple[int | None, str]]:
    """Each new line with the index of the old line it keeps, if any (longest common lines)."""
    pairs: list[tuple[int | None, str]] = []
    matcher = difflib.SequenceMatcher(None, old, [line.rstrip() for line in new], autojunk=False)
    for tag, i1, _i2, j1, j2 in matcher.get_opcodes():
        for offset, j in enumerate(range(j1, j2)):
            pairs.append((i1 + offset if tag == "equal" else None, new[j]))
    return pairs


def normalise_docstring(text: str) -> str:
    """A docstring answer with what does not matter taken away.

    Models hand the same docstring back in several harmless shapes: wrapped in
    its triple quotes (with an ``r`` prefix, even), indented as in the source,
    with CRLF line endings, trailing whitespace, or blank lines around it.  All
    of them are the same answer: line endings become ``\\n``, the wrapping
    quotes go, and :func:`inspect.cleandoc` removes the indentation and the blank
    lines around the text; trailing whitespace goes from every line.  Nothing
    else changes: what is left is validated as the model's docstring.

    Args:
        text: The ``new_docstring`` the model gave.

    Returns:
        The docstring text, as :func:`inspect.cleandoc` gives it.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    wrapped = _WRAPPED_RE.fullmatch(text)
    if wrapped is not None and '"""' not in wrapped.group(3) and "'''" not in wrapped.group(3):
        text = wrapped.group(3)
    lines = [line.rstrip() for line in inspect.cleandoc(text).split("\n")]
    return "\n".join(lines)


_WRAPPED_RE = re.compile(r"([rRuU]?)(\"\"\"|''')(.*)\2", re.DOTALL)


def names_target(given: str, qualname: str, siblings: Sequence[str] = ()) -> bool:
    """Whether the name a model gave its target names ``qualname``.

    The exact name, or a dotted suffix of it that no other symbol of the module
    ends with (``docs`` for ``duties.docs``, ``cancel`` for
    ``inventory.sphinx_style.cancel``); backticks and call parentheses are ignored.

    Args:
        given: The name in the answer.
        qualname: The target's qualified name.
        siblings: The qualified names of the module's other symbols.

    Returns:
        True when the name can only mean the target.
    """
    name = given.strip().strip("`").removesuffix("()").strip()
    if name == qualname:
        return True
    if not name or not qualname.endswith("." + name):
        return False
    return not any(s != qualname and (s == name or s.endswith("." + name)) for s in siblings)


def check_docstring_answer(
    request: DraftRequest,
    target: DocstringTarget,
    answer: DocstringAnswer,
    detect: Detector,
    *,
    fixing: Sequence[Finding],
    repository_style: Style,
    default_style: Style | None = None,
) -> Checked:
    """Check a docstring proposal and turn it into the new literal.

    The answer is normalised first (:func:`normalise_docstring`); every problem
    found is returned, not only the first, so one repair can fix them all.

    Args:
        request: The draft request (file text, project).
        target: The docstring being edited.
        answer: The model's proposal.
        detect: Runs the run's rules on one symbol.
        fixing: The findings the proposal must fix.
        repository_style: The style a plain docstring may take.
        default_style: The style the scan assumes when a docstring shows none.

    Returns:
        The new literal, or the problems found.
    """
    symbol = target.symbol
    assert symbol.docstring is not None
    text = normalise_docstring(answer.new_docstring)
    errors = _answer_errors(answer, text, symbol, _siblings(request, symbol))
    if not text or _TRIPLE_RE.search(text) or "\x00" in text:
        return Checked(None, tuple(errors))
    try:
        literal = rewrite_literal(
            target.literal, text, target.line, _indent(request.file_text, target)
        )
    except (LiteralRefused, SyntaxError, ValueError) as exc:
        return Checked(None, (*errors, f"new_docstring cannot be written as this docstring: {exc}"))
    if literal == target.literal:
        return Checked(
            None, (*errors, "new_docstring is the docstring as it is: nothing was fixed")
        )
    errors += _module_errors(
        request, target, literal, detect, fixing, repository_style, default_style
    )
    return Checked(None, tuple(errors)) if errors else Checked(literal)


_TRIPLE_RE = re.compile(r"\"\"\"|'''")


def _siblings(request: DraftRequest, symbol: Symbol) -> tuple[str, ...]:
    project = request.project
    module = next((m for m in project.modules if m.path == request.path), None) if project else None
    return tuple(s.qualname for s in module.symbols) if module is not None else ()


def _answer_errors(
    answer: DocstringAnswer, text: str, symbol: Symbol, siblings: Sequence[str]
) -> list[str]:
    errors = []
    if answer.symbol is not None and not names_target(answer.symbol, symbol.qualname, siblings):
        errors.append(
            f"the answer names the symbol {answer.symbol!r}, but this task is only about "
            f"{symbol.qualname!r}: draft that one's docstring"
        )
    if not text.strip():
        errors.append("new_docstring is empty")
    if _TRIPLE_RE.search(text):
        errors.append("new_docstring must not contain triple quotes")
    if "\x00" in text:
        errors.append("new_docstring must not contain NUL characters")
    if contains_secret(text) or contains_secret(answer.rationale):
        errors.append("the answer contains what looks like a key or token; never write secrets")
    return errors


def _indent(file_text: str, target: DocstringTarget) -> str:
    lines = split_lines(file_text)
    line = strip_ending(lines[target.line - 1]) if 0 < target.line <= len(lines) else ""
    return line[: len(line) - len(line.lstrip())]


def _module_errors(
    request: DraftRequest,
    target: DocstringTarget,
    literal: str,
    detect: Detector,
    fixing: Sequence[Finding],
    repository_style: Style,
    default_style: Style | None,
) -> list[str]:
    """Apply the literal to the module; check code invariance, style, rules and sections."""
    text = request.file_text
    span = docstring_spans(text).get(target.line)
    if span is None or span.source(text) != target.literal:
        return ["internal: the docstring is not where the request says"]
    new_text = replace_literals(text, {target.line: span}, {target.line: literal})
    encoding = _encoding(text)
    try:
        apply_literal_edits(
            text.encode(encoding), [LiteralEdit(target.line, target.literal, literal)]
        )
    except EditRejected as exc:
        return [f"the edit is refused: {exc}"]
    except UnicodeEncodeError:
        return [f"new_docstring holds characters the file's encoding ({encoding}) cannot hold"]
    project = request.project
    module = next((m for m in project.modules if m.path == request.path), None) if project else None
    if project is None or module is None:
        return ["internal: the module is not in the scanned project"]
    index = next(
        (
            i
            for i, s in enumerate(module.symbols)
            if s.qualname == target.symbol.qualname and s.location == target.symbol.location
        ),
        None,
    )
    scanned = scan_source(
        new_text.encode(encoding), module.path, module.qualname, default_style=default_style
    ).module
    if index is None or scanned is None or len(scanned.symbols) != len(module.symbols):
        return ["the edited module cannot be scanned"]
    new_symbol = scanned.symbols[index]
    if new_symbol.docstring is None or new_symbol.qualname != target.symbol.qualname:
        return ["the edited module no longer has this docstring"]
    modules = tuple(scanned if m.path == module.path else m for m in project.modules)
    new_project = Project(project.root, modules, project.diagnostics)
    errors = _style_errors(target.symbol.docstring, new_symbol.docstring, repository_style)
    errors += _rule_errors(project, target.symbol, new_project, new_symbol, detect, fixing)
    errors += _section_errors(target, literal, new_symbol.docstring, touched_kinds(fixing))
    errors += coverage_errors(fixing, new_symbol, scanned)
    return errors


def _encoding(text: str) -> str:
    try:
        found = tokenize.detect_encoding(io.BytesIO(text.encode("utf-8")).readline)[0]
    except SyntaxError:
        return "utf-8"
    return "utf-8" if found == "utf-8-sig" else found


def _style_errors(old: Docstring | None, new: Docstring, repository_style: Style) -> list[str]:
    expected = old.style if old is not None else Style.PLAIN
    allowed = {expected} if expected is not Style.PLAIN else {Style.PLAIN, repository_style}
    if new.style in allowed:
        return []
    names = " or ".join(sorted(s.value for s in allowed))
    return [f"new_docstring reads as {new.style.value} style; write it in {names} style"]


def _rule_errors(
    project: Project,
    symbol: Symbol,
    new_project: Project,
    new_symbol: Symbol,
    detect: Detector,
    fixing: Sequence[Finding],
) -> list[str]:
    before = detect(project, symbol)
    after = detect(new_project, new_symbol)
    before_keys = {f.fingerprint for f in before} | {(f.code, f.message) for f in before}
    after_keys = {f.fingerprint for f in after} | {(f.code, f.message) for f in after}
    errors = [
        f"{f.code} is still reported: {f.message}"
        for f in fixing
        if f.code not in REVIEW_CODES
        and (f.fingerprint in after_keys or (f.code, f.message) in after_keys)
    ]
    errors += [
        f"the new docstring introduces {f.code}: {f.message}"
        for f in after
        if f.fingerprint not in before_keys
        and (f.code, f.message) not in before_keys
        and not _latent_order(f, symbol)
    ]
    return errors


def _latent_order(finding: Finding, old: Symbol) -> bool:
    """Whether a DS105 after the edit was there before it, hidden by the findings fixed.

    DS105 (entries out of signature order) is reported only when no entry is
    missing or stale, so adding a missing entry can reveal an order the docstring
    already had.  That is not the draft's doing when the entries it kept are in
    the order they were, and that order was already wrong.
    """
    if finding.code != PARAM_ORDER.code or old.signature is None or not finding.evidence.documented:
        return False
    positions = {p.name: i for i, p in enumerate(old.signature.params) if not p.is_variadic}
    before = [d.name for d in documented_params(old) if d.name in positions]
    after = [name.strip() for name in finding.evidence.documented.split(",")]
    kept = [name for name in after if name in before]
    return kept == before and before != sorted(before, key=positions.__getitem__)


def _section_errors(
    target: DocstringTarget,
    literal: str,
    new: Docstring,
    touched: frozenset[SectionKind] | None,
) -> list[str]:
    """Sections (and the summary) the findings do not concern must be byte-identical."""
    old = target.symbol.docstring
    if touched is None or old is None:
        return []
    old_parts = _parts(old, target.literal, target.line)
    new_parts = _parts(new, literal, target.line)
    errors = []
    for key, lines in old_parts.items():
        kind = key[0]
        if kind in touched:
            continue
        name = _PREAMBLE if kind is None else f"{key[1]!r} section"
        if key not in new_parts:
            errors.append(
                f"the {name} was removed, but no finding concerns it; keep it exactly as "
                f"it was:\n{_as_written(lines)}"
            )
        elif new_parts[key] != lines:
            errors.append(
                f"the {name} changed, but no finding concerns it; keep it exactly as it "
                f"was:\n{_as_written(lines)}"
            )
    for key in new_parts:
        if key not in old_parts and key[0] is not None and key[0] not in touched:
            errors.append(f"a {key[1]!r} section was added, but no finding asks for it")
    return errors


_PartKey = tuple[SectionKind | None, str, int]


def _as_written(lines: tuple[str, ...]) -> str:
    """A part's source lines as docstring text (the code's indentation taken off)."""
    if not lines:
        return "(nothing)"
    if lines[0] == lines[0].lstrip():  # the preamble: its first line is stripped already
        return "\n".join([lines[0], *textwrap.dedent("\n".join(lines[1:])).split("\n")]).rstrip()
    return textwrap.dedent("\n".join(lines))


def _parts(doc: Docstring, literal: str, first_line: int) -> dict[_PartKey, tuple[str, ...]]:
    """The preamble and each section of a docstring, as the literal's source lines."""
    opening = DocLiteral.read(literal, first_line)
    body = literal[len(opening.opening) : len(literal) - len(opening.closing)]
    lines = _BREAK_RE.split(body)
    sections = sorted(doc.sections, key=lambda s: s.line)
    first_section = sections[0].line - first_line if sections else len(lines)
    parts: dict[_PartKey, tuple[str, ...]] = {
        (None, "", 0): _trimmed(lines[:first_section], strip_first=True)
    }
    seen: dict[tuple[SectionKind, str], int] = {}
    for section in sections:
        title = section.title.strip().rstrip(":").lower()
        count = seen.get((section.kind, title), 0)
        seen[(section.kind, title)] = count + 1
        span = lines[section.line - first_line : section.end_line - first_line + 1]
        parts[(section.kind, title, count)] = _trimmed(span, strip_first=False)
    return parts


def _trimmed(lines: list[str], *, strip_first: bool) -> tuple[str, ...]:
    kept = [line.rstrip() for line in lines]
    if strip_first and kept:
        kept[0] = kept[0].strip()
    while kept and not kept[-1].strip():
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    return tuple(kept)


def check_page_answer(target: PageTarget, answer: PageAnswer, fixing: Sequence[Finding]) -> Checked:
    """Check a page proposal and turn it into the target's new text.

    Args:
        target: The page lines being edited.
        answer: The model's proposal.
        fixing: The findings the proposal must fix.

    Returns:
        The target's new text (line endings as before), or the problems found.
    """
    errors = []
    if answer.page is not None and not _names_page(answer.page, target.path):
        errors.append(
            f"the answer names the page {answer.page!r}, but this task is only about "
            f"{target.path!r}"
        )
    first, last = answer.start_line, answer.end_line
    if not target.line <= first <= last <= target.end_line:
        errors.append(
            f"lines {first}-{last} are outside the lines that may be edited "
            f"({target.line}-{target.end_line})"
        )
    replacement = answer.replacement.replace("\r\n", "\n").replace("\r", "\n")
    replacement = replacement[:-1] if replacement.endswith("\n") else replacement
    new_lines = replacement.split("\n") if replacement else [""]
    if last >= first and len(new_lines) != last - first + 1:
        errors.append(
            f"the replacement has {len(new_lines)} lines; lines {first}-{last} are "
            f"{last - first + 1}: keep the number of lines"
        )
    if contains_secret(answer.replacement) or contains_secret(answer.rationale):
        errors.append("the answer contains what looks like a key or token; never write secrets")
    if errors:
        return Checked(None, tuple(errors))
    old_lines = split_lines(target.text)
    ending = line_ending(target.text)
    rendered = [line.rstrip("\r") + ending for line in new_lines]
    lines = [*old_lines[: first - target.line], *rendered, *old_lines[last - target.line + 1 :]]
    text = "".join(lines)
    if not target.text.endswith(("\n", "\r")):
        text = text[: -len(ending)] if text.endswith(ending) else text
    return _page_text_errors(target, text, fixing)


def _names_page(given: str, path: str) -> bool:
    """The page's path, or its tail after a ``/`` (``guide.md`` for ``docs/guide.md``)."""
    name = given.strip().strip("`").removeprefix("./")
    return bool(name) and (name == path or path.endswith("/" + name))


def _page_text_errors(target: PageTarget, text: str, fixing: Sequence[Finding]) -> Checked:
    errors = []
    if text == target.text:
        errors.append("the replacement is the text as it is: nothing was fixed")
    fences = [bool(_FENCE_RE.match(line)) for line in split_lines(target.text)]
    if fences != [bool(_FENCE_RE.match(line)) for line in split_lines(text)]:
        errors.append("the replacement adds, moves or removes a code fence")
    for finding in fixing:
        written = finding.evidence.documented
        if finding.code not in REVIEW_CODES and written and written in text:
            errors.append(f"{finding.code}: {written!r} is still on the page")
    return Checked(None, tuple(errors)) if errors else Checked(text)
