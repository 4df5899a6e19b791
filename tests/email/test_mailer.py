"""The outbox worker against a local fake Resend, through the real `resend` SDK."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from dashboard.domain.columns import utcnow
from dashboard.domain.messaging import OutboxEmail, OutboxMessage, OutboxStatus
from dashboard.services import messaging, orders
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, add_product, order_in, pay
from tests.email.fake_resend import Scripted

ROOT = Path(__file__).resolve().parents[2]


def place(url, *lines, **kw) -> int:
    with write_session(url) as s:
        return orders.place_order(s, actor=SHOP, order_in=order_in(*(lines or [("MUG-1", 2)]), **kw)).number


def messages(url, topic=None) -> list[OutboxMessage]:
    with read_session(url) as s:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if topic:
            query = query.where(OutboxMessage.topic == topic)
        rows = list(s.exec(query).all())
        s.expunge_all()  # keep them readable after the read transaction ends
        return rows


def frozen(url, message_id) -> OutboxEmail:
    with read_session(url) as s:
        row = s.get(OutboxEmail, message_id)
        s.expunge_all()
        return row


def test_a_new_order_emails_the_merchant_then_confirms_to_the_customer(shop, resend_server,
                                                                      monkeypatch):
    monkeypatch.setenv("SEND_ORDER_CONFIRMATION", "1")
    number = place(shop)

    first = messaging.send_due(shop)  # the merchant's email; it queues the confirmation
    second = messaging.send_due(shop)  # the customer's confirmation

    assert (first.sent, second.sent) == (1, 1)
    merchant, customer = resend_server.delivered
    assert merchant["to"] == ["orders@harbourpine.example"]
    assert merchant["subject"].startswith(f"New order #{number} from Ada Lovelace")
    assert "$25.00" in merchant["html"] and "MUG-1" in merchant["text"]
    assert customer["to"] == ["ada@example.com"]
    assert customer["subject"] == f"Thank you for your order #{number} · Harbour & Pine"
    assert customer["reply_to"] == "orders@harbourpine.example"
    assert "How to pay" in customer["text"]  # a bank-transfer order
    assert [r.idempotency_key for r in resend_server.requests] == [
        f"new_order_merchant:{number}", f"order_confirmation:{number}"]
    for m in messages(shop):
        assert (m.status, m.attempts, m.last_error) == (OutboxStatus.SENT, 1, None)
        assert m.sent_at is not None
        assert frozen(shop, m.id).provider_id  # Resend's email id, for support questions


def test_a_server_error_is_retried_under_the_same_key_and_sent_once(shop, resend_server):
    place(shop)
    resend_server.fail_next(Scripted(500, "application_error", "upstream hiccup"))

    failed = messaging.send_due(shop)
    (m,) = messages(shop)
    assert (failed.retried, m.status, m.attempts) == (1, OutboxStatus.PENDING, 1)
    assert "Attempt 1 failed: Resend 500 application_error: upstream hiccup" in m.last_error

    assert messaging.send_due(shop).sent == 1
    first, retry = resend_server.requests
    assert first.idempotency_key == retry.idempotency_key == m.idempotency_key
    assert first.body == retry.body  # the frozen rendering: byte for byte the same request
    assert len(resend_server.delivered) == 1
    (m,) = messages(shop, "new_order_merchant")
    assert (m.status, m.attempts, m.last_error) == (OutboxStatus.SENT, 2, None)


def test_backoff_doubles_and_a_429_waits_for_its_retry_after(shop, resend_server, monkeypatch):
    monkeypatch.setenv("OUTBOX_BASE_DELAY_SECONDS", "10")
    assert timedelta(seconds=8) <= messaging.backoff(1) <= timedelta(seconds=12)
    assert timedelta(seconds=32) <= messaging.backoff(3) <= timedelta(seconds=48)
    assert messaging.backoff(30) <= messaging.MAX_DELAY * 1.2

    monkeypatch.setenv("OUTBOX_BASE_DELAY_SECONDS", "1")
    place(shop)
    resend_server.fail_next(Scripted(429, "rate_limit_exceeded", "Too many requests",
                                     headers={"retry-after": "30"}))
    before = utcnow()
    assert messaging.send_due(shop).retried == 1
    (m,) = messages(shop)
    assert m.next_attempt_at >= before + timedelta(seconds=30)  # not the 1 s backoff
    assert "retry after 30 s" in m.last_error

    assert messaging.send_due(shop).claimed == 0  # not due yet
    assert messaging.send_due(shop, now=utcnow() + timedelta(seconds=31)).sent == 1
    assert len(resend_server.delivered) == 1


def test_after_the_last_attempt_a_message_is_dead_lettered(shop, resend_server, monkeypatch):
    monkeypatch.setenv("OUTBOX_MAX_ATTEMPTS", "3")
    place(shop)
    resend_server.fail_next(*[Scripted(503, "application_error", "down for maintenance")] * 5)

    outcomes = [messaging.send_due(shop) for _ in range(4)]

    assert [(o.retried, o.failed) for o in outcomes] == [(1, 0), (1, 0), (0, 1), (0, 0)]
    (m,) = messages(shop)
    assert (m.status, m.attempts) == (OutboxStatus.FAILED, 3)
    assert m.last_error.startswith("Gave up after 3 attempts: Resend 503")
    assert len(resend_server.requests) == 3 and not resend_server.delivered
    assert {r.idempotency_key for r in resend_server.requests} == {m.idempotency_key}


def test_a_rejected_email_is_not_retried(shop, resend_server):
    place(shop)
    resend_server.fail_next(Scripted(422, "validation_error", "Invalid `to` field"))
    assert messaging.send_due(shop).failed == 1
    (m,) = messages(shop)
    assert m.status == OutboxStatus.FAILED
    assert m.last_error == "Not retried: Resend 422 validation_error: Invalid `to` field"


def test_a_worker_that_dies_after_claiming_leaves_the_message_for_the_next(shop, resend_server,
                                                                            monkeypatch):
    monkeypatch.setenv("OUTBOX_LEASE_SECONDS", "60")
    place(shop)
    with write_session(shop) as s:  # the first worker claims and commits, then is gone
        ((message_id, attempt),) = messaging.claim(s)
    assert attempt == 1

    assert messaging.send_due(shop).claimed == 0  # leased: nobody else takes it meanwhile
    later = messaging.send_due(shop, now=utcnow() + timedelta(seconds=61))

    assert later.sent == 1
    assert len(resend_server.delivered) == 1
    assert messages(shop)[0].attempts == 2


CRASH_AFTER_SEND = """
import os, sys
from dashboard.services.messaging import worker as mailer
real = mailer.deliver
def deliver_then_die(*args, **kwargs):
    real(*args, **kwargs)   # Resend has accepted the email...
    os._exit(9)             # ...and the worker dies before writing that down
mailer.send_due(sys.argv[1], deliver_fn=deliver_then_die)
"""


def test_a_worker_killed_between_sending_and_recording_still_sends_once(shop, resend_server,
                                                                         monkeypatch):
    monkeypatch.setenv("OUTBOX_LEASE_SECONDS", "30")
    place(shop)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    crashed = subprocess.run([sys.executable, "-c", CRASH_AFTER_SEND, shop], env=env,
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert crashed.returncode == 9, crashed.stderr
    (m,) = messages(shop)
    assert (m.status, m.attempts) == (OutboxStatus.PENDING, 1)  # nobody knows it went out
    assert len(resend_server.delivered) == 1

    resumed = messaging.send_due(shop, now=utcnow() + timedelta(seconds=31))

    assert resumed.sent == 1
    assert len(resend_server.requests) == 2  # sent twice...
    assert len(resend_server.delivered) == 1  # ...delivered once: same key, same body
    (m,) = messages(shop, "new_order_merchant")
    assert (m.status, m.attempts) == (OutboxStatus.SENT, 2)
    assert frozen(shop, m.id).provider_id == resend_server.delivered[0]["id"]


def test_without_a_key_emails_are_held_readable_and_released_later(shop, monkeypatch):
    number = place(shop)

    result = messaging.send_due(shop)

    assert (result.held, result.sent) == (1, 0)
    (m,) = messages(shop)
    assert (m.status, m.attempts) == (OutboxStatus.HELD, 0)
    assert "RESEND_API_KEY is not set" in m.last_error
    email = frozen(shop, m.id)
    assert email.subject.startswith(f"New order #{number}")
    assert "Ada Lovelace" in email.text and "<html" in email.html
    assert messaging.send_due(shop).claimed == 0  # held stays held


@pytest.mark.parametrize("workers", [4])
def test_several_workers_send_every_message_exactly_once(shop, resend_server, workers,
                                                         monkeypatch):
    monkeypatch.setenv("SEND_ORDER_CONFIRMATION", "0")
    add_product(shop, "CUP-2", on_hand=100)
    for i in range(30):
        place(shop, ("CUP-2", 1), email=f"shopper{i}@example.com")
    results, errors = [], []

    def work():
        try:
            for _ in range(20):
                r = messaging.send_due(shop, limit=3)
                results.append(r)
                if not r:
                    break
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    assert not errors
    assert sum(r.sent for r in results) == 30
    assert len(resend_server.requests) == 30  # not one message was claimed twice
    assert len({d["subject"] for d in resend_server.delivered}) == 30
    assert {m.status for m in messages(shop)} == {OutboxStatus.SENT}


def test_a_payment_receipt_carries_the_receipt_pdf(shop, resend_server):
    number = place(shop)
    with write_session(shop) as s:
        pay(s, number, reference="BANK-REF-7", send_receipt=True)
    messaging.drain(shop)

    (receipt,) = [d for d in resend_server.delivered if d["subject"].startswith("Payment received")]
    assert receipt["to"] == ["ada@example.com"]
    assert "BANK-REF-7" in receipt["text"]
    (attachment,) = receipt["attachments"]
    assert attachment["filename"] == f"receipt-{number}.pdf"
    assert attachment["content_type"] == "application/pdf"
    pdf = base64.b64decode(attachment["content"])
    assert pdf.startswith(b"%PDF-")
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "RECEIPT" in text and f"Order #{number}" in text and "BANK-REF-7" in text
