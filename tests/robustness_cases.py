"""Seeded hostile and tricky inputs for the robustness suite (see ``robustness_suite.py``).

:func:`generate` returns, for a seed, a list of :class:`Case` values spread over seven
categories: Python sources, ``pyproject.toml`` configs, ``mkdocs.yml``, pages, git
states, cache files and LLM replies.  Each case is a small repository: the files it
holds (text, bytes, or a :class:`Special` file: FIFO, symlink), what is committed
first (the ``--base`` side), and for LLM cases the replies the fake Messages API
gives.  Every case mixes one hostile ingredient into an ordinary project with real
drift, so ``fix`` has something to do while the hostile input is around.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

CATEGORIES = ("sources", "config", "mkdocs", "pages", "git", "cache", "llm")


@dataclass(frozen=True)
class Special:
    """A file that is not a plain file: ``fifo``, or ``link`` to ``target``."""

    kind: str
    target: str = ""


FileValue = str | bytes | Special


@dataclass(frozen=True)
class Case:
    """One generated repository and what to do with it.

    ``base`` is committed first; ``files`` are then written over it (the working
    tree of ``--base HEAD``).  ``git`` names a git-state mutation done last
    (``corrupt-index``, ``no-commit``, ``detached``...).  ``llm`` holds the fake
    model's answers, by kind, for ``fix --llm``; ``cache`` asks for crafted cache
    entries.  Paths may start with ``@outside/``: the sentinel directory next to
    the repository.
    """

    category: str
    name: str
    files: dict[str, FileValue]
    base: dict[str, FileValue] = field(default_factory=dict)
    git: str = ""
    llm: tuple[str, ...] = ()
    cache: str = ""


_DRIFT = '''def {name}({args}):
    """{summary}

    Args:
{documented}

    Returns:
        The value.
    """
    return {body}
'''


def _module(rng: random.Random, *, extra: str = "") -> str:
    """An ordinary module with one or two functions whose docs drifted."""
    parts = []
    for index in range(rng.randint(1, 3)):
        args = [rng.choice("abcdxyz") + str(i) for i in range(rng.randint(0, 3))]
        documented = [*args[: rng.randint(0, len(args))], *(["old"] if rng.random() < 0.7 else [])]
        lines = "\n".join(f"        {a}: the {a}." for a in documented) or "        none: nothing."
        parts.append(
            _DRIFT.format(
                name=f"func_{index}",
                args=", ".join(args),
                summary=rng.choice(["Do it.", "Compute the thing.", "Return `x`."]),
                documented=lines,
                body=" + ".join(args) or "None",
            )
        )
    return "\n\n".join(parts) + extra


_PAGE = (
    "# Title\n\nUse `pkg.mod.func_0` to compute.\n\n```python\nfrom pkg.mod import func_0\n```\n"
)


def _base_files(rng: random.Random) -> dict[str, FileValue]:
    return {"pkg/__init__.py": "", "pkg/mod.py": _module(rng)}


def _sources(rng: random.Random) -> tuple[str, dict[str, FileValue]]:
    deep = rng.choice([300, 1000, 3000])
    options: dict[str, Callable[[], dict[str, FileValue]]] = {
        "deep-unary": lambda: {"pkg/deep.py": _module(rng, extra=f"\nX = {'-' * deep}1\n")},
        "deep-brackets": lambda: {
            "pkg/br.py": _module(rng, extra=f"\nX = {'[' * 195}{']' * 195}\n")
        },
        "deep-calls": lambda: {
            "pkg/calls.py": _module(rng, extra=f"\nX = {'f(' * 150}{')' * 150}\n")
        },
        "latin1-cookie-jp-name": lambda: {
            "pkg/日本.py": b"# -*- coding: latin-1 -*-\n"
            + _module(rng).encode()
            + "S = 'é'\n".encode("latin-1")
        },
        "latin1-e-name": lambda: {
            "pkg/é.py": b"# coding: latin-1\n" + _module(rng).encode() + b"T = '\xe9'\n"
        },
        "name-with-tab": lambda: {"pkg/a\tb.py": _module(rng)},
        "name-with-newline": lambda: {"pkg/a\nb.py": _module(rng)},
        "name-with-space-quote": lambda: {'pkg/a "b" c.py': _module(rng)},
        "crlf": lambda: {"pkg/crlf.py": _module(rng).replace("\n", "\r\n")},
        "bom": lambda: {"pkg/bom.py": b"\xef\xbb\xbf" + _module(rng).encode()},
        "no-final-newline": lambda: {"pkg/nonl.py": _module(rng).rstrip("\n")},
        "null-byte": lambda: {"pkg/nul.py": _module(rng) + "\x00\n"},
        "bad-utf8": lambda: {"pkg/bad.py": _module(rng).encode() + b"s = '\xff\xfe'\n"},
        "syntax-error": lambda: {"pkg/syn.py": _module(rng) + "\ndef (:\n"},
        "fifo-source": lambda: {"pkg/fifo.py": Special("fifo")},
        "link-outside": lambda: {"pkg/out.py": Special("link", "@outside/victim.py")},
        "link-loop": lambda: {"pkg/loop.py": Special("link", "pkg/loop.py")},
        "link-dev-zero": lambda: {"pkg/zero.py": Special("link", "/dev/zero")},
        "link-inside": lambda: {"pkg/alias.py": Special("link", "pkg/mod.py")},
        "tabs-and-quotes": lambda: {
            "pkg/q.py": "def f(a):\n\t'''Do \\\\ it \"\"\" x.\n\n\tArgs:\n\t\tb: x.\n\t'''\n"
        },
        "huge-line": lambda: {"pkg/huge.py": _module(rng) + "X = '" + "a" * 200_000 + "'\n"},
    }
    name = rng.choice(sorted(options))
    return name, options[name]()


def _config(rng: random.Random) -> tuple[str, dict[str, FileValue]]:
    glob = rng.choice(["[z-a]", "[!]", "[^]", "[", "**/[]]", "\\\\", "a[b-"])
    nest = rng.choice([200, 600, 1000])
    options = {
        "tool-int": "tool = 5\n",
        "docsync-int": "[tool]\ndocsync = 3\n",
        "bad-glob": f'[tool.docsync]\nexclude = ["{glob}"]\n',
        "deep-array": f"[tool.docsync]\nx = {'[' * nest}{']' * nest}\n",
        "deep-inline": "[tool.docsync]\nx = " + "{a=" * nest + "1" + "}" * nest + "\n",
        "big-int": f"[tool.docsync]\nmax-file-size = {'9' * rng.choice([4301, 5000, 20000])}\n",
        "unknown-key": "[tool.docsync]\nnonsense = 1\n",
        "wrong-type": '[tool.docsync]\npaths = "pkg"\nselect = 5\n',
        "paths-outside": '[tool.docsync]\npaths = ["../outside"]\n',
        "docs-dir-outside": '[tool.docsync]\ndocs-dir = "../outside"\n',
        "docs-dir-absolute": '[tool.docsync]\ndocs-dir = "/etc"\n',
        "not-toml": "[tool.docsync\n= = =\n",
        "nul-path": '[tool.docsync]\npaths = ["a\\u0000b"]\n',
        "long-path": f'[tool.docsync]\npaths = ["{"a" * 40000}"]\n',
    }
    name = rng.choice(sorted(options))
    return name, {"pyproject.toml": options[name]}


def _mkdocs(rng: random.Random) -> tuple[str, dict[str, FileValue]]:
    nest = rng.choice([150, 500, 1000])
    laughs = "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, rng.randint(7, 10))
    )
    options: dict[str, FileValue] = {
        "alias-cycle": "site_name: x\nnav: &a [*a]\n",
        "alias-map-cycle": "site_name: x\nnav: &a {x: *a}\n",
        "billion-laughs": "site_name: x\na0: &a0 [x, x, x, x, x, x, x, x, x]\n" + laughs,
        "deep-flow": f"site_name: x\nnav: {'[' * nest}{']' * nest}\n",
        "big-int": f"site_name: x\nx: {'9' * 5000}\n",
        "inherit-nul": 'INHERIT: "a\\0b"\nsite_name: x\n',
        "inherit-fifo": "INHERIT: base.yml\nsite_name: x\n",
        "inherit-outside": "INHERIT: ../outside/victim.yml\nsite_name: x\n",
        "inherit-env": "INHERIT: !ENV [DOCSYNC_ROBUST_SECRET, x.yml]\nsite_name: x\n",
        "toc-backslash": "site_name: x\nmarkdown_extensions:\n  - toc:\n      separator: '\\'\n",
        "toc-group": "site_name: x\nmarkdown_extensions:\n  - toc:\n      separator: '\\g<0>'\n",
        "exclude-docs-bad": "site_name: x\nexclude_docs: |\n  [z-a]\n  [!]\n  [^]\n",
        "docs-dir-outside": "site_name: x\ndocs_dir: ../outside\n",
        "not-mapping": "- a\n- b\n",
        "python-tag": "site_name: x\nx: !!python/object/apply:os.system ['true']\n",
        "bad-yaml": "site_name: [x\n",
    }
    name = rng.choice(sorted(options))
    files: dict[str, FileValue] = {"mkdocs.yml": options[name], "docs/index.md": _PAGE}
    if name == "inherit-fifo":
        files["base.yml"] = Special("fifo")
    return name, files


def _pages(rng: random.Random) -> tuple[str, dict[str, FileValue]]:
    count = rng.choice([2000, 20000])
    options: dict[str, Callable[[], FileValue]] = {
        "long-link": lambda: f"# A\n\n[x]({'a' * rng.choice([300, 5000, 40000])}.md)\n",
        "deep-code-block": lambda: (
            "# A\n\n```python\nx = " + "-" * rng.choice([1000, 20000]) + "1\n```\n"
        ),
        "deep-paren-block": lambda: "# A\n\n```python\nx = " + "(" * 5000 + ")" * 5000 + "\n```\n",
        "many-headings": lambda: "\n\n".join(["# Usage"] * count) + "\n",
        "markdown-injection": lambda: "# A\n\n[x](<a` @octocat `b.md>) [y](<img src=x>)\n",
        "code-refs": lambda: (
            "# A\n\n"
            + "".join(f"`pkg.mod.{rng.choice(['func_0', 'nope', 'a' * 5000])}`\n" for _ in range(9))
        ),
        "binary": lambda: bytes(rng.randrange(256) for _ in range(400)),
        "fifo-page": lambda: Special("fifo"),
        "link-outside-page": lambda: Special("link", "@outside/victim.md"),
        "link-dev-zero-page": lambda: Special("link", "/dev/zero"),
        "doctest-page": lambda: "# A\n\n```pycon\n>>> from pkg.mod import func_0\n>>> 1 +\n```\n",
        "mkdocstrings": lambda: "# A\n\n::: pkg.mod.func_0\n\n::: " + "x." * 3000 + "y\n",
    }
    name = rng.choice(sorted(options))
    return name, {"mkdocs.yml": "site_name: x\n", "docs/index.md": options[name]()}


def _git(rng: random.Random) -> tuple[str, dict[str, FileValue], str]:
    states = [
        "corrupt-index",
        "truncated-index",
        "no-commit",
        "detached",
        "renamed",
        "deleted",
        "untracked",
        "garbage-head",
    ]
    state = rng.choice(states)
    return state, {"pkg/mod.py": _module(rng)}, state


def _cache(rng: random.Random) -> tuple[str, str]:
    kinds = ["garbage", "wrong-types", "other-path", "outside-path", "fifo", "truncated"]
    kind = rng.choice(kinds)
    return kind, kind


def _llm(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    kinds = [
        "code-in-docstring",
        "triple-quotes",
        "backslashes",
        "wrong-symbol",
        "huge",
        "not-json",
        "server-error",
        "refusal",
        "fine",
        "secret-echo",
    ]
    picked = tuple(rng.choice(kinds) for _ in range(rng.randint(1, 3)))
    return "+".join(picked), picked


def generate(seed: int, count: int) -> list[Case]:
    """``count`` cases from ``seed``, the categories in turn.

    Args:
        seed: The random seed; the same seed gives the same cases.
        count: How many cases.

    Returns:
        The cases.
    """
    rng = random.Random(seed)
    cases = []
    for index in range(count):
        category = CATEGORIES[index % len(CATEGORIES)]
        base = _base_files(rng)
        files: dict[str, FileValue] = {"pkg/mod.py": _module(rng)}
        git = cache = ""
        llm: tuple[str, ...] = ()
        if category == "sources":
            name, extra = _sources(rng)
            files.update(extra)
        elif category == "config":
            name, extra = _config(rng)
            files.update(extra)
        elif category == "mkdocs":
            name, extra = _mkdocs(rng)
            files.update(extra)
        elif category == "pages":
            name, extra = _pages(rng)
            files.update(extra)
        elif category == "git":
            name, extra, git = _git(rng)
            files.update(extra)
        elif category == "cache":
            name, cache = _cache(rng)
        else:
            name, llm = _llm(rng)
        cases.append(Case(category, f"{index}:{name}", files, base, git, llm, cache))
    return cases
