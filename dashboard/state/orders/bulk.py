"""Bulk selection on the orders list and the actions on it (services.bulk).

The selection is a set of order numbers kept on the server: ticked one by one, a whole
page, or every order matching the list's filters (up to the bulk limit). Printing the
selection is the documents bar's (components/documents.py), on the same selection. The result of
an action lists each order with what happened or why not.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from dashboard.domain.accounts import STAFF_ROLES
from dashboard.domain.errors import DomainError
from dashboard.services.db import read_session, write_session
from dashboard.services.orders import bulk, search
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.orders.list import OrdersState

ACTIONS = [
    (bulk.BulkAction.MARK_PAID.value, "Mark paid"),
    (bulk.BulkAction.MARK_SHIPPED.value, "Mark shipped"),
    (bulk.BulkAction.CANCEL.value, "Cancel"),
    (bulk.BulkAction.NOTE.value, "Add a note"),
]
ACTION_LABELS = dict(ACTIONS)


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
