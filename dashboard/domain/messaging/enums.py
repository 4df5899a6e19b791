"""The states of an outbox message."""

from __future__ import annotations

from enum import StrEnum


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; shown in the app
    HELD = "held"  # no credentials configured: kept for the app's outbox view
