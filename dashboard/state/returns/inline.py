"""The order page's inline "Return / exchange" of one line, and its surcharge form: the
choices held here, a preview from the returns service after every change (value,
refundable amount, stock effect), and one service call to save. Staff and owners only,
checked in every handler."""

from __future__ import annotations

import reflex as rx

from dashboard.domain import money as money_units
from dashboard.domain.accounts import STAFF_ROLES
from dashboard.domain.errors import DomainError
from dashboard.domain.returns import ReturnLineIn
from dashboard.services import returns
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.guard import guarded
from dashboard.state.orders import OrderViewState

REASONS = ["damaged", "wrong_item", "changed_mind", "not_received", "other"]
RESOLUTIONS = ["credit", "refund", "none"]
SURCHARGE_KINDS = ["shipping_change", "extra_labour", "other"]


class ReturnState(OrderViewState):
    return_line: int = 0  # the line being returned (0: the form is closed)
    return_sku: str = ""
    return_name: str = ""
    return_max: int = 0
    return_qty: str = "1"
    return_reason: str = "damaged"
    return_reason_text: str = ""
    return_restock: str = "restock"  # restock, write_off, later
    return_resolution: str = "credit"
    preview_value: str = ""
    preview_refundable: str = ""
    preview_stock: str = ""
    return_error: str = ""
    surcharge_open: bool = False
    surcharge_error: str = ""

    def _line_in(self) -> ReturnLineIn:
        qty = int(self.return_qty) if self.return_qty.strip().isdigit() else 0
        restock = {"restock": True, "write_off": False}.get(self.return_restock)
        return ReturnLineIn(self.return_line, qty, self.return_reason,
                            self.return_reason_text or None, restock)

    def _preview(self) -> None:
        self.return_error = self.preview_value = self.preview_refundable = ""
        self.preview_stock = ""
        try:
            with read_session() as s:
                p = returns.preview_return(s, number=self.number, lines=[self._line_in()],
                                           resolution=self.return_resolution,
                                           received=self.return_restock != "later")
        except DomainError as exc:
            self.return_error = exc.message
            return
        cur = p.currency
        self.preview_value = money_units.display(
            sum(x["amount_minor"] for x in p.lines), cur)
        self.preview_refundable = money_units.display(
            p.refundable_minor if self.return_resolution != "none" else 0, cur)
        units = p.stock.get(self.return_sku, 0)
        self.preview_stock = (f"on hand +{units} ({self.return_sku})" if units
                              else "decided when the goods arrive"
                              if self.return_restock == "later" else "written off: no change")

    @rx.event
    @guarded(*STAFF_ROLES)
    def open_return(self, line_id: int):
        found = [x for x in self.lines if x.id == line_id]
        if not found:
            return None
        line = found[0]
        self.return_line, self.return_sku, self.return_name = line.id, line.sku, line.name
        self.return_max = line.shipped - line.returned
        self.return_qty, self.return_reason, self.return_reason_text = "1", "damaged", ""
        self.return_restock, self.return_resolution = "restock", "credit"
        self._preview()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def close_return(self):
        self.return_line, self.return_error = 0, ""

    @rx.event
    @guarded(*STAFF_ROLES)
    def return_open_change(self, is_open: bool):
        if not is_open:
            self.return_line, self.return_error = 0, ""

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_return_field(self, field: str, value: str):
        allowed = {"qty": "return_qty", "reason": "return_reason",
                   "reason_text": "return_reason_text", "restock": "return_restock",
                   "resolution": "return_resolution"}
        if field not in allowed or not isinstance(value, str) or len(value) > 500:
            return None
        setattr(self, allowed[field], value)
        if self.return_line:
            self._preview()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def save_return(self):
        """Save the return in one transaction: received at once (restock or write off) or
        authorised with an RMA when the goods are still to come."""
        line, received = self._line_in(), self.return_restock != "later"

        def act():
            with write_session() as s:
                returns.create_return(s, actor=self._actor(), number=self.number, lines=[line],
                                      resolution=self.return_resolution, received=received)
        result = self._do(act, "Return saved." if received else "Return authorised.")
        if not self.error:
            self.return_line = 0
        else:
            self.return_error = self.error
        return result

    @rx.event
    @guarded(*STAFF_ROLES)
    def surcharge_open_change(self, is_open: bool):
        self.surcharge_open, self.surcharge_error = bool(is_open), ""

    @rx.event
    @guarded(*STAFF_ROLES)
    def add_surcharge(self, form: dict):
        facts = {k: str(form.get(k) or "")[:500] for k in ("amount", "kind", "reason")}

        def act():
            with write_session() as s:
                returns.add_surcharge(s, actor=self._actor(), number=self.number, **facts)
        result = self._do(act, "Surcharge added.")
        if not self.error:
            self.surcharge_open = False
        else:
            self.surcharge_error = self.error
        return result
