"""The exceptions docsync raises, as one tree.

::

    DocsyncError            anything docsync reports to the user (exit code 2)
    ├── ConfigError         a bad [tool.docsync] key or value, or a bad CLI flag
    ├── SourceError         a path that does not exist or cannot be read
    ├── GitError            a git repository, ref or history problem
    ├── LLMError            the model could not be reached or answered off-schema
    └── DeliveryError       a git push or GitHub API request failed

Each message names the file, line, key or request involved and says what to do next.
The CLI's one handler turns them into a message and an exit code; no traceback.
"""

from __future__ import annotations

from collections.abc import Sequence


class DocsyncError(Exception):
    """Base of every error docsync reports to the user."""

    exit_code = 2


class ConfigError(DocsyncError):
    """A configuration key or value is wrong; ``problems`` lists every one of a run."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        """Say what is wrong.

        Args:
            message: The whole message.
            problems: Each problem, with where it comes from (default: ``message``).
        """
        super().__init__(message)
        self.problems = problems or (message,)

    @classmethod
    def of(cls, problems: Sequence[str]) -> ConfigError:
        """One error for all the configuration problems of a run, one per line.

        Args:
            problems: At least one problem, each naming where it comes from.

        Returns:
            The error; its message is the problem itself when there is one.
        """
        if len(problems) == 1:
            return cls(problems[0])
        lines = "".join(f"\n  {problem}" for problem in problems)
        return cls(f"{len(problems)} configuration errors:{lines}", tuple(problems))


class SourceError(DocsyncError):
    """An input path is missing or unreadable."""


class GitError(DocsyncError):
    """A git repository, ref or history problem."""


class LLMError(DocsyncError):
    """The LLM could not be reached, or its answer failed validation."""


class DeliveryError(DocsyncError):
    """Delivering results (git push, GitHub API) failed."""


PARSER_LIMITS: tuple[type[Exception], ...] = (RecursionError, MemoryError)
"""What a parser (tomllib, PyYAML, ``ast``, libcst, markdown-it) raises on input nested deeper
than it can hold.  Each place that parses untrusted text catches these and reports the file as
too deeply nested, as it reports a syntax error; none escapes as a traceback."""
