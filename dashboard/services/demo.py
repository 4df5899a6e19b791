"""Demo data: Harbour & Pine, a Sydney homewares, tea and kitchen shop, built through the services.

`seed_demo` lays out a catalogue, a pool of customers and a plan for every order (when
it is placed, what happens to it, where it ends up), then replays the shop's history in
time order: every order, payment, status change, shipment, cancellation, note and
delivery from a supplier is a call to the same service the app and the API use, so
stock, the movement ledger, order events and the outbox stay consistent.

The services stamp the present time. A `_Backdater` remembers the simulated time of
every call and, every few hundred calls, moves the rows those calls wrote (orders,
events, movements, payments, shipments, notes, outbox) back to that time. It matches
rows to calls by id order and order id, so the seeder must be the only writer while it
runs. The new-order emails of the demo history are marked sent: nobody should receive
three thousand emails about orders from last year.

Deterministic for a given `seed` and `now`.
"""

from __future__ import annotations

import heapq
import math
import random
import string
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, func, select

from dashboard.domain.enums import (
    ActorKind,
    DeliveryMethod,
    OrderStatus,
    OutboxStatus,
    PaymentMethod,
)
from dashboard.domain.inputs import Actor, AddressIn, CustomerIn, LineIn, OrderIn
from dashboard.domain.models import (
    Customer,
    Order,
    OrderEvent,
    OrderNote,
    OutboxMessage,
    Payment,
    Product,
    Shipment,
    Stock,
    StockMovement,
    utcnow,
)
from dashboard.services import demo_data as D
from dashboard.services import notifications
from dashboard.services import orders as order_service
from dashboard.services import stock as stock_service
from dashboard.services.db import write_session
from dashboard.services.payment_settings import receipts_by_default
from dashboard.services.settings import merchant_timezone

S = OrderStatus
HISTORY_DAYS = 548  # 18 months
CUSTOMERS_PER_ORDER = 400 / 3000
FLUSH_EVERY = 400  # service calls between back-dating passes

OWNER = Actor(ActorKind.USER, D.STAFF["owner"])
SERVICE = [Actor(ActorKind.USER, e) for e in D.STAFF["service"]]
PICKERS = [Actor(ActorKind.USER, e) for e in D.STAFF["pickers"]]
SHOPFRONT = Actor(ActorKind.API_KEY, "api:Shopfront")
GATEWAY = Actor(ActorKind.SYSTEM, "gateway:stripe")
SCHEDULER = Actor(ActorKind.SYSTEM, "scheduler")
TRACKING = Actor(ActorKind.SYSTEM, "courier-tracking")

# Final status by age of the order (days) and delivery method: recent orders are mostly
# still waiting for payment or picking, old ones are complete or cancelled.
COURIER_BY_AGE = [
    (1, [(S.UNPAID, 50), (S.PAID, 25), (S.PICKING, 12), (S.ON_HOLD, 5), (S.CANCELLED, 5),
         (S.SHIPPED, 3)]),
    (4, [(S.UNPAID, 12), (S.PAID, 12), (S.PICKING, 14), (S.PARTIALLY_SHIPPED, 7),
         (S.SHIPPED, 40), (S.ON_HOLD, 6), (S.CANCELLED, 9)]),
    (14, [(S.UNPAID, 3), (S.PARTIALLY_SHIPPED, 4), (S.SHIPPED, 38), (S.COMPLETED, 40),
          (S.ON_HOLD, 4), (S.CANCELLED, 11)]),
    (math.inf, [(S.COMPLETED, 88), (S.CANCELLED, 9), (S.ON_HOLD, 1), (S.SHIPPED, 2)]),
]
PICKUP_BY_AGE = [
    (1, [(S.UNPAID, 40), (S.PICKING, 25), (S.READY_FOR_PICKUP, 25), (S.ON_HOLD, 5),
         (S.CANCELLED, 5)]),
    (7, [(S.READY_FOR_PICKUP, 35), (S.COLLECTED, 40), (S.PICKING, 5), (S.ON_HOLD, 5),
         (S.CANCELLED, 10), (S.UNPAID, 5)]),
    (math.inf, [(S.COMPLETED, 80), (S.COLLECTED, 8), (S.CANCELLED, 12)]),
]
# Orders per hour of the day (merchant's time zone): lunch and evening peaks.
HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3.5, 4, 4, 5, 5, 4, 3.5, 3.5, 4, 5, 6,
                7, 6.5, 4.5, 2.5]
COURIER_ONLY = {S.PARTIALLY_SHIPPED, S.SHIPPED}
PICKUP_ONLY = {S.READY_FOR_PICKUP, S.COLLECTED}
ACTIVE = {S.UNPAID, S.PAID, S.PICKING, S.PARTIALLY_SHIPPED, S.READY_FOR_PICKUP, S.ON_HOLD}


# --- the plan ----------------------------------------------------------------------------


@dataclass
class _Person:
    email: str
    name: str
    phone: str
    address: AddressIn
    kind: str  # "au", "au_zh" (Chinese-Australian), "cn"
    pickup_ok: bool
    company: str = ""

    @property
    def chinese(self) -> bool:
        return self.kind != "au"


@dataclass
class _Step:
    at: datetime
    kind: str  # place, pay, status, ship, cancel, note
    args: dict = field(default_factory=dict)


@dataclass
class _Plan:
    person: _Person
    placed_at: datetime
    delivery: DeliveryMethod
    method: PaymentMethod
    lines: dict[str, int]
    final: OrderStatus = S.UNPAID
    note: str = ""
    phone_order: bool = False
    steps: list[_Step] = field(default_factory=list)
    number: int = 0
    order_id: int = 0
    shipped: dict[str, int] = field(default_factory=dict)

    @property
    def units(self) -> int:
        return sum(self.lines.values())


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(n))


def ean13(first12: str) -> str:
    """The 13-digit EAN with its GS1 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def _s10(rng: random.Random) -> str:
    """A UPU S10 international tracking number (Australia Post), with its check digit."""
    serial = _digits(rng, 8)
    check = 11 - sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11
    check = 0 if check == 10 else 5 if check == 11 else check
    return f"EE{serial}{check}AU"


def _au_phone(rng: random.Random) -> str:
    if rng.random() < 0.85:
        return f"04{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}"
    return f"(0{rng.choice('2378')}) {rng.choice('3456789')}{_digits(rng, 3)} {_digits(rng, 4)}"


def _unique_email(taken: set[str], local: str, domain: str, rng: random.Random) -> str:
    local = "".join(c for c in local.lower() if c.isalnum() or c in "._")
    email = f"{local}@{domain}"
    while email in taken:
        email = f"{local}{rng.randint(2, 99)}@{domain}"
    taken.add(email)
    return email


def _people(rng: random.Random, count: int, taken: set[str]) -> list[_Person]:
    """Customers: mostly Australian, one in ten with a Chinese name (half of them in China)."""
    people = []
    suburbs = [(s, i) for i, s in enumerate(D.AU_SUBURBS)]
    for i in range(count):
        kind = "cn" if i % 20 == 3 else "au_zh" if i % 20 == 13 else "au"
        if kind == "au":
            first, last = rng.choice(D.FIRST_NAMES), rng.choice(D.SURNAMES)
            name = f"{first} {last}"
            local = rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}{rng.randint(1, 99)}"])
            email = _unique_email(taken, local, rng.choice(D.EMAIL_DOMAINS), rng)
            phone = _au_phone(rng)
            (suburb, state, postcode, _w), idx = rng.choices(suburbs, weights=[s[3] for s, _ in suburbs])[0]
            number = rng.randint(1, 240)
            street = f"{number} {rng.choice(D.AU_STREETS)}"
            if rng.random() < 0.25:
                street = f"{rng.randint(1, 24)}/{street}"
            company = rng.choice(D.COMPANIES) if rng.random() < 0.04 else ""
            address = AddressIn(name=name, company=company, street_address_1=street, city=suburb,
                                country_area=state, postal_code=postcode, country="AU", phone=phone)
            pickup_ok = idx < D.SYDNEY_PICKUP_SUBURBS
        else:
            (surname, s_py), (given, g_py) = rng.choice(D.CHINESE_SURNAMES), rng.choice(D.CHINESE_GIVEN)
            name = surname + given
            if kind == "au_zh":
                local = rng.choice([f"{g_py}.{s_py}", f"{s_py}{g_py}{rng.randint(1, 99)}"])
                domain = rng.choice(["gmail.com", "outlook.com", "qq.com", "icloud.com"])
                phone = _au_phone(rng)
                suburb, state, postcode = rng.choice(D.AU_CHINESE_SUBURBS)
                street = f"{rng.randint(1, 180)} {rng.choice(D.AU_CHINESE_STREETS)}"
                if rng.random() < 0.5:
                    street = f"{rng.randint(1, 30)}/{street}"
                address = AddressIn(name=name, street_address_1=street, city=suburb,
                                    country_area=state, postal_code=postcode, country="AU",
                                    phone=phone)
                pickup_ok = state == "NSW"
                company = ""
            else:
                local = f"{s_py}{g_py}{rng.randint(10, 999)}"
                domain = rng.choice(D.CHINESE_EMAIL_DOMAINS)
                phone = f"+86 1{rng.choice('3589')}{_digits(rng, 1)} {_digits(rng, 4)} {_digits(rng, 4)}"
                province, city, district, postcode, streets = rng.choice(D.CN_PLACES)
                address = AddressIn(
                    name=name, street_address_1=f"{rng.choice(streets)}{rng.randint(1, 999)}号",
                    street_address_2=f"{rng.randint(1, 12)}栋{rng.randint(2, 32)}{rng.randint(1, 4):02d}室",
                    city=city, city_area=district, country_area=province, postal_code=postcode,
                    country="CN", phone=phone)
                pickup_ok, company = False, ""
            email = _unique_email(taken, local, domain, rng)
        people.append(_Person(email, name, phone, address, kind, pickup_ok, company))
    rng.shuffle(people)
    return people


def _placed_times(rng: random.Random, n: int, now: datetime) -> list[datetime]:
    """Order times over 18 months: a growing shop, a Christmas rush, busy evenings."""
    tz = merchant_timezone()
    today = now.astimezone(tz).date()
    days = [today - timedelta(days=d) for d in range(HISTORY_DAYS)]
    weights = []
    for d, day in enumerate(days):
        w = math.exp(1.1 * (1 - d / HISTORY_DAYS))  # about three times busier than at launch
        if day.month == 11 or (day.month == 12 and day.day <= 20):
            w *= 1.7
        elif day.month == 5 and day.day <= 12:  # Mother's Day
            w *= 1.4
        elif day.month == 1:
            w *= 0.8
        weights.append(w * (1.15 if day.weekday() in (0, 6) else 1.0))
    times = []
    for d in rng.choices(range(HISTORY_DAYS), weights=weights, k=n):
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        local = datetime.combine(days[d], time(hour, rng.randrange(60), rng.randrange(60)), tz)
        t = local.astimezone(UTC)
        if t > now - timedelta(minutes=2):
            t = now - timedelta(minutes=rng.uniform(2, 240))
        times.append(t)
    return sorted(times)


def _business(rng: random.Random, t: datetime) -> datetime:
    """The next moment the shop is staffed (weekdays 9 to 5, Sydney time)."""
    tz = merchant_timezone()
    local = t.astimezone(tz)
    day = local.date()
    if local.weekday() < 5 and 9 <= local.hour < 17:
        return t
    if local.hour >= 17 or local.weekday() >= 5:
        day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start = datetime.combine(day, time(9), tz) + timedelta(minutes=rng.uniform(0, 120))
    return start.astimezone(UTC)


class _Planner:
    def __init__(self, rng: random.Random, now: datetime, catalogue: dict[str, tuple]) -> None:
        self.rng, self.now, self.catalogue = rng, now, catalogue
        self.skus = list(catalogue)
        self.popularity = [catalogue[s][3] for s in self.skus]

    # which orders, for whom, when ------------------------------------------------------

    def plans(self, n: int, people: list[_Person]) -> list[_Plan]:
        rng = self.rng
        fresh, regulars, regular_weights = list(people), [], []
        plans = []
        for i, placed_at in enumerate(_placed_times(rng, n, self.now)):
            # New customers arrive evenly; regulars (a few very loyal ones) order again.
            if fresh and (not regulars or rng.random() < len(fresh) / (n - i)):
                person = fresh.pop()
                regulars.append(person)
                regular_weights.append(rng.paretovariate(1.3))
            else:
                person = rng.choices(regulars, weights=regular_weights)[0]
            plans.append(self._order(person, placed_at))
        self._cover_every_status(plans)
        for plan in plans:
            self._fit(plan)
            plan.steps = self._steps(plan)
        return plans

    def _order(self, person: _Person, placed_at: datetime) -> _Plan:
        rng = self.rng
        pickup = person.pickup_ok and rng.random() < 0.3
        if pickup:
            method = _weighted(rng, [(PaymentMethod.PAY_ON_PICKUP, 55), (PaymentMethod.CARD, 40),
                                     (PaymentMethod.BANK_TRANSFER, 5)])
        elif person.kind == "cn":
            method = _weighted(rng, [(PaymentMethod.CARD, 85), (PaymentMethod.BANK_TRANSFER, 15)])
        else:
            method = _weighted(rng, [(PaymentMethod.CARD, 70), (PaymentMethod.BANK_TRANSFER, 22),
                                     (PaymentMethod.CHEQUE, 8)])
        lines: dict[str, int] = {}
        for _ in range(_weighted(rng, [(1, 45), (2, 30), (3, 15), (4, 10)])):
            sku = rng.choices(self.skus, weights=self.popularity)[0]
            consumable = sku[:3] in ("TEA", "PAN")
            qty = _weighted(rng, [(1, 70), (2, 22), (3, 5), (4, 3)] if consumable
                            else [(1, 90), (2, 9), (3, 1)])
            if person.company and consumable:
                qty *= rng.choice([3, 4, 6])
            lines[sku] = lines.get(sku, 0) + qty
        age = (self.now - placed_at).total_seconds() / 86400
        table = PICKUP_BY_AGE if pickup else COURIER_BY_AGE
        final = _weighted(rng, next(options for limit, options in table if age < limit))
        note = ""
        if rng.random() < 0.08:
            zh = person.chinese and rng.random() < 0.6
            note = rng.choice(D.CUSTOMER_NOTES_ZH if zh else D.CUSTOMER_NOTES)
        return _Plan(person, placed_at, DeliveryMethod.PICKUP if pickup else DeliveryMethod.COURIER,
                     method, lines, final, note, phone_order=rng.random() < 0.05)

    def _cover_every_status(self, plans: list[_Plan]) -> None:
        """A small shop still shows every status: a missing one takes over an order whose
        status is common (the newest such order for statuses that are still in progress)."""
        if not plans:
            return
        for status in OrderStatus:
            counts = defaultdict(int)
            for p in plans:
                counts[p.final] += 1
            if counts[status]:
                continue
            order = reversed(plans) if status in ACTIVE else iter(plans)
            for p in order:
                if counts[p.final] < 2 or (status in PICKUP_ONLY and not p.person.pickup_ok):
                    continue
                p.final = status
                if status in PICKUP_ONLY:
                    p.delivery = DeliveryMethod.PICKUP
                break

    def _fit(self, p: _Plan) -> None:
        """Make the delivery and payment method agree with where the order ends up."""
        age = (self.now - p.placed_at).total_seconds() / 86400
        if p.final in COURIER_ONLY:
            p.delivery = DeliveryMethod.COURIER
        if p.delivery == DeliveryMethod.COURIER and p.method == PaymentMethod.PAY_ON_PICKUP:
            p.method = PaymentMethod.CARD
        if p.final == S.PAID and p.method == PaymentMethod.PAY_ON_PICKUP:
            p.method = PaymentMethod.CARD
        if p.final == S.UNPAID and p.method == PaymentMethod.CARD and age > 0.5:
            # card payments arrive within minutes; an order waiting longer is a transfer
            p.method = (PaymentMethod.PAY_ON_PICKUP if p.delivery == DeliveryMethod.PICKUP
                        else PaymentMethod.BANK_TRANSFER)
        if p.final == S.PARTIALLY_SHIPPED and p.units < 2:
            sku = next(iter(p.lines))
            p.lines[sku] = 2

    # what happens to each order --------------------------------------------------------

    def _steps(self, p: _Plan) -> list[_Step]:
        rng = self.rng
        t = p.placed_at
        steps = [_Step(t, "place")]

        def then(kind: str, lo_h: float, hi_h: float, *, staffed: bool = True, **args) -> None:
            nonlocal t
            t = t + timedelta(hours=rng.uniform(lo_h, hi_h))
            if staffed:
                t = _business(rng, t)
            steps.append(_Step(t, kind, args))

        def pay() -> None:
            if p.method == PaymentMethod.CARD:
                then("pay", 0.003, 0.05, staffed=False, actor=GATEWAY)
            elif p.method == PaymentMethod.BANK_TRANSFER:
                then("pay", 3, 72, actor=rng.choice(SERVICE))
            else:  # cheques take the post; pay-on-pickup pays in `collect`
                then("pay", 72, 200, actor=rng.choice(SERVICE))

        def status(target: OrderStatus, lo_h: float, hi_h: float, actor: Actor | None = None,
                   reason: str = "", staffed: bool = True) -> None:
            then("status", lo_h, hi_h, staffed=staffed, target=target,
                 actor=actor or rng.choice(PICKERS), reason=reason)

        final, courier = p.final, p.delivery == DeliveryMethod.COURIER
        card, on_pickup = p.method == PaymentMethod.CARD, p.method == PaymentMethod.PAY_ON_PICKUP

        if final == S.CANCELLED:
            self._cancel_steps(p, then, status)
        elif courier:
            split = final == S.PARTIALLY_SHIPPED or (
                final in (S.SHIPPED, S.COMPLETED) and p.units > 1 and rng.random() < 0.1)
            stages = [S.UNPAID, S.PAID, S.PICKING] + ([S.PARTIALLY_SHIPPED] if split else [])
            stages += [S.SHIPPED, S.COMPLETED]
            if final == S.ON_HOLD:
                allowed = [S.PAID, S.PICKING] if card else [S.UNPAID, S.PAID, S.PICKING]
                stop = rng.choice(allowed)
            else:
                stop = final
            for stage in stages[1 : stages.index(stop) + 1]:
                if stage == S.PAID:
                    pay()
                    if final in (S.SHIPPED, S.COMPLETED) and rng.random() < 0.04:
                        status(S.ON_HOLD, 0.2, 4, rng.choice(SERVICE), rng.choice(D.HOLD_REASONS))
                        status(S.PAID, 20, 72, rng.choice(SERVICE), "Sorted out with the customer")
                elif stage == S.PICKING:
                    status(S.PICKING, 0.5, 20)
                elif stage == S.PARTIALLY_SHIPPED:
                    then("ship", 0.3, 6, actor=rng.choice(PICKERS), partial=True)
                elif stage == S.SHIPPED:
                    lo, hi = (72, 300) if split else (0.3, 6)
                    then("ship", lo, hi, actor=rng.choice(PICKERS), partial=False)
                elif stage == S.COMPLETED:
                    status(S.COMPLETED, 48, 200, TRACKING, "Delivered", staffed=False)
            if final == S.ON_HOLD:
                reasons = D.HOLD_REASONS if stop == S.UNPAID else D.HOLD_REASONS[1:]
                status(S.ON_HOLD, 0.2, 30, rng.choice(SERVICE), rng.choice(reasons))
        else:
            stages = [S.UNPAID] + ([] if on_pickup else [S.PAID]) + [
                S.PICKING, S.READY_FOR_PICKUP, S.COLLECTED, S.COMPLETED]
            stop = rng.choice([S.PICKING, S.READY_FOR_PICKUP]) if final == S.ON_HOLD else final
            if stop not in stages:  # a paid pickup order waiting to be picked
                stop = S.PAID
            for stage in stages[1 : stages.index(stop) + 1]:
                if stage == S.PAID:
                    pay()
                elif stage == S.PICKING:
                    status(S.PICKING, 0.5, 20)
                elif stage == S.READY_FOR_PICKUP:
                    status(S.READY_FOR_PICKUP, 0.3, 4)
                elif stage == S.COLLECTED:
                    then("collect", 2, 120, actor=rng.choice(SERVICE), pay=on_pickup)
                elif stage == S.COMPLETED:
                    status(S.COMPLETED, 0.5, 48, rng.choice(SERVICE), "Collected in store")
            if final == S.ON_HOLD:
                status(S.ON_HOLD, 0.2, 24, rng.choice(SERVICE), rng.choice(D.PICKUP_HOLD_REASONS))

        self._expand_collect(steps)
        if rng.random() < 0.12:  # a note from the team, some time in the order's life
            zh = p.person.chinese and rng.random() < 0.5
            body = rng.choice(D.STAFF_NOTES_ZH if zh else D.STAFF_NOTES)
            last = steps[-1].at
            at = p.placed_at + (last - p.placed_at) * rng.random() + timedelta(minutes=rng.uniform(5, 90))
            steps.append(_Step(at, "note", {"actor": rng.choice(SERVICE), "body": body}))
        steps.sort(key=lambda s: s.at)
        return self._squeeze(steps)

    def _cancel_steps(self, p: _Plan, then, status) -> None:
        rng = self.rng
        service = rng.choice(SERVICE)
        age = (self.now - p.placed_at).total_seconds() / 86400
        if p.delivery == DeliveryMethod.PICKUP:
            if p.method == PaymentMethod.PAY_ON_PICKUP and age > 16 and rng.random() < 0.6:
                status(S.PICKING, 0.5, 20)
                status(S.READY_FOR_PICKUP, 0.3, 4)
                then("cancel", 14 * 24, 16 * 24, actor=service, reason="Not collected within 14 days")
            else:
                then("cancel", 0.5, 30, actor=service, reason="Customer changed their mind")
            return
        roll = rng.random()
        if roll < 0.15:
            status(S.ON_HOLD, 0.2, 20, service, "Address check: unit number missing, emailed the customer")
            then("cancel", 48, 140, actor=service, reason="Could not confirm the delivery address")
        elif p.method == PaymentMethod.BANK_TRANSFER and age > 12 and roll < 0.75:
            then("cancel", 9 * 24, 12 * 24, staffed=False, actor=SCHEDULER,
                 reason="Bank transfer not received within 7 business days")
        elif p.method == PaymentMethod.CARD and roll < 0.55:
            then("cancel", 0.2, 8, actor=service, reason="Card payment declined")
        else:
            reason = rng.choice(["Customer asked to cancel by email",
                                 "Duplicate order: the customer placed it twice",
                                 "Customer asked to cancel by phone"])
            then("cancel", 0.3, 40, actor=service, reason=reason)

    @staticmethod
    def _expand_collect(steps: list[_Step]) -> None:
        """Collection: take the payment at the counter (if due), then hand the parcel over."""
        for idx, step in enumerate(steps):
            if step.kind == "collect":
                actor = step.args["actor"]
                handover = [_Step(step.at + timedelta(minutes=2), "ship",
                                  {"actor": actor, "partial": False})]
                if step.args["pay"]:
                    handover.insert(0, _Step(step.at, "pay", {"actor": actor}))
                steps[idx : idx + 1] = handover
                return

    def _squeeze(self, steps: list[_Step]) -> list[_Step]:
        """Keep the whole story in the past: compress it when it would run past now."""
        start, end = steps[0].at, steps[-1].at
        limit = self.now - timedelta(minutes=1)
        if end > limit and end > start:
            scale = max((limit - start) / (end - start), 0)
            for step in steps:
                step.at = start + (step.at - start) * scale
        return steps


def _mail() -> int:
    """Outbox rows a customer-facing change queues (services/notifications.py)."""
    return int(notifications.customer_emails_enabled())


# --- back-dating -------------------------------------------------------------------------


class _Backdater:
    """Moves the rows each service call wrote back to that call's simulated time."""

    TABLES = {
        "events": (OrderEvent.__table__, "created_at"),
        "movements": (StockMovement.__table__, "created_at"),
        "payments": (Payment.__table__, "created_at"),
        "shipments": (Shipment.__table__, "shipped_at"),
        "notes": (OrderNote.__table__, "created_at"),
        "outbox": (OutboxMessage.__table__, "created_at"),
    }

    def __init__(self, session: Session) -> None:
        self.session = session
        self.calls: list[tuple[datetime, int | None, dict[str, int]]] = []
        self.placed: dict[int, datetime] = {}
        self.touched: dict[int, datetime] = {}
        conn = session.connection()
        self.marks = {
            name: conn.execute(sa.select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
            for name, (table, _col) in self.TABLES.items()
        }
        session.commit()

    def record(self, at: datetime, order_id: int | None, *, changes_order: bool = True,
               **counts: int) -> None:
        self.calls.append((at, order_id, counts))
        if order_id is not None and changes_order:
            self.touched[order_id] = at
        if len(self.calls) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if not self.calls and not self.touched:
            return
        conn = self.session.connection()
        for name, (table, column) in self.TABLES.items():
            expected = [(oid, at) for at, oid, counts in self.calls for _ in range(counts.get(name, 0))]
            if not expected:
                continue
            rows = conn.execute(
                sa.select(table.c.id, table.c.order_id)
                .where(table.c.id > self.marks[name]).order_by(table.c.id)
            ).all()
            if [r.order_id for r in rows] != [oid for oid, _ in expected]:
                raise RuntimeError(
                    f"seed-demo lost track of {name}: is something else writing to the database?"
                )
            values = {column: sa.bindparam("t")}
            if name == "outbox":  # the demo history's emails went out long ago
                values |= {"next_attempt_at": sa.bindparam("t"), "sent_at": sa.bindparam("t2"),
                           "status": OutboxStatus.SENT.value, "attempts": 1}
            conn.execute(
                table.update().where(table.c.id == sa.bindparam("k")).values(values),
                [{"k": r.id, "t": at, "t2": at + timedelta(seconds=4)}
                 for r, (_oid, at) in zip(rows, expected, strict=True)],
            )
            self.marks[name] = rows[-1].id
        orders = Order.__table__
        if self.placed:
            conn.execute(orders.update().where(orders.c.id == sa.bindparam("k"))
                         .values(placed_at=sa.bindparam("t")),
                         [{"k": k, "t": t} for k, t in self.placed.items()])
        if self.touched:
            conn.execute(orders.update().where(orders.c.id == sa.bindparam("k"))
                         .values(updated_at=sa.bindparam("t")),
                         [{"k": k, "t": t} for k, t in self.touched.items()])
        self.session.commit()
        self.session.expunge_all()  # keep the identity map small over thousands of calls
        self.calls.clear()
        self.placed.clear()
        self.touched.clear()


# --- the replay --------------------------------------------------------------------------


class _Shop:
    def __init__(self, session: Session, rng: random.Random, clock: _Backdater) -> None:
        self.s, self.rng, self.clock = session, rng, clock
        self.catalogue = {row[0]: row for row in D.CATALOGUE}
        self.on_hand: dict[str, int] = {}
        self.committed: dict[str, int] = {}
        self.sales: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
        self.po_number = 4100
        self.counts: dict[str, int] = defaultdict(int)
        self.first_order: dict[int, datetime] = {}

    # catalogue and stock ---------------------------------------------------------------

    def open_shop(self) -> set[str]:
        """Create (or refresh) the catalogue; returns the SKUs that are new."""
        existing = set(self.s.exec(select(Product.sku)).all())
        aisles: dict[str, int] = defaultdict(int)
        for i, (sku, name, price, _pop, _case, aisle) in enumerate(D.CATALOGUE):
            aisles[aisle] += 1
            slot = aisles[aisle] - 1
            bin_location = f"{aisle}-{slot // 4 + 1:02d}-{slot % 4 + 1}"
            barcode = ean13(f"{D.GS1_COMPANY_PREFIX}{10010 + 17 * i:05d}")
            stock_service.upsert_product(
                self.s, actor=OWNER, sku=sku, name=name, price=price, currency="AUD",
                barcode=barcode, bin_location=bin_location)
        for sku, on_hand, committed in self.s.exec(
            select(Product.sku, Stock.on_hand, Stock.committed).join(Stock)
        ).all():
            if sku in self.catalogue:
                self.on_hand[sku], self.committed[sku] = on_hand, committed
        return set(self.catalogue) - existing

    def _adjust(self, at: datetime, sku: str, delta: int, reason: str) -> None:
        stock_service.adjust_stock(self.s, actor=OWNER, sku=sku, delta=delta, reason=reason)
        self.on_hand[sku] += delta
        self.clock.record(at, None, movements=1)

    def _receive(self, at: datetime, sku: str, quantity: int, urgent: bool = False) -> None:
        case = self.catalogue[sku][4]
        quantity = -(-quantity // case) * case  # whole cartons
        self.po_number += 1
        supplier = D.SUPPLIERS[self.catalogue[sku][5]]
        what = "Urgent delivery" if urgent else "Received"
        self._adjust(at, sku, quantity, f"{what} from {supplier}, PO {self.po_number}")
        self.counts["stock_receipts"] += 1

    def _demand(self, sku: str, at: datetime, days: int = 28) -> int:
        sales = self.sales[sku]
        start = bisect_left(sales, (at - timedelta(days=days),))
        return sum(q for _t, q in sales[start:])

    def _available(self, sku: str) -> int:
        return self.on_hand[sku] - self.committed[sku]

    def opening_count(self, at: datetime) -> None:
        for sku, (*_rest, case, _aisle) in self.catalogue.items():
            if self._available(sku) < 3 * case:
                self._adjust(at, sku, 3 * case - self._available(sku), "Opening stock count")

    def morning_delivery(self, at: datetime) -> None:
        """Weekday receiving: top up anything below about two weeks of recent sales."""
        for sku in self.catalogue:
            case = self.catalogue[sku][4]
            target = max(2 * case, math.ceil(self._demand(sku, at) * 1.5))
            if self._available(sku) < target // 2:
                self._receive(at, sku, target - self._available(sku))

    def stocktake(self, at: datetime) -> None:
        for sku in self.rng.sample(list(self.catalogue), 4):
            delta = self.rng.choice([-2, -1, -1, 1])
            if delta < 0 and self._available(sku) < -delta:
                continue
            reason = (f"Stocktake: {-delta} found damaged in storage" if delta < 0
                      else "Stocktake: 1 more on the shelf than recorded")
            self._adjust(at, sku, delta, reason)
            self.counts["stocktake_adjustments"] += 1

    # the orders ------------------------------------------------------------------------

    def run_step(self, p: _Plan, step: _Step) -> None:
        kind, args, at = step.kind, step.args, step.at
        if kind == "place":
            self._place(p, at)
        elif kind == "pay":
            order_service.record_payment(self.s, actor=args["actor"], number=p.number,
                                         reference=self._payment_reference(p, at))
            self.clock.record(at, p.order_id, events=1, payments=1,
                              outbox=_mail() * receipts_by_default())
            self.counts["payments"] += 1
        elif kind == "status":
            order_service.change_status(self.s, actor=args["actor"], number=p.number,
                                        target=args["target"], reason=args["reason"])
            pickup_ready = args["target"] == OrderStatus.READY_FOR_PICKUP
            self.clock.record(at, p.order_id, events=1, outbox=_mail() if pickup_ready else 0)
        elif kind == "ship":
            self._ship(p, at, args)
        elif kind == "cancel":
            order_service.cancel_order(self.s, actor=args["actor"], number=p.number,
                                       reason=args["reason"])
            released = [sku for sku, q in p.lines.items() if q > p.shipped.get(sku, 0)]
            for sku in released:
                self.committed[sku] -= p.lines[sku] - p.shipped.get(sku, 0)
            self.clock.record(at, p.order_id, events=1, movements=len(released),
                              outbox=_mail())
        elif kind == "note":
            order_service.add_note(self.s, actor=args["actor"], number=p.number, body=args["body"])
            self.clock.record(at, p.order_id, changes_order=False, events=1, notes=1)
            self.counts["notes"] += 1

    def _place(self, p: _Plan, at: datetime) -> None:
        for sku, qty in p.lines.items():
            if self._available(sku) < qty:
                self._receive(at, sku, qty - self._available(sku) + self.catalogue[sku][4],
                              urgent=True)
        person = p.person
        subtotal = sum(Decimal(self.catalogue[sku][2]) * q for sku, q in p.lines.items())
        if p.delivery == DeliveryMethod.PICKUP:
            shipping = "0"
        elif person.address.country != "AU":
            shipping = "39.95"
        else:
            shipping = "0" if subtotal >= 120 else "9.95"
        order_in = OrderIn(
            customer=CustomerIn(email=person.email, name=person.name, phone=person.phone),
            shipping_address=person.address,
            lines=[LineIn(sku, q) for sku, q in p.lines.items()],
            payment_method=p.method, delivery_method=p.delivery, note=p.note,
            source="phone" if p.phone_order else "api",
        )
        actor = self.rng.choice(SERVICE) if p.phone_order else SHOPFRONT
        order = order_service.place_order(
            self.s, actor=actor, order_in=order_in, shipping_price=shipping).order
        p.number, p.order_id = order.number, order.id
        for sku, qty in p.lines.items():
            self.committed[sku] += qty
            self.sales[sku].append((at, qty))
        self.first_order.setdefault(order.customer_id, at)
        self.clock.placed[order.id] = at
        self.clock.record(at, order.id, events=1, movements=len(p.lines), outbox=1)
        self.counts["orders"] += 1

    def _ship(self, p: _Plan, at: datetime, args: dict) -> None:
        unshipped = {sku: q - p.shipped.get(sku, 0) for sku, q in p.lines.items()}
        unshipped = {sku: q for sku, q in unshipped.items() if q > 0}
        quantities = None
        if args["partial"]:
            ids = {line.sku: line.id for line in order_service.order_lines(self.s, p.order_id)}
            skus = sorted(unshipped)
            if len(skus) > 1:  # the last line waits for the supplier
                unshipped = {sku: unshipped[sku] for sku in skus[:-1]}
            else:
                unshipped = {skus[0]: unshipped[skus[0]] - 1}
            quantities = {ids[sku]: q for sku, q in unshipped.items()}
        carrier = tracking = None
        if p.delivery == DeliveryMethod.COURIER:
            carrier, tracking = self._courier(p)
        order_service.ship_lines(self.s, actor=args["actor"], number=p.number,
                                 quantities=quantities, carrier=carrier, tracking_number=tracking)
        for sku, q in unshipped.items():
            p.shipped[sku] = p.shipped.get(sku, 0) + q
            self.on_hand[sku] -= q
            self.committed[sku] -= q
        self.clock.record(at, p.order_id, events=1, shipments=1, movements=len(unshipped),
                          outbox=_mail() if p.delivery == DeliveryMethod.COURIER else 0)
        self.counts["shipments"] += 1

    def _courier(self, p: _Plan) -> tuple[str, str]:
        rng = self.rng
        if p.person.address.country != "AU":
            return "AusPost", _s10(rng)
        carrier = _weighted(rng, D.CARRIERS)
        if carrier == "AusPost":
            return carrier, f"33{_letters(rng, 3)}{_digits(rng, 7)}"
        if carrier == "StarTrack":
            return carrier, f"{_letters(rng, 4)}{_digits(rng, 8)}"
        if carrier == "Sendle":
            return carrier, "S" + "".join(rng.choice(string.ascii_uppercase + string.digits)
                                          for _ in range(6))
        return carrier, f"CP{_letters(rng, 3)}{_digits(rng, 10)}"

    def _payment_reference(self, p: _Plan, at: datetime) -> str:
        rng = self.rng
        day = at.astimezone(merchant_timezone()).strftime("%Y%m%d")
        if p.method == PaymentMethod.CARD:
            return "pi_3" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(23))
        if p.method == PaymentMethod.BANK_TRANSFER:
            return f"{rng.choice(D.BANKS)} {day} {_digits(rng, 7)}"
        if p.method == PaymentMethod.CHEQUE:
            return f"Cheque {_digits(rng, 6)} ({rng.choice(D.BANKS)})"
        return rng.choice([f"EFTPOS at the counter, receipt {_digits(rng, 6)}", "Cash at the counter"])


def _weekday_mornings(start: date, end: datetime) -> list[datetime]:
    tz = merchant_timezone()
    days = []
    day = start
    while True:
        at = datetime.combine(day, time(9, 30), tz).astimezone(UTC)
        if at > end:
            return days
        if day.weekday() < 5:
            days.append(at)
        day += timedelta(days=1)


def seed_demo(
    url: str | None = None, *, orders: int = 3000, seed: int = 7, now: datetime | None = None
) -> dict:
    """Build the demo shop through the services. Returns counts of what it made.

    ~60 products, about 400 customers per 3,000 orders (one in ten with a Chinese name,
    half of those in China), `orders` orders over the last 18 months in every status.
    Deterministic for a given `seed` and `now`. Adds to what is there; run it on an
    empty database (the CLI's `--if-empty`) and while nothing else writes to it.
    """
    if orders < 0:
        raise ValueError("orders must not be negative")
    now = now or utcnow()
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    rng = random.Random(seed)
    opened = now - timedelta(days=HISTORY_DAYS + 2)
    with write_session(url) as session:
        shop = _Shop(session, rng, _Backdater(session))
        customer_mark = session.exec(select(func.coalesce(func.max(Customer.id), 0))).one()
        taken = set(session.exec(select(Customer.email)).all())
        new_skus = shop.open_shop()
        shop.opening_count(opened)

        n_people = min(orders, max(20, round(orders * CUSTOMERS_PER_ORDER)))
        plans = _Planner(rng, now, shop.catalogue).plans(orders, _people(rng, n_people, taken))

        queue: list[tuple[datetime, int, str, _Plan | None, int]] = []
        seq = 0
        for p in plans:
            queue.append((p.steps[0].at, seq := seq + 1, "order", p, 0))
        for at in _weekday_mornings(opened.date() + timedelta(days=1), now):
            queue.append((at, seq := seq + 1, "delivery", None, 0))
        for days in range(90, HISTORY_DAYS, 91):
            at = _business(rng, opened + timedelta(days=days))
            queue.append((at, seq := seq + 1, "stocktake", None, 0))
        heapq.heapify(queue)
        while queue:
            at, _seq, kind, plan, k = heapq.heappop(queue)
            if kind == "delivery":
                shop.morning_delivery(at)
            elif kind == "stocktake":
                shop.stocktake(at)
            else:
                shop.run_step(plan, plan.steps[k])
                if k + 1 < len(plan.steps):
                    heapq.heappush(queue, (plan.steps[k + 1].at, seq := seq + 1, "order", plan, k + 1))
        shop.clock.flush()
        _finish(session, shop, customer_mark, new_skus, opened)

        first = min((p.number for p in plans), default=0)
        by_status = dict(session.exec(
            select(Order.status, func.count()).where(Order.number >= first).group_by(Order.status)
        ).all()) if plans else {}
    return {
        "products": len(D.CATALOGUE),
        "customers": sum(1 for cid in shop.first_order if cid > customer_mark),
        "orders": shop.counts["orders"],
        "payments": shop.counts["payments"],
        "shipments": shop.counts["shipments"],
        "notes": shop.counts["notes"],
        "stock_receipts": shop.counts["stock_receipts"],
        "stocktake_adjustments": shop.counts["stocktake_adjustments"],
        "by_status": {str(OrderStatus(k).value): v for k, v in sorted(by_status.items())},
    }


def _finish(session: Session, shop: _Shop, customer_mark: int, new_skus: set[str],
            opened: datetime) -> None:
    """Customers joined with their first order; products and stock rows dated to match."""
    conn = session.connection()
    customers = Customer.__table__
    joined = [{"k": cid, "t": t} for cid, t in shop.first_order.items() if cid > customer_mark]
    if joined:
        conn.execute(customers.update().where(customers.c.id == sa.bindparam("k"))
                     .values(created_at=sa.bindparam("t")), joined)
    products = Product.__table__
    if new_skus:
        conn.execute(
            products.update().where(products.c.sku == sa.bindparam("k"))
            .values(created_at=sa.bindparam("t"), updated_at=sa.bindparam("t")),
            [{"k": sku, "t": opened - timedelta(hours=2)} for sku in sorted(new_skus)],
        )
    stock, moves = Stock.__table__, StockMovement.__table__
    last_move = (sa.select(func.max(moves.c.created_at))
                 .where(moves.c.product_id == stock.c.product_id).scalar_subquery())
    conn.execute(stock.update().values(updated_at=func.coalesce(last_move, stock.c.updated_at)))
    session.commit()
