"""The phone-order form (/phone-order): customer, address (checked), products with live
availability, delivery and payment; placed through `placing.place_order`, the same
service as the shop's checkout (stock committed, merchant email queued).

`?repeat=100234` starts from an earlier order (today's prices, availability shown);
`?customer=42` starts with a known customer.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal, InvalidOperation

import reflex as rx

from dashboard.domain.accounts import STAFF_ROLES
from dashboard.domain.customers import check_address
from dashboard.domain.errors import DomainError, InsufficientStock
from dashboard.domain.orders import Actor, AddressIn, CustomerIn, LineIn, OrderIn
from dashboard.domain.orders.inputs import MAX_NOTE, MAX_QUANTITY
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.services import customers, orders
from dashboard.services.db import read_session, write_session
from dashboard.services.orders import place_order
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.orders.detail import ADDRESS_FIELDS, FIELD_LABELS, Problem
from dashboard.state.view import money

DEFAULT_COUNTRY = "AU"
MAX_CART = 50


@dataclasses.dataclass
class CartLine:
    sku: str
    name: str
    price: str  # decimal string in `currency`
    currency: str
    quantity: int
    available: int
    short: bool
    line_total: str
    price_label: str = ""
    quantity_text: str = ""  # as typed, kept when refused so the agent can correct it
    quantity_error: str = ""


@dataclasses.dataclass
class Choice:
    id: int
    name: str
    email: str
    phone: str


def quantity_problem(text: str) -> str:
    """Why a typed quantity is refused; "" for a whole number from 1 to MAX_QUANTITY."""
    value = text.strip()
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_QUANTITY:
        return ""
    return f"Enter a whole number from 1 to {MAX_QUANTITY:,}; × removes the line."


def note_problem(note: str) -> str:
    if len(note) > MAX_NOTE:
        return f"The note has {len(note):,} characters; at most {MAX_NOTE:,} fit. Shorten it."
    return ""


def _blank_address() -> dict[str, str]:
    return {name: "" for name, _ in ADDRESS_FIELDS} | {"country": DEFAULT_COUNTRY}


class PhoneOrderState(AuthState):
    customer_name: str = ""
    customer_email: str = ""
    customer_phone: str = ""
    new_customer: bool = False
    customer_query: str = ""
    customer_results: list[Choice] = []
    address: dict[str, str] = _blank_address()
    address_checked: bool = False
    address_valid: bool = False
    address_problems: list[Problem] = []
    suggestion: str = ""
    product_query: str = ""
    product_results: list[dict[str, str]] = []
    cart: list[CartLine] = []
    delivery_method: str = DeliveryMethod.COURIER.value
    payment_method: str = PaymentMethod.BANK_TRANSFER.value
    shipping_price: str = "0.00"
    note: str = ""
    note_error: str = ""
    place_anyway: bool = False
    repeat_of: int = 0
    error: str = ""
    field_errors: dict[str, str] = {}
    _suggestion: dict[str, str] = {}
    _customer_id: int = 0

    def _actor(self) -> Actor:
        return self._principal.actor

    def _reset_form(self) -> None:
        self._customer_id, self.new_customer = 0, False
        self.customer_name = self.customer_email = self.customer_phone = ""
        self.customer_query, self.customer_results = "", []
        self.address = _blank_address()
        self._clear_check()
        self.product_query, self.product_results, self.cart = "", [], []
        self.delivery_method = DeliveryMethod.COURIER.value
        self.payment_method = PaymentMethod.BANK_TRANSFER.value
        self.shipping_price, self.note, self.place_anyway = "0.00", "", False
        self.note_error = ""
        self.repeat_of, self.error, self.field_errors = 0, "", {}

    def _clear_check(self) -> None:
        self.address_checked = self.address_valid = False
        self.address_problems, self.suggestion, self._suggestion = [], "", {}

    # --- loading ---------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def load(self):
        self._reset_form()
        params = self.router.url.query_parameters
        repeat, customer = params.get("repeat", ""), params.get("customer", "")
        try:
            if repeat.isdecimal() and len(repeat) < 11:
                self._start_from_repeat(int(repeat))
            elif customer.isdecimal() and len(customer) < 11:
                self._choose(int(customer))
        except DomainError as exc:
            self.error = exc.message
        return None

    def _start_from_repeat(self, number: int) -> None:
        with read_session() as s:
            draft = orders.repeat_order(s, number)
            match = customers.find_by_email(s, draft.customer_email)
            self._customer_id = match.id if match else 0  # read before the session ends
        self.repeat_of = draft.repeat_of
        self.customer_name, self.customer_email = draft.customer_name, draft.customer_email
        self.customer_phone = draft.customer_phone
        self.address = {**_blank_address(), **draft.shipping_address.as_dict()}
        self.delivery_method, self.payment_method = draft.delivery_method, draft.payment_method
        self.cart = [CartLine(x.sku, x.name, x.unit_price, draft.currency, x.quantity,
                              x.available, not x.ok, "") for x in draft.lines if x.for_sale]
        self._refresh_cart()
        self._check()
        gone = [x.sku for x in draft.lines if not x.for_sale]
        if gone:
            self.error = "No longer for sale, left out: " + ", ".join(gone)

    def _choose(self, customer_id: int) -> None:
        with read_session() as s:
            c = customers.get_customer(s, customer_id)
            address = customers.default_address(s, customer_id)
            self._customer_id, self.customer_name = c.id, c.name
            self.customer_email, self.customer_phone = c.email, c.phone or ""
        self.new_customer = False
        self.customer_query, self.customer_results = "", []
        if address is not None:
            self.address = {**_blank_address(), **address.as_dict()}
            self._check()

    # --- customer --------------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def search_customers(self, value: str):
        self.customer_query = str(value)[:200]
        with read_session() as s:
            found = customers.find_customers(s, self.customer_query, limit=8)
        self.customer_results = [Choice(c["id"], c["name"], c["email"], c["phone"])
                                 for c in found]
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def choose_customer(self, customer_id: int):
        try:
            self._choose(int(customer_id))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def start_new_customer(self):
        self.new_customer, self._customer_id = True, 0
        self.customer_name = self.customer_email = self.customer_phone = ""
        self.customer_results = []
        self.address = _blank_address()
        self._clear_check()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_customer_field(self, name: str, value: str):
        value = str(value)[:254]
        if name == "name":
            self.customer_name = value
            if not self.address.get("name"):
                self.address = {**self.address, "name": value}
        elif name == "email":
            self.customer_email = value
        elif name == "phone":
            self.customer_phone = value[:40]
        return None

    # --- address --------------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_address_field(self, name: str, value: str):
        if name in FIELD_LABELS:
            value = str(value)[:256]
            self.address = {**self.address, name: value.upper() if name == "country" else value}
            self._clear_check()
        return None

    def _address_in(self) -> AddressIn:
        return AddressIn(**{k: (self.address.get(k) or "").strip() for k, _ in ADDRESS_FIELDS})

    def _check(self) -> None:
        check = check_address(self._address_in())
        self.address_checked, self.address_valid = True, check.ok
        self.address_problems = [Problem(FIELD_LABELS.get(k, k), v)
                                 for k, v in check.problems.items()]
        self._suggestion = dict(check.suggestion or {})
        self.suggestion = ", ".join(
            f"{FIELD_LABELS.get(k, k)}: {v}" for k, v in self._suggestion.items()
            if v != (self.address.get(k) or "").strip())

    @rx.event
    @guarded(*STAFF_ROLES)
    def check_address(self):
        self._check()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def use_suggestion(self):
        if self._suggestion:
            self.address = {**self.address, **self._suggestion}
            self._check()
        return None

    # --- products -----------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def search_products(self, value: str):
        self.product_query = str(value)[:100]
        with read_session() as s:
            found = orders.find_products(s, self.product_query, limit=8)
        self.product_results = [{"sku": p["sku"], "name": p["name"],
                                 "price": money(p["price"], p["currency"]),
                                 "available": str(p["available"])} for p in found]
        return None

    def _add(self, sku: str, quantity: int = 1) -> str | None:
        with read_session() as s:
            found = [p for p in orders.find_products(s, sku, limit=5) if p["sku"] == sku
                     or p["barcode"] == sku]
        if not found:
            return f"No product for sale with SKU or barcode {sku}."
        p = found[0]
        if self.cart and p["currency"] != self.cart[0].currency:
            return f"{p['sku']} is priced in {p['currency']}; an order has one currency."
        for line in self.cart:
            if line.sku == p["sku"]:
                line.quantity, line.quantity_error = line.quantity + quantity, ""
                break
        else:
            if len(self.cart) >= MAX_CART:
                return f"At most {MAX_CART} different products by phone."
            self.cart.append(CartLine(p["sku"], p["name"], p["price"], p["currency"], quantity,
                                      p["available"], False, ""))
        self._refresh_cart()
        return None

    def _refresh_cart(self) -> None:
        """Availability read fresh for every line: it changes as the shop sells."""
        with read_session() as s:
            available = orders.availability(s, [line.sku for line in self.cart])
        for line in self.cart:
            line.available = available.get(line.sku, 0)
            line.short = line.quantity > line.available
            line.line_total = money(str(Decimal(line.price) * line.quantity), line.currency)
            line.price_label = money(line.price, line.currency)
            if not line.quantity_error:
                line.quantity_text = str(line.quantity)
        self.cart = list(self.cart)

    @rx.event
    @guarded(*STAFF_ROLES)
    def add_product(self, sku: str):
        problem = self._add(str(sku)[:64])
        self.product_query, self.product_results = "", []
        return rx.toast.error(problem) if problem else None

    @rx.event
    @guarded(*STAFF_ROLES)
    def scan(self, form: dict):
        """The search box's Enter: a scanned barcode or a typed SKU adds one unit."""
        code = str(form.get("code", "")).strip()[:64]
        if not code:
            return None
        problem = self._add(code)
        if problem and len(self.product_results) == 1:
            problem = self._add(self.product_results[0]["sku"])
        self.product_query, self.product_results = "", []
        return rx.toast.error(problem) if problem else None

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_line_quantity(self, sku: str, value: str):
        line = next((x for x in self.cart if x.sku == sku), None)
        if line is None:
            return None
        line.quantity_text = str(value)[:20]
        line.quantity_error = quantity_problem(line.quantity_text)
        if line.quantity_error:  # the line keeps its last good quantity until corrected
            self.cart = list(self.cart)
            return None
        line.quantity = int(line.quantity_text.strip())
        self._refresh_cart()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def remove_line(self, sku: str):
        self.cart = [line for line in self.cart if line.sku != sku]
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def refresh_availability(self):
        self._refresh_cart()
        return None

    # --- delivery, payment, placing ----------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_delivery_method(self, value: str):
        if value in {m.value for m in DeliveryMethod}:
            self.delivery_method = value
            if value != DeliveryMethod.PICKUP and self.payment_method == PaymentMethod.PAY_ON_PICKUP:
                self.payment_method = PaymentMethod.BANK_TRANSFER.value
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_payment_method(self, value: str):
        if value in {m.value for m in PaymentMethod}:
            self.payment_method = value
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_shipping_price(self, value: str):
        self.shipping_price = str(value)[:13]
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_note(self, value: str):
        self.note = str(value)  # whole, even when too long: the agent shortens it
        self.note_error = note_problem(self.note)
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_place_anyway(self, value: bool):
        self.place_anyway = bool(value)
        return None

    @rx.var
    def subtotal(self) -> str:
        if not self.cart:
            return ""
        total = sum((Decimal(line.price) * line.quantity for line in self.cart), Decimal(0))
        return money(str(total), self.cart[0].currency)

    @rx.var
    def any_short(self) -> bool:
        return any(line.short for line in self.cart)

    @rx.event
    @guarded(*STAFF_ROLES)
    def place(self):
        self.error, self.field_errors = "", {}
        if not self.cart:
            self.error = "Add at least one product."
            return None
        wrong = [line.sku for line in self.cart if line.quantity_error]
        if wrong:
            self.error = "Correct the quantity of " + ", ".join(wrong) + " first."
            return None
        self.note_error = note_problem(self.note)
        if self.note_error:
            self.error = self.note_error
            return None
        needs_address = self.delivery_method == DeliveryMethod.COURIER.value
        self._check()
        if needs_address and not self.address_valid and not self.place_anyway:
            self.error = ("The shipping address has problems (below). Correct it, or tick "
                          "“Place anyway” to place the order flagged for review.")
            return None
        try:
            Decimal(self.shipping_price or "0")
        except InvalidOperation:
            self.field_errors = {"shipping_price": "is not an amount"}
            self.error = "The shipping price is not an amount."
            return None
        order_in = OrderIn(
            customer=CustomerIn(email=self.customer_email.strip(),
                                name=self.customer_name.strip(),
                                phone=self.customer_phone.strip()),
            shipping_address=self._address_in(),
            lines=[LineIn(line.sku, line.quantity) for line in self.cart],
            payment_method=PaymentMethod(self.payment_method),
            delivery_method=DeliveryMethod(self.delivery_method),
            note=self.note.strip(), source="phone",
        )
        try:
            with write_session() as s:
                placed = place_order(s, actor=self._actor(), order_in=order_in,
                                     shipping_price=self.shipping_price or "0",
                                     repeat_of=self.repeat_of or None)
        except InsufficientStock as exc:
            self._refresh_cart()
            self.error = exc.message
            return None
        except DomainError as exc:
            self.error = exc.message
            self.field_errors = dict(exc.details.get("fields") or {})
            return None
        number = placed.number
        self._reset_form()
        return [rx.toast.success(f"Order #{number} placed."), rx.redirect(f"/orders/{number}")]
