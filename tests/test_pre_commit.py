"""The pre-commit hooks, run by a real ``pre-commit run`` in a temporary repository.

The hooks are this repository's own ``.pre-commit-hooks.yaml`` entries, turned into a
``repo: local`` configuration that runs this venv's ``docsync`` (so the test needs no
network and no hook environment): a wrong id, entry or argument in the hook file fails
these tests.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers_git import GitRepo, new_repo

ROOT = Path(__file__).resolve().parent.parent
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent
PRE_COMMIT = BIN / "pre-commit"
DOCSYNC = BIN / "docsync"

OLD_DRIFT = '''\
def old(a):
    """Older drift, not this commit's business.

    Args:
        a: The first.
        gone: Removed long ago.
    """
    return a
'''
CORRECT = '''

def added(x):
    """A correct new function.

    Args:
        x: The x.
    """
    return x
'''
DRIFTED = '''

def fetch(url):
    """A new function whose docs are already wrong.

    Args:
        url: The address.
        retries: How often to retry.
    """
    return url
'''


def local_config(*hook_ids: str) -> str:
    """A ``repo: local`` pre-commit configuration made of the hook file's entries."""
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS_FILE.read_text("utf-8"))}
    local = []
    for hook_id in hook_ids:
        hook = dict(hooks[hook_id])
        program, *args = shlex.split(hook["entry"])
        assert program == "docsync", hook
        hook["entry"] = shlex.join([str(DOCSYNC), *args])
        hook["language"] = "unsupported"  # this venv's docsync, no hook environment
        local.append(hook)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}, sort_keys=False)


def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *hook_ids: str) -> GitRepo:
    """A repository whose one module has drift older than the commit being made."""
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("pyproject.toml", "[tool.docsync]\ncache = false\n")
    repo.write("pkg/__init__.py", "")
    repo.write("pkg/mod.py", OLD_DRIFT)
    repo.write(".pre-commit-config.yaml", local_config(*hook_ids))
    repo.commit("base")
    return repo


def append(repo: GitRepo, text: str, path: str = "pkg/mod.py") -> None:
    with (repo.path / path).open("a", encoding="utf-8") as handle:
        handle.write(text)


def pre_commit_run(repo: GitRepo, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**repo._env, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--color", "never"],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_hook_file_is_a_valid_manifest() -> None:
    result = subprocess.run(
        [str(PRE_COMMIT), "validate-manifest", str(HOOKS_FILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ids = [hook["id"] for hook in yaml.safe_load(HOOKS_FILE.read_text("utf-8"))]
    assert ids == ["docsync", "docsync-fix"]


def test_older_drift_in_a_touched_file_does_not_block_a_correct_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = project(tmp_path, monkeypatch, "docsync")
    append(repo, CORRECT)
    repo.git("add", "pkg/mod.py")
    # Drift that is not staged is not this commit's: an untracked module...
    repo.write("pkg/scratch.py", DRIFTED)
    result = pre_commit_run(repo, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "docsync" in result.stdout and "Passed" in result.stdout
    # ...the old drift is still there, and `docsync check` on the file still reports it.
    whole = subprocess.run(
        [str(DOCSYNC), "check", "pkg/mod.py"], cwd=repo.path, capture_output=True, text=True
    )
    assert whole.returncode == 1 and "gone" in whole.stdout


def test_drift_the_commit_brings_blocks_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = project(tmp_path, monkeypatch, "docsync")
    append(repo, DRIFTED)
    repo.git("add", "pkg/mod.py")
    # An unstaged correction does not count: the commit records the staged content.
    edit = (
        (repo.path / "pkg/mod.py")
        .read_text("utf-8")
        .replace("        retries: How often to retry.\n", "")
    )
    (repo.path / "pkg/mod.py").write_text(edit, encoding="utf-8")
    result = pre_commit_run(repo, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "retries" in result.stdout and "fetch" in result.stdout
    assert "gone" not in result.stdout  # the older drift is not reported
    # pre-commit put the unstaged correction back.
    assert "retries" not in (repo.path / "pkg/mod.py").read_text("utf-8")


def test_the_fix_hook_fixes_what_the_commit_brings_and_nothing_older(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = project(tmp_path, monkeypatch, "docsync-fix", "docsync")
    append(repo, DRIFTED)
    repo.git("add", "pkg/mod.py")
    first = pre_commit_run(repo, tmp_path)
    # Like ruff's --fix hook: the files changed, so the run fails and the user re-stages.
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    text = (repo.path / "pkg/mod.py").read_text("utf-8")
    assert "retries" not in text
    assert "gone: Removed long ago." in text  # older drift is left alone
    repo.git("add", "pkg/mod.py")
    second = pre_commit_run(repo, tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr


def test_fix_staged_refuses_files_with_unstaged_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = project(tmp_path, monkeypatch, "docsync")
    append(repo, DRIFTED)
    repo.git("add", "pkg/mod.py")
    append(repo, "\n# an unstaged edit\n")
    before = (repo.path / "pkg/mod.py").read_bytes()
    result = subprocess.run(
        [str(DOCSYNC), "fix", "--base", "HEAD", "--staged"],
        cwd=repo.path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "pkg/mod.py has unstaged changes" in result.stderr
    assert (repo.path / "pkg/mod.py").read_bytes() == before


def first_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str) -> GitRepo:
    """A new repository (no commit yet) with everything staged for its first commit."""
    repo = new_repo(tmp_path, monkeypatch)
    repo.write("pyproject.toml", "[tool.docsync]\ncache = false\n")
    repo.write("pkg/__init__.py", "")
    repo.write("pkg/mod.py", module)
    repo.write(".pre-commit-config.yaml", local_config("docsync"))
    repo.git("add", "-A")
    return repo


def test_the_first_commit_is_judged_whole_and_drift_blocks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = first_commit(tmp_path, monkeypatch, CORRECT + DRIFTED)
    result = pre_commit_run(repo, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "retries" in result.stdout and "pkg.mod.fetch" in result.stdout
    assert "no commits yet" not in result.stdout + result.stderr


def test_a_clean_first_commit_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = first_commit(tmp_path, monkeypatch, CORRECT)
    repo.write("pkg/scratch.py", DRIFTED)  # untracked: not part of the commit
    result = pre_commit_run(repo, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
    repo.git("commit", "-q", "-m", "first")  # and the next commit is compared with it
    repo.git("add", "pkg/scratch.py")
    second = pre_commit_run(repo, tmp_path)
    assert second.returncode == 1 and "retries" in second.stdout, second.stdout


def yaml_blocks(markdown: str) -> list[object]:
    blocks, inside, lines = [], False, []
    for line in markdown.splitlines():
        if line.startswith("```yaml"):
            inside, lines = True, []
        elif line.startswith("```") and inside:
            inside = False
            blocks.append(yaml.safe_load("\n".join(lines)))
        elif inside:
            lines.append(line)
    return blocks


def test_the_documented_local_hooks_match_the_shipped_ones() -> None:
    shipped = {hook["id"]: hook for hook in yaml.safe_load(HOOKS_FILE.read_text("utf-8"))}
    page = (ROOT / "docs" / "pre-commit.md").read_text("utf-8")
    documented = {}
    for block in yaml_blocks(page):
        assert isinstance(block, dict)
        for repo in block["repos"]:
            hooks = repo["hooks"]
            if repo["repo"] == "local":
                documented.update({hook["id"]: hook for hook in hooks})
            else:  # the remote snippet names only hooks that exist
                assert {hook["id"] for hook in hooks} <= set(shipped)
    assert set(documented) == set(shipped)
    for hook_id, hook in documented.items():
        keys = ("entry", "types_or", "pass_filenames", "require_serial")
        assert {k: hook.get(k) for k in keys} == {k: shipped[hook_id].get(k) for k in keys}
