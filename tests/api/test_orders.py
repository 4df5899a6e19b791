"""POST /api/v1/orders: placing, idempotency, stock conflicts and validation."""

from __future__ import annotations

import pytest

from fulfil_testkit.factories import add_product
from tests.api.conftest import Snapshot, make_key, order_body

ADDRESS = {"name": "Ada Lovelace", "company": "", "street_address_1": "1 George St",
           "street_address_2": "", "city": "Sydney", "city_area": "", "country_area": "NSW",
           "postal_code": "2000", "country": "AU", "phone": ""}


def test_place_an_order(client, auth, mug, api_url):
    add_product(api_url, "TEA-1", on_hand=3, price="8.05")
    billing = {**ADDRESS, "name": "Accounts", "company": "Analytical Engines Pty Ltd"}
    body = order_body(("MUG-1", 2), ("TEA-1", 3), billing_address=billing, note="Gift wrap",
                      shipping_price="9.90")
    r = client.post("/api/v1/orders", json=body, headers=auth)
    assert r.status_code == 201, r.text
    assert r.headers["location"] == "/api/v1/orders/100001"
    assert "idempotent-replayed" not in r.headers
    order = r.json()
    assert {k: order[k] for k in ("number", "status", "payment_status", "payment_method",
                                  "delivery_method", "currency", "subtotal", "shipping",
                                  "total", "note")} == {
        "number": 100001, "status": "unpaid", "payment_status": "unpaid",
        "payment_method": "bank_transfer", "delivery_method": "courier", "currency": "AUD",
        "subtotal": "49.15", "shipping": "9.90", "total": "59.05", "note": "Gift wrap",
    }
    assert order["customer"] == {"email": "ada@example.com", "name": "Ada Lovelace",
                                 "phone": "+61 400 000 000"}
    assert order["shipping_address"] == ADDRESS and order["billing_address"] == billing
    assert [(line["sku"], line["quantity"], line["unit_price"], line["line_total"])
            for line in order["lines"]] == [("MUG-1", 2, "12.50", "25.00"),
                                             ("TEA-1", 3, "8.05", "24.15")]
    assert order["placed_at"].endswith("+00:00")
    assert client.get("/api/v1/stock/MUG-1", headers=auth).json()["committed"] == 2
    # what POST answered is what GET reads back
    detail = client.get("/api/v1/orders/100001", headers=auth).json()
    assert {k: detail[k] for k in order} == order


def test_a_replayed_key_returns_the_same_order_once(client, auth, mug, api_url):
    headers = {**auth, "Idempotency-Key": "checkout-7f3a"}
    first = client.post("/api/v1/orders", json=order_body(("MUG-1", 2)), headers=headers)
    again = client.post("/api/v1/orders", json=order_body(("MUG-1", 2)), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert client.get("/api/v1/orders", headers=auth).json()["total"] == 1
    assert client.get("/api/v1/stock/MUG-1", headers=auth).json()["committed"] == 2

    # the same key with another body: 409, nothing placed
    before = Snapshot(api_url)
    for body in (order_body(("MUG-1", 3)), order_body(("MUG-1", 2), shipping_price="5.00")):
        r = client.post("/api/v1/orders", json=body, headers=headers)
        assert r.status_code == 409, r.text
        assert r.json()["error"] == "idempotency_key_reused" and r.json()["number"] == 100001
    assert before.unchanged()


def test_idempotency_keys_are_scoped_to_the_api_key(client, auth, mug, api_url):
    other = {"Authorization": f"Bearer {make_key(api_url, 'pos')}", "Idempotency-Key": "k-1"}
    a = client.post("/api/v1/orders", json=order_body(("MUG-1", 1)),
                    headers={**auth, "Idempotency-Key": "k-1"})
    b = client.post("/api/v1/orders", json=order_body(("MUG-1", 1)), headers=other)
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["number"] != b.json()["number"]
    assert "idempotent-replayed" not in b.headers


def test_insufficient_stock_is_409_with_the_short_lines_and_reserves_nothing(
    client, auth, mug, api_url
):
    add_product(api_url, "TEA-1", on_hand=1)
    before = Snapshot(api_url)
    r = client.post("/api/v1/orders", json=order_body(("MUG-1", 2), ("TEA-1", 2)), headers=auth)
    assert r.status_code == 409
    body = r.json()
    assert body["error"] == "insufficient_stock" and body["message"]
    assert body["lines"] == [{"sku": "TEA-1", "requested": 2, "available": 1}]
    assert before.unchanged()
    # and the next good order still gets the first number
    r = client.post("/api/v1/orders", json=order_body(("MUG-1", 2)), headers=auth)
    assert r.json()["number"] == 100001


def test_unicode_customers_and_addresses(client, auth, mug):
    body = order_body(("MUG-1", 1),
                      customer={"email": "wang.fang@example.cn", "name": "王芳"},
                      shipping_address={**ADDRESS, "name": "王芳", "street_address_1": "南京路 100 号",
                                        "city": "上海", "country": "CN", "country_area": "上海市",
                                        "postal_code": "200001"},
                      note="请在工作日送货 🙏")
    r = client.post("/api/v1/orders", json=body, headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["customer"]["name"] == "王芳"
    assert r.json()["shipping_address"]["city"] == "上海"
    assert r.json()["note"] == "请在工作日送货 🙏"


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        # pydantic: shape, types and bounds
        ({"lines": []}, {"lines"}),
        ({"lines": [{"sku": "MUG-1", "quantity": 0}]}, {"lines.0.quantity"}),
        ({"lines": [{"sku": "MUG-1", "quantity": 1.0}]}, {"lines.0.quantity"}),
        ({"lines": [{"sku": "MUG-1", "quantity": "1"}]}, {"lines.0.quantity"}),
        ({"lines": [{"sku": "MUG-1", "quantity": 10**100}]}, {"lines.0.quantity"}),
        ({"lines": [{"sku": "MUG 1", "quantity": 1}]}, {"lines.0.sku"}),
        ({"lines": [{"sku": "MUG-1", "quantity": 1, "price": "0.01"}]}, {"lines.0.price"}),
        ({"payment_method": "bitcoin"}, {"payment_method"}),
        ({"delivery_method": None}, {"delivery_method"}),
        ({"shipping_price": 9.9}, {"shipping_price"}),
        ({"shipping_price": "-1"}, {"shipping_price"}),
        ({"customer": {"name": "Ada"}}, {"customer.email"}),
        ({"customer": {"email": "a@b.co", "name": "n" * 201}}, {"customer.name"}),
        ({"shipping_address": {**ADDRESS, "country": "Australia"}}, {"shipping_address.country"}),
        ({"shipping_address": {**ADDRESS, "postal_code": "1" * 21}},
         {"shipping_address.postal_code"}),
        ({"billing_address": {"name": "x"}},
         {"billing_address.street_address_1", "billing_address.city", "billing_address.country"}),
        ({"note": "n" * 2001}, {"note"}),
        ({"note": "a\x00b"}, {"note"}),
        ({"coupon": "FREE"}, {"coupon"}),
        # the service's rules, in the same shape
        ({"customer": {"email": "not-an-email", "name": "Ada"}}, {"customer.email"}),
        ({"customer": {"email": "a@example.com", "name": "   "}}, {"customer.name"}),
        ({"shipping_address": {**ADDRESS, "city": " "}}, {"shipping_address.city"}),
        ({"payment_method": "pay_on_pickup"}, {"payment_method"}),
        ({"lines": [{"sku": "NOPE-1", "quantity": 1}]}, {"lines.NOPE-1"}),
        ({"lines": [{"sku": "MUG-1", "quantity": 6000}, {"sku": "MUG-1", "quantity": 6000}]},
         {"lines"}),
    ],
)
def test_invalid_orders_are_422_naming_each_field_and_change_nothing(
    client, auth, mug, api_url, change, fields
):
    before = Snapshot(api_url)
    r = client.post("/api/v1/orders", json=order_body(("MUG-1", 1), **change), headers=auth)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "validation_error" and body["message"]
    assert set(body["fields"]) == fields, body["fields"]
    assert all(isinstance(v, str) and v for v in body["fields"].values())
    assert before.unchanged()


@pytest.mark.parametrize("key", ["", "has space", "é-not-ascii", "k" * 201])
def test_bad_idempotency_keys_are_422(client, auth, mug, key):
    headers = {**auth, "Idempotency-Key": key.encode()}
    r = client.post("/api/v1/orders", json=order_body(("MUG-1", 1)), headers=headers)
    assert r.status_code == 422, r.text
    assert "Idempotency-Key" in r.json()["fields"]


def test_a_large_order_fits_on_both_databases(client, auth, api_url):
    # 20,000,000.00 x 2 = 4e9 minor units: beyond a 32-bit integer column
    add_product(api_url, "GOLD-1", on_hand=10, price="20000000.00")
    r = client.post("/api/v1/orders", json=order_body(("GOLD-1", 2)), headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["total"] == "40000000.00"


def test_an_order_total_beyond_any_real_order_is_refused(client, auth, api_url):
    add_product(api_url, "GOLD-2", on_hand=10_000, price="9999999999999.00")
    before = Snapshot(api_url)
    r = client.post("/api/v1/orders", json=order_body(("GOLD-2", 200)), headers=auth)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "validation_error"
    assert before.unchanged()
