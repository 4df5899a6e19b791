"""Messaging: the Outbox page."""

from dashboard.pages.messaging.outbox import ROUTE, outbox_page

__all__ = [
    "ROUTE",
    "outbox_page",
]
