"""One path per business action: a payment, or a cancellation, writes the same event,
the same stock ledger rows and the same email whichever screen, API or job records it."""

from __future__ import annotations

import pytest

from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import OrderEvent
from dashboard.domain.payments import Payment
from dashboard.domain.stock import StockMovement
from dashboard.services import board, orders, payments
from dashboard.services.db import write_session
from dashboard.services.orders import bulk
from dashboard.services.payments import stripe_webhook
from fulfil_testkit.factories import STAFF, add_product
from tests.payments.conftest import get_order, place, rows
from tests.payments.test_stripe_webhook import charge, event


@pytest.fixture
def shop(url, monkeypatch):
    monkeypatch.setenv("PAYMENT_RECEIPT_EMAILS", "1")
    add_product(url, "MUG-1", on_hand=100, price="12.50")
    return url


def last_event(url, number: int, type_: str):
    order_id = get_order(url, number).id
    (found,) = rows(url, OrderEvent, OrderEvent.order_id == order_id, OrderEvent.type == type_)
    return found


def emails(url, number: int, topic: str) -> list[dict]:
    order_id = get_order(url, number).id
    return [m.payload for m in rows(url, OutboxMessage, OutboxMessage.order_id == order_id,
                                    OutboxMessage.topic == topic)]


def without(params: dict, *keys: str) -> dict:
    return {k: v for k, v in params.items() if k not in keys}


def test_a_payment_from_the_board_the_payments_page_and_bulk_writes_one_event_and_receipt(shop):
    # given three unpaid bank-transfer orders of the same total
    on_board, on_page, in_bulk = place(shop), place(shop), place(shop)

    # when each is paid from a different screen with the same bank reference
    with write_session(shop) as s:
        board.move_card(s, actor=STAFF, number=on_board, to_lane="paid",
                        facts={"reference": "NAB 5521"})
    with write_session(shop) as s:
        payments.mark_paid(s, actor=STAFF, numbers=[on_page], reference="NAB 5521")
    with write_session(shop) as s:
        bulk.run_bulk(s, actor=STAFF, action="mark_paid", numbers=[in_bulk], reference="NAB 5521")

    # then the events are alike but for the payment row each names
    events = {n: last_event(shop, n, "payment_recorded") for n in (on_board, on_page, in_bulk)}
    assert {e.actor for e in events.values()} == {"staff@example.com"}
    assert without(events[on_board].parameters, "payment_id") == {
        "amount": "12.50", "currency": "AUD", "method": "bank_transfer",
        "reference": "NAB 5521", "source": "staff", "status": "paid", "note": None}
    assert without(events[on_board].parameters, "payment_id") == without(
        events[on_page].parameters, "payment_id") == without(events[in_bulk].parameters,
                                                             "payment_id")
    for number, e in events.items():
        (payment,) = rows(shop, Payment, Payment.order_id == get_order(shop, number).id)
        assert e.parameters["payment_id"] == payment.id
        # and each queued the one receipt the notifications module builds
        (receipt,) = emails(shop, number, "payment_receipt")
        assert receipt == {"to": "ada@example.com", "number": number, "payment_id": payment.id,
                           "amount": "12.50", "currency": "AUD", "method": "bank_transfer",
                           "reference": "NAB 5521"}


def test_the_board_can_still_take_back_the_payment_it_recorded(shop):
    number = place(shop)
    with write_session(shop) as s:
        moved = board.move_card(s, actor=STAFF, number=number, to_lane="paid",
                                facts={"reference": "CHQ 7"})
    with write_session(shop) as s:
        board.undo_move(s, actor=STAFF, move_id=moved.move_id)
    order = get_order(shop, number)
    assert (order.status, order.payment_status) == ("unpaid", "unpaid")
    assert rows(shop, Payment) == []


def test_a_card_payment_from_the_gateway_writes_the_same_event_keys(shop):
    by_card = place(shop, method="card")
    by_staff = place(shop, method="card")
    with write_session(shop) as s:
        stripe_webhook.handle_event(s, event=event("charge.succeeded", charge(by_card)))
    with write_session(shop) as s:
        payments.mark_paid(s, actor=STAFF, numbers=[by_staff], reference="txn_1AbC")
    gateway = last_event(shop, by_card, "payment_recorded").parameters
    staff = last_event(shop, by_staff, "payment_recorded").parameters
    assert gateway.keys() == staff.keys()
    assert without(gateway, "payment_id", "source") == without(staff, "payment_id", "source")
    assert (gateway["source"], staff["source"]) == ("stripe", "staff")
    (card,) = rows(shop, Payment, Payment.id == gateway["payment_id"])
    assert (card.charge_id, card.card_brand, card.card_last4) == ("ch_1", "visa", "4242")
    assert len(emails(shop, by_card, "payment_receipt")) == 1


def test_cancelling_from_the_payments_queue_and_from_the_order_page_is_one_cancellation(shop):
    # given two unpaid orders holding two mugs each
    from_queue, from_page = place(shop, quantity=2), place(shop, quantity=2)

    # when one is cancelled from the payments queue and the other from its page
    with write_session(shop) as s:
        payments.cancel_unpaid(s, actor=STAFF, numbers=[from_queue], reason="Customer  asked",
                               notify_customer=True)
    with write_session(shop) as s:
        orders.cancel_order(s, actor=STAFF, number=from_page, reason="Customer asked")

    # then both released their stock through the ledger, wrote the same event and email
    for number in (from_queue, from_page):
        order = get_order(shop, number)
        assert (order.status, order.cancel_reason) == ("cancelled", "Customer asked")
        (released,) = rows(shop, StockMovement, StockMovement.order_id == order.id,
                           StockMovement.reason == "order_cancelled")
        assert (released.committed_delta, released.on_hand_delta) == (-2, 0)
        (mail,) = emails(shop, number, "order_cancelled")
        assert mail == {"to": "ada@example.com", "number": number, "reason": "Customer asked"}
    queue, page = (last_event(shop, n, "cancelled") for n in (from_queue, from_page))
    assert queue.parameters == page.parameters == {
        "reason": "Customer asked", "released": {"MUG-1": 2}, "previous": "unpaid",
        "automatic": False}
    assert queue.actor == page.actor == "staff@example.com"
