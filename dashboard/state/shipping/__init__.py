"""Shipping: the pickers' phone view."""

from dashboard.state.shipping.picking import (
    SHORT_OPTIONS,
    DoneRow,
    PickCard,
    PickingState,
    PickLineRow,
    StopRow,
)

__all__ = [
    "SHORT_OPTIONS",
    "DoneRow",
    "PickCard",
    "PickLineRow",
    "PickingState",
    "StopRow",
]
