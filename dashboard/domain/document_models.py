"""Tables for emails and documents: the frozen rendering of each outbox email, and batch
PDFs (built in the background, stored so any backend worker can serve them)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.models import UTCDateTime, utcnow


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


class DocumentBatch(SQLModel, table=True):
    """One PDF for many orders; `done` of `total` is the progress the page shows."""

    __tablename__ = "document_batch"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True, index=True)  # in the download URL
    kind: str = Field(max_length=32)
    page_format: str = Field(max_length=16)
    order_numbers: list = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    total: int = 0
    done: int = 0
    status: str = Field(default="queued", max_length=16)  # queued, running, ready, failed
    error: str | None = Field(default=None, max_length=1000)
    requested_by: str = Field(max_length=200)
    requested_by_id: int | None = Field(default=None)
    pdf: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary, nullable=True))
    size_bytes: int = 0
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False, index=True)
    )
    finished_at: datetime | None = Field(
        default=None, sa_column=sa.Column(UTCDateTime(), nullable=True)
    )
