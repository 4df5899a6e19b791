"""Shipping from the board: a drop on Shipped ships the units the dialog names (a part
shipment stays in Picking with what is left), and Ready for pickup -> Shipped / collected
hands a click-and-collect order over; both can be undone."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dashboard.domain.errors import InvalidTransition, ValidationFailed
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod, Shipment
from dashboard.services import board, orders, stock
from dashboard.services.board import ask_move
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import STAFF, pay
from tests.board.conftest import count, in_lane, load, place, status


def move(url, number, to, facts=None):
    with write_session(url) as s:
        return board.move_card(s, actor=STAFF, number=number, to_lane=to, facts=facts,
                               expected_lane=None)


def lines(url, number) -> dict[str, int]:
    with read_session(url) as s:
        return {x.sku: x.id for x in orders.order_lines(s, orders.get_order(s, number).id)}


def card(url, lane, number):
    return next(c for c in load(url)[lane].cards if c.number == number)


def on_hand(url, sku) -> tuple[int, int]:
    with read_session(url) as s:
        lvl = stock.stock_level(s, sku)
        return lvl.on_hand, lvl.committed


def test_the_ship_dialog_is_asked_with_the_lines_left_to_ship(url):
    number = in_lane(url, "picking")
    with read_session(url) as s:
        question = ask_move(s, number=number, to_lane="shipped")
    assert question.asks == "shipping"
    assert [(x["sku"], x["quantity"], x["quantity_shipped"]) for x in question.lines] == [
        ("MUG-1", 1, 0)]


def test_part_of_an_order_ships_from_the_board_and_stays_in_picking_with_what_is_left(url):
    # given an order of 3 mugs and 2 teas being picked
    number = place(url, ("MUG-1", 3), ("TEA-1", 2))
    with write_session(url) as s:
        pay(s, number)
    ids = lines(url, number)
    # when 2 mugs are dropped on Shipped with tracking and the email
    done = move(url, number, "shipped", {
        f"qty_{ids['MUG-1']}": "2", f"qty_{ids['TEA-1']}": "0", "carrier": "Sendle",
        "tracking_number": "SND-7", "email_customer": "on"})
    # then the card is still in Picking showing 3 of 5 left, and only 2 mugs left the shelf
    assert status(url, number) == "partially_shipped"
    assert (done.to_lane, done.message) == (
        "picking", f"#{number} part shipped; 3 left to ship, still in Picking")
    c = card(url, "picking", number)
    assert (c.items, c.unshipped) == (5, 3) and "part_shipped" in c.flags
    assert on_hand(url, "MUG-1") == (498, 1)
    assert count(url, OutboxMessage, OutboxMessage.topic == "shipped") == 1

    # when the rest is dropped on Shipped (the dialog's defaults: all that is left)
    move(url, number, "shipped", {f"qty_{ids['MUG-1']}": "1", f"qty_{ids['TEA-1']}": "2",
                                  "no_tracking": "on"})
    assert status(url, number) == "shipped"
    assert on_hand(url, "MUG-1") == (497, 0) and on_hand(url, "TEA-1") == (498, 0)
    assert card(url, "shipped", number).unshipped == 0


def test_a_part_shipment_from_the_board_can_be_undone(url):
    number = in_lane(url, "picking")
    ids = lines(url, number)
    before = on_hand(url, "MUG-1")
    done = move(url, number, "shipped", {f"qty_{ids['MUG-1']}": "1", "no_tracking": "on"})
    assert status(url, number) == "shipped"
    with write_session(url) as s:
        board.undo_move(s, actor=STAFF, move_id=done.move_id)
    assert status(url, number) == "picking" and on_hand(url, "MUG-1") == before
    assert count(url, Shipment) == 0


def test_bad_quantities_keep_the_dialog_open_with_the_field_named(url):
    number = in_lane(url, "picking")
    ids = lines(url, number)
    with pytest.raises(ValidationFailed) as refused:
        move(url, number, "shipped", {f"qty_{ids['MUG-1']}": "lots", "no_tracking": "on"})
    assert f"qty_{ids['MUG-1']}" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        move(url, number, "shipped", {f"qty_{ids['MUG-1']}": "0", "no_tracking": "on"})
    assert "lines" in refused.value.fields
    assert status(url, number) == "picking"


def test_ready_for_pickup_to_collected_is_a_move_and_can_be_undone(url):
    number = in_lane(url, "ready_for_pickup", method=PaymentMethod.PAY_ON_PICKUP)
    before = on_hand(url, "MUG-1")
    with read_session(url) as s:
        assert ask_move(s, number=number, to_lane="shipped").asks == ""  # nothing to ask
    assert "shipped" in card(url, "ready_for_pickup", number).allowed

    done = move(url, number, "shipped")

    assert status(url, number) == "collected"
    assert (done.kind, done.to_lane, done.message) == ("collect", "shipped", f"#{number} collected")
    assert on_hand(url, "MUG-1") == (before[0] - 1, before[1] - 1)
    assert card(url, "shipped", number).status == "collected"
    assert count(url, OutboxMessage, OutboxMessage.topic == "shipped") == 0
    with write_session(url) as s:
        board.undo_move(s, actor=STAFF, move_id=done.move_id)
    assert status(url, number) == "ready_for_pickup" and on_hand(url, "MUG-1") == before


def test_a_pickup_order_not_yet_ready_is_not_collected(url):
    number = in_lane(url, "picking", delivery=DeliveryMethod.PICKUP)
    with pytest.raises(InvalidTransition, match="Ready for pickup first"):
        move(url, number, "shipped")
    with read_session(url) as s:
        assert s.exec(select(Shipment)).all() == []
