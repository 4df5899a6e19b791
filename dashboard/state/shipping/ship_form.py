"""What the ship dialog shows of an order's lines, shared by the order page and the board
(components/ship_dialog draws it; domain.shipping.shipping_facts reads the form back)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from dashboard.domain.shipping import CARRIERS

CARRIER_OPTIONS = list(CARRIERS)


@dataclasses.dataclass
class ShipLineView:
    id: int
    sku: str
    name: str
    ordered: int
    shipped: int
    unshipped: int  # what the dialog offers by default


def ship_line_views(lines: Iterable[dict]) -> list[ShipLineView]:
    """The lines with units left to ship (dicts with id, sku, name, quantity and
    quantity_shipped)."""
    return [ShipLineView(x["id"], x["sku"], x["name"], x["quantity"], x["quantity_shipped"],
                         x["quantity"] - x["quantity_shipped"])
            for x in lines if x["quantity"] > x["quantity_shipped"]]


def form_facts(form: object) -> dict:
    """A submitted form as the facts a service reads: text keys and values only."""
    if not isinstance(form, dict):
        return {}
    return {k[:40]: v if isinstance(v, bool) else str(v)[:200]
            for k, v in list(form.items())[:400] if isinstance(k, str)}
