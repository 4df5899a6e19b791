"""Picking: who holds which order, and how many units of each line are in the tote.

One `PickClaim` row per order being picked (the order id is its key, so two pickers can
never both hold one order: the second insert or conditional update loses), and one
`PickCount` row per order line with the units wanted when the claim was made, the units
scanned so far and the units marked short. The CHECK constraint backs up the conditional
update that counts a scan: picked + short can never pass wanted.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.columns import enum_column, time_column
from dashboard.domain.errors import DomainError


class PickState(StrEnum):
    PICKING = "picking"
    PACKED = "packed"  # every unit in the box: ready to ship (courier orders)


class ShortReason(StrEnum):
    NOT_ON_SHELF = "not_on_shelf"
    DAMAGED = "damaged"
    OTHER = "other"


SHORT_REASON_TEXT = {
    ShortReason.NOT_ON_SHELF: "not on the shelf",
    ShortReason.DAMAGED: "damaged",
    ShortReason.OTHER: "other",
}


class PickClaim(SQLModel, table=True):
    __tablename__ = "pick_claim"

    order_id: int = Field(sa_column=sa.Column(sa.Integer(), sa.ForeignKey("order.id"),
                                              primary_key=True, autoincrement=False))
    picker: str = Field(max_length=200)  # the actor's label, as the timeline shows it
    picker_kind: str = Field(max_length=16)
    picker_id: int | None = Field(default=None)
    batch: str | None = Field(default=None, max_length=32)  # orders claimed together
    state: PickState = enum_column(PickState)
    claimed_at: datetime = time_column()
    packed_at: datetime | None = time_column(nullable=True)


class PickCount(SQLModel, table=True):
    __tablename__ = "pick_count"
    __table_args__ = (
        sa.CheckConstraint(
            "picked >= 0 AND short >= 0 AND picked + short <= wanted", name="ck_pick_count_range"
        ),
    )

    order_line_id: int = Field(sa_column=sa.Column(
        sa.Integer(), sa.ForeignKey("order_line.id"), primary_key=True, autoincrement=False))
    order_id: int = Field(foreign_key="order.id", index=True)
    wanted: int
    picked: int = 0
    short: int = 0
    short_reason: str | None = Field(default=None, max_length=200)


# --- refusals (each changes nothing) -------------------------------------------------------


class AlreadyClaimed(DomainError):
    code = "already_claimed"
    status = 409


class NotReady(DomainError):
    """The order is not one a picker may take now (unpaid, shipped, on hold, ...)."""

    code = "not_ready"
    status = 409


class NotClaimed(DomainError):
    code = "not_claimed"
    status = 409


class NotInOrder(DomainError):
    """A known product, but not one this order (or this batch) wants: the wrong item."""

    code = "not_in_order"
    status = 422


class UnknownBarcode(DomainError):
    code = "unknown_barcode"
    status = 422


class LineComplete(DomainError):
    """Every unit of that line is already in the tote: an extra one is not counted."""

    code = "line_complete"
    status = 409


class PickIncomplete(DomainError):
    code = "pick_incomplete"
    status = 409


def short_text(sku: str, quantity: int, reason: str) -> str:
    """The hold reason the office sees: "Short pick: MUG-1 ×2, damaged (dropped)".
    `reason` is a ShortReason value, optionally followed by ": " and the picker's note."""
    code, _, note = reason.partition(":")
    why = SHORT_REASON_TEXT.get(code.strip(), code.strip())  # a StrEnum key matches its string
    extra = f" ({note.strip()})" if note.strip() else ""
    return f"Short pick: {sku} ×{quantity}, {why}{extra}"
