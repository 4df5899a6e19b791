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
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, func, select

from dashboard.config import merchant_timezone
from dashboard.domain.columns import utcnow
from dashboard.domain.customers import Customer
from dashboard.domain.messaging import OutboxMessage, OutboxStatus
from dashboard.domain.orders import (
    CustomerIn,
    LineIn,
    Order,
    OrderEvent,
    OrderIn,
    OrderNote,
    OrderStatus,
)
from dashboard.domain.payments import Payment, PaymentMethod
from dashboard.domain.shipping import DeliveryMethod, Shipment
from dashboard.domain.stock import Product, Stock, StockMovement
from dashboard.services import messaging, payments, shipping
from dashboard.services.db import write_session
from dashboard.services.demo import catalogue as D
from dashboard.services.demo.plan import (
    CUSTOMERS_PER_ORDER,
    FLUSH_EVERY,
    HISTORY_DAYS,
    OWNER,
    SERVICE,
    SHOPFRONT,
    _business,
    _digits,
    _letters,
    _people,
    _Plan,
    _Planner,
    _s10,
    _Step,
    _weighted,
    ean13,
)
from dashboard.services.orders import lifecycle as order_service
from dashboard.services.stock import levels as stock_service


def _mail() -> int:
    """Outbox rows a customer-facing change queues (services/messaging/notifications.py)."""
    return int(messaging.customer_emails_enabled())


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
            paid = payments.mark_paid(self.s, actor=args["actor"], numbers=[p.number],
                                      reference=self._payment_reference(p, at))
            if p.number not in paid.done:
                raise RuntimeError(f"seed-demo could not pay #{p.number}: {paid.skipped}")
            self.clock.record(at, p.order_id, events=1, payments=1,
                              outbox=_mail() * payments.receipts_by_default())
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
        shipping.ship_lines(self.s, actor=args["actor"], number=p.number,
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
