"""Orders: the list, one order, phone orders."""

from dashboard.pages.orders.detail import order_view_page
from dashboard.pages.orders.list import orders_page
from dashboard.pages.orders.phone_order import phone_order_page

__all__ = [
    "order_view_page",
    "orders_page",
    "phone_order_page",
]
