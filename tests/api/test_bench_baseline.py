"""The benchmark's raw-SQL baseline writes what order placement writes, and only the
benchmark's own server (bench/baseline_app.py) carries its route, never the app."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import func, select

from bench import baseline_app
from bench.baseline import raw_place_order
from dashboard.api.app import create_app
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import Order, OrderEvent, OrderLine
from dashboard.domain.stock import StockMovement
from dashboard.services import orders, stock
from dashboard.services.db import read_session, write_connection, write_session
from dashboard.services.orders import read
from fulfil_testkit.factories import SHOP, add_product, order_in


def counts(url):
    with read_session(url) as s:
        return {m.__name__: s.exec(select(func.count()).select_from(m)).one()
                for m in (Order, OrderLine, OrderEvent, OutboxMessage, StockMovement)}


def test_raw_place_order_writes_the_same_rows_as_the_service(db_url):
    add_product(db_url, "MUG-1", on_hand=3)
    with write_connection(db_url) as conn:
        assert raw_place_order(conn, "MUG-1", 2) == 100001
        assert raw_place_order(conn, "MUG-1", 2) is None  # short: nothing written
        assert raw_place_order(conn, "NOPE-1", 1) is None
    with write_session(db_url) as s:
        orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 1)))
    assert counts(db_url) == {"Order": 2, "OrderLine": 2, "OrderEvent": 2, "OutboxMessage": 2,
                              "StockMovement": 3}  # + the adjustment that stocked it
    with read_session(db_url) as s:
        level = stock.stock_level(s, "MUG-1")
        raw = read.order_detail(s, 100001)  # the read models understand raw rows
        committed = sum(m.committed_delta for m in s.exec(select(StockMovement)).all())
    assert (level.on_hand, level.committed) == (3, 3)
    assert committed == 3  # the ledger still sums to the stock row
    assert (raw["status"], raw["total"], raw["currency"]) == ("unpaid", "25.00", "AUD")
    assert raw["placed_at"].tzinfo is not None
    assert raw["events"][0]["parameters"]["number"] == 100001


def test_the_bench_route_is_served_by_the_bench_alone(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("FULFIL_BENCH_ENDPOINTS", "1")  # the switch that once mounted it
    add_product(db_url, "MUG-1", on_hand=1)
    with TestClient(create_app()) as c:
        assert c.post("/api/v1/_bench/raw-order", json={"sku": "MUG-1"}).status_code == 404
    with TestClient(baseline_app.create_app()) as c:
        r = c.post("/api/v1/_bench/raw-order", json={"sku": "MUG-1", "quantity": 1})
        assert (r.status_code, r.json()) == (201, {"number": 100001})
        r = c.post("/api/v1/_bench/raw-order", json={"sku": "MUG-1", "quantity": 1})
        assert r.status_code == 409
        assert "_bench" not in str(c.get("/api/v1/openapi.json").json()["paths"])
