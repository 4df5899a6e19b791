"""Integrations: outbound webhooks (endpoints, events, the delivery outbox and its log)."""

from dashboard.domain.integrations.enums import SUBSCRIBABLE, DeliveryStatus, WebhookEventType
from dashboard.domain.integrations.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from dashboard.domain.integrations.rules import (
    ORDER_EVENT_WEBHOOKS,
    PAYMENT_RECORDED,
    RESPONSE_EXCERPT,
    ROTATION_OVERLAP,
    SECRET_PREFIX,
    backoff,
    check_events,
    check_url,
    is_public_address,
)

__all__ = [
    "ORDER_EVENT_WEBHOOKS",
    "PAYMENT_RECORDED",
    "RESPONSE_EXCERPT",
    "ROTATION_OVERLAP",
    "SECRET_PREFIX",
    "SUBSCRIBABLE",
    "DeliveryStatus",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookEventType",
    "backoff",
    "check_events",
    "check_url",
    "is_public_address",
]
