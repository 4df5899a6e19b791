"""Receiving and reordering on the Stock page: book a supplier's delivery in (scanned or
typed lines), set a product's reorder point, the list of products to reorder. Staff and
owners; every handler is guarded."""

from __future__ import annotations

import dataclasses

import reflex as rx

from dashboard.domain.accounts import STAFF_ROLES
from dashboard.domain.errors import DomainError
from dashboard.services import stock
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.guard import guarded
from dashboard.state.stock.stock import StockState


@dataclasses.dataclass
class ReorderLine:
    sku: str
    name: str
    free: int
    point: int


def _fields(error: DomainError) -> str:
    fields = (error.details or {}).get("fields") or {}
    return "; ".join(f"{k}: {v}" for k, v in fields.items())


class ReceivingState(StockState):
    receive_open: bool = False
    receive_error: str = ""
    reorder_open: bool = False
    reorder: list[ReorderLine] = []
    point_error: str = ""

    @rx.event
    @guarded(*STAFF_ROLES)
    def start_receiving(self):
        self.receive_open, self.receive_error = True, ""

    @rx.event
    @guarded(*STAFF_ROLES)
    def receive_open_change(self, is_open: bool):
        self.receive_open = bool(is_open) and self.receive_open

    @rx.event
    @guarded(*STAFF_ROLES)
    async def confirm_receiving(self, form: dict):
        form = form or {}
        try:
            lines = stock.parse_lines(str(form.get("lines", ""))[:20000])
            with write_session() as session:
                delivery = stock.receive_delivery(
                    session, actor=self._principal.actor, supplier=str(form.get("supplier", "")),
                    reference=str(form.get("reference", "")), lines=lines)
        except DomainError as error:
            self.receive_error = " ".join(p for p in (error.message, _fields(error)) if p)
            return None
        self.receive_open, self.receive_error = False, ""
        parent = await self.get_state(StockState)
        parent._fetch()
        return rx.toast.success(f"Delivery {delivery.reference}: {delivery.units} units of "
                                f"{len(delivery.lines)} products booked in")

    @rx.event
    @guarded(*STAFF_ROLES)
    def open_reorder(self):
        with read_session() as session:
            rows = stock.low_stock(session)
        self.reorder = [ReorderLine(r["sku"], r["name"], r["free"], r["point"]) for r in rows]
        self.reorder_open = True

    @rx.event
    @guarded(*STAFF_ROLES)
    def reorder_open_change(self, is_open: bool):
        self.reorder_open = bool(is_open) and self.reorder_open

    @rx.event
    @guarded(*STAFF_ROLES)
    async def set_point(self, form: dict):
        parent = await self.get_state(StockState)
        if parent.detail is None:
            return None
        raw = str((form or {}).get("reorder_point", "")).strip()
        if raw and not raw.isdecimal():
            self.point_error = "A whole number of units, or empty for the shop's threshold."
            return None
        try:
            with write_session() as session:
                stock.set_reorder_point(session, actor=self._principal.actor,
                                        sku=parent.detail.sku, point=int(raw) if raw else None)
        except DomainError as error:
            self.point_error = error.message
            return None
        self.point_error = ""
        parent._fetch()
        return rx.toast.success(f"{parent.detail.sku}: reorder at "
                                + (f"{raw} free" if raw else "the shop's low threshold"))
