"""The audit log: who did what, when, from which session or key; refusals included.

`record` adds an entry to the caller's transaction, so a change and its audit entry
commit together or not at all. `record_refusal` commits its own entry: a refused request
changes nothing else. Entries are append-only (the database refuses UPDATE and DELETE).

Refusals can be provoked by anyone, so each process writes at most `REFUSALS_PER_MINUTE`
entries a minute per client, principal and target (handler or route), and the next entry
written says how many were left out: a flood of junk events cannot grow the table
without bound (there are finitely many targets), and one flood hides no other refusal.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlmodel import Session, func, or_, select

from dashboard.domain.accounts import AuditEntry, Principal
from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import Order, OrderEvent

REFUSALS_PER_MINUTE = 30
MAX_PER_PAGE = 200
OUTCOMES = ("ok", "refused")


def _entry(principal: Principal | None, *, api_key: tuple[int, str] | None, action: str,
           outcome: str, target: str, client: str, detail: dict) -> AuditEntry:
    if api_key is not None:
        kind, label, ids = "api_key", f"api:{api_key[1]}", {"api_key_id": api_key[0]}
    else:
        p = principal
        kind, label = str(p.kind), p.label
        ids = {"user_id": p.user_id, "session_id": p.session_id, "kiosk_id": p.kiosk_id}
    return AuditEntry(actor_kind=kind, actor=label[:254], action=action[:80], outcome=outcome,
                      target=(target or "")[:200], client=(client or "")[:200],
                      detail=detail, **ids)


def record(session: Session, *, by: Principal | None = None,
           api_key: tuple[int, str] | None = None, action: str, target: str = "",
           client: str = "", outcome: str = "ok", **detail) -> AuditEntry:
    """Add one entry to the current transaction (the caller commits)."""
    entry = _entry(by, api_key=api_key, action=action, outcome=outcome, target=target,
                   client=client, detail=detail)
    session.add(entry)
    return entry


class _RefusalBudget:
    """Per-process allowance of refusal entries a minute, per (client, principal, target)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, ...], tuple[float, int, int]] = {}

    def admit(self, key: tuple[str, ...]) -> tuple[bool, int]:
        """(write this one?, how many were left out before it)."""
        now = time.monotonic()
        with self._lock:
            if len(self._windows) > 10_000:  # forget idle clients
                self._windows = {k: v for k, v in self._windows.items() if now - v[0] < 60}
            start, written, dropped = self._windows.get(key, (now, 0, 0))
            if now - start >= 60:
                start, written = now, 0
            if written >= self.per_minute:
                self._windows[key] = (start, written, dropped + 1)
                return False, 0
            self._windows[key] = (start, written + 1, 0)
            return True, dropped


refusal_budget = _RefusalBudget(REFUSALS_PER_MINUTE)


def record_refusal(session: Session, *, by: Principal | None = None,
                   api_key: tuple[int, str] | None = None, action: str, target: str,
                   client: str = "", **detail) -> AuditEntry | None:
    """Write (and commit) one refused attempt, within the flood budget."""
    who = f"api:{api_key[0]}" if api_key else (by.fingerprint if by else "")
    write, dropped = refusal_budget.admit((client or "", who, target))
    if not write:
        return None
    if dropped:
        detail["not_logged_before_this"] = dropped
    entry = record(session, by=by, api_key=api_key, action=action, target=target,
                   client=client, outcome="refused", **detail)
    session.commit()
    return entry


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: list[AuditEntry]
    total: int


def _check_paging(errors: dict, page: int, per_page: int, q: str | None) -> None:
    if not isinstance(page, int) or not 1 <= page <= 100_000:
        errors["page"] = "must be 1 or more"
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        errors["per_page"] = f"must be 1 to {MAX_PER_PAGE}"
    if q is not None and len(q) > 200:
        errors["q"] = "at most 200 characters"
    if errors:
        raise ValidationFailed("Bad filters.", fields=errors)


def list_entries(session: Session, *, outcome: str | None = None, q: str | None = None,
                 page: int = 1, per_page: int = 50) -> AuditPage:
    """Newest first. `q` matches the actor, action or target. Reads only."""
    errors = {}
    if outcome not in (None, "", *OUTCOMES):
        errors["outcome"] = "must be ok or refused"
    _check_paging(errors, page, per_page, q)
    conditions = []
    if outcome:
        conditions.append(AuditEntry.outcome == outcome)
    if q and q.strip():
        like = f"%{q.strip().lower()}%"
        conditions.append(
            func.lower(AuditEntry.actor).like(like)
            | func.lower(AuditEntry.action).like(like)
            | func.lower(AuditEntry.target).like(like)
        )
    total = session.exec(select(func.count()).select_from(AuditEntry).where(*conditions)).one()
    rows = session.exec(
        select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    return AuditPage(list(rows), int(total))


@dataclass(frozen=True, slots=True)
class OrderChangesPage:
    rows: list[tuple[OrderEvent, int | None]]  # each event with its order's number
    total: int


def list_order_changes(session: Session, *, q: str | None = None, page: int = 1,
                       per_page: int = 50) -> OrderChangesPage:
    """The order events (every change to every order, by whom), newest first, for the
    audit page. `q` matches the actor, the event type or the order number. Reads only."""
    _check_paging({}, page, per_page, q)
    conditions = []
    text = (q or "").strip().lstrip("#").lower()
    if text:
        match = [func.lower(OrderEvent.actor).like(f"%{text}%"), OrderEvent.type.like(f"%{text}%")]
        if text.isdecimal() and len(text) < 12:
            match.append(Order.number == int(text))
        conditions.append(or_(*match))
    base = select(OrderEvent, Order.number).join(Order, Order.id == OrderEvent.order_id,
                                                 isouter=True).where(*conditions)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    rows = session.exec(base.order_by(OrderEvent.id.desc()).offset((page - 1) * per_page)
                        .limit(per_page)).all()
    return OrderChangesPage([(event, number) for event, number in rows], int(total))
