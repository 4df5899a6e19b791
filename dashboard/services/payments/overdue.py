"""Unpaid orders: when each is due, which are overdue, and cancelling those left too long.

An order is due `due_days` business days after the (merchant-local) day it was placed,
per payment method (`payment_settings`); overdue from the day after. With
AUTO_CANCEL_DAYS_<METHOD> set, `cancel_overdue` cancels unpaid orders of that method
once that many business days have passed, releasing their stock. It runs from the app's
scheduler (`run_scheduler`, in every worker) and from `fulfil cancel-overdue` (cron):
the conditional claim in `payments.cancel_claimed` makes each order cancelled once
however many of them run at the same time.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from dashboard.config import merchant_timezone
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import DomainError, ValidationFailed
from dashboard.domain.orders import Actor, Order, OrderStatus
from dashboard.domain.payments import PaymentMethod, PaymentStatus
from dashboard.services.db import atomic, write_session
from dashboard.services.payments import confirm
from dashboard.services.payments.business_days import BusinessCalendar, merchant_calendar
from dashboard.services.payments.settings import (
    MethodRule,
    notify_on_auto_cancel,
    payment_rules,
    sweep_interval_s,
)

log = logging.getLogger("dashboard.payments")
_order = Order.__table__
SWEEP_ACTOR = Actor.system("scheduler:auto-cancel")
MAX_PER_SWEEP = 2000


def _day_start_utc(day: date, tz) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def placed_before(day: date, tz) -> datetime:
    """The first instant after `day` ends in the merchant's zone: placed_at < this means
    placed on or before `day`."""
    return _day_start_utc(day + timedelta(days=1), tz)


@dataclass(frozen=True, slots=True)
class Due:
    due_on: date | None
    overdue: bool
    days_overdue: int  # business days since the due date


def due_status(placed_at: datetime, method: str, *, today: date, rules: dict,
               calendar: BusinessCalendar, tz) -> Due:
    rule: MethodRule = rules[PaymentMethod(method)]
    if rule.due_days is None:
        return Due(None, False, 0)
    due_on = calendar.add(placed_at.astimezone(tz).date(), rule.due_days)
    overdue = today > due_on
    return Due(due_on, overdue, calendar.between(due_on, today) if overdue else 0)


def overdue_condition(*, today: date, rules: dict, calendar: BusinessCalendar, tz,
                      days_of=lambda rule: rule.due_days):
    """SQL: the order's method has a deadline (`days_of(rule)`) and it has passed today."""
    terms = []
    for method, rule in rules.items():
        days = days_of(rule)
        if days is None:
            continue
        last_day = calendar.latest_start_before(today, days)
        terms.append(sa.and_(_order.c.payment_method == method.value,
                             _order.c.placed_at < placed_before(last_day, tz)))
    return sa.or_(*terms) if terms else sa.false()


_UNPAID_QUEUE = sa.and_(
    _order.c.payment_status == PaymentStatus.UNPAID.value,
    _order.c.status.in_([OrderStatus.UNPAID.value, OrderStatus.ON_HOLD.value]),
)


@dataclass
class SweepResult:
    enabled: dict[str, int] = field(default_factory=dict)  # method -> business days
    cancelled: list[int] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)  # in a dry run
    skipped: int = 0  # changed by someone else between the read and the claim

    @property
    def summary(self) -> str:
        if not self.enabled:
            return "Automatic cancellation is off for every payment method."
        rules = ", ".join(f"{m.replace('_', ' ')} after {d} business days"
                          for m, d in self.enabled.items())
        if self.candidates and not self.cancelled:
            return f"{len(self.candidates)} orders would be cancelled ({rules})."
        return f"Cancelled {len(self.cancelled)} overdue unpaid orders ({rules})."


@atomic
def cancel_overdue(
    session: Session,
    *,
    actor: Actor = SWEEP_ACTOR,
    now: datetime | None = None,
    dry_run: bool = False,
    limit: int = MAX_PER_SWEEP,
) -> SweepResult:
    """Cancel unpaid orders whose method's AUTO_CANCEL_DAYS have passed. Commits once.

    Off by default (no method has AUTO_CANCEL_DAYS). Orders with a flagged gateway payment
    are left for staff. Safe to run from several workers and cron at once: the claim is a
    conditional UPDATE, so each order is cancelled, and its stock released, exactly once.
    """
    now = now or utcnow()
    rules, calendar, tz = payment_rules(), merchant_calendar(), merchant_timezone()
    result = SweepResult(enabled={m.value: r.auto_cancel_days for m, r in rules.items()
                                  if r.auto_cancel_days})
    if not result.enabled:
        return result
    today = now.astimezone(tz).date()
    due = overdue_condition(today=today, rules=rules, calendar=calendar, tz=tz,
                            days_of=lambda rule: rule.auto_cancel_days)
    rows = session.connection().execute(
        sa.select(_order.c.number)
        .where(_UNPAID_QUEUE, _order.c.payment_flag.is_(None), due)
        .order_by(_order.c.id).limit(limit)
    ).all()
    numbers = [r.number for r in rows]
    if dry_run:
        result.candidates = numbers
        return result
    facts = confirm.order_facts(session, numbers=numbers)
    orders = [facts[n] for n in numbers if n in facts]
    reasons = {}
    for o in orders:
        days = rules[PaymentMethod(o.payment_method)].auto_cancel_days
        reasons.setdefault(days, []).append(o)
    for days, group in reasons.items():
        method = group[0].payment_method.replace("_", " ")
        cancelled = confirm.cancel_claimed(
            session, actor=actor, orders=group, now=now, automatic=True,
            reason=f"Not paid within {days} business days ({method}).",
            notify_customer=notify_on_auto_cancel(),
        )
        result.cancelled.extend(sorted(cancelled))
        result.skipped += len(group) - len(cancelled)
    return result


def sweep_once(url: str | None = None, now: datetime | None = None) -> SweepResult:
    """One sweep in its own transaction; touches no database while auto-cancel is off."""
    if not any(rule.auto_cancel_days for rule in payment_rules().values()):
        return SweepResult()
    with write_session(url) as session:
        return cancel_overdue(session, now=now)


async def run_scheduler(interval_s: float | None = None) -> None:
    """The in-app scheduler: sweep for overdue orders every PAYMENT_SWEEP_INTERVAL_S.

    Registered as a Reflex lifespan task, so each backend worker runs one; that is safe
    (see `cancel_overdue`). Errors are logged and the loop goes on.
    """
    interval = interval_s or sweep_interval_s()
    while True:
        try:
            result = await asyncio.to_thread(sweep_once)
            if result.cancelled:
                log.info("auto-cancel: %s %s", result.summary, result.cancelled)
        except DomainError as exc:  # a bad setting: say so, keep the app running
            log.error("auto-cancel is misconfigured: %s", exc.message)
        except Exception:
            log.exception("auto-cancel sweep failed; retrying in %.0f s", interval)
        await asyncio.sleep(interval)


# --- the unpaid queue (read only) ----------------------------------------------------------

QUEUE_PAGE_MAX = 500


def unpaid_queue(
    session: Session,
    *,
    method: str | None = None,
    only: str | None = None,  # "overdue" | "flagged"
    q: str | None = None,
    page: int = 1,
    per_page: int = 100,
    now: datetime | None = None,
) -> dict:
    """Unpaid orders oldest first, with their due date, overdue flag and any payment flag,
    plus counts for the queue's tabs. Reads only."""
    from dashboard.domain import money
    from dashboard.domain.customers import Customer

    if method not in (None, "", *[m.value for m in PaymentMethod]):
        raise ValidationFailed("Unknown payment method.", fields={"method": "unknown"})
    if only not in (None, "", "overdue", "flagged"):
        raise ValidationFailed("Unknown filter.", fields={"only": "unknown"})
    if not 1 <= per_page <= QUEUE_PAGE_MAX or page < 1:
        raise ValidationFailed("Bad page.", fields={"page": "out of range"})
    now = now or utcnow()
    rules, calendar, tz = payment_rules(), merchant_calendar(), merchant_timezone()
    today = now.astimezone(tz).date()
    overdue = overdue_condition(today=today, rules=rules, calendar=calendar, tz=tz)
    customer = Customer.__table__
    base = [_UNPAID_QUEUE]
    counts = {
        "all": sa.func.count(),
        "overdue": sa.func.sum(sa.case((overdue, 1), else_=0)),
        "flagged": sa.func.sum(sa.case((_order.c.payment_flag.is_not(None), 1), else_=0)),
    }
    totals = session.connection().execute(
        sa.select(*[c.label(k) for k, c in counts.items()]).where(*base)
    ).one()
    conditions = list(base)
    if method:
        conditions.append(_order.c.payment_method == method)
    if only == "overdue":
        conditions.append(overdue)
    elif only == "flagged":
        conditions.append(_order.c.payment_flag.is_not(None))
    text = (q or "").strip().lstrip("#")[:200]
    if text:
        like = f"%{text.lower()}%"
        match = [sa.func.lower(customer.c.name).like(like), customer.c.email.like(like)]
        if text.isdecimal() and len(text) < 12:
            match.append(_order.c.number == int(text))
        conditions.append(sa.or_(*match))
    query = (
        sa.select(_order.c.number, _order.c.placed_at, _order.c.payment_method,
                  _order.c.total_minor, _order.c.currency, _order.c.status,
                  _order.c.payment_flag, customer.c.name, customer.c.email)
        .join(customer, customer.c.id == _order.c.customer_id)
        .where(*conditions)
    )
    matching = session.connection().execute(
        sa.select(sa.func.count()).select_from(query.subquery())
    ).scalar_one()
    rows = session.connection().execute(
        query.order_by(_order.c.placed_at, _order.c.id)
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    items = []
    for r in rows:
        due = due_status(r.placed_at, r.payment_method, today=today, rules=rules,
                         calendar=calendar, tz=tz)
        items.append({
            "number": r.number, "placed_at": r.placed_at, "customer_name": r.name,
            "customer_email": r.email, "payment_method": r.payment_method,
            "status": r.status, "total": money.format_amount(r.total_minor, r.currency),
            "currency": r.currency, "due_on": due.due_on, "overdue": due.overdue,
            "days_overdue": due.days_overdue, "payment_flag": r.payment_flag,
        })
    return {
        "items": items, "total": matching, "page": page, "per_page": per_page,
        "counts": {k: int(totals[i] or 0) for i, k in enumerate(counts)},
        "today": today,
        "rules": {m.value: {"due_days": r.due_days, "auto_cancel_days": r.auto_cancel_days}
                  for m, r in rules.items()},
        "calendar": f"{calendar.country}" + (f"-{calendar.subdivision}" if calendar.subdivision
                                            else ""),
    }
