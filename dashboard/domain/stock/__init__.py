"""Stock: products, stock levels and the movement ledger's tables and reasons."""

from dashboard.domain.stock.enums import MovementReason
from dashboard.domain.stock.models import (
    LowStockAlert,
    Product,
    Stock,
    StockDelivery,
    StockMovement,
)

__all__ = [
    "LowStockAlert",
    "MovementReason",
    "Product",
    "Stock",
    "StockDelivery",
    "StockMovement",
]
