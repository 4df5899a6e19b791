"""The order page (/orders/[number]): what to show, and the desk's actions on one order.

Every handler checks the caller first, then calls one service; the page is re-read from
the database after each change, so what the agent sees is what was committed.
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlalchemy.exc import OperationalError

from dashboard.domain import money as money_units
from dashboard.domain.accounts import STAFF_ROLES
from dashboard.domain.customers import AddressStatus
from dashboard.domain.errors import DomainError
from dashboard.domain.orders import Actor, AddressIn
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod, shipping_facts
from dashboard.services import customers, orders, shipping
from dashboard.services.customers import addresses
from dashboard.services.db import read_session, write_session
from dashboard.services.orders import detail as order_view
from dashboard.services.orders import edits, notes, search
from dashboard.services.payments import confirm as payment_service
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.orders.timeline import describe
from dashboard.state.shipping.ship_form import ShipLineView, form_facts, ship_line_views
from dashboard.state.view import label, local_time, merchant_tz, money

ADDRESS_FIELDS = [
    ("name", "Name"), ("company", "Company"), ("street_address_1", "Street address"),
    ("street_address_2", "Address line 2"), ("city", "City / suburb"),
    ("city_area", "District"), ("country_area", "State / region"),
    ("postal_code", "Postcode"), ("country", "Country (2 letters)"), ("phone", "Phone"),
]
FIELD_LABELS = dict(ADDRESS_FIELDS)


@dataclasses.dataclass
class LineView:
    id: int
    sku: str
    name: str
    unit_price: str
    quantity: int
    shipped: int
    returned: int
    total: str
    shipping: str = "unshipped"  # unshipped, part, shipped, returned


@dataclasses.dataclass
class PaymentView:
    method: str
    status: str
    amount: str
    reference: str
    card: str
    by: str
    when: str


@dataclasses.dataclass
class ShipmentView:
    carrier: str
    tracking: str
    contents: str
    by: str
    when: str
    id: int = 0
    carrier_value: str = ""  # what the tracking correction starts from
    tracking_value: str = ""


@dataclasses.dataclass
class NoteView:
    id: int
    author: str
    body: str
    pinned: bool
    mine: bool
    when: str
    edited: str


@dataclasses.dataclass
class EventView:
    id: int
    title: str
    detail: str
    actor: str
    when: str
    kind: str


@dataclasses.dataclass
class Problem:
    field: str
    text: str


@dataclasses.dataclass
class CustomerChoice:
    id: int
    name: str
    email: str


def _when(value, tz) -> str:
    return local_time(value, tz).strftime("%d %b %Y, %H:%M") if value else ""


def _number_from_path(path: str) -> int | None:
    last = (path or "").rstrip("/").rsplit("/", 1)[-1]
    return int(last) if last.isdecimal() and len(last) < 11 else None


class OrderViewState(AuthState):
    number: int = 0
    found: bool = True
    status: str = ""
    payment_status: str = ""
    payment_method: str = ""
    payment_method_code: str = ""  # the value the methods dialog starts from
    delivery_method: str = ""
    payment_flag: str = ""
    hold_reason: str = ""
    cancel_reason: str = ""
    customer_note: str = ""
    source: str = ""
    placed: str = ""
    tz_name: str = ""
    subtotal: str = ""
    shipping: str = ""
    total: str = ""
    customer_href: str = ""
    customer_name: str = ""
    customer_email: str = ""
    customer_phone: str = ""
    assignee: str = ""
    edit_refusal: str = ""
    can_take_over: bool = False
    can_cancel: bool = False
    can_mark_paid: bool = False
    can_ship: bool = False
    lines: list[LineView] = []
    payments: list[PaymentView] = []
    shipments: list[ShipmentView] = []
    notes: list[NoteView] = []
    events: list[EventView] = []
    address: dict[str, str] = {}
    address_status: str = ""
    address_problems: list[Problem] = []
    suggestion: str = ""
    override_reason: str = ""
    label_block: str = ""
    address_editable: bool = False
    billing: str = ""
    # forms
    ship_open: bool = False
    ship_rows: list[ShipLineView] = []
    ship_errors: dict[str, str] = {}
    editing_shipment: int = 0  # the shipment whose tracking is being corrected (0: none)
    tracking_errors: dict[str, str] = {}
    tracking_carrier: str = ""  # the correction dialog starts from the shipment's own
    tracking_number: str = ""
    editing_address: bool = False
    editing_note: int = 0
    add_sku: str = ""
    product_results: list[dict[str, str]] = []
    customer_query: str = ""
    customer_results: list[CustomerChoice] = []
    message: str = ""
    error: str = ""
    _suggestion: dict[str, str] = {}
    _customer_id: int = 0
    _actor_label: str = ""

    # --- reading ----------------------------------------------------------------------

    def _actor(self) -> Actor:
        return self._principal.actor

    def _read(self) -> None:
        tz = merchant_tz()
        try:
            with read_session() as session:
                view = order_view.order_view(session, self.number)
        except DomainError:
            self.found = False
            return
        self.found = True
        cur = view["currency"]
        self.status, self.payment_status = view["status"], view["payment_status"]
        self.payment_method = label(view["payment_method"])
        self.payment_method_code = view["payment_method"]
        self.delivery_method = view["delivery_method"]
        self.payment_flag = view["payment_flag"] or ""
        self.hold_reason = view["hold_reason"] or ""
        self.cancel_reason = view["cancel_reason"] or ""
        self.customer_note = view["customer_note"] or ""
        self.source = view["source"]
        self.placed = _when(view["placed_at"], tz)
        self.tz_name = local_time(view["placed_at"], tz).strftime("%Z")
        self.subtotal = money_units.display(view["subtotal_minor"], cur)
        self.shipping = money_units.display(view["shipping_minor"], cur)
        self.total = money_units.display(view["total_minor"], cur)
        c = view["customer"]
        self._customer_id, self.customer_name = c["id"], c["name"]
        self.customer_href = f"/customers/{c['id']}"
        self.customer_email, self.customer_phone = c["email"], c["phone"]
        self.assignee = view["assignee"] or ""
        self.edit_refusal = view["edit_refusal"] or ""
        self.can_take_over, self.can_cancel = view["can_take_over"], view["can_cancel"]
        self.can_mark_paid, self.can_ship = view["can_mark_paid"], view["can_ship"]
        self.lines = [LineView(x["id"], x["sku"], x["name"],
                               money_units.display(x["unit_price_minor"], cur),
                               x["quantity"], x["quantity_shipped"], x["quantity_returned"],
                               money_units.display(x["line_total_minor"], cur),
                               x["shipping_status"])
                      for x in view["lines"]]
        self.ship_rows = ship_line_views(view["lines"])
        self.payments = [PaymentView(label(p["method"]), label(p["status"]),
                                     money_units.display(p["amount_minor"], p["currency"]),
                                     p["reference"],
                                     p["card"], p["recorded_by"], _when(p["created_at"], tz))
                         for p in view["payments"]]
        self.shipments = [ShipmentView(
            s["carrier"] or "No carrier", s["tracking_number"] or "no tracking",
            ", ".join(f"{x['sku']} × {x['quantity']}" for x in s["lines"]), s["shipped_by"],
            _when(s["shipped_at"], tz), s["id"], s["carrier"], s["tracking_number"])
            for s in view["shipments"]]
        self.notes = [NoteView(n["id"], n["author"], n["body"], n["pinned"],
                               n["author"] == self._principal.label, _when(n["created_at"], tz),
                               _when(n["updated_at"], tz)) for n in view["notes"]]
        self.events = []
        for e in view["events"]:
            title, detail = describe(e["type"], e["parameters"], cur)
            self.events.append(EventView(e["id"], title, detail, e["actor"],
                                         _when(e["created_at"], tz), e["type"]))
        review = view["shipping_address"]
        self.address = dict(review["address"])
        self.address_status = review["status"]
        self.address_problems = [Problem(FIELD_LABELS.get(k, k), v)
                                 for k, v in review["problems"].items()]
        self._suggestion = dict(review["suggestion"] or {})
        self.suggestion = ", ".join(
            f"{FIELD_LABELS.get(k, k)}: {v}" for k, v in self._suggestion.items()
            if v != review["address"].get(k, "")
        )
        self.override_reason = review["override_reason"] or ""
        self.label_block = review["label_block"] or ""
        self.address_editable = review["editable"]
        b = view["billing_address"]
        self.billing = ", ".join(v for k, v in b.items() if v and k != "phone") if b else ""

    def _do(self, action, success: str):
        """Run one service call; say what happened; re-read the order either way."""
        self.message = self.error = ""
        try:
            action()
        except DomainError as exc:
            self.error = exc.message
            self._read()
            return rx.toast.error(exc.message)
        except OperationalError:  # e.g. a deadlock with a concurrent change: rolled back
            self.error = "The order was being changed elsewhere; nothing was kept. Try again."
            self._read()
            return rx.toast.error(self.error)
        self.message = success
        self._read()
        return rx.toast.success(success)

    @rx.event
    @guarded(*STAFF_ROLES)
    def load(self):
        number = _number_from_path(self.router.url.path)
        self.number = number or 0
        self.editing_address, self.editing_note = False, 0
        self.message = self.error = self.add_sku = self.customer_query = ""
        self.product_results, self.customer_results = [], []
        if number is None:
            self.found = False
            return None
        self._read()
        return None

    # --- lines -----------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_quantity(self, form: dict):
        try:
            line_id = int(form.get("line_id", 0))
            quantity = int(str(form.get("quantity", "")).strip())
        except ValueError:
            return rx.toast.error("Enter a whole number.")

        def act():
            with write_session() as s:
                edits.change_quantity(s, actor=self._actor(), number=self.number,
                                            line_id=int(line_id), quantity=quantity)
        return self._do(act, f"Quantity changed to {quantity}.")

    @rx.event
    @guarded(*STAFF_ROLES)
    def remove_line(self, line_id: int):

        def act():
            with write_session() as s:
                edits.remove_line(s, actor=self._actor(), number=self.number,
                                        line_id=int(line_id))
        return self._do(act, "Line removed; its stock is released.")

    @rx.event
    @guarded(*STAFF_ROLES)
    def search_products(self, value: str):
        self.add_sku = str(value)[:100]
        with read_session() as s:
            found = search.find_products(s, self.add_sku, limit=8)
        self.product_results = [{"sku": p["sku"], "name": p["name"],
                                 "price": money(p["price"], p["currency"]),
                                 "available": str(p["available"])} for p in found]
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def add_line(self, form: dict):
        sku = str(form.get("sku", "")).strip()
        try:
            quantity = int(str(form.get("quantity", "1")).strip() or "1")
        except ValueError:
            return rx.toast.error("Enter a whole number.")

        def act():
            with write_session() as s:
                edits.add_line(s, actor=self._actor(), number=self.number, sku=sku,
                                     quantity=quantity)
        result = self._do(act, f"Added {quantity} × {sku}.")
        if not self.error:
            self.add_sku, self.product_results = "", []
        return result

    @rx.event
    @guarded(*STAFF_ROLES)
    def pick_product(self, sku: str):
        self.add_sku, self.product_results = str(sku)[:64], []
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def override_price(self, form: dict):
        line_id = int(form.get("line_id", 0) or 0)
        price, reason = str(form.get("unit_price", "")).strip(), str(form.get("reason", ""))

        def act():
            with write_session() as s:
                edits.override_price(s, actor=self._actor(), number=self.number,
                                           line_id=line_id, unit_price=price, reason=reason)
        return self._do(act, f"Price changed to {price}.")

    # --- notes -----------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def add_note(self, form: dict):
        body = str(form.get("body", ""))

        def act():
            with write_session() as s:
                orders.add_note(s, actor=self._actor(), number=self.number, body=body)
        result = self._do(act, "Note added.")
        if self.error:  # refused: the box keeps the text for the agent to correct
            return result
        return [result, rx.set_value("note-body", "")]

    @rx.event
    @guarded(*STAFF_ROLES)
    def start_note_edit(self, note_id: int):
        self.editing_note = int(note_id)
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def cancel_note_edit(self):
        self.editing_note = 0
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def save_note(self, form: dict):
        note_id, body = self.editing_note, str(form.get("body", ""))

        def act():
            with write_session() as s:
                notes.edit_note(s, actor=self._actor(), number=self.number, note_id=note_id,
                                body=body)
        result = self._do(act, "Note saved.")
        if not self.error:
            self.editing_note = 0
        return result

    @rx.event
    @guarded(*STAFF_ROLES)
    def toggle_pin(self, note_id: int, pinned: bool):

        def act():
            with write_session() as s:
                notes.pin_note(s, actor=self._actor(), number=self.number, note_id=int(note_id),
                               pinned=not bool(pinned))
        return self._do(act, "Note unpinned." if pinned else "Note pinned.")

    # --- address ----------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def verify_address(self):

        def act():
            with write_session() as s:
                addresses.verify_order_address(s, actor=self._actor(), number=self.number)
        return self._do(act, "Address checked.")

    @rx.event
    @guarded(*STAFF_ROLES)
    def edit_address(self, editing: bool):
        self.editing_address = bool(editing)
        return None

    def _save_address(self, values: dict) -> rx.event.EventSpec:
        address = AddressIn(**{k: str(values.get(k, "") or "").strip()[:256]
                               for k, _ in ADDRESS_FIELDS})

        def act():
            with write_session() as s:
                check = addresses.edit_order_address(s, actor=self._actor(),
                                                     number=self.number, address=address)
            if not check.ok:
                self.message = "Saved, but the address still has problems."
        result = self._do(act, "Address saved and checked.")
        if not self.error:
            self.editing_address = False
        return result

    @rx.event
    @guarded(*STAFF_ROLES)
    def save_address(self, form: dict):
        return self._save_address({**self.address, **form})

    @rx.event
    @guarded(*STAFF_ROLES)
    def accept_suggestion(self):
        if not self._suggestion:
            return rx.toast.info("Nothing to change.")
        return self._save_address(self._suggestion)

    @rx.event
    @guarded(*STAFF_ROLES)
    def override_address(self, form: dict):
        reason = str(form.get("reason", ""))

        def act():
            with write_session() as s:
                addresses.override_address(s, actor=self._actor(), number=self.number,
                                           reason=reason)
        return self._do(act, "Address accepted as it is; labels are no longer blocked.")

    # --- order actions -------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def take_over(self):

        def act():
            with write_session() as s:
                edits.take_over(s, actor=self._actor(), number=self.number)
        return self._do(act, "You have taken this order over.")

    @rx.event
    @guarded(*STAFF_ROLES)
    def change_methods(self, form: dict):
        pay, delivery = str(form.get("payment_method", "")), str(form.get("delivery_method", ""))
        if pay not in {m.value for m in PaymentMethod} or delivery not in {
                m.value for m in DeliveryMethod}:
            return rx.toast.error("Choose a payment and a delivery method.")
        if (pay, delivery) == (self.payment_method_code, self.delivery_method):
            return rx.toast.info("Nothing to change.")

        def act():
            with write_session() as s:
                edits.change_methods(s, actor=self._actor(), number=self.number,
                                           payment_method=PaymentMethod(pay),
                                           delivery_method=DeliveryMethod(delivery))
        return self._do(act, "Payment and delivery updated.")

    @rx.event
    @guarded(*STAFF_ROLES)
    def mark_paid(self, form: dict):
        reference = str(form.get("reference", "")).strip()[:200] or None

        def act():
            with write_session() as s:
                result = payment_service.mark_paid(s, actor=self._actor(),
                                                   numbers=[self.number], reference=reference)
            if self.number not in result.done:
                raise edits.OrderLocked(result.skipped.get(self.number, "Not paid."))
        return self._do(act, "Marked paid.")

    @rx.event
    @guarded(*STAFF_ROLES)
    def cancel_order(self, form: dict):
        reason = str(form.get("reason", "")).strip()[:500]

        def act():
            with write_session() as s:
                orders.cancel_order(s, actor=self._actor(), number=self.number, reason=reason)
        return self._do(act, "Order cancelled; its stock is released.")

    @rx.event
    @guarded(*STAFF_ROLES)
    def search_customers(self, value: str):
        self.customer_query = str(value)[:200]
        with read_session() as s:
            found = customers.find_customers(s, self.customer_query, limit=6)
        self.customer_results = [CustomerChoice(c["id"], c["name"], c["email"]) for c in found
                                 if c["id"] != self._customer_id]
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def change_customer(self, customer_id: int):

        def act():
            with write_session() as s:
                edits.change_customer(s, actor=self._actor(), number=self.number,
                                            customer_id=int(customer_id))
        result = self._do(act, "The order now belongs to the chosen customer.")
        self.customer_query, self.customer_results = "", []
        return result

    # --- shipping ---------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def ship_open_change(self, is_open: bool):
        self.ship_open, self.ship_errors = bool(is_open) and self.can_ship, {}
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def ship(self, form: dict):
        """Ship the units the dialog names, with carrier and tracking (or none)."""
        facts, errors = shipping_facts(form_facts(form))
        if errors:
            self.ship_errors = errors
            return None

        def act():
            with write_session() as s:
                shipping.ship_lines(s, actor=self._actor(), number=self.number,
                                    quantities=facts.quantities, carrier=facts.carrier,
                                    tracking_number=facts.tracking_number,
                                    notify_customer=facts.email_customer)
        result = self._do(act, "Shipped.")
        if not self.error:
            self.ship_open, self.ship_errors = False, {}
        return result

    @rx.event
    @guarded(*STAFF_ROLES)
    def edit_tracking(self, shipment: int):
        found = [s for s in self.shipments if s.id == shipment]
        if not found:
            return None
        self.editing_shipment, self.tracking_errors = found[0].id, {}
        self.tracking_carrier, self.tracking_number = found[0].carrier_value, found[0].tracking_value
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def tracking_open_change(self, is_open: bool):
        if not is_open:
            self.editing_shipment, self.tracking_errors = 0, {}
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def save_tracking(self, form: dict):
        facts, shipment = form_facts(form), self.editing_shipment
        if not shipment:
            return None

        def act():
            with write_session() as s:
                shipping.edit_tracking(
                    s, actor=self._actor(), number=self.number, shipment_id=shipment,
                    carrier=facts.get("carrier"), tracking_number=facts.get("tracking_number"),
                    notify_customer=facts.get("email_customer") in (True, "on", "true"))
        result = self._do(act, "Tracking updated.")
        if self.error:
            self.tracking_errors = {"tracking_number": self.error}
        else:
            self.editing_shipment, self.tracking_errors = 0, {}
        return result

    @rx.var
    def address_ok(self) -> bool:
        return self.address_status in (AddressStatus.VALID.value, AddressStatus.OVERRIDDEN.value)

    @rx.var
    def editable(self) -> bool:
        return self.edit_refusal == "" and self.found
