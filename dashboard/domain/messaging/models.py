"""Tables of the outbox: side effects written with the change that causes them, and the
frozen rendering of each email."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.columns import UTCDateTime, enum_column, time_column, utcnow
from dashboard.domain.messaging.enums import OutboxStatus


class OutboxMessage(SQLModel, table=True):
    """A side effect (email, webhook, courier call) written with the change causing it."""

    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)  # "email", "webhook"
    topic: str = Field(max_length=64)  # "new_order_merchant", ...
    order_id: int | None = Field(default=None, foreign_key="order.id", index=True)
    idempotency_key: str = Field(max_length=255, unique=True)
    payload: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    status: OutboxStatus = enum_column(OutboxStatus, default=OutboxStatus.PENDING)
    attempts: int = 0
    next_attempt_at: datetime = time_column()
    last_error: str | None = Field(default=None, max_length=2000)
    created_at: datetime = time_column()
    sent_at: datetime | None = time_column(nullable=True)


class OutboxEmail(SQLModel, table=True):
    """What an outbox email says, rendered once and then sent byte for byte the same on
    every retry (the provider rejects an idempotency key reused with another body)."""

    __tablename__ = "outbox_email"

    message_id: int = Field(foreign_key="outbox_message.id", primary_key=True)
    sender: str = Field(max_length=320)
    recipients: list = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    reply_to: str | None = Field(default=None, max_length=320)
    subject: str = Field(max_length=500)
    html: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    # [{"filename", "content_type", "content" (base64)}]
    attachments: list = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    provider_id: str | None = Field(default=None, max_length=200)  # the provider's email id
    rendered_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False)
    )
