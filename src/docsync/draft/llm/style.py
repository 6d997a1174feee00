"""The style a drafted docstring takes, and the repository's examples of it.

A prompt shows the model the docstring style of the target's module (else the
repository's) and up to three of the repository's own well-documented symbols in that
style, chosen deterministically and checked with the rules first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docsync.models import Finding, Project, SectionKind, Style, Symbol, SymbolKind
from docsync.rules.coverage import NEW_API_UNDOCUMENTED

__all__ = [
    "MAX_EXAMPLES",
    "choose_examples",
    "is_new_docstring",
    "module_style",
    "repository_style",
]

Detector = Callable[[Project, Symbol], list[Finding]]

MAX_EXAMPLES = 3
_EXAMPLE_CHARS = (60, 900)  # an example's docstring is at least / at most this long
_EXAMPLE_CANDIDATES = 25  # candidates checked with the rules before giving up


def repository_style(project: Project | None, default: Style = Style.GOOGLE) -> Style:
    """The docstring style most of a project's structured docstrings use.

    Args:
        project: The scanned project.
        default: The answer when no docstring has a structured section.

    Returns:
        The most common style; ties go to Google, then NumPy, then Sphinx.
    """
    counts = {Style.GOOGLE: 0, Style.NUMPY: 0, Style.SPHINX: 0}
    for symbol in project.symbols() if project else ():
        if symbol.docstring is not None and symbol.docstring.style in counts:
            counts[symbol.docstring.style] += 1
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else default


def module_style(project: Project | None, path: str) -> Style | None:
    """The docstring style most structured docstrings of one module use.

    Args:
        project: The scanned project.
        path: The module's path.

    Returns:
        The most common style there (ties as in :func:`repository_style`), or
        ``None`` when none of its docstrings has a structured section.
    """
    module = next((m for m in project.modules if m.path == path), None) if project else None
    counts = {Style.GOOGLE: 0, Style.NUMPY: 0, Style.SPHINX: 0}
    for symbol in module.symbols if module is not None else ():
        if symbol.docstring is not None and symbol.docstring.style in counts:
            counts[symbol.docstring.style] += 1
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else None


def is_new_docstring(symbol: Symbol, findings: Sequence[Finding]) -> bool:
    """Whether a request writes the first docstring of new API (a blank one, for DS504).

    Args:
        symbol: The target's symbol.
        findings: The findings the request fixes.

    Returns:
        True when the docstring is blank and a finding is DS504.
    """
    blank = symbol.docstring is None or not symbol.docstring.text.strip()
    return blank and any(f.code == NEW_API_UNDOCUMENTED.code for f in findings)


def choose_examples(project: Project | None, style: Style, detect: Detector) -> tuple[Symbol, ...]:
    """Pick up to three well-documented symbols of ``style``, deterministically.

    A candidate is a public function or method with a docstring in ``style`` that
    documents every parameter and, when the code returns a value, the return;
    the shortest (then alphabetically first) candidates the rules find nothing
    wrong with are chosen.

    Args:
        project: The scanned project.
        style: The docstring style wanted.
        detect: Runs the rules on one symbol.

    Returns:
        The examples, shortest first.
    """
    if project is None or style is Style.PLAIN:
        return ()
    candidates = sorted(
        (s for s in project.symbols() if _exemplary(s, style)),
        key=lambda s: (len(s.docstring.text) if s.docstring else 0, s.qualname),
    )
    chosen: list[Symbol] = []
    for symbol in candidates[:_EXAMPLE_CANDIDATES]:
        if not detect(project, symbol):
            chosen.append(symbol)
        if len(chosen) == MAX_EXAMPLES:
            break
    return tuple(chosen)


def _exemplary(symbol: Symbol, style: Style) -> bool:
    doc, signature = symbol.docstring, symbol.signature
    if doc is None or signature is None or doc.style is not style or not signature.params:
        return False
    if symbol.kind not in (SymbolKind.FUNCTION, SymbolKind.METHOD) or symbol.suppressed:
        return False
    if any(part.startswith("_") for part in symbol.qualname.split(".")):
        return False
    if not _EXAMPLE_CHARS[0] <= len(doc.text) <= _EXAMPLE_CHARS[1]:
        return False
    kinds = (SectionKind.PARAMS, SectionKind.OTHER_PARAMS, SectionKind.KEYWORD_ARGS)
    documented = {(e.name or "").lstrip("*") for e in doc.entries_of(*kinds)}
    if not all(p.name in documented for p in signature.params):
        return False
    return doc.has_section(SectionKind.RETURNS) or not signature.returns_value
