"""`docsync check --base`: only what the change made stale, through the command line."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from docsync.cli import main
from helpers_git import GitRepo

OLD = '''\
def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        url: where from.
        timeout: seconds to wait.
    """
    return url


def legacy(a):
    """Old drift, present before the change.

    Args:
        a: a.
        gone: documented but long gone.
    """
    return a
'''

NEW = OLD.replace("def fetch(url, timeout=3):", "def fetch(url, deadline=3):")


@pytest.fixture
def repo(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """The conftest repository with a committed package ``pkg``, as the working directory."""
    made = repo
    made.write("pyproject.toml", "[tool.docsync]\npaths = ['pkg']\n")
    made.write("pkg/__init__.py", "")
    made.write("pkg/net.py", OLD)
    made.commit("base")
    monkeypatch.chdir(made.path)
    return made


def run(*args: str) -> tuple[int, dict[str, object] | str]:
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    if result.exit_code == 2:
        return 2, result.output
    return result.exit_code, json.loads(result.output)


def codes(document: object) -> list[tuple[str, str]]:
    assert isinstance(document, dict)
    return [(f["code"], f["symbol"]) for f in document["findings"]]


def test_full_check_reports_the_old_drift(repo: GitRepo) -> None:
    code, document = run()
    assert code == 1
    assert ("DS101", "pkg.net.legacy") in codes(document)


def test_base_reports_only_what_the_change_made_stale(repo: GitRepo) -> None:
    repo.write("pkg/net.py", NEW)
    code, document = run("--base", "HEAD")
    assert code == 1
    found = codes(document)
    assert [c for c, _ in found] == ["DS501"]
    assert found[0][1] == "pkg.net.fetch"


def test_clean_change_exits_0(repo: GitRepo) -> None:
    repo.write("pkg/net.py", OLD.replace("return url", "return url.strip()"))
    code, document = run("--base", "HEAD", "--fail-on", "warning")
    assert code == 0
    assert codes(document) == []


def test_review_prompts_are_counted_not_listed_and_never_fail(repo: GitRepo) -> None:
    repo.write("pkg/net.py", OLD.replace("return url", "return url.strip()"))
    code, document = run("--base", "HEAD", "--fail-on", "info")
    assert code == 0
    assert isinstance(document, dict)
    assert codes(document) == [] and document["summary"]["reviews_held"] == 1
    text = CliRunner().invoke(main, ["check", "--base", "HEAD"])
    assert text.exit_code == 0
    assert (
        "1 changed symbol is described by docs this change did not touch; "
        "`--review` lists them." in text.output
    )


@pytest.mark.parametrize("how", ["flag", "config"])
def test_review_lists_the_review_prompts(repo: GitRepo, how: str) -> None:
    repo.write("pkg/net.py", OLD.replace("return url", "return url.strip()"))
    if how == "config":
        repo.write("pyproject.toml", "[tool.docsync]\npaths = ['pkg']\nreview = true\n")
    code, document = run("--base", "HEAD", "--fail-on", "info", *(["--review"] * (how == "flag")))
    assert code == 1
    assert codes(document) == [("DS502", "pkg.net.fetch")]
    assert isinstance(document, dict) and document["summary"]["reviews_held"] == 0


ANNOTATED = OLD.replace("def legacy(a):", "def legacy(a: int | None):")


@pytest.mark.parametrize(
    "head",
    [
        ANNOTATED,  # an annotation added
        OLD.replace("def legacy(a):", "def legacy(a=_MISSING):").replace(
            "def fetch", "_MISSING = object()\n\n\ndef fetch"
        ),  # a sentinel default
        OLD.replace("def legacy(a):", "def legacy(a) -> int:"),  # a return annotation
    ],
)
def test_a_cosmetic_signature_change_does_not_resurface_old_drift(repo: GitRepo, head: str) -> None:
    repo.write("pkg/net.py", head)
    code, document = run("--base", "HEAD")
    assert (code, codes(document)) == (0, [])
    _, whole = run()  # the whole-tree check still shows it
    assert ("DS101", "pkg.net.legacy") in codes(whole)


def test_annotation_respelt_keeps_old_drift_quiet(repo: GitRepo) -> None:
    repo.write("pkg/net.py", "from typing import Optional\n\n\n" + ANNOTATED)
    repo.commit("annotate")
    respelt = ANNOTATED.replace("a: int | None", "a: Optional[int]")
    repo.write("pkg/net.py", "from typing import Optional\n\n\n" + respelt)
    assert run("--base", "HEAD") == (0, run("--base", "HEAD")[1])
    assert codes(run("--base", "HEAD")[1]) == []


def test_new_drift_on_a_function_with_old_drift_is_reported_alone(repo: GitRepo) -> None:
    repo.write("pkg/net.py", OLD.replace("def legacy(a):", "def legacy(b):"))
    code, document = run("--base", "HEAD")
    assert code == 1
    assert codes(document) == [("DS501", "pkg.net.legacy")]
    assert isinstance(document, dict)
    finding = document["findings"][0]
    assert "'a'" in finding["fix_hint"] and "gone" not in finding["fix_hint"]


def test_staged_and_two_refs(repo: GitRepo) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.write("pkg/net.py", NEW)
    assert codes(run("--base", "HEAD", "--staged")[1]) == []  # nothing staged yet
    repo.git("add", "pkg/net.py")
    assert [c for c, _ in codes(run("--base", "HEAD", "--staged")[1])] == ["DS501"]
    head = repo.commit("rename timeout")
    assert [c for c, _ in codes(run("--base", base, "--head", head)[1])] == ["DS501"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--base", "no-such-ref"], "base ref 'no-such-ref' not found"),
        (["--head", "HEAD"], "add --base REF"),
        (["--base", "HEAD", "--head", "HEAD", "--staged"], "exclude each other"),
    ],
)
def test_base_errors_exit_2(repo: GitRepo, args: list[str], expected: str) -> None:
    code, output = run(*args)
    assert code == 2
    assert expected in str(output)


def test_not_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "pyproject.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path / "plain")
    code, output = run("--base", "main")
    assert code == 2
    assert "is not inside a git repository" in str(output)


SITE_PAGE = """\
# Guide

Read [the setup](other.md#no-such-heading) first, then call `pkg.net.fetch`.
"""


def _site(repo: GitRepo) -> None:
    repo.write("mkdocs.yml", "site_name: Net\nnav:\n  - index.md\n  - other.md\n")
    repo.write("docs/index.md", SITE_PAGE)
    repo.write("docs/other.md", "# Other\n\n## Setup\n\nInstall it.\n")
    repo.commit("site")


def test_old_page_findings_on_a_touched_page_are_not_new(repo: GitRepo) -> None:
    _site(repo)
    _, whole = run()
    assert any(c == "DS705" for c, _ in codes(whole))  # the old broken anchor
    repo.write("docs/index.md", SITE_PAGE + "\nA new paragraph, see [setup](other.md#setup).\n")
    assert run("--base", "HEAD") == (0, run("--base", "HEAD")[1])
    assert [c for c, _ in codes(run("--base", "HEAD")[1])] == []
    repo.write("docs/index.md", SITE_PAGE + "\nAnd [this](other.md#gone-too).\n")
    code, document = run("--base", "HEAD")
    assert code == 1
    assert [c for c, _ in codes(document)] == ["DS705"]
    assert isinstance(document, dict) and "gone-too" in document["findings"][0]["message"]


def test_a_page_reference_the_change_broke_is_still_reported(repo: GitRepo) -> None:
    _site(repo)
    repo.write("pkg/net.py", OLD.replace("def fetch(", "def get("))
    code, document = run("--base", "HEAD", "--select", "DS7")
    assert code == 1
    assert "DS701" in [c for c, _ in codes(document)]


TYPED = '''\
from typing import Optional


def encode(text: Optional[str]):
    """Encode text.

    Args:
        text (int): What to encode.
    """
    return text
'''


@pytest.mark.parametrize(
    ("annotation", "reported"),
    [("str | None", False), ("Optional[str]  # respelt back", False), ("bytes", True)],
)
def test_an_old_type_contradiction_is_new_only_when_the_change_altered_the_type(
    repo: GitRepo, annotation: str, reported: bool
) -> None:
    repo.write("pkg/codec.py", TYPED)
    repo.commit("codec")
    head = TYPED.replace("text: Optional[str])", f"text: {annotation.split('  #')[0]})")
    repo.write("pkg/codec.py", head + "\n\nTIMEOUT = 3\n")
    code, document = run("--base", "HEAD")
    assert (code, [c for c, _ in codes(document)]) == ((1, ["DS501"]) if reported else (0, []))


def test_the_base_site_is_checked_inside_the_repository_and_leaves_nothing(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The base side's pages are written under .docsync-cache/, never to a system temp dir."""
    _site(repo)
    repo.write("docs/index.md", SITE_PAGE + "\nAnd [this](other.md#gone-too).\n")
    made: list[Path] = []
    real_mkdtemp = tempfile.mkdtemp

    def recording_mkdtemp(*args: Any, **kwargs: Any) -> str:
        path = real_mkdtemp(*args, **kwargs)
        made.append(Path(path).resolve())
        return path

    monkeypatch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
    code, document = run("--base", "HEAD", "--no-cache")
    assert code == 1 and [c for c, _ in codes(document)] == ["DS705"]
    assert made, "the base site was not written at all"
    assert all(p.is_relative_to(repo.path.resolve()) for p in made), made
    assert not (repo.path / ".docsync-cache").exists()


def test_a_link_the_change_broke_outside_the_docs_folder_is_reported(repo: GitRepo) -> None:
    # The base's link targets are judged by the base's files, not by the copy of its
    # site: a file outside docs/ that the change deleted existed at the base.
    repo.write("mkdocs.yml", "site_name: Net\n")
    repo.write("CONTRIBUTING.md", "# Contributing\n")
    repo.write("docs/index.md", "# Net\n\nSee [how to help](../CONTRIBUTING.md), [code](../pkg).\n")
    repo.commit("site")
    repo.remove("CONTRIBUTING.md")
    repo.write(
        "docs/index.md",
        "# Net\n\nSee [how to help](../CONTRIBUTING.md), [code](../pkg).\n\nMore.\n",
    )
    code, document = run("--base", "HEAD")
    assert isinstance(document, dict), document
    assert code == 1 and [f["message"] for f in document["findings"]] == [
        "broken link `../CONTRIBUTING.md`: the page `CONTRIBUTING.md` does not exist"
    ]
    repo.git("checkout", "--", "CONTRIBUTING.md")  # restored: the link is fine again
    assert run("--base", "HEAD")[0] == 0
