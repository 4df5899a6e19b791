"""The per-process follower of the order-event feed, without a browser: who gets pushed
what, with one read per distinct view, and which screens are dropped."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from dashboard.domain.orders import Actor, ActorKind, OrderStatus
from dashboard.services import board, orders
from dashboard.services.board.feed import FeedEvent, FeedMark
from dashboard.services.db import get_engine, write_session
from dashboard.state.board.live import LiveFeed, _Round, _socket_here
from fulfil_testkit.factories import STAFF, pay
from tests.board.conftest import in_lane, shop

EVENT = [FeedEvent(11, "placed", 100001)]
OTHER = Actor(ActorKind.USER, "other@example.com", 2)


class Screen:
    """A stand-in for a board or wall state."""

    loads: list = []

    def __init__(self, key="all", as_of=10, allowed=True) -> None:
        self.key, self._as_of, self.allowed = key, FeedMark(as_of), allowed
        self.applied, self.beats = [], 0

    async def _live_allowed(self) -> bool:
        return self.allowed

    def _live_key(self):
        return self.key

    @staticmethod
    def _live_load(key):
        Screen.loads.append(key)
        return (FeedMark(11), f"view of {key}")

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
    push(feed, fake_app(screens, here=set(screens)), _Round(EVENT, refresh=False))
    assert sorted(Screen.loads) == ["all", "filtered"]
    assert [s.applied for s in screens.values()] == [["view of all"]] * 2 + [["view of filtered"]]


def test_a_screen_already_up_to_date_only_hears_the_heartbeat():
    Screen.loads = []
    fresh, stale = Screen(as_of=11), Screen(as_of=10)
    screens = {"fresh": fresh, "stale": stale}
    feed = LiveFeed()
    for token in screens:
        feed.follow(token, Screen)
    push(feed, fake_app(screens, here=set(screens)), _Round(EVENT, refresh=False))
    assert (fresh.applied, fresh.beats) == ([], 1)
    assert stale.applied == ["view of all"]
    push(feed, fake_app(screens, here=set(screens)), _Round([], refresh=True))
    assert fresh.applied == ["view of all"]  # the periodic re-read reaches everyone


def test_screens_elsewhere_gone_or_no_longer_allowed_are_dropped():
    screens = {"here": Screen(), "other-worker": Screen(), "revoked": Screen(allowed=False)}
    feed = LiveFeed()
    for token in screens:
        feed.follow(token, Screen)
    feed.follow("gone", Screen)
    push(feed, fake_app(screens, here={"here", "revoked"}), _Round(EVENT, refresh=False))
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


# --- out-of-order commits, on the real database ---------------------------------------------


def _board_screen(monkeypatch):
    """A real BoardState (allowed, no browser) and a fake app that pushes to it."""
    import reflex as rx

    from dashboard.state.board import BoardState

    async def get():
        return await rx.State(_reflex_internal_init=True).get_state(BoardState)

    screen = asyncio.run(get())

    async def allowed(self) -> bool:
        return True

    monkeypatch.setattr(BoardState, "_live_allowed", allowed)
    return screen, fake_app({"tab": screen}, here={"tab"}), BoardState


def _cards(screen, lane: str) -> list[int]:
    return [card["n"] for card in getattr(screen, f"lane_{lane}")["cards"]]


@pytest.mark.postgres
@pytest.mark.parametrize("feed_polls_between", [True, False])
def test_a_change_committed_after_a_later_one_still_reaches_an_open_board(
        postgres_url, monkeypatch, feed_polls_between):
    """PostgreSQL hands out event ids at insert, so a slow payment can commit id n after a
    quick status change committed id n + 1, and a board read in between holds n + 1 but
    not n. The payment must still reach that board at the next round, not at the 60 s
    re-read."""
    # (SQLite admits one writer at a time: its ids commit in order)
    url = shop(postgres_url, monkeypatch)
    slow, quick = in_lane(url, "unpaid"), in_lane(url, "paid")
    screen, app, cls = _board_screen(monkeypatch)
    feed = LiveFeed()
    feed.follow("tab", cls)
    feed._poll()  # the follower starts at the newest event

    # given: the payment has its event id and waits to commit; the quick move commits
    inserted, release = threading.Event(), threading.Event()
    engine = get_engine(url)

    def hold_the_payment(conn):
        if threading.current_thread().name == "slow-payment":
            inserted.set()
            release.wait(10)

    sa.event.listen(engine, "commit", hold_the_payment)
    try:
        def pay_slowly():
            with write_session(url) as s:
                pay(s, slow, reference="TX-SLOW")

        payer = threading.Thread(target=pay_slowly, name="slow-payment")
        payer.start()
        assert inserted.wait(10)
        with write_session(url) as s:
            orders.change_status(s, actor=STAFF, number=quick, target=OrderStatus.PICKING)
        asyncio.run(screen._reload())  # the board reads: the quick move in, the payment not
        assert slow in _cards(screen, "unpaid") and quick in _cards(screen, "picking")
        if feed_polls_between:
            push(feed, app, _Round(feed._poll(), refresh=False))
        release.set()
        payer.join(10)
    finally:
        release.set()
        sa.event.remove(engine, "commit", hold_the_payment)

    # when: the next round of the follower
    events = feed._poll()
    assert "payment_recorded" in [e.type for e in events]
    push(feed, app, _Round(events, refresh=False))

    # then: the board shows the payment
    assert slow in _cards(screen, "paid") and slow not in _cards(screen, "unpaid")


def test_a_change_elsewhere_reaches_a_board_that_just_moved_a_card_itself(url, monkeypatch):
    """A move re-reads only its two lanes; a hold made meanwhile in another browser must
    still reach the third lane at the next round."""
    held, moved = in_lane(url, "unpaid"), in_lane(url, "paid")
    screen, app, cls = _board_screen(monkeypatch)
    feed = LiveFeed()
    feed.follow("tab", cls)
    feed._poll()
    asyncio.run(screen._reload())
    with write_session(url) as s:  # another browser
        orders.change_status(s, actor=OTHER, number=held, target=OrderStatus.ON_HOLD,
                             reason="customer away")
    with write_session(url) as s:  # this tab
        result = board.move_card(s, actor=STAFF, number=moved, to_lane="picking")
    asyncio.run(screen._moved(result))
    assert moved in _cards(screen, "picking")

    push(feed, app, _Round(feed._poll(), refresh=False))

    assert held in _cards(screen, "on_hold") and held not in _cards(screen, "unpaid")
