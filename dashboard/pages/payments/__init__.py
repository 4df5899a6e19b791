"""Payments: the payments page."""

from dashboard.pages.payments.payments import payments_page

__all__ = [
    "payments_page",
]
