"""The configuration of one command-line run: pyproject.toml, then the flags.

The command line (:mod:`docsync.cli`) imports this when a command runs, never at
start-up, so ``docsync check --help`` pays for none of it.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from docsync.commands.check import docs_dir_of, rule_code_problems
from docsync.commands.targets import covers, split_paths
from docsync.config import COMMAND_LINE, Config, apply_settings, find_project_root, load_config
from docsync.errors import ConfigError, SourceError

__all__ = ["config_for_run"]


def config_for_run(
    paths: tuple[str, ...], config_file: str | None, flags: dict[str, Any]
) -> Config:
    """Merge pyproject.toml settings and command-line flags.

    Args:
        paths: paths given on the command line (relative to the current directory).
        config_file: an explicit pyproject.toml from ``--config``.
        flags: flag values keyed as in ``[tool.docsync]``; ``None`` means not given.

    Returns:
        The configuration for this run.
    """
    cwd = Path.cwd()
    problems: list[str] = []  # every configuration error of the run, reported at once
    if config_file:
        explicit = Path(config_file).resolve()
        root = explicit.parent
        config = load_config(root, explicit, problems=problems)
    else:
        root = find_project_root(cwd)
        config = load_config(root, problems=problems)
    report_paths: tuple[str, ...] = ()
    if paths:
        resolved = [(cwd / p).resolve() for p in paths]
        site = {k: flags.get(k) for k in ("docs-dir", "site-config")}
        with_docs = apply_settings(config, site, origin=COMMAND_LINE, problems=[])
        docs = docs_dir_of(with_docs).resolve()
        targets = split_paths(resolved, docs)
        flags = dict(flags)
        if targets.pages:
            # Pages resolve their names against the whole project: scan the configured
            # paths, report only what was named.
            for page in targets.pages:
                if not page.exists():
                    raise SourceError(f"path not found: {page} (pass existing paths)")
            report_paths = tuple(os.path.relpath(p, root).replace(os.sep, "/") for p in resolved)
            if flags.get("pages") is None:
                flags["pages"] = True
        else:
            flags["paths"] = [str(p) for p in resolved]
            if flags.get("pages") is None:
                # Like ruff, explicit paths narrow the run: pages are checked only when a
                # path given covers the docs directory.
                flags["pages"] = any(covers(p, docs) for p in resolved)
    config = apply_settings(config, flags, origin=COMMAND_LINE, problems=problems)
    problems.extend(rule_code_problems(config))
    if problems:
        raise ConfigError.of(problems)
    return replace(config, report_paths=report_paths) if report_paths else config
