"""Returns: authorise a return (an RMA, awaiting goods) and receive it later, or receive it
at once; each received line restocked or written off through the stock ledger; resolved
by a refund or a store credit (a numbered credit note) or nothing.

Each public function is one transaction: it locks the order, checks everything before
writing, then writes the return, the order lines' returned quantities, the ledger rows,
the credit note, the order events and the customer emails together. A refusal changes
nothing. Callers (staff and owners, API keys with `orders:write`) check who is asking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel import Session, func, select

from dashboard.domain.columns import utcnow
from dashboard.domain.errors import NotFound, ReturnExceedsShipped, ValidationFailed
from dashboard.domain.orders import Actor, EventType, Order, OrderLine
from dashboard.domain.payments import PaymentStatus
from dashboard.domain.returns import (
    CreditDisposition,
    CreditNote,
    CreditNoteCounter,
    OrderReturn,
    Resolution,
    ReturnLine,
    ReturnLineIn,
    ReturnPreview,
    ReturnStatus,
    credit_note_label,
    line_errors,
    refundable_minor,
    returnable,
    rma_number,
)
from dashboard.services import messaging
from dashboard.services.db import atomic
from dashboard.services.orders.events import record_event
from dashboard.services.orders.lifecycle import get_order, order_lines
from dashboard.services.stock import levels as stock_service

_counter = CreditNoteCounter.__table__
_NEXT_CREDIT = (
    _counter.update().where(_counter.c.id == 1)
    .values(last_number=_counter.c.last_number + 1).returning(_counter.c.last_number)
)
_PAID = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED)


def _credited(session: Session, order_id: int) -> int:
    return int(session.exec(select(func.coalesce(func.sum(CreditNote.amount_minor), 0))
                            .where(CreditNote.order_id == order_id)).one())


def _checked(session: Session, order: Order, lines: Sequence[ReturnLineIn], *,
             resolution: str, received: bool) -> tuple[dict[int, OrderLine], Resolution]:
    """The order's lines by id and the resolution, or a refusal naming every bad line."""
    if resolution not in {r.value for r in Resolution}:
        raise ValidationFailed("Choose a resolution.",
                               fields={"resolution": ", ".join(r.value for r in Resolution)})
    if resolution == Resolution.EXCHANGE:
        raise ValidationFailed("Exchanges are not available yet: return with a credit and "
                               "place the replacement as a new order.",
                               fields={"resolution": "exchange not available"})
    if not lines:
        raise ValidationFailed("Nothing to return.", fields={"lines": "empty"})
    by_id = {line.id: line for line in order_lines(session, order.id)}
    errors, over, seen = {}, [], set()
    for line in lines:
        errors.update(line_errors(line, received=received))
        held = by_id.get(line.line_id)
        if held is None or line.line_id in seen:
            errors[f"lines.{line.line_id}"[:60]] = ("not a line of this order" if held is None
                                                    else "named twice")
        elif type(line.quantity) is int and line.quantity > (
                left := returnable(held.quantity_shipped, held.quantity_returned)):
            over.append({"sku": held.sku, "line_id": held.id, "requested": line.quantity,
                         "returnable": left})
        seen.add(line.line_id)
    if errors:
        raise ValidationFailed("Check the return.", fields=errors)
    if over:
        raise ReturnExceedsShipped(over)
    return by_id, Resolution(resolution)


def _preview(session: Session, order: Order, by_id: dict[int, OrderLine],
             lines: Sequence[ReturnLineIn]) -> ReturnPreview:
    rows = tuple(
        {"sku": by_id[x.line_id].sku, "name": by_id[x.line_id].name, "quantity": x.quantity,
         "unit_price_minor": by_id[x.line_id].unit_price_minor,
         "amount_minor": by_id[x.line_id].unit_price_minor * x.quantity, "restock": x.restock}
        for x in lines
    )
    paid = order.total_minor if order.payment_status in _PAID else 0
    stock: dict[str, int] = {}
    for row in rows:
        stock[row["sku"]] = stock.get(row["sku"], 0) + (row["quantity"] if row["restock"] else 0)
    return ReturnPreview(
        lines=rows, currency=order.currency, stock=stock,
        refundable_minor=refundable_minor([r["amount_minor"] for r in rows], paid_minor=paid,
                                          credited_minor=_credited(session, order.id)),
    )


def preview_return(session: Session, *, number: int, lines: Sequence[ReturnLineIn],
                   resolution: str, received: bool = True) -> ReturnPreview:
    """What `create_return` would do (lines' value, refundable amount, stock effect),
    refusing exactly what it would refuse. Reads only."""
    order = get_order(session, number)
    by_id, _ = _checked(session, order, lines, resolution=resolution, received=received)
    return _preview(session, order, by_id, lines)


@atomic
def create_return(
    session: Session,
    *,
    actor: Actor,
    number: int,
    lines: Sequence[ReturnLineIn],
    resolution: str,
    received: bool = False,
    note: str | None = None,
    notify_customer: bool = True,
) -> OrderReturn:
    """A return of shipped units of order `number`. `received=False` authorises it (an RMA,
    awaiting goods, the return email with instructions); `received=True` takes the goods
    back at once (each line's `restock` says restock or write off) and resolves it.
    The units count as returned from now on, so they cannot be returned twice. Refuses
    more than shipped and not yet returned (ReturnExceedsShipped) and bad input
    (ValidationFailed). Commits."""
    order = get_order(session, number, for_update=True)
    by_id, resolution = _checked(session, order, lines, resolution=resolution,
                                 received=received)
    if note is not None and len(note) > 2000:
        raise ValidationFailed("The note is too long.", fields={"note": "at most 2000"})
    preview = _preview(session, order, by_id, lines)
    sequence = session.exec(select(func.count()).select_from(OrderReturn)
                            .where(OrderReturn.order_id == order.id)).one() + 1
    ret = OrderReturn(
        order_id=order.id, number=rma_number(order.number, sequence),
        status=ReturnStatus.AWAITING_GOODS, resolution=resolution,
        refundable_minor=preview.refundable_minor, currency=order.currency,
        note=(note or "").strip() or None, created_by=actor.label,
    )
    session.add(ret)
    session.flush()
    for x in lines:
        held = by_id[x.line_id]
        held.quantity_returned += x.quantity
        session.add(held)
        session.add(ReturnLine(return_id=ret.id, order_line_id=held.id, quantity=x.quantity,
                               reason=x.reason, reason_text=(x.reason_text or "").strip() or None,
                               restock=x.restock))
    order.updated_at = utcnow()
    session.add(order)
    record_event(
        session, order_id=order.id, type=EventType.RETURN_AUTHORISED, actor=actor,
        rma=ret.number, resolution=resolution.value, refundable_minor=preview.refundable_minor,
        lines={r["sku"]: r["quantity"] for r in preview.lines}, received=received,
    )
    session.flush()
    if received:
        _receive(session, actor=actor, order=order, ret=ret, restock={},
                 notify_customer=notify_customer)
    elif notify_customer:
        messaging.return_authorised(session, order, rma=ret.number, lines=[
            {"sku": r["sku"], "name": r["name"], "quantity": r["quantity"]} for r in preview.lines])
    return ret


def return_lines(session: Session, return_id: int) -> list[tuple[ReturnLine, OrderLine]]:
    return list(session.exec(
        select(ReturnLine, OrderLine).join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
        .where(ReturnLine.return_id == return_id).order_by(OrderLine.sku, ReturnLine.id)
    ).all())


def _receive(session: Session, *, actor: Actor, order: Order, ret: OrderReturn,
             restock: Mapping[int, bool], notify_customer: bool) -> None:
    rows = return_lines(session, ret.id)
    missing = {f"lines.{ol.id}": "restock or write off" for rl, ol in rows
               if type(restock.get(ol.id, rl.restock)) is not bool}
    if missing:
        raise ValidationFailed("Say for each line whether to restock or write off.",
                               fields=missing)
    moved = {}
    for rl, ol in rows:  # SKU order, as every stock writer locks rows
        rl.restock = restock.get(ol.id, rl.restock)
        session.add(rl)
        stock_service.return_stock(session, product_id=ol.product_id, quantity=rl.quantity,
                                   restock=rl.restock, actor=actor, order_id=order.id,
                                   note=f"return {ret.number}")
        moved[ol.sku] = {"quantity": rl.quantity, "restock": rl.restock}
    ret.status, ret.received_at = ReturnStatus.RECEIVED, utcnow()
    session.add(ret)
    record_event(session, order_id=order.id, type=EventType.RETURN_RECEIVED, actor=actor,
                 rma=ret.number, lines=moved)
    if ret.resolution in (Resolution.REFUND, Resolution.CREDIT) and ret.refundable_minor > 0:
        disposition = (CreditDisposition.REFUND_PENDING if ret.resolution == Resolution.REFUND
                       else CreditDisposition.STORE_CREDIT)
        _issue_credit(session, actor=actor, order=order, ret=ret, disposition=disposition,
                      lines=[{"sku": ol.sku, "name": ol.name, "quantity": rl.quantity,
                              "unit_price_minor": ol.unit_price_minor} for rl, ol in rows],
                      notify_customer=notify_customer)


def _issue_credit(session: Session, *, actor: Actor, order: Order, ret: OrderReturn,
                  disposition: CreditDisposition, lines: list[dict],
                  notify_customer: bool) -> CreditNote:
    """A credit note with the next number of its own gapless sequence: the counter row's
    lock is held to commit, and a rolled-back change gives its number back."""
    number = session.connection().execute(_NEXT_CREDIT).scalar_one()
    credit = CreditNote(
        number=number, order_id=order.id, return_id=ret.id, customer_id=order.customer_id,
        amount_minor=ret.refundable_minor, currency=order.currency, disposition=disposition,
        reason=f"return {ret.number}", created_by=actor.label,
    )
    session.add(credit)
    session.flush()
    record_event(session, order_id=order.id, type=EventType.CREDIT_NOTE_ISSUED, actor=actor,
                 credit_note=credit_note_label(number), rma=ret.number,
                 amount_minor=credit.amount_minor, disposition=disposition.value)
    if notify_customer:
        messaging.credit_note(
            session, order, credit_number=credit_note_label(number), lines=lines,
            amount_minor=credit.amount_minor, reason=credit.reason,
            refund_method=(order.payment_method if disposition == CreditDisposition.REFUND_PENDING
                           else None),
        )
    return credit


@atomic
def receive_return(
    session: Session,
    *,
    actor: Actor,
    rma: str,
    restock: Mapping[int, bool] | None = None,
    notify_customer: bool = True,
) -> OrderReturn:
    """The goods of authorised return `rma` arrived: each line restocked or written off
    (`restock` maps order line id -> True/False; lines decided at authorisation may be left
    out), then resolved (a credit note for a refund or credit). Refuses an unknown return
    (NotFound), one already received and undecided lines (ValidationFailed). Commits."""
    found = session.exec(select(OrderReturn.order_id).where(OrderReturn.number == str(rma))).first()
    if found is None:
        raise NotFound(f"No return {rma}.", rma=str(rma))
    number = session.exec(select(Order.number).where(Order.id == found)).one()
    order = get_order(session, number, for_update=True)
    ret = session.exec(select(OrderReturn).where(OrderReturn.number == str(rma))
                       .with_for_update()).one()
    if ret.status != ReturnStatus.AWAITING_GOODS:
        raise ValidationFailed(f"Return {rma} was already received.",
                               fields={"rma": "already received"})
    order.updated_at = utcnow()
    session.add(order)
    _receive(session, actor=actor, order=order, ret=ret, restock=dict(restock or {}),
             notify_customer=notify_customer)
    return ret


def store_credit_minor(session: Session, customer_id: int) -> int:
    """The customer's store credit: the credit notes kept as credit (spending it is to come)."""
    return int(session.exec(
        select(func.coalesce(func.sum(CreditNote.amount_minor), 0))
        .where(CreditNote.customer_id == customer_id,
               CreditNote.disposition == CreditDisposition.STORE_CREDIT.value)
    ).one())



def lines_for_skus(session: Session, *, number: int, items: Sequence[dict]) -> list[ReturnLineIn]:
    """Return lines named by SKU, as the API names them ({sku, quantity, reason,
    reason_text?, restock?}): units of a SKU the order holds on several lines fill them in
    line order. A SKU not in the order is a ValidationFailed, more than can be returned
    ReturnExceedsShipped. Reads only."""
    order = get_order(session, number)
    by_sku: dict[str, list[OrderLine]] = {}
    for line in order_lines(session, order.id):
        by_sku.setdefault(line.sku, []).append(line)
    unknown = {f"lines.{x['sku']}"[:60]: "not in this order" for x in items
               if x["sku"] not in by_sku}
    if unknown:
        raise ValidationFailed("Return only what the order holds.", fields=unknown)
    taken: dict[int, int] = {}
    out: list[ReturnLineIn] = []
    for x in items:
        left = x["quantity"]
        for line in by_sku[x["sku"]]:
            free = returnable(line.quantity_shipped, line.quantity_returned) - taken.get(line.id, 0)
            take = min(left, free)
            if take > 0:
                taken[line.id] = taken.get(line.id, 0) + take
                out.append(ReturnLineIn(line.id, take, x["reason"], x.get("reason_text"),
                                        x.get("restock")))
                left -= take
        if left > 0:
            raise ReturnExceedsShipped([{
                "sku": x["sku"], "requested": x["quantity"],
                "returnable": sum(returnable(y.quantity_shipped, y.quantity_returned)
                                  for y in by_sku[x["sku"]])}])
    merged: dict[int, ReturnLineIn] = {}
    for line in out:  # one return line per order line (the same SKU named twice)
        if line.line_id in merged:
            first = merged[line.line_id]
            line = ReturnLineIn(line.line_id, first.quantity + line.quantity, first.reason,
                                first.reason_text, first.restock)
        merged[line.line_id] = line
    return list(merged.values())


def restock_by_sku(session: Session, *, number: int, rma: str,
                   restock: Mapping[str, bool]) -> dict[int, bool]:
    """Restock decisions by SKU, as the API names them, for the lines of return `rma` of
    order `number` (order line id -> restock). NotFound when the order has no such return,
    ValidationFailed for a SKU not in the return. Reads only."""
    order = get_order(session, number)
    ret = session.exec(select(OrderReturn).where(OrderReturn.number == str(rma),
                                                 OrderReturn.order_id == order.id)).first()
    if ret is None:
        raise NotFound(f"Order #{number} has no return {rma}.", rma=str(rma))
    rows = return_lines(session, ret.id)
    skus = {ol.sku for _, ol in rows}
    unknown = {f"lines.{sku}"[:60]: "not in this return" for sku in restock if sku not in skus}
    if unknown:
        raise ValidationFailed("Receive only what the return holds.", fields=unknown)
    return {ol.id: restock[ol.sku] for _, ol in rows if ol.sku in restock}
