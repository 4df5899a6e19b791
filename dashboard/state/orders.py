"""The orders list: filters, search and pagination over services.queries.list_orders."""

from __future__ import annotations

from datetime import datetime

import reflex as rx

from dashboard.domain.access import STAFF_ROLES
from dashboard.domain.enums import OrderStatus, PaymentStatus
from dashboard.services import queries
from dashboard.services.db import read_session
from dashboard.state.auth import AuthState
from dashboard.state.guard import guarded
from dashboard.state.view import OrderRow, label, merchant_tz

ALL = "all"  # a Radix select item cannot have an empty value
PER_PAGE = 50
STATUS_OPTIONS = [(ALL, "All statuses")] + [(s.value, label(s.value)) for s in OrderStatus]
PAYMENT_OPTIONS = [(ALL, "All payments")] + [(s.value, label(s.value)) for s in PaymentStatus]


def _choice(value: str, options: list[tuple[str, str]]) -> str:
    return value if any(value == v for v, _ in options) else ALL


class OrdersState(AuthState):
    rows: list[OrderRow] = []
    total: int = 0
    page: int = 1
    status: str = ALL
    payment_status: str = ALL
    q: str = ""
    tz_name: str = ""
    loaded: bool = False

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    @rx.var
    def range_label(self) -> str:
        if not self.total:
            return "No orders"
        first = (self.page - 1) * PER_PAGE + 1
        last = min(self.total, self.page * PER_PAGE)
        return f"{first:,}–{last:,} of {self.total:,}"

    @rx.var
    def filtered(self) -> bool:
        return self.status != ALL or self.payment_status != ALL or bool(self.q)

    def _fetch(self) -> None:
        with read_session() as session:
            rows, total = queries.list_orders(
                session,
                status=None if self.status == ALL else self.status,
                payment_status=None if self.payment_status == ALL else self.payment_status,
                q=self.q.strip() or None,
                page=self.page,
                per_page=PER_PAGE,
            )
        tz = merchant_tz()
        self.rows = [OrderRow.from_service(r, tz) for r in rows]
        self.total = total
        self.tz_name = datetime.now(tz).strftime("%Z")
        self.loaded = True

    @rx.event
    @guarded(*STAFF_ROLES)
    def load(self):
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_status(self, value: str):
        self.status, self.page = _choice(value, STATUS_OPTIONS), 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_payment_status(self, value: str):
        self.payment_status, self.page = _choice(value, PAYMENT_OPTIONS), 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_q(self, value: str):
        self.q, self.page = str(value)[:200], 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def clear_filters(self):
        self.status = self.payment_status = ALL
        self.q, self.page = "", 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def go_to_page(self, page: int):
        self.page = min(max(1, int(page)), self.page_count)
        self._fetch()
