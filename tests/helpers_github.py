"""The fake GitHub's repository ``octo/demo``: what it holds, and how a pull request is made.

Shared by the delivery and Action tests; the ``hub`` fixture in ``conftest.py`` starts
the server with :data:`MAIN` on ``main`` (a module may override ``hub_files``).
"""

from __future__ import annotations

import re

from fake_github.scenario import Scenario

MAIN = '''\
"""A module."""


def fetch(url, timeout=3, retries=2):
    """Fetch a URL.

    Args:
        url: Where from.
        timeout: How long.
        retries: How often to retry.
    """
    return url


def load(path, mode="r", encoding=None):
    """Load a file.

    This function reads the whole file at ``path`` into memory and
    returns its text.  It is meant for small files: configuration,
    templates and the like.  Large files should be streamed instead,
    with the standard library's ``open``.

    Args:
        path: The file.
        mode: How to open it.
        encoding: Its encoding.
    """
    return path
'''

# The pull request reorders and drops parameters of fetch() (lines 4, 5 and 9 change, so
# the hunk covers the whole docstring) and drops load()'s ``mode``, whose entry (line 25)
# lies outside the hunk around the ``def`` line.
FEATURE = (
    MAIN.replace(
        'def fetch(url, timeout=3, retries=2):\n    """Fetch a URL.',
        'def fetch(timeout, url):\n    """Fetch a URL over HTTP.',
    )
    .replace("        timeout: How long.", "        timeout: How long, in seconds.")
    .replace('def load(path, mode="r", encoding=None):', "def load(path, encoding=None):")
)


def open_pull(hub: Scenario, text: str = FEATURE, branch: str = "feature") -> int:
    """Push ``text`` as ``pkg/mod.py`` on ``branch`` and open a pull request into ``main``."""
    hub.repo.git("checkout", "-q", "-b", branch)
    hub.repo.write("pkg/mod.py", text)
    hub.repo.commit("change the API")
    hub.push(branch)
    hub.repo.git("checkout", "-q", "main")
    pull = hub.client()._repo.create_pull(base="main", head=branch, title="API", body="")
    return int(pull.number)


# A module whose docstrings have drifted: a rename, a stale entry, a type, a missing entry.
DRIFTED = '''\
"""A module."""


def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        timeout (str): How long.
        url: Where from.
        retries: How often to retry.
    """
    return url


def missing(a, b):
    """Needs a person.

    Args:
        a: A.
    """
    return a + b
'''


def apply(text: str, comment: dict[str, object]) -> str:
    """Apply a posted suggestion the way GitHub's "Commit suggestion" button does."""
    lines = text.split("\n")
    body = str(comment["body"])
    found = re.search(r"(`{3,})suggestion\n(.*?)\1", body, re.S)
    assert found is not None
    new = found.group(2).split("\n")[:-1]
    end = int(str(comment["line"]))
    start = int(str(comment.get("start_line") or end))
    return "\n".join([*lines[: start - 1], *new, *lines[end:]])
