"""Messaging: the outbox's tables (side effects written with the change that causes
them) and their states."""

from dashboard.domain.messaging.enums import OutboxStatus
from dashboard.domain.messaging.models import OutboxEmail, OutboxMessage

__all__ = [
    "OutboxEmail",
    "OutboxMessage",
    "OutboxStatus",
]
