"""The per-process follower of the order-event feed, without a browser: who gets pushed
what, with one read per distinct view, and which screens are dropped."""

from __future__ import annotations

import asyncio
import contextlib
from types import SimpleNamespace

from dashboard.services.board import FeedEvent
from dashboard.state.board import LiveFeed
from dashboard.state.board.live import _Round, _socket_here

EVENT = [FeedEvent(11, "placed", 100001)]


class Screen:
    """A stand-in for a board or wall state."""

    loads: list = []

    def __init__(self, key="all", as_of=10, allowed=True) -> None:
        self.key, self._as_of, self.allowed = key, as_of, allowed
        self.applied, self.beats = [], 0

    async def _live_allowed(self) -> bool:
        return self.allowed

    def _live_key(self):
        return self.key

    @staticmethod
    def _live_load(key):
        Screen.loads.append(key)
        return (11, f"view of {key}")

    def _live_apply(self, view, events, now_ms) -> None:
        self._as_of = view[0]
        self.applied.append(view[1])

    def _live_heartbeat(self, now_ms) -> None:
        self.beats += 1


def fake_app(screens: dict, here: set[str]):
    records = {t: SimpleNamespace(instance_id="me" if t in here else "other") for t in screens}
    manager = SimpleNamespace(token_to_socket=records, instance_id="me")

    @contextlib.asynccontextmanager
    async def modify_state(token):
        root = SimpleNamespace()

        async def get_state(cls):
            return screens[token.ident]

        root.get_state = get_state
        yield root

    return SimpleNamespace(event_namespace=SimpleNamespace(_token_manager=manager),
                           modify_state=modify_state)


def push(feed: LiveFeed, app, rnd: _Round) -> None:
    asyncio.run(feed._push(app, rnd))


def test_screens_showing_the_same_view_share_one_read():
    Screen.loads = []
    screens = {"a": Screen(), "b": Screen(), "c": Screen(key="filtered")}
    feed = LiveFeed()
    for token in screens:
        feed.follow(token, Screen)
    push(feed, fake_app(screens, here=set(screens)), _Round(11, EVENT, refresh=False))
    assert sorted(Screen.loads) == ["all", "filtered"]
    assert [s.applied for s in screens.values()] == [["view of all"]] * 2 + [["view of filtered"]]


def test_a_screen_already_up_to_date_only_hears_the_heartbeat():
    Screen.loads = []
    fresh, stale = Screen(as_of=11), Screen(as_of=10)
    screens = {"fresh": fresh, "stale": stale}
    feed = LiveFeed()
    for token in screens:
        feed.follow(token, Screen)
    push(feed, fake_app(screens, here=set(screens)), _Round(11, EVENT, refresh=False))
    assert (fresh.applied, fresh.beats) == ([], 1)
    assert stale.applied == ["view of all"]
    push(feed, fake_app(screens, here=set(screens)), _Round(11, [], refresh=True))
    assert fresh.applied == ["view of all"]  # the periodic re-read reaches everyone


def test_screens_elsewhere_gone_or_no_longer_allowed_are_dropped():
    screens = {"here": Screen(), "other-worker": Screen(), "revoked": Screen(allowed=False)}
    feed = LiveFeed()
    for token in screens:
        feed.follow(token, Screen)
    feed.follow("gone", Screen)
    push(feed, fake_app(screens, here={"here", "revoked"}), _Round(11, EVENT, refresh=False))
    assert feed._screens == {"here": Screen}
    assert screens["other-worker"].applied == [] and screens["revoked"].applied == []


def test_socket_here_falls_back_to_the_public_token_map():
    app = SimpleNamespace(event_namespace=SimpleNamespace(token_to_sid={"t1": "sid"}))
    assert _socket_here(app, "t1") and not _socket_here(app, "t2")


def test_a_tab_keeps_its_newest_moves_pinned_not_its_lowest_numbers():
    """A picker moving more cards than the service pins keeps the latest ones in sight
    (a regression: the lowest order numbers were kept and the 21st move vanished)."""
    from dashboard.services.board import MAX_PINNED
    from dashboard.state.board import PIN_SECONDS, with_pin

    pins: dict[int, float] = {}
    for i, number in enumerate(range(100_200, 100_200 - MAX_PINNED - 5, -1)):
        pins = with_pin(pins, number, now=1000.0 + i)
    assert len(pins) == MAX_PINNED
    newest = max(pins, key=pins.get)
    assert newest == 100_200 - MAX_PINNED - 4
    assert 100_200 not in pins  # the oldest move made room
    # moving the same card again renews it rather than taking a second place
    again = with_pin(pins, newest, now=1100.0)
    assert len(again) == MAX_PINNED and again[newest] == 1100.0 + PIN_SECONDS
    # expired pins go
    later = 1100.0 + PIN_SECONDS
    assert with_pin(pins, 1, now=later) == {1: later + PIN_SECONDS}
