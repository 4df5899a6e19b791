"""The outbox: side effects written with the change that causes them, sent later.

`enqueue` is called inside a service's transaction, so a rolled-back change never
sends anything and a committed one is never lost. The idempotency key is unique: a
retried change cannot queue the same message twice.

A change that can still be taken back for a moment (a move on the board, within its undo
window) sets `session.info[HOLD_UNTIL]` to a time: what it queues waits until then, so an
undone change can withdraw its messages before anything is sent.
"""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard import config
from dashboard.domain.messaging import OutboxMessage

HOLD_UNTIL = "outbox_hold_until"


def enqueue(
    session: Session,
    *,
    kind: str,
    topic: str,
    payload: dict,
    idempotency_key: str,
    order_id: int | None = None,
) -> OutboxMessage:
    existing = session.exec(
        select(OutboxMessage).where(OutboxMessage.idempotency_key == idempotency_key)
    ).first()
    if existing is not None:
        return existing
    message = OutboxMessage(
        kind=kind, topic=topic, payload=payload, idempotency_key=idempotency_key, order_id=order_id
    )
    if (hold_until := session.info.get(HOLD_UNTIL)) is not None:
        message.next_attempt_at = hold_until
    session.add(message)
    return message


def merchant_email() -> str:
    return config.merchant_email()

