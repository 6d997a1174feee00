"""Tokens, prices and the spending limit of LLM drafting.

Every number here is an *estimate*.  Prices come from a small table of list prices
per model family (USD per million tokens, from Anthropic's published pricing,
October 2026): base input, 5-minute cache writes, cache reads and output.  The
Message Batches API costs half of each.  A model the table does not know is priced
as the most expensive model of its family (or of all, if the family is unknown), so
a ``--max-cost`` limit is never loosened by a name docsync has not seen.

Before a request is sent its cost is estimated from the prompt's size
(:func:`estimate_tokens`: one token per three characters, on the high side for
English and code) and an expected answer size; after the answer its real usage
(``input_tokens``, ``output_tokens``, ``cache_creation_input_tokens``,
``cache_read_input_tokens``) settles the estimate.  :class:`Budget` is shared by
the drafting threads and refuses a request whose estimate would take the spend
past the limit.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass

__all__ = [
    "CHARS_PER_TOKEN",
    "Budget",
    "Price",
    "Usage",
    "estimate_tokens",
    "price_of",
]

CHARS_PER_TOKEN = 3.0
"""The heuristic behind :func:`estimate_tokens`: characters per token, rounded down."""


@dataclass(frozen=True)
class Price:
    """List prices of one model in USD per million tokens.

    ``known`` is false for the fallback price of a model the table does not list.
    """

    input: float
    output: float
    cache_write: float
    cache_read: float
    known: bool = True


def _price(input_: float, output: float, cache_read: float) -> Price:
    return Price(input_, output, input_ * 1.25, cache_read)


_TABLE: tuple[tuple[re.Pattern[str], Price], ...] = tuple(
    (re.compile(pattern), price)
    for pattern, price in (
        (r"^claude-(?:fable|mythos)-5-[1-9](?!\d)", _price(10, 50, 0.25)),
        (r"^claude-(?:fable|mythos)-5(?!-\d(?!\d))", _price(10, 50, 1.0)),
        (r"^claude-opus-5-5(?!\d)", _price(4, 20, 0.20)),
        (r"^claude-opus-5(?!-\d(?!\d))", _price(5, 25, 0.50)),
        (r"^claude-opus-4-[5-9](?!\d)", _price(5, 25, 0.50)),
        (r"^claude-(?:opus-4|3-opus)", _price(15, 75, 1.50)),
        (r"^claude-sonnet-5-5(?!\d)", _price(2, 10, 0.10)),
        (r"^claude-sonnet-5(?!-\d(?!\d))", _price(2, 10, 0.20)),
        (r"^claude-(?:sonnet-4|3-7-sonnet|3-5-sonnet)", _price(3, 15, 0.30)),
        (r"^claude-haiku-5-5(?!\d)", _price(0.10, 0.50, 0.01)),
        (r"^claude-haiku-4-5(?!\d)", _price(1, 5, 0.10)),
        (r"^claude-3-5-haiku", _price(0.80, 4, 0.08)),
        (r"^claude-3-haiku", _price(0.25, 1.25, 0.03)),
    )
)
_FAMILY_FALLBACK = {
    "fable": _price(10, 50, 1.0),
    "mythos": _price(10, 50, 1.0),
    "opus": _price(15, 75, 1.50),
    "sonnet": _price(3, 15, 0.30),
    "haiku": _price(1, 5, 0.10),
}
_UNKNOWN = _price(15, 75, 1.50)


def price_of(model: str) -> Price:
    """The list price of a model, or a high fallback for one the table does not know.

    Args:
        model: A model id such as ``claude-sonnet-5-5`` (dated ids match their family).

    Returns:
        The price; ``known`` is false for a fallback.
    """
    for pattern, price in _TABLE:
        if pattern.search(model):
            return price
    for family, price in _FAMILY_FALLBACK.items():
        if family in model:
            return Price(price.input, price.output, price.cache_write, price.cache_read, False)
    return Price(_UNKNOWN.input, _UNKNOWN.output, _UNKNOWN.cache_write, _UNKNOWN.cache_read, False)


def estimate_tokens(text: str) -> int:
    """An estimate of the tokens in ``text``, without asking the API.

    Args:
        text: Prompt or answer text.

    Returns:
        ``ceil(len(text) / CHARS_PER_TOKEN)``.
    """
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class Usage:
    """Token counts of one or more requests, as the API's ``usage`` reports them.

    ``input_tokens`` excludes the cached parts: the prompt's total is the sum of
    the three input counts.
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        """The sum of two usages."""
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
        )

    def cost(self, price: Price, *, batch: bool = False) -> float:
        """The estimated cost of this usage in USD.

        Args:
            price: The model's price.
            batch: Whether the requests went through the Message Batches API (half price).

        Returns:
            The cost.
        """
        total = (
            self.input_tokens * price.input
            + self.output_tokens * price.output
            + self.cache_write_tokens * price.cache_write
            + self.cache_read_tokens * price.cache_read
        ) / 1_000_000
        return total / 2 if batch else total


class Budget:
    """The spend so far and the limit; thread-safe.

    A request *reserves* its estimated cost before it is sent and *settles* it
    with the real cost afterwards, so concurrent requests cannot together pass
    the limit on estimates.
    """

    def __init__(self, limit: float | None) -> None:
        """Start with nothing spent.

        Args:
            limit: The most to spend in USD, or ``None`` for no limit.
        """
        self.limit = limit
        self._spent = 0.0
        self._reserved = 0.0
        self._lock = threading.Lock()

    @property
    def spent(self) -> float:
        """The settled cost so far."""
        with self._lock:
            return self._spent

    def reserve(self, estimate: float) -> bool:
        """Reserve ``estimate`` if the spend, with what is reserved, stays within the limit.

        Args:
            estimate: The request's estimated cost.

        Returns:
            True when the request may be sent.
        """
        with self._lock:
            if self.limit is not None and self._spent + self._reserved + estimate > self.limit:
                return False
            self._reserved += estimate
            return True

    def settle(self, estimate: float, actual: float) -> None:
        """Replace a reservation by what the request really cost.

        Args:
            estimate: The amount :meth:`reserve` reserved.
            actual: The cost from the answer's usage (0 if nothing was billed).
        """
        with self._lock:
            self._reserved = max(0.0, self._reserved - estimate)
            self._spent += actual

    def describe(self) -> str:
        """The limit, the spend so far and what requests in flight hold, for messages.

        The amounts use the same precision as the run's final cost line, so the two
        agree: a limit of $0.0001 is not shown as $0.00.

        Returns:
            Text such as ``$0.50 (spent $0.4812)`` or
            ``$0.50 (spent $0.4012, $0.0800 reserved for requests in flight)``.
        """
        with self._lock:
            spent, reserved = self._spent, self._reserved
        limit = "no limit" if self.limit is None else f"${self.limit:.4f}"
        held = f", ${reserved:.4f} reserved for requests in flight" if reserved > 0 else ""
        return f"{limit} (spent ${spent:.4f}{held})"
