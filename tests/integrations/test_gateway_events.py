"""Webhooks for what the card gateway reports: a payment (order.paid), money that does
not fit the order (payment.flagged) and a refund (order.refunded), each sent once the
gateway's own webhook (Stripe's format, over the API) is committed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dashboard.api.app import api
from dashboard.services import integrations
from dashboard.services.db import write_session
from fulfil_testkit.factories import STAFF, order_in
from tests.payments.test_stripe_webhook import SECRET, charge, event, post


@pytest.fixture
def client(shop, monkeypatch):
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    with TestClient(api) as c:
        yield c


def place_card_order(url) -> int:
    from dashboard.domain.payments import PaymentMethod
    from dashboard.services import orders

    with write_session(url) as s:
        return orders.place_order(s, actor=STAFF, order_in=order_in(
            ("MUG-1", 1), payment_method=PaymentMethod.CARD)).number


def test_paid_refunded_and_flagged_reach_the_receiver(shop, owner, receiver, client):
    with write_session(shop) as s:
        integrations.add_endpoint(s, by=owner, url=receiver.url, events=[
            "order.paid", "order.refunded", "payment.flagged"])
    paid = place_card_order(shop)
    flagged = place_card_order(shop)
    assert post(client, event("charge.succeeded", charge(paid))).json()["outcome"] == "applied"
    assert post(client, event("charge.refunded", charge(paid, refunded=500),
                              event_id="evt_r")).json()["outcome"] == "refunded"
    assert post(client, event("charge.succeeded", charge(flagged, amount=1000, charge_id="ch_2"),
                              event_id="evt_f")).json()["outcome"] == "flagged"
    integrations.drain(shop)
    got = [(r.body["type"], r.body["data"]["number"], r.body["data"]["payment_status"])
           for r in receiver.ok()]
    # (each payload is the order when its event was first sent: here all after the refund)
    assert sorted(got) == sorted([("order.paid", paid, "partially_refunded"),
                                  ("order.refunded", paid, "partially_refunded"),
                                  ("payment.flagged", flagged, "unpaid")])
    by_order = [t for t, n, _ in got if n == paid]
    assert by_order == ["order.paid", "order.refunded"]
