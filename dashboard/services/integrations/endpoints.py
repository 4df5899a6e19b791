"""Webhook endpoints: added, changed, rotated, enabled and disabled by owners (in
Settings -> Integrations or the CLI); the delivery log and replays.

The signing secret ("whsec_" + 32 random bytes, base64) is returned once, when the
endpoint is added or its secret rotated; lists never carry it. After a rotation both the
old and the new secret sign every delivery for 24 hours (two `v1,` signatures in one
`webhook-signature` header), so a receiver can switch over without missing one.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard.domain.accounts import Principal
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.domain.integrations import (
    ROTATION_OVERLAP,
    SECRET_PREFIX,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
    check_events,
    check_url,
)
from dashboard.services.accounts import audit
from dashboard.services.accounts.owners import require_owner
from dashboard.services.db import atomic
from dashboard.services.integrations.emit import FORGET_SUBSCRIBERS, write_event

MAX_ENDPOINTS = 20
_delivery = WebhookDelivery.__table__


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signing_secrets(endpoint: WebhookEndpoint, now: datetime | None = None) -> list[str]:
    """The secrets that sign a delivery now: the current one, and the previous one during
    the 24 hours after a rotation."""
    now = now or utcnow()
    found = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_until and \
            endpoint.previous_secret_until > now:
        found.append(endpoint.previous_secret)
    return found


def _get(session: Session, endpoint_id: int) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound("No such webhook endpoint.", endpoint_id=endpoint_id)
    return endpoint


def _describe(description: str) -> str:
    description = (description or "").strip()
    if len(description) > 200:
        raise ValidationFailed("The description is too long.", fields={"description": "≤200"})
    return description


@atomic
def add_endpoint(session: Session, *, by: Principal, url: str, events, description: str = "",
                 client: str = "") -> tuple[WebhookEndpoint, str]:
    """(endpoint, secret): the secret is shown once. Owners only. Audited. Commits."""
    require_owner(session, by)
    url, chosen, description = check_url(url), check_events(events), _describe(description)
    count = session.connection().execute(
        sa.select(sa.func.count()).select_from(WebhookEndpoint.__table__)).scalar()
    if count >= MAX_ENDPOINTS:
        raise ValidationFailed(f"At most {MAX_ENDPOINTS} endpoints.", fields={"url": "too many"})
    secret = new_secret()
    endpoint = WebhookEndpoint(url=url, events=chosen, description=description, secret=secret,
                               created_by=by.label)
    session.add(endpoint)
    session.flush()
    audit.record(session, by=by, action="webhook_endpoint.added",
                 target=f"webhook_endpoint:{endpoint.id} {url}", client=client, events=chosen)
    session.info[FORGET_SUBSCRIBERS] = True
    return endpoint, secret


@atomic
def update_endpoint(session: Session, *, by: Principal, endpoint_id: int, url: str | None = None,
                    events=None, description: str | None = None,
                    client: str = "") -> WebhookEndpoint:
    """Change what an endpoint receives or where. Owners only. Audited. Commits."""
    require_owner(session, by)
    endpoint = _get(session, endpoint_id)
    if url is not None:
        endpoint.url = check_url(url)
    if events is not None:
        endpoint.events = check_events(events)
    if description is not None:
        endpoint.description = _describe(description)
    endpoint.updated_at = utcnow()
    session.add(endpoint)
    audit.record(session, by=by, action="webhook_endpoint.changed",
                 target=f"webhook_endpoint:{endpoint.id} {endpoint.url}", client=client,
                 events=list(endpoint.events))
    session.info[FORGET_SUBSCRIBERS] = True
    return endpoint


@atomic
def rotate_secret(session: Session, *, by: Principal, endpoint_id: int,
                  client: str = "") -> tuple[WebhookEndpoint, str]:
    """A new secret (returned once); the old one keeps signing for 24 hours. Owners only.
    Audited. Commits."""
    require_owner(session, by)
    endpoint = _get(session, endpoint_id)
    now = utcnow()
    endpoint.previous_secret, endpoint.previous_secret_until = endpoint.secret, now + ROTATION_OVERLAP
    endpoint.secret = secret = new_secret()
    endpoint.updated_at = now
    session.add(endpoint)
    audit.record(session, by=by, action="webhook_endpoint.secret_rotated",
                 target=f"webhook_endpoint:{endpoint.id} {endpoint.url}", client=client)
    return endpoint, secret


@atomic
def set_enabled(session: Session, *, by: Principal, endpoint_id: int, enabled: bool,
                client: str = "") -> WebhookEndpoint:
    """Enable (failures forgotten; what waited is sent, in order) or disable. Owners only.
    Audited. Commits."""
    require_owner(session, by)
    endpoint = _get(session, endpoint_id)
    endpoint.enabled = bool(enabled)
    endpoint.disabled_reason = None if enabled else f"Disabled by {by.label}."
    endpoint.consecutive_failures = 0
    endpoint.updated_at = utcnow()
    session.add(endpoint)
    audit.record(session, by=by, action="webhook_endpoint." + ("enabled" if enabled else "disabled"),
                 target=f"webhook_endpoint:{endpoint.id} {endpoint.url}", client=client)
    session.info[FORGET_SUBSCRIBERS] = True
    return endpoint


@atomic
def delete_endpoint(session: Session, *, by: Principal, endpoint_id: int, client: str = "") -> None:
    """Remove an endpoint with its deliveries and log. Owners only. Audited. Commits."""
    require_owner(session, by)
    endpoint = _get(session, endpoint_id)
    conn = session.connection()
    conn.execute(WebhookAttempt.__table__.delete().where(
        WebhookAttempt.__table__.c.endpoint_id == endpoint_id))
    conn.execute(_delivery.delete().where(_delivery.c.endpoint_id == endpoint_id))
    audit.record(session, by=by, action="webhook_endpoint.deleted",
                 target=f"webhook_endpoint:{endpoint.id} {endpoint.url}", client=client)
    session.delete(endpoint)
    session.info[FORGET_SUBSCRIBERS] = True


@atomic
def send_test_event(session: Session, *, by: Principal, endpoint_id: int) -> str:
    """Queue a `webhook.test` event for this endpoint only; its event id. Owners only."""
    require_owner(session, by)
    endpoint = _get(session, endpoint_id)
    now = utcnow()
    return write_event(session, type_=WebhookEventType.TEST.value, endpoint_ids=[endpoint.id],
                       ordering_key=f"test:{endpoint.id}", now=now,
                       data={"message": "A test event from your shop's dashboard.",
                             "endpoint_url": endpoint.url, "sent_by": by.label})


def list_endpoints(session: Session) -> list[WebhookEndpoint]:
    return list(session.exec(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all())


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One attempt (or a delivery not yet attempted) in an endpoint's log."""

    delivery_id: int
    event_id: str
    event_type: str
    status: str  # the delivery's: pending, delivered, failed
    attempt_at: datetime | None
    status_code: int | None
    ok: bool
    error: str | None
    response_excerpt: str
    duration_ms: int


def delivery_log(session: Session, endpoint_id: int, *, limit: int = 100) -> list[LogEntry]:
    """Newest first: every attempt with its answer, and deliveries still waiting."""
    a = WebhookAttempt.__table__
    attempts = session.connection().execute(
        sa.select(a.c.delivery_id, _delivery.c.event_id, _delivery.c.event_type,
                  _delivery.c.status, a.c.attempted_at, a.c.status_code, a.c.ok, a.c.error,
                  a.c.response_excerpt, a.c.duration_ms)
        .join(_delivery, _delivery.c.id == a.c.delivery_id)
        .where(a.c.endpoint_id == endpoint_id).order_by(a.c.id.desc()).limit(limit)).all()
    waiting = session.connection().execute(
        sa.select(_delivery.c.id, _delivery.c.event_id, _delivery.c.event_type,
                  _delivery.c.status)
        .where(_delivery.c.endpoint_id == endpoint_id, _delivery.c.attempts == 0,
               _delivery.c.status == DeliveryStatus.PENDING.value)
        .order_by(_delivery.c.id.desc()).limit(limit)).all()
    return ([LogEntry(d, e, t, s, None, None, False, None, "", 0) for d, e, t, s in waiting]
            + [LogEntry(*row[:6], bool(row[6]), row[7], row[8] or "", row[9] or 0)
               for row in attempts])[:limit]


def _replay(session: Session, condition) -> int:
    return session.connection().execute(
        _delivery.update().where(condition)
        .values(status=DeliveryStatus.PENDING.value, next_attempt_at=utcnow(), attempts=0,
                last_error=None)).rowcount


@atomic
def replay_delivery(session: Session, *, by: Principal, delivery_id: int) -> int:
    """Send one delivery again (same event id, so a receiver that dedupes ignores a copy
    it has). Owners only. Commits."""
    require_owner(session, by)
    if _replay(session, _delivery.c.id == delivery_id) == 0:
        raise NotFound("No such delivery.", delivery_id=delivery_id)
    return 1


@atomic
def replay_failed(session: Session, *, by: Principal, since: datetime,
                  endpoint_id: int | None = None) -> int:
    """Send again every failed delivery of events since `since` (one endpoint or all);
    how many. Owners only. Commits."""
    require_owner(session, by)
    condition = sa.and_(_delivery.c.status == DeliveryStatus.FAILED.value,
                        _delivery.c.created_at >= since)
    if endpoint_id is not None:
        condition = sa.and_(condition, _delivery.c.endpoint_id == endpoint_id)
    return _replay(session, condition)
