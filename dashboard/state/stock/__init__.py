"""Stock: the stock page."""

from dashboard.state.stock.receiving import ReceivingState, ReorderLine
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
    "ReceivingState",
    "ReorderLine",
    "SORT_OPTIONS",
    "StockLine",
    "StockState",
]
