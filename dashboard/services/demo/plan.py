"""Demo data, the plan: who the shop's customers are, when they order, and what happens to
each order (paid, picked, shipped, cancelled), drawn from a seeded random generator.

The seed module carries the plan out through the services."""

from __future__ import annotations

import math
import random
import string
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from dashboard.config import merchant_timezone
from dashboard.domain.orders import (
    Actor,
    ActorKind,
    AddressIn,
    OrderStatus,
)
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.services.demo import catalogue as D

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


