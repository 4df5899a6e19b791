"""Tables of outbound webhooks: endpoints, the events (payload frozen when the change is
committed), one delivery per event and endpoint (the webhook outbox), and every attempt."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.columns import enum_column, time_column
from dashboard.domain.integrations.enums import DeliveryStatus


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    description: str = Field(default="", max_length=200)
    events: list = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    # The signing secret ("whsec_..."): kept to sign, shown to the owner once.
    secret: str = Field(max_length=100)
    # After a rotation the old secret also signs, until this time (24 h).
    previous_secret: str | None = Field(default=None, max_length=100)
    previous_secret_until: datetime | None = time_column(nullable=True)
    enabled: bool = True
    disabled_reason: str | None = Field(default=None, max_length=500)
    consecutive_failures: int = 0
    created_by: str = Field(default="", max_length=200)
    created_at: datetime = time_column()
    updated_at: datetime = time_column()


class WebhookEvent(SQLModel, table=True):
    """An event's payload, rendered once by the first delivery attempt and then frozen:
    every endpoint and every retry get the same bytes under the same id."""

    __tablename__ = "webhook_event"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=40, unique=True)  # "evt_...": the webhook-id header
    type: str = Field(max_length=40)
    payload: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    created_at: datetime = time_column()  # when the change was committed
    rendered_at: datetime = time_column()


class WebhookDelivery(SQLModel, table=True):
    """The webhook outbox: one row per event and endpoint, written with the change (one
    INSERT, however many endpoints), sent by the outbox worker."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        # Two indexes only: intake writes a row per endpoint, and each index is a b-tree more.
        sa.Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        # the rows of one event sit together (one index page a change, not one an endpoint)
        sa.Index("ix_webhook_delivery_sequence", "ordering_key", "endpoint_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id")
    event_id: str = Field(max_length=40)  # the same for every endpoint (a uuid: unique per one)
    event_type: str = Field(max_length=40)
    order_id: int | None = Field(default=None, foreign_key="order.id")  # the subject
    product_id: int | None = Field(default=None, foreign_key="product.id")  # stock.changed
    # Deliveries with the same key reach an endpoint one after the other ("order:42").
    ordering_key: str = Field(max_length=100)
    status: DeliveryStatus = enum_column(DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts: int = 0
    next_attempt_at: datetime = time_column()
    last_status: int | None = None
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = time_column()  # when the change was committed: the event's time
    delivered_at: datetime | None = time_column(nullable=True)


class WebhookAttempt(SQLModel, table=True):
    """One request to an endpoint: the delivery log."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (sa.Index("ix_webhook_attempt_endpoint_time", "endpoint_id", "attempted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id", index=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id")
    attempted_at: datetime = time_column()
    status_code: int | None = None  # None: no answer (refused, timed out, blocked)
    ok: bool = False
    duration_ms: int = 0
    error: str | None = Field(default=None, max_length=500)
    response_excerpt: str = Field(default="", max_length=500)
