"""Keep track of stock."""

from inventory import units
from inventory.store import Store
from inventory.store import open_store as open

__all__ = ["Store", "open", "units"]
