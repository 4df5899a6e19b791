"""Tables of documents: batch PDFs built in the background, with their progress."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.columns import UTCDateTime, utcnow


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
