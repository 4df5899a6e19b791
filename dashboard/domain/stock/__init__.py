"""Stock: products, stock levels and the movement ledger's tables and reasons."""

from dashboard.domain.stock.enums import MovementReason
from dashboard.domain.stock.models import Product, Stock, StockMovement

__all__ = [
    "MovementReason",
    "Product",
    "Stock",
    "StockMovement",
]
