"""A misspelt ref's "did you mean": the closest branch, remote branch or tag."""

from __future__ import annotations

import git

from docsync.config import closest

__all__ = ["closest_ref"]

MAX_REF_NAMES = 10_000
"""A misspelling is looked for among this many refs at most."""


def closest_ref(repo: git.Repo, ref: str) -> str | None:
    """The existing ref closest to a ref that does not exist.

    Args:
        repo: The repository.
        ref: The ref as written (``origin/mian``).

    Returns:
        The closest local branch, remote branch or tag (``origin/main``), or ``None``
        when none is close.
    """
    try:
        out = repo.git.for_each_ref(
            f"--count={MAX_REF_NAMES}",
            "--format=%(refname:short)",
            "refs/heads",
            "refs/remotes",
            "refs/tags",
        )
    except git.GitCommandError:
        return None
    names = [name for name in out.splitlines() if name and not name.endswith("/HEAD")]
    close = closest(ref, names)
    return close[0] if close else None
