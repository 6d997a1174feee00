"""Keep secrets out of prompts, answers and messages.

Anything docsync sends to a model or prints about one goes through
:func:`scrub_secrets` first: it replaces what looks like an API key or token
(Anthropic ``sk-ant-...``, GitHub ``ghp_...``/``github_pat_...``, AWS access key
ids, Slack tokens, PEM private keys) and the values of the credential
environment variables docsync knows, whatever they look like: ``GITHUB_TOKEN``,
``ANTHROPIC_API_KEY`` and the like, and any variable whose name says it holds a
secret (``INPUT_GITHUB_TOKEN``, ``*_API_KEY``, ``*SECRET*``, ``*PASSWORD*``).
Environment variables themselves are never put into a prompt.
"""

from __future__ import annotations

import os
import re

__all__ = ["REDACTED", "contains_secret", "scrub_secrets"]

REDACTED = "[REDACTED]"

_SECRET_RE = re.compile(
    r"sk-ant-[A-Za-z0-9_\-]{8,}"
    r"|\bsk-(?:proj-)?[A-Za-z0-9_\-]{20,}"
    r"|\bgh[pousr]_[A-Za-z0-9]{16,}"
    r"|\bgithub_pat_[A-Za-z0-9_]{16,}"
    r"|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"
    r"|\bxox[abposr]-[A-Za-z0-9\-]{10,}"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)"
)
_CREDENTIAL_VARIABLES = (
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "DOCSYNC_GITHUB_TOKEN",
)
_SECRET_NAME_RE = re.compile(
    r"TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|(?:^|[_-])(?:API[_-]?)?KEY(?:$|[_-])",
    re.IGNORECASE,
)
_MIN_SECRET_LENGTH = 8


def _credential_values() -> list[str]:
    names = [n for n in os.environ if n in _CREDENTIAL_VARIABLES or _SECRET_NAME_RE.search(n)]
    values = (os.environ.get(name, "") for name in names)
    return sorted({v for v in values if len(v) >= _MIN_SECRET_LENGTH}, key=len, reverse=True)


def scrub_secrets(text: str) -> str:
    """``text`` with every apparent secret replaced by ``[REDACTED]``.

    Args:
        text: Prompt material, a model's answer, or a message about to be shown.

    Returns:
        The text, secrets replaced.
    """
    for value in _credential_values():
        text = text.replace(value, REDACTED)
    return _SECRET_RE.sub(REDACTED, text)


def contains_secret(text: str) -> bool:
    """Whether ``text`` holds something :func:`scrub_secrets` would replace.

    Args:
        text: Any text.

    Returns:
        True when a secret pattern or a credential variable's value occurs.
    """
    return bool(_SECRET_RE.search(text)) or any(v in text for v in _credential_values())
