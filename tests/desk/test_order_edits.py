"""An agent changes an order on the phone before the warehouse starts picking it."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from dashboard.domain.errors import InsufficientStock, NotFound, ValidationFailed
from dashboard.domain.orders import Order, OrderEvent, OrderLine, OrderStatus
from dashboard.domain.stock import StockMovement
from dashboard.services import orders, stock
from dashboard.services.db import read_session, write_session
from dashboard.services.orders import (
    AddLine,
    OrderLocked,
    OverridePrice,
    RemoveLine,
    SetQuantity,
    placing,
)
from dashboard.services.orders import edits as order_edits
from fulfil_testkit.factories import order_in, pay
from tests.desk.conftest import AGENT, place


def levels(url, sku):
    with read_session(url) as s:
        lvl = stock.stock_level(s, sku)
        return lvl.on_hand, lvl.committed


def lines(url, number):
    with read_session(url) as s:
        order = orders.get_order(s, number)
        result = {x.sku: x for x in orders.order_lines(s, order.id)}, order
        s.expunge_all()  # keep the loaded values after the read session ends
        return result


def events(url, number):
    with read_session(url) as s:
        order = orders.get_order(s, number)
        return [e.type for e in s.exec(select(OrderEvent).where(OrderEvent.order_id == order.id)
                                       .order_by(OrderEvent.id))]


def ledger_matches_stock(url) -> bool:
    with read_session(url) as s:
        for p in s.exec(select(stock.Product)).all():
            oh, cm = s.exec(select(func.coalesce(func.sum(StockMovement.on_hand_delta), 0),
                                   func.coalesce(func.sum(StockMovement.committed_delta), 0))
                            .where(StockMovement.product_id == p.id)).one()
            lvl = stock.stock_level(s, p.sku)
            if (oh, cm) != (lvl.on_hand, lvl.committed):
                return False
    return True


def test_change_quantity_commits_and_releases_through_the_ledger(shop):
    # given an order for 2 mugs
    placed = place(shop, ("MUG-1", 2))
    mug = placed.lines[0]
    assert levels(shop, "MUG-1") == (20, 2)
    # when the customer wants 5, then 1
    with write_session(shop) as s:
        result = order_edits.change_quantity(s, actor=AGENT, number=placed.number,
                                             line_id=mug.id, quantity=5)
    assert result.total == "62.50"
    assert levels(shop, "MUG-1") == (20, 5)
    with write_session(shop) as s:
        order_edits.change_quantity(s, actor=AGENT, number=placed.number, line_id=mug.id,
                                    quantity=1)
    # then stock, totals, the timeline and the ledger agree
    assert levels(shop, "MUG-1") == (20, 1)
    by_sku, order = lines(shop, placed.number)
    assert (by_sku["MUG-1"].quantity, order.subtotal_minor, order.total_minor) == (1, 1250, 1250)
    assert events(shop, placed.number).count("quantity_changed") == 2
    assert ledger_matches_stock(shop)


def test_add_remove_and_override_in_one_batch(shop):
    placed = place(shop, ("MUG-1", 1))
    mug = placed.lines[0]
    with write_session(shop) as s:
        result = order_edits.edit_order(s, actor=AGENT, number=placed.number, edits=[
            AddLine("TEA-1", 2),
            OverridePrice(mug.id, "10.00", "chipped glaze, agreed discount"),
        ])
    assert result.total == "26.00"  # 10.00 + 2 x 8.00
    assert levels(shop, "TEA-1") == (5, 2)
    by_sku, _ = lines(shop, placed.number)
    with write_session(shop) as s:
        order_edits.remove_line(s, actor=AGENT, number=placed.number,
                                line_id=by_sku["TEA-1"].id)
    assert levels(shop, "TEA-1") == (5, 0)
    kinds = events(shop, placed.number)
    assert {"line_added", "price_overridden", "line_removed"} <= set(kinds)
    with read_session(shop) as s:
        order = orders.get_order(s, placed.number)
        price_event = s.exec(select(OrderEvent).where(OrderEvent.order_id == order.id,
                                                      OrderEvent.type == "price_overridden")).one()
        s.expunge_all()
    assert price_event.parameters["reason"] == "chipped glaze, agreed discount"
    assert price_event.parameters["from"] == "12.50" and price_event.parameters["to"] == "10.00"
    assert ledger_matches_stock(shop)


def test_not_enough_stock_changes_nothing(shop):
    placed = place(shop, ("MUG-1", 1), ("TEA-1", 1))
    by_sku = {line.sku: line for line in placed.lines}
    with write_session(shop) as s, pytest.raises(InsufficientStock) as err:
        order_edits.edit_order(s, actor=AGENT, number=placed.number, edits=[
            SetQuantity(by_sku["MUG-1"].id, 3), SetQuantity(by_sku["TEA-1"].id, 9)])
    assert err.value.shortfalls[0].sku == "TEA-1" and err.value.shortfalls[0].available == 4
    assert levels(shop, "MUG-1") == (20, 1) and levels(shop, "TEA-1") == (5, 1)
    by_sku_after, order = lines(shop, placed.number)
    assert by_sku_after["MUG-1"].quantity == 1 and order.total_minor == 2050
    assert "quantity_changed" not in events(shop, placed.number)


def test_refused_with_the_reason_once_picking_started(shop):
    placed = place(shop, ("MUG-1", 1))
    with write_session(shop) as s:
        pay(s, placed.number, actor=AGENT)
        orders.change_status(s, actor=AGENT, number=placed.number, target=OrderStatus.PICKING)
    with write_session(shop) as s, pytest.raises(OrderLocked, match="Picking has started"):
        order_edits.change_quantity(s, actor=AGENT, number=placed.number,
                                    line_id=placed.lines[0].id, quantity=2)
    assert levels(shop, "MUG-1") == (20, 1)


def test_paid_order_edited_is_flagged_with_the_difference(shop):
    placed = place(shop, ("MUG-1", 1))
    with write_session(shop) as s:
        pay(s, placed.number, actor=AGENT)
        order_edits.add_line(s, actor=AGENT, number=placed.number, sku="TEA-1", quantity=1)
    _, order = lines(shop, placed.number)
    assert order.payment_flag == "Edited after payment: A$8.00 still to collect."


def test_bad_edits_name_the_field(shop):
    placed = place(shop, ("MUG-1", 1))
    line_id = placed.lines[0].id
    cases = [
        ([SetQuantity(line_id, 0)], "edits.0.quantity"),
        ([OverridePrice(line_id, "5.00", "  ")], "edits.0.reason"),
        ([OverridePrice(line_id, "-1", "why")], "unit_price"),
        ([AddLine("NOPE-1", 1)], "edits.0.sku"),
        ([RemoveLine(line_id)], "edits"),
        ([RemoveLine(999999)], "edits.0.line_id"),
    ]
    for edits, field in cases:
        with write_session(shop) as s, pytest.raises(ValidationFailed) as err:
            order_edits.edit_order(s, actor=AGENT, number=placed.number, edits=edits)
        assert field in err.value.fields, (edits, err.value.fields)
    assert levels(shop, "MUG-1") == (20, 1)


def test_change_customer_methods_and_take_over(shop):
    mine = place(shop, ("MUG-1", 1), email="guest@example.com", name="Guest")
    other = place(shop, ("MUG-1", 1), email="known@example.com", name="Known Customer")
    with write_session(shop) as s:
        order_edits.change_customer(s, actor=AGENT, number=mine.number,
                                    customer_id=other.customer_id)
        order_edits.take_over(s, actor=AGENT, number=mine.number)
        order = order_edits.change_methods(s, actor=AGENT, number=mine.number,
                                           payment_method="pay_on_pickup",
                                           delivery_method="pickup")
    assert order.customer_id == other.customer_id
    assert (order.payment_method, order.delivery_method) == ("pay_on_pickup", "pickup")
    assert {"customer_changed", "taken_over", "methods_changed"} <= set(events(shop, mine.number))
    with write_session(shop) as s:
        pay(s, mine.number, actor=AGENT)
    with write_session(shop) as s, pytest.raises(OrderLocked, match="Only unpaid"):
        order_edits.take_over(s, actor=AGENT, number=mine.number)
    with write_session(shop) as s, pytest.raises(NotFound):
        order_edits.change_customer(s, actor=AGENT, number=mine.number, customer_id=999999)


def test_repeat_order_checks_stock_and_uses_todays_prices(shop):
    placed = place(shop, ("MUG-1", 2), ("TEA-1", 4))
    with write_session(shop) as s:
        stock.upsert_product(s, actor=AGENT, sku="MUG-1", name="Mug", price="13.00",
                             currency="AUD")
    with read_session(shop) as s:
        draft = order_edits.repeat_order(s, placed.number)
    by_sku = {line.sku: line for line in draft.lines}
    assert by_sku["MUG-1"].unit_price == "13.00" and by_sku["MUG-1"].ok
    assert by_sku["TEA-1"].available == 1 and not by_sku["TEA-1"].ok
    assert [line.sku for line in draft.short] == ["TEA-1"]
    assert draft.customer_email == "ada@example.com" and draft.shipping_address.city == "Sydney"


def test_a_repeat_of_an_order_that_does_not_exist_places_nothing(shop):
    with write_session(shop) as s, pytest.raises(ValidationFailed) as err:
        placing.place_order(s, actor=AGENT, order_in=order_in(("MUG-1", 1)), repeat_of=999999)
    assert set(err.value.fields) == {"repeat_of"}
    assert levels(shop, "MUG-1") == (20, 0)
    with read_session(shop) as s:
        assert s.exec(select(func.count()).select_from(Order)).one() == 0


def test_cancelled_order_cannot_be_edited(shop):
    placed = place(shop, ("MUG-1", 1))
    with write_session(shop) as s:
        orders.cancel_order(s, actor=AGENT, number=placed.number, reason="x")
    with write_session(shop) as s, pytest.raises(OrderLocked, match="cancelled"):
        order_edits.add_line(s, actor=AGENT, number=placed.number, sku="TEA-1", quantity=1)
    with read_session(shop) as s:
        assert s.exec(select(func.count()).select_from(OrderLine)).one() == 1
        assert s.exec(select(Order)).one().status == "cancelled"
