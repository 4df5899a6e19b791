"""Delivering webhooks from their outbox (webhook_delivery), for the outbox worker that
also sends email (`fulfil send-outbox` and the app's own worker run both).

Guarantees:
- At least once, never lost: a delivery is claimed with a lease (PostgreSQL: FOR UPDATE
  SKIP LOCKED; SQLite: a conditional UPDATE in BEGIN IMMEDIATE); a worker that dies
  leaves it pending and another sends it again once the lease runs out, under the same
  `webhook-id`, so a receiver that dedupes by id sees it once.
- In order per subject: a delivery waits while an earlier one for the same endpoint and
  the same order (or SKU) is still pending, retries included.
- Signed per Standard Webhooks (the `standardwebhooks` library): `webhook-id`,
  `webhook-timestamp`, `webhook-signature` (the current and, for 24 h after a rotation,
  the previous secret).
- Retried with exponential backoff (WEBHOOKS_BASE_DELAY_SECONDS doubling, 12 h at most)
  for WEBHOOKS_MAX_AGE_HOURS (72) after the change, waiting at least a `Retry-After`;
  then failed, and replayable. A 410 disables the endpoint at once; so do
  WEBHOOKS_DISABLE_AFTER_FAILURES failed attempts in a row; owners are emailed.
- Requests go only to the http(s) URL the owner gave, with timeouts and no redirects
  followed; a host that resolves to a private, loopback or link-local address is refused
  unless WEBHOOKS_ALLOW_PRIVATE=1.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa
from sqlmodel import Session, select
from standardwebhooks.webhooks import Webhook

from dashboard import config
from dashboard.domain.accounts import Role, User
from dashboard.domain.columns import utcnow
from dashboard.domain.integrations import (
    RESPONSE_EXCERPT,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    backoff,
    is_public_address,
)
from dashboard.services.db import is_postgres, read_session, write_session
from dashboard.services.integrations.emit import FORGET_SUBSCRIBERS, render
from dashboard.services.integrations.endpoints import signing_secrets
from dashboard.services.messaging import outbox

log = logging.getLogger("dashboard.webhooks")

BATCH = 50
PARALLEL = 8  # requests at once (never two for the same subject: see `_due`)
USER_AGENT = "fulfil-dashboard-webhooks/1"
_d, _e, _ep = WebhookDelivery.__table__, WebhookEvent.__table__, WebhookEndpoint.__table__
_a = WebhookAttempt.__table__


class Refused(Exception):
    """A request we will not make (server-side request forgery)."""


@dataclass
class Pass:
    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    lost: int = 0
    errors: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.claimed)

    def add(self, other: Pass) -> None:
        for name in ("claimed", "delivered", "retried", "failed", "lost"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors

    def summary(self) -> str:
        parts = [f"{n} {name}" for name, n in (
            ("delivered", self.delivered), ("retrying", self.retried), ("failed", self.failed),
            ("lost", self.lost)) if n]
        return ", ".join(parts) or "nothing due"


# --- claiming ------------------------------------------------------------------------------


def _due(now: datetime):
    earlier = _d.alias("earlier")
    return sa.and_(
        _d.c.status == DeliveryStatus.PENDING.value, _d.c.next_attempt_at <= now,
        _d.c.endpoint_id.in_(sa.select(_ep.c.id).where(_ep.c.enabled.is_(True))),
        ~sa.exists().where(earlier.c.endpoint_id == _d.c.endpoint_id,
                           earlier.c.ordering_key == _d.c.ordering_key,
                           earlier.c.id < _d.c.id,
                           earlier.c.status == DeliveryStatus.PENDING.value),
    )


def claim(session: Session, *, limit: int = BATCH, now: datetime | None = None) -> list[tuple[int, int]]:
    """Claim up to `limit` due deliveries: [(id, attempt)]. Commits."""
    now = now or utcnow()
    until = now + timedelta(seconds=config.webhooks().lease_seconds)
    conn = session.connection()
    query = sa.select(_d.c.id).where(_due(now)).order_by(_d.c.id).limit(limit)
    if is_postgres(conn):
        query = query.with_for_update(skip_locked=True, of=_d)
    rows = []
    for delivery_id in conn.execute(query).scalars().all():
        row = conn.execute(
            _d.update().where(_d.c.id == delivery_id, _d.c.status == DeliveryStatus.PENDING.value,
                              _d.c.next_attempt_at <= now)
            .values(attempts=_d.c.attempts + 1, next_attempt_at=until)
            .returning(_d.c.id, _d.c.attempts)).first()
        if row is not None:
            rows.append((row.id, row.attempts))
    session.commit()
    return rows


def _fenced(delivery_id: int, attempt: int):
    return sa.and_(_d.c.id == delivery_id, _d.c.attempts == attempt,
                   _d.c.status == DeliveryStatus.PENDING.value)


# --- one request ---------------------------------------------------------------------------


def check_destination(url: str, *, allow_private: bool | None = None) -> str | None:
    """Raise Refused unless `url` is http(s) and every address its host resolves to is
    public (or WEBHOOKS_ALLOW_PRIVATE=1). The address to connect to (the request is
    pinned to it, so a second lookup cannot be answered with a private one); None when
    private addresses are allowed (the host is then looked up as usual)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"not an http(s) URL: {url[:100]}")
    if allow_private is None:
        allow_private = config.webhooks().allow_private
    if allow_private:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Refused(f"cannot resolve {parts.hostname}: {exc}") from None
    for *_, sockaddr in infos:
        if not is_public_address(sockaddr[0]):
            raise Refused(f"{parts.hostname} is a private-network address ({sockaddr[0]}); "
                          "set WEBHOOKS_ALLOW_PRIVATE=1 to allow it")
    if not infos:
        raise Refused(f"cannot resolve {parts.hostname}")
    return infos[0][4][0]


def pinned(url: str, address: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
    """(URL, extra headers, request extensions) that reach `url`'s host at `address`:
    the IP in the URL, the name in Host and in TLS (SNI and the certificate check)."""
    if address is None:
        return url, {}, {}
    parts = urlsplit(url)
    ip = f"[{address}]" if ":" in address else address
    netloc = ip + (f":{parts.port}" if parts.port else "")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return (parts._replace(netloc=netloc).geturl(), {"host": host},
            {"sni_hostname": parts.hostname} if parts.scheme == "https" else {})


def sign(secrets_: list[str], event_id: str, at: datetime, body: str) -> str:
    return " ".join(Webhook(s).sign(event_id, at, body) for s in secrets_)


@dataclass
class Answer:
    status_code: int | None
    excerpt: str
    duration_ms: int
    error: str | None
    retry_after: timedelta | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, *, event_id: str, body: str, secrets_: list[str],
         client: httpx.Client | None = None) -> Answer:
    """One signed POST; every outcome is an Answer (never raises)."""
    from dashboard.services.messaging.worker import retry_after

    started = time.perf_counter()
    at = datetime.now(UTC)
    try:
        target, host, extensions = pinned(url, check_destination(url))
        headers = {"content-type": "application/json", "user-agent": USER_AGENT,
                   "webhook-id": event_id, "webhook-timestamp": str(int(at.timestamp())),
                   "webhook-signature": sign(secrets_, event_id, at, body), **host}
        timeout = config.webhooks().timeout_seconds
        with contextlib.ExitStack() as stack:
            if client is None:
                client = stack.enter_context(httpx.Client(follow_redirects=False))
            request = client.build_request("POST", target, content=body.encode(),
                                           headers=headers, timeout=timeout,
                                           extensions=extensions)
            response = client.send(request, follow_redirects=False)
    except Refused as exc:
        return Answer(None, "", _ms(started), f"Refused: {exc}")
    except httpx.HTTPError as exc:
        return Answer(None, "", _ms(started), f"{type(exc).__name__}: {exc}"[:500])
    excerpt = response.text[:RESPONSE_EXCERPT] if response.content else ""
    error = None
    if response.is_redirect:
        error = f"Redirect to {response.headers.get('location', '?')[:200]} not followed"
    elif not response.is_success:
        error = f"HTTP {response.status_code}"
    return Answer(response.status_code, excerpt, _ms(started), error,
                  retry_after(dict(response.headers)))


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


# --- outcomes ------------------------------------------------------------------------------


def _disable(session: Session, endpoint_id: int, reason: str) -> None:
    """Disable an endpoint and email the owners (in the same transaction)."""
    now = utcnow()
    changed = session.connection().execute(
        _ep.update().where(_ep.c.id == endpoint_id, _ep.c.enabled.is_(True))
        .values(enabled=False, disabled_reason=reason[:500], updated_at=now)).rowcount
    if not changed:
        return
    session.info[FORGET_SUBSCRIBERS] = True
    url = session.connection().execute(sa.select(_ep.c.url).where(_ep.c.id == endpoint_id)).scalar()
    owners = list(session.exec(select(User.email).where(User.role == Role.OWNER, User.is_active)))
    outbox.enqueue(
        session, kind="email", topic="webhook_endpoint_disabled",
        idempotency_key=f"webhook_endpoint_disabled:{endpoint_id}:{now.isoformat()}",
        payload={"to": owners or outbox.merchant_email(),
                 "subject": "A webhook endpoint was disabled",
                 "body": f"Webhooks to {url} are no longer sent: {reason}\n\n"
                         "Fix the receiver, then enable the endpoint again in Settings → "
                         "Integrations; deliveries that failed meanwhile can be replayed there."},
    )


def _record(url: str | None, delivery_id: int, attempt: int, endpoint_id: int,
            created_at: datetime, answer: Answer, result: Pass) -> None:
    settings = config.webhooks()
    now = utcnow()
    with write_session(url) as session:
        conn = session.connection()
        conn.execute(sa.insert(_a), [{
            "delivery_id": delivery_id, "endpoint_id": endpoint_id, "attempted_at": now,
            "status_code": answer.status_code, "ok": answer.ok, "duration_ms": answer.duration_ms,
            "error": (answer.error or None) and answer.error[:500],
            "response_excerpt": answer.excerpt[:RESPONSE_EXCERPT]}])
        values: dict = {"last_status": answer.status_code, "last_error": answer.error}
        disable = None
        if answer.ok:
            values.update(status=DeliveryStatus.DELIVERED.value, delivered_at=now)
        elif answer.status_code == 410:
            values.update(status=DeliveryStatus.FAILED.value)
            disable = "the receiver answered 410 Gone"
        else:
            delay = backoff(attempt, timedelta(seconds=settings.base_delay_seconds))
            if answer.retry_after:
                delay = max(delay, answer.retry_after)
            if now + delay > created_at + timedelta(hours=settings.max_age_hours):
                values.update(status=DeliveryStatus.FAILED.value,
                              last_error=f"Gave up after {attempt} attempts: {answer.error}")
            else:
                values.update(next_attempt_at=now + delay)
        done = conn.execute(_d.update().where(_fenced(delivery_id, attempt)).values(**values)).rowcount
        if answer.ok:
            conn.execute(_ep.update().where(_ep.c.id == endpoint_id, _ep.c.consecutive_failures != 0)
                         .values(consecutive_failures=0))
        else:
            failures = conn.execute(
                _ep.update().where(_ep.c.id == endpoint_id)
                .values(consecutive_failures=_ep.c.consecutive_failures + 1)
                .returning(_ep.c.consecutive_failures)).scalar() or 0
            if disable is None and failures >= settings.disable_after_failures:
                disable = f"{failures} failed attempts in a row (last: {answer.error})"
            if disable:
                _disable(session, endpoint_id, disable)
        session.commit()
    if not done:
        result.lost += 1
    elif answer.ok:
        result.delivered += 1
    elif values.get("status") == DeliveryStatus.FAILED.value:
        result.failed += 1
        result.errors.append(answer.error or "")
    else:
        result.retried += 1
        result.errors.append(answer.error or "")


def process(url: str | None, delivery_id: int, attempt: int,
            client: httpx.Client | None = None) -> Pass:
    """Send one claimed delivery and record the attempt; what happened."""
    result = Pass()
    with read_session(url) as session:
        row = session.connection().execute(
            sa.select(_d.c.endpoint_id, _d.c.created_at, _d.c.event_id, _d.c.event_type,
                      _d.c.order_id, _d.c.product_id, _e.c.payload)
            .outerjoin(_e, _e.c.event_id == _d.c.event_id).where(_d.c.id == delivery_id)).one()
        endpoint = session.get(WebhookEndpoint, row.endpoint_id)
        target, secrets_ = endpoint.url, signing_secrets(endpoint)
    created_at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    payload = row.payload
    if payload is None:
        try:
            with write_session(url) as session:
                payload = render(session, event_id=row.event_id, type_=row.event_type,
                                 at=created_at, order_id=row.order_id,
                                 product_id=row.product_id)
        except Exception as exc:  # the data could not be read: retried like a failed request
            log.exception("could not render webhook event %s", row.event_id)
            failure = Answer(None, "", 0, f"Could not render: {exc}"[:500])
            _record(url, delivery_id, attempt, row.endpoint_id, created_at, failure, result)
            return result
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    answer = post(target, event_id=row.event_id, body=body, secrets_=secrets_, client=client)
    _record(url, delivery_id, attempt, row.endpoint_id, created_at, answer, result)
    return result


# --- passes --------------------------------------------------------------------------------


def deliver_due(url: str | None = None, *, limit: int = BATCH, now: datetime | None = None) -> Pass:
    """One pass: claim what is due and send it, several requests at once (never two for
    the same subject). Safe to run from many workers."""
    result = Pass()
    with write_session(url) as session:
        claimed = claim(session, limit=limit, now=now)
    result.claimed = len(claimed)
    if not claimed:
        return result
    timeout = config.webhooks().timeout_seconds
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        if len(claimed) == 1:
            result.add(process(url, *claimed[0], client))
        else:
            with ThreadPoolExecutor(max_workers=min(PARALLEL, len(claimed))) as pool:
                for done in pool.map(lambda c: process(url, *c, client), claimed):
                    result.add(done)
    result.claimed = len(claimed)
    return result


def drain(url: str | None = None, *, max_passes: int = 1000) -> Pass:
    """Pass after pass until nothing is due."""
    total = Pass()
    for _ in range(max_passes):
        result = deliver_due(url)
        if not result:
            break
        total.add(result)
    return total
