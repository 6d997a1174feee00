"""Inputs that crashed or hung docsync (issue 21): each class refused with a clear message."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from docsync.apply.files import FileFix, git_quoted_path, unified_diff_bytes
from docsync.apply.python import EditRejected, LiteralEdit, apply_literal_edits
from docsync.cli import main
from docsync.config import load_config
from docsync.errors import ConfigError
from docsync.paths import path_exists
from docsync.scan.cache import decode_result, encode_result
from docsync.scan.files import matches_exclude
from docsync.scan.mkdocs_yaml import MAX_YAML_DEPTH, yaml_load
from docsync.scan.pages import parse_page, slugify
from docsync.scan.python import scan_source
from helpers_git import GitRepo

DRIFT = 'def f(a):\n    """Do.\n\n    Args:\n        b: The b.\n    """\n'


def run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, args, catch_exceptions=False)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("nav: &a [*a]\n", "refers to a collection that contains it"),
        ("nav: &a {x: [1, *a]}\n", "refers to a collection that contains it"),
        (f"nav: {'[' * 1000}{']' * 1000}\n", f"nested more than {MAX_YAML_DEPTH} deep"),
        (
            "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)),
            "once aliases are expanded",
        ),
        (f"x: {'9' * 5000}\n", "an integer is too long"),
    ],
)
def test_the_yaml_loader_refuses_cycles_bombs_depth_and_long_integers(
    text: str, problem: str
) -> None:
    # Bounded work, measured in this process's CPU time (about 0.5 s for the deepest
    # case): wall time also counts the other processes of a loaded machine.
    started = time.process_time()
    with pytest.raises(yaml.YAMLError, match=problem):
        yaml_load(text)
    assert time.process_time() - started < 5


def test_the_yaml_loader_still_reads_shared_aliases() -> None:
    data = yaml_load("base: &b {a: 1}\nx: *b\ny: [*b, *b]\n")
    assert data == {"base": {"a": 1}, "x": {"a": 1}, "y": [{"a": 1}, {"a": 1}]}


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ("tool = 5\n", "[tool] must be a table"),
        (f"[tool.docsync]\nx = {'[' * 1000}{']' * 1000}\n", "nested too deeply"),
        (f"[tool.docsync]\nmax-file-size = {'9' * 4400}\n", "an integer is too long"),
    ],
)
def test_bad_pyproject_is_a_config_error(tmp_path: Path, pyproject: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_config(tmp_path)


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        ("[z-a]", "z", False),
        ("[!]", "x", True),
        ("[^]", "x", True),
        ("[!]", "ab", False),
        ("[!]", "ab/c", True),
        ("[a-c]x.py", "bx.py", True),
        ("[!a]x.py", "ax.py", False),
        ("src/[!a]x.py", "src//x.py", False),
    ],
)
def test_bracket_globs_never_make_a_bad_regex(pattern: str, path: str, matched: bool) -> None:
    assert matches_exclude(path, [pattern]) is matched


def test_exclude_flag_with_a_reversed_range_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mod.py").write_text(DRIFT, encoding="utf-8")
    result = run(["check", "--exclude", "[z-a]", "--exclude", "[!]"], tmp_path, monkeypatch)
    assert result.exit_code in (0, 1), result.output


@pytest.mark.parametrize("separator", ["\\", "$", "-"])
def test_toc_separator_is_literal_text(separator: str) -> None:
    assert slugify("Hello big world", separator) == f"hello{separator}big{separator}world"


def test_many_equal_headings_get_toc_ids_in_linear_time() -> None:
    page = parse_page("\n\n".join(["# A", "# A_1", *["# A"] * 3]), "p.md")
    assert [h.anchor for h in page.headings] == ["a", "a_1", "a_2", "a_3", "a_4"]
    started = time.process_time()  # CPU time: a loaded machine does not slow it (about 0.7 s)
    parse_page("\n\n".join(["# Usage"] * 6000), "big.md")
    assert time.process_time() - started < 15  # quadratic took minutes


def test_a_name_too_long_for_the_system_does_not_exist(tmp_path: Path) -> None:
    assert not path_exists(tmp_path / ("a" * 40000))
    assert not path_exists(tmp_path / "a\0b")
    assert path_exists(tmp_path)


def test_a_page_link_with_a_40kb_path_is_a_broken_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(f"# A\n\n[x]({'a' * 40000}.md)\n", "utf-8")
    result = run(["check"], tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert "DS705" in result.output


@pytest.fixture
def default_recursion_limit() -> Iterator[None]:
    """Python's default recursion limit, which a ``docsync`` process runs with.

    How deep a module libcst can take depends on it, and it is process-wide: an
    in-process ``mkdocs build`` with mkdocstrings raises it to 2000 for good, and then
    195 nested brackets are edited (correctly) instead of refused.
    """
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


@pytest.mark.usefixtures("default_recursion_limit")
@pytest.mark.parametrize("extra", [f"X = {'-' * 1000}1\n", f"X = {'[' * 195}{']' * 195}\n"])
def test_a_module_too_deep_for_libcst_is_left_for_a_person(extra: str) -> None:
    source = (DRIFT + extra).encode()
    literal = '"""Do.\n\n    Args:\n        b: The b.\n    """'
    edit = LiteralEdit(2, literal, literal.replace("b: The b.", "a: The a."))
    with pytest.raises(EditRejected, match="nests code too deeply"):
        apply_literal_edits(source, [edit])


def test_fix_on_a_too_deep_module_reports_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "deep.py").write_text(DRIFT + f"X = {'-' * 1000}1\n", encoding="utf-8")
    before = (tmp_path / "deep.py").read_bytes()
    for args in (["fix", "--diff"], ["fix"]):
        result = run(args, tmp_path, monkeypatch)
        assert result.exit_code == 1, result.output
        assert "nests code too deeply" in result.output
    assert (tmp_path / "deep.py").read_bytes() == before


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("a/plain.py", "a/plain.py"),
        ("a/tab\t.py", '"a/tab\\t.py"'),
        ("a/nl\n.py", '"a/nl\\n.py"'),
        ('a/q".py', '"a/q\\".py"'),
        ("a/back\\.py", '"a/back\\\\.py"'),
        ("a/日.py", '"a/\\346\\227\\245.py"'),
        ("a/sp ace.py", "a/sp ace.py"),
    ],
)
def test_patch_names_are_quoted_as_git_quotes_them(name: str, quoted: str) -> None:
    assert git_quoted_path(name) == quoted


def test_patch_headers_equal_git_diff_and_apply(repo: GitRepo) -> None:
    names = ["a b.py", "tab\t.py", "nl\n.py", "日本.py", "é.py"]
    for name in names:
        (repo.path / name).write_bytes(b"x = 1\n")
    repo.commit()
    encodings = {"é.py": "latin-1"}
    fixes = [FileFix(n, b"x = 1\n", b"x = 2\n", encodings.get(n, "utf-8")) for n in names]
    patch = unified_diff_bytes(fixes)
    for name in names:
        (repo.path / name).write_bytes(b"x = 2\n")
    ours = [line for line in patch.split(b"\n") if line[:4] in (b"diff", b"--- ", b"+++ ")]
    theirs = subprocess.run(["git", "diff"], cwd=repo.path, capture_output=True, check=True)
    expected = [x for x in theirs.stdout.split(b"\n") if x[:4] in (b"diff", b"--- ", b"+++ ")]
    assert sorted(ours) == sorted(expected)
    repo.git("checkout", "--", ".")
    (repo.path.parent / "p.diff").write_bytes(patch)
    repo.git("apply", "--check", str(repo.path.parent / "p.diff"))


def test_fix_diff_of_a_latin1_file_with_a_japanese_name(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = b"# -*- coding: latin-1 -*-\n" + DRIFT.encode() + "S = 'é'\n".encode("latin-1")
    (repo.path / "日本.py").write_bytes(source)
    repo.commit()
    patch = run(["fix", "--diff"], repo.path, monkeypatch).stdout_bytes
    assert patch.startswith(b'diff --git "a/\\346\\227\\245\\346\\234\\254.py"')
    (repo.path.parent / "p.diff").write_bytes(patch)
    repo.git("apply", "--check", str(repo.path.parent / "p.diff"))
    result = run(["fix"], repo.path, monkeypatch)
    assert result.exit_code == 0, result.output
    repo.git("apply", "--check", "-R", str(repo.path.parent / "p.diff"))


def test_corrupt_git_index_with_base_is_a_clear_error(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("mod.py", DRIFT)
    repo.commit()
    (repo.path / ".git" / "index").write_bytes(b"DIRC" + bytes(range(256)))
    for args in (["check", "--base", "HEAD"], ["fix", "--diff", "--base", "HEAD"]):
        monkeypatch.chdir(repo.path)
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert "is the repository intact?" in result.output
        assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "damage",
    [
        lambda m: dataclasses.replace(m, symbols="not a tuple"),
        lambda m: dataclasses.replace(m, symbols=(None,)),
        lambda m: dataclasses.replace(
            m, symbols=(dataclasses.replace(m.symbols[0], location="x.py:1"),)
        ),
        lambda m: dataclasses.replace(m, content_hash=5),
        lambda m: dataclasses.replace(
            m,
            symbols=(
                dataclasses.replace(
                    m.symbols[0],
                    location=dataclasses.replace(m.symbols[0].location, line=True),
                ),
            ),
        ),
    ],
)
def test_cache_entries_of_allowed_classes_with_wrong_field_types_are_misses(damage) -> None:  # type: ignore[no-untyped-def]
    result = scan_source(DRIFT.encode(), "mod.py", "mod")
    assert decode_result(encode_result(result)) == result
    assert result.module is not None
    bad = dataclasses.replace(result, module=damage(result.module))
    assert decode_result(encode_result(bad)) is None
