"""The webhook vocabularies: what an endpoint may subscribe to, and a delivery's states."""

from __future__ import annotations

from enum import StrEnum


class WebhookEventType(StrEnum):
    ORDER_CREATED = "order.created"
    ORDER_PAID = "order.paid"
    ORDER_UPDATED = "order.updated"  # edits, address, customer, delivery/payment method
    ORDER_SHIPPED = "order.shipped"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_RETURNED = "order.returned"  # a return's goods received
    ORDER_REFUNDED = "order.refunded"
    STOCK_CHANGED = "stock.changed"
    PAYMENT_FLAGGED = "payment.flagged"
    TEST = "webhook.test"  # "send test event": only to the endpoint asked, whatever it wants


SUBSCRIBABLE = tuple(t.value for t in WebhookEventType if t is not WebhookEventType.TEST)


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # due, leased by a worker, or waiting for its backoff
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # gave up (3 days, 410, a disabled endpoint); replayable
