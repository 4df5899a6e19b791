"""Many shoppers at once, against the real database (real threads, real connections)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import func, select

from dashboard.domain.customers import Customer
from dashboard.domain.errors import InsufficientStock
from dashboard.domain.orders import Order, OrderLine
from dashboard.services import orders, stock
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, add_product, order_in


def _rush(url, make_order, shoppers=50):
    start = threading.Barrier(shoppers)

    def shop(i):
        start.wait()
        try:
            with write_session(url) as s:
                return ("ok", orders.place_order(s, actor=SHOP, order_in=make_order(i)).order.number)
        except InsufficientStock as exc:
            return ("short", exc.shortfalls)
        except Exception as exc:  # anything else is a failure of the test
            return ("error", repr(exc))

    with ThreadPoolExecutor(max_workers=shoppers) as pool:
        return list(pool.map(shop, range(shoppers)))


def test_fifty_shoppers_order_the_last_three_units_at_once(db_url):
    add_product(db_url, "LAST-1", on_hand=3)

    results = _rush(db_url, lambda i: order_in(("LAST-1", 1), email=f"s{i}@example.com"))

    outcomes = [r[0] for r in results]
    assert [r for r in results if r[0] == "error"] == []  # no "database is locked", no 500
    assert outcomes.count("ok") == 3 and outcomes.count("short") == 47
    with read_session(db_url) as s:
        assert s.exec(select(func.count()).select_from(Order)).one() == 3
        level = stock.stock_level(s, "LAST-1")
    assert (level.on_hand, level.committed, level.available) == (3, 3, 0)
    numbers = sorted(r[1] for r in results if r[0] == "ok")
    assert numbers == [100001, 100002, 100003]  # sequential, no gaps from the rejections


def test_multi_line_orders_with_one_short_line_commit_nothing(db_url):
    add_product(db_url, "PLENTY", on_hand=1000)
    add_product(db_url, "SCARCE", on_hand=5)

    # each shopper wants 2 PLENTY and 2 SCARCE: only two orders fit in 5 SCARCE
    results = _rush(db_url, lambda i: order_in(("PLENTY", 2), ("SCARCE", 2), email=f"m{i}@x.io"),
                    shoppers=20)

    assert [r for r in results if r[0] == "error"] == []
    assert [r[0] for r in results].count("ok") == 2
    with read_session(db_url) as s:
        plenty, scarce = stock.stock_level(s, "PLENTY"), stock.stock_level(s, "SCARCE")
        lines = s.exec(select(func.sum(OrderLine.quantity)).where(OrderLine.sku == "PLENTY")).one()
    assert plenty.committed == 4 == lines  # the 18 rejected orders left no PLENTY committed
    assert (scarce.committed, scarce.available) == (4, 1)


def test_same_idempotency_key_sent_concurrently_makes_one_order(db_url):
    add_product(db_url, "MUG-1", on_hand=100)

    def place(_):
        with write_session(db_url) as s:
            return orders.place_order(
                s, actor=SHOP, order_in=order_in(("MUG-1", 1)), idempotency_key="checkout-42"
            ).order.number

    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = set(pool.map(place, range(10)))

    assert len(numbers) == 1
    with read_session(db_url) as s:
        assert s.exec(select(func.count()).select_from(Order)).one() == 1
        assert stock.stock_level(s, "MUG-1").committed == 1


def test_a_new_customer_placing_several_orders_at_once_gets_one_account(db_url):
    add_product(db_url, "MUG-1", on_hand=100)

    results = _rush(db_url, lambda i: order_in(("MUG-1", 1), email="new.customer@example.com"),
                    shoppers=12)

    assert [r[0] for r in results] == ["ok"] * 12
    with read_session(db_url) as s:
        assert s.exec(select(func.count()).select_from(Customer)).one() == 1

