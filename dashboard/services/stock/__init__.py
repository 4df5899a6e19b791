"""Stock: levels and the movement ledger, and the stock screen with shelf counts."""

from dashboard.domain.stock.models import Product
from dashboard.services.stock.counts import (
    FILTERS,
    PER_PAGE,
    SORTS,
    StockRow,
    holders,
    list_stock,
    low_stock_units,
    movements,
    product_row,
    record_count,
)
from dashboard.services.stock.levels import (
    MAX_ADJUSTMENT,
    StockLevel,
    adjust_stock,
    check_stock,
    products_by_sku,
    stock_level,
    upsert_product,
)

__all__ = [
    "FILTERS",
    "MAX_ADJUSTMENT",
    "PER_PAGE",
    "Product",
    "SORTS",
    "StockLevel",
    "StockRow",
    "adjust_stock",
    "check_stock",
    "holders",
    "list_stock",
    "low_stock_units",
    "movements",
    "product_row",
    "products_by_sku",
    "record_count",
    "stock_level",
    "upsert_product",
]
