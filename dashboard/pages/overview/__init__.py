"""The overview page."""

from dashboard.pages.overview.overview import ROUTE, overview_page

__all__ = [
    "ROUTE",
    "overview_page",
]
