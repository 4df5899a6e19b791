"""Live screens: one follower of the order-event feed per backend process, pushing fresh
lanes to the boards and wall screens whose websocket this process holds.

Every ~300 ms the follower asks the database for the newest order-event id (one primary
key lookup, however many screens are open). When it moved, every open screen of this
worker is refreshed through `app.modify_state` and the delta goes down its websocket;
screens showing the same view share one read. With several workers on Redis each worker
follows the feed itself and serves its own sockets, so a change made anywhere (another
browser, the API, a gateway webhook, the scheduler, another worker) reaches every screen
within a second. A screen registers when its page loads (and again on every reconnect,
which re-runs the page's on_load and catches it up); one whose socket went away or moved
to another worker is dropped.

A screen is a state class implementing the `LiveScreen` methods below. Every second, and
before each push, the screen re-checks who it belongs to; a signed-out or revoked screen
is blanked and dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Hashable
from typing import Any, Protocol

import reflex as rx

from dashboard.services.board.feed import FeedCursor, FeedEvent, FeedMark, feed_mark
from dashboard.services.db import read_session

log = logging.getLogger("dashboard.live")

POLL_S = 0.3  # how often each worker asks for the newest event id
HEARTBEAT_S = 1.0  # a quiet screen is re-checked (revoked? signed out?) this often
REFRESH_S = 60.0  # and re-reads its lanes this often (time windows, overdue flags)
PARALLEL = 8  # screens refreshed at once


class LiveScreen(Protocol):
    _as_of: FeedMark  # which order events the screen's view includes

    async def _live_allowed(self) -> bool: ...  # may this screen still see its view?
    def _live_key(self) -> Hashable | None: ...  # what it shows (None: nothing live)
    @staticmethod
    def _live_load(key: Hashable) -> Any: ...  # read that view (runs in a thread)
    def _live_apply(self, view: Any, events: list[FeedEvent], now_ms: int) -> None: ...
    def _live_heartbeat(self, now_ms: int) -> None: ...


def _socket_here(app: rx.App, token: str) -> bool:
    """Is this tab's websocket connected to this process (not gone, not another worker)?

    Reflex keeps which worker holds each socket in its token manager (Redis or local); a
    socket elsewhere is that worker's to serve. Without that record (another Reflex
    version), fall back to the namespace's public token map."""
    namespace = getattr(app, "event_namespace", None)
    manager = getattr(namespace, "_token_manager", None)
    sockets = getattr(manager, "token_to_socket", None)
    if sockets is None:
        return token in (getattr(namespace, "token_to_sid", None) or {})
    record = sockets.get(token)
    if record is None:
        return False
    return getattr(record, "instance_id", None) in (None, manager.instance_id)


class _Round:
    """One push round: the events, and views read once per distinct key."""

    def __init__(self, events: list[FeedEvent], refresh: bool) -> None:
        self.events, self.refresh = events, refresh
        self.now_ms = int(time.time() * 1000)
        self._views: dict[Hashable, asyncio.Future] = {}

    async def view(self, key: Hashable, load: Callable[[Hashable], Any]) -> Any:
        future = self._views.get(key)
        if future is None:
            future = self._views[key] = asyncio.ensure_future(asyncio.to_thread(load, key))
        return await future


class LiveFeed:
    """The follower of one process. `follow` registers a screen; `run` is a lifespan task."""

    def __init__(self) -> None:
        self._screens: dict[str, type] = {}  # client token -> its live state class
        self._cursor: FeedCursor | None = None
        self.rounds = 0  # pushes made (tests and the bench read it)

    def follow(self, token: str, state_cls: type) -> None:
        self._screens[token] = state_cls

    def forget(self, token: str) -> None:
        self._screens.pop(token, None)

    @property
    def screens(self) -> int:
        return len(self._screens)

    def _poll(self) -> list[FeedEvent]:
        with read_session() as session:
            if self._cursor is None:
                self._cursor = FeedCursor.starting_at(feed_mark(session), time.monotonic())
                return []
            return self._cursor.poll(session, time.monotonic())

    async def run(self, app: rx.App) -> None:
        """Follow the feed until the app stops."""
        last_beat = last_refresh = time.monotonic()
        while True:
            try:
                events = await asyncio.to_thread(self._poll)
                now = time.monotonic()
                refresh = now - last_refresh >= REFRESH_S
                if (events or refresh or now - last_beat >= HEARTBEAT_S) and self._screens:
                    await self._push(app, _Round(events, refresh))
                    last_beat = now
                    last_refresh = now if refresh else last_refresh
            except asyncio.CancelledError:
                raise
            except Exception:  # the database or Redis blinked: keep following
                log.exception("live feed round failed")
                await asyncio.sleep(1.0)
            await asyncio.sleep(POLL_S)

    async def _push(self, app: rx.App, rnd: _Round) -> None:
        limit = asyncio.Semaphore(PARALLEL)

        async def one(token: str, cls: type) -> None:
            async with limit:
                if not _socket_here(app, token):
                    self.forget(token)
                    return
                try:
                    async with app.modify_state(rx.BaseStateToken(ident=token, cls=cls)) as root:
                        screen = await root.get_state(cls)
                        if not await self._refresh(screen, rnd):
                            self.forget(token)
                except Exception:
                    log.exception("could not refresh live screen %s", token[:8])
                    self.forget(token)

        await asyncio.gather(*(one(t, c) for t, c in list(self._screens.items())))
        self.rounds += 1

    @staticmethod
    async def _refresh(screen: LiveScreen, rnd: _Round) -> bool:
        if not await screen._live_allowed():
            return False
        key = screen._live_key()
        if key is None:
            return False
        # Ids commit out of order on PostgreSQL: compare each event, not the newest id.
        if rnd.refresh or any(not screen._as_of.includes(e.id) for e in rnd.events):
            view = await rnd.view(key, type(screen)._live_load)
            screen._live_apply(view, rnd.events, rnd.now_ms)
        else:
            screen._live_heartbeat(rnd.now_ms)
        return True


FEED = LiveFeed()


async def follow_order_events(app: rx.App) -> None:
    """The lifespan task: `app.register_lifespan_task(follow_order_events)`."""
    with contextlib.suppress(asyncio.CancelledError):
        await FEED.run(app)
