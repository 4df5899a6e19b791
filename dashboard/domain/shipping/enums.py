"""How an order reaches its customer."""

from __future__ import annotations

from enum import StrEnum


class DeliveryMethod(StrEnum):
    COURIER = "courier"
    PICKUP = "pickup"
