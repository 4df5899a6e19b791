"""Many orders at once: each one done or not, and why; never half an order."""

from __future__ import annotations

import pytest

from dashboard.domain.errors import ValidationFailed
from dashboard.services import orders, stock
from dashboard.services.db import read_session, write_session
from dashboard.services.orders import bulk
from fulfil_testkit.factories import pay
from tests.desk.conftest import AGENT, place


def status(url, number):
    with read_session(url) as s:
        o = orders.get_order(s, number)
        return str(o.status), str(o.payment_status)


def test_mark_paid_reports_each_order(shop):
    a = place(shop, ("MUG-1", 1))
    b = place(shop, ("MUG-1", 1))
    c = place(shop, ("MUG-1", 1))
    with write_session(shop) as s:
        orders.cancel_order(s, actor=AGENT, number=c.number, reason="x")
        result = bulk.run_bulk(s, actor=AGENT, action="mark_paid",
                               numbers=[a.number, b.number, c.number, 999999],
                               reference="BANK-REF-7")
    by = {o.number: o for o in result.outcomes}
    assert by[a.number].ok and by[b.number].ok
    assert not by[c.number].ok and "cancel" in by[c.number].message.lower()
    assert not by[999999].ok
    assert result.summary == "2 of 4 done, 2 not"
    assert status(shop, a.number) == ("paid", "paid")


def test_ship_cancel_and_note(shop):
    paid = place(shop, ("MUG-1", 2))
    unpaid = place(shop, ("TEA-1", 1))
    with write_session(shop) as s:
        pay(s, paid.number, actor=AGENT)
        shipped = bulk.run_bulk(s, actor=AGENT, action="mark_shipped",
                                numbers=[paid.number, unpaid.number], carrier="AusPost")
        noted = bulk.run_bulk(s, actor=AGENT, action="note", numbers=[paid.number, unpaid.number],
                              body="Checked by phone")
        cancelled = bulk.run_bulk(s, actor=AGENT, action="cancel",
                                  numbers=[paid.number, unpaid.number], reason="duplicate")
    assert [o.ok for o in shipped.outcomes] == [True, False]
    assert "unpaid" in shipped.outcomes[1].message and shipped.outcomes[1].code
    assert all(o.ok for o in noted.outcomes)
    assert [o.ok for o in cancelled.outcomes] == [False, True]
    assert "shipped" in cancelled.outcomes[0].message
    with read_session(shop) as s:
        assert stock.stock_level(s, "MUG-1").on_hand == 18  # shipped once, not cancelled
        assert stock.stock_level(s, "TEA-1").committed == 0  # released by the cancel


def test_a_bad_request_touches_nothing(shop):
    a = place(shop, ("MUG-1", 1))
    for kwargs in ({"action": "explode", "numbers": [a.number]},
                   {"action": "cancel", "numbers": [a.number]},  # no reason
                   {"action": "note", "numbers": [a.number], "body": " "},
                   {"action": "note", "numbers": [], "body": "x"},
                   {"action": "note", "numbers": list(range(1, 1100)), "body": "x"}):
        with write_session(shop) as s, pytest.raises(ValidationFailed):
            bulk.run_bulk(s, actor=AGENT, **kwargs)
    assert status(shop, a.number) == ("unpaid", "unpaid")


def test_progress_is_reported(shop):
    numbers = [place(shop, ("MUG-1", 1)).number for _ in range(3)]
    seen = []
    with write_session(shop) as s:
        bulk.run_bulk(s, actor=AGENT, action="note", numbers=numbers, body="hello",
                      progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
