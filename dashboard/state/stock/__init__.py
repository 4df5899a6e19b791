"""Stock: the stock page."""

from dashboard.state.stock.stock import (
    FILTER_LABELS,
    SORT_OPTIONS,
    Holder,
    Movement,
    StockLine,
    StockState,
)

__all__ = [
    "FILTER_LABELS",
    "Holder",
    "Movement",
    "SORT_OPTIONS",
    "StockLine",
    "StockState",
]
