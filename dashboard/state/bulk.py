"""Bulk selection on the orders list and the actions on it (services.bulk).

The selection is a set of order numbers kept on the server: ticked one by one, a whole
page, or every order matching the list's filters (up to the bulk limit). The result of
an action lists each order with what happened or why not.
"""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from dashboard.domain.access import STAFF_ROLES
from dashboard.domain.errors import DomainError
from dashboard.services import bulk, search
from dashboard.services.db import read_session, write_session
from dashboard.services.documents import batches
from dashboard.state.auth import AuthState
from dashboard.state.guard import guarded
from dashboard.state.orders import OrdersState

ACTIONS = [
    (bulk.BulkAction.MARK_PAID.value, "Mark paid"),
    (bulk.BulkAction.MARK_SHIPPED.value, "Mark shipped"),
    (bulk.BulkAction.CANCEL.value, "Cancel"),
    (bulk.BulkAction.NOTE.value, "Add a note"),
]
ACTION_LABELS = dict(ACTIONS)
PRINT_KINDS = [("packing_slip", "Packing slips"), ("pick_list", "Pick lists"),
               ("invoice", "Invoices")]


@dataclasses.dataclass
class OutcomeRow:
    number: str
    ok: bool
    message: str


class BulkState(AuthState):
    selected: list[str] = []
    action: str = ""  # the dialog open for this action ("" = closed)
    running: bool = False
    outcomes: list[OutcomeRow] = []
    summary: str = ""
    printing: bool = False
    print_state: str = ""  # what the document batch is doing, for the person waiting
    print_link: str = ""  # the finished PDF

    @rx.var
    def count(self) -> int:
        return len(self.selected)

    @rx.var
    def dialog_title(self) -> str:
        return ACTION_LABELS.get(self.action, "")

    @rx.event
    @guarded(*STAFF_ROLES)
    def toggle(self, number: str):
        number = str(number)
        if not number.isdecimal():
            return
        if number in self.selected:
            self.selected = [n for n in self.selected if n != number]
        elif len(self.selected) < bulk.MAX_ORDERS:
            self.selected = [*self.selected, number]

    @rx.event
    @guarded(*STAFF_ROLES)
    async def toggle_page(self):
        orders = await self.get_state(OrdersState)
        page = [row.number for row in orders.rows]
        if page and all(n in self.selected for n in page):
            self.selected = [n for n in self.selected if n not in page]
        else:
            self.selected = list(dict.fromkeys([*self.selected, *page]))[:bulk.MAX_ORDERS]

    @rx.event
    @guarded(*STAFF_ROLES)
    async def select_all_matching(self):
        orders = await self.get_state(OrdersState)
        try:
            with read_session() as session:
                numbers = search.matching_numbers(session, orders._search(),
                                                  limit=bulk.MAX_ORDERS)
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.selected = [str(n) for n in numbers]
        if len(numbers) == bulk.MAX_ORDERS:
            return rx.toast.info(f"Selected the newest {bulk.MAX_ORDERS:,} matching orders.")
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def clear(self):
        self.selected, self.outcomes, self.summary = [], [], ""

    @rx.event
    @guarded(*STAFF_ROLES)
    def open_action(self, action: str):
        self.action = action if action in ACTION_LABELS else ""
        self.outcomes, self.summary = [], ""

    @rx.event
    @guarded(*STAFF_ROLES)
    def close(self):
        self.action = ""

    @rx.event
    @guarded(*STAFF_ROLES)
    async def run(self, form: dict):
        if not self.action or not self.selected:
            return rx.toast.error("Select orders and an action first.")
        numbers = [int(n) for n in self.selected]
        try:
            with write_session() as session:
                outcome = bulk.run_bulk(
                    session, actor=self._principal.actor, action=self.action, numbers=numbers,
                    reference=str(form.get("reference", "")).strip()[:200] or None,
                    reason=str(form.get("reason", "")).strip()[:500],
                    body=str(form.get("body", "")).strip()[:5000],
                    carrier=str(form.get("carrier", "")).strip()[:64] or None,
                    tracking_number=str(form.get("tracking_number", "")).strip()[:128] or None,
                )
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.outcomes = [OutcomeRow(str(o.number), o.ok, o.message) for o in outcome.outcomes]
        self.summary = f"{ACTION_LABELS[outcome.action]}: {outcome.summary}"
        # What failed stays selected, to retry or act on differently.
        self.selected = [str(o.number) for o in outcome.failed]
        orders = await self.get_state(OrdersState)
        orders._fetch()
        return rx.toast.success(self.summary) if not outcome.failed else rx.toast.warning(
            self.summary)

    @rx.event(background=True)
    @guarded(*STAFF_ROLES)
    async def print_documents(self, kind: str):
        """One PDF of the chosen document for every selected order (services.documents),
        built off the event loop; the link appears when it is ready."""
        async with self:
            if self.printing or not self.selected:
                return
            numbers = [int(n) for n in self.selected]
            actor = self._principal.actor
            self.printing, self.print_link = True, ""
            self.print_state = f"Preparing {len(numbers)} documents…"
        try:
            def start() -> str:
                with write_session() as session:
                    return batches.start_batch(session, actor=actor, kind=kind,
                                               numbers=numbers).token

            token = await asyncio.to_thread(start)
            result = await asyncio.to_thread(batches.build_batch, token)
        except DomainError as exc:
            async with self:
                self.printing, self.print_state = False, exc.message
            return
        async with self:
            self.printing = False
            if result.status == "ready":
                self.print_link = f"/api/v1/documents/batches/{token}.pdf"
                self.print_state = f"{result.total} documents ready."
            else:
                self.print_state = result.error or "The documents could not be made."
