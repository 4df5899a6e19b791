"""The order timeline says what each return, credit note and surcharge did."""

from __future__ import annotations

import pytest

from dashboard.state.orders.timeline import describe

CASES = [
    ("return_authorised", {"rma": "R100001-1", "lines": {"MUG-1": 1}, "resolution": "credit",
                           "received": False},
     "Return R100001-1 (awaiting goods)", "MUG-1 × 1; Credit"),
    ("return_received", {"rma": "R100001-1", "lines": {"MUG-1": {"quantity": 1, "restock": False}}},
     "Return R100001-1 received", "MUG-1 × 1 written off"),
    ("credit_note_issued", {"credit_note": "CN000007", "amount_minor": 1250,
                            "disposition": "refund_pending"},
     "Credit note CN000007", "A$12.50 Refund pending"),
    ("surcharge_added", {"amount_minor": 995, "kind": "shipping_change", "reason": "express"},
     "Surcharge A$9.95", "Shipping change: express"),
]


@pytest.mark.parametrize(("kind", "params", "title", "detail"), CASES)
def test_return_events_in_words(kind, params, title, detail):
    assert describe(kind, params, "AUD") == (title, detail)
