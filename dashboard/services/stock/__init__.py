"""Stock: levels and the movement ledger, and the stock screen with shelf counts."""

from dashboard.domain.stock.models import Product
from dashboard.services.stock.charts import ledger_chart, movement_words, stock_charts
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
from dashboard.services.stock.history import (
    at_risk,
    count_variance,
    not_counted,
    product_history,
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
from dashboard.services.stock.receiving import (
    Delivery,
    low_stock,
    parse_lines,
    receive_delivery,
    run_low_stock_emails,
    send_low_stock_email,
    set_reorder_point,
)

__all__ = [
    "Delivery",
    "FILTERS",
    "MAX_ADJUSTMENT",
    "PER_PAGE",
    "Product",
    "SORTS",
    "StockLevel",
    "StockRow",
    "adjust_stock",
    "at_risk",
    "check_stock",
    "count_variance",
    "holders",
    "ledger_chart",
    "low_stock",
    "list_stock",
    "low_stock_units",
    "movement_words",
    "movements",
    "not_counted",
    "parse_lines",
    "product_history",
    "product_row",
    "products_by_sku",
    "receive_delivery",
    "record_count",
    "run_low_stock_emails",
    "send_low_stock_email",
    "set_reorder_point",
    "stock_charts",
    "stock_level",
    "upsert_product",
]
