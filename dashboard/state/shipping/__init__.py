"""Shipping: the pickers' phone view."""

from dashboard.state.shipping.picking import PickCard, PickingState, PickLineRow

__all__ = [
    "PickCard",
    "PickLineRow",
    "PickingState",
]
