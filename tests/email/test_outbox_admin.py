"""What staff see and do on the Outbox page."""

from __future__ import annotations

import pytest

from dashboard.domain.enums import OutboxStatus
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.services import mailer, outbox_admin
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import STAFF
from tests.email.fake_resend import Scripted
from tests.email.test_mailer import messages, place


def test_held_emails_are_listed_readable_and_released_when_a_key_arrives(shop, monkeypatch):
    first, second = place(shop), place(shop)
    mailer.send_due(shop)  # no key: both held

    with read_session(shop) as s:
        rows, total, counts = outbox_admin.list_messages(s)
        detail = outbox_admin.message_detail(s, rows[0]["id"])
        found, _, _ = outbox_admin.list_messages(s, q=f"#{first}")
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
            assert outbox_admin.release_held(s, actor=STAFF) == 2
        assert mailer.send_due(shop).sent == 2
        assert len(server.delivered) == 2
    finally:
        server.stop()


def test_a_failed_email_is_retried_under_its_key_and_a_sent_one_sent_again(shop, resend_server,
                                                                           monkeypatch):
    monkeypatch.setenv("OUTBOX_MAX_ATTEMPTS", "1")
    place(shop)
    resend_server.fail_next(Scripted(500))
    assert mailer.send_due(shop).failed == 1
    (m,) = messages(shop)

    with write_session(shop) as s:
        outbox_admin.retry(s, actor=STAFF, message_id=m.id)
    assert mailer.send_due(shop).sent == 1
    with write_session(shop) as s:
        copy = outbox_admin.send_again(s, actor=STAFF, message_id=m.id)
    assert mailer.send_due(shop).sent == 1

    keys = [r.idempotency_key for r in resend_server.requests]
    assert keys == [m.idempotency_key, m.idempotency_key, f"{m.idempotency_key}#again-1"]
    assert len(resend_server.delivered) == 2  # the original, and the copy asked for
    assert resend_server.delivered[0]["html"] == resend_server.delivered[1]["html"]
    assert copy.payload["copy_of"] == m.id
    with write_session(shop) as s, pytest.raises(ValidationFailed, match="failed or held"):
        outbox_admin.retry(s, actor=STAFF, message_id=m.id)
    with read_session(shop) as s, pytest.raises(NotFound):
        outbox_admin.message_detail(s, 424242)
    assert {x.status for x in messages(shop)} == {OutboxStatus.SENT}


def test_an_email_not_rendered_yet_can_be_read_as_a_preview(shop):
    number = place(shop)
    (m,) = messages(shop)
    with read_session(shop) as s:
        rows, _, _ = outbox_admin.list_messages(s)
        detail = outbox_admin.message_detail(s, m.id)
    assert rows[0]["subject"] == f"New order #{number} from Ada Lovelace"  # as queued
    assert detail["preview"] and detail["subject"].startswith(f"New order #{number}")
    assert "Ada Lovelace" in detail["text"]
