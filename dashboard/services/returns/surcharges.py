"""Surcharges: a charge added to an order after the sale (extra labour, a change of
shipping method, other), with a reason; what the customer still owes follows from them.
One transaction each; callers (staff, owners, API keys with `orders:write`) check who asks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, func, select

from dashboard.domain import money
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import InvalidTransition, ValidationFailed
from dashboard.domain.orders import Actor, EventType, Order, OrderStatus
from dashboard.domain.returns import CreditNote, Surcharge, SurchargeKind
from dashboard.services.db import atomic
from dashboard.services.orders.events import record_event
from dashboard.services.orders.lifecycle import get_order


@atomic
def add_surcharge(
    session: Session, *, actor: Actor, number: int, amount: str | Decimal, kind: str, reason: str
) -> Surcharge:
    """Charge `amount` (a decimal in the order's currency, e.g. "12.50") on order `number`.
    It is owed until paid: the order's balance due rises by it. Refuses a cancelled order
    (InvalidTransition) and bad input (ValidationFailed). Commits."""
    order = get_order(session, number, for_update=True)
    errors = {}
    try:
        minor = money.to_minor(amount, order.currency)
    except money.MoneyError:
        minor = None
    if minor is None or minor <= 0:
        errors["amount"] = "a positive amount, e.g. 12.50"
    if kind not in {k.value for k in SurchargeKind}:
        errors["kind"] = ", ".join(k.value for k in SurchargeKind)
    reason = " ".join(str(reason or "").split())
    if not reason or len(reason) > 500:
        errors["reason"] = "is required (at most 500 characters)"
    if errors:
        raise ValidationFailed("Check the surcharge.", fields=errors)
    if order.status == OrderStatus.CANCELLED:
        raise InvalidTransition(f"Order #{number} is cancelled.", current=order.status,
                                target="surcharged")
    surcharge = Surcharge(order_id=order.id, kind=kind, reason=reason, amount_minor=minor,
                          currency=order.currency, created_by=actor.label)
    session.add(surcharge)
    order.updated_at = utcnow()
    session.add(order)
    session.flush()
    record_event(session, order_id=order.id, type=EventType.SURCHARGE_ADDED, actor=actor,
                 surcharge_id=surcharge.id, kind=kind, reason=reason, amount_minor=minor,
                 currency=order.currency)
    return surcharge


@dataclass(frozen=True, slots=True)
class OrderMoney:
    """An order's money after the sale, in minor units of `currency`."""

    currency: str
    goods_minor: int  # the order's total at placement (lines and shipping)
    surcharges_minor: int
    credited_minor: int  # credit notes issued (refunded or kept as store credit)
    balance_due_minor: int  # unpaid surcharges

    @property
    def total_minor(self) -> int:
        return self.goods_minor + self.surcharges_minor


def order_money(session: Session, order: Order) -> OrderMoney:
    """Totals with surcharges and credits, and the balance the customer still owes."""
    charged, unpaid = session.exec(
        select(func.coalesce(func.sum(Surcharge.amount_minor), 0),
               func.coalesce(func.sum(Surcharge.amount_minor)
                             .filter(Surcharge.paid_at.is_(None)), 0))
        .where(Surcharge.order_id == order.id)
    ).one()
    credited = session.exec(select(func.coalesce(func.sum(CreditNote.amount_minor), 0))
                            .where(CreditNote.order_id == order.id)).one()
    return OrderMoney(currency=order.currency, goods_minor=order.total_minor,
                      surcharges_minor=int(charged), credited_minor=int(credited),
                      balance_due_minor=int(unpaid))
