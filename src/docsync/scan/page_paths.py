"""Repository paths a page names outside links: ``pip install -r requirements/docs.txt``.

Commands in shell blocks and file names in inline code point at files of the
repository as surely as links do, but no link checker reads them.  These helpers
find the tokens that can only be paths (a ``/`` between name parts, or a file
suffix), for the base-mode check that a change deleted or moved what a page names.
URLs, options (``--flag``) and absolute paths are not paths of the repository.
"""

from __future__ import annotations

import re

from docsync.models import Link

__all__ = ["SHELL_LANGUAGES", "inline_path", "paths_in_commands"]

# Scripts: every line that is not a comment is a command.
_SCRIPTS = frozenset({"bash", "sh", "shell", "zsh", "fish", "powershell", "ps1", "bat", "cmd"})
SHELL_LANGUAGES = _SCRIPTS | {"", "console", "shell-session", "doscon", "text", "txt"}
_PROMPT = re.compile(r"^(?:\(\S+\)\s*)?(?:[$%>]|PS>|PS [^>]*>)\s+")
# Commands a plain block may show without a prompt (`pip install -r requirements.txt`).
_COMMANDS = frozenset(
    [
        "pip",
        "pip3",
        "python",
        "python3",
        "py",
        "uv",
        "uvx",
        "poetry",
        "pdm",
        "hatch",
        "nox",
        "tox",
        "make",
        "bash",
        "sh",
        "source",
        ".",
        "cat",
        "cp",
        "mv",
        "rm",
        "mkdocs",
        "properdocs",
        "zensical",
        "pytest",
        "pre-commit",
        "git",
        "cd",
        "docker",
        "npm",
        "npx",
    ]
)
_SUFFIXES = "txt|toml|cfg|ini|in|py|md|rst|yml|yaml|json|lock|sh|ps1|bat|env"
_NAME = r"[\w][\w.-]*"
# A path token: parts joined by `/` (`requirements/docs.txt`, `scripts/make`), or one
# name with a file suffix (`noxfile.py`); `./` in front is allowed.
_PATH = rf"(?:\./)?(?:{_NAME}/)+{_NAME}|(?:\./)?[\w-]+(?:\.[\w-]+)*\.(?:{_SUFFIXES})"
_IN_COMMAND = re.compile(rf"(?:(?<=^)|(?<=[\s'\"=(<]))(?P<path>{_PATH})(?=$|[\s'\")>;:,])")
_WHOLE = re.compile(rf"^(?P<path>{_PATH})$")
_MAX_LINES = 500  # of one block
_MAX_LINE = 1_000  # characters of one line


def paths_in_commands(text: str, first_line: int, language: str) -> list[Link]:
    """The path tokens of the commands of a shell (or plain text) block.

    A command is a line after a prompt (``$ ``, ``% ``, ``> ``, ``PS> ``), any line of a
    script (``bash``, ``sh``, ``powershell``...) but comments, or in a plain block a line
    that starts with a common command (``pip``, ``python``, ``make``...).  Output lines
    are not read: they show what a past run printed.

    Args:
        text: The block's content.
        first_line: The page line of its first line.
        language: The block's language (its fence's info word, lower case).

    Returns:
        Each token as a :class:`~docsync.models.Link` without an anchor (``path``
        without a leading ``./``), on its page line.
    """
    found: list[Link] = []
    for offset, raw in enumerate(text.splitlines()[:_MAX_LINES]):
        line = _command(raw.strip(), language)
        if line is None:
            continue  # output, a comment, or prose: only commands are read
        for match in _IN_COMMAND.finditer(line[:_MAX_LINE]):
            written = match["path"]
            found.append(
                Link(written, written.removeprefix("./"), None, line.strip(), first_line + offset)
            )
    return found


def _command(line: str, language: str) -> str | None:
    """The command on a line without its prompt, or ``None`` when it is not one."""
    prompt = _PROMPT.match(line)
    if prompt is not None:
        return line[prompt.end() :]
    if language in _SCRIPTS:
        return None if line.startswith(("#", "REM ", "rem ", "::")) else line
    return line if line.split(" ", 1)[0] in _COMMANDS else None


def inline_path(code: str, line: int) -> Link | None:
    """Inline code that is one path with a ``/`` (`` `requirements/docs.txt` ``), else ``None``.

    Args:
        code: The inline code's content.
        line: Its page line.

    Returns:
        The path as a :class:`~docsync.models.Link` without an anchor.
    """
    match = _WHOLE.match(code.strip())
    if match is None or "/" not in match["path"].removeprefix("./"):
        return None
    written = match["path"]
    return Link(written, written.removeprefix("./"), None, code.strip(), line)
