"""The notice a reader sees on a page whose code changed after the page was written.

The notice is an admonition in the markup Python-Markdown's ``admonition``
extension produces (``<div class="admonition warning">`` with a
``<p class="admonition-title">``), which MkDocs' default theme and Material for
MkDocs both style, so no stylesheet is needed.  It goes right after the page's
first heading when the page starts with one, else at the very top.

Each symbol is named as the page wrote it (``httpx.Client``, not the module that
defines it), with what changed in words (:func:`drift_phrases`): a renamed, added
or removed parameter, a new default or type, or both signatures side by side.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from docsync.changes.history import Drift, StalePage, SymbolDrift
from docsync.models import Parameter, Signature
from docsync.rules.base import render_params

__all__ = [
    "NOTICE_CLASS",
    "Phrase",
    "drift_phrases",
    "insert_notice",
    "phrase_html",
    "render_notice",
]

NOTICE_CLASS = "docsync-notice"
"""The extra class of the notice's ``div``, for sites that want to style it."""

_LEADING_H1 = re.compile(r"\A\s*<h1\b[^>]*>.*?</h1>", re.DOTALL)
_GITHUB_REPO = re.compile(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$")


Phrase = tuple[tuple[str, bool], ...]
"""Words as ``(text, is_code)`` pieces: the code pieces come from the project's
source and are escaped by each renderer; the others are docsync's own words."""

_MAX_SHOWN = 120  # characters of one signature in a notice
_MAX_DETAILS = 3  # more separate differences than this: show both signatures instead


def render_notice(
    stale: StalePage, names: Mapping[str, str] | None = None, repo_url: str | None = None
) -> str:
    """The notice for one stale page, as an HTML block.

    Args:
        stale: The page and the symbols that changed after it.
        names: Canonical name → the name as the page wrote it.
        repo_url: The site's ``repo_url``; on GitHub, the commits and pull requests
            that changed the code are links.

    Returns:
        The ``div``, one line per symbol naming it, when it changed and what changed.
    """
    names = names or {}
    web = _github(repo_url)
    items = "\n".join(
        f"<li>{_describe(symbol, names.get(symbol.qualname, symbol.qualname), web)}</li>"
        for symbol in stale.symbols
    )
    return (
        f'<div class="admonition warning {NOTICE_CLASS}">\n'
        '<p class="admonition-title">This page may be out of date</p>\n'
        "<p>The code it describes changed after the page was last updated "
        f"on {_date(stale.written)}:</p>\n"
        f"<ul>\n{items}\n</ul>\n"
        "</div>"
    )


def insert_notice(page_html: str, notice: str) -> str:
    """Put ``notice`` after the page's leading ``<h1>``, or first when there is none.

    Args:
        page_html: The page's content, rendered from its Markdown.
        notice: The notice's HTML.

    Returns:
        The content with the notice in it.
    """
    heading = _LEADING_H1.match(page_html)
    if heading is None:
        return f"{notice}\n{page_html}"
    end = heading.end()
    return f"{page_html[:end]}\n{notice}{page_html[end:]}"


def drift_phrases(symbol: SymbolDrift, name: str) -> list[Phrase]:
    """What changed about ``symbol`` since the page was written, one phrase per change.

    Args:
        symbol: The symbol's drift, with its signatures then and now.
        name: The symbol's name as the page wrote it.

    Returns:
        Phrases such as ``timeout`` was renamed to ``timeouts``, or
        the signature changed: ``f(a, b)`` → ``f(a, *, b)``.
    """
    phrases: list[Phrase] = []
    if Drift.SIGNATURE in symbol.changed:
        phrases += _signature_phrases(name.rpartition(".")[2], symbol.before, symbol.after)
    if Drift.DOCSTRING in symbol.changed:
        phrases.append((("its docstring changed", False),))
    return phrases


def _signature_phrases(
    short: str, before: Signature | None, after: Signature | None
) -> list[Phrase]:
    if before is None or after is None:
        return [(("the signature changed", False),)]
    details = _param_details(before, after)
    if details is not None and before.returns != after.returns:
        details.append(_changed((("the return type", False),), before.returns, after.returns))
    if details is not None and before.is_async != after.is_async:
        details.append((("it is now async" if after.is_async else "it is no longer async", False),))
    if details and len(details) <= _MAX_DETAILS:
        return details
    return [
        (
            ("the signature changed: ", False),
            (_shown(short, before), True),
            (" → ", False),
            (_shown(short, after), True),
        )
    ]


def _param_details(before: Signature, after: Signature) -> list[Phrase] | None:
    """One phrase per parameter change, or ``None`` when the change is a reshuffle."""
    old = {p.name: p for p in before.params}
    new = {p.name: p for p in after.params}
    removed = [p for p in before.params if p.name not in new]
    added = [p for p in after.params if p.name not in old]
    kept = [p.name for p in before.params if p.name in new]
    if kept != [p.name for p in after.params if p.name in old]:
        return None  # reordered
    phrases: list[Phrase] = []
    renamed = _renames(before.params, after.params, removed, added)
    for was, now in renamed:
        phrases.append(
            ((was.display_name, True), (" was renamed to ", False), (now.display_name, True))
        )
        phrases += _param_changes(now.name, was, now)
    paired = {id(p) for pair in renamed for p in pair}
    phrases += [
        (("parameter ", False), (p.display_name, True), (" was removed", False))
        for p in removed
        if id(p) not in paired
    ]
    phrases += [
        (("parameter ", False), (p.display_name, True), (" was added", False))
        for p in added
        if id(p) not in paired
    ]
    for name in kept:
        if old[name].kind is not new[name].kind:
            return None  # positional became keyword-only, and the like: show both
        phrases += _param_changes(name, old[name], new[name])
    return phrases


def _renames(
    before: Sequence[Parameter],
    after: Sequence[Parameter],
    removed: Sequence[Parameter],
    added: Sequence[Parameter],
) -> list[tuple[Parameter, Parameter]]:
    """Removed and added parameters at the same place, of the same kind: renamed."""
    if len(removed) != len(added):
        return []
    pairs = list(zip(removed, added, strict=True))
    for was, now in pairs:
        if was.kind is not now.kind or _place(before, was) != _place(after, now):
            return []
    return pairs


def _place(params: Sequence[Parameter], param: Parameter) -> int:
    return next(i for i, p in enumerate(params) if p is param)


def _param_changes(name: str, was: Parameter, now: Parameter) -> list[Phrase]:
    phrases = []
    if was.annotation != now.annotation:
        subject: Phrase = (("the type of ", False), (name, True))
        phrases.append(_changed(subject, was.annotation, now.annotation))
    if was.default != now.default:
        subject = (("the default of ", False), (name, True))
        phrases.append(_changed(subject, was.default, now.default))
    return phrases


def _changed(subject: Phrase, was: str | None, now: str | None) -> Phrase:
    """``the default of `x` changed from `1` to `2```, "is now `2`", "was removed"."""
    if was is None:
        return (*subject, (" is now ", False), (_cut(now or ""), True))
    if now is None:
        return (*subject, (" was removed (it was ", False), (_cut(was), True), (")", False))
    return (
        *subject,
        (" changed from ", False),
        (_cut(was), True),
        (" to ", False),
        (_cut(now), True),
    )


def _shown(short: str, signature: Signature) -> str:
    arrow = f" -> {signature.returns}" if signature.returns else ""
    prefix = "async " if signature.is_async else ""
    return _cut(f"{prefix}{short}{render_params(signature, markers=True)}{arrow}")


def _cut(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_SHOWN else flat[: _MAX_SHOWN - 1] + "…"


def phrase_html(phrase: Phrase) -> str:
    """A phrase as HTML: code pieces in ``<code>``, every piece escaped.

    Args:
        phrase: The pieces.

    Returns:
        HTML text.
    """
    return "".join(
        f"<code>{_text(piece)}</code>" if code else _text(piece) for piece, code in phrase
    )


def _text(text: str) -> str:
    """Element content: ``&``, ``<`` and ``>`` escaped (quotes are safe there)."""
    return html.escape(text, quote=False)


def _describe(symbol: SymbolDrift, name: str, web: str | None = None) -> str:
    when = f"on {_date(symbol.when)}" if symbol.when else "in changes not committed yet"
    details = "; ".join(phrase_html(p) for p in drift_phrases(symbol, name))
    return f"<code>{_text(name)}</code> changed {when}{_by(symbol, web)}: {details}"


def _by(symbol: SymbolDrift, web: str | None) -> str:
    """`` in 3f2a1c9 (PR #12)``, linked on GitHub; "" for uncommitted changes."""
    if symbol.commit is None:
        return ""
    sha = re.sub(r"[^0-9a-f]", "", symbol.commit.lower())
    commit = f"<code>{sha[:7]}</code>"
    if web is not None:
        commit = f'<a href="{html.escape(web)}/commit/{sha}">{commit}</a>'
    if symbol.pr is None:
        return f" in {commit}"
    pr = f"PR #{symbol.pr}"
    if web is not None:
        pr = f'<a href="{html.escape(web)}/pull/{symbol.pr}">{pr}</a>'
    return f" in {commit} ({pr})"


def _github(repo_url: str | None) -> str | None:
    """The web address of a GitHub repository, from MkDocs' ``repo_url``."""
    if not repo_url:
        return None
    match = _GITHUB_REPO.match(repo_url.strip())
    return f"https://github.com/{match.group(1)}" if match else None


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")
