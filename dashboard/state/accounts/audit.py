"""The audit log (owners only): access and settings entries (sign-ins, refusals, people,
keys, wall links) or the order changes, newest first, with search; read only — there is
no handler that edits or deletes an entry, and the database refuses both."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

import reflex as rx

from dashboard.domain.accounts import OWNER_ONLY, AuditEntry
from dashboard.domain.orders import OrderEvent
from dashboard.services import accounts
from dashboard.services.db import read_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.clock import local
from dashboard.state.view import merchant_tz

PER_PAGE = 50
SOURCE_OPTIONS = [("access", "Access and settings"), ("orders", "Order changes")]
OUTCOME_OPTIONS = [("all", "Everything"), ("ok", "Allowed"), ("refused", "Refused")]


@dataclasses.dataclass
class AuditRow:
    date: str
    time: str
    actor: str
    actor_kind: str
    action: str
    outcome: str
    target: str
    source: str  # session #, API key #, kiosk #, and the client address
    detail: str


def _source(e: AuditEntry) -> str:
    ref = (f"session #{e.session_id}" if e.session_id else f"API key #{e.api_key_id}"
           if e.api_key_id else f"wall link #{e.kiosk_id}" if e.kiosk_id else "")
    return " · ".join(p for p in (ref, e.client) if p)


def _detail(values: dict | None) -> str:
    return ", ".join(f"{k}: {v if isinstance(v, str) else json.dumps(v)}"
                     for k, v in (values or {}).items() if v is not None)


def _row(e: AuditEntry) -> AuditRow:
    return AuditRow(local(e.created_at, "%d %b %Y"), local(e.created_at, "%H:%M:%S"), e.actor,
                    e.actor_kind, e.action, e.outcome, e.target, _source(e), _detail(e.detail))


def _order_row(e: OrderEvent, number: int | None) -> AuditRow:
    return AuditRow(local(e.created_at, "%d %b %Y"), local(e.created_at, "%H:%M:%S"), e.actor,
                    str(e.actor_kind), f"order.{e.type}", "ok",
                    f"#{number}" if number else "", "", _detail(e.parameters))


class AuditState(AuthState):
    rows: list[AuditRow] = []
    total: int = 0
    page: int = 1
    source: str = "access"
    outcome: str = "all"
    q: str = ""
    tz_name: str = ""
    loaded: bool = False

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    def _fetch(self) -> None:
        q = self.q.strip() or None
        with read_session() as session:  # rows are read before the session closes
            if self.source == "orders":
                found = accounts.list_order_changes(session, q=q, page=self.page, per_page=PER_PAGE)
                self.rows = [_order_row(e, number) for e, number in found.rows]
            else:
                found = accounts.list_entries(
                    session, outcome=None if self.outcome == "all" else self.outcome, q=q,
                    page=self.page, per_page=PER_PAGE)
                self.rows = [_row(e) for e in found.rows]
        self.total = found.total
        self.tz_name = datetime.now(merchant_tz()).strftime("%Z")
        self.loaded = True

    @rx.event
    @guarded(*OWNER_ONLY)
    def load(self):
        self._fetch()

    @rx.event
    @guarded(*OWNER_ONLY)
    def set_source(self, value: str):
        self.source = value if value in dict(SOURCE_OPTIONS) else "access"
        self.outcome, self.page = "all", 1
        self._fetch()

    @rx.event
    @guarded(*OWNER_ONLY)
    def set_outcome(self, value: str):
        self.outcome = value if value in dict(OUTCOME_OPTIONS) else "all"
        self.page = 1
        self._fetch()

    @rx.event
    @guarded(*OWNER_ONLY)
    def set_q(self, value: str):
        self.q, self.page = str(value)[:200], 1
        self._fetch()

    @rx.event
    @guarded(*OWNER_ONLY)
    def go_to_page(self, page: int):
        self.page = min(max(1, int(page)), self.page_count)
        self._fetch()
