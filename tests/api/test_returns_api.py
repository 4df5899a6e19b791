"""POST /orders/{number}/returns, .../returns/{rma}/receive, .../surcharges and
GET /orders/{number}/returns, on SQLite and PostgreSQL."""

from __future__ import annotations

from dashboard.services import stock
from dashboard.services.db import read_session
from tests.api.conftest import make_key
from tests.api.test_shipments import paid


def level(url, sku):
    with read_session(url) as s:
        lvl = stock.stock_level(s, sku)
        return lvl.on_hand, lvl.committed


def shipped(client, auth, url, qty=2) -> int:
    number = paid(client, auth, url, ("MUG-1", qty))
    r = client.post(f"/api/v1/orders/{number}/shipments", headers=auth, json={
        "lines": [{"sku": "MUG-1", "quantity": qty}], "notify_customer": False})
    assert r.status_code == 201, r.text
    return number


def test_return_at_the_counter_with_restock_and_credit(client, auth, mug, api_url):
    number = shipped(client, auth, api_url)
    assert level(api_url, "MUG-1") == (3, 0)
    r = client.post(f"/api/v1/orders/{number}/returns", headers=auth, json={
        "lines": [{"sku": "MUG-1", "quantity": 1, "reason": "damaged", "restock": True}],
        "resolution": "credit", "received": True})
    assert r.status_code == 201, r.text
    ret = r.json()
    assert (ret["number"], ret["status"], ret["refundable_minor"], ret["credit_note"]) == (
        f"R{number}-1", "received", 1250, "CN000001")
    assert ret["lines"][0]["sku"] == "MUG-1" and ret["lines"][0]["restock"] is True
    assert level(api_url, "MUG-1") == (4, 0)
    after = client.get(f"/api/v1/orders/{number}/returns", headers=auth).json()
    assert [c["number"] for c in after["credit_notes"]] == ["CN000001"]
    assert after["credited_minor"] == 1250
    order = client.get(f"/api/v1/orders/{number}", headers=auth).json()
    assert order["lines"][0]["quantity_returned"] == 1
    assert order["returns"] == [ret] and order["credit_notes"] == after["credit_notes"]


def test_authorise_then_receive(client, auth, mug, api_url):
    number = shipped(client, auth, api_url)
    r = client.post(f"/api/v1/orders/{number}/returns", headers=auth, json={
        "lines": [{"sku": "MUG-1", "quantity": 2, "reason": "other", "reason_text": "too big"}],
        "resolution": "refund"})
    assert r.status_code == 201 and r.json()["status"] == "awaiting_goods"
    rma = r.json()["number"]
    url = f"/api/v1/orders/{number}/returns/{rma}/receive"
    r = client.post(url, headers=auth, json={"lines": []})
    assert r.status_code == 422 and r.json()["error"] == "validation_error"
    r = client.post(url, headers=auth, json={"lines": [{"sku": "MUG-1", "restock": False}]})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "received" and r.json()["credit_note"] == "CN000001"
    assert level(api_url, "MUG-1") == (3, 0)  # written off
    assert client.post(f"/api/v1/orders/{number}/returns/R1-1/receive", headers=auth,
                       json={"lines": []}).status_code == 404


def test_over_return_is_409_and_bad_bodies_422_changing_nothing(client, auth, mug, api_url,
                                                                 snapshot):
    number = shipped(client, auth, api_url, qty=1)
    before = snapshot()
    url = f"/api/v1/orders/{number}/returns"
    r = client.post(url, headers=auth, json={
        "lines": [{"sku": "MUG-1", "quantity": 2, "reason": "damaged", "restock": True}],
        "resolution": "refund", "received": True})
    assert r.status_code == 409 and r.json()["error"] == "return_exceeds_shipped"
    assert r.json()["lines"] == [{"sku": "MUG-1", "requested": 2, "returnable": 1}]
    for body in ({"lines": [], "resolution": "refund"},
                 {"lines": [{"sku": "MUG-1", "quantity": 1, "reason": "bored"}],
                  "resolution": "refund"},
                 {"lines": [{"sku": "NOPE-1", "quantity": 1, "reason": "damaged"}],
                  "resolution": "none"},
                 {"lines": [{"sku": "MUG-1", "quantity": 1, "reason": "damaged"}],
                  "resolution": "credit", "received": True}):
        r = client.post(url, headers=auth, json=body)
        assert r.status_code == 422, (body, r.text)
    assert before.unchanged()


def test_surcharge_raises_the_balance_due(client, auth, mug, api_url):
    number = paid(client, auth, api_url, ("MUG-1", 1))
    r = client.post(f"/api/v1/orders/{number}/surcharges", headers=auth, json={
        "amount": "9.95", "kind": "shipping_change", "reason": "express"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["balance_due_minor"] == 995 and body["surcharges"][0]["kind"] == "shipping_change"
    r = client.post(f"/api/v1/orders/{number}/surcharges", headers=auth, json={
        "amount": "9.95", "kind": "tip", "reason": "x"})
    assert r.status_code == 422
    order = client.get(f"/api/v1/orders/{number}", headers=auth).json()
    assert order["balance_due_minor"] == 995 and len(order["surcharges"]) == 1


def test_writes_need_orders_write(client, mug, api_url):
    reader = {"Authorization": f"Bearer {make_key(api_url, 'reader', ('orders:read',))}"}
    r = client.post("/api/v1/orders/100001/surcharges", headers=reader, json={
        "amount": "1.00", "kind": "other", "reason": "x"})
    assert r.status_code == 403
    assert client.post("/api/v1/orders/100001/returns", json={}).status_code == 401
