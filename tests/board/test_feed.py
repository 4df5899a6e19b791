"""The change feed: every committed order event is seen once, late commits included."""

from __future__ import annotations

import sqlalchemy as sa

from dashboard.domain.columns import utcnow
from dashboard.domain.orders import OrderEvent
from dashboard.services.board import FeedCursor, feed
from dashboard.services.db import read_session, write_session
from tests.board.conftest import in_lane, place


def poll(url, cursor, now=0.0):
    with read_session(url) as s:
        return cursor.poll(s, now)


def test_the_cursor_sees_each_change_once_in_order(url):
    with read_session(url) as s:
        cursor = FeedCursor(feed.latest_event_id(s))
    assert poll(url, cursor) == []
    first, second = place(url), place(url)
    seen = poll(url, cursor)
    assert [(e.type, e.order_number) for e in seen] == [("placed", first), ("placed", second)]
    assert poll(url, cursor) == []
    paid = in_lane(url, "paid")
    assert [e.type for e in poll(url, cursor)] == ["placed", "payment_recorded"]
    assert paid


def test_an_event_committed_late_under_a_lower_id_is_still_seen(url):
    number = place(url)
    with read_session(url) as s:
        cursor = FeedCursor(feed.latest_event_id(s))
        order_id = s.exec(sa.select(OrderEvent.order_id)).scalars().first()
    # ids 1 and 2 after the cursor: 2 commits first, 1 (a slow transaction) afterwards
    start = cursor.last
    with write_session(url) as s:
        s.connection().execute(sa.insert(OrderEvent.__table__), [dict(
            id=start + 2, order_id=order_id, type="note_added", actor="a", actor_kind="user",
            created_at=utcnow(), parameters={})])
    assert [e.id for e in poll(url, cursor, now=1.0)] == [start + 2]
    with write_session(url) as s:
        s.connection().execute(sa.insert(OrderEvent.__table__), [dict(
            id=start + 1, order_id=order_id, type="status_changed", actor="a", actor_kind="user",
            created_at=utcnow(), parameters={})])
    late = poll(url, cursor, now=2.0)
    assert [(e.id, e.order_number) for e in late] == [(start + 1, number)]
    assert poll(url, cursor, now=3.0) == []


def test_ids_that_never_commit_are_forgotten(url):
    place(url)
    with read_session(url) as s:
        cursor = FeedCursor(feed.latest_event_id(s))
        order_id = s.exec(sa.select(OrderEvent.order_id)).scalars().first()
    with write_session(url) as s:
        s.connection().execute(sa.insert(OrderEvent.__table__), [dict(
            id=cursor.last + 5, order_id=order_id, type="note_added", actor="a",
            actor_kind="user", created_at=utcnow(), parameters={})])
    poll(url, cursor, now=0.0)
    assert len(cursor._gaps) == 4
    poll(url, cursor, now=feed.GAP_SECONDS + 1)
    assert cursor._gaps == {}


def test_a_mark_names_the_ids_a_read_does_not_include_yet(url):
    place(url)
    with read_session(url) as s:
        start = feed.latest_event_id(s)
        order_id = s.exec(sa.select(OrderEvent.order_id)).scalars().first()
    # id start + 2 commits while start + 1 is still in a slow transaction
    with write_session(url) as s:
        s.connection().execute(sa.insert(OrderEvent.__table__), [dict(
            id=start + 2, order_id=order_id, type="note_added", actor="a", actor_kind="user",
            created_at=utcnow(), parameters={})])
    with read_session(url) as s:
        mark = feed.feed_mark(s)
    assert (mark.newest, mark.missing) == (start + 2, frozenset({start + 1}))
    assert mark.includes(start) and mark.includes(start + 2)
    assert not mark.includes(start + 1) and not mark.includes(start + 3)
    assert not mark.includes(start + 2 - feed.MARK_WINDOW)  # too old to tell
    # a follower starting at that mark still catches the late commit
    cursor = FeedCursor.starting_at(mark, now=0.0)
    with write_session(url) as s:
        s.connection().execute(sa.insert(OrderEvent.__table__), [dict(
            id=start + 1, order_id=order_id, type="status_changed", actor="a",
            actor_kind="user", created_at=utcnow(), parameters={})])
    assert [e.id for e in poll(url, cursor, now=1.0)] == [start + 1]
