"""What fixing does to whole files: the per-file result, atomic writes and unified diffs.

A :class:`FileFix` holds a file's bytes before and after, the edits that made the
difference and the findings left or failed.  :func:`write_fixes` writes each
changed file whole (temp file and rename) after checking that nobody changed it
since it was read, and only inside the repository: a symlink is kept and its
target (when that lies inside) is written; :func:`unified_diff` renders a patch that ``git apply``
accepts, with ``a/``/``b/`` repo-relative paths, CRLF lines kept and
``\\ No newline at end of file`` markers where needed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from docsync.atomic import write_bytes_atomic
from docsync.models import Edit, Finding
from docsync.paths import inside_root, read_regular

__all__ = [
    "FileFix",
    "by_target",
    "git_quoted_path",
    "unified_diff",
    "unified_diff_bytes",
    "write_fixes",
]

_GIT_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+$")
_NO_NEWLINE = "\\ No newline at end of file\n"


@dataclass(frozen=True)
class FileFix:
    """The outcome of fixing one file.

    ``left`` pairs each finding left for a person with the reason; ``failed``
    pairs each finding whose fix failed a check (or could not be written) with
    the error.  ``new`` equals ``old`` when no edit went through.
    """

    path: str
    old: bytes
    new: bytes
    encoding: str
    edits: tuple[Edit, ...] = ()
    left: tuple[tuple[Finding, str], ...] = ()
    failed: tuple[tuple[Finding, str], ...] = ()

    @property
    def changed(self) -> bool:
        """Whether the file's bytes change."""
        return self.new != self.old

    def dropped(self, error: str) -> FileFix:
        """This result with every edit dropped and its findings failed with ``error``.

        Args:
            error: Why the edits cannot go through.

        Returns:
            A result that leaves the file as it was.
        """
        lost = tuple((f, error) for edit in self.edits for f in edit.findings)
        return replace(self, new=self.old, edits=(), failed=(*self.failed, *lost))


def write_fixes(root: Path, fixes: Sequence[FileFix]) -> list[FileFix]:
    """Write every changed file, each whole or not at all.

    A file whose bytes on disk are no longer the ones the fix was computed from
    is not written; its edits are reported failed.  So is a file that resolves
    (symlinks included) outside ``root``, or is not a regular file.  A symlink
    inside is kept: the file it points to is replaced, once, whichever of its
    paths the fixes name.

    Args:
        root: The project root the paths are relative to.
        fixes: The per-file results.

    Returns:
        The results, with the edits of files that could not be written moved to
        ``failed``.
    """
    results = []
    written: dict[Path, bytes] = {}  # a file reached by two paths (a link) is written once
    for fix in fixes:
        if not fix.changed:
            results.append(fix)
            continue
        try:
            target = inside_root(root, Path(fix.path))  # a symlink's target, kept a symlink
            if target in written:
                same = written[target] == fix.new
                results.append(fix if same else fix.dropped("another path to it was fixed"))
                continue
            if read_regular(target) != fix.old:
                results.append(fix.dropped("the file changed on disk while it was being fixed"))
                continue
            write_bytes_atomic(target, fix.new)
            written[target] = fix.new
        except OSError as exc:
            results.append(fix.dropped(f"cannot write the file: {exc.strerror or exc}"))
            continue
        results.append(fix)
    return results


def by_target(root: Path, fixes: Sequence[FileFix]) -> list[FileFix]:
    """The fixes named by the file each one really changes, as ``git diff`` names it.

    A fix made through a symlink inside the repository is named by the link's target
    (git sees a link's text, not its target's lines); a target reached by two paths
    appears once.  A path that does not resolve inside ``root`` is kept as it is
    (:func:`write_fixes` refuses it).

    Args:
        root: The project root.
        fixes: The per-file results.

    Returns:
        The results for :func:`unified_diff`.
    """
    named: list[FileFix] = []
    seen: set[Path] = set()
    top = inside_root(root, root)
    for fix in fixes:
        try:
            target = inside_root(root, Path(fix.path))
        except OSError:
            named.append(fix)
            continue
        if target in seen:
            continue
        seen.add(target)
        named.append(replace(fix, path=target.relative_to(top).as_posix()))
    return named


def unified_diff(fixes: Sequence[FileFix], context: int = 3) -> str:
    """A patch of every changed file that ``git apply`` (``-p1``) applies, as text.

    Args:
        fixes: The per-file results; unchanged files are skipped.
        context: Lines of context around each change.

    Returns:
        The patch text (empty when nothing changes).
    """
    return "".join(_file_diff(fix, context) for fix in _changed(fixes))


def unified_diff_bytes(fixes: Sequence[FileFix], context: int = 3) -> bytes:
    """The patch of :func:`unified_diff`, each file's part in that file's encoding.

    ``git apply`` compares bytes, so a file declared ``latin-1`` needs its lines in
    latin-1; this is what ``docsync fix --diff`` prints.

    Args:
        fixes: The per-file results; unchanged files are skipped.
        context: Lines of context around each change.

    Returns:
        The patch bytes.
    """
    return b"".join(
        _file_diff(fix, context).encode(_diff_encoding(fix.encoding)) for fix in _changed(fixes)
    )


def _changed(fixes: Sequence[FileFix]) -> list[FileFix]:
    return sorted((fix for fix in fixes if fix.changed), key=lambda f: f.path)


def _file_diff(fix: FileFix, context: int) -> str:
    encoding = _diff_encoding(fix.encoding)
    old = _git_lines(fix.old.decode(encoding))
    new = _git_lines(fix.new.decode(encoding))
    before, after = git_quoted_path(f"a/{fix.path}"), git_quoted_path(f"b/{fix.path}")
    # git ends a ---/+++ name that holds a space with a tab, so that no date can follow
    tab = "\t" if " " in before else ""
    body = difflib.unified_diff(old, new, before + tab, after + tab, n=context)
    return f"diff --git {before} {after}\n" + "".join(_terminated(line) for line in body)


_GIT_ESCAPES = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 0x22: '"', 0x5C: "\\"}


def git_quoted_path(name: str) -> str:
    """A file name as ``git diff`` writes it in a patch header (``core.quotePath`` on).

    A name with a control character, ``"``, ``\\`` or any byte outside ASCII is
    put in double quotes with C escapes (``\\t``, ``\\n``, ``\\"``) and octal for
    every other such byte of its UTF-8 form (``日`` is ``\\346\\227\\245``); any
    other name is written as it is.  So the header is ASCII whatever the name and
    the file's encoding.

    Args:
        name: The name, with its ``a/`` or ``b/`` prefix (a name that came from
            the file system may hold surrogate escapes; they stand for its bytes).

    Returns:
        The name as git quotes it.
    """
    raw = name.encode("utf-8", "surrogateescape")
    if not any(byte < 0x20 or byte >= 0x7F or byte in b'"\\' for byte in raw):
        return name
    parts = []
    for byte in raw:
        if byte in _GIT_ESCAPES:
            parts.append("\\" + _GIT_ESCAPES[byte])
        elif byte < 0x20 or byte >= 0x7F:
            parts.append(f"\\{byte:03o}")
        else:
            parts.append(chr(byte))
    return '"' + "".join(parts) + '"'


def _diff_encoding(encoding: str) -> str:
    """The codec for diffing: a UTF-8 BOM stays in the first line, as git sees it."""
    return "utf-8" if encoding.lower().replace("_", "-") == "utf-8-sig" else encoding


def _git_lines(text: str) -> list[str]:
    """Lines as git sees them: split after ``\\n`` only (a ``\\r`` stays in its line)."""
    return _GIT_LINE_RE.findall(text)


def _terminated(line: str) -> str:
    return line if line.endswith("\n") else line + "\n" + _NO_NEWLINE
