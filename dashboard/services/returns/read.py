"""Reads of an order's returns, credit notes and surcharges, as the API and the order page
show them (plain dicts; money in minor units with the currency)."""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.domain.returns import CreditNote, OrderReturn, Surcharge, credit_note_label
from dashboard.services.orders.lifecycle import get_order
from dashboard.services.returns.returns import return_lines
from dashboard.services.returns.surcharges import order_money


def after_sale(session: Session, number: int) -> dict:
    """Order `number`'s returns (with lines), credit notes, surcharges and balance due.
    Raises NotFound."""
    order = get_order(session, number)
    rets = list(session.exec(select(OrderReturn).where(OrderReturn.order_id == order.id)
                             .order_by(OrderReturn.id)))
    notes = list(session.exec(select(CreditNote).where(CreditNote.order_id == order.id)
                              .order_by(CreditNote.number)))
    by_return = {n.return_id: n for n in notes}
    surcharges = list(session.exec(select(Surcharge).where(Surcharge.order_id == order.id)
                                   .order_by(Surcharge.id)))
    money = order_money(session, order)
    return {
        "returns": [{
            "number": r.number, "status": r.status, "resolution": r.resolution,
            "refundable_minor": r.refundable_minor, "currency": r.currency, "note": r.note,
            "created_by": r.created_by, "created_at": r.created_at, "received_at": r.received_at,
            "credit_note": (credit_note_label(by_return[r.id].number) if r.id in by_return
                            else None),
            "lines": [{"sku": ol.sku, "name": ol.name, "quantity": rl.quantity,
                       "reason": rl.reason, "reason_text": rl.reason_text,
                       "restock": rl.restock} for rl, ol in return_lines(session, r.id)],
        } for r in rets],
        "credit_notes": [{
            "number": credit_note_label(n.number), "amount_minor": n.amount_minor,
            "currency": n.currency, "disposition": n.disposition, "reason": n.reason,
            "created_at": n.created_at,
        } for n in notes],
        "surcharges": [{
            "id": s.id, "kind": s.kind, "reason": s.reason, "amount_minor": s.amount_minor,
            "currency": s.currency, "created_by": s.created_by, "created_at": s.created_at,
            "paid": s.paid_at is not None,
        } for s in surcharges],
        "currency": order.currency,
        "total_minor": money.total_minor,
        "credited_minor": money.credited_minor,
        "balance_due_minor": money.balance_due_minor,
    }
