"""What each email says, in HTML and plain text, with the merchant's details."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import Actor, OrderStatus
from dashboard.domain.payments import PaymentMethod
from dashboard.services import board, messaging, orders, payments, shipping
from dashboard.services.db import read_session, write_session
from dashboard.services.messaging import business_days_after, render_message, tracking_url
from fulfil_testkit.factories import STAFF, order_in, pay
from tests.email.test_mailer import place


def rendered(url: str, topic: str):
    with read_session(url) as s:
        message = s.exec(select(OutboxMessage).where(OutboxMessage.topic == topic)
                         .order_by(OutboxMessage.id.desc())).first()
        assert message is not None, f"no {topic} message queued"
        email = render_message(s, message)
        s.expunge_all()
        return message, email


def test_shipped_names_the_carrier_links_the_tracking_and_expects_delivery(shop, monkeypatch):
    monkeypatch.setenv("DELIVERY_DAYS", "2-4")
    number = place(shop)
    with write_session(shop) as s:
        pay(s, number)
    with write_session(shop) as s:
        shipping.ship_lines(s, actor=STAFF, number=number, carrier="AusPost",
                          tracking_number="33ABC123456")

    message, email = rendered(shop, "shipped")

    assert message.idempotency_key.startswith(f"shipped:{number}:")
    assert email.subject == f"Your order #{number} is on its way · Harbour & Pine"
    url = "https://auspost.com.au/mypost/track/details/33ABC123456"
    assert f'href="{url}"' in email.html and url in email.text
    assert "with AusPost" in email.text and "Expected delivery:" in email.text
    assert "2 x Product MUG-1" in email.text  # what is in this parcel
    assert email.recipients == ["ada@example.com"]
    assert "ABN 12 345 678 901" in email.text and "12 Wharf St" in email.html


def test_ready_for_pickup_says_where_and_what_to_bring(shop):
    from dashboard.domain.payments import PaymentMethod
    from dashboard.domain.shipping import DeliveryMethod

    with write_session(shop) as s:
        number = orders.place_order(s, actor=STAFF, order_in=order_in(
            ("MUG-1", 1), delivery_method=DeliveryMethod.PICKUP,
            payment_method=PaymentMethod.PAY_ON_PICKUP)).number
    for step in (OrderStatus.PICKING, OrderStatus.READY_FOR_PICKUP):  # paid at the counter
        with write_session(shop) as s:
            orders.change_status(s, actor=STAFF, number=number, target=step)

    _, email = rendered(shop, "ready_for_pickup")

    assert email.subject.startswith(f"Your order #{number} is ready to collect")
    assert "12 Wharf St" in email.text and "Hobart TAS 7000" in email.text
    assert f"order number {number}" in email.text and "A$12.50 to pay on collection" in email.text


def test_cancelled_gives_the_reason_and_the_refund(shop):
    number = place(shop)
    with write_session(shop) as s:
        pay(s, number)
    with write_session(shop) as s:
        orders.cancel_order(s, actor=STAFF, number=number, reason="Out of stock at the supplier")
    _, email = rendered(shop, "order_cancelled")
    assert "cancelled: Out of stock at the supplier" in email.text
    assert "You paid A$25.00; we will refund it" in email.text


@pytest.mark.parametrize("how", ["payments page", "board"])
def test_a_receipt_shows_what_its_payload_carries(shop, how, monkeypatch):
    monkeypatch.setenv("PAYMENT_RECEIPT_EMAILS", "1")  # the board sends the shop's default
    number = place(shop)
    with write_session(shop) as s:
        if how == "board":
            board.move_card(s, actor=STAFF, number=number, to_lane="paid",
                            facts={"reference": "WBC 7781", "method": "cheque"})
        else:
            payments.mark_paid(s, actor=STAFF, numbers=[number], reference="WBC 7781",
                               method=PaymentMethod.CHEQUE)
    message, email = rendered(shop, "payment_receipt")
    p = message.payload
    assert set(p) == {"to", "number", "payment_id", "amount", "currency", "method", "reference"}
    assert email.recipients == [p["to"]] and f"#{p['number']}" in email.subject
    for shown in (email.text, email.html):
        assert f"{p['amount']} {p['currency']}" in shown  # 25.00 AUD
        assert "by cheque" in shown and f"(reference {p['reference']})" in shown


def test_a_cancellation_from_the_payments_queue_shows_its_reason(shop):
    number = place(shop)
    with write_session(shop) as s:
        payments.cancel_unpaid(s, actor=STAFF, numbers=[number], reason="No transfer arrived",
                               notify_customer=True)
    message, email = rendered(shop, "order_cancelled")
    assert message.payload == {"to": "ada@example.com", "number": number,
                               "reason": "No transfer arrived"}
    assert email.recipients == ["ada@example.com"]
    assert "cancelled: No transfer arrived" in email.text
    assert "cancelled: No transfer arrived" in email.html


def test_a_cancellation_can_be_silent(shop):
    number = place(shop)
    with write_session(shop) as s:
        orders.cancel_order(s, actor=STAFF, number=number, reason="test order",
                            notify_customer=False)
    with read_session(shop) as s:
        assert not s.exec(select(OutboxMessage).where(OutboxMessage.topic == "order_cancelled")).all()


def test_a_credit_note_lists_what_was_credited_with_its_tax(shop):
    from dashboard.services.orders import get_order

    number = place(shop)
    with write_session(shop) as s:
        order = get_order(s, number)
        messaging.credit_note(s, order, credit_number="CN-1001", amount_minor=1250,
                                  lines=[{"sku": "MUG-1", "name": "Enamel mug", "quantity": 1,
                                          "unit_price_minor": 1250}],
                                  reason="Arrived chipped", refund_method="bank_transfer")
        s.commit()
    _, email = rendered(shop, "credit_note")
    assert email.subject.startswith(f"Credit note CN-1001 for order #{number}")
    assert "credited A$12.50" in email.text and "(Arrived chipped)" in email.text
    assert "Includes GST (10%)" in email.html and "$1.14" in email.html  # 12.50 x 10/110
    assert "adjustment note" in email.text


def test_customer_names_are_escaped_in_html_but_kept_in_text(shop):
    from dashboard.domain.orders import CustomerIn

    base = order_in(("MUG-1", 1))
    hostile = type(base)(**{**{f: getattr(base, f) for f in base.__dataclass_fields__},
                            "customer": CustomerIn(email="x@example.com", name="<script>alert(1)</script> 王")})
    with write_session(shop) as s:
        orders.place_order(s, actor=Actor.system(), order_in=hostile)
    _, email = rendered(shop, "new_order_merchant")
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html
    assert "<script>alert(1)</script> 王" in email.text


@pytest.mark.parametrize(("carrier", "expected"), [
    ("Sendle", "https://track.sendle.com/tracking?ref=ABC%2F1"),
    ("StarTrack", "https://startrack.com.au/track/details/ABC%2F1"),
    ("Couriers Please", "https://www.couriersplease.com.au/tools-track/no/ABC%2F1"),
    ("Bob's Vans", None),
])
def test_tracking_links_for_known_carriers(carrier, expected, monkeypatch):
    monkeypatch.delenv("TRACKING_URL_TEMPLATE", raising=False)
    assert tracking_url(carrier, "ABC/1") == expected


def test_unknown_carriers_use_the_configured_template(monkeypatch):
    monkeypatch.setenv("TRACKING_URL_TEMPLATE", "https://track.example/{carrier}/{number}")
    assert tracking_url("Bob's Vans", "X 1") == "https://track.example/Bob%27s%20Vans/X%201"


def test_business_days_skip_the_weekend():
    from datetime import date

    friday = date(2026, 3, 6)
    assert business_days_after(friday, 1) == date(2026, 3, 9)  # Monday
    assert business_days_after(friday, 3) == date(2026, 3, 11)
