"""Start-up: ``import docsync.cli`` and ``docsync check --help`` load no heavy library.

GitPython, libcst, the Anthropic and GitHub clients, MkDocs, the Markdown parser and
rich are imported by the commands that use them, when they use them (issue 19): each
costs tens of milliseconds, and a pre-commit hook pays start-up on every commit.
Run in a fresh interpreter, since this test process has imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("git", "libcst", "anthropic", "github", "mkdocs", "markdown_it", "rich", "yaml")

# docsync's own pipeline: defining the commands and printing their help needs none of it.
PIPELINE = (
    "docsync.models",
    "docsync.config",
    "docsync.scan",
    "docsync.changes",
    "docsync.rules",
    "docsync.commands",
    "docsync.deliver",
)

_PROBE = """
import json, sys
{body}
print(json.dumps(sorted(sys.modules)), file=sys.__stderr__)
"""


def modules_loaded_by(body: str, cwd: Path | None = None) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(body=body)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )
    last = done.stderr.strip().splitlines()[-1]
    return set(json.loads(last))


def loaded_by(body: str) -> set[str]:
    return {name.split(".")[0] for name in modules_loaded_by(body)}


def _within(names: set[str], packages: tuple[str, ...]) -> set[str]:
    return {n for n in names if any(n == p or n.startswith(p + ".") for p in packages)}


@pytest.mark.parametrize(
    "body",
    [
        "import docsync.cli",
        (
            "from docsync.cli import main\n"
            "sys.argv = ['docsync', 'check', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass"
        ),
    ],
    ids=["import docsync.cli", "docsync check --help"],
)
def test_no_heavy_module_at_start_up(body: str) -> None:
    loaded = modules_loaded_by(body)
    assert _within(loaded, HEAVY) == set()
    assert _within(loaded, PIPELINE) == set()


# Standard-library modules click itself does not load, each a few milliseconds that
# `docsync check --help` (and every pre-commit run) would pay for nothing.
STDLIB_LATE = ("pathlib", "dataclasses", "secrets", "hashlib", "random", "urllib")


def test_the_command_line_loads_little_more_than_click() -> None:
    extra = loaded_by("import docsync.cli") - loaded_by("import click")
    assert extra & set(STDLIB_LATE) == set()
    assert "docsync" in extra  # the probe saw the import


def test_a_check_loads_no_examples_and_no_renderer_it_does_not_use(tmp_path: Path) -> None:
    # Rule examples are data for the tests and docs; a check never builds them.
    (tmp_path / "pyproject.toml").write_text("[tool.docsync]\n", encoding="utf-8")
    (tmp_path / "mod.py").write_text('def f(a):\n    """Do.\n\n    Args:\n        b: x.\n    """\n')
    body = (
        "from docsync.cli import main\n"
        "sys.argv = ['docsync', 'check', '--no-cache', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    loaded = modules_loaded_by(body, cwd=tmp_path)
    assert "docsync.rules.registry" in loaded  # the probe saw the check run
    # libcst drafts the [*] markers (what `docsync fix` fixes): only with findings.
    assert "libcst" in loaded
    assert _within(loaded, ("docsync.rules.examples", "rich", "git")) == set()
    (tmp_path / "mod.py").write_text('def f(a):\n    """Do.\n\n    Args:\n        a: x.\n    """\n')
    clean = modules_loaded_by(body, cwd=tmp_path)
    assert _within(clean, ("docsync.rules.examples", "rich", "git", "libcst")) == set()


def test_the_probe_sees_a_heavy_import() -> None:
    assert "rich" in loaded_by("import rich.console")


def test_timings_lists_the_phases_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.docsync]\n", encoding="utf-8")
    (tmp_path / "mod.py").write_text('def f(a):\n    """Do.\n\n    Args:\n        b: x.\n    """\n')
    done = subprocess.run(
        [sys.executable, "-m", "docsync", "check", "--timings", "--no-cache", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)  # the report on stdout stays machine-readable
    phases = [line.split()[0] for line in done.stderr.splitlines()[1:]]
    assert done.stderr.startswith("docsync timings (wall seconds):")
    for name in ("start-up", "discovery", "scan", "rules", "output", "total"):
        assert name in phases
    seconds = {line.split()[0]: float(line.split()[1]) for line in done.stderr.splitlines()[1:]}
    assert seconds["total"] >= seconds["scan"] >= 0.0


def test_no_timings_without_the_flag(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text("def f():\n    pass\n")
    done = subprocess.run(
        [sys.executable, "-m", "docsync", "check", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "timings" not in done.stderr
