"""Pure rules of returns: what may still be returned, what is refundable, RMA numbers."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.domain.returns.enums import ReturnReason


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


@dataclass(frozen=True, slots=True)
class ReturnLineIn:
    """One line of a return as a caller hands it in: `restock` None means decide later."""

    line_id: int
    quantity: int
    reason: str
    reason_text: str | None = None
    restock: bool | None = None


def line_errors(line: ReturnLineIn, *, received: bool) -> dict[str, str]:
    """What is wrong with one return line (field -> problem), before the database is read."""
    key, errors = f"lines.{line.line_id}"[:60], {}
    if type(line.quantity) is not int or line.quantity < 1:
        errors[f"{key}.quantity"] = "return 1 or more"
    if line.reason not in {r.value for r in ReturnReason}:
        errors[f"{key}.reason"] = "one of " + ", ".join(r.value for r in ReturnReason)
    elif line.reason == ReturnReason.OTHER and not (line.reason_text or "").strip():
        errors[f"{key}.reason_text"] = "say what the reason is"
    if line.reason_text is not None and len(line.reason_text) > 500:
        errors[f"{key}.reason_text"] = "at most 500 characters"
    if received and type(line.restock) is not bool:
        errors[f"{key}.restock"] = "restock or write off"
    return errors
