"""The Outbox page's reads and actions: every email, what happened to it and why; retry
a failed or held one, send a sent one again, release everything held.

Retrying keeps the message's idempotency key (it was never delivered, or Resend will
recognise it); sending again makes a new message with its own key and the same frozen
content, because the customer asked for another copy. Staff and owners only.
"""

from __future__ import annotations

from sqlmodel import Session, func, or_, select

from dashboard.domain.columns import utcnow
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.domain.messaging import OutboxEmail, OutboxMessage, OutboxStatus
from dashboard.domain.orders import Actor, Order
from dashboard.services.messaging.emails.render import render_message

MAX_PER_PAGE = 200


def _check(status: str | None, page: int, per_page: int) -> OutboxStatus | None:
    errors = {}
    value = None
    if status:
        try:
            value = OutboxStatus(status)
        except ValueError:
            errors["status"] = f"one of {', '.join(s.value for s in OutboxStatus)}"
    if page < 1:
        errors["page"] = "1 or more"
    if not 1 <= per_page <= MAX_PER_PAGE:
        errors["per_page"] = f"1 to {MAX_PER_PAGE}"
    if errors:
        raise ValidationFailed("Bad filters.", fields=errors)
    return value


def list_messages(session: Session, *, status: str | None = None, q: str | None = None,
                  page: int = 1, per_page: int = 50) -> tuple[list[dict], int, dict[str, int]]:
    """Email messages, newest first: (rows, total matching, count per status). `q` finds
    a recipient, a subject or an order number."""
    wanted = _check(status, page, per_page)
    conditions = [OutboxMessage.kind == "email"]
    if wanted:
        conditions.append(OutboxMessage.status == wanted)
    text = (q or "").strip().lstrip("#")[:200]
    if text:
        like = f"%{text.lower()}%"
        match = [func.lower(OutboxEmail.subject).like(like), OutboxMessage.topic.like(like),
                 func.lower(func.coalesce(OutboxMessage.last_error, "")).like(like)]
        if text.isdecimal() and len(text) < 12:
            match.append(Order.number == int(text))
        conditions.append(or_(*match))
    base = (select(OutboxMessage, OutboxEmail.subject, OutboxEmail.recipients, Order.number)
            .join(OutboxEmail, OutboxEmail.message_id == OutboxMessage.id, isouter=True)
            .join(Order, Order.id == OutboxMessage.order_id, isouter=True)
            .where(*conditions))
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    rows = session.exec(base.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
                        .offset((page - 1) * per_page).limit(per_page)).all()
    counts = dict(session.exec(
        select(OutboxMessage.status, func.count()).where(OutboxMessage.kind == "email")
        .group_by(OutboxMessage.status)).all())
    return [_row(m, subject, recipients, number) for m, subject, recipients, number in rows], \
        total, {str(k): v for k, v in counts.items()}


def _row(m: OutboxMessage, subject: str | None, recipients, number: int | None) -> dict:
    payload = m.payload or {}
    to = recipients or ([payload["to"]] if payload.get("to") else [])
    return {
        "id": m.id, "topic": m.topic, "status": str(m.status), "attempts": m.attempts,
        "to": ", ".join(to), "subject": subject or payload.get("subject") or "",
        "order_number": number or payload.get("number"), "created_at": m.created_at,
        "next_attempt_at": m.next_attempt_at, "sent_at": m.sent_at,
        "last_error": m.last_error or "", "idempotency_key": m.idempotency_key,
    }


def message_detail(session: Session, message_id: int) -> dict:
    """One email with what it says: as frozen when the worker rendered it, else a preview
    rendered now from the order as it is (`preview` true)."""
    m = session.get(OutboxMessage, message_id)
    if m is None or m.kind != "email":
        raise NotFound(f"No email {message_id} in the outbox.")
    email = session.get(OutboxEmail, message_id)
    preview = False
    if email is None:
        # Not picked up yet (or sent before renderings were kept): show what it would say.
        try:
            r = render_message(session, m)
        except Exception:  # a preview must never break the page; the worker reports errors
            r = None
        if r is not None:
            preview = True
            email = OutboxEmail(message_id=m.id, sender=r.sender, recipients=r.recipients,
                                reply_to=r.reply_to, subject=r.subject, html=r.html, text=r.text,
                                attachments=r.attachments)
    number = session.get(Order, m.order_id).number if m.order_id else None
    row = _row(m, email.subject if email else None, email.recipients if email else None, number)
    row.update({
        "rendered": email is not None,
        "preview": preview,
        "sender": email.sender if email else "",
        "reply_to": (email.reply_to or "") if email else "",
        "html": email.html if email else "",
        "text": email.text if email else "",
        "attachments": [a["filename"] for a in email.attachments] if email else [],
        "provider_id": (email.provider_id or "") if email else "",
    })
    return row


def _message(session: Session, message_id: int) -> OutboxMessage:
    m = session.get(OutboxMessage, message_id)
    if m is None or m.kind != "email":
        raise NotFound(f"No email {message_id} in the outbox.")
    return m


def retry(session: Session, *, actor: Actor, message_id: int) -> OutboxMessage:
    """Put a failed or held email back in the queue now, under its own key. Commits."""
    m = _message(session, message_id)
    if m.status not in (OutboxStatus.FAILED, OutboxStatus.HELD):
        raise ValidationFailed("Only failed or held emails can be retried.",
                               fields={"status": str(m.status)})
    m.status, m.attempts, m.next_attempt_at = OutboxStatus.PENDING, 0, utcnow()
    m.last_error = f"Queued again by {actor.label}."
    session.add(m)
    session.commit()
    return m


def send_again(session: Session, *, actor: Actor, message_id: int) -> OutboxMessage:
    """Send another copy of a sent email: a new message, its own key, the same content.

    Idempotent while a copy waits to go out: asking again (a double click, two agents at
    once) returns that copy instead of queuing another. The original's row is locked
    (PostgreSQL; SQLite's write transaction is exclusive) so two requests cannot both
    find no copy. Commits."""
    m = session.exec(select(OutboxMessage).where(OutboxMessage.id == message_id)
                     .with_for_update()).first()
    if m is None or m.kind != "email":
        raise NotFound(f"No email {message_id} in the outbox.")
    if m.status != OutboxStatus.SENT:
        raise ValidationFailed("Only a sent email can be sent again; retry the others.",
                               fields={"status": str(m.status)})
    prefix = f"{m.idempotency_key}#again-"
    copies = session.exec(select(OutboxMessage).where(
        OutboxMessage.idempotency_key.startswith(prefix, autoescape=True))
        .order_by(OutboxMessage.id)).all()
    waiting = [c for c in copies if c.status in (OutboxStatus.PENDING, OutboxStatus.HELD)]
    if waiting:
        return waiting[-1]
    key = f"{prefix}{len(copies) + 1}"[:255]
    copy = OutboxMessage(kind=m.kind, topic=m.topic, order_id=m.order_id, idempotency_key=key,
                         payload={**(m.payload or {}), "copy_of": m.id, "requested_by": actor.label})
    session.add(copy)
    session.flush()
    original = session.get(OutboxEmail, m.id)
    if original is not None:
        session.add(OutboxEmail(
            message_id=copy.id, sender=original.sender, recipients=list(original.recipients),
            reply_to=original.reply_to, subject=original.subject, html=original.html,
            text=original.text, attachments=list(original.attachments)))
    session.commit()
    return copy


def release_held(session: Session, *, actor: Actor) -> int:
    """Queue every held email (once RESEND_API_KEY is set). Commits; how many."""
    held = session.exec(select(OutboxMessage).where(
        OutboxMessage.kind == "email", OutboxMessage.status == OutboxStatus.HELD)).all()
    now = utcnow()
    for m in held:
        m.status, m.attempts, m.next_attempt_at = OutboxStatus.PENDING, 0, now
        m.last_error = f"Released by {actor.label}."
        session.add(m)
    session.commit()
    return len(held)
