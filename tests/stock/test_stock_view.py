"""The stock screen's figures on SQLite and PostgreSQL: on hand, held by incomplete
orders, pulled off the shelf, available, what a shelf count should find; the orders
behind the held figure; recording a count."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import func, select

from dashboard.domain.errors import CountOutOfDate, StockHeldByOrders, ValidationFailed
from dashboard.domain.orders import OrderLine, OrderStatus
from dashboard.domain.stock import StockMovement
from dashboard.services import orders, shipping, stock
from dashboard.services.db import read_session, write_session
from dashboard.services.stock import counts as stock_view
from fulfil_testkit.factories import SHOP, STAFF, add_product, order_in, pay


def _order(url: str, *lines: tuple[str, int], to: OrderStatus | None = None) -> int:
    with write_session(url) as s:
        number = orders.place_order(s, actor=SHOP, order_in=order_in(*lines)).number
        if to in (OrderStatus.PAID, OrderStatus.PICKING, OrderStatus.READY_FOR_PICKUP):
            pay(s, number, reference="T1")
        if to in (OrderStatus.PICKING, OrderStatus.READY_FOR_PICKUP):
            orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.PICKING)
        if to is OrderStatus.READY_FOR_PICKUP:
            orders.change_status(s, actor=STAFF, number=number,
                                 target=OrderStatus.READY_FOR_PICKUP)
        if to is OrderStatus.ON_HOLD:
            orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.ON_HOLD,
                                 reason="customer asked")
    return number


def _row(url: str, sku: str) -> stock_view.StockRow:
    with read_session(url) as s:
        return stock_view.product_row(s, sku)


@pytest.fixture
def shop(db_url):
    """MUG: 20 on hand; orders hold 2 (unpaid), 3 (paid), 4 (picking), 1 (on hold);
    one order of 5 shipped in part (3 of 5) still holds 2. TEA: 4 on hand, 4 held.
    JAR: 0 on hand, nothing held."""
    add_product(db_url, "MUG", on_hand=20)
    add_product(db_url, "TEA", on_hand=4)
    add_product(db_url, "JAR", on_hand=0)
    numbers = {
        "unpaid": _order(db_url, ("MUG", 2)),
        "paid": _order(db_url, ("MUG", 3), ("TEA", 4), to=OrderStatus.PAID),
        "picking": _order(db_url, ("MUG", 4), to=OrderStatus.PICKING),
        "hold": _order(db_url, ("MUG", 1), to=OrderStatus.ON_HOLD),
        "part": _order(db_url, ("MUG", 5), to=OrderStatus.PICKING),
    }
    with write_session(db_url) as s:
        order = orders.get_order(s, numbers["part"])
        line_id = s.exec(select(OrderLine.id).where(OrderLine.order_id == order.id)).one()
        shipping.ship_lines(s, actor=STAFF, number=numbers["part"], quantities={line_id: 3},
                          carrier="Sendle", tracking_number="P1", notify_customer=False)
    _order(db_url, ("MUG", 1))  # and one cancelled order holds nothing
    with write_session(db_url) as s:
        cancelled = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG", 1))).number
        orders.cancel_order(s, actor=STAFF, number=cancelled, reason="test")
    return db_url, numbers


def test_the_figures_add_up_to_what_incomplete_orders_hold(shop):
    url, numbers = shop
    mug = _row(url, "MUG")
    # 20 received, 3 shipped; 2 + 3 + 4 + 1 + 2 (part-shipped) + 1 = 13 held
    assert (mug.on_hand, mug.held, mug.available) == (17, 13, 4)
    assert mug.pulled == 4  # the order being picked; the part-shipped rest is on the shelf
    assert mug.on_shelf == 17 - 4
    assert mug.orders == 6
    with read_session(url) as s:
        held = stock_view.holders(s, "MUG")
        assert sum(h["units"] for h in held) == mug.held == stock.stock_level(s, "MUG").committed
    assert [h["number"] for h in held] == sorted(h["number"] for h in held)
    assert {h["number"]: h["pulled"] for h in held}[numbers["picking"]] is True
    assert {h["number"]: h["pulled"] for h in held}[numbers["hold"]] is False


def test_filters_and_counts(shop):
    url, _ = shop
    with read_session(url) as s:
        rows, total, counts = stock_view.list_stock(s)
        assert [r.sku for r in rows] == ["JAR", "MUG", "TEA"] and total == 3
        assert counts == {"all": 3, "held": 2, "low": 3, "out": 2}  # MUG has 4 free (<= 5)
        held, _, _ = stock_view.list_stock(s, only="held")
        assert {r.sku for r in held} == {"MUG", "TEA"}
        out, _, _ = stock_view.list_stock(s, only="out")
        assert {r.sku for r in out} == {"JAR", "TEA"}
        found, total, counts = stock_view.list_stock(s, q="mu")
        assert [r.sku for r in found] == ["MUG"] and total == 1 and counts["out"] == 0
        by_free, _, _ = stock_view.list_stock(s, sort="available")
        assert [r.sku for r in by_free] == ["JAR", "TEA", "MUG"]
        with pytest.raises(ValidationFailed):
            stock_view.list_stock(s, only="everything")


def test_a_shelf_count_adjusts_on_hand_by_the_difference_and_is_remembered(shop):
    url, _ = shop
    before = _row(url, "MUG")
    assert before.last_counted is None
    with write_session(url) as s:
        after = stock_view.record_count(s, actor=STAFF, sku="MUG", counted=before.on_shelf - 2,
                                        expected=before.on_shelf)
    assert after.on_hand == before.on_hand - 2 and after.held == before.held
    assert after.on_shelf == before.on_shelf - 2 and after.last_counted is not None
    with read_session(url) as s:
        newest = stock_view.movements(s, "MUG", limit=1)[0]
    assert newest["on_hand"] == -2 and newest["actor"] == STAFF.label
    assert newest["note"] == f"Shelf count: {before.on_shelf - 2} counted, {before.on_shelf} expected"
    # a count that matches changes nothing but is recorded as the last count
    with write_session(url) as s:
        same = stock_view.record_count(s, actor=STAFF, sku="MUG", counted=after.on_shelf,
                                       expected=after.on_shelf)
    assert same.on_hand == after.on_hand and same.last_counted >= after.last_counted


def test_a_count_made_against_old_figures_or_below_what_orders_hold_changes_nothing(shop):
    url, _ = shop
    mug = _row(url, "MUG")
    with read_session(url) as s:
        ledger = s.exec(select(func.count()).select_from(StockMovement)).one()
    _order(url, ("MUG", 1), to=OrderStatus.PICKING)  # someone pulls one while we count
    with pytest.raises(CountOutOfDate) as stale, write_session(url) as s:
        stock_view.record_count(s, actor=STAFF, sku="MUG", counted=mug.on_shelf,
                                expected=mug.on_shelf)
    assert stale.value.details["expected"] == mug.on_shelf - 1
    now = _row(url, "MUG")
    with pytest.raises(StockHeldByOrders), write_session(url) as s:
        stock_view.record_count(s, actor=STAFF, sku="MUG", counted=0, expected=now.on_shelf)
    with pytest.raises(ValidationFailed), write_session(url) as s:
        stock_view.record_count(s, actor=STAFF, sku="MUG", counted=-1, expected=now.on_shelf)
    assert _row(url, "MUG") == now
    with read_session(url) as s:
        # the order placed meanwhile wrote one ledger row; the refused counts none
        assert s.exec(select(func.count()).select_from(StockMovement)).one() == ledger + 1


def test_two_people_counting_the_same_bin_at_once_apply_one_count(shop):
    url, _ = shop
    mug = _row(url, "MUG")
    start = threading.Barrier(2)

    def count(_):
        start.wait()
        try:
            with write_session(url) as s:
                stock_view.record_count(s, actor=STAFF, sku="MUG", counted=mug.on_shelf + 1,
                                        expected=mug.on_shelf)
            return "applied"
        except CountOutOfDate:
            return "stale"

    with ThreadPoolExecutor(2) as pool:
        assert sorted(pool.map(count, range(2))) == ["applied", "stale"]
    assert _row(url, "MUG").on_hand == mug.on_hand + 1


def test_the_orders_behind_a_held_figure_come_a_page_at_a_time(shop):
    url, _ = shop
    with read_session(url) as s:
        everyone = stock_view.holders(s, "MUG")
        assert stock_view.holders(s, "MUG", limit=2) == everyone[:2]
