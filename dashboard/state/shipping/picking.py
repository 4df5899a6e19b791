"""The pickers' phone view: the Picking queue with what to take from which bin.

Rows come from services.pick_queue, which selects only picking and shipping columns:
nothing about prices, payments or the customer's other orders reaches this state.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from dashboard.domain.accounts import EVERY_USER
from dashboard.domain.columns import utcnow
from dashboard.services.db import read_session
from dashboard.services.shipping import PickOrder, picking_queue
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.clock import ago, local
from dashboard.state.view import label


@dataclasses.dataclass
class PickLineRow:
    sku: str
    name: str
    quantity: int
    barcode: str
    bin_location: str


@dataclasses.dataclass
class PickCard:
    number: str
    waiting: str
    delivery: str
    ship_to: str
    address: list[str]
    units: int
    lines: list[PickLineRow]

    @classmethod
    def of(cls, order: PickOrder) -> PickCard:
        return cls(
            number=str(order.number), waiting=ago(order.placed_at),
            delivery=label(order.delivery_method), ship_to=order.ship_to,
            address=order.address_lines, units=order.units,
            lines=[PickLineRow(li.sku, li.name, li.quantity, li.barcode or "—",
                               li.bin_location or "—") for li in order.lines],
        )


class PickingState(AuthState):
    orders: list[PickCard] = []
    loaded: bool = False
    refreshed_at: str = ""

    def _fetch(self) -> None:
        with read_session() as session:
            queue = picking_queue(session)
        self.orders = [PickCard.of(o) for o in queue]
        self.refreshed_at = local(utcnow(), "%H:%M")
        self.loaded = True

    @rx.event
    @guarded(*EVERY_USER)
    def load(self):
        self._fetch()

    @rx.event
    @guarded(*EVERY_USER)
    def refresh(self):
        self._fetch()
