"""Shipping: the pickers' phone view, and the ship dialog's rows (order page and board)."""

from dashboard.state.shipping.picking import (
    SHORT_OPTIONS,
    DoneRow,
    PickCard,
    PickingState,
    PickLineRow,
    StopRow,
)
from dashboard.state.shipping.ship_form import (
    CARRIER_OPTIONS,
    ShipLineView,
    form_facts,
    ship_line_views,
)

__all__ = [
    "CARRIER_OPTIONS",
    "SHORT_OPTIONS",
    "DoneRow",
    "PickCard",
    "PickLineRow",
    "PickingState",
    "ShipLineView",
    "StopRow",
    "form_facts",
    "ship_line_views",
]
