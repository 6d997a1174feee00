"""The copy-paste snippets of the README and of ``docs/`` name only things that exist.

Every fenced block of the README, CONTRIBUTING.md and the docs site is read with a
CommonMark parser and checked against the repository's own files, offline:

* workflow YAML parses; a step that uses this repository's action names a ref that
  exists (``main``, a commit SHA, or a tag of this clone) and only inputs that
  ``action.yml`` declares;
* a ``.pre-commit-config.yaml`` snippet names this repository at such a ref, and hook
  ids that ``.pre-commit-hooks.yaml`` defines;
* a ``mkdocs.yml`` snippet gives the docsync plugin only options it has;
* every ``docsync ...`` command line (in shell blocks and in workflow ``run:`` steps)
  parses with the real command-line parser;
* ``pip install`` of docsync itself uses the checkout (``.``, with extras
  ``pyproject.toml`` defines) or this repository's git URL, never the distribution's
  name while no release is tagged; ``git clone`` clones this repository.

The repository's GitHub ``owner/name`` comes from the URLs in ``pyproject.toml``.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import click
import pytest
import yaml
from markdown_it import MarkdownIt

from docsync.cli import main
from docsync.mkdocs_plugin.plugin import PluginSettings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
SHELLS = frozenset({"bash", "sh", "shell", "console"})
_OPERATORS = frozenset({"&&", "||", "|", ";", "&"})
_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
_SHA = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class Snippet:
    """One fenced block of a Markdown file."""

    path: str
    line: int
    lang: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def pages() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]


@cache
def snippets() -> tuple[Snippet, ...]:
    parser = MarkdownIt("commonmark")
    found = []
    for page in pages():
        for token in parser.parse(page.read_text(encoding="utf-8")):
            if token.type == "fence" and token.map is not None:
                lang = token.info.split()[0].lower() if token.info.strip() else ""
                where = page.relative_to(ROOT).as_posix()
                found.append(Snippet(where, token.map[0] + 1, lang, token.content))
    return tuple(found)


@cache
def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@cache
def repository() -> str:
    """``owner/name`` on GitHub, from the project's URLs."""
    for url in pyproject()["project"].get("urls", {}).values():
        found = re.match(r"https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$", url)
        if found:
            return found.group(1)
    raise AssertionError("no https://github.com/<owner>/<name> URL in [project.urls]")


@cache
def tags() -> frozenset[str]:
    done = subprocess.run(
        ["git", "tag", "--list"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return frozenset(done.stdout.split()) if done.returncode == 0 else frozenset()


def ref_exists(ref: str) -> bool:
    """A ref of this repository that a workflow or pre-commit can fetch today."""
    return ref == "main" or bool(_SHA.fullmatch(ref)) or ref in tags()


@cache
def action_inputs() -> frozenset[str]:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return frozenset(action["inputs"])


@cache
def hook_ids() -> frozenset[str]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return frozenset(hook["id"] for hook in hooks)


class _AnyTags(yaml.SafeLoader):
    """Reads the custom tags ``mkdocs.yml`` allows (``!!python/name:...``, ``!ENV``)."""


_AnyTags.add_multi_constructor("", lambda loader, suffix, node: None)
_AnyTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_yaml(snippet: Snippet) -> Any:
    try:
        return yaml.load(snippet.text, Loader=_AnyTags)  # a SafeLoader
    except yaml.YAMLError as exc:
        raise AssertionError(f"{snippet.where}: the YAML does not parse: {exc}") from None


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping in a YAML document."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def yaml_snippets() -> list[tuple[Snippet, Any]]:
    return [(s, load_yaml(s)) for s in snippets() if s.lang in ("yaml", "yml")]


# --- command lines ----------------------------------------------------------------------


def commands(text: str) -> Iterator[list[str]]:
    """The simple commands of a shell text (``a && b | c`` is three), comments dropped."""
    text = _EXPRESSION.sub("1", text.replace("\\\n", " "))
    for line in text.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        command: list[str] = []
        for token in lexer:
            if token in _OPERATORS:
                if command:
                    yield command
                command = []
            else:
                command.append(token)
        if command:
            yield command


def shell_lines(snippet: Snippet) -> str:
    if snippet.lang != "console":
        return snippet.text
    return "\n".join(line[2:] for line in snippet.text.splitlines() if line.startswith("$ "))


def all_commands() -> list[tuple[str, list[str]]]:
    """Every command line of the shell blocks and of the workflow snippets' ``run:`` steps."""
    found = [
        (s.where, command)
        for s in snippets()
        if s.lang in SHELLS
        for command in commands(shell_lines(s))
    ]
    for snippet, document in yaml_snippets():
        for mapping in walk(document):
            run = mapping.get("run")
            if isinstance(run, str):
                found += [(snippet.where, command) for command in commands(run)]
    return found


def program(command: list[str]) -> tuple[str, list[str]]:
    """The program's name and its arguments, after ``VAR=value`` assignments."""
    words = list(command)
    while words and re.match(r"^[A-Za-z_]\w*=", words[0]):
        words.pop(0)
    if not words:
        return "", []
    name = PurePosixPath(words[0]).name
    if name.startswith("python") and words[1:3] == ["-m", "pip"]:
        return "pip", words[3:]
    return name, words[1:]


def parse_docsync(args: list[str]) -> None:
    """Parse a ``docsync`` command line as the real CLI does, running nothing."""
    if not args or args[0].startswith("-"):
        with contextlib.suppress(click.exceptions.Exit):  # --version, --help
            main.make_context("docsync", list(args))
        return
    command = main.commands.get(args[0])
    assert command is not None, f"docsync has no command {args[0]!r}"
    command.make_context(args[0], list(args[1:]), parent=click.Context(main, info_name="docsync"))


def docsync_lines() -> list[tuple[str, list[str]]]:
    return [
        (where, args)
        for where, c in all_commands()
        for name, args in [program(c)]
        if name == "docsync"
    ]


# --- the tests ------------------------------------------------------------------------------


def test_the_repository_is_named_by_the_project_urls() -> None:
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", repository())


def test_workflow_snippets_use_refs_and_inputs_the_action_has() -> None:
    steps = []
    for snippet, document in yaml_snippets():
        for mapping in walk(document):
            uses = mapping.get("uses")
            if isinstance(uses, str) and uses.startswith(f"{repository()}@"):
                steps.append((snippet.where, uses.split("@", 1)[1], mapping.get("with") or {}))
    assert {where.split(":")[0] for where, _, _ in steps} >= {"README.md", "docs/github-action.md"}
    for where, ref, inputs in steps:
        assert ref_exists(ref), f"{where}: {repository()}@{ref} names no branch, SHA or tag"
        unknown = set(inputs) - action_inputs()
        assert not unknown, f"{where}: action.yml has no input {sorted(unknown)}"


def test_pre_commit_snippets_name_hooks_the_repository_defines() -> None:
    url = f"https://github.com/{repository()}"
    repos = [
        (snippet.where, repo)
        for snippet, document in yaml_snippets()
        for mapping in walk(document)
        if isinstance(mapping.get("repos"), list)
        for repo in mapping["repos"]
        if isinstance(repo, dict) and repo.get("repo") == url
    ]
    assert repos, "no .pre-commit-config.yaml snippet names this repository"
    for where, repo in repos:
        assert ref_exists(str(repo["rev"])), f"{where}: rev {repo['rev']!r} does not exist"
        ids = {hook["id"] for hook in repo["hooks"]}
        assert ids <= hook_ids(), f"{where}: .pre-commit-hooks.yaml has no hook {ids - hook_ids()}"


def test_mkdocs_snippets_give_the_plugin_only_options_it_has() -> None:
    options = {name for name, _ in PluginSettings._schema}
    given = [
        (snippet.where, entry["docsync"])
        for snippet, document in yaml_snippets()
        for mapping in walk(document)
        if isinstance(mapping.get("plugins"), list)
        for entry in mapping["plugins"]
        if isinstance(entry, dict) and "docsync" in entry
    ]
    assert given, "no mkdocs.yml snippet configures the docsync plugin"
    for where, settings in given:
        unknown = set(settings or {}) - options
        assert not unknown, f"{where}: the docsync plugin has no option {sorted(unknown)}"


def test_every_docsync_command_line_parses() -> None:
    lines = docsync_lines()
    assert len(lines) >= 10
    for where, args in lines:
        try:
            parse_docsync(args)
        except click.ClickException as exc:
            message = f"{where}: docsync {shlex.join(args)}: {exc.format_message()}"
            raise AssertionError(message) from None


def test_the_parser_check_can_fail() -> None:
    with pytest.raises(click.ClickException):
        parse_docsync(["check", "--no-such-flag"])
    with pytest.raises(AssertionError):
        parse_docsync(["no-such-command"])


def test_docsync_is_installed_from_this_checkout_or_its_git_url() -> None:
    name = pyproject()["project"]["name"]
    extras = set(pyproject()["project"].get("optional-dependencies", {}))
    git_url = re.compile(rf"git\+https://github\.com/{re.escape(repository())}(?:\.git)?(@\S+)?")
    installs = [
        (where, args) for where, c in all_commands() for n, args in [program(c)] if n == "pip"
    ]
    assert installs
    for where, args in installs:
        if not args or args[0] != "install":
            continue
        for requirement in (a for a in args[1:] if not a.startswith("-")):
            local = re.fullmatch(r"\.(?:\[([\w,-]+)\])?", requirement)
            direct = re.fullmatch(  # PEP 508: ``docsync-bot[mkdocs] @ git+https://...``
                rf"{re.escape(name)}(?:\[([\w,-]+)\])?\s*@\s*(\S+)", requirement
            )
            if direct:
                named = set(filter(None, (direct.group(1) or "").split(",")))
                assert named <= extras, f"{where}: pyproject.toml has no extra {named - extras}"
                not_this_repo = f"{where}: {requirement} is not this repo"
                assert git_url.fullmatch(direct.group(2)), not_this_repo
            elif local:
                named = set(filter(None, (local.group(1) or "").split(",")))
                assert named <= extras, f"{where}: pyproject.toml has no extra {named - extras}"
            elif re.match(rf"{re.escape(name)}\b", requirement):
                assert tags(), f"{where}: `pip install {requirement}`: no release is tagged yet"
            elif requirement.startswith("git+"):
                assert git_url.fullmatch(requirement), f"{where}: {requirement} is not this repo"


def test_git_clone_clones_this_repository() -> None:
    clones = [args for _, c in all_commands() for n, args in [program(c)] if n == "git"]
    urls = [a for args in clones if args[:1] == ["clone"] for a in args[1:] if "://" in a]
    assert urls
    assert all(url.removesuffix(".git") == f"https://github.com/{repository()}" for url in urls)
