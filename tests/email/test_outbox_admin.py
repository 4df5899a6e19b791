"""What staff see and do on the Outbox page."""

from __future__ import annotations

import threading

import pytest

from dashboard.domain.columns import utcnow
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.domain.messaging import OutboxMessage, OutboxStatus
from dashboard.services import messaging
from dashboard.services.db import read_session, write_session
from dashboard.services.messaging import admin as outbox_admin
from fulfil_testkit.factories import STAFF
from tests.email.fake_resend import Scripted
from tests.email.test_mailer import messages, place


def test_held_emails_are_listed_readable_and_released_when_a_key_arrives(shop, monkeypatch):
    first, second = place(shop), place(shop)
    messaging.send_due(shop)  # no key: both held

    with read_session(shop) as s:
        rows, total, counts = messaging.list_messages(s)
        detail = messaging.message_detail(s, rows[0]["id"])
        found, _, _ = messaging.list_messages(s, q=f"#{first}")
    assert total == 2 and counts == {"held": 2}
    assert [r["order_number"] for r in rows] == [second, first]  # newest first
    assert rows[0]["subject"].startswith(f"New order #{second}")
    assert "RESEND_API_KEY is not set" in rows[0]["last_error"]
    assert detail["rendered"] and "Ada Lovelace" in detail["text"] and "<table" in detail["html"]
    assert [r["order_number"] for r in found] == [first]

    from tests.email.fake_resend import FakeResend

    server = FakeResend().start()
    try:
        monkeypatch.setenv("RESEND_API_KEY", server.api_key)
        monkeypatch.setenv("RESEND_API_URL", server.url)
        with write_session(shop) as s:
            assert messaging.release_held(s, actor=STAFF) == 2
        assert messaging.send_due(shop).sent == 2
        assert len(server.delivered) == 2
    finally:
        server.stop()


def test_a_failed_email_is_retried_under_its_key_and_a_sent_one_sent_again(shop, resend_server,
                                                                           monkeypatch):
    monkeypatch.setenv("OUTBOX_MAX_ATTEMPTS", "1")
    place(shop)
    resend_server.fail_next(Scripted(500))
    assert messaging.send_due(shop).failed == 1
    (m,) = messages(shop)

    with write_session(shop) as s:
        messaging.retry(s, actor=STAFF, message_id=m.id)
    assert messaging.send_due(shop).sent == 1
    with write_session(shop) as s:
        copy = messaging.send_again(s, actor=STAFF, message_id=m.id)
    assert messaging.send_due(shop).sent == 1

    keys = [r.idempotency_key for r in resend_server.requests]
    assert keys == [m.idempotency_key, m.idempotency_key, f"{m.idempotency_key}#again-1"]
    assert len(resend_server.delivered) == 2  # the original, and the copy asked for
    assert resend_server.delivered[0]["html"] == resend_server.delivered[1]["html"]
    assert copy.payload["copy_of"] == m.id
    with write_session(shop) as s, pytest.raises(ValidationFailed, match="failed or held"):
        messaging.retry(s, actor=STAFF, message_id=m.id)
    with read_session(shop) as s, pytest.raises(NotFound):
        messaging.message_detail(s, 424242)
    assert {x.status for x in messages(shop)} == {OutboxStatus.SENT}


def test_an_email_not_rendered_yet_can_be_read_as_a_preview(shop):
    number = place(shop)
    (m,) = messages(shop)
    with read_session(shop) as s:
        rows, _, _ = messaging.list_messages(s)
        detail = messaging.message_detail(s, m.id)
    assert rows[0]["subject"] == f"New order #{number} from Ada Lovelace"  # as queued
    assert detail["preview"] and detail["subject"].startswith(f"New order #{number}")
    assert "Ada Lovelace" in detail["text"]


def _sent(url: str, key: str) -> int:
    """A sent email under `key` (its content does not matter here)."""
    with write_session(url) as s:
        m = OutboxMessage(kind="email", topic="new_order_merchant", idempotency_key=key,
                          payload={"to": "orders@harbourpine.example"},
                          status=OutboxStatus.SENT, sent_at=utcnow())
        s.add(m)
        s.flush()
        return m.id


def test_two_agents_asking_at_once_queue_one_copy(shop):
    # given a sent email, and two clicks on "Send again" at the same moment
    original = _sent(shop, "new_order_merchant:100001")
    start = threading.Barrier(2)
    copies, errors = [], []

    def click():
        start.wait()
        try:
            with write_session(shop) as s:
                copies.append(outbox_admin.send_again(s, actor=STAFF, message_id=original).id)
        except Exception as exc:  # noqa: BLE001 (the test reports whatever went wrong)
            errors.append(exc)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then both are answered with the one copy queued
    assert errors == []
    queued = [m for m in messages(shop) if m.id != original]
    assert [m.idempotency_key for m in queued] == ["new_order_merchant:100001#again-1"]
    assert copies == [queued[0].id, queued[0].id]

    # and once that copy is out, asking again queues the next one
    with write_session(shop) as s:
        s.get(OutboxMessage, queued[0].id).status = OutboxStatus.SENT
    with write_session(shop) as s:
        again = outbox_admin.send_again(s, actor=STAFF, message_id=original)
    assert again.idempotency_key == "new_order_merchant:100001#again-2"


def test_a_key_with_like_wildcards_counts_only_its_own_copies(shop):
    # "_" and "%" in a LIKE pattern would match this other email's copies too
    wild = _sent(shop, "credit_note_10%:7")
    other = _sent(shop, "credit-note-10-percent:7")
    with write_session(shop) as s:
        outbox_admin.send_again(s, actor=STAFF, message_id=other)
    with write_session(shop) as s:
        copy = outbox_admin.send_again(s, actor=STAFF, message_id=wild)
    assert copy.idempotency_key == "credit_note_10%:7#again-1"
    assert copy.payload["copy_of"] == wild
    assert len(messages(shop)) == 4
