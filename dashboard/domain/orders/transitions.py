"""The one table of allowed order status moves, used by every caller."""

from __future__ import annotations

from dashboard.domain.errors import InvalidTransition
from dashboard.domain.orders.enums import OrderStatus as S
from dashboard.domain.payments.enums import PaymentMethod

ALLOWED: dict[S, frozenset[S]] = {
    S.UNPAID: frozenset({S.PAID, S.PICKING, S.ON_HOLD, S.CANCELLED}),
    S.PAID: frozenset({S.PICKING, S.PARTIALLY_SHIPPED, S.SHIPPED, S.ON_HOLD, S.CANCELLED}),
    S.PICKING: frozenset(
        {S.PAID, S.PARTIALLY_SHIPPED, S.SHIPPED, S.READY_FOR_PICKUP, S.ON_HOLD, S.CANCELLED}
    ),
    S.PARTIALLY_SHIPPED: frozenset({S.SHIPPED, S.ON_HOLD}),
    S.SHIPPED: frozenset({S.COMPLETED}),
    S.READY_FOR_PICKUP: frozenset({S.COLLECTED, S.PICKING, S.ON_HOLD, S.CANCELLED}),
    S.COLLECTED: frozenset({S.COMPLETED}),
    S.ON_HOLD: frozenset(
        {S.UNPAID, S.PAID, S.PICKING, S.PARTIALLY_SHIPPED, S.READY_FOR_PICKUP, S.CANCELLED}
    ),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Moves that also depend on a fact of the order, not only on the two statuses.
_UNPAID_TO_PICKING = "Only pay-on-pickup orders may be picked before they are paid."


def can_move(
    current: S, target: S, *, payment_method: PaymentMethod, any_shipped: bool = False
) -> str | None:
    """None when the move is allowed, else the reason it is not (for the merchant)."""
    if target not in ALLOWED[current]:
        return f"An order that is {current.value.replace('_', ' ')} cannot become {target.value.replace('_', ' ')}."
    if current == S.UNPAID and target == S.PICKING and payment_method != PaymentMethod.PAY_ON_PICKUP:
        return _UNPAID_TO_PICKING
    if target == S.CANCELLED and any_shipped:
        return "Part of this order has shipped; it can no longer be cancelled."
    return None


def ensure_move(
    current: S, target: S, *, payment_method: PaymentMethod, any_shipped: bool = False
) -> None:
    reason = can_move(current, target, payment_method=payment_method, any_shipped=any_shipped)
    if reason:
        raise InvalidTransition(reason, current=current.value, target=target.value)
