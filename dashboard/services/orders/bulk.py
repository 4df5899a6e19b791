"""Acting on many orders at once: mark paid, mark shipped, cancel, add a note.

Each order is its own transaction through the same service a single click uses
(`payments.mark_paid`, `shipping.ship_lines`, `orders.cancel_order`, `orders.add_note`), so
one failure never leaves a half-applied order and never undoes the others. The result
lists every order with exactly what happened to it or why nothing did.
Callers: staff and owners, API keys with `orders:write`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from dashboard.domain.errors import DomainError, ValidationFailed
from dashboard.domain.orders import Actor
from dashboard.services import payments
from dashboard.services.db import atomic
from dashboard.services.orders import lifecycle

MAX_ORDERS = 1000


class NotApplied(DomainError):
    """The action does not apply to this order as it is (already paid, say)."""

    code = "not_applied"
    status = 409


class BulkAction(StrEnum):
    MARK_PAID = "mark_paid"
    MARK_SHIPPED = "mark_shipped"
    CANCEL = "cancel"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class OrderOutcome:
    number: int
    ok: bool
    message: str  # what happened, or why not, in the merchant's words
    code: str = ""  # the error code when not ok


@dataclass
class BulkOutcome:
    action: str
    outcomes: list[OrderOutcome] = field(default_factory=list)

    @property
    def succeeded(self) -> list[int]:
        return [o.number for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[OrderOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def summary(self) -> str:
        done, failed = len(self.succeeded), len(self.failed)
        return f"{done} of {len(self.outcomes)} done" + (f", {failed} not" if failed else "")


def _numbers(numbers: Sequence[int]) -> list[int]:
    unique = list(dict.fromkeys(numbers))
    if not unique:
        raise ValidationFailed("Select at least one order.", fields={"numbers": "empty"})
    if len(unique) > MAX_ORDERS:
        raise ValidationFailed(f"At most {MAX_ORDERS} orders at once.",
                               fields={"numbers": f"at most {MAX_ORDERS}"})
    if any(type(n) is not int or not 0 < n < 2**31 for n in unique):
        raise ValidationFailed("Order numbers are whole numbers.", fields={"numbers": "invalid"})
    return unique


@atomic
def _mark_paid(session: Session, actor: Actor, number: int, reference: str | None) -> str:
    result = payments.mark_paid(session, actor=actor, numbers=[number], reference=reference)
    if number in result.done:
        return "Marked paid" + (f" (reference {reference})" if reference else "") + "."
    raise NotApplied(result.skipped.get(number, "The order was not marked paid."))


@atomic
def _mark_shipped(session: Session, actor: Actor, number: int, carrier: str | None,
                  tracking: str | None) -> str:
    from dashboard.services import shipping  # shipping reads orders: imported here

    shipment = shipping.ship_lines(session, actor=actor, number=number, carrier=carrier,
                                   tracking_number=tracking)
    order = lifecycle.get_order(session, number)
    return (f"Shipped (shipment {shipment.id}); now "
            f"{str(order.status).replace('_', ' ')}.")


@atomic
def _cancel(session: Session, actor: Actor, number: int, reason: str) -> str:
    lifecycle.cancel_order(session, actor=actor, number=number, reason=reason)
    return "Cancelled; its stock is released."


@atomic
def _note(session: Session, actor: Actor, number: int, body: str) -> str:
    lifecycle.add_note(session, actor=actor, number=number, body=body)
    return "Note added."


def run_bulk(
    session: Session,
    *,
    actor: Actor,
    action: BulkAction | str,
    numbers: Sequence[int],
    reference: str | None = None,
    reason: str = "",
    body: str = "",
    carrier: str | None = None,
    tracking_number: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BulkOutcome:
    """Apply one action to each order in turn, each in its own transaction.

    Checks the request as a whole first (ValidationFailed: nothing is touched); then
    an order that cannot take the action is reported with the reason and the others go on.
    `progress(done, total)` is called after each order.
    """
    try:
        action = BulkAction(action)
    except ValueError:
        raise ValidationFailed("Unknown bulk action.", fields={
            "action": f"one of {', '.join(a.value for a in BulkAction)}"}) from None
    unique = _numbers(numbers)
    if action == BulkAction.NOTE and not (body or "").strip():
        raise ValidationFailed("Write the note first.", fields={"body": "required"})
    if action == BulkAction.CANCEL and not (reason or "").strip():
        raise ValidationFailed("Say why these orders are cancelled.", fields={"reason": "required"})
    steps: dict[BulkAction, Callable[[int], str]] = {
        BulkAction.MARK_PAID: lambda n: _mark_paid(session, actor, n, reference),
        BulkAction.MARK_SHIPPED: lambda n: _mark_shipped(session, actor, n, carrier,
                                                         tracking_number),
        BulkAction.CANCEL: lambda n: _cancel(session, actor, n, reason),
        BulkAction.NOTE: lambda n: _note(session, actor, n, body),
    }
    outcome = BulkOutcome(action.value)
    for i, number in enumerate(unique, 1):
        try:
            message = steps[action](number)
            outcome.outcomes.append(OrderOutcome(number, True, message))
        except DomainError as exc:  # each step rolled its own transaction back
            outcome.outcomes.append(OrderOutcome(number, False, exc.message, exc.code))
        except SQLAlchemyError:
            outcome.outcomes.append(OrderOutcome(
                number, False, "The database refused the change; nothing was kept. Retry.",
                "database_error"))
        if progress:
            progress(i, len(unique))
    return outcome
