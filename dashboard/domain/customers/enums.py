"""The states of an order's shipping address."""

from __future__ import annotations

from enum import StrEnum


class AddressStatus(StrEnum):
    UNVERIFIED = "unverified"  # never checked (e.g. orders placed before checks existed)
    VALID = "valid"
    INVALID = "invalid"  # has problems; labels are blocked until fixed or overridden
    OVERRIDDEN = "overridden"  # staff accepted it as it is, with a reason


# Statuses that hold back a courier label.
LABEL_BLOCKING = frozenset({AddressStatus.UNVERIFIED, AddressStatus.INVALID})
