"""POST /orders/{number}/shipments and PATCH /orders/{number}/shipments/{id}."""

from __future__ import annotations

from sqlmodel import select

from dashboard.domain.messaging import OutboxMessage
from dashboard.services import stock
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import add_product, pay
from tests.api.conftest import make_key, order_body


def paid(client, auth, url, *lines) -> int:
    r = client.post("/api/v1/orders", json=order_body(*lines), headers=auth)
    assert r.status_code == 201, r.text
    number = r.json()["number"]
    with write_session(url) as s:
        pay(s, number)
    return number


def level(url, sku):
    with read_session(url) as s:
        lvl = stock.stock_level(s, sku)
        return lvl.on_hand, lvl.committed


def shipped_emails(url) -> int:
    with read_session(url) as s:
        return len(s.exec(select(OutboxMessage).where(OutboxMessage.topic == "shipped")).all())


def test_ship_part_of_a_line_then_the_rest_and_read_it_back(client, auth, mug, api_url):
    number = paid(client, auth, api_url, ("MUG-1", 3))
    r = client.post(f"/api/v1/orders/{number}/shipments", headers=auth, json={
        "lines": [{"sku": "MUG-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 1}],
        "carrier": "Sendle", "tracking_number": "SND-1", "notify_customer": True})
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["carrier"] == "Sendle" and first["tracking_number"] == "SND-1"
    assert [(x["sku"], x["quantity"]) for x in first["lines"]] == [("MUG-1", 2)]
    assert first["shipped_by"] == "api:shopfront" and first["shipped_at"].endswith("+00:00")
    assert level(api_url, "MUG-1") == (3, 1) and shipped_emails(api_url) == 1

    order = client.get(f"/api/v1/orders/{number}", headers=auth).json()
    assert order["status"] == "partially_shipped"
    assert order["lines"][0]["shipping_status"] == "part"
    assert order["lines"][0]["quantity_shipped"] == 2
    assert order["shipments"] == [first]

    r = client.post(f"/api/v1/orders/{number}/shipments", headers=auth, json={
        "lines": [{"sku": "MUG-1", "quantity": 1}], "notify_customer": False})
    assert r.status_code == 201 and r.json()["carrier"] is None
    order = client.get(f"/api/v1/orders/{number}", headers=auth).json()
    assert order["status"] == "shipped" and order["lines"][0]["shipping_status"] == "shipped"
    assert len(order["shipments"]) == 2
    assert level(api_url, "MUG-1") == (2, 0) and shipped_emails(api_url) == 1


def test_more_than_is_unshipped_is_a_409_that_changes_nothing(client, auth, mug, api_url,
                                                               snapshot):
    add_product(api_url, "TEA-1", on_hand=3)
    number = paid(client, auth, api_url, ("MUG-1", 2), ("TEA-1", 1))
    before = snapshot()
    r = client.post(f"/api/v1/orders/{number}/shipments", headers=auth, json={
        "lines": [{"sku": "TEA-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 3}],
        "notify_customer": True})
    assert r.status_code == 409
    body = r.json()
    assert body["error"] == "exceeds_unshipped"
    assert body["lines"] == [{"sku": "MUG-1", "requested": 3, "unshipped": 2}]
    assert before.unchanged()


def test_a_sku_not_in_the_order_and_bad_bodies_are_422(client, auth, mug, api_url, snapshot):
    add_product(api_url, "TEA-1", on_hand=3)
    number = paid(client, auth, api_url, ("MUG-1", 1))
    before = snapshot()
    url = f"/api/v1/orders/{number}/shipments"
    for body, field in (
        ({"lines": [{"sku": "TEA-1", "quantity": 1}], "notify_customer": True}, "lines.TEA-1"),
        ({"lines": [], "notify_customer": True}, "lines"),
        ({"lines": [{"sku": "MUG-1", "quantity": 0}], "notify_customer": True}, "lines.0.quantity"),
        ({"lines": [{"sku": "MUG-1", "quantity": 1}]}, "notify_customer"),
        ({"lines": [{"sku": "MUG-1", "quantity": 1}], "notify_customer": True,
          "tracking_number": "T-1"}, "carrier"),
        ({"lines": [{"sku": "MUG-1", "quantity": 1}], "notify_customer": True,
          "carrier": "DHL", "tracking_number": "<b>"}, "tracking_number"),
    ):
        r = client.post(url, headers=auth, json=body)
        assert r.status_code == 422, (body, r.text)
        assert field in r.json()["fields"], (body, r.json())
    assert before.unchanged()


def test_unknown_orders_unpaid_orders_and_missing_scopes(client, auth, mug, api_url):
    body = {"lines": [{"sku": "MUG-1", "quantity": 1}], "notify_customer": False}
    assert client.post("/api/v1/orders/100999/shipments", headers=auth,
                       json=body).status_code == 404
    r = client.post("/api/v1/orders", json=order_body(("MUG-1", 1)), headers=auth)
    unpaid = r.json()["number"]
    r = client.post(f"/api/v1/orders/{unpaid}/shipments", headers=auth, json=body)
    assert r.status_code == 409 and r.json()["error"] == "invalid_transition"
    reader = {"Authorization": f"Bearer {make_key(api_url, 'reader', ('orders:read',))}"}
    r = client.post(f"/api/v1/orders/{unpaid}/shipments", headers=reader, json=body)
    assert r.status_code == 403
    assert client.post(f"/api/v1/orders/{unpaid}/shipments", json=body).status_code == 401
    assert level(api_url, "MUG-1") == (5, 1)


def test_correct_a_shipments_tracking_with_or_without_a_new_email(client, auth, mug, api_url):
    number = paid(client, auth, api_url, ("MUG-1", 1))
    shipment = client.post(f"/api/v1/orders/{number}/shipments", headers=auth, json={
        "lines": [{"sku": "MUG-1", "quantity": 1}], "carrier": "Sendle",
        "tracking_number": "SND-1", "notify_customer": False}).json()
    url = f"/api/v1/orders/{number}/shipments/{shipment['id']}"

    r = client.patch(url, headers=auth, json={"carrier": "DHL", "tracking_number": "D-77"})
    assert r.status_code == 200, r.text
    assert (r.json()["carrier"], r.json()["tracking_number"]) == ("DHL", "D-77")
    assert shipped_emails(api_url) == 0
    r = client.patch(url, headers=auth, json={"carrier": "DHL", "tracking_number": "D-78",
                                              "notify_customer": True})
    assert r.status_code == 200 and shipped_emails(api_url) == 1

    order = client.get(f"/api/v1/orders/{number}", headers=auth).json()
    edits = [e["parameters"] for e in order["events"] if e["type"] == "tracking_edited"]
    assert [e["after"]["tracking_number"] for e in edits] == ["D-77", "D-78"]
    assert order["shipments"][0]["tracking_number"] == "D-78"

    same = client.patch(url, headers=auth, json={"carrier": "DHL", "tracking_number": "D-78"})
    assert same.status_code == 422
    assert client.patch(f"/api/v1/orders/{number}/shipments/999", headers=auth,
                        json={"carrier": "DHL"}).status_code == 404


def test_the_shipment_routes_are_in_the_published_api(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    post = paths["/api/v1/orders/{number}/shipments"]["post"]
    assert "orders:write" in post["description"] and "409" in post["responses"]
    assert "patch" in paths["/api/v1/orders/{number}/shipments/{shipment_id}"]
