"""Stripe's webhook over HTTP: payloads in Stripe's event format, signed with the stripe
library's own helper, posted to the API. Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import stripe
from fastapi.testclient import TestClient

from dashboard.api.app import api
from dashboard.domain.orders import Order, OrderEvent
from dashboard.domain.payments import GatewayEvent, Payment
from fulfil_testkit.factories import add_product
from tests.api.conftest import Snapshot
from tests.payments.conftest import count, get_order, place, rows

SECRET = "whsec_test_0123456789abcdef"


@pytest.fixture
def shop(url, monkeypatch):
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    add_product(url, "MUG-1", on_hand=10, price="12.50")
    return url


def charge(number: int, amount: int = 1250, *, charge_id: str = "ch_1", refunded: int = 0,
           currency: str = "aud") -> dict:
    return {
        "id": charge_id, "object": "charge", "amount": amount, "amount_captured": amount,
        "amount_refunded": refunded, "refunded": refunded >= amount, "currency": currency,
        "paid": True, "status": "succeeded", "payment_intent": "pi_1",
        "balance_transaction": "txn_1AbC", "metadata": {"order_number": str(number)},
        "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242"}},
    }


def intent(number: int, amount: int = 1250, *, currency: str = "aud", failed: bool = False) -> dict:
    body = {
        "id": "pi_1", "object": "payment_intent", "amount": amount, "currency": currency,
        "amount_received": 0 if failed else amount,
        "status": "requires_payment_method" if failed else "succeeded",
        "latest_charge": "ch_1", "metadata": {"order_number": str(number)},
    }
    if failed:
        body["last_payment_error"] = {"code": "card_declined", "message": "Your card was declined."}
    return body


def event(type_: str, obj: dict, *, event_id: str = "evt_1") -> dict:
    return {"id": event_id, "object": "event", "api_version": "2026-10-28", "type": type_,
            "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
            "data": {"object": obj}}


def post(client: TestClient, payload: dict, *, secret: str = SECRET, timestamp: int | None = None,
         raw: str | None = None):
    body = raw if raw is not None else json.dumps(payload)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
    return client.post("/api/v1/payments/stripe/webhook", content=body.encode(),
                       headers={"Stripe-Signature": header, "Content-Type": "application/json"})


def test_a_card_payment_moves_the_order_to_paid_with_the_charge_details(shop, client):
    # given an unpaid card order
    number = place(shop, method="card")
    # when Stripe reports the payment intent succeeded
    response = post(client, event("payment_intent.succeeded", intent(number)))
    # then
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "applied"
    order = get_order(shop, number)
    assert (order.status, order.payment_status, order.payment_flag) == ("paid", "paid", None)
    # and the charge's own event fills in the card and the bank reference, paying nothing twice
    response = post(client, event("charge.succeeded", charge(number), event_id="evt_2"))
    assert response.json()["outcome"] == "already_applied"
    (payment,) = rows(shop, Payment)
    assert (payment.amount_minor, payment.currency, payment.charge_id) == (1250, "AUD", "ch_1")
    assert (payment.reference, payment.card_brand, payment.card_last4) == ("txn_1AbC", "visa", "4242")
    assert count(shop, OrderEvent, OrderEvent.type == "payment_recorded") == 1


def test_the_same_event_twice_has_one_effect_and_both_get_200(shop, client):
    number = place(shop, method="card")
    payload = event("charge.succeeded", charge(number))
    first, second = post(client, payload), post(client, payload)
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["outcome"] == "duplicate"
    assert count(shop, Payment) == 1 and count(shop, GatewayEvent) == 1


def test_simultaneous_duplicates_have_one_effect(shop, client):
    # given one delivery sent eight times at the same moment (Stripe retries, a proxy resends)
    number = place(shop, method="card")
    payload = event("charge.succeeded", charge(number))
    start = threading.Barrier(8)

    def deliver(_):
        with TestClient(api) as c:
            start.wait()
            return post(c, payload)

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(deliver, range(8)))
    # then every delivery got a 2xx and the payment exists once
    assert [r.status_code for r in responses] == [200] * 8, [r.text for r in responses]
    outcomes = sorted(r.json()["outcome"] for r in responses)
    assert outcomes == ["applied"] + ["duplicate"] * 7
    assert count(shop, Payment) == 1 and count(shop, GatewayEvent) == 1
    assert count(shop, OrderEvent, OrderEvent.type == "payment_recorded") == 1


def test_the_intent_and_the_charge_event_at_the_same_moment_record_one_payment(shop):
    number = place(shop, method="card")
    payloads = [event("payment_intent.succeeded", intent(number), event_id="evt_pi"),
                event("charge.succeeded", charge(number), event_id="evt_ch")]
    start = threading.Barrier(2)

    def deliver(payload):
        with TestClient(api) as c:
            start.wait()
            return post(c, payload)

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(deliver, payloads))
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    assert sorted(r.json()["outcome"] for r in responses) == ["already_applied", "applied"]
    assert count(shop, Payment) == 1 and count(shop, GatewayEvent) == 2
    assert get_order(shop, number).payment_status == "paid"


def test_a_bad_signature_is_refused_and_changes_nothing(shop, client):
    number = place(shop, method="card")
    before = Snapshot(shop)
    response = post(client, event("charge.succeeded", charge(number)), secret="whsec_wrong")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_signature"
    # a body altered after signing fails too
    good = json.dumps(event("charge.succeeded", charge(number)))
    header = stripe.WebhookSignature.generate_signature_header(good, SECRET)
    tampered = good.replace('"amount": 1250', '"amount": 1')
    response = client.post("/api/v1/payments/stripe/webhook", content=tampered,
                           headers={"Stripe-Signature": header})
    assert response.status_code == 400
    unsigned = client.post("/api/v1/payments/stripe/webhook", content=good)
    assert unsigned.status_code == 400
    assert before.unchanged() and count(shop, Payment) == 0 and count(shop, GatewayEvent) == 0


def test_a_stale_timestamp_is_refused_as_a_replay(shop, client):
    number = place(shop, method="card")
    before = Snapshot(shop)
    response = post(client, event("charge.succeeded", charge(number)),
                    timestamp=int(time.time()) - 600)
    assert response.status_code == 400
    assert response.json()["reason"] == "timestamp_outside_tolerance"
    assert before.unchanged() and count(shop, GatewayEvent) == 0


def test_a_wrong_amount_is_recorded_and_flagged_not_accepted(shop, client):
    number = place(shop, method="card")
    response = post(client, event("charge.succeeded", charge(number, amount=1000)))
    assert response.status_code == 200
    assert response.json()["outcome"] == "flagged"
    order = get_order(shop, number)
    assert (order.status, order.payment_status) == ("unpaid", "unpaid")
    assert "A$10.00 does not match the order total A$12.50" in order.payment_flag
    (payment,) = rows(shop, Payment)
    assert payment.needs_review and payment.amount_minor == 1000
    assert count(shop, OrderEvent, OrderEvent.type == "payment_flagged") == 1


def test_a_wrong_currency_is_flagged_too(shop, client):
    number = place(shop, method="card")
    response = post(client, event("payment_intent.succeeded", intent(number, currency="usd")))
    assert response.json()["outcome"] == "flagged"
    assert get_order(shop, number).payment_status == "unpaid"


def test_an_unknown_order_gets_a_404_and_changes_nothing(shop, client):
    place(shop, method="card")
    before = Snapshot(shop)
    response = post(client, event("charge.succeeded", charge(999999)))
    assert response.status_code == 404 and response.json()["error"] == "unknown_order"
    no_metadata = {**charge(1), "metadata": {}}
    response = post(client, event("charge.succeeded", no_metadata, event_id="evt_2"))
    assert response.status_code == 404
    assert before.unchanged() and count(shop, GatewayEvent) == 0
    # the same event is accepted once the order exists (Stripe retries 4xx answers)


def test_out_of_order_a_refund_before_the_payment_and_a_late_failure(shop, client):
    number = place(shop, method="card")
    # the refund arrives first: the charge it carries records the payment, then the refund
    refund = post(client, event("charge.refunded", charge(number, refunded=500), event_id="evt_r"))
    assert refund.json()["outcome"] == "refunded"
    # then the success, then an earlier declined attempt
    late = post(client, event("charge.succeeded", charge(number), event_id="evt_s"))
    failed = post(client, event("payment_intent.payment_failed", intent(number, failed=True),
                                event_id="evt_f"))
    assert late.json()["outcome"] == "already_applied"
    assert failed.json()["outcome"] == "failed_recorded"
    order = get_order(shop, number)
    assert (order.status, order.payment_status) == ("paid", "partially_refunded")
    # an older refund event (smaller cumulative amount) changes nothing; the full one does
    older = post(client, event("charge.refunded", charge(number, refunded=200), event_id="evt_r0"))
    assert older.json()["outcome"] == "already_applied"
    full = post(client, event("charge.refunded", charge(number, refunded=1250), event_id="evt_r2"))
    assert full.json()["outcome"] == "refunded"
    assert get_order(shop, number).payment_status == "refunded"
    assert count(shop, Payment, Payment.status != "failed") == 1


def test_a_declined_card_is_recorded_and_the_order_stays_unpaid(shop, client):
    number = place(shop, method="card")
    response = post(client, event("payment_intent.payment_failed", intent(number, failed=True)))
    assert response.json()["outcome"] == "failed_recorded"
    assert get_order(shop, number).payment_status == "unpaid"
    assert count(shop, Payment, Payment.status == "failed") == 1


def test_other_event_types_are_acknowledged(shop, client):
    response = post(client, event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200 and response.json()["outcome"] == "ignored"


def test_without_a_secret_the_webhook_is_unavailable(url, client, monkeypatch):
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    response = post(client, event("charge.succeeded", charge(100001)))
    assert response.status_code == 404 and response.json()["error"] == "not_configured"
    assert count(url, Order) == 0
