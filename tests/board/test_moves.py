"""Dragging cards: every drop goes through the order services and the allowed-moves table,
asks for the facts it needs, lands in the timeline, and the last one can be undone."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from dashboard.domain.board import BoardMove
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import Actor, ActorKind, Order, OrderEvent
from dashboard.domain.payments import Payment, PaymentMethod, PaymentStatus
from dashboard.domain.shipping import Shipment
from dashboard.domain.stock import StockMovement
from dashboard.services import board, orders, stock
from dashboard.services.board import ask_move
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import STAFF
from tests.board.conftest import count, in_lane, load, place, set_time, status

OTHER = Actor(ActorKind.USER, "other@example.com", 2)


def move(url, number, to, facts=None, actor=STAFF, **kw):
    with write_session(url) as s:
        return board.move_card(s, actor=actor, number=number, to_lane=to, facts=facts, **kw)


def undo(url, move_id, actor=STAFF, **kw):
    with write_session(url) as s:
        return board.undo_move(s, actor=actor, move_id=move_id, **kw)


def events(url, number) -> list[str]:
    with read_session(url) as s:
        oid = orders.get_order(s, number).id
        return list(s.exec(select(OrderEvent.type).where(OrderEvent.order_id == oid).order_by(OrderEvent.id)))


def snapshot(url, number) -> tuple:
    """(status, hold_reason, status_before_hold, payment_status) of an order."""
    with read_session(url) as s:
        o = orders.get_order(s, number)
        return (o.status, o.hold_reason, o.status_before_hold, o.payment_status)


def level(url, sku="MUG-1"):
    with read_session(url) as s:
        return stock.stock_level(s, sku)


def test_unpaid_to_paid_asks_for_the_bank_reference_then_records_the_payment(url, monkeypatch):
    monkeypatch.setenv("PAYMENT_RECEIPT_EMAILS", "1")  # receipts are opt-in
    number = place(url)
    with read_session(url) as s:
        question = ask_move(s, number=number, to_lane="paid")
    assert question.asks == "payment" and question.reference_required
    with pytest.raises(ValidationFailed) as refused:
        move(url, number, "paid", {})
    assert refused.value.fields == {"reference": "the bank reference is needed"}
    assert status(url, number) == "unpaid" and count(url, BoardMove) == 0

    result = move(url, number, "paid", {"reference": "WBC 20261130 #77"}, expected_lane="unpaid")

    assert (result.from_lane, result.to_lane, result.message) == ("unpaid", "paid", f"#{number} moved to Paid")
    with read_session(url) as s:
        order = orders.get_order(s, number)
        payment = s.exec(select(Payment).where(Payment.order_id == order.id)).one()
        assert (order.status, order.payment_status) == ("paid", "paid")
        assert (payment.reference, payment.recorded_by) == ("WBC 20261130 #77", STAFF.label)
    assert events(url, number)[-1] == "payment_recorded"
    with read_session(url) as s:  # the receipt waits out the undo window
        receipt = s.exec(select(OutboxMessage).where(OutboxMessage.topic == "payment_receipt")).one()
        assert receipt.next_attempt_at > utcnow() + timedelta(seconds=30)


def test_a_card_order_can_be_marked_paid_without_a_reference(url):
    number = place(url, method=PaymentMethod.CARD)
    move(url, number, "paid")
    assert status(url, number) == "paid"


def test_picking_to_shipped_ships_everything_and_queues_the_email_when_asked(url):
    number = in_lane(url, "picking")
    before = level(url)
    with pytest.raises(ValidationFailed) as refused:
        move(url, number, "shipped", {"carrier": "Sendle"})
    assert "tracking_number" in refused.value.fields
    assert count(url, OutboxMessage, OutboxMessage.topic == "shipped") == 0

    move(url, number, "shipped", {"carrier": "Sendle", "tracking_number": "SND123", "email_customer": True})

    assert status(url, number) == "shipped"
    after = level(url)
    assert (after.on_hand, after.committed) == (before.on_hand - 1, before.committed - 1)
    with read_session(url) as s:
        shipment = s.exec(select(Shipment)).one()
        email = s.exec(select(OutboxMessage).where(OutboxMessage.topic == "shipped")).one()
        assert (shipment.carrier, shipment.tracking_number) == ("Sendle", "SND123")
        assert email.payload["to"] == "ada@example.com" and email.payload["tracking_number"] == "SND123"
        assert email.payload["shipment_id"] == shipment.id
        assert email.next_attempt_at > utcnow() + timedelta(seconds=30)  # waits out the undo window


def test_shipping_without_tracking_and_without_an_email(url):
    number = in_lane(url, "picking")
    move(url, number, "shipped", {"no_tracking": True})
    assert status(url, number) == "shipped"
    assert count(url, OutboxMessage, OutboxMessage.topic == "shipped") == 0


@pytest.mark.parametrize(("lane", "to", "why"), [
    ("shipped", "unpaid", "cannot go back to Unpaid"),
    ("unpaid", "picking", "record the payment before picking"),
    ("picking", "ready_for_pickup", "courier orders ship"),
    ("paid", "paid", "already in that lane"),
])
def test_an_illegal_drop_changes_nothing_and_says_why(url, lane, to, why):
    number = in_lane(url, lane)
    before = (status(url, number), events(url, number))
    with pytest.raises(InvalidTransition, match=why):
        move(url, number, to, {"reference": "x", "no_tracking": True, "reason": "r"})
    assert (status(url, number), events(url, number)) == before
    assert count(url, BoardMove) == 0


def test_unknown_orders_and_lanes_are_refused(url):
    with pytest.raises(NotFound):
        move(url, 999_999, "paid")
    number = place(url)
    with pytest.raises(ValidationFailed):
        move(url, number, "the_moon")


def test_a_card_someone_else_just_moved_is_not_moved_from_where_it_no_longer_is(url):
    number = in_lane(url, "paid")
    move(url, number, "picking", actor=OTHER)
    with pytest.raises(InvalidTransition, match="has just moved to Picking"):
        move(url, number, "on_hold", {"reason": "wait"}, expected_lane="paid")
    assert status(url, number) == "picking"


def test_hold_needs_a_reason_and_release_goes_back(url):
    number = in_lane(url, "paid")
    with pytest.raises(ValidationFailed):
        move(url, number, "on_hold", {"reason": " "})
    move(url, number, "on_hold", {"reason": "Customer asked to wait"})
    assert snapshot(url, number)[1] == "Customer asked to wait"
    move(url, number, "paid")
    assert snapshot(url, number)[:2] == ("paid", None)


def test_undo_a_payment_returns_the_card_to_unpaid(url):
    number = place(url)
    done = move(url, number, "paid", {"reference": "CHQ 001"})
    result = undo(url, done.move_id)
    assert (result.to_lane, result.message) == ("unpaid", f"#{number} is back in Unpaid")
    assert snapshot(url, number)[0] == "unpaid"
    assert snapshot(url, number)[3] == PaymentStatus.UNPAID
    assert count(url, Payment) == 0
    assert count(url, OutboxMessage, OutboxMessage.topic == "payment_receipt") == 0  # withdrawn
    assert events(url, number)[-2:] == ["payment_recorded", "move_undone"]
    with pytest.raises(ValidationFailed, match="already been undone"):
        undo(url, done.move_id)
    move(url, number, "paid", {"reference": "CHQ 002"})  # and it can be paid again
    assert status(url, number) == "paid"


def test_undo_a_shipment_puts_the_stock_back_and_withdraws_the_email(url):
    number = in_lane(url, "picking")
    before = level(url)
    done = move(url, number, "shipped", {"carrier": "DHL", "tracking_number": "D1", "email_customer": True})
    undo(url, done.move_id)
    assert status(url, number) == "picking"
    after = level(url)
    assert (after.on_hand, after.committed) == (before.on_hand, before.committed)
    assert count(url, Shipment) == 0
    assert count(url, OutboxMessage, OutboxMessage.topic == "shipped") == 0
    with read_session(url) as s:
        moves = s.exec(select(StockMovement.on_hand_delta, StockMovement.committed_delta)
                       .where(StockMovement.reason == "shipment_undone")).all()
        shipped = orders.order_lines(s, orders.get_order(s, number).id)[0].quantity_shipped
    assert [tuple(m) for m in moves] == [(1, 1)]
    assert shipped == 0
    # the ledger still sums to the shelf
    with read_session(url) as s:
        total = sum(s.exec(select(StockMovement.on_hand_delta).where(StockMovement.product_id == 1)))
    assert total == after.on_hand


def test_undo_is_refused_once_the_shipping_email_went_out(url):
    number = in_lane(url, "picking")
    done = move(url, number, "shipped", {"carrier": "DHL", "tracking_number": "D1", "email_customer": True})
    with write_session(url) as s:
        email = s.exec(select(OutboxMessage).where(OutboxMessage.topic == "shipped")).one()
        email.status, email.attempts = "sent", 1
        s.add(email)
    with pytest.raises(InvalidTransition, match="already gone to the customer"):
        undo(url, done.move_id)
    assert status(url, number) == "shipped" and count(url, Shipment) == 1


def test_undo_a_hold_and_a_release(url):
    number = in_lane(url, "paid")
    held = move(url, number, "on_hold", {"reason": "Fraud check"})
    undo(url, held.move_id)
    assert snapshot(url, number)[:3] == ("paid", None, None)
    move(url, number, "on_hold", {"reason": "Fraud check"})
    released = move(url, number, "picking")
    undo(url, released.move_id)
    assert snapshot(url, number)[:3] == ("on_hold", "Fraud check", "paid")


def test_undo_is_refused_when_the_order_changed_since_late_or_by_someone_else(url):
    number = in_lane(url, "paid")
    first = move(url, number, "picking")
    with pytest.raises(PermissionDenied):
        undo(url, first.move_id, actor=OTHER)
    with pytest.raises(ValidationFailed, match="Too late"):
        undo(url, first.move_id, now=utcnow() + timedelta(minutes=5))
    with write_session(url) as s:
        orders.add_note(s, actor=OTHER, number=number, body="Packed with care")
    with pytest.raises(InvalidTransition, match="has changed since"):
        undo(url, first.move_id)
    assert status(url, number) == "picking"
    with pytest.raises(NotFound):
        undo(url, 123456)


def test_two_people_dropping_the_same_card_at_once_make_one_move(url):
    number = in_lane(url, "picking")
    barrier = threading.Barrier(2)
    outcomes = []

    def drop(actor, facts):
        barrier.wait()
        try:
            move(url, number, "shipped", facts, actor=actor, expected_lane="picking")
            outcomes.append("moved")
        except (InvalidTransition, ValidationFailed) as refused:
            outcomes.append(refused.message)

    threads = [threading.Thread(target=drop, args=(a, {"carrier": "DHL", "tracking_number": f"T{i}"}))
               for i, a in enumerate((STAFF, OTHER))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[-1] == "moved" and outcomes.count("moved") == 1
    assert count(url, Shipment) == 1
    assert status(url, number) == "shipped"
    assert count(url, Order) == 1


@pytest.mark.parametrize(("lane", "to", "facts", "email", "taken_back"), [
    ("unpaid", "paid", {"reference": "CHQ 001"}, "payment_receipt",
     {"payment_reference": "CHQ 001", "payment_method": "bank_transfer"}),
    ("picking", "shipped", {"carrier": "DHL", "tracking_number": "D1", "email_customer": True},
     "shipped", {"carrier": "DHL", "tracking_number": "D1"}),
])
def test_the_undo_records_the_emails_it_withdrew_and_what_it_took_back(
        url, monkeypatch, lane, to, facts, email, taken_back):
    monkeypatch.setenv("PAYMENT_RECEIPT_EMAILS", "1")
    number = in_lane(url, lane)
    done = move(url, number, to, facts)
    assert count(url, OutboxMessage, OutboxMessage.topic == email) == 1

    undo(url, done.move_id)

    with read_session(url) as s:
        undone = s.exec(select(OrderEvent.parameters)
                        .where(OrderEvent.type == "move_undone")).one()
    assert undone["emails_withdrawn"] == [email]
    assert taken_back.items() <= undone.items()
    assert count(url, OutboxMessage, OutboxMessage.topic == email) == 0


def _entered(url, number):
    lane = next(v for v in load(url).values() if any(c.number == number for c in v.cards or ()))
    return lane.lane.value, next(c.entered_at for c in lane.cards if c.number == number)


@pytest.mark.parametrize(("lane", "to", "facts"), [
    ("paid", "picking", None),
    ("unpaid", "paid", {"reference": "CHQ 001"}),
    ("picking", "shipped", {"carrier": "DHL", "tracking_number": "D1"}),
    ("paid", "on_hold", {"reason": "Fraud check"}),
])
def test_an_undone_move_leaves_the_card_as_long_in_its_lane_as_before(url, lane, to, facts):
    """An order two days in its lane is still two days in it after a move and its undo,
    not seconds (the undo is not a new arrival)."""
    number = in_lane(url, lane)
    set_time(url, number, placed_at=utcnow() - timedelta(days=3),
             entered=utcnow() - timedelta(days=2))
    before = _entered(url, number)
    assert before[0] == lane

    undo(url, move(url, number, to, facts).move_id)

    assert _entered(url, number) == before


@pytest.mark.parametrize("window", [None, "90"])
def test_the_undo_toast_stays_for_the_whole_undo_window(url, monkeypatch, window):
    """The toast carrying Undo lasts as long as the move can be undone
    (BOARD_UNDO_SECONDS, 60 s by default), not a fixed ten seconds."""
    import asyncio

    import reflex as rx

    from dashboard.state.board import BoardState

    if window:
        monkeypatch.setenv("BOARD_UNDO_SECONDS", window)
    raised = []
    monkeypatch.setattr(rx.toast, "success", lambda message, **props: raised.append(props))
    number = in_lane(url, "paid")
    done = move(url, number, "picking")

    async def answer():
        screen = await rx.State(_reflex_internal_init=True).get_state(BoardState)
        await screen._moved(done)

    asyncio.run(answer())

    [toast] = raised
    assert toast["duration"] == int(window or 60) * 1000
    assert toast["id"] == f"move-{done.move_id}" and toast["action"].label == "Undo"
