"""The demo shop: every status on show, and stock that adds up, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from barcode import EAN13
from sqlmodel import select

from dashboard.domain.customers import Customer
from dashboard.domain.messaging import OutboxMessage, OutboxStatus
from dashboard.domain.orders import OPEN_STATUSES, Order, OrderEvent, OrderLine, OrderStatus
from dashboard.domain.stock import Product, Stock, StockMovement
from dashboard.services.db import dispose_engines, read_session
from dashboard.services.demo import seed_demo

NOW = datetime(2026, 5, 20, 3, 0, tzinfo=UTC)
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_a_small_demo_shop_shows_every_status_and_its_stock_adds_up(db_url):
    # when
    counts = seed_demo(db_url, orders=120, seed=11, now=NOW)
    # then every status is on show
    assert counts["orders"] == 120
    assert set(counts["by_status"]) == {s.value for s in OrderStatus}
    with read_session(db_url) as s:
        products = s.exec(select(Product)).all()
        stock = {row.product_id: row for row in s.exec(select(Stock))}
        moves = s.exec(select(StockMovement)).all()
        orders = {o.id: o for o in s.exec(select(Order))}
        lines = s.exec(select(OrderLine)).all()
        customers = s.exec(select(Customer)).all()
        events = s.exec(select(OrderEvent).order_by(OrderEvent.id)).all()
        outbox = s.exec(select(OutboxMessage)).all()

        assert 55 <= len(products) <= 65
        assert {o.status for o in orders.values()} == set(OrderStatus)
        # the ledger replays to the stock rows; committed is exactly what open orders still need
        ledger = defaultdict(lambda: [0, 0])
        for m in moves:
            ledger[m.product_id][0] += m.on_hand_delta
            ledger[m.product_id][1] += m.committed_delta
        unshipped = defaultdict(int)
        for line in lines:
            if orders[line.order_id].status in OPEN_STATUSES:
                unshipped[line.product_id] += line.quantity - line.quantity_shipped
        for p in products:
            row = stock[p.id]
            assert ledger[p.id] == [row.on_hand, row.committed], p.sku
            assert row.committed == unshipped[p.id], p.sku
            assert row.available >= 0 and row.on_hand >= 0, p.sku
            # a real EAN-13: python-barcode recomputes the check digit from the first twelve
            assert len(p.barcode) == 13 and EAN13(p.barcode[:12]).get_fullcode() == p.barcode
            assert re.fullmatch(r"[A-E]-\d{2}-\d", p.bin_location)
        # a Chinese-speaking clientele, in Australia and in China
        chinese = [c for c in customers if HAN.search(c.name)]
        assert chinese and len(chinese) < len(customers) / 4
        # history lies in the past, each order's timeline in order
        assert all(o.placed_at <= o.updated_at <= NOW for o in orders.values())
        assert min(o.placed_at for o in orders.values()) < NOW - timedelta(days=300)
        last_seen: dict[int, datetime] = {}
        for e in events:
            assert orders[e.order_id].placed_at <= e.created_at <= NOW
            assert e.created_at >= last_seen.get(e.order_id, e.created_at)
            last_seen[e.order_id] = e.created_at
        assert all(m.created_at <= NOW for m in moves)
        # the old new-order emails are history, not a queue waiting to go out
        assert outbox and all(m.status == OutboxStatus.SENT for m in outbox)


def test_the_same_seed_builds_the_same_shop(sqlite_template, tmp_path):
    def build(name: str) -> list[tuple]:
        path = tmp_path / f"{name}.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
        seed_demo(url, orders=30, seed=5, now=NOW)
        with read_session(url) as s:
            rows = s.exec(
                select(Order.number, Order.status, Order.total_minor, Order.placed_at,
                       Customer.email, Customer.name)
                .join(Customer, Customer.id == Order.customer_id).order_by(Order.number)
            ).all()
        dispose_engines()
        return [tuple(r) for r in rows]

    assert build("first") == build("second")
