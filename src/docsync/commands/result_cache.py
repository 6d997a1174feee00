"""The check's result cache: an unchanged tree answered from one cache read.

``docsync check`` (without ``--base`` or ``--run-examples``) looks here first.  The
entry's key digests every input of the check (:mod:`docsync.scan.inputs`): the
Python files (paths, module names, bytes), the MkDocs site and its docs directory,
the baseline file, the whole configuration, docsync's code (every module: a rule
edited in a checkout is a different key) and the Python version.  The link targets
the pages name are recorded with the result, existing or not, and looked at again
on a hit.  When all agree the stored findings are the findings, exactly: nothing
is scanned or judged.  Anything else is a miss, and the check runs as it would
without this cache (the scan cache still spares the scan of unchanged files), then
stores its result.

There is one entry per configuration and docsync version (``results/<slot>.pickle``
under ``.docsync-cache``), so the cache does not grow with every edit; an entry not
rewritten for :data:`~docsync.scan.cache.PRUNE_AFTER_DAYS` days is deleted.  Entries are
written whole and read like the scan cache's (:mod:`docsync.scan.codec`): only
docsync's data classes are built, checked against their types; a damaged entry is
a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from docsync import timings as timing
from docsync.commands.baseline import baseline_path
from docsync.config import Config
from docsync.models import Diagnostic, Finding
from docsync.scan.cache import PRUNE_AFTER_DAYS, package_stamp, read_entry, write_entry
from docsync.scan.codec import decode_value, encode_value
from docsync.scan.files import discover_python_files
from docsync.scan.inputs import file_digest, python_inputs, site_inputs, targets_unchanged
from docsync.scan.pages import load_site
from docsync.scan.project import cache_dir

if TYPE_CHECKING:
    from docsync.commands.check import BaseOptions, CheckResult
    from docsync.deliver.report import FindingKey, FixBy

    Fixes = Callable[[CheckResult], Mapping[FindingKey, FixBy]]

__all__ = ["CheckSummary", "check_summary", "input_key"]

_RESULTS = "results"

# What an entry holds: the input key, the findings, the review prompts, the
# diagnostics, the number of files scanned, the number baselined, the link targets
# of the pages with whether each existed, the number of pages checked, and who can
# fix each finding (its key, then "mechanical" or "llm").
_Entry = tuple[
    str,
    tuple[Finding, ...],
    tuple[Finding, ...],
    tuple[Diagnostic, ...],
    int,
    int,
    tuple[tuple[str, bool], ...],
    int,
    tuple[tuple[str, str, str, int, str], ...],
]


@dataclass(frozen=True)
class CheckSummary:
    """What a check reports: its findings, review prompts, diagnostics and counts.

    ``cached`` says the result came from the result cache (nothing was scanned).
    """

    findings: tuple[Finding, ...]
    reviews: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    files_scanned: int
    baselined: int = 0
    cached: bool = False
    notes: tuple[str, ...] = ()
    pages_checked: int = 0
    fixes: Mapping[FindingKey, FixBy] = field(default_factory=dict)

    @property
    def checked_nothing(self) -> bool:
        """Whether the run judged no Python file and no page at all."""
        return not self.files_scanned and not self.pages_checked

    @classmethod
    def of(
        cls, result: CheckResult, fixes: Mapping[FindingKey, FixBy] | None = None
    ) -> CheckSummary:
        """The summary of a check that ran.

        Args:
            result: The check's result.
            fixes: Who can fix each finding (:func:`docsync.commands.fix.fixable`).

        Returns:
            Its findings, review prompts, diagnostics and counts.
        """
        return cls(
            result.findings,
            result.reviews,
            result.diagnostics,
            result.files_scanned,
            result.baselined,
            notes=result.notes,
            pages_checked=result.pages_checked,
            fixes=dict(fixes or {}),
        )

    def failed(self, config: Config) -> bool:
        """Whether any finding is at or above the configured ``fail-on`` level."""
        return any(config.fails(f) for f in self.findings)


def check_summary(
    config: Config,
    *,
    progress: Callable[[int, int], None] | None = None,
    run_examples: bool = False,
    change: BaseOptions | None = None,
    fixes: Fixes | None = None,
) -> CheckSummary:
    """Run the check, or answer it from the result cache when no input changed.

    Base mode (``change``), ``--run-examples`` (sessions run code whose outcome is
    not a function of the files) and ``cache = false`` always run the check.

    Args:
        config: The merged configuration.
        progress: Called with (files done, files in all) as a scan advances.
        run_examples: Also run the pages' ``>>>`` sessions.
        change: Base mode's options.
        fixes: Who can fix each finding of a check that ran (stored with it, since a
            hit has no project to ask).

    Returns:
        The check's findings, review prompts, diagnostics and counts.
    """
    directory = cache_dir(config)
    key = None
    entry_path = Path()
    # Provenance (``since``) depends on git history, which the key does not cover.
    if change is None and not run_examples and not config.since and directory is not None:
        with timing.phase("result cache"):
            key = input_key(config)
            entry_path = directory / _RESULTS / f"{_slot(config)}.pickle"
            hit = _lookup(config, entry_path, key) if key is not None else None
        if hit is not None:
            return hit
    # A check that runs needs the pipeline (rules, index, page parser); a hit needs none
    # of it, so it is loaded here, not at the top (start-up of a warm run, issue 19).
    from docsync.commands.check import run_check

    result = run_check(config, progress=progress, run_examples=run_examples, change=change)
    fixed_by = fixes(result) if fixes is not None and result.findings else {}
    if key is not None and directory is not None:
        _store(directory, entry_path, key, result, fixed_by)
    return CheckSummary.of(result, fixed_by)


def input_key(config: Config) -> str | None:
    """The digest of every input of a check of the working tree with ``config``.

    Args:
        config: The merged configuration.

    Returns:
        64 hex digits; ``None`` when the inputs are too many to digest (no caching).

    Raises:
        SourceError: A configured path does not exist or lies outside the root.
        GitError: ``git ls-files`` failed inside a git work tree.
        ConfigError: ``mkdocs.yml`` is broken, or the baseline is outside the root.
    """
    root = Path(os.path.normpath(config.root.absolute()))
    files = discover_python_files([config.at_root(p) for p in config.paths], root, config.exclude)
    parts = [python_inputs(root, files)]
    if config.pages:
        site = site_inputs(load_site(config.root, config.docs_dir, config.site_config))
        if site is None:
            return None
        parts.append(site)
    parts.append(file_digest(baseline_path(config), root))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _slot(config: Config) -> str:
    """The entry's name: one per configuration, docsync code and Python version."""
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    text = "\0".join((package_stamp(), python, repr(config)))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _lookup(config: Config, path: Path, key: str) -> CheckSummary | None:
    blob = read_entry(path)
    entry = cast("_Entry | None", decode_value(blob, _Entry) if blob is not None else None)
    if entry is None or entry[0] != key or not targets_unchanged(config.root, entry[6]):
        return None
    _, findings, reviews, diagnostics, files, baselined, _, pages, fixed = entry
    from docsync.deliver.report import FixBy  # with the renderers the run loads anyway

    fixes = {(code, mark, path, line): FixBy(by) for code, mark, path, line, by in fixed}
    return CheckSummary(
        findings,
        reviews,
        diagnostics,
        files,
        baselined,
        cached=True,
        pages_checked=pages,
        fixes=fixes,
    )


def _store(
    directory: Path,
    path: Path,
    key: str,
    result: CheckResult,
    fixes: Mapping[FindingKey, FixBy],
) -> None:
    from docsync.scan.docs import link_targets  # loaded already by the check that ran

    targets: tuple[tuple[str, bool], ...] = ()
    if result.pages is not None:
        existing = result.pages.docs.existing
        targets = tuple((t, t in existing) for t in sorted(set(link_targets(result.pages.pages))))
    entry: _Entry = (
        key,
        result.findings,
        result.reviews,
        result.diagnostics,
        result.files_scanned,
        result.baselined,
        targets,
        result.pages_checked,
        tuple((*k, by.value) for k, by in sorted(fixes.items())),
    )
    if write_entry(directory, path, encode_value(entry)):
        _prune(path.parent)


def _prune(results: Path) -> None:
    """Delete the entries of configurations (or docsync versions) unused for a while."""
    cutoff = time.time() - PRUNE_AFTER_DAYS * 24 * 3600
    with contextlib.suppress(OSError), os.scandir(results) as entries:
        for item in entries:
            with contextlib.suppress(OSError):
                if item.is_file(follow_symlinks=False) and item.stat().st_mtime < cutoff:
                    Path(item.path).unlink()
