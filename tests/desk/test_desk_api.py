"""The desk over HTTP: scoped keys, JSON errors, and the same rules as the UI."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dashboard.api.app import api
from fulfil_testkit.factories import add_product, pay
from tests.api.conftest import make_key, order_body


@pytest.fixture
def desk(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    add_product(db_url, "MUG-1", on_hand=20, price="12.50")
    add_product(db_url, "TEA-1", on_hand=5, price="8.00", barcode="9300000000016")
    with TestClient(api) as client:
        writer = {"Authorization": f"Bearer {make_key(db_url)}"}
        reader = {"Authorization": "Bearer " + make_key(db_url, "reader", ("orders:read",))}
        yield client, writer, reader


def _place(client, auth, *lines, **changes) -> dict:
    r = client.post("/api/v1/orders", json=order_body(*lines, **changes), headers=auth)
    assert r.status_code == 201, r.text
    return r.json()


def test_search_by_phone_and_sku(desk):
    client, writer, reader = desk
    order = _place(client, writer, ("MUG-1", 1))
    r = client.get("/api/v1/search/orders", params={"q": "0400 000 000"}, headers=reader)
    assert r.status_code == 200 and [i["number"] for i in r.json()["items"]] == [order["number"]]
    r = client.get("/api/v1/search/orders", params={"q": "mug-1", "delivery_method": "courier",
                                                    "date_from": "2000-01-01"}, headers=reader)
    assert r.json()["total"] == 1 and r.json()["total_exact"]
    r = client.get("/api/v1/search/orders", params={"date_from": "nope"}, headers=reader)
    assert r.status_code == 422 and "date_from" in r.json()["fields"]
    assert client.get("/api/v1/search/orders").status_code == 401


def test_edits_need_the_write_scope_and_apply_atomically(desk):
    client, writer, reader = desk
    order = _place(client, writer, ("MUG-1", 1))
    line_id = order["lines"][0]["id"]
    body = {"edits": [{"op": "set_quantity", "line_id": line_id, "quantity": 3},
                      {"op": "add_line", "sku": "TEA-1", "quantity": 1},
                      {"op": "override_price", "line_id": line_id, "unit_price": "10.00",
                       "reason": "loyal customer"}]}
    r = client.post(f"/api/v1/orders/{order['number']}/edits", json=body, headers=reader)
    assert r.status_code == 403
    r = client.post(f"/api/v1/orders/{order['number']}/edits", json=body, headers=writer)
    assert r.status_code == 200, r.text
    assert r.json()["total"] == "38.00"
    assert [c["type"] for c in r.json()["changes"]] == [
        "quantity_changed", "line_added", "price_overridden"]
    too_many = {"edits": [{"op": "add_line", "sku": "TEA-1", "quantity": 50}]}
    r = client.post(f"/api/v1/orders/{order['number']}/edits", json=too_many, headers=writer)
    assert r.status_code == 409 and r.json()["error"] == "insufficient_stock"
    detail = client.get(f"/api/v1/orders/{order['number']}", headers=reader).json()
    assert detail["total"] == "38.00"
    types = [e["type"] for e in detail["events"]]
    assert types.count("quantity_changed") == 1 and "line_added" in types


def test_edit_refused_once_picking_started(desk, db_url):
    from dashboard.domain.orders import OrderStatus
    from dashboard.services import orders
    from dashboard.services.db import write_session
    from fulfil_testkit.factories import STAFF

    client, writer, _ = desk
    order = _place(client, writer, ("MUG-1", 1))
    with write_session(db_url) as s:
        pay(s, order["number"])
        orders.change_status(s, actor=STAFF, number=order["number"], target=OrderStatus.PICKING)
    r = client.post(f"/api/v1/orders/{order['number']}/edits", headers=writer, json={
        "edits": [{"op": "set_quantity", "line_id": order["lines"][0]["id"], "quantity": 2}]})
    assert r.status_code == 409 and r.json()["error"] == "order_not_editable"
    assert "Picking has started" in r.json()["message"]


def test_address_check_correct_and_override(desk):
    client, writer, reader = desk
    body = order_body(("MUG-1", 1))
    body["shipping_address"]["postal_code"] = "20000"
    order = client.post("/api/v1/orders", json=body, headers=writer).json()
    n = order["number"]
    r = client.get(f"/api/v1/orders/{n}/address", headers=reader).json()
    assert r["status"] == "invalid" and "postal_code" in r["problems"] and r["label_block"]
    fixed = {**body["shipping_address"], "postal_code": "2000"}
    r = client.put(f"/api/v1/orders/{n}/address", json=fixed, headers=writer)
    assert r.status_code == 200 and r.json()["status"] == "valid"
    r = client.post(f"/api/v1/orders/{n}/address/override", json={"reason": "x"}, headers=writer)
    assert r.status_code == 422  # nothing to override now
    assert client.post(f"/api/v1/orders/{n}/address/verify", headers=writer).json()["status"] == "valid"


def test_notes_bulk_and_customers(desk):
    client, writer, reader = desk
    a = _place(client, writer, ("MUG-1", 1))
    b = _place(client, writer, ("MUG-1", 1), customer={"email": "grace@example.com",
                                                        "name": "Grace Hopper"})
    note = client.post(f"/api/v1/orders/{a['number']}/notes", json={"body": "VIP"},
                       headers=writer).json()
    r = client.patch(f"/api/v1/orders/{a['number']}/notes/{note['id']}",
                     json={"body": "VIP, gift wrap", "pinned": True}, headers=writer)
    assert r.json()["pinned"] and r.json()["body"] == "VIP, gift wrap"
    r = client.post("/api/v1/orders/bulk", headers=writer, json={
        "action": "mark_paid", "numbers": [a["number"], b["number"], 999999],
        "reference": "DEP-1"})
    assert r.status_code == 200
    assert r.json()["succeeded"] == [a["number"], b["number"]]
    assert r.json()["results"][2]["ok"] is False and r.json()["results"][2]["code"]
    r = client.get("/api/v1/customers", params={"q": "grace"}, headers=reader).json()
    assert [c["email"] for c in r["items"]] == ["grace@example.com"]
    assert r["items"][0]["lifetime_value"] == {"AUD": "12.50"}
    cid = r["items"][0]["id"]
    detail = client.get(f"/api/v1/customers/{cid}", headers=reader).json()
    assert detail["orders"][0]["number"] == b["number"] and detail["addresses"]
    r = client.post("/api/v1/customers", headers=writer, json={
        "customer": {"email": "new@example.com", "name": "新客户"}})
    assert r.status_code == 201
    r = client.post("/api/v1/customers", headers=writer, json={
        "customer": {"email": "new@example.com", "name": "Again"}})
    assert r.status_code == 422 and r.json()["fields"]["email"]
    r = client.post(f"/api/v1/orders/{b['number']}/customer", headers=writer,
                    json={"customer_id": detail["id"] + 1})
    assert r.status_code in (200, 404)


def test_repeat_and_take_over(desk):
    client, writer, reader = desk
    order = _place(client, writer, ("TEA-1", 3))
    r = client.get(f"/api/v1/orders/{order['number']}/repeat", headers=reader).json()
    assert r["ok"] is False and r["lines"][0]["available"] == 2  # 5 on hand, 3 committed
    r = client.post(f"/api/v1/orders/{order['number']}/take-over", headers=writer)
    assert r.status_code == 200 and r.json()["assignee"].startswith("api:")
