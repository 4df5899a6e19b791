"""Pure webhook rules: which order events are sent as which webhook, retry timing, which
URLs and addresses a request may go to."""

from __future__ import annotations

import ipaddress
import random
from datetime import timedelta
from urllib.parse import urlsplit

from dashboard.domain.errors import ValidationFailed
from dashboard.domain.integrations.enums import SUBSCRIBABLE, WebhookEventType
from dashboard.domain.orders import EventType

# Order events (order_event.type) -> the webhook they send: goods back from a return send
# order.returned; edits, surcharges and tracking corrections send order.updated.
ORDER_EVENT_WEBHOOKS: dict[str, WebhookEventType] = {
    EventType.PLACED.value: WebhookEventType.ORDER_CREATED,
    EventType.SHIPPED.value: WebhookEventType.ORDER_SHIPPED,
    EventType.CANCELLED.value: WebhookEventType.ORDER_CANCELLED,
    EventType.RETURN_RECEIVED.value: WebhookEventType.ORDER_RETURNED,
    EventType.PAYMENT_REFUNDED.value: WebhookEventType.ORDER_REFUNDED,
    EventType.PAYMENT_FLAGGED.value: WebhookEventType.PAYMENT_FLAGGED,
    **{t.value: WebhookEventType.ORDER_UPDATED for t in (
        EventType.LINE_ADDED, EventType.LINE_REMOVED, EventType.QUANTITY_CHANGED,
        EventType.PRICE_OVERRIDDEN, EventType.METHODS_CHANGED, EventType.CUSTOMER_CHANGED,
        EventType.ADDRESS_EDITED, EventType.ADDRESS_OVERRIDDEN, EventType.SURCHARGE_ADDED,
        EventType.TRACKING_EDITED)},
}
# A recorded payment sends order.paid once the order is paid in full (decided on the order).
PAYMENT_RECORDED = EventType.PAYMENT_RECORDED.value

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
ROTATION_OVERLAP = timedelta(hours=24)
MAX_URL = 2000
RESPONSE_EXCERPT = 500
MAX_DELAY = timedelta(hours=12)


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host and no credentials; raises ValidationFailed."""
    url = (url or "").strip()
    parts = urlsplit(url)
    problem = None
    if not url or len(url) > MAX_URL:
        problem = f"1 to {MAX_URL} characters"
    elif parts.scheme not in ("http", "https"):
        problem = "must start with https:// (or http://)"
    elif not parts.hostname:
        problem = "needs a host name"
    elif parts.username or parts.password:
        problem = "must not contain a user name or password"
    elif any(c.isspace() for c in url):
        problem = "must not contain spaces"
    if problem:
        raise ValidationFailed("That is not a URL we can send webhooks to.", fields={"url": problem})
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValidationFailed("That is not a URL we can send webhooks to.",
                               fields={"url": "bad port"}) from None
    return url


def check_events(events) -> list[str]:
    chosen = list(dict.fromkeys(str(e) for e in events or ()))
    bad = [e for e in chosen if e not in SUBSCRIBABLE]
    if bad or not chosen:
        raise ValidationFailed("Unknown events." if bad else "Choose at least one event.",
                               fields={"events": ", ".join(bad) or "none chosen"})
    return chosen


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, shared, reserved, multicast and
    unspecified addresses (IPv4-mapped IPv6 judged as its IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def backoff(attempt: int, base: timedelta, *, rng: random.Random | None = None) -> timedelta:
    """Delay after the n-th failed attempt: base x 2^(n-1), capped at 12 h, +/-20% jitter."""
    raw = base * (2 ** min(30, max(0, attempt - 1)))
    return min(MAX_DELAY, raw) * (rng or random).uniform(0.8, 1.2)
