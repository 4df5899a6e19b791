"""The wall screen: live queue counts and the oldest orders per lane, for a kiosk link.

Read only: the only handlers admitting a kiosk are `open` and `follow`, and neither
writes anything but the kiosk's last-seen time. `follow` is one background task per
open screen: every second it re-checks the link (a revoked link blanks the screen within
a second) and the order-event feed position, and re-reads the lanes when the feed moved
(or every 30 s, so ages stay current). Issue 4 replaces the per-screen polling with a
shared feed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time

import reflex as rx
from reflex_base.registry import RegistrationContext

from dashboard import site
from dashboard.domain.access import KIOSK
from dashboard.domain.models import utcnow
from dashboard.services import access, lanes
from dashboard.services.db import read_session
from dashboard.state.auth import AuthState
from dashboard.state.clock import ago, local
from dashboard.state.guard import guarded, wall_key
from dashboard.state.view import label

TICK_S = 1.0
REFETCH_S = 30.0
CARDS = 5


@dataclasses.dataclass
class WallCard:
    number: str
    age: str
    delivery: str


@dataclasses.dataclass
class WallLane:
    key: str
    title: str
    count: int
    cards: list[WallCard]


def _read_lanes() -> tuple[int, list[lanes.Lane]]:
    with read_session() as session:
        return lanes.latest_change(session), lanes.lane_summary(session, cards=CARDS)


def _feed_position() -> int:
    with read_session() as session:
        return lanes.latest_change(session)


def _still_connected(client_token: str) -> bool:
    try:
        return client_token in RegistrationContext.get().app.event_namespace.token_to_sid
    except (LookupError, AttributeError):  # no app context: keep going, the run id decides
        return True


class WallState(AuthState):
    lanes: list[WallLane] = []
    clock: str = ""
    updated: str = ""
    screen: str = ""
    live: bool = False
    _lanes: list[lanes.Lane] = []
    _run: int = 0

    def _render(self) -> None:
        now = utcnow()
        self.lanes = [
            WallLane(lane.key, lane.title, lane.count,
                     [WallCard(f"#{c.number}", ago(c.since, now), label(c.delivery_method))
                      for c in lane.cards])
            for lane in self._lanes
        ]
        self.clock = local(now, "%H:%M")

    @rx.event
    @guarded(KIOSK, signed_out_to=site.WALL)
    def open(self):
        self.screen = self._principal.name
        return WallState.follow

    @rx.event(background=True)
    @guarded(KIOSK, signed_out_to=site.WALL)
    async def follow(self):
        async with self:
            self._run += 1  # one loop per screen: a newer one (reconnect, reload) ends this
            run, client_token = self._run, self.router.session.client_token
            key, cookie = wall_key(self.router.url.path), self._session_cookie()
        seen, fetched = None, 0.0
        while True:
            _, decision = await asyncio.to_thread(
                access.authorize, session_token=cookie, kiosk_token=key, roles=(KIOSK,))
            if not decision.allowed:  # revoked while showing: blank the screen
                async with self:
                    self.lanes, self._lanes, self.live = [], [], False
                return rx.redirect(site.WALL)
            position = await asyncio.to_thread(_feed_position)
            fresh = None
            if position != seen or time.monotonic() - fetched > REFETCH_S:
                seen, fresh = await asyncio.to_thread(_read_lanes)
                fetched = time.monotonic()
            async with self:
                if self._run != run or not _still_connected(client_token):
                    return None
                if fresh is not None:
                    self._lanes = fresh
                    self.updated = local(utcnow(), "%H:%M:%S")
                self._render()
                self.live = True
            await asyncio.sleep(TICK_S)
