"""Pure rules of returns: what may still be returned, what is refundable, RMA numbers."""

from __future__ import annotations

from dataclasses import dataclass


def rma_number(order_number: int, sequence: int) -> str:
    """The return's RMA: R, the order number, and the return's place on the order."""
    return f"R{order_number}-{sequence}"


def returnable(quantity_shipped: int, quantity_returned: int) -> int:
    """Units of a line that may still be returned: shipped and not yet under a return."""
    return max(quantity_shipped - quantity_returned, 0)


@dataclass(frozen=True, slots=True)
class ReturnPreview:
    """What a return would do before it is saved (integer minor units)."""

    lines: tuple[dict, ...]  # {sku, name, quantity, unit_price_minor, amount_minor, restock}
    refundable_minor: int
    currency: str
    stock: dict[str, int]  # sku -> on_hand change when received (restocked units)


def refundable_minor(line_amounts: list[int], *, paid_minor: int, credited_minor: int) -> int:
    """What a return may refund or credit: its lines' value, never more than was paid for
    goods and not already credited (no negative amounts)."""
    return max(min(sum(line_amounts), paid_minor - credited_minor), 0)
