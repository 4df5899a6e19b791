"""Stock: the stock page."""

from dashboard.pages.stock.stock import ROUTE, stock_page

__all__ = [
    "ROUTE",
    "stock_page",
]
