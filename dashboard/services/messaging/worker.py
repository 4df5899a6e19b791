"""The outbox worker for emails (and, each pass, webhooks: services.integrations.delivery):
claims due messages, renders them once, sends them with
the `resend` SDK, and records what happened.

Guarantees:
- Several workers (threads, processes, hosts) may run at once: a message is claimed by
  one of them with `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, or a conditional
  `UPDATE ... WHERE status = 'pending' AND next_attempt_at <= now` on SQLite (checked by
  row count). A claim is a lease: it moves `next_attempt_at` LEASE into the future and
  bumps `attempts`, which then fences every later write (a worker that lost its lease
  cannot overwrite the newer claimant's result).
- Every send of a message carries the message's own idempotency key (`Idempotency-Key`).
  A worker that dies after the claim, or after Resend accepted the email but before the
  result was written, leaves the message pending; once the lease runs out another worker
  sends it again under the same key and Resend answers with the first email instead of
  sending a second. The body is rendered once and frozen (outbox_email), so every retry
  is the same request. Resend keeps keys for 24 hours; the retry schedule stays inside it.
- Failures back off exponentially (BASE_DELAY doubling up to MAX_DELAY, with jitter); a
  429 waits at least its `retry-after`. After MAX_ATTEMPTS tries, or at once for an error
  that no retry can fix (a rejected address, a key reused with another body), the message
  is dead-lettered: status `failed`, with the reason, shown on the Outbox page for
  staff to fix and resend.
- Without RESEND_API_KEY nothing is sent: messages are rendered and `held`, readable in
  the app. Staff release held messages once a key is configured.

Configuration: RESEND_API_KEY, RESEND_API_URL (another server speaking Resend's API),
OUTBOX_MAX_ATTEMPTS (8), OUTBOX_BASE_DELAY_SECONDS (30), OUTBOX_LEASE_SECONDS (120),
SEND_ORDER_CONFIRMATION (1: each new order also queues the customer's confirmation).
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import resend
import sqlalchemy as sa
from resend.exceptions import ResendError
from resend.http_client_requests import RequestsClient
from sqlmodel import Session

from dashboard import config
from dashboard.domain.columns import utcnow
from dashboard.domain.messaging import OutboxEmail, OutboxMessage, OutboxStatus
from dashboard.services.db import is_postgres, read_session, write_session
from dashboard.services.messaging import notifications, outbox
from dashboard.services.messaging.emails.render import RenderedEmail, render_message

log = logging.getLogger("dashboard.mailer")

SEND_TIMEOUT_S = 20
MAX_DELAY = timedelta(hours=2)
BATCH = 25
_message = OutboxMessage.__table__
_sdk_lock = threading.Lock()


def max_attempts() -> int:
    return config.email().max_attempts


def base_delay() -> timedelta:
    return timedelta(seconds=config.email().base_delay_seconds)


def lease() -> timedelta:
    return timedelta(seconds=config.email().lease_seconds)


def api_key() -> str:
    return config.email().resend_api_key


def backoff(attempt: int, *, rng: random.Random | None = None) -> timedelta:
    """Delay after the n-th failed attempt: base x 2^(n-1), capped, +/-20% jitter so
    messages that failed together do not retry together."""
    raw = base_delay() * (2 ** max(0, attempt - 1))
    jitter = (rng or random).uniform(0.8, 1.2)
    return min(MAX_DELAY, raw) * jitter


def retry_after(headers: dict | None) -> timedelta | None:
    """A 429's `retry-after`: seconds, or an HTTP date."""
    value = next((v for k, v in (headers or {}).items() if k.lower() == "retry-after"), None)
    if value is None:
        return None
    value = str(value).strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(timedelta(0), when - datetime.now(UTC))


@dataclass
class Pass:
    """What one pass of the worker did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    held: int = 0
    lost: int = 0  # claimed, but another worker took over (our lease ran out)
    errors: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.claimed)

    def summary(self) -> str:
        parts = [f"{n} {name}" for name, n in (
            ("sent", self.sent), ("retrying", self.retried), ("failed", self.failed),
            ("held", self.held), ("lost", self.lost)) if n]
        return ", ".join(parts) or "nothing due"


# --- claiming ------------------------------------------------------------------------------


def _due(now: datetime):
    return sa.and_(_message.c.kind == "email", _message.c.status == OutboxStatus.PENDING.value,
                   _message.c.next_attempt_at <= now)


def claim(session: Session, *, limit: int = BATCH, now: datetime | None = None) -> list[tuple[int, int]]:
    """Claim up to `limit` due emails for this worker: [(id, attempt)]. Commits."""
    now = now or utcnow()
    until = now + lease()
    conn = session.connection()
    if is_postgres(conn):
        ids = conn.execute(
            sa.select(_message.c.id).where(_due(now))
            .order_by(_message.c.next_attempt_at, _message.c.id).limit(limit)
            .with_for_update(skip_locked=True)
        ).scalars().all()
        rows = conn.execute(
            _message.update().where(_message.c.id.in_(ids))
            .values(attempts=_message.c.attempts + 1, next_attempt_at=until)
            .returning(_message.c.id, _message.c.attempts)
        ).all() if ids else []
    else:
        # SQLite: one writer at a time (BEGIN IMMEDIATE); each claim is still conditional,
        # so a row another process claimed first is skipped, never claimed twice.
        ids = conn.execute(
            sa.select(_message.c.id).where(_due(now))
            .order_by(_message.c.next_attempt_at, _message.c.id).limit(limit)
        ).scalars().all()
        rows = []
        for message_id in ids:
            row = conn.execute(
                _message.update().where(_message.c.id == message_id, _due(now))
                .values(attempts=_message.c.attempts + 1, next_attempt_at=until)
                .returning(_message.c.id, _message.c.attempts)
            ).first()
            if row is not None:
                rows.append(row)
    session.commit()
    return [(row.id, row.attempts) for row in rows]


def _fenced(message_id: int, attempt: int):
    """Still ours: pending, and nobody claimed it after us."""
    return sa.and_(_message.c.id == message_id, _message.c.attempts == attempt,
                   _message.c.status == OutboxStatus.PENDING.value)


# --- one message ---------------------------------------------------------------------------


def _frozen(session: Session, message_id: int) -> OutboxEmail | None:
    return session.get(OutboxEmail, message_id)


def _freeze(url: str | None, message: OutboxMessage, attempt: int, rendered: RenderedEmail) -> bool:
    """Store the rendering (and queue what a new order also needs) if the claim is still
    ours. One transaction. False when another worker has taken the message over."""
    with write_session(url) as session:
        conn = session.connection()
        if conn.execute(sa.select(_message.c.id).where(_fenced(message.id, attempt))).first() is None:
            return False
        if _frozen(session, message.id) is None:
            session.add(OutboxEmail(
                message_id=message.id, sender=rendered.sender, recipients=rendered.recipients,
                reply_to=rendered.reply_to, subject=rendered.subject, html=rendered.html,
                text=rendered.text, attachments=rendered.attachments,
            ))
        if message.topic == "new_order_merchant" and order_confirmation_enabled():
            _queue_confirmation(session, message)
        session.commit()
    return True


def order_confirmation_enabled() -> bool:
    return config.email().send_order_confirmation and notifications.customer_emails_enabled()


def _queue_confirmation(session: Session, message: OutboxMessage) -> None:
    """The customer's confirmation rides on the merchant's new-order message: intake
    writes one outbox row (its hot path stays one insert), and this adds the second
    exactly once (its key is unique) in the worker's own transaction."""
    from dashboard.domain.customers import Customer
    from dashboard.domain.orders import Order

    order = session.get(Order, message.order_id) if message.order_id else None
    if order is None:
        return
    customer = session.get(Customer, order.customer_id)
    outbox.enqueue(
        session, kind="email", topic="order_confirmation", order_id=order.id,
        idempotency_key=f"order_confirmation:{order.number}",
        payload={"to": customer.email, "number": order.number},
    )


def _finish(url: str | None, message_id: int, attempt: int, *, provider_id: str | None = None,
            **values) -> bool:
    """Record the outcome if the claim is still ours. One transaction."""
    with write_session(url) as session:
        updated = session.connection().execute(
            _message.update().where(_fenced(message_id, attempt)).values(**values)
        ).rowcount
        if updated and provider_id:
            session.connection().execute(
                OutboxEmail.__table__.update()
                .where(OutboxEmail.__table__.c.message_id == message_id)
                .values(provider_id=provider_id[:200])
            )
        session.commit()
    return bool(updated)


def _sdk_params(email: OutboxEmail, topic: str) -> dict:
    params: dict = {
        "from": email.sender, "to": list(email.recipients), "subject": email.subject,
        "html": email.html, "text": email.text,
        "tags": [{"name": "topic", "value": "".join(c for c in topic if c.isalnum() or c in "_-")[:256]}],
    }
    if email.reply_to:
        params["reply_to"] = email.reply_to
    if email.attachments:
        params["attachments"] = [
            {"filename": a["filename"], "content": a["content"], "content_type": a["content_type"]}
            for a in email.attachments
        ]
    return params


def deliver(email: OutboxEmail, *, topic: str, idempotency_key: str) -> str:
    """One call to Resend through its SDK; the provider's email id. Raises ResendError."""
    with _sdk_lock:  # the SDK keeps its key and URL in module globals
        settings = config.email()
        resend.api_key, resend.api_url = settings.resend_api_key, settings.resend_api_url
        if not isinstance(resend.default_http_client, RequestsClient) or \
                getattr(resend.default_http_client, "_timeout", None) != SEND_TIMEOUT_S:
            resend.default_http_client = RequestsClient(timeout=SEND_TIMEOUT_S)
    response = resend.Emails.send(_sdk_params(email, topic), {"idempotency_key": idempotency_key})
    return str(response.get("id") or "")


_PERMANENT_TYPES = {"validation_error", "missing_required_field", "missing_required_fields",
                    "invalid_idempotent_request", "invalid_from_address", "invalid_attachment",
                    "invalid_parameter"}


def _failure(error: Exception, attempt: int) -> tuple[bool, timedelta, str]:
    """(retry?, delay, reason for the Outbox page) for a failed send."""
    if isinstance(error, ResendError):
        code = str(error.code)
        kind = str(error.error_type or "")
        reason = f"Resend {code} {kind}: {error.message}".strip()
        if code == "429":
            wait = retry_after(error.headers)
            delay = max(wait or timedelta(0), backoff(attempt))
            return True, delay, reason + (f" (retry after {int(wait.total_seconds())} s)" if wait else "")
        if kind in _PERMANENT_TYPES or code in ("400", "422"):
            return False, timedelta(0), reason
        return True, backoff(attempt), reason  # 5xx, network errors, 401/403 (a key to fix)
    return True, backoff(attempt), f"{type(error).__name__}: {error}"


def process(url: str | None, message_id: int, attempt: int, result: Pass,
            *, deliver_fn: Callable[..., str] | None = None) -> None:
    """Render (once), hold or send one claimed message, and record the outcome."""
    deliver_fn = deliver_fn or deliver
    with read_session(url) as session:
        message = session.get(OutboxMessage, message_id)
        email_row = _frozen(session, message_id)
        if email_row is None:
            try:
                rendered = render_message(session, message)
            except Exception as exc:  # a template or data problem: retried, then dead-lettered
                log.exception("could not render outbox message %s", message_id)
                _record_failure(url, message_id, attempt, exc, result, prefix="Could not render: ")
                return
        session.expunge_all()
    if email_row is None:
        if not _freeze(url, message, attempt, rendered):
            result.lost += 1
            return
        with read_session(url) as session:
            email_row = _frozen(session, message_id)
            session.expunge_all()
    if not api_key():
        held = _finish(url, message_id, attempt, status=OutboxStatus.HELD.value,
                       attempts=attempt - 1, next_attempt_at=utcnow(),
                       last_error="Held: RESEND_API_KEY is not set, so nothing is sent. "
                                  "Read it here; send it once a key is configured.")
        result.held += held
        result.lost += not held
        return
    try:
        provider_id = deliver_fn(email_row, topic=message.topic,
                                 idempotency_key=message.idempotency_key)
    except Exception as exc:  # every failure is recorded, never lost
        _record_failure(url, message_id, attempt, exc, result)
        return
    sent = _finish(url, message_id, attempt, status=OutboxStatus.SENT.value, sent_at=utcnow(),
                   last_error=None, provider_id=provider_id)
    result.sent += sent
    result.lost += not sent


def _record_failure(url: str | None, message_id: int, attempt: int, error: Exception,
                    result: Pass, *, prefix: str = "") -> None:
    retry, delay, reason = _failure(error, attempt)
    reason = (prefix + reason)[:1900]
    result.errors.append(reason)
    if retry and attempt < max_attempts():
        done = _finish(url, message_id, attempt, next_attempt_at=utcnow() + delay,
                       last_error=f"Attempt {attempt} failed: {reason}")
        result.retried += done
    else:
        why = f"Gave up after {attempt} attempt{'s' if attempt != 1 else ''}: " if retry else "Not retried: "
        done = _finish(url, message_id, attempt, status=OutboxStatus.FAILED.value,
                       last_error=why + reason)
        result.failed += done
    result.lost += not done


# --- passes and loops ----------------------------------------------------------------------


def send_due(url: str | None = None, *, limit: int = BATCH, now: datetime | None = None,
             deliver_fn: Callable[..., str] | None = None) -> Pass:
    """One pass: claim what is due and process it. Safe to run from many workers."""
    result = Pass()
    with write_session(url) as session:
        claimed = claim(session, limit=limit, now=now)
    result.claimed = len(claimed)
    for message_id, attempt in claimed:
        process(url, message_id, attempt, result, deliver_fn=deliver_fn)
    return result


def drain(url: str | None = None, *, max_passes: int = 100) -> Pass:
    """Pass after pass until nothing is due (`fulfil send-outbox --once`)."""
    total = Pass()
    for _ in range(max_passes):
        result = send_due(url)
        if not result:
            break
        for name in ("claimed", "sent", "retried", "failed", "held", "lost"):
            setattr(total, name, getattr(total, name) + getattr(result, name))
        total.errors += result.errors
    return total


def poll_seconds() -> float:
    return config.email().poll_seconds


def deliver_webhooks(url: str | None = None):
    """One pass over the webhook outbox (services.integrations), beside the emails'. Returns
    (its Pass, whether its batch was full)."""
    from dashboard.services.integrations import delivery

    try:
        result = delivery.deliver_due(url)
    except Exception:  # the database may be briefly away: keep the worker alive
        log.exception("webhook pass failed")
        return delivery.Pass(), False
    if result:
        log.info("webhooks: %s", result.summary())
    return result, result.claimed >= delivery.BATCH


def run_forever(stop: threading.Event, *, url: str | None = None,
                on_pass: Callable[[Pass], None] | None = None,
                on_webhooks: Callable | None = None) -> None:
    """Poll until `stop` is set; a full batch is followed at once by the next pass.
    Each pass sends due emails, then due webhooks."""
    while not stop.is_set():
        try:
            result = send_due(url)
        except Exception:  # the database may be briefly away: keep the worker alive
            log.exception("outbox pass failed")
            result = Pass()
        if result and on_pass:
            on_pass(result)
        hooks, hooks_full = deliver_webhooks(url)
        if hooks and on_webhooks:
            on_webhooks(hooks)
        if result.claimed < BATCH and not hooks_full:
            stop.wait(poll_seconds())


async def run_async(*, url: str | None = None) -> None:
    """The same loop for an asyncio server (the Reflex app's lifespan task): each pass runs
    in a thread, so the event loop never waits on the database or on Resend."""
    while True:
        try:
            result = await asyncio.to_thread(send_due, url)
            if result:
                log.info("outbox: %s", result.summary())
        except Exception:
            log.exception("outbox pass failed")
            result = Pass()
        _, hooks_full = await asyncio.to_thread(deliver_webhooks, url)
        if result.claimed < BATCH and not hooks_full:
            await asyncio.sleep(poll_seconds())


async def outbox_worker() -> None:
    """The app's lifespan task: every backend worker runs one (claims keep them apart).
    OUTBOX_WORKER=0 leaves sending to `fulfil send-outbox` instead."""
    if not config.email().worker:
        return
    await run_async()
