"""Text on its way out: escaped for the sink it goes to, and scrubbed of secrets.

Messages carry text from untrusted inputs (paths, names, config values from a pull
request), so nothing reaches a terminal, a log or a workflow command as it came:

* :func:`scrub_output` replaces secrets, as for LLM traffic
  (:func:`docsync.redact.scrub_secrets`: token patterns and the values of
  credential-like environment variables such as ``INPUT_GITHUB_TOKEN``);
* :func:`for_terminal` also shows control characters as escapes (``\\x1b``,
  ``\\n`` in a one-line message, bidi overrides), so input cannot move the cursor,
  recolour the screen, or start a line the Actions runner reads as a command;
* :func:`workflow_data` and :func:`workflow_property` escape as the Actions
  toolkit does (``%``, ``\\r``, ``\\n``; and ``:`` and ``,`` in a property);
* :func:`stop_commands` wraps log text so the runner runs no command in it.
"""

from __future__ import annotations

import os
import re

from docsync.redact import scrub_secrets

__all__ = ["for_terminal", "scrub_output", "stop_commands", "workflow_data", "workflow_property"]

# C0 and C1 controls, DEL, and the bidi embeddings/overrides/isolates ("Trojan Source").
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_KEPT_IN_TEXT = frozenset("\n\t")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def scrub_output(text: str) -> str:
    """``text`` with every apparent secret replaced by ``[REDACTED]``.

    Args:
        text: Anything about to be printed or written for people to read.

    Returns:
        The text, secrets replaced.
    """
    return scrub_secrets(text)


def for_terminal(text: str, *, multiline: bool = False) -> str:
    """``text`` scrubbed, with its control characters shown as escapes.

    Args:
        text: A message or report.
        multiline: Keep line breaks and tabs (a report); otherwise they are shown
            as ``\\n`` and ``\\t`` too, so the text stays on one line (a message).

    Returns:
        Printable text.
    """

    def visible(match: re.Match[str]) -> str:
        char = match.group()
        if multiline and char in _KEPT_IN_TEXT:
            return char
        if char in _NAMED:
            return _NAMED[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _CONTROL_RE.sub(visible, scrub_output(text))


def workflow_data(text: str) -> str:
    """``text`` scrubbed and escaped as the message of a workflow command.

    Args:
        text: The message (after ``::``) of ``::warning ...::message``.

    Returns:
        The escaped message (``%`` -> ``%25``, ``\\r`` -> ``%0D``, ``\\n`` -> ``%0A``).
    """
    scrubbed = scrub_output(text)
    return scrubbed.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """``text`` scrubbed and escaped as a property value of a workflow command.

    Args:
        text: A value such as ``file=`` or ``title=``.

    Returns:
        The escaped value (as :func:`workflow_data`, and ``:`` -> ``%3A``, ``,`` -> ``%2C``).
    """
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def stop_commands(text: str) -> str:
    """``text`` for a step's log, between ``::stop-commands::`` and its resume line.

    The runner reads no workflow command in between, whatever the lines hold; the
    token is random, so the text cannot end the pause itself.

    Args:
        text: Log text that may hold input (it is scrubbed too).

    Returns:
        The wrapped text, ending with a newline.
    """
    # What secrets.token_hex does, without importing secrets (and hashlib) at start-up.
    token = f"docsync-{os.urandom(16).hex()}"
    body = scrub_output(text).replace(token, "[token]")
    body = body if body.endswith("\n") or not body else body + "\n"
    return f"::stop-commands::{token}\n{body}::{token}::\n"
