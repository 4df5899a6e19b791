"""The wall screen: live queue counts and the oldest orders per lane, for a kiosk link.

Read only: the one handler admitting a kiosk is `open`, which writes nothing but the
kiosk's last-seen time. The screen then follows the shared order-event feed
(dashboard.state.live): a change anywhere reaches it within a second, and every second
the link is checked again, so a revoked link blanks the screen at once. Order numbers,
delivery methods, item counts and ages only, built field by field (an allow-list):
nothing about customers or money.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

import reflex as rx

from dashboard import site
from dashboard.domain.accounts import KIOSK
from dashboard.domain.board import LANE_TITLES, LANES
from dashboard.services import accounts, board
from dashboard.services.board import FeedEvent
from dashboard.services.board.feed import FeedMark
from dashboard.services.db import read_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded, wall_key
from dashboard.state.board.live import FEED

CARDS = 36  # per lane, cycled on the screen a page (as many as fit) at a time
SYNC_EVERY_MS = 5000  # how often a quiet screen shows it is still live
_WALL_KEY = ("wall",)


def _ms(moment: datetime | None) -> int:
    return int(moment.timestamp() * 1000) if moment else 0


def _wall_card(card: board.Card) -> dict:
    """A card for a kiosk, field by field: a field the board's card gains never shows here."""
    items = f"{card.items} item" + ("s" if card.items != 1 else "")
    delivery = "Pickup" if card.delivery_method == "pickup" else "Courier"
    return {
        "n": card.number,
        "lane": card.lane,
        "dm": card.delivery_method,
        "line": f"{delivery} · {items}",
        "at": _ms(card.entered_at),
        "amber": _ms(card.amber_at),
        "red": _ms(card.red_at),
        "placed": _ms(card.placed_at),  # a new card is highlighted
    }


def _read_wall(_key) -> tuple[FeedMark, list[dict]]:
    with read_session() as session:
        view = board.load_board(session, windows={lane.value: CARDS for lane in LANES})
    return view.as_of, [
        {"id": v.lane.value, "title": LANE_TITLES[v.lane], "count": v.summary.count,
         "cards": [_wall_card(c) for c in v.cards]}
        for v in view.lanes
    ]


class WallState(AuthState):
    columns: list[dict] = []
    screen: str = ""
    last_sync: int = 0  # ms; the screen turns its indicator red when this stops moving
    revoked: bool = False
    _as_of: FeedMark = FeedMark()

    @rx.event
    @guarded(KIOSK, signed_out_to=site.WALL)
    async def open(self):
        self.screen, self.revoked = self._principal.name, False
        FEED.follow(self.router.session.client_token, WallState)
        self._as_of, self.columns = await asyncio.to_thread(_read_wall, _WALL_KEY)

    # --- dashboard.state.live ---------------------------------------------------------------

    async def _live_allowed(self) -> bool:
        principal, decision = await asyncio.to_thread(
            accounts.authorize, session_token=self._session_cookie(),
            kiosk_token=wall_key(self.router.url.path), roles=(KIOSK,))
        if not decision.allowed:  # revoked while showing: blank the screen now
            await self._adopt(principal)
            self.columns, self.revoked = [], True
            return False
        return True

    def _live_key(self):
        return _WALL_KEY

    @staticmethod
    def _live_load(key):
        return _read_wall(key)

    def _live_apply(self, view, events: list[FeedEvent], now_ms: int) -> None:
        self._as_of, self.columns = view
        self.last_sync = now_ms

    def _live_heartbeat(self, now_ms: int) -> None:
        if now_ms - self.last_sync >= SYNC_EVERY_MS:
            self.last_sync = now_ms
