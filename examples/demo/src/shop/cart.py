"""Shopping carts (Google-style docstrings)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class LineItem:
    """One product in a cart.

    Args:
        sku: the product's stock-keeping unit.
        quantity: how many of it.
        price_cents: unit price in cents.
        discount: percentage off, 0-100.
    """

    sku: str
    quantity: int = 1
    unit_price: int = 0


@dataclass
class Cart:
    """A customer's cart.

    Attributes:
        items: the line items, in the order they were added.
        owner: the customer the cart belongs to.
        coupon: the coupon code applied at checkout.
    """

    items: list[LineItem] = field(default_factory=list)
    owner: str = ""

    def add(self, sku: str, quantity: int = 1, *, replace: bool = False) -> None:
        """Add a product to the cart.

        Args:
            sku: the product to add.
            qty: how many to add.
            replace: drop any existing line for this product first.
        """
        if replace:
            self.items = [item for item in self.items if item.sku != sku]
        self.items.append(LineItem(sku, quantity))

    def total(self, currency: str = "EUR") -> int:
        """The cart's total in cents.

        Args:
            currency (int): ISO 4217 code of the currency to total in.

        Returns:
            str: the total, in cents of ``currency``.
        """
        return sum(item.quantity * item.unit_price for item in self.items)

    def skus(self) -> Iterator[str]:
        """The products in the cart.

        Returns:
            Each SKU once, in the order first added.
        """
        seen: set[str] = set()
        for item in self.items:
            if item.sku not in seen:
                seen.add(item.sku)
                yield item.sku

    def describe(self, *args: str, **kwargs: str) -> str:
        """A human-readable summary (nothing to report here).

        Args:
            *args: extra lines to append.
            **kwargs: extra ``key: value`` lines to append.

        Returns:
            The summary text.
        """
        lines = [f"{item.quantity} x {item.sku}" for item in self.items]
        lines += list(args) + [f"{k}: {v}" for k, v in kwargs.items()]
        return "\n".join(lines)
