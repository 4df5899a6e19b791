"""Staff confirming bank and cheque payments and cancelling unpaid orders, one or many."""

from __future__ import annotations

import pytest

from dashboard.domain.errors import ValidationFailed
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import OrderEvent, OrderStatus
from dashboard.domain.payments import Payment
from dashboard.domain.stock import StockMovement
from dashboard.services import orders, stock
from dashboard.services.db import read_session, write_session
from dashboard.services.payments import confirm
from fulfil_testkit.factories import STAFF, add_product
from tests.payments.conftest import count, get_order, place, rows


@pytest.fixture
def shop(url):
    add_product(url, "MUG-1", on_hand=100, price="12.50")
    return url


def mark_paid(url, numbers, **kw):
    with write_session(url) as s:
        return confirm.mark_paid(s, actor=STAFF, numbers=numbers, **kw)


def cancel(url, numbers, **kw):
    with write_session(url) as s:
        return confirm.cancel_unpaid(s, actor=STAFF, numbers=numbers, **kw)


def test_marking_one_order_paid_records_who_when_and_the_reference(shop):
    number = place(shop)
    result = mark_paid(shop, [number], reference="  NAB  DEP 5521 ")
    assert result.done == [number] and result.skipped == {}
    order = get_order(shop, number)
    assert (order.status, order.payment_status) == ("paid", "paid")
    (payment,) = rows(shop, Payment)
    assert (payment.reference, payment.recorded_by, payment.method) == (
        "NAB DEP 5521", "staff@example.com", "bank_transfer")
    assert payment.amount_minor == 1250 and payment.created_at is not None
    (event,) = rows(shop, OrderEvent, OrderEvent.type == "payment_recorded")
    assert event.actor == "staff@example.com" and event.parameters["reference"] == "NAB DEP 5521"
    assert count(shop, OutboxMessage, OutboxMessage.topic == "payment_receipt") == 0


def test_bulk_marking_pays_the_payable_and_says_why_the_rest_were_skipped(shop):
    a, b, c, d = (place(shop, email=f"{x}@example.com") for x in "abcd")
    cheque = place(shop, method="cheque")
    mark_paid(shop, [b], reference="earlier")
    cancel(shop, [c], reason="customer changed their mind")
    result = mark_paid(shop, [a, b, c, 999999, d, cheque, a],
                       references={cheque: "CHQ 004512"}, reference="Westpac batch 3 Nov",
                       send_receipt=True)
    assert result.done == [a, d, cheque]
    assert result.skipped == {b: "The order is already paid.", c: "The order is cancelled.",
                              999999: "No order number 999999."}
    refs = {p.order_id: p.reference for p in rows(shop, Payment)}
    assert "CHQ 004512" in refs.values() and "Westpac batch 3 Nov" in refs.values()
    receipts = rows(shop, OutboxMessage, OutboxMessage.topic == "payment_receipt")
    assert sorted(m.payload["number"] for m in receipts) == [a, d, cheque]
    assert receipts[0].payload["to"] == "a@example.com" and receipts[0].payload["amount"] == "12.50"


def test_a_bank_payment_needs_a_reference(shop):
    number = place(shop)
    result = mark_paid(shop, [number])
    assert result.done == [] and "reference" in result.skipped[number]
    card = place(shop, method="card")
    assert mark_paid(shop, [card]).done == [card]  # a card seen in the gateway's dashboard
    with pytest.raises(ValidationFailed):
        mark_paid(shop, [], reference="x")
    with pytest.raises(ValidationFailed):
        mark_paid(shop, [number], reference="x" * 201)


def test_a_held_unpaid_order_returns_to_paid_when_released(shop):
    number = place(shop)
    with write_session(shop) as s:
        orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.ON_HOLD,
                             reason="address?")
    mark_paid(shop, [number], reference="DEP 9")
    order = get_order(shop, number)
    assert (order.status, order.payment_status, order.status_before_hold) == ("on_hold", "paid", "paid")


def test_bulk_cancel_releases_stock_once_and_optionally_tells_the_customer(shop):
    a, b = place(shop, quantity=3), place(shop, quantity=4, email="b@example.com")
    paid = place(shop)
    mark_paid(shop, [paid], reference="r")
    with pytest.raises(ValidationFailed):
        cancel(shop, [a], reason="  ")
    result = cancel(shop, [a, b, paid], reason="Not paid after two reminders",
                    notify_customer=True)
    assert result.done == [a, b] and "paid" in result.skipped[paid]
    again = cancel(shop, [a], reason="again")
    assert again.done == [] and again.skipped[a] == "The order is already cancelled."
    with read_session(shop) as s:
        assert stock.stock_level(s, "MUG-1").committed == 1
    assert count(shop, StockMovement, StockMovement.reason == "order_cancelled") == 2
    mails = rows(shop, OutboxMessage, OutboxMessage.topic == "order_cancelled")
    assert [m.payload["reason"] for m in mails] == ["Not paid after two reminders"] * 2
    assert get_order(shop, a).cancel_reason == "Not paid after two reminders"


def test_a_flagged_card_payment_is_accepted_or_dismissed_by_staff(shop):
    number, other = place(shop, method="card"), place(shop, method="card")
    with write_session(shop) as s:
        for n in (number, other):
            s.connection().execute(confirm._order.update().where(confirm._order.c.number == n)
                                   .values(payment_flag="Card payment of 10.00 AUD does not match"))
    assert "flagged" in mark_paid(shop, [number]).skipped[number]
    with write_session(shop) as s:
        confirm.resolve_flag(s, actor=STAFF, number=number, accept=True, note="customer short-paid; ok")
        confirm.resolve_flag(s, actor=STAFF, number=other, accept=False)
    assert (get_order(shop, number).payment_status, get_order(shop, number).payment_flag) == ("paid", None)
    assert (get_order(shop, other).payment_status, get_order(shop, other).payment_flag) == ("unpaid", None)
