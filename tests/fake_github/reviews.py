"""Where review comments land on a pull request's diff, with GitHub's rules and messages.

A comment names a line on the new (``RIGHT``) or old (``LEFT``) side; the line must
be in one of the file's hunks, and a multi-line comment's ``start_line`` must come
before its ``line`` in the same hunk.  GitHub rejects the whole review otherwise
(422), with its messages joined into one sentence, e.g.
https://github.com/parkerbxyz/suggest-changes/issues/28 and
https://github.com/danobi/prr/issues/11.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fake_github.git_http import FileDiff


@dataclass(frozen=True)
class _Line:
    kind: str  # " ", "+", "-"
    old: int | None
    new: int | None
    position: int


@dataclass(frozen=True)
class _Hunk:
    header_index: int
    lines: tuple[_Line, ...]


def place_comment(
    files: dict[str, FileDiff], comment: dict[str, Any]
) -> tuple[tuple[int, int, str] | None, str]:
    """Where a review comment lands: (line, position, diff hunk), or the error GitHub gives."""
    diff = files.get(comment["path"])
    if diff is None:
        return None, "Path could not be resolved"
    patch = (diff.patch or "").split("\n") if diff.patch else []
    hunks = _hunks(patch)
    if "line" not in comment and "position" in comment:
        for hunk in hunks:
            for entry in hunk.lines:
                if entry.position == comment["position"]:
                    line = entry.new if entry.new is not None else entry.old
                    return (line or 0, entry.position, _hunk_text(patch, hunk, entry)), ""
        return None, _NOT_IN_DIFF
    side = comment.get("side", "RIGHT")
    found = _find(hunks, comment.get("line", 0), side)
    if found is None:
        return None, _NOT_IN_DIFF
    hunk, entry = found
    if comment.get("start_line") is not None:
        if comment["start_line"] >= comment["line"]:
            return None, _START_PRECEDES
        start = _find(hunks, comment["start_line"], comment.get("start_side", side))
        if start is None or start[0] is not hunk:
            return None, _SAME_HUNK
    return (comment["line"], entry.position, _hunk_text(patch, hunk, entry)), ""


_NOT_IN_DIFF = "Pull request review thread line must be part of the diff"
_BLANK_HUNK = "Pull request review thread diff hunk can't be blank"
_START_PRECEDES = "Pull request review thread start line must precede the end line."
_SAME_HUNK = "Pull request review thread start line must be part of the same hunk as the line."
ERROR_ORDER = [
    "Path could not be resolved",
    _NOT_IN_DIFF,
    _START_PRECEDES,
    _SAME_HUNK,
    _BLANK_HUNK,
]


def sentence(errors: list[str]) -> str:
    if _NOT_IN_DIFF in errors or "Path could not be resolved" in errors:
        errors = [*errors, _BLANK_HUNK]
    if len(errors) == 1:
        return errors[0]
    if len(errors) == 2:
        return f"{errors[0]} and {errors[1]}"
    return ", ".join(errors[:-1]) + f", and {errors[-1]}"


def _hunks(patch: list[str]) -> list[_Hunk]:
    hunks: list[_Hunk] = []
    lines: list[_Line] = []
    header = -1
    old = new = 0
    for index, text in enumerate(patch):
        if text.startswith("@@"):
            if header >= 0:
                hunks.append(_Hunk(header, tuple(lines)))
            ranges = text.split("@@")[1].split()
            old = int(ranges[0][1:].split(",")[0])
            new = int(ranges[1][1:].split(",")[0])
            header, lines = index, []
            continue
        kind = text[:1] or " "
        if kind == "\\":
            continue
        lines.append(_Line(kind, old if kind != "+" else None, new if kind != "-" else None, index))
        old += kind != "+"
        new += kind != "-"
    if header >= 0:
        hunks.append(_Hunk(header, tuple(lines)))
    return hunks


def _find(hunks: list[_Hunk], line: int, side: str) -> tuple[_Hunk, _Line] | None:
    for hunk in hunks:
        for entry in hunk.lines:
            if (entry.new if side == "RIGHT" else entry.old) == line:
                return hunk, entry
    return None


def _hunk_text(patch: list[str], hunk: _Hunk, entry: _Line) -> str:
    return "\n".join(patch[hunk.header_index : entry.position + 1])
