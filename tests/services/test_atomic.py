"""The one transaction helper (services/db.py `atomic`): a service commits once when it
succeeds, leaves nothing behind when it fails, and a service it calls joins its transaction."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import OrderNote
from dashboard.services import orders
from dashboard.services.db import atomic, read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, add_product, order_in


def notes(url: str) -> list[str]:
    with read_session(url) as s:
        return list(s.exec(sa.select(OrderNote.body).order_by(OrderNote.id)).scalars())


@atomic
def note_twice(session: Session, number: int, second: str) -> None:
    orders.add_note(session, actor=STAFF, number=number, body="first")
    orders.add_note(session, actor=STAFF, number=number, body=second)  # "" is refused


@pytest.fixture
def number(db_url):
    add_product(db_url, "MUG-1", on_hand=5)
    with write_session(db_url) as s:
        return orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 1))).number


def test_a_service_that_calls_others_commits_once_at_the_end(db_url, number, monkeypatch):
    commits = []
    with write_session(db_url) as s:
        real = s.commit
        monkeypatch.setattr(s, "commit", lambda: (commits.append(1), real())[1])
        note_twice(s, number, "second")
        assert len(commits) == 1  # the two add_note calls joined note_twice's transaction
    assert notes(db_url) == ["first", "second"]


def test_a_refusal_half_way_leaves_nothing_behind(db_url, number):
    with write_session(db_url) as s, pytest.raises(ValidationFailed):
        note_twice(s, number, "")
    assert notes(db_url) == []  # the first note, written before the refusal, is gone too
    with write_session(db_url) as s:  # and the session is usable again
        orders.add_note(s, actor=STAFF, number=number, body="later")
    assert notes(db_url) == ["later"]
