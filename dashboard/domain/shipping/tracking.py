"""Tracking: where a parcel is, as told by a carrier, a tracking aggregator or a courier
platform. Every source is normalised to one ``TrackingUpdate`` before it is stored, so
the rules (deduplication, out-of-order events, completion on delivery) live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TrackingStatus(StrEnum):
    """A parcel's state, in the words the tracking aggregators share (AfterShip tags,
    Karrio's tracking statuses map onto them)."""

    PENDING = "pending"
    INFO_RECEIVED = "info_received"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    ATTEMPT_FAILED = "attempt_failed"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    EXPIRED = "expired"


# The states a later event may not undo: a late "in transit" never moves a delivered
# parcel back. An exception can still be followed by delivery.
FINAL_STATUSES = frozenset({TrackingStatus.DELIVERED, TrackingStatus.EXPIRED})


@dataclass(frozen=True)
class TrackingUpdate:
    """One tracking event from any source.

    ``event_key`` is unique per source for one event (the aggregator's event id, or the
    carrier's status + time), so the same event delivered twice is stored once.
    ``occurred_at`` is when the carrier saw it (aware, UTC), not when we heard of it.
    """

    tracking_number: str
    status: TrackingStatus
    occurred_at: datetime
    source: str
    event_key: str
    carrier: str | None = None
    description: str = ""
    location: str | None = None
