"""Stock levels, adjustments by hand and the basket check."""

from __future__ import annotations

import pytest

from tests.api.conftest import Snapshot, order_body


def test_adjust_then_read_the_level(client, auth, mug):
    r = client.post("/api/v1/stock/MUG-1/adjustments", json={"delta": 7, "reason": "received"},
                    headers=auth)
    assert r.status_code == 200, r.text
    assert r.json() == {"sku": "MUG-1", "on_hand": 12, "committed": 0, "available": 12}
    client.post("/api/v1/orders", json=order_body(("MUG-1", 2)), headers=auth)
    r = client.post("/api/v1/stock/MUG-1/adjustments", json={"delta": -3, "reason": "broken"},
                    headers=auth)
    assert r.json() == {"sku": "MUG-1", "on_hand": 9, "committed": 2, "available": 7}
    assert client.get("/api/v1/stock/MUG-1", headers=auth).json() == r.json()


def test_units_promised_to_orders_cannot_be_adjusted_away(client, auth, mug, api_url):
    client.post("/api/v1/orders", json=order_body(("MUG-1", 4)), headers=auth)
    before = Snapshot(api_url)
    r = client.post("/api/v1/stock/MUG-1/adjustments", json={"delta": -2, "reason": "lost"},
                    headers=auth)
    assert r.status_code == 409
    assert r.json()["error"] == "stock_held_by_orders"
    assert (r.json()["on_hand"], r.json()["committed"]) == (5, 4)
    assert before.unchanged()


def test_unknown_sku_is_404(client, auth):
    for r in (
        client.get("/api/v1/stock/NOPE-1", headers=auth),
        client.post("/api/v1/stock/NOPE-1/adjustments", json={"delta": 1, "reason": "x"},
                    headers=auth),
    ):
        assert r.status_code == 404
        assert r.json()["error"] == "not_found" and "NOPE-1" in r.json()["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"delta": 0, "reason": "x"}, "delta"),
        ({"delta": 1.5, "reason": "x"}, "delta"),
        ({"delta": "3", "reason": "x"}, "delta"),
        ({"delta": True, "reason": "x"}, "delta"),
        ({"delta": 10**30, "reason": "x"}, "delta"),
        ({"delta": 1_000_001, "reason": "x"}, "delta"),
        ({"delta": 1, "reason": ""}, "reason"),
        ({"delta": 1, "reason": "   "}, "reason"),
        ({"delta": 1, "reason": "r" * 501}, "reason"),
        ({"delta": 1, "reason": "nul\x00"}, "reason"),
        ({"delta": 1}, "reason"),
    ],
)
def test_bad_adjustments_are_422_and_change_nothing(client, auth, mug, api_url, body, field):
    before = Snapshot(api_url)
    r = client.post("/api/v1/stock/MUG-1/adjustments", json=body, headers=auth)
    assert r.status_code == 422, r.text
    assert field in r.json()["fields"]
    assert before.unchanged()


def test_check_a_basket(client, auth, mug, api_url):
    from fulfil_testkit.factories import add_product

    add_product(api_url, "TEA-1", on_hand=1)
    client.put("/api/v1/products/OLD-1", json={"name": "Old", "price": "1", "currency": "AUD",
                                                "active": False}, headers=auth)
    r = client.post("/api/v1/stock/check", headers=auth, json={"lines": [
        {"sku": "MUG-1", "quantity": 2}, {"sku": "TEA-1", "quantity": 2},
        {"sku": "MUG-1", "quantity": 1}, {"sku": "NOPE-1", "quantity": 1},
        {"sku": "OLD-1", "quantity": 1},
    ]})
    assert r.status_code == 200, r.text
    assert r.json() == {"ok": False, "lines": [
        {"sku": "MUG-1", "requested": 3, "available": 5, "known": True, "ok": True},
        {"sku": "TEA-1", "requested": 2, "available": 1, "known": True, "ok": False},
        {"sku": "NOPE-1", "requested": 1, "available": 0, "known": False, "ok": False},
        {"sku": "OLD-1", "requested": 1, "available": 0, "known": False, "ok": False},
    ]}
    r = client.post("/api/v1/stock/check", headers=auth,
                    json={"lines": [{"sku": "MUG-1", "quantity": 5}]})
    assert r.json()["ok"] is True
    # a check reserves nothing
    assert client.get("/api/v1/stock/MUG-1", headers=auth).json()["committed"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": []}, "lines"),
        ({}, "lines"),
        ({"lines": [{"sku": "MUG-1", "quantity": 0}]}, "lines.0.quantity"),
        ({"lines": [{"sku": "MUG-1", "quantity": 10_001}]}, "lines.0.quantity"),
        ({"lines": [{"sku": "MUG-1", "quantity": 6000}, {"sku": "MUG-1", "quantity": 6000}]},
         "lines"),
        ({"lines": [{"sku": "", "quantity": 1}]}, "lines.0.sku"),
        ({"lines": [{"sku": "MUG-1"}]}, "lines.0.quantity"),
        ({"lines": [{"sku": "MUG-1", "quantity": 1}] * 201}, "lines"),
    ],
)
def test_bad_basket_checks_are_422(client, auth, mug, body, field):
    r = client.post("/api/v1/stock/check", json=body, headers=auth)
    assert r.status_code == 422, r.text
    assert field in r.json()["fields"], r.json()
