"""GET /orders/{number}, GET /orders (filters, pages) and POST /orders/{number}/cancel."""

from __future__ import annotations

from datetime import datetime

import pytest

from dashboard.config import merchant_timezone
from dashboard.services import orders, shipping
from dashboard.services.db import write_session
from fulfil_testkit.factories import STAFF, pay
from tests.api.conftest import Snapshot, order_body


def place(client, auth, *lines, **changes) -> int:
    r = client.post("/api/v1/orders", json=order_body(*lines, **changes), headers=auth)
    assert r.status_code == 201, r.text
    return r.json()["number"]


def test_one_order_with_lines_payments_and_events(client, auth, mug, api_url):
    number = place(client, auth, ("MUG-1", 2))
    with write_session(api_url) as s:
        pay(s, number, reference="TX-42")
    r = client.get(f"/api/v1/orders/{number}", headers=auth)
    assert r.status_code == 200
    order = r.json()
    assert (order["status"], order["payment_status"], order["item_count"]) == ("paid", "paid", 2)
    assert order["payments"][0]["amount"] == "25.00"
    assert order["payments"][0]["reference"] == "TX-42"
    assert [e["type"] for e in order["events"]] == ["placed", "payment_recorded"]
    assert order["events"][0]["actor"] == "api:shopfront"
    assert order["events"][0]["created_at"].endswith("+00:00")
    assert order["lines"][0]["quantity_shipped"] == 0


@pytest.mark.parametrize("number", ["100099", "0", "-1", "2147483648", "abc", "1e3"])
def test_an_unknown_or_impossible_number(client, auth, number):
    r = client.get(f"/api/v1/orders/{number}", headers=auth)
    if number == "100099":
        assert r.status_code == 404 and r.json()["error"] == "not_found"
    else:
        assert r.status_code == 422 and "number" in r.json()["fields"]


def test_list_filter_and_page(client, auth, mug, api_url):
    a = place(client, auth, ("MUG-1", 1), customer={"email": "ada@example.com", "name": "Ada"})
    b = place(client, auth, ("MUG-1", 1), payment_method="card",
              customer={"email": "grace@example.com", "name": "Grace Hopper"})
    c = place(client, auth, ("MUG-1", 1), customer={"email": "wang@example.cn", "name": "王芳"})
    with write_session(api_url) as s:
        orders.cancel_order(s, actor=STAFF, number=c)

    def numbers(**params):
        r = client.get("/api/v1/orders", params=params, headers=auth)
        assert r.status_code == 200, r.text
        return [item["number"] for item in r.json()["items"]]

    page = client.get("/api/v1/orders", headers=auth).json()
    assert (page["total"], page["page"], page["per_page"]) == (3, 1, 50)
    assert [i["number"] for i in page["items"]] == [c, b, a]  # newest first
    assert page["items"][0]["placed_at"].endswith("+00:00")
    assert numbers(status="cancelled") == [c]
    assert numbers(status="unpaid", payment_method="card") == [b]
    assert numbers(payment_status="unpaid") == [c, b, a]
    assert numbers(q="grace") == [b]
    assert numbers(q="王") == [c]
    assert numbers(q=f"#{a}") == [a]
    assert numbers(q="nobody-at-all") == []
    assert numbers(per_page=2) == [c, b]
    assert numbers(per_page=2, page=2) == [a]
    assert numbers(page=99) == []
    placed = datetime.fromisoformat(page["items"][0]["placed_at"])
    month = placed.astimezone(merchant_timezone()).strftime("%Y-%m")  # the shop's calendar
    assert numbers(month=month) == [c, b, a]
    assert numbers(month="2001-01") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"payment_status": "free"}, "payment_status"),
        ({"payment_method": "iou"}, "payment_method"),
        ({"month": "2026-13"}, "month"),
        ({"month": "0000-01"}, "month"),
        ({"month": "9999-12"}, "month"),
        ({"month": "２０２６-01"}, "month"),
        ({"page": 0}, "page"),
        ({"page": "many"}, "page"),
        ({"per_page": 201}, "per_page"),
        ({"q": "x" * 201}, "q"),
        ({"q": "nul\x00"}, "q"),
        ({"q": "²"}, "q"),
    ],
)
def test_bad_filters_are_422(client, auth, params, field):
    r = client.get("/api/v1/orders", params=params, headers=auth)
    assert r.status_code == 422, r.text
    assert field in r.json()["fields"]


def test_cancel_releases_stock_and_records_why(client, auth, mug):
    number = place(client, auth, ("MUG-1", 3))
    r = client.post(f"/api/v1/orders/{number}/cancel", json={"reason": "customer asked"},
                    headers=auth)
    assert r.status_code == 200, r.text
    order = r.json()
    assert (order["status"], order["cancel_reason"]) == ("cancelled", "customer asked")
    assert order["events"][-1]["type"] == "cancelled"
    assert order["events"][-1]["actor"] == "api:shopfront"
    assert client.get("/api/v1/stock/MUG-1", headers=auth).json()["committed"] == 0


def test_cancel_without_a_body(client, auth, mug):
    number = place(client, auth, ("MUG-1", 1))
    r = client.post(f"/api/v1/orders/{number}/cancel", headers=auth)
    assert r.status_code == 200 and r.json()["cancel_reason"] is None


def test_cancel_refuses_cancelled_and_shipped_orders(client, auth, mug, api_url):
    gone = place(client, auth, ("MUG-1", 1))
    shipped = place(client, auth, ("MUG-1", 1))
    client.post(f"/api/v1/orders/{gone}/cancel", headers=auth)
    with write_session(api_url) as s:
        pay(s, shipped)
        shipping.ship_lines(s, actor=STAFF, number=shipped)
    before = Snapshot(api_url)
    for number in (gone, shipped):
        r = client.post(f"/api/v1/orders/{number}/cancel", json={"reason": "again"}, headers=auth)
        assert r.status_code == 409
        assert r.json()["error"] == "invalid_transition" and r.json()["message"]
    assert before.unchanged()
    r = client.post("/api/v1/orders/100099/cancel", headers=auth)
    assert r.status_code == 404


@pytest.mark.parametrize("body", [{"reason": "r" * 501}, {"reason": 5}, {"why": "x"}, [1]])
def test_bad_cancel_bodies_are_422(client, auth, mug, api_url, body):
    number = place(client, auth, ("MUG-1", 1))
    before = Snapshot(api_url)
    r = client.post(f"/api/v1/orders/{number}/cancel", json=body, headers=auth)
    assert r.status_code == 422, r.text
    assert before.unchanged()
