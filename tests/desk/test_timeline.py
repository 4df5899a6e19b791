"""The order page's timeline says what happened in the merchant's words."""

from __future__ import annotations

import pytest

from dashboard.domain.orders import EventType
from dashboard.state.orders import describe

CASES = [
    ("placed", {"lines": {"MUG-1": 2}, "total": "25.00", "currency": "AUD"},
     "Order placed", "MUG-1 × 2; total A$25.00"),
    ("quantity_changed", {"sku": "MUG-1", "from": 2, "to": 3, "total": "37.50"},
     "Quantity of MUG-1: 2 → 3", "New total A$37.50."),
    ("price_overridden", {"sku": "MUG-1", "from": "12.50", "to": "10.00", "reason": "chipped",
                          "total": "20.00"},
     "Price of MUG-1: A$12.50 → A$10.00", "chipped. New total A$20.00."),
    ("line_added", {"sku": "TEA-1", "quantity": 1, "unit_price": "8.00", "total": "33.00"},
     "Line added: TEA-1 × 1", "at A$8.00. New total A$33.00."),
    ("address_checked", {"status": "invalid", "problems": {"postal_code": "2 is not valid."}},
     "Address checked: Invalid", "2 is not valid."),
    ("address_overridden", {"reason": "new estate"}, "Address accepted as it is", "new estate"),
    ("customer_changed", {"from": "a@x.io", "to": "b@x.io"}, "Moved to another customer",
     "a@x.io → b@x.io"),
    ("repeated", {"repeat_of": 100001}, "Repeat of order #100001", ""),
    ("taken_over", {"previous": None}, "Taken over by phone", ""),
    ("shipped", {"lines": {"MUG-1": 1}, "carrier": "AusPost", "tracking_number": None,
                 "status": "shipped"}, "Shipped (Shipped)", "MUG-1 × 1 · AusPost · no tracking"),
    ("something_new", {}, "Something new", ""),
]


@pytest.mark.parametrize(("kind", "params", "title", "detail"), CASES)
def test_describe(kind, params, title, detail):
    assert describe(kind, params, "AUD") == (title, detail)


def test_every_desk_event_has_words():
    for kind in EventType:
        title, _ = describe(kind.value, {}, "AUD")
        assert title and title != kind.value
