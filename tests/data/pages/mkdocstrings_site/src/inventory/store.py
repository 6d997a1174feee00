"""Stores and how to open them."""


class Base:
    """What every store can do."""

    def close(self) -> None:
        """Close the store."""


class Store(Base):
    """A store of items."""

    def __init__(self, name: str, *, capacity: int = 100) -> None:
        self.name = name
        self.items: dict[str, int] = {}

    def add(self, sku: str, count: int = 1) -> None:
        """Add items."""
        self.items[sku] = self.items.get(sku, 0) + count

    def count(self, sku: str) -> int:
        """How many of an item are in stock."""
        return self.items.get(sku, 0)


def open_store(path: str, *, create: bool = False) -> Store:
    """Open a store."""
    return Store(path)
