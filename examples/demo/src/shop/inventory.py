"""Stock levels (NumPy-style docstrings)."""

from __future__ import annotations

import abc
from typing import Optional


class Inventory:
    """Stock levels of a warehouse.

    Parameters
    ----------
    warehouse : str
        Name of the warehouse.
    capacity : int, optional
        Maximum number of units it holds.
    """

    def __init__(self, name: str, capacity: Optional[int] = None) -> None:
        self.name = name
        self.capacity = capacity
        self.levels: dict[str, int] = {}

    @property
    def units(self) -> int:
        """Total units in stock (properties are not checked for parameters)."""
        return sum(self.levels.values())

    def take(self, sku, count, strict=False):
        """Remove units from stock.

        Parameters
        ----------
        count : int
            How many units to remove.
        sku : str
            The product.
        strict : bool
            Raise instead of clamping at zero.

        Returns
        -------
        int
            The units actually removed.

        Raises
        ------
        KeyError
            If ``strict`` and the product is unknown.
        """
        have = self.levels.get(sku, 0)
        if strict and count > have:
            raise ValueError(f"only {have} of {sku} in stock")
        removed = min(have, count)
        self.levels[sku] = have - removed
        return removed

    def clear(self) -> None:
        """Empty the warehouse.

        Returns
        -------
        int
            The number of units removed.
        """
        self.levels.clear()


def restock(inventory: Inventory, sku: str, count: int) -> int:
    """Add units to stock.

    Parameters
    ----------
    inventory : Inventory
        Where to add them.
    sku : str
        The product.
    count : str
        How many units.
    reason : str
        Why, for the audit log.

    Returns
    -------
    int
        The new stock level.
    """
    inventory.levels[sku] = inventory.levels.get(sku, 0) + count
    return inventory.levels[sku]


class Supplier(abc.ABC):
    """Somewhere to order stock from."""

    @abc.abstractmethod
    def order(self, sku: str, count: int) -> int:
        """Place an order (abstract: its empty body is never reported).

        Parameters
        ----------
        sku : str
            The product.
        count : int
            How many units.

        Returns
        -------
        int
            The order number.

        Raises
        ------
        ConnectionError
            If the supplier cannot be reached.
        """
        raise NotImplementedError
