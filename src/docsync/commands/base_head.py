"""Base mode's head side: the changed files in full, the rest of the project on demand.

A pull request changes a few files of a large project.  The rules judge the
symbols of those files, and look the rest of the project up by name (the class a
base names, the functions a call may reach, the symbol of a qualified name).  So
base mode scans the changed files and takes the unchanged ones from a **head
index**: one cache entry per base commit, which lists, for every module the base
commit holds, its path, module name, content hash, the qualified names it
defines and the diagnostics its scan gave.  A file the change did not touch has
the base commit's bytes, so its entry in the index is its entry at the head; the
module itself is read from the scan cache only when a rule asks for one of its
names (see :class:`~docsync.scan.lazy_project.PartialProject`).

The index is written by the first base-mode run against a base commit (which
scans the whole head, as before) and read by every later one against the same
base: the runs of a pull request, pushed again and again.  Whatever loads the
whole project (a change that adds public API, removes or renames a name, or a
site whose pages are checked) loads it module by module on demand: the findings
are those of the whole-project scan either way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from docsync import timings as timing
from docsync.changes.changeset import BaseSide, FileChange, Sides, changed_files
from docsync.changes.joint import scan_head_and_base
from docsync.changes.revisions import CommitRevision
from docsync.config import Config
from docsync.models import Bindings, Diagnostic, Module, Project, SymbolKind
from docsync.scan.cache import ScanCache, read_entry, write_entry
from docsync.scan.codec import decode_value, encode_value
from docsync.scan.files import discover_python_files, read_source
from docsync.scan.lazy_project import ModuleRef, PartialProject, References, StaleModule
from docsync.scan.project import (
    ModuleNames,
    _relative_posix,
    _unread_getattr,
    open_cache,
    scan_files,
)
from docsync.scan.python import scan_source

__all__ = ["HEAD_INDEX_DIR", "KEPT_INDEXES", "HeadSide", "index_path", "scan_head"]

HEAD_INDEX_DIR = "head-index"
"""Where the head indexes are kept, under the cache directory."""

_FORMAT = "1"  # bump when what a record means changes (its layout is checked on reading)

# One record per module: path, module name, content hash, qualified names, the line of an
# unread module ``__getattr__`` (0: none), and the diagnostics of its scan.
_Record = tuple[str, str, str, tuple[str, ...], int, tuple[Diagnostic, ...]]
_INDEX = tuple[_Record, ...]

# The reverse-reference index: per module, the words of its docstrings that name a symbol
# of the base, and the qualified names of its methods and properties.
_REFERENCES = tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]

_MAX_RECORDS = 200_000  # a larger project is scanned whole


@dataclass(frozen=True)
class HeadSide:
    """The head project, and the changed modules it was built around.

    ``project`` is a :class:`~docsync.scan.lazy_project.PartialProject` when the head
    index served the unchanged files, else the whole scan; ``changed`` holds the
    modules scanned in full (for :func:`docsync.changes.changeset.compare`); ``base`` is
    the changed files' base side when the whole scan read it in the same pool pass;
    ``files`` the changed files as git listed them for this run (``None``: not
    listed yet), so that ``compare`` does not run ``git diff`` a second time.
    """

    project: Project
    changed: Project
    base: BaseSide | None = None
    files: tuple[FileChange, ...] | None = None


def index_path(cache: ScanCache, sides: Sides) -> Path | None:
    """Where the head index of this base commit is kept.

    Args:
        cache: the run's scan cache.
        sides: the resolved sides.

    Returns:
        The entry's path; ``None`` when the base is not a commit (a first commit).
    """
    base = sides.base
    if not isinstance(base, CommitRevision):
        return None
    key = cache.digest(HEAD_INDEX_DIR, _FORMAT, base.commit.hexsha, base.prefix)
    return cache.directory / HEAD_INDEX_DIR / key[:2] / f"{key}.entry"


def scan_head(config: Config, sides: Sides) -> HeadSide:  # docsync: ignore[DS301]
    """Scan the working tree's side of a change, from the head index when there is one.

    Args:
        config: the run's configuration.
        sides: the resolved sides; the head is the working tree.

    Returns:
        The head side.

    Raises:
        SourceError: a configured path does not exist or lies outside the root.
        GitError: ``git ls-files`` or ``git diff`` failed.
    """
    config = replace(config, root=sides.root)
    with timing.phase("git/base"):
        files = changed_files(sides)
    cache = open_cache(config)
    where = index_path(cache, sides) if cache is not None else None
    records = _read_index(where) if where is not None else None
    if cache is None or where is None or records is None:
        full, base = scan_head_and_base(sides, config, files)  # one pool pass, both sides
        if cache is not None and where is not None:
            with timing.phase("scan"):
                _write_index(cache, where, full, _unchanged(sides, files))
        return HeadSide(full, full, base, files)
    head = _partial_head(config, sides, records, cache, files)
    if isinstance(head.project, PartialProject):
        head.project.with_references(lambda: _read_references(_references_path(where)))
    return head


def _unchanged(sides: Sides, files: Iterable[FileChange]) -> frozenset[str]:
    """The root-relative files the change (``files``) left as the base commit has them."""
    touched = {p for f in files for p in (f.path, f.old_path) if p}
    return frozenset(p for p in sides.base.paths if p not in touched)


def _partial_head(
    config: Config,
    sides: Sides,
    records: dict[str, _Record],
    cache: ScanCache,
    files: tuple[FileChange, ...],
) -> HeadSide:
    root = Path(os.path.normpath(config.root.absolute()))
    with timing.phase("discovery"):
        paths = [config.at_root(p) for p in config.paths]
        discovered = discover_python_files(paths, root, config.exclude)
    with timing.phase("git/base"):
        unchanged = _unchanged(sides, files)
    names = ModuleNames(root)
    slots: list[_Record | str] = []
    scanned: list[Path] = []
    for file in discovered:
        path = _relative_posix(file, root)
        record = records.get(path)
        if record is None or path not in unchanged or record[1] != names.of(os.fspath(file)):
            scanned.append(file)
            slots.append(path)
        else:
            slots.append(record)
    with timing.phase("scan"):
        fresh = scan_files(
            scanned,
            root,
            default_style=config.style,
            max_file_size=config.max_file_size,
            cache=cache,
        )
    by_path = {m.path: m for m in fresh.modules}
    fresh_diagnostics = _per_file(fresh)
    entries: list[Module | ModuleRef] = []
    diagnostics: list[Diagnostic] = []
    unread: list[Module] = []
    for slot in slots:
        if isinstance(slot, str):
            diagnostics.extend(fresh_diagnostics.get(slot, ()))
            module = by_path.get(slot)
            if module is not None:
                entries.append(module)
                if module.bindings.unread_getattr:
                    unread.append(module)
            continue
        path, name, content, qualnames, line, found = slot
        diagnostics.extend(found)
        entries.append(ModuleRef(path, name, content, qualnames))
        if line:
            unread.append(Module(path, name, (), content, replace(Bindings(), unread_getattr=line)))
    if unread:
        diagnostics.append(_unread_diagnostic(unread))
    loader = _Loader(root, config, cache)
    project = PartialProject(str(root), entries, loader.load, tuple(diagnostics))
    return HeadSide(project, Project(str(root), tuple(fresh.modules)), files=files)


def _unread_diagnostic(modules: list[Module]) -> Diagnostic:
    """The one diagnostic a full scan adds for modules whose ``__getattr__`` is unread."""
    return _unread_getattr(modules)  # the scan's own wording, on the modules in scan order


def _per_file(project: Project) -> dict[str, list[Diagnostic]]:
    """A scan's diagnostics by file, without the one about unread ``__getattr__``."""
    found = list(project.diagnostics)
    if any(m.bindings.unread_getattr for m in project.modules):
        found.pop()  # added last, for all files at once (see scan.project._assemble)
    grouped: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in found:
        grouped[diagnostic.path].append(diagnostic)
    return grouped


class _Loader:
    """Reads a module of the head index in full: from the scan cache, else from disk."""

    def __init__(self, root: Path, config: Config, cache: ScanCache) -> None:
        self._root = root
        self._config = config
        self._cache = cache

    def load(self, ref: ModuleRef) -> Module:
        result = self._cache.lookup_hash(ref.content_hash, ref.path, ref.module_name)
        if result is None:
            limit = self._config.max_file_size
            source = read_source(self._root / ref.path, limit, rel_path=ref.path, root=self._root)
            if isinstance(source, Diagnostic):
                raise StaleModule(ref.path)
            if hashlib.sha256(source).hexdigest() != ref.content_hash:
                raise StaleModule(ref.path)  # edited behind git's back (a racy stat)
            style = self._config.style
            result = scan_source(source, ref.path, ref.module_name, default_style=style)
            self._cache.store(self._cache.key(source, ref.path, ref.module_name), result)
        if result.module is None:
            raise StaleModule(ref.path)
        return result.module


def _read_index(where: Path) -> dict[str, _Record] | None:
    blob = read_entry(where)
    if blob is None:
        return None
    value = decode_value(blob, _INDEX)
    if not isinstance(value, tuple):
        return None
    return {record[0]: record for record in value}


def _references_path(where: Path) -> Path:
    return where.with_name(where.stem + "-references.entry")


def _read_references(where: Path) -> References | None:
    blob = read_entry(where)
    value = decode_value(blob, _REFERENCES) if blob is not None else None
    if not isinstance(value, tuple):
        return None
    words = {path: frozenset(said) for path, said, _ in value}
    members = {path: members for path, _, members in value}
    return References(words, members)


def _write_index(
    cache: ScanCache, where: Path, project: Project, unchanged: frozenset[str]
) -> None:
    """Keep the head index of a whole head scan: the modules the base commit holds.

    Two entries: the records (read by every later run against the base commit), and
    the reverse-reference index (read only by a change that removes or renames a
    name): the words of each module's docstrings.
    """
    if len(project.modules) > _MAX_RECORDS:
        return
    modules = [m for m in project.modules if m.path in unchanged]
    diagnostics = _per_file(project)
    records = tuple(_records(modules, diagnostics))
    said = tuple(_mentions(m) for m in modules)
    if write_entry(cache.directory, _references_path(where), encode_value(said)):
        write_entry(cache.directory, where, encode_value(records))
        _prune(cache.directory / HEAD_INDEX_DIR)


KEPT_INDEXES = 16
"""How many head indexes (base commits) are kept; the oldest written go first."""


def _prune(directory: Path) -> None:
    """Delete all but the :data:`KEPT_INDEXES` most recently written head indexes."""
    try:
        entries = [p for p in directory.glob("*/*.entry") if p.is_file() and not p.is_symlink()]
        entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for entry in entries[2 * KEPT_INDEXES :]:  # two files per index
        with contextlib.suppress(OSError):
            entry.unlink()


_WORD = re.compile(r"\w+")  # the words references.mentions_any looks names up by


def _mentions(module: Module) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A module's docstring words, and its members' qualified names.

    Every word: a later change may remove any name of the base, also one defined in
    a file this run did not read.
    """
    words: set[str] = set()
    for symbol in module.symbols:
        if symbol.docstring is not None:
            words.update(_WORD.findall(symbol.docstring.text))
    members = tuple(s.qualname for s in module.symbols if s.kind in _MEMBERS)
    return module.path, tuple(sorted(words)), members


_MEMBERS = (SymbolKind.METHOD, SymbolKind.PROPERTY)


def _records(
    modules: Iterable[Module], diagnostics: dict[str, list[Diagnostic]]
) -> Iterable[_Record]:
    for module in modules:  # unchanged ones: their bytes are the base commit's
        yield (
            module.path,
            module.qualname,
            module.content_hash,
            tuple(s.qualname for s in module.symbols),
            module.bindings.unread_getattr,
            tuple(diagnostics.get(module.path, ())),
        )
