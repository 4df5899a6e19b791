"""The customer database: list with search, and one customer's history and addresses."""

from __future__ import annotations

import dataclasses

import reflex as rx

from dashboard.domain.accounts import STAFF_ROLES
from dashboard.domain.errors import DomainError
from dashboard.domain.orders import Actor, AddressIn, CustomerIn
from dashboard.services import customers
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.orders.detail import ADDRESS_FIELDS
from dashboard.state.view import OrderRow, local_time, merchant_tz, money

PER_PAGE = 50


@dataclasses.dataclass
class CustomerRow:
    id: int
    name: str
    email: str
    phone: str
    orders: int
    value: str
    last_order: str


@dataclasses.dataclass
class AddressRow:
    id: int
    text: str
    default: bool


def _value(ltv: dict[str, str]) -> str:
    return " + ".join(money(v, c) for c, v in sorted(ltv.items())) or "—"


def _date(value, tz) -> str:
    return local_time(value, tz).strftime("%d %b %Y") if value else "—"


class CustomersState(AuthState):
    rows: list[CustomerRow] = []
    total_label: str = ""
    q: str = ""
    page: int = 1
    more: bool = False

    def _fetch(self) -> None:
        tz = merchant_tz()
        with read_session() as s:
            result = customers.list_customers(s, q=self.q or None, page=self.page,
                                              per_page=PER_PAGE)
        self.rows = [CustomerRow(r["id"], r["name"], r["email"], r["phone"], r["order_count"],
                                 _value(r["lifetime_value"]), _date(r["last_order_at"], tz))
                     for r in result.rows]
        plus = "" if result.total_exact else "+"
        self.total_label = f"{result.total:,}{plus} customers"
        self.more = self.page * PER_PAGE < result.total or not result.total_exact

    @rx.event
    @guarded(*STAFF_ROLES)
    def load(self):
        self._fetch()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_q(self, value: str):
        self.q, self.page = str(value)[:200], 1
        self._fetch()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def go_to_page(self, page: int):
        self.page = max(1, min(int(page), 100_000))
        self._fetch()
        return None


class CustomerDetailState(AuthState):
    found: bool = True
    phone_order_href: str = ""
    _customer_id: int = 0
    name: str = ""
    email: str = ""
    phone: str = ""
    since: str = ""
    order_count: int = 0
    value: str = ""
    last_order: str = ""
    first_order: str = ""
    addresses: list[AddressRow] = []
    orders: list[OrderRow] = []
    orders_total: int = 0
    editing: bool = False
    adding_address: bool = False

    def _actor(self) -> Actor:
        return self._principal.actor

    def _read(self) -> None:
        tz = merchant_tz()
        try:
            with read_session() as s:
                d = customers.customer_detail(s, self._customer_id, per_page=50)
        except DomainError:
            self.found = False
            return
        self.found = True
        self.name, self.email, self.phone = d["name"], d["email"], d["phone"]
        self.since = _date(d["created_at"], tz)
        self.order_count, self.value = d["order_count"], _value(d["lifetime_value"])
        self.last_order, self.first_order = _date(d["last_order_at"], tz), _date(
            d["first_order_at"], tz)
        self.addresses = [AddressRow(a["id"], ", ".join(
            a[k] for k, _ in ADDRESS_FIELDS if a.get(k) and k != "phone"), a["default"])
            for a in d["addresses"]]
        self.orders = [OrderRow.from_service(o, tz) for o in d["orders"]]
        self.orders_total = d["orders_total"]

    @rx.event
    @guarded(*STAFF_ROLES)
    def load(self):
        last = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.editing = self.adding_address = False
        if not (last.isdecimal() and len(last) < 11):
            self.found = False
            return None
        self._customer_id = int(last)
        self.phone_order_href = f"/phone-order?customer={last}"
        self._read()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def toggle_edit(self, value: bool):
        self.editing = bool(value)
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def toggle_add_address(self, value: bool):
        self.adding_address = bool(value)
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def save(self, form: dict):
        try:
            with write_session() as s:
                customers.update_customer(s, actor=self._actor(), customer_id=self._customer_id,
                                          customer=CustomerIn(str(form.get("email", "")),
                                                              str(form.get("name", "")),
                                                              str(form.get("phone", ""))))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.editing = False
        self._read()
        return rx.toast.success("Customer saved.")

    @rx.event
    @guarded(*STAFF_ROLES)
    def add_address(self, form: dict):
        address = AddressIn(**{k: str(form.get(k, "") or "").strip()[:256]
                               for k, _ in ADDRESS_FIELDS})
        try:
            with write_session() as s:
                customers.save_address(s, actor=self._actor(), customer_id=self._customer_id,
                                       address=address,
                                       make_default=bool(form.get("make_default")))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.adding_address = False
        self._read()
        return rx.toast.success("Address saved.")

    @rx.event
    @guarded(*STAFF_ROLES)
    def make_default(self, address_id: int):
        try:
            with read_session() as s:
                current = [a for a in customers.address_book(s, self._customer_id)
                           if a["id"] == int(address_id)]
            if not current:
                return rx.toast.error("No such address.")
            fields = {k: current[0][k] for k, _ in ADDRESS_FIELDS}
            with write_session() as s:
                customers.save_address(s, actor=self._actor(), customer_id=self._customer_id,
                                       address=AddressIn(**fields), address_id=int(address_id),
                                       make_default=True)
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self._read()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def delete_address(self, address_id: int):
        try:
            with write_session() as s:
                customers.delete_address(s, actor=self._actor(), customer_id=self._customer_id,
                                         address_id=int(address_id))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self._read()
        return None
