"""Taking payments (Sphinx / reST docstrings)."""

from __future__ import annotations

from typing import overload


class PaymentError(Exception):
    """A payment was declined."""


class CardDeclined(PaymentError):
    """The card issuer declined the payment."""


def charge(card: str, amount_cents: int, *, idempotency_key: str | None = None) -> str:
    """Charge a card.

    :param card: the card token.
    :param amount: how much to charge, in cents.
    :param idempotency_key: makes retries safe.
    :returns: the payment id.
    :rtype: int
    :raises PaymentError: if the card is declined.
    :raises TimeoutError: if the payment provider does not answer.
    """
    if card.startswith("declined"):
        raise CardDeclined(card)
    return f"pay_{card[-4:]}_{amount_cents}"


def refund(payment_id: str, amount_cents: int) -> None:
    """Refund a payment, wholly or in part.

    :param payment_id: the payment to refund.
    :param amount_cents: how much to refund, in cents.
    :param reason: shown to the customer.
    :returns: the refund id.
    """
    if amount_cents <= 0:
        raise ValueError("nothing to refund")


@overload
def to_cents(value: int) -> int: ...
@overload
def to_cents(value: str) -> int: ...
def to_cents(value: int | str) -> int:
    """Convert an amount to cents.

    :param value: an amount in cents, or a decimal string such as ``"12.30"``.
    :type value: int or str
    :returns: the amount in cents.
    :rtype: int
    """
    if isinstance(value, int):
        return value
    units, _, cents = value.partition(".")
    return int(units) * 100 + int(cents.ljust(2, "0")[:2])
