"""The order lifecycle on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from dashboard.domain.errors import (
    IdempotencyConflict,
    InsufficientStock,
    InvalidTransition,
    ValidationFailed,
)
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import Order, OrderEvent, OrderStatus
from dashboard.domain.payments import PaymentStatus
from dashboard.domain.stock import StockMovement
from dashboard.services import orders, shipping, stock
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, add_product, order_in, pay


def level(url, sku):
    with read_session(url) as s:
        return stock.stock_level(s, sku)


def count(url, model, *where):
    with read_session(url) as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def test_placing_an_order_commits_stock_numbers_it_and_queues_the_merchant_email(db_url):
    # given
    add_product(db_url, "MUG-1", on_hand=5, price="12.50")
    add_product(db_url, "TEA-1", on_hand=3, price="8.05")
    # when
    with write_session(db_url) as s:
        placed = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 2), ("TEA-1", 3)))
        second = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 1)))
    # then
    order = placed.order
    assert (order.number, second.order.number) == (100001, 100002)
    assert order.status == OrderStatus.UNPAID and order.payment_status == PaymentStatus.UNPAID
    assert order.total_minor == 2 * 1250 + 3 * 805
    assert level(db_url, "MUG-1").committed == 3 and level(db_url, "MUG-1").available == 2
    assert level(db_url, "TEA-1").available == 0
    assert count(db_url, OrderEvent, OrderEvent.order_id == order.id, OrderEvent.type == "placed") == 1
    assert count(db_url, OutboxMessage, OutboxMessage.topic == "new_order_merchant") == 2


def test_an_order_with_one_short_line_commits_nothing(db_url):
    add_product(db_url, "MUG-1", on_hand=5)
    add_product(db_url, "TEA-1", on_hand=1)
    with write_session(db_url) as s, pytest.raises(InsufficientStock) as err:
        orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 2), ("TEA-1", 2)))
    assert err.value.to_json()["lines"] == [{"sku": "TEA-1", "requested": 2, "available": 1}]
    assert level(db_url, "MUG-1").committed == 0
    assert count(db_url, Order) == 0
    assert count(db_url, OutboxMessage) == 0
    # the next good order still gets the first number: a rejection leaves no gap
    with write_session(db_url) as s:
        assert orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 1))).order.number == 100001


def test_a_retried_submission_returns_the_same_order(db_url):
    add_product(db_url, "MUG-1", on_hand=5)
    with write_session(db_url) as s:
        first = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 2)), idempotency_key="k1")
        again = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 2)), idempotency_key="k1")
        assert again.replayed and not first.replayed
        assert again.order.number == first.order.number
        with pytest.raises(IdempotencyConflict):
            orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 3)), idempotency_key="k1")
    assert count(db_url, Order) == 1
    assert level(db_url, "MUG-1").committed == 2


def test_unknown_sku_and_bad_fields_are_named(db_url):
    add_product(db_url, "MUG-1")
    with write_session(db_url) as s:
        with pytest.raises(ValidationFailed) as err:
            orders.place_order(s, actor=SHOP, order_in=order_in(("NOPE", 1)))
        assert "lines.NOPE" in err.value.fields
        with pytest.raises(ValidationFailed) as err:
            orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 0), email="nope"))
        assert set(err.value.fields) == {"lines.0.quantity", "customer.email"}
    assert count(db_url, Order) == 0


def test_cancel_releases_stock_and_refuses_shipped_orders(db_url):
    add_product(db_url, "MUG-1", on_hand=5)
    with write_session(db_url) as s:
        a = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 2))).order
        b = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 2))).order
        orders.cancel_order(s, actor=STAFF, number=a.number, reason="customer asked")
        pay(s, b.number, reference="TX-1")
        orders.change_status(s, actor=STAFF, number=b.number, target=OrderStatus.PICKING)
        shipping.ship_lines(s, actor=STAFF, number=b.number, carrier="AusPost", tracking_number="T1")
        with pytest.raises(InvalidTransition):
            orders.cancel_order(s, actor=STAFF, number=b.number)
        with pytest.raises(InvalidTransition):
            orders.cancel_order(s, actor=STAFF, number=a.number)
    lvl = level(db_url, "MUG-1")
    assert (lvl.on_hand, lvl.committed) == (3, 0)
    with read_session(db_url) as s:
        event = s.exec(select(OrderEvent).where(OrderEvent.type == "cancelled")).one()
        assert (event.actor, event.parameters["reason"]) == ("staff@example.com", "customer asked")
        moves = s.exec(select(StockMovement)).all()
        assert sum(m.on_hand_delta for m in moves) == 3 and sum(m.committed_delta for m in moves) == 0


def test_partial_shipment_then_the_rest(db_url):
    add_product(db_url, "MUG-1", on_hand=5)
    with write_session(db_url) as s:
        o = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 3))).order
        pay(s, o.number)
        line = orders.order_lines(s, o.id)[0]
        shipping.ship_lines(s, actor=STAFF, number=o.number, quantities={line.id: 1})
        assert orders.get_order(s, o.number).status == OrderStatus.PARTIALLY_SHIPPED
        shipping.ship_lines(s, actor=STAFF, number=o.number)
        assert orders.get_order(s, o.number).status == OrderStatus.SHIPPED
    lvl = level(db_url, "MUG-1")
    assert (lvl.on_hand, lvl.committed) == (2, 0)


def test_stock_promised_to_orders_cannot_be_adjusted_away(db_url):
    add_product(db_url, "MUG-1", on_hand=3)
    with write_session(db_url) as s:
        orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 2)))
        from dashboard.domain.errors import StockHeldByOrders

        with pytest.raises(StockHeldByOrders):
            stock.adjust_stock(s, actor=STAFF, sku="MUG-1", delta=-2, reason="broken")
        stock.adjust_stock(s, actor=STAFF, sku="MUG-1", delta=-1, reason="broken")
    assert level(db_url, "MUG-1").available == 0
