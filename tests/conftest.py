"""Fixtures shared by the test modules: git repositories, the fake GitHub, the fake Messages API.

Plain helper functions live in ``helpers_*.py`` and are imported; fixtures live here
only, so no test module imports a fixture from another.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from docsync.scan.cache import CACHE_DIR_NAME
from fake_anthropic import FakeAnthropic
from fake_github.scenario import Scenario, scenario
from helpers_git import GitRepo, new_repo
from helpers_github import MAIN

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


# --- the checkout stays as it was ------------------------------------------------------------


def _files_under(directory: Path) -> dict[str, int] | None:
    """Each file under ``directory`` with its modification time; ``None`` if it does not exist."""
    if not directory.exists():
        return None
    return {p.relative_to(directory).as_posix(): p.stat().st_mtime_ns for p in directory.rglob("*")}


@pytest.fixture(scope="session", autouse=True)
def _no_cache_in_the_checkout() -> Iterator[None]:
    """Fail the run if a test wrote docsync's scan cache into this repository.

    Tests run docsync in temp dirs (or with ``--no-cache``); a cache left in the checkout
    would also feed later runs of docsync on itself.  A cache that was there before the
    run (from ``docsync check`` in CI, say) must come out of it unchanged.
    """
    cache = REPOSITORY_ROOT / CACHE_DIR_NAME
    before = _files_under(cache)
    yield
    after = _files_under(cache)
    if after != before:
        written = sorted(set((after or {}).items()) - set((before or {}).items()))
        pytest.fail(
            f"the test run wrote docsync's cache into the repository ({cache}): "
            f"{[name for name, _ in written][:5]}; run docsync in tmp_path or with --no-cache",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _recursion_limit_restored() -> Iterator[None]:
    """Put back the recursion limit a test changed, so no later test depends on the order.

    It is process-wide, and an in-process ``mkdocs build`` with mkdocstrings raises it
    to 2000 and leaves it there; how deep a module the parsers take depends on it.
    """
    before = sys.getrecursionlimit()
    yield
    sys.setrecursionlimit(before)


# --- git ------------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """An empty git repository on ``main``, with the git environment pinned (see helpers_git)."""
    return new_repo(tmp_path, monkeypatch)


# --- the fake GitHub ------------------------------------------------------------------------


@pytest.fixture
def hub_files() -> dict[str, str]:
    """What ``octo/demo`` holds on ``main`` for the ``hub`` fixture; a module may override it."""
    return {"pkg/mod.py": MAIN, "pyproject.toml": ""}


@pytest.fixture
def hub(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hub_files: dict[str, str]
) -> Iterator[Scenario]:
    """A running fake GitHub with ``octo/demo`` holding ``hub_files``, and the user's clone."""
    with scenario(tmp_path, monkeypatch, hub_files) as made:
        yield made


# --- the fake Messages API ------------------------------------------------------------------


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    """The fake API, with the client pointed at it through the SDK's environment variables.

    The requests that broke the API's rules (recorded as ``problems``) fail the test.
    """
    server = FakeAnthropic().start()
    monkeypatch.setenv("ANTHROPIC_API_KEY", server.api_key)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    yield server
    server.stop()
    assert not server.problems, server.problems
