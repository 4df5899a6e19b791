"""The board page: lanes of cards for the drag-and-drop component, the facts dialog, the
undo toast, filters, the order drawer; live through dashboard.state.live.

Thin: every handler is guarded (staff and owners), calls one service in a worker thread,
and keeps only what is on screen: per lane its count, total and the window of cards the
browser has scrolled to (never the whole table). Which order events the view includes is
kept as `_as_of` (a FeedMark) so the live feed skips screens already up to date.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime

import reflex as rx
from reflex_components_sonner.toast import ToastAction

from dashboard.domain import money as money_units
from dashboard.domain.accounts import STAFF_ROLES, decide
from dashboard.domain.board import LANE_TITLES, Lane
from dashboard.domain.errors import DomainError
from dashboard.domain.payments import PaymentMethod
from dashboard.services import accounts, board, orders
from dashboard.services.board import FeedEvent, ask_move
from dashboard.services.board.feed import FeedMark
from dashboard.services.board.settings import undo_seconds
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.board.live import FEED
from dashboard.state.shipping.ship_form import ShipLineView, form_facts, ship_line_views
from dashboard.state.view import label, local_time, merchant_tz, money

ALL = "all"  # a Radix select item cannot have an empty value
PAYMENT_OPTIONS = [(ALL, "All payments")] + [(m.value, label(m.value)) for m in PaymentMethod]
DELIVERY_OPTIONS = [(ALL, "All deliveries"), ("courier", "Courier"), ("pickup", "Pickup")]
AGE_OPTIONS = [(ALL, "Any age"), ("late", "Late (amber or red)"), ("overdue", "Overdue (red)")]
SHIPPED_OPTIONS = [("today", "Shipped today"), ("24h", "Last 24 hours"),
                   ("3d", "Last 3 days"), ("7d", "Last 7 days")]
PAYMENT_SHORT = {"bank_transfer": "Bank", "cheque": "Cheque", "card": "Card",
                 "pay_on_pickup": "At pickup"}
PIN_SECONDS = 120  # a card this tab moved stays in sight in its new lane this long


def with_pin(pins: dict[int, float], number: int, now: float) -> dict[int, float]:
    """`pins` (number -> until) with `number` pinned for PIN_SECONDS: expired pins go, and
    only the newest MAX_PINNED stay, the ones the board service will honour."""
    live = {n: until for n, until in pins.items() if until > now and n != number}
    newest = sorted(live.items(), key=lambda item: item[1])[-(board.MAX_PINNED - 1):]
    return {**dict(newest), number: now + PIN_SECONDS}


def _ms(moment: datetime | None) -> int:
    return int(moment.timestamp() * 1000) if moment else 0


def _total(totals: dict[str, int]) -> str:
    return " + ".join(
        money_units.display(minor, currency) for currency, minor in totals.items()
    ) or money_units.display(0, "AUD")


def card_row(card: board.Card) -> dict:
    """A card as the component draws it (short keys: there can be hundreds)."""
    return {
        "n": card.number,
        "cust": card.customer,
        "items": card.items,
        "left": card.unshipped,
        "total": money_units.display(card.total_minor, card.currency),
        "pm": PAYMENT_SHORT.get(card.payment_method, label(card.payment_method)),
        "dm": card.delivery_method,
        "at": _ms(card.entered_at),
        "amber": _ms(card.amber_at),
        "red": _ms(card.red_at),
        "placed": _ms(card.placed_at),
        "flags": list(card.flags),
        "to": list(card.allowed),
        "hold": card.hold_reason or "",
        "pick": card.pick,
    }


def lane_row(view: board.LaneView, cards: list[dict] | None) -> dict:
    """A lane as the component draws it; without "cards" when they were not re-read."""
    row = {
        "id": view.lane.value,
        "title": LANE_TITLES[view.lane],
        "count": view.summary.count,
        "total": _total(view.summary.totals),
    }
    if cards is not None:
        row["cards"] = cards
        row["has_more"] = len(cards) < view.summary.count and len(cards) < board.MAX_WINDOW
    return row


def _read_board(key: tuple, lanes: tuple[str, ...] | None = None
                ) -> tuple[FeedMark, list[dict]]:
    """(as_of, lanes) for a board key: (filters, windows, pinned numbers). In a thread."""
    filters, windows, pinned = board.BoardFilters(*key[0]), dict(key[1]), key[2]
    with read_session() as session:
        view = board.load_board(session, filters, windows=windows, pinned=pinned, lanes=lanes)
    return view.as_of, [
        lane_row(v, None if v.cards is None else [card_row(c) for c in v.cards])
        for v in view.lanes
    ]


# One state var per lane: a change sends (and redraws) only the lanes that changed.
LANE_VARS = {lane.value: f"lane_{lane.value}" for lane in Lane}


class BoardState(AuthState):
    lane_unpaid: dict = {}
    lane_paid: dict = {}
    lane_picking: dict = {}
    lane_ready_for_pickup: dict = {}
    lane_shipped: dict = {}
    lane_on_hold: dict = {}
    revision: int = 0  # answers a drop (moved, refused or dialog closed)
    loaded: bool = False
    q: str = ""
    payment_method: str = ALL
    delivery_method: str = ALL
    age: str = ALL
    shipped_window: str = "today"
    # The facts dialog of a drop that needs them.
    ask: str = ""  # "", "payment", "shipping", "hold"
    ask_number: int = 0
    ask_customer: str = ""
    ask_method: str = ""
    ask_reference_required: bool = False
    ask_errors: dict[str, str] = {}
    ask_to: str = ""
    ask_lines: list[ShipLineView] = []  # a shipment: the lines with units left
    # The order drawer.
    drawer: dict = {}
    drawer_open: bool = False
    _windows: dict[str, int] = {}
    _pins: dict[int, float] = {}  # cards this tab just moved: kept in sight until then
    _as_of: FeedMark = FeedMark()
    _from: str = ""

    # --- what the page shows -------------------------------------------------------------

    @rx.var
    def filter_key(self) -> str:
        return json.dumps([self.q, self.payment_method, self.delivery_method, self.age,
                           self.shipped_window])

    @rx.var
    def filtered(self) -> bool:
        return bool(self.q) or ALL not in (self.payment_method, self.delivery_method, self.age)

    @rx.var
    def ask_title(self) -> str:
        titles = {"payment": "Record the payment", "shipping": "Ship the order",
                  "hold": "Put the order on hold"}
        return f"{titles.get(self.ask, '')} · #{self.ask_number}" if self.ask else ""

    def _filters(self) -> tuple:
        def opt(value: str) -> str:
            return "" if value == ALL else value

        return (self.q.strip(), opt(self.payment_method), opt(self.delivery_method),
                self.age if self.age != ALL else "any", self.shipped_window)

    def _live_key(self) -> tuple:
        windows = tuple(sorted((lane, size) for lane, size in self._windows.items()))
        now = time.time()
        pins = tuple(sorted(n for n, until in self._pins.items() if until > now))
        return (self._filters(), windows, pins)

    def _pin(self, number: int) -> None:
        self._pins = with_pin(self._pins, number, time.time())

    @staticmethod
    def _live_load(key: tuple):
        return _read_board(key)

    def _live_apply(self, view, events: list[FeedEvent], now_ms: int) -> None:
        self._show(*view)

    def _show(self, as_of: FeedMark, lanes: list[dict]) -> None:
        """Take fresh lanes; a lane without cards keeps its cards. Unchanged lanes are
        left alone, so the delta carries only what changed."""
        for row in lanes:
            name = LANE_VARS[row["id"]]
            current = getattr(self, name)
            if "cards" not in row:
                row = {**current, **row} if current else None
            if row is not None and row != current:
                setattr(self, name, row)
        self._as_of = as_of
        self.loaded = True

    def _shown(self, lane: str) -> int:
        return len(getattr(self, LANE_VARS[lane]).get("cards", []))

    def _live_heartbeat(self, now_ms: int) -> None:
        return None

    async def _live_allowed(self) -> bool:
        principal = await asyncio.to_thread(_resolve, self._session_cookie())
        if not decide(principal, STAFF_ROLES).allowed:
            await self._adopt(principal)  # forget the view; the next event redirects
            return False
        return True

    async def _reload(self, lanes: tuple[str, ...] | None = None) -> None:
        as_of, rows = await asyncio.to_thread(_read_board, self._live_key(), lanes)
        # The other lanes' cards were not re-read: the view includes no more than before.
        self._show(as_of if lanes is None else self._as_of, rows)

    def _actor(self):
        return self._principal.actor

    # --- loading and filters ---------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    async def load(self):
        self._windows = {}
        self.drawer_open = False
        self.ask = ""
        FEED.follow(self.router.session.client_token, BoardState)
        await self._reload()

    @rx.event
    @guarded(*STAFF_ROLES)
    async def load_more(self, lane: str):
        if lane not in {lane.value for lane in Lane}:
            return
        self._windows = {**self._windows,
                         lane: min(self._shown(lane) + board.PAGE, board.MAX_WINDOW)}
        await self._reload((lane,))

    async def _set_filter(self, name: str, value: str, options: list[tuple[str, str]]) -> None:
        allowed = {v for v, _ in options}
        setattr(self, name, value if value in allowed else options[0][0])
        self._windows = {}
        await self._reload()

    @rx.event
    @guarded(*STAFF_ROLES)
    async def set_q(self, value: str):
        self.q = str(value)[:200]
        self._windows = {}
        await self._reload()

    @rx.event
    @guarded(*STAFF_ROLES)
    async def set_payment_method(self, value: str):
        await self._set_filter("payment_method", value, PAYMENT_OPTIONS)

    @rx.event
    @guarded(*STAFF_ROLES)
    async def set_delivery_method(self, value: str):
        await self._set_filter("delivery_method", value, DELIVERY_OPTIONS)

    @rx.event
    @guarded(*STAFF_ROLES)
    async def set_age(self, value: str):
        await self._set_filter("age", value, AGE_OPTIONS)

    @rx.event
    @guarded(*STAFF_ROLES)
    async def set_shipped_window(self, value: str):
        await self._set_filter("shipped_window", value, SHIPPED_OPTIONS)

    @rx.event
    @guarded(*STAFF_ROLES)
    async def clear_filters(self):
        self.q, self.payment_method, self.delivery_method, self.age = "", ALL, ALL, ALL
        self._windows = {}
        await self._reload()

    # --- moving cards ----------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    async def move(self, drop: dict):
        """A card was dropped on another lane: move it, or ask for the facts first."""
        try:
            number, source, target = int(drop["number"]), str(drop["from"]), str(drop["to"])
        except (KeyError, TypeError, ValueError):
            return await self._answered()
        try:
            question, result = await asyncio.to_thread(
                _ask_or_move, self._actor(), number, target, source)
        except DomainError as refused:
            return await self._answered(rx.toast.error(refused.message, id="move-refused"))
        if question is not None:
            self.ask, self.ask_number, self.ask_to, self._from = question.asks, number, target, source
            self.ask_customer, self.ask_errors = question.customer, {}
            self.ask_method = question.payment_method
            self.ask_reference_required = question.reference_required
            self.ask_lines = ship_line_views(question.lines)
            return None
        return await self._moved(result)

    @rx.event
    @guarded(*STAFF_ROLES)
    async def confirm_move(self, form: dict):
        if not self.ask:
            return None
        facts = form_facts(form)
        return await self._perform(self.ask_number, self.ask_to, self._from, facts)

    @rx.event
    @guarded(*STAFF_ROLES)
    async def cancel_move(self):
        self.ask, self.ask_errors = "", {}
        return await self._answered(lanes=())  # nothing changed: counts only

    @rx.event
    @guarded(*STAFF_ROLES)
    async def dialog_open_change(self, is_open: bool):
        if not is_open and self.ask:  # closed with Escape or a click outside
            return await self.cancel_move.fn(self)
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    async def undo(self, move_id: int):
        try:
            result = await asyncio.to_thread(_undo, self._actor(), int(move_id))
        except (TypeError, ValueError):
            return None
        except DomainError as refused:
            return rx.toast.error(refused.message)
        self._pin(result.number)
        return await self._answered(
            rx.toast.dismiss(f"move-{move_id}"),
            rx.toast.info(result.message, id=f"undone-{move_id}", duration=4000),
            lanes=(result.from_lane, result.to_lane),
        )

    async def _perform(self, number: int, target: str, source: str, facts: dict):
        try:
            result = await asyncio.to_thread(_move, self._actor(), number, target, source, facts)
        except DomainError as refused:
            fields = getattr(refused, "fields", None)
            if self.ask and fields:  # keep the dialog open, say what is missing
                self.ask_errors = {str(k): str(v) for k, v in fields.items()}
                return None
            self.ask, self.ask_errors = "", {}
            return await self._answered(rx.toast.error(refused.message, id="move-refused"))
        return await self._moved(result)

    async def _moved(self, result):
        self.ask, self.ask_errors = "", {}
        self._pin(result.number)
        return await self._answered(
            rx.toast.success(
                result.message,
                id=f"move-{result.move_id}",
                duration=undo_seconds() * 1000,  # Undo stays on screen while it works
                action=ToastAction(label="Undo", on_click=BoardState.undo(result.move_id)),
            ),
            lanes=(result.from_lane, result.to_lane),
        )

    async def _answered(self, *events, lanes: tuple[str, ...] | None = None):
        """Every drop gets an answer: fresh lanes and a new revision (the card settles)."""
        await self._reload(lanes)
        self.revision += 1
        return list(events) or None

    # --- the order drawer ----------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    async def open_card(self, number: int):
        try:
            detail = await asyncio.to_thread(_detail, int(number))
        except (TypeError, ValueError):
            return None
        except DomainError as missing:
            return rx.toast.error(missing.message)
        self.drawer, self.drawer_open = detail, True
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def close_drawer(self):
        self.drawer_open = False

    @rx.event
    @guarded(*STAFF_ROLES)
    def drawer_open_change(self, is_open: bool):
        self.drawer_open = bool(is_open) and self.drawer_open


# --- service calls (run in worker threads) -------------------------------------------------


def _resolve(cookie: str):
    # Read only: an open board does not keep a session alive (the idle timeout is about
    # people); a refused screen is blanked and its next event goes to sign-in.
    with read_session() as session:
        return accounts.resolve(session, session_token=cookie).principal


def _ask_or_move(actor, number: int, target: str, source: str):
    """(question, None) when the drop needs facts, else (None, the move made)."""
    with read_session() as session:
        question = ask_move(session, number=number, to_lane=target)
    if question.asks:
        return question, None
    return None, _move(actor, number, target, source, {})


def _move(actor, number: int, target: str, source: str, facts: dict):
    with write_session() as session:
        return board.move_card(session, actor=actor, number=number, to_lane=target,
                               facts=facts, expected_lane=source or None)


def _undo(actor, move_id: int):
    with write_session() as session:
        return board.undo_move(session, actor=actor, move_id=move_id)


def _detail(number: int) -> dict:
    with read_session() as session:
        d = orders.order_detail(session, number)
    tz = merchant_tz()
    address = d.get("shipping_address") or {}
    return {
        "number": d["number"],
        "status": label(d["status"]),
        "payment": f"payment {label(d['payment_status']).lower()} "
                   f"({label(d['payment_method']).lower()})",
        "delivery": label(d["delivery_method"]),
        "customer": d["customer"]["name"],
        "email": d["customer"]["email"],
        "phone": d["customer"].get("phone") or "",
        "total": money(d["total"], d["currency"]),
        "address": ", ".join(
            p for p in (address.get("street_address_1"), address.get("street_address_2"),
                        address.get("city"), address.get("country_area"),
                        address.get("postal_code"), address.get("country")) if p
        ),
        "note": d.get("note") or "",
        "hold_reason": d.get("hold_reason") or "",
        "lines": [{"sku": line["sku"], "name": line["name"],
                   "quantity": f"{line['quantity_shipped']}/{line['quantity']}"
                   if line["quantity_shipped"] else str(line["quantity"])}
                  for line in d["lines"]],
        "events": [{"when": local_time(e["created_at"], tz).strftime("%d %b %H:%M"),
                    "what": label(e["type"]), "who": e["actor"]}
                   for e in reversed(d["events"][-8:])],
    }
