"""A tiny shop library, used to demonstrate docsync."""

from shop.cart import Cart, LineItem
from shop.inventory import Inventory, restock
from shop.payments import PaymentError, charge

__all__ = ["Cart", "Inventory", "LineItem", "PaymentError", "charge", "restock"]
