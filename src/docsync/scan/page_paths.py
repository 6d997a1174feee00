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

SHELL_LANGUAGES = frozenset(
    {"", "bash", "sh", "shell", "console", "shell-session", "zsh", "fish", "text", "txt"}
    | {"powershell", "ps1", "bat", "cmd", "doscon"}
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


def paths_in_commands(text: str, first_line: int) -> list[Link]:
    """The path tokens of a shell (or plain text) block, one per occurrence.

    Args:
        text: The block's content.
        first_line: The page line of its first line.

    Returns:
        Each token as a :class:`~docsync.models.Link` without an anchor (``path``
        without a leading ``./``), on its page line.
    """
    found: list[Link] = []
    for offset, line in enumerate(text.splitlines()[:_MAX_LINES]):
        for match in _IN_COMMAND.finditer(line[:_MAX_LINE]):
            written = match["path"]
            found.append(
                Link(written, written.removeprefix("./"), None, line.strip(), first_line + offset)
            )
    return found


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
