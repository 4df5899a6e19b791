"""The pickers' phone: the live queue, claims, scanning, short picks and finishing.

Rows come from services.shipping (picking_queue), which selects only picking and
shipping columns: nothing about prices, payments or the customer's other orders reaches
this state. Every handler is guarded (pickers, staff and owners; freeing someone else's
claim is for staff and owners), calls one service in a worker thread, and answers with a
feedback message the page turns into a sound and a vibration. The queue follows the
order-event feed (dashboard.state.board.live), so new orders appear without a refresh.
"""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from dashboard.domain.accounts import EVERY_USER, STAFF_ROLES, decide
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import DomainError
from dashboard.domain.orders import Actor
from dashboard.domain.shipping import SHORT_REASON_TEXT, ShortReason
from dashboard.services import accounts, shipping
from dashboard.services.board import FeedEvent
from dashboard.services.board.feed import FeedMark, feed_mark
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.board.live import FEED
from dashboard.state.clock import ago, local
from dashboard.state.view import label

SHORT_OPTIONS = [(r.value, SHORT_REASON_TEXT[r].capitalize()) for r in ShortReason]
MODES = ("pick", "counter")
OUTCOME_TEXT = {
    "ready_to_ship": "Packed: ready to ship",
    "ready_for_pickup": "Packed: ready for pickup",
    "part_shipped": "Part shipped: the rest is a backorder",
    "on_hold": "On hold for the office",
}


@dataclasses.dataclass
class PickLineRow:
    sku: str
    name: str
    quantity: int
    barcode: str
    bin_location: str
    picked: int = 0
    short: int = 0
    done: bool = False


@dataclasses.dataclass
class PickCard:
    number: str
    waiting: str
    delivery: str
    pickup: bool
    ship_to: str
    address: list[str]
    units: int
    lines: list[PickLineRow]
    claimed_by: str = ""  # who holds it (the name part only: no email addresses here)
    progress: str = ""  # "2/3 lines"
    complete: bool = False

    @classmethod
    def of(cls, order: shipping.PickOrder) -> PickCard:
        return cls(
            number=str(order.number), waiting=ago(order.placed_at),
            delivery=label(order.delivery_method), pickup=order.delivery_method == "pickup",
            ship_to=order.ship_to, address=order.address_lines, units=order.units,
            lines=[PickLineRow(li.sku, li.name, li.quantity, li.barcode or "—",
                               li.bin_location or "—", li.picked, li.short, li.done)
                   for li in order.lines],
            claimed_by=order.claimed_by.split("@")[0] if order.claimed_by else "",
            progress=f"{order.lines_done}/{len(order.lines)} lines",
            complete=bool(order.lines) and order.lines_done == len(order.lines),
        )


@dataclasses.dataclass
class StopRow:
    """A stop of a batch pick: one bin and product, and how many go to which order."""

    bin_location: str
    sku: str
    name: str
    barcode: str
    quantity: int
    picked: int
    split: str  # "#100001 ×1 · #100002 ×2"


@dataclasses.dataclass
class DoneRow:
    number: str
    outcome: str
    text: str


@dataclasses.dataclass(frozen=True, slots=True)
class _OwnMark(FeedMark):
    """A view's mark plus the scan events this phone made and already shows: the live
    feed need not re-read the whole queue for a picker's own scans."""

    own: frozenset[int] = frozenset()

    def includes(self, event_id: int) -> bool:
        return event_id in self.own or FeedMark.includes(self, event_id)


def _with_own(mark: FeedMark, event_id: int) -> FeedMark:
    own = mark.own if isinstance(mark, _OwnMark) else frozenset()
    return _OwnMark(mark.newest, mark.missing, frozenset(sorted(own | {event_id})[-200:]))


def _read_queue(key: tuple, numbers: list[int] | None = None
                ) -> tuple[FeedMark, list[shipping.PickOrder]]:
    kind, label_, ident = key
    actor = Actor(kind, label_, ident)
    with read_session() as session:
        mark = feed_mark(session)
        return mark, shipping.picking_queue(session, actor=actor, numbers=numbers)


def _resolve(cookie: str):
    with read_session() as session:
        return accounts.resolve(session, session_token=cookie).principal


class PickingState(AuthState):
    orders: list[PickCard] = []  # free to claim, or held by someone else
    mine: list[PickCard] = []  # what this picker is picking
    stops: list[StopRow] = []  # `mine` merged by bin, for a batch
    done: list[DoneRow] = []  # finished on this phone: documents to print
    selected: list[str] = []  # ticked for a batch claim
    mode: str = "pick"  # "pick" or "counter" (scanning order barcodes at pickup)
    camera_on: bool = False
    loaded: bool = False
    refreshed_at: str = ""
    # The last scan's answer: the page beeps, vibrates and flashes on each new `flash_seq`.
    flash: str = ""
    flash_kind: str = ""  # "ok", "done" or "error"
    flash_seq: int = 0
    _as_of: FeedMark = FeedMark()

    # --- reading -------------------------------------------------------------------------

    def _key(self) -> tuple:
        actor = self._principal.actor
        return (actor.kind, actor.label, actor.id)

    def _set(self, name: str, value) -> None:
        # Only a changed list is sent: a scan must not resend a hundred queue cards.
        if getattr(self, name) != value:
            setattr(self, name, value)

    def _show(self, as_of: FeedMark, queue: list[shipping.PickOrder], *,
              only_mine: bool = False) -> None:
        mine = [o for o in queue if o.mine]
        self._set("mine", [PickCard.of(o) for o in mine])
        self._set("stops", [
            StopRow(s.bin_location or "—", s.sku, s.name, s.barcode or "—", s.quantity,
                    s.picked, " · ".join(f"#{n} ×{q}" for n, q in s.orders))
            for s in shipping.merged_by_bin(mine)
        ] if len(mine) > 1 else [])
        if only_mine:  # the queue was not re-read: the view includes no more than before
            return
        self._set("orders", [PickCard.of(o) for o in queue if not o.mine])
        free = {c.number for c in self.orders if not c.claimed_by}
        self._set("selected", [n for n in self.selected if n in free])
        self._as_of = as_of
        self.refreshed_at = local(utcnow(), "%H:%M")
        self.loaded = True

    async def _fetch(self) -> None:
        self._show(*await asyncio.to_thread(_read_queue, self._key()))

    async def _fetch_mine(self, number: int | None = None) -> None:
        """Re-read only the orders this picker holds (after a scan or a +1)."""
        numbers = sorted({int(c.number) for c in self.mine} | ({number} if number else set()))
        self._show(*await asyncio.to_thread(_read_queue, self._key(), numbers), only_mine=True)

    def _say(self, kind: str, text: str) -> None:
        self.flash, self.flash_kind, self.flash_seq = text, kind, self.flash_seq + 1

    async def _act(self, call, ok: str | None = None, *, only_mine: bool = False):
        """Run one service call in a thread; a refusal becomes the loud message. Then
        re-read the queue (or, after a scan, only the picker's own orders)."""
        try:
            result = await asyncio.to_thread(call)
        except DomainError as exc:
            self._say("error", exc.message)
            if not only_mine:
                await self._fetch()
            return None
        if ok:
            self._say("ok", ok)
        if only_mine:
            await self._fetch_mine(getattr(result, "number", None))
            if getattr(result, "event_id", 0):
                self._as_of = _with_own(self._as_of, result.event_id)
        else:
            await self._fetch()
        return result

    def _write(self, fn, **kwargs):
        def call():
            with write_session() as session:
                return fn(session, actor=self._principal.actor, **kwargs)
        return call

    # --- dashboard.state.board.live ------------------------------------------------------

    async def _live_allowed(self) -> bool:
        principal = await asyncio.to_thread(_resolve, self._session_cookie())
        if not decide(principal, EVERY_USER).allowed:
            await self._adopt(principal)
            return False
        return True

    def _live_key(self):
        return self._key() if self._principal.signed_in else None

    @staticmethod
    def _live_load(key):
        return _read_queue(key)

    def _live_apply(self, view, events: list[FeedEvent], now_ms: int) -> None:
        self._show(*view)

    def _live_heartbeat(self, now_ms: int) -> None:
        return None

    # --- handlers ------------------------------------------------------------------------

    @rx.event
    @guarded(*EVERY_USER)
    async def load(self):
        FEED.follow(self.router.session.client_token, PickingState)
        await self._fetch()

    @rx.event
    @guarded(*EVERY_USER)
    async def refresh(self):
        await self._fetch()

    @rx.event
    @guarded(*EVERY_USER)
    async def set_mode(self, mode: str):
        self.mode = mode if mode in MODES else "pick"

    @rx.event
    @guarded(*EVERY_USER)
    async def toggle_camera(self):
        self.camera_on = not self.camera_on

    @rx.event
    @guarded(*EVERY_USER)
    async def toggle(self, number: str):
        number = str(number)[:12]
        self.selected = ([n for n in self.selected if n != number] if number in self.selected
                         else [*self.selected, number][: shipping.MAX_BATCH])

    async def _claim(self, numbers: list[int]) -> None:
        done = await self._act(self._write(shipping.claim_orders, numbers=numbers))
        if done:
            self.selected = []
            self._say("ok", "Claimed " + ", ".join(f"#{n}" for n in done))

    @rx.event
    @guarded(*EVERY_USER)
    async def claim(self, number: str):
        if str(number).isdecimal():
            await self._claim([int(number)])

    @rx.event
    @guarded(*EVERY_USER)
    async def claim_selected(self):
        numbers = [int(n) for n in self.selected if n.isdecimal()]
        if numbers:
            await self._claim(numbers)

    @rx.event
    @guarded(*EVERY_USER)
    async def release(self, number: str):
        if str(number).isdecimal():
            await self._act(self._write(shipping.release_claim, number=int(number)),
                            ok=f"Released #{number}")

    @rx.event
    @guarded(*STAFF_ROLES)
    async def free_claim(self, number: str):
        """Staff and owners free an order someone else claimed and left."""
        if str(number).isdecimal():
            await self._act(self._write(shipping.release_claim, number=int(number), force=True),
                            ok=f"Freed #{number}")

    async def _scan(self, code: str, source: str) -> None:
        code = str(code)[:64].strip()
        if not code:
            return
        if self.mode == "counter":
            await self._collect(code)
            return
        result = await self._act(self._write(shipping.scan_claimed, code=code, source=source),
                                 only_mine=True)
        if result is not None:
            kind = "done" if result.order_complete else "ok"
            tail = f" · #{result.number} complete: finish it" if result.order_complete else ""
            self._say(kind, f"{result.sku} {result.picked}/{result.quantity}{tail}")

    async def _collect(self, code: str) -> None:
        try:
            number = shipping.order_number_of(code)
        except DomainError as exc:
            self._say("error", exc.message)
            return
        if await self._act(self._write(shipping.mark_collected, number=number)) is not None:
            self._say("done", f"#{number} collected")

    @rx.event
    @guarded(*EVERY_USER)
    async def scan(self, code: str):
        """A scan from the keyboard-wedge listener or the camera."""
        await self._scan(code, "scan")

    @rx.event
    @guarded(*EVERY_USER)
    async def submit_typed(self, form: dict):
        code = str((form or {}).get("code", ""))[:64]
        await self._scan(code, "typed")

    @rx.event
    @guarded(*EVERY_USER)
    async def plus_one(self, number: str, sku: str):
        """"+1" for an unlabelled item: counts one unit of that line of that order."""
        if not str(number).isdecimal():
            return
        result = await self._act(self._write(shipping.scan, number=int(number),
                                             code=str(sku)[:64], source="plus_one"),
                                 only_mine=True)
        if result is not None:
            self._say("done" if result.order_complete else "ok",
                      f"{result.sku} {result.picked}/{result.quantity}")

    @rx.event
    @guarded(*EVERY_USER)
    async def short(self, number: str, sku: str, reason: str):
        """Mark what is left of a line short (not on the shelf, damaged)."""
        if not str(number).isdecimal():
            return
        card = next((c for c in self.mine if c.number == str(number)), None)
        line = next((li for li in (card.lines if card else []) if li.sku == sku), None)
        if line is None:
            self._say("error", f"{sku} is not a line you are picking.")
            return
        left = line.quantity - line.picked - line.short
        result = await self._act(self._write(shipping.short_pick, number=int(number), sku=sku,
                                             quantity=max(left, 1), reason=str(reason)[:20]))
        if result is not None:
            self._after(result)

    @rx.event
    @guarded(*EVERY_USER)
    async def finish(self, number: str):
        if not str(number).isdecimal():
            return
        result = await self._act(self._write(shipping.finish_pick, number=int(number)))
        if result is not None:
            self._after(result)

    def _after(self, result: shipping.PickOutcome) -> None:
        if result.outcome == "recorded":
            self._say("ok", "Short recorded: pick the rest, then finish")
            return
        text = OUTCOME_TEXT.get(result.outcome, result.outcome)
        if result.notice_sent:
            text += " · the customer is told"
        self.done = [DoneRow(str(result.number), result.outcome, text),
                     *[d for d in self.done if d.number != str(result.number)]][:10]
        self._say("done", f"#{result.number}: {text}")

    @rx.event
    @guarded(*EVERY_USER)
    async def dismiss(self, number: str):
        self.done = [d for d in self.done if d.number != str(number)]
