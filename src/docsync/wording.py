"""Words that follow a count, for every text docsync writes (terminal, Markdown, logs)."""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, word: str) -> str:
    """``word`` as it reads after ``count``: ``1 finding``, ``0 findings``, ``2 findings``.

    Args:
        count: How many there are.
        word: The singular, which takes an ``s`` in the plural.

    Returns:
        The word, with an ``s`` unless ``count`` is one.
    """
    return word if count == 1 else f"{word}s"
