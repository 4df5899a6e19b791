"""The orders list: filters, search and pagination over services.queries.list_orders."""

from __future__ import annotations

from datetime import datetime

import reflex as rx

from dashboard.domain.accounts import STAFF_ROLES
from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import OrderStatus
from dashboard.domain.payments import PaymentMethod, PaymentStatus
from dashboard.domain.shipping import DeliveryMethod
from dashboard.services import integrations, orders
from dashboard.services.db import read_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.view import OrderRow, label, merchant_tz

ALL = "all"  # a Radix select item cannot have an empty value
PER_PAGE = 50
STATUS_OPTIONS = [(ALL, "All statuses")] + [(s.value, label(s.value)) for s in OrderStatus]
PAYMENT_OPTIONS = [(ALL, "All payments")] + [(s.value, label(s.value)) for s in PaymentStatus]
METHOD_OPTIONS = [(ALL, "All methods")] + [(m.value, label(m.value)) for m in PaymentMethod]
DELIVERY_OPTIONS = [(ALL, "Courier and pickup")] + [(m.value, label(m.value))
                                                     for m in DeliveryMethod]


def _choice(value: str, options: list[tuple[str, str]]) -> str:
    return value if any(value == v for v, _ in options) else ALL


class OrdersState(AuthState):
    rows: list[OrderRow] = []
    total: int = 0
    page: int = 1
    status: str = ALL
    payment_status: str = ALL
    q: str = ""
    payment_method: str = ALL
    delivery_method: str = ALL
    date_from: str = ""  # YYYY-MM-DD, merchant's time zone
    date_to: str = ""
    total_exact: bool = True  # False: more than `total` orders match (counting stops there)
    filter_error: str = ""
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
        return f"{first:,}–{last:,} of {self.total:,}{'' if self.total_exact else '+'}"

    @rx.var
    def filtered(self) -> bool:
        return (self.status != ALL or self.payment_status != ALL or bool(self.q)
                or self.payment_method != ALL or self.delivery_method != ALL
                or bool(self.date_from) or bool(self.date_to))

    def _search(self) -> orders.OrderSearch:
        """The list's filters as a search (the bulk bar selects "all matching" with it)."""
        def value(v: str) -> str | None:
            return None if v in (ALL, "") else v

        return orders.OrderSearch(
            q=self.q.strip() or None, status=value(self.status),
            payment_status=value(self.payment_status),
            payment_method=value(self.payment_method),
            delivery_method=value(self.delivery_method),
            date_from=value(self.date_from), date_to=value(self.date_to),
        )

    def _fetch(self) -> None:
        # Search as you type over a large shop: the total is counted up to a limit.
        self.filter_error = ""
        try:
            with read_session() as session:
                result = orders.search_orders(session, self._search(), page=self.page,
                                              per_page=PER_PAGE)
        except ValidationFailed as exc:
            self.filter_error = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
            self.rows, self.total, self.loaded = [], 0, True
            return
        tz = merchant_tz()
        self.rows = [OrderRow.from_service(r, tz) for r in result.rows]
        self.total, self.total_exact = result.total, result.total_exact
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
    def export(self, fmt: str):
        """The list's matching orders (its filters, its date range) as CSV or Excel."""
        try:
            with read_session() as session:
                name, data, media = integrations.export_orders(session, self._search(),
                                                               fmt=str(fmt))
        except ValidationFailed as exc:
            return rx.toast.error(exc.message)
        return rx.download(data=data, filename=name, mime_type=media)

    @rx.event
    @guarded(*STAFF_ROLES)
    def clear_filters(self):
        self.status = self.payment_status = self.payment_method = self.delivery_method = ALL
        self.q, self.page, self.date_from, self.date_to = "", 1, "", ""
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def go_to_page(self, page: int):
        self.page = min(max(1, int(page)), self.page_count)
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_payment_method(self, value: str):
        self.payment_method, self.page = _choice(value, METHOD_OPTIONS), 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_delivery_method(self, value: str):
        self.delivery_method, self.page = _choice(value, DELIVERY_OPTIONS), 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_date_from(self, value: str):
        self.date_from, self.page = str(value)[:10], 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_date_to(self, value: str):
        self.date_to, self.page = str(value)[:10], 1
        self._fetch()
