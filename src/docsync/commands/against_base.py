"""Base mode: report only what a change introduced or touched (the pull-request view).

``docsync check --base REF`` runs the rules on the head as usual, then keeps:

* the rule findings on symbols the change added, or whose signature or docstring
  it changed (:func:`select_for_change`), except the parameter and return
  findings that DS501 reports in one place;
* DS504 ``new-api-undocumented`` on the public API the change added
  (:func:`new_api_findings`, see :mod:`docsync.rules.coverage`);
* the change findings (:func:`change_findings`): DS501 ``stale-after-change``,
  DS502 ``review-body-changed`` (see :mod:`docsync.rules.staleness`) and DS601
  ``broken-reference`` (see :mod:`docsync.rules.references`), the last one in
  any docstring of the repository, also in files the change did not touch.

Either way, a finding is reported only when the change introduced it: the same
rules run on the base side (:func:`base_view`), and a head finding whose
fingerprint the base already had is older drift the change merely touched
(:func:`introduced`); the whole-tree ``check`` still shows it.
:func:`check_change` runs the whole of it for the CLI.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from docsync import timings as timing
from docsync.changes.changeset import ChangeSet, Sides, compare, resolve_sides
from docsync.changes.diff import ChangeKind, SymbolChange
from docsync.changes.revisions import Revision, WorkingTree
from docsync.commands.base_head import HeadSide, scan_head
from docsync.commands.base_rules import base_findings
from docsync.commands.base_scope import in_scope, namespace_of, referrers, scope_of
from docsync.config import Config
from docsync.models import Diagnostic, Finding, Project, Severity, Symbol, SymbolKind
from docsync.paths import is_inside, read_regular
from docsync.rules import coverage, param_changes, references, staleness
from docsync.rules.params import MISSING_PARAMS_SECTION, PARAM_TYPE_MISMATCH
from docsync.rules.references import Gone, Scope
from docsync.rules.returns import RETURN_TYPE_MISMATCH
from docsync.rules.site import check_pages
from docsync.rules.types import parse_type
from docsync.scan.cache import CACHE_DIR_NAME, prepare_cache_dir
from docsync.scan.docs import link_targets, load_docs
from docsync.scan.files import decode_source, scope_filter
from docsync.scan.index import Namespace, import_table
from docsync.scan.lazy_project import PartialProject, StaleModule, module_paths, modules_at
from docsync.scan.pages import load_site
from docsync.scan.project import scan_working_tree
from docsync.scan.python import scan_source

__all__ = [
    "ChangeReport",
    "base_page_prints",
    "base_view",
    "broken_references",
    "change_findings",
    "check_change",
    "introduced",
    "new_api_findings",
    "scan_revision",
    "scope_of",
    "select_for_change",
]

_TOUCHED = (ChangeKind.ADDED, ChangeKind.SIGNATURE_CHANGED, ChangeKind.DOCSTRING_CHANGED)


@dataclass(frozen=True)
class ChangeReport:
    """What base mode found, with the change and both sides it was judged on.

    ``rule_findings`` are the rule findings on the symbols of the changed files (the
    only ones base mode can report: see :func:`~docsync.commands.base_scope.scope_of`),
    before base mode kept those the change is answerable for (what DS501 folds, what
    ``fix`` fixes for it).  ``head`` may load its modules on demand
    (:mod:`docsync.commands.base_head`).
    ``coverage`` counts the public API the change added, and how much of it is
    documented (see :mod:`docsync.rules.coverage`).
    """

    findings: tuple[Finding, ...]
    changes: ChangeSet
    head: Project
    base: Project
    rule_findings: tuple[Finding, ...] = ()
    coverage: coverage.Coverage = field(default_factory=coverage.Coverage)


def check_change(
    config: Config,
    base: str,
    *,
    detect: Callable[[Project], list[Finding]],
    head: str | None = None,
    staged: bool = False,
) -> ChangeReport:  # docsync: ignore[DS301]  (callees raise)
    """Run base mode: scan the head, run the rules, keep what the change is answerable for.

    Args:
        config: the run's configuration.
        base: the base ref (``origin/main``); compared from its merge base with the head.
        detect: runs the rules on a project, with select/ignore and severities
            applied (the pipeline's detection), so DS501 folds only selected findings.
        head: the head ref; ``None`` for the working tree (or the index with ``staged``).
        staged: judge what is staged (a pre-commit hook's view).

    Returns:
        The findings (sorted by path, line and code), the change set and both sides.
        Select/ignore and severity overrides for DS5xx/DS6xx are the caller's to apply.

    Raises:
        GitError: a ref cannot be resolved, the base is missing from a shallow clone,
            or the project is not in a git repository.
        ConfigError: ``head`` and ``staged`` were both given.
    """
    with timing.phase("git/base"):
        sides = resolve_sides(config.root, base, head, staged)
    try:
        return _check_sides(sides, config, detect)
    finally:
        sides.repo.close()


def _check_sides(
    sides: Sides, config: Config, detect: Callable[[Project], list[Finding]]
) -> ChangeReport:
    if isinstance(sides.head, WorkingTree):
        head = scan_head(config, sides)
        try:
            return _judge(sides, config, detect, head)
        except StaleModule:  # a file changed under the run: judge the whole scan instead
            full = scan_working_tree(replace(config, root=sides.root))
            return _judge(sides, config, detect, HeadSide(full, full))
    head_project = scan_revision(sides.head, config)
    return _judge(sides, config, detect, HeadSide(head_project, head_project))


def _judge(
    sides: Sides,
    config: Config,
    detect: Callable[[Project], list[Finding]],
    head: HeadSide,
) -> ChangeReport:
    """Base mode on one head side: the rules on what the change can affect, then selection."""
    head_project = head.project
    with timing.phase("git/base"):
        changes, base_project = compare(sides, config, head.changed, head.base, files=head.files)
    with timing.phase("rules"):
        rule_findings = detect(in_scope(head_project, changes))
        base_side = base_view(head_project, base_project, changes)
        new = introduced(rule_findings, base_findings(rule_findings, base_side, config))
        findings = select_for_change(new, changes, head_project)
        adds = any(c.has(ChangeKind.ADDED) for c in changes.symbols)
        added = coverage.new_public_symbols(changes, head_project) if adds else []
        findings += change_findings(
            changes,
            head_project,
            base_project,
            findings=new,
            read_head=sides.head.read,
            check_tests=config.check_tests,
        )
        findings += new_api_findings(added, head_project, new) if added else []
    findings.sort(key=lambda f: (f.location.path, f.location.line, f.code, f.fingerprint))
    return ChangeReport(
        tuple(findings),
        changes,
        head_project,
        base_project,
        tuple(rule_findings),
        coverage.coverage_of(added, head_project) if added else coverage.Coverage(),
    )


def new_api_findings(
    added: Iterable[Symbol], head: Project, findings: Iterable[Finding] = ()
) -> list[Finding]:
    """DS504 for the new public API without documentation (see :mod:`docsync.rules.coverage`).

    Args:
        added: the new public symbols.
        head: the head project.
        findings: the rule findings at the head: a missing parameter section DS106
            reports is not reported again.

    Returns:
        The findings.
    """
    sections = frozenset(f.symbol for f in findings if f.code == MISSING_PARAMS_SECTION.code)
    return coverage.new_api_findings(added, head, params_reported=sections)


def base_view(head: Project, base: Project, changes: ChangeSet) -> Project:
    """The whole project as it was at the base, without scanning it again.

    The files the change did not touch are the same on both sides, so they are taken
    from the head; the changed ones (and their packages' ``__init__``) from the base
    side that :func:`docsync.changes.changeset.compare` scanned.  The rules then see
    each base symbol with the context it had (its class, its ``__init__``, its bases).

    Args:
        head: the head project.
        base: the base side's changed modules.
        changes: the change set.

    Returns:
        The base project, rooted where the head is.
    """
    changed = changes.changed_paths
    scanned = {m.path for m in base.modules}
    if isinstance(head, PartialProject):
        return head.replaced(base.modules, hidden=changed | scanned)
    kept = [m for m in head.modules if m.path not in changed and m.path not in scanned]
    modules = sorted([*kept, *base.modules], key=lambda m: m.path)
    return Project(head.root, tuple(modules))


def introduced(head: Iterable[Finding], base: Iterable[Finding]) -> list[Finding]:
    """The head's findings that the change introduced.

    By fingerprint: the rule, the symbol and the documentation text involved (never
    a line number or a rendered signature), so drift the docstring already had is
    recognised however the code around it moved or was respelt (``Optional[X]`` to
    ``X | None``, a sentinel default): it is older than the change, not made by it.
    One exception: a documented type that contradicted the annotation at the base
    and still contradicts an annotation the change really altered (``int`` to
    ``bytes``, not ``Optional[int]`` to ``int | None``) is about what the change did.

    Args:
        head: the rule findings at the head.
        base: the rule findings at the base (see :func:`base_view`).

    Returns:
        The head findings the change introduced, in their order.
    """
    known = {f.fingerprint: f for f in base}
    return [f for f in head if f.fingerprint not in known or _type_altered(known[f.fingerprint], f)]


_TYPE_CODES = frozenset({PARAM_TYPE_MISMATCH.code, RETURN_TYPE_MISMATCH.code})


def _type_altered(before: Finding, after: Finding) -> bool:
    """Whether a type finding's annotation changed in meaning between the sides."""
    if after.code not in _TYPE_CODES:
        return False
    old, new = before.evidence.actual, after.evidence.actual
    if old == new or old is None or new is None:
        return False
    parsed_old, parsed_new = parse_type(old), parse_type(new)
    return parsed_old is not None and parsed_new is not None and parsed_old != parsed_new


def base_page_prints(
    config: Config,
    report: ChangeReport,
    base: str,
    *,
    head: str | None = None,
    staged: bool = False,
) -> frozenset[str]:  # docsync: ignore[DS301]  (callees raise)
    """The fingerprints of the page findings the base already had.

    The base side's site config file and docs directory are written to a temporary
    directory and the page rules run on them against the base project
    (:func:`base_view`) and the base's files (which link targets exist), without
    the change (so no review prompts): a head page
    finding with one of these fingerprints is older than the change.  A reference
    the change broke resolved at the base, so it is not among them.

    Args:
        config: the run's configuration (where the site is).
        report: base mode's report on the code.
        base: the base ref, as given to :func:`check_change`.
        head: the head ref, as given to :func:`check_change`.
        staged: as given to :func:`check_change`.

    Returns:
        The fingerprints; empty when the project has no site.
    """
    site = load_site(config.root, config.docs_dir, config.site_config)
    wanted = [site.docs_dir]
    if site.config_path is not None:
        wanted.append(site.config_path)
    prefixes = [Path(p).resolve().relative_to(config.root.resolve()).as_posix() for p in wanted]
    sides = resolve_sides(config.root, base, head, staged)
    try:
        with _scratch_dir(config.root) as tmp:
            if tmp is None:
                return frozenset()  # no place inside the repository: old findings stay
            root = Path(tmp)
            written = 0
            for path in sides.base.paths:
                if not any(path == p or path.startswith(p + "/") for p in prefixes):
                    continue
                data = sides.base.read(path)
                target = root / path
                if data is None or ".." in Path(path).parts or len(data) > config.max_file_size:
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                written += 1
            if not written:
                return frozenset()
            named = config.site_config  # the base side may not have it yet
            named = named if named and (root / named).is_file() else None
            docs = load_docs(root, config.docs_dir, named)
            # Only the site is written here: which link targets exist comes from the base.
            present = _with_folders(sides.base.paths)
            existing = frozenset(t for t in link_targets(docs.pages) if t in present)
            docs = replace(docs, existing=existing)
            project = replace(base_view(report.head, report.base, report.changes), root=tmp)
            return frozenset(f.fingerprint for f in check_pages(project, docs).findings)
    finally:
        sides.repo.close()


def _with_folders(paths: Iterable[str]) -> frozenset[str]:
    """Root-relative file paths and every folder that holds one."""
    found: set[str] = set()
    for path in paths:
        found.add(path)
        found.update(p.as_posix() for p in PurePosixPath(path).parents if p.parts)
    return frozenset(found)


@contextlib.contextmanager
def _scratch_dir(root: Path) -> Iterator[str | None]:
    """A temporary directory inside the repository's cache directory, removed after use.

    docsync writes nowhere outside the repository: the base side's site is written
    under ``.docsync-cache/`` (created for the run when missing, with the markers of
    :func:`~docsync.scan.cache.prepare_cache_dir`, and removed again).  Yields ``None`` when
    that directory resolves outside the repository (a symlink).
    """
    cache = root / CACHE_DIR_NAME
    created = not cache.exists()
    if created:
        prepare_cache_dir(cache)
    try:
        if not cache.is_dir() or not is_inside(root, cache):
            yield None
            return
        with tempfile.TemporaryDirectory(prefix="base-site-", dir=cache) as tmp:
            yield tmp
    finally:
        if created:
            shutil.rmtree(cache, ignore_errors=True)


def scan_revision(revision: Revision, config: Config) -> Project:
    """Scan every Python file of ``revision`` in the configured paths.

    Use it for a head that is not the working tree (a ref, the index); the working
    tree is scanned from disk by :func:`docsync.scan.project.scan_project`.

    Args:
        revision: the side to scan.
        config: the run's configuration.

    Returns:
        The project at that revision.
    """
    in_scope = scope_filter(config)
    modules, diagnostics = [], []
    for path in revision.paths:
        if not in_scope(path):
            continue
        source = revision.read(path)
        if source is None:
            continue
        if len(source) > config.max_file_size:
            message = f"skipped: larger than max-file-size ({config.max_file_size} bytes)"
            diagnostics.append(Diagnostic(path, 1, message, Severity.INFO))
            continue
        result = scan_source(source, path, revision.module_name(path), default_style=config.style)
        diagnostics.extend(result.diagnostics)
        if result.module is not None:
            modules.append(result.module)
    return Project(str(revision.root), tuple(modules), tuple(diagnostics))


def select_for_change(
    findings: list[Finding], changes: ChangeSet, project: Project
) -> list[Finding]:
    """The rule findings the change is answerable for.

    A finding on a code symbol is kept when the change added the symbol or changed
    its signature or docstring, unless DS501 reports it (a parameter or return
    finding on a symbol whose signature changed under an untouched docstring).  A
    finding on something else (a page) is kept when the change touched its file.

    Args:
        findings: the rule findings at the head.
        changes: the change set.
        project: the head project the findings are about.

    Returns:
        The kept findings, in their original order.
    """
    kept = []
    for finding in findings:
        if project.get(finding.symbol) is None:
            if finding.location.path in changes.changed_paths:
                kept.append(finding)
            continue
        change = changes.for_head(finding.symbol)
        if change is None or not change.has(*_TOUCHED):
            continue
        if not staleness.folds_into_stale(finding, change):
            kept.append(finding)
    return kept


def change_findings(
    changes: ChangeSet,
    head: Project,
    base: Project,
    *,
    findings: Iterable[Finding] = (),
    read_head: Callable[[str], bytes | None] | None = None,
    check_tests: bool = False,
) -> list[Finding]:
    """The findings only a change can produce: DS501, DS502, DS503 and DS601.

    Args:
        changes: the change set.
        head: the head project (all of it: references are looked for everywhere).
        base: the base project from :func:`docsync.changes.changeset.compute_changes`.
        findings: the rule findings at the head; DS501 folds the ones
            :func:`select_for_change` leaves out.  Without them there is no DS501.
        read_head: reads a root-relative file at the head (default: from disk
            under ``head.root``), to place references on their lines.
        check_tests: review test modules' code changes (DS502) like API.

    Returns:
        The change findings, in change-set order, then references in file order.
    """
    by_symbol: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_symbol[finding.symbol].append(finding)
    out: list[Finding] = []
    modules = modules_at(head, {c.new.location.path for c in changes.symbols if c.new})
    for change in changes.symbols:
        if change.new is None or change.new_qualname is None:
            continue
        mine = by_symbol[change.new_qualname]
        folded = [f for f in mine if staleness.folds_into_stale(f, change)]
        stale = staleness.stale_after_change(change, folded)
        review = (
            staleness.review_body_changed(change, check_tests=check_tests)
            if stale is None
            else None
        )
        out.extend(f for f in (stale, review) if f is not None)
        module = modules.get(change.new.location.path)
        section = any(f.code == "DS106" for f in mine)
        out.extend(param_changes.changed_params(change, module, section_reported=section))
    reader = read_head if read_head is not None else _disk_reader(Path(head.root))
    out.extend(broken_references(changes, head, base, reader))
    return out


def _disk_reader(root: Path) -> Callable[[str], bytes | None]:
    def read(path: str) -> bytes | None:
        try:
            return read_regular(root / path, root=root)
        except OSError:
            return None

    return read


# --- DS601: references the change broke ------------------------------------------------


class _Lines:
    """Head-side source lines, read once per file, only when needed."""

    def __init__(self, read: Callable[[str], bytes | None]) -> None:
        self._read = read
        self._lines: dict[str, list[str]] = {}

    def of(self, path: str) -> list[str]:
        if path not in self._lines:
            source = self._read(path)
            text = decode_source(source, path) if source is not None else ""
            self._lines[path] = text.splitlines() if isinstance(text, str) else []
        return self._lines[path]


def broken_references(
    changes: ChangeSet, head: Project, base: Project, read_head: Callable[[str], bytes | None]
) -> list[Finding]:
    """DS601 for every docstring reference the change broke, anywhere at the head.

    Args:
        changes: the change set.
        head: the head project.
        base: the base project (changed modules and their packages' ``__init__``).
        read_head: reads a root-relative file at the head.

    Returns:
        One finding per broken reference, on the docstring line that holds it.
    """
    gone = {
        name: Gone(name, change.new_qualname, change.has(ChangeKind.MOVED))
        for name, change in changes.gone().items()
        if not _maybe_inherited(change, head)
    }
    if not gone:
        return []
    last_names = {name.rpartition(".")[2] for name in gone}
    mentions = references.mentions_any(last_names)
    lines = _Lines(read_head)
    head_ns = _head_namespace(head, changes)
    base_ns = _base_namespace(head, base, changes)
    found = []
    for module in referrers(head, frozenset(last_names)):
        for symbol in module.symbols:
            doc = symbol.docstring
            if (
                doc is None
                or not mentions(doc.text)
                or symbol.is_suppressed(references.BROKEN_REFERENCE.code)
            ):
                continue
            first = references.text_start_line(doc, lines.of(module.path))
            params = frozenset(p.name for p in symbol.signature.params) if symbol.signature else ()
            imports = import_table(module)
            scope = Scope(symbol.qualname, module.qualname, imports, frozenset(params))
            for ref in references.find_references(doc, first):
                if ref.target.rpartition(".")[2] not in last_names:
                    continue
                broken = references.judge_reference(ref, scope, base_ns, head_ns, gone)
                if broken is not None:
                    finding = references.broken_reference_finding(
                        broken, symbol.qualname, doc.location.path
                    )
                    found.append(finding)
    return found


def _maybe_inherited(change: SymbolChange, head: Project) -> bool:
    """Whether a method removed from a class that has bases may still resolve through them."""
    old = change.old
    if old is None or not change.has(ChangeKind.REMOVED):
        return False
    if old.kind not in (SymbolKind.METHOD, SymbolKind.PROPERTY):
        return False
    owner = head.get(old.qualname.rpartition(".")[0])
    if owner is None or owner.kind is not SymbolKind.CLASS:
        return False
    return any(base != "object" for base in owner.bases)


def _head_namespace(head: Project, changes: ChangeSet) -> Namespace:
    changed = changes.changed_paths
    paths = [p for p in module_paths(head) if p in changed or p.endswith("__init__.py")]
    bound = modules_at(head, paths)
    return namespace_of(head, [bound[p] for p in paths if p in bound])


def _base_namespace(head: Project, base: Project, changes: ChangeSet) -> Namespace:
    changed = changes.changed_paths
    paths = [p for p in module_paths(head) if p not in changed and p.endswith("__init__.py")]
    inits = modules_at(head, paths)
    bound = [*(inits[p] for p in paths if p in inits), *base.modules]
    return namespace_of(base_view(head, base, changes), bound)
