"""Shipping: the pickers' phone page."""

from dashboard.pages.shipping.picking import picking_page

__all__ = [
    "picking_page",
]
