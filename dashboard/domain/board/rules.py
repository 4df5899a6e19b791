"""The board's vocabulary and pure rules: lanes, what a move between lanes means and
which facts it needs, and when a waiting card turns amber or red (business hours).

No database and no clock here: callers pass the order's facts and the current time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from dashboard.domain.orders.enums import OrderStatus as S
from dashboard.domain.orders.transitions import can_move
from dashboard.domain.payments.enums import PaymentMethod, PaymentStatus
from dashboard.domain.shipping.enums import DeliveryMethod
from dashboard.domain.shipping.rules import CARRIERS, ShippingFacts, shipping_facts  # noqa: F401


class Lane(StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"
    PICKING = "picking"
    READY_FOR_PICKUP = "ready_for_pickup"
    SHIPPED = "shipped"
    ON_HOLD = "on_hold"


LANES: tuple[Lane, ...] = tuple(Lane)
LANE_TITLES = {
    Lane.UNPAID: "Unpaid",
    Lane.PAID: "Paid",
    Lane.PICKING: "Picking",
    Lane.READY_FOR_PICKUP: "Ready for pickup",
    Lane.SHIPPED: "Shipped / collected",
    Lane.ON_HOLD: "On hold",
}
# The statuses shown in each lane: a part-shipped order is still being picked.
LANE_STATUSES: dict[Lane, tuple[S, ...]] = {
    Lane.UNPAID: (S.UNPAID,),
    Lane.PAID: (S.PAID,),
    Lane.PICKING: (S.PICKING, S.PARTIALLY_SHIPPED),
    Lane.READY_FOR_PICKUP: (S.READY_FOR_PICKUP,),
    Lane.SHIPPED: (S.SHIPPED, S.COLLECTED),  # recently; click and collect ends there too
    Lane.ON_HOLD: (S.ON_HOLD,),
}
_LANE_OF = {status: lane for lane, statuses in LANE_STATUSES.items() for status in statuses}


# Order events after which an order may sit in another lane: the newest one of these is
# taken as the moment the order entered the lane it is in. Not an undo: it and the move it
# took back are skipped, so the order has been in its lane since it first came there.
LANE_EVENT_TYPES = (
    "placed", "status_changed", "payment_recorded", "shipped", "cancelled", "held",
    "released",
)


def lane_of(status: str) -> Lane | None:
    """The lane showing an order of this status, or None (completed, cancelled...)."""
    try:
        return _LANE_OF.get(S(status))
    except ValueError:
        return None


# --- moves -------------------------------------------------------------------------------


class MoveKind(StrEnum):
    PAY = "pay"  # record the payment: unpaid -> paid
    SHIP = "ship"  # ship what is still unshipped (all of it, or the units asked for)
    COLLECT = "collect"  # a click-and-collect order handed over at the counter
    HOLD = "hold"  # put on hold, with a reason
    STATUS = "status"  # a plain status change along the allowed-moves table


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What a move decision needs to know about the order."""

    status: str
    payment_status: str
    payment_method: str
    delivery_method: str
    any_shipped: bool = False


@dataclass(frozen=True, slots=True)
class MovePlan:
    kind: MoveKind
    target: S


class MoveRefused(Exception):
    """Why a card may not go to a lane, in words for the merchant."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def plan_move(order: OrderFacts, to: Lane) -> MovePlan:
    """What dropping this order on lane `to` does, or MoveRefused saying why it may not."""
    current = S(order.status)
    here = lane_of(current)
    if here is None:
        raise MoveRefused(f"An order that is {_words(current)} is no longer on the board.")
    if here == to:
        raise MoveRefused("The order is already in that lane.")
    unpaid = order.payment_status == PaymentStatus.UNPAID
    pickup = order.delivery_method == DeliveryMethod.PICKUP
    pay_at_counter = order.payment_method == PaymentMethod.PAY_ON_PICKUP
    if to == Lane.UNPAID and not unpaid:
        raise MoveRefused("This order is paid; it cannot go back to Unpaid.")
    if to == Lane.PAID and unpaid:
        if current != S.UNPAID:
            raise MoveRefused(
                "This order is not paid yet: release it to Unpaid first, then record the payment."
                if current == S.ON_HOLD
                else "This order is not paid yet; it is paid at the counter on pickup."
            )
        plan = MovePlan(MoveKind.PAY, S.PAID)
    elif to == Lane.SHIPPED and pickup:
        if current != S.READY_FOR_PICKUP:
            raise MoveRefused("Click-and-collect orders go to Ready for pickup first; "
                              "from there they are collected.")
        plan = MovePlan(MoveKind.COLLECT, S.COLLECTED)
    elif to == Lane.SHIPPED:
        plan = MovePlan(MoveKind.SHIP, S.SHIPPED)
    elif to == Lane.ON_HOLD:
        plan = MovePlan(MoveKind.HOLD, S.ON_HOLD)
    elif to == Lane.READY_FOR_PICKUP and not pickup:
        raise MoveRefused("Only click-and-collect orders wait for pickup; courier orders ship.")
    elif to in (Lane.PICKING, Lane.READY_FOR_PICKUP) and unpaid and not pay_at_counter:
        raise MoveRefused("This order is not paid yet: record the payment before picking it.")
    else:
        target = S.PICKING if to == Lane.PICKING and current != S.PARTIALLY_SHIPPED else S(to)
        if current == S.ON_HOLD and to == Lane.PICKING and order.any_shipped:
            target = S.PARTIALLY_SHIPPED
        plan = MovePlan(MoveKind.STATUS, target)
    source = S.PARTIALLY_SHIPPED if current == S.PARTIALLY_SHIPPED else current
    reason = can_move(
        source, plan.target, payment_method=PaymentMethod(order.payment_method),
        any_shipped=order.any_shipped,
    )
    if reason:
        raise MoveRefused(reason)
    return plan


@lru_cache(maxsize=512)
def allowed_lanes(order: OrderFacts) -> tuple[str, ...]:
    """The lanes this card may be dropped on (a hint while dragging; the server decides)."""
    allowed = []
    for lane in LANES:
        try:
            plan_move(order, lane)
        except MoveRefused:
            continue
        allowed.append(lane.value)
    return tuple(allowed)


def _words(status: S) -> str:
    return status.value.replace("_", " ")


# --- the facts a move asks for ------------------------------------------------------------

MAX_REFERENCE = 200
MAX_HOLD_REASON = 500
REFERENCE_REQUIRED = frozenset({PaymentMethod.BANK_TRANSFER, PaymentMethod.CHEQUE})


@dataclass(frozen=True, slots=True)
class PaymentFacts:
    reference: str | None
    method: PaymentMethod


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def payment_facts(facts: dict, order_method: str) -> tuple[PaymentFacts | None, dict[str, str]]:
    """The payment reference a bank transfer or cheque needs (a card's is optional)."""
    errors: dict[str, str] = {}
    raw_method = _text(facts.get("method")) or order_method
    try:
        method = PaymentMethod(raw_method)
    except ValueError:
        errors["method"] = "unknown payment method"
        method = PaymentMethod(order_method)
    reference = _text(facts.get("reference"))
    if len(reference) > MAX_REFERENCE:
        errors["reference"] = f"at most {MAX_REFERENCE} characters"
    elif not reference and method in REFERENCE_REQUIRED:
        errors["reference"] = (
            "the cheque number" if method == PaymentMethod.CHEQUE else "the bank reference"
        ) + " is needed"
    return (None if errors else PaymentFacts(reference or None, method)), errors


def hold_reason(facts: dict) -> tuple[str | None, dict[str, str]]:
    reason = _text(facts.get("reason"))
    if not reason:
        return None, {"reason": "say why the order is on hold"}
    if len(reason) > MAX_HOLD_REASON:
        return None, {"reason": f"at most {MAX_HOLD_REASON} characters"}
    return reason, {}


# --- age in business hours -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """The merchant's working window on business days, in the merchant's time zone."""

    opens: time
    closes: time
    tz: ZoneInfo
    is_business_day: Callable[[date], bool]

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        if not self.is_business_day(day):
            return None
        return (datetime.combine(day, self.opens, tzinfo=self.tz),
                datetime.combine(day, self.closes, tzinfo=self.tz))

    def add(self, start: datetime, hours: float, *, max_days: int = 400) -> datetime | None:
        """The instant `hours` business hours after `start` (None beyond `max_days`)."""
        left = timedelta(hours=hours)
        local = start.astimezone(self.tz)
        day = local.date()
        for _ in range(max_days):
            window = self._window(day)
            if window:
                begin = max(window[0], local)
                if begin < window[1]:
                    if begin + left <= window[1]:
                        return begin + left
                    left -= window[1] - begin
            day += timedelta(days=1)
        return None

    def subtract(self, end: datetime, hours: float, *, max_days: int = 400) -> datetime:
        """The latest instant from which `hours` business hours have passed by `end`."""
        left = timedelta(hours=hours)
        local = end.astimezone(self.tz)
        day = local.date()
        for _ in range(max_days):
            window = self._window(day)
            if window:
                finish = min(window[1], local)
                if finish > window[0]:
                    if finish - left >= window[0]:
                        return finish - left
                    left -= finish - window[0]
            day -= timedelta(days=1)
        return datetime.combine(day, time.min, tzinfo=self.tz)


@dataclass(frozen=True, slots=True)
class AgeThreshold:
    """Business hours in a lane after which a card turns amber, then red."""

    amber_hours: float
    red_hours: float


class AgeLevel(StrEnum):
    OK = "ok"
    AMBER = "amber"
    RED = "red"


def turns_at(entered: datetime, threshold: AgeThreshold | None,
             hours: BusinessHours) -> tuple[datetime | None, datetime | None]:
    """When a card that entered its lane at `entered` turns amber and red."""
    if threshold is None:
        return None, None
    return hours.add(entered, threshold.amber_hours), hours.add(entered, threshold.red_hours)


def age_level(now: datetime, amber_at: datetime | None, red_at: datetime | None) -> AgeLevel:
    if red_at is not None and now >= red_at:
        return AgeLevel.RED
    if amber_at is not None and now >= amber_at:
        return AgeLevel.AMBER
    return AgeLevel.OK


def age_label(seconds: float) -> str:
    """A short wall-clock age, as every screen writes one: "45s", "12m", "3h 20m", "2d 4h"
    (assets/kanban/kanban.jsx's ageLabel is the same rule for the ticking board)."""
    s = max(0, int(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m"
    if s < 86400:
        h, m = divmod(s // 60, 60)
        return f"{h}h {m}m" if m else f"{h}h"
    d, h = divmod(s // 3600, 24)
    return f"{d}d {h}h" if h else f"{d}d"
