"""Find, read and decode the Python files of a project.

Inside a git work tree the files are the ones git tracks or would not ignore
(``git ls-files``); elsewhere the tree is walked, skipping hidden directories,
caches and virtualenvs.  ``exclude`` globs then remove more, gitignore-style.
"""

from __future__ import annotations

import functools
import io
import operator
import os
import re
import subprocess
import tokenize
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from docsync.config import Config
from docsync.errors import GitError, SourceError
from docsync.models import Diagnostic, Severity
from docsync.paths import FileTooLarge, is_inside, path_exists, read_regular

_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})


def discover_python_files(
    paths: Sequence[Path], root: Path, exclude: Sequence[str] = ()
) -> list[Path]:
    """The ``.py`` files under ``paths``, absolute, sorted and without duplicates.

    A file named explicitly is taken as is when it ends in ``.py`` (git's ignore
    rules do not apply to it; ``exclude`` does).  Directories are searched with
    ``git ls-files`` inside a git work tree (tracked files still on disk, plus
    untracked files git does not ignore), else by walking them.  Hidden
    directories, ``__pycache__``, ``node_modules``, ``site-packages`` and
    virtualenvs are skipped unless git tracks files in them.

    Args:
        paths: Files and directories, absolute or relative to the working directory.
        root: The project root; ``exclude`` patterns are matched relative to it.
        exclude: Gitignore-style globs (see :func:`matches_exclude`).

    Returns:
        Absolute paths, sorted.

    Raises:
        SourceError: A path does not exist or lies outside ``root``.
        GitError: ``git ls-files`` failed inside a git work tree.
    """
    root = _absolute(root)
    found: set[Path] = set()
    directories: list[Path] = []
    for given in paths:
        path = _absolute(given)
        if not path_exists(path):
            raise SourceError(
                f"path not found: {given} "
                "(run docsync from the repository root, or pass existing paths)"
            )
        if not path.is_relative_to(root) or not is_inside(root, path):
            raise SourceError(
                f"{given} is outside the project root {root}, symlinks resolved "
                "(pass paths inside it)"
            )
        if path.is_dir():
            directories.append(path)
        elif path.suffix == ".py":
            found.add(path)
    if directories:
        listed = _git_python_files(directories, root)
        found.update(listed if listed is not None else _walk_python_files(directories))
    if exclude:  # no relative path per file when there is nothing to exclude
        found = {p for p in found if not matches_exclude(_relative(p, root), exclude)}
    return sorted(found, key=_PATH_ORDER)


# Path's own order, without a Path comparison per step (a large tree sorts 30,000 times):
# absolute POSIX paths order as their parts do; elsewhere (case-folding) keep Path's.
_PATH_ORDER = operator.attrgetter("parts") if os.name == "posix" else None


def matches_exclude(rel_posix_path: str, patterns: Sequence[str]) -> bool:
    """Whether a root-relative path matches one of the exclude globs, gitignore-style.

    ``*`` and ``?`` stay within one path component and ``**`` crosses them.  A pattern
    without a ``/`` matches any single component (``tests``, ``*_pb2.py``); one with a
    ``/`` is anchored at the root (``src/pkg/vendor/**``, ``docs/*.py``).  A pattern that
    matches a directory excludes everything below it; a trailing ``/`` matches only
    directories.

    Args:
        rel_posix_path: A path relative to the project root, with ``/`` separators.
        patterns: The exclude globs.

    Returns:
        True if any pattern matches.
    """
    if not patterns:
        return False
    return _compile_excludes(tuple(patterns)).fullmatch(rel_posix_path) is not None


def read_source(
    path: Path, max_bytes: int, *, rel_path: str | None = None, root: Path | None = None
) -> bytes | Diagnostic:
    """The bytes of a source file, or a diagnostic if it is too large or unreadable.

    The file is read with :func:`docsync.paths.read_regular`: the size is checked
    before the content is read, so a huge generated file costs one ``stat``, and a
    FIFO, a device or (with ``root``) a file outside the repository is refused.

    Args:
        path: The file to read.
        max_bytes: Files larger than this are skipped (``max-file-size``).
        rel_path: The repo-relative path to put in a diagnostic (default: ``path``).
        root: The repository root the file must resolve inside (``None``: anywhere).

    Returns:
        The content, or an INFO diagnostic for a file over the limit, or a WARNING
        diagnostic for a file that cannot or may not be read.
    """
    shown = rel_path if rel_path is not None else path.as_posix()
    try:
        return read_regular(path, max_bytes=max_bytes, root=root)
    except FileTooLarge as exc:
        actual, limit = _sizes(exc.size, max_bytes)
        message = f"skipped: {actual} is over the {limit} limit (max-file-size)"
        return Diagnostic(shown, 1, message, Severity.INFO)
    except OSError as exc:
        return Diagnostic(shown, 1, f"cannot read: {exc.strerror or exc}")


def decode_source(source: bytes, path: str) -> str | Diagnostic:
    """Decode Python source by its BOM or PEP 263 coding cookie (else UTF-8).

    Args:
        source: The file's bytes.
        path: The repo-relative path to put in a diagnostic.

    Returns:
        The text, or a diagnostic naming the line of the first byte that does not
        decode and saying how to fix it.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        problem = ""
    except SyntaxError as exc:  # an unknown codec, or bad UTF-8 in the first two lines
        encoding, problem = "utf-8", exc.msg
    try:
        text = source.decode(encoding)
    except UnicodeDecodeError as exc:
        line = source.count(b"\n", 0, exc.start) + 1
        name = "UTF-8" if encoding.startswith("utf-8") else encoding
        message = (
            f"not valid {name} (byte 0x{source[exc.start]:02x} at line {line}); "
            "re-save the file as UTF-8 or declare its encoding"
        )
        return Diagnostic(path, line, message)
    if problem:
        return Diagnostic(path, 1, f"cannot decode: {problem}; re-save the file as UTF-8")
    return text


def _git_python_files(directories: Sequence[Path], root: Path) -> set[Path] | None:
    """The ``.py`` files git lists under ``directories``, or ``None`` outside a work tree."""
    try:
        probe = _git(root, "rev-parse", "--show-toplevel")
    except FileNotFoundError:  # git is not installed
        return None
    if probe.returncode != 0:
        return None
    specs = [os.fsdecode(d) for d in directories]
    tracked = _git_listing(root, ["--cached"], specs)
    untracked = _git_listing(root, ["--others", "--exclude-standard"], specs)
    files = {root / name for name in tracked if name.endswith(".py")}
    # A tracked file may be deleted on disk.  os.path, not Path.is_file: a stat per file
    # of a large tree, without building a Path object for each.
    files = {f for f in files if os.path.isfile(f)}  # noqa: PTH113
    venvs: dict[Path, bool] = {}
    for name in untracked:
        if name.endswith(".py") and not _in_skipped_dir(root, name, venvs):
            files.add(root / name)
    return files


def _git_listing(root: Path, options: list[str], specs: list[str]) -> list[str]:
    result = _git(root, "ls-files", "-z", *options, "--", *specs)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise GitError(f"git ls-files failed in {root}: {message} (is the repository intact?)")
    return [name for name in os.fsdecode(result.stdout).split("\0") if name]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    command = ["git", "--literal-pathspecs", "-C", os.fsdecode(root), *args]
    return subprocess.run(command, capture_output=True, check=False)


def _in_skipped_dir(root: Path, rel_posix_path: str, venvs: dict[Path, bool]) -> bool:
    """Whether an untracked file lies in a hidden, cache or virtualenv directory."""
    parts = rel_posix_path.split("/")[:-1]
    directory = root
    for part in parts:
        if part.startswith(".") or part in _SKIPPED_DIRS:
            return True
        directory = directory / part
        if directory not in venvs:
            venvs[directory] = (directory / "pyvenv.cfg").is_file()
        if venvs[directory]:
            return True
    return False


def _walk_python_files(directories: Iterable[Path]) -> set[Path]:
    """The ``.py`` files below ``directories``, skipping hidden, cache and venv dirs."""
    found: set[Path] = set()
    for top in directories:
        for current, dirnames, filenames in os.walk(top):
            dirnames[:] = [
                d
                for d in dirnames
                if not d.startswith(".")
                and d not in _SKIPPED_DIRS
                and not Path(current, d, "pyvenv.cfg").is_file()
            ]
            found.update(Path(current, f) for f in filenames if f.endswith(".py"))
    return found


@functools.lru_cache(maxsize=64)
def _compile_excludes(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression matching any of the glob patterns."""
    alternatives = [_glob_regex(p) for p in patterns if p.strip().strip("/")]
    return re.compile("|".join(alternatives) or "(?!)")


def _glob_regex(pattern: str) -> str:
    """The regex for one gitignore-style glob, matching a path and everything below it."""
    pattern = pattern.strip()
    directory_only = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    anchored = "/" in pattern
    pattern = pattern.lstrip("/")
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "/.*" if directory_only else "(?:/.*)?"
    return f"(?:{prefix}{_translate(pattern)}{suffix})"


def _translate(glob: str) -> str:
    """``*`` -> one component's characters, ``**`` -> anything, ``?``, ``[...]``."""
    out: list[str] = []
    i = 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in glob[i + 2 :]:
            end = glob.index("]", i + 2)
            body = glob[i + 1 : end]
            out.append(_bracket(body))
            i = end + 1
            continue
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _bracket(body: str) -> str:
    """The regex for a glob's ``[...]`` body; never an invalid regex.

    Ranges are kept one by one, each escaped; a reversed range (``z-a``) matches
    nothing, as in :mod:`fnmatch`.  An empty set matches nothing, and an empty
    negated set (``[!]``, ``[^]``) any one character of a path component.
    """
    negate = body[:1] in ("!", "^")
    body = body[1:] if negate else body
    parts: list[str] = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            low, high = body[i], body[i + 2]
            if low <= high:
                parts.append(f"{re.escape(low)}-{re.escape(high)}")
            i += 3
            continue
        parts.append(re.escape(body[i]))
        i += 1
    if not parts:
        return "[^/]" if negate else "(?!)"
    return f"[{'^/' if negate else ''}{''.join(parts)}]"


def _sizes(size: int, limit: int) -> tuple[str, str]:
    """Both sizes in decimal units, in bytes when rounding would make them look equal."""
    shown = _human_size(size), _human_size(limit)
    return shown if shown[0] != shown[1] else (f"{size} bytes", f"{limit} bytes")


def _human_size(size: int) -> str:
    for unit, factor in (("MB", 1_000_000), ("kB", 1_000)):
        if size >= factor:
            return f"{size / factor:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{size} bytes"


def _absolute(path: Path) -> Path:
    """``path`` made absolute and normalised, without resolving symlinks."""
    return Path(os.path.normpath(path.absolute()))


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def scope_filter(config: Config) -> Callable[[str], bool]:
    """A test of whether a root-relative path is a Python file the project scans.

    Args:
        config: the run's configuration (``paths`` and ``exclude``).

    Returns:
        The predicate.
    """
    roots = []
    for entry in config.paths:
        path = Path(entry)
        if path.is_absolute():
            try:
                path = path.resolve().relative_to(config.root.resolve())
            except ValueError:
                continue
        roots.append(path.as_posix().strip("/"))

    def in_scope(path: str) -> bool:
        if not path.endswith(".py"):
            return False
        if not any(r in ("", ".") or path == r or path.startswith(r + "/") for r in roots):
            return False
        return not matches_exclude(path, config.exclude)

    return in_scope
