"""The board's lanes: exact counts and totals, cards with flags and ages, a window at a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from dashboard.domain.columns import utcnow
from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import Order
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.domain.stock import Stock
from dashboard.services import board, orders, shipping
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import STAFF, pay
from tests.board.conftest import in_lane, load, place, set_time

SYDNEY = ZoneInfo("Australia/Sydney")


def test_each_lane_counts_its_orders_and_their_value_exactly(url):
    # given: orders in every lane, one of them worth two mugs and a tea
    unpaid = [place(url), place(url, ("MUG-1", 2), ("TEA-1", 1))]
    paid = in_lane(url, "paid")
    picking = in_lane(url, "picking")
    pickup = in_lane(url, "ready_for_pickup")
    shipped = in_lane(url, "shipped")
    held = in_lane(url, "on_hold")
    cancelled = place(url)
    with write_session(url) as s:
        orders.cancel_order(s, actor=STAFF, number=cancelled)
    # when
    lanes = load(url)
    # then
    assert {k: v.summary.count for k, v in lanes.items()} == {
        "unpaid": 2, "paid": 1, "picking": 1, "ready_for_pickup": 1, "shipped": 1, "on_hold": 1}
    assert lanes["unpaid"].summary.totals == {"AUD": 1250 + 2 * 1250 + 805}
    assert [c.number for c in lanes["unpaid"].cards] == unpaid  # oldest first
    assert lanes["unpaid"].cards[1].items == 3
    assert [c.number for c in lanes["paid"].cards] == [paid]
    assert lanes["picking"].cards[0].number == picking
    assert lanes["ready_for_pickup"].cards[0].number == pickup
    assert lanes["shipped"].cards[0].number == shipped
    assert lanes["on_hold"].cards[0].hold_reason == "customer away"
    assert lanes["on_hold"].cards[0].number == held


def test_a_lane_loads_a_window_at_a_time_and_the_count_stays_exact(url):
    numbers = [place(url) for _ in range(7)]
    lanes = load(url, windows={"unpaid": 3})
    assert lanes["unpaid"].summary.count == 7 and lanes["unpaid"].has_more
    assert [c.number for c in lanes["unpaid"].cards] == numbers[:3]
    with read_session(url) as s:
        more = board.lane_page(s, "unpaid", offset=3, limit=3)
        last = board.lane_page(s, "unpaid", offset=6, limit=3)
    assert [c.number for c in more + last] == numbers[3:]
    with read_session(url) as s, pytest.raises(ValidationFailed):
        board.lane_page(s, "unpaid", offset=board.MAX_WINDOW)
    assert len(load(url, windows={"unpaid": 10_000})["unpaid"].cards) == 7  # capped, not refused


def test_cards_carry_their_flags(url):
    noted = place(url, note="Leave at the back door")
    part = place(url, ("MUG-1", 2), ("TEA-1", 1), method=PaymentMethod.CARD)
    with write_session(url) as s:
        pay(s, part)
        line = orders.order_lines(s, orders.get_order(s, part).id)[0]
        shipping.ship_lines(s, actor=STAFF, number=part, quantities={line.id: 1})
        s.connection().execute(sa.update(Order).where(Order.number == noted)
                               .values(address_status="invalid"))
    lanes = load(url)
    cards = {c.number: c for lane in lanes.values() for c in lane.cards}
    assert set(cards[noted].flags) >= {"note", "address"}
    assert cards[part].lane == "picking" and "part_shipped" in cards[part].flags


@pytest.mark.parametrize("new_database", ["sqlite"], indirect=True)
def test_an_order_whose_shelf_holds_less_than_promised_is_flagged_short(url):
    short, fine = place(url, ("MUG-1", 3)), place(url, ("TEA-1", 1))
    with write_session(url) as s:  # a count found fewer mugs than open orders hold
        s.connection().exec_driver_sql("PRAGMA ignore_check_constraints = ON")
        s.connection().execute(sa.update(Stock).where(Stock.product_id == 1).values(on_hand=2))
    cards = {c.number: c for c in load(url)["unpaid"].cards}
    assert "stock_short" in cards[short].flags and "stock_short" not in cards[fine].flags


def test_overdue_bank_orders_are_flagged(url):
    old, new = place(url), place(url)
    set_time(url, old, placed_at=utcnow() - timedelta(days=20), entered=utcnow() - timedelta(days=20))
    cards = {c.number: c for c in load(url)["unpaid"].cards}
    assert "overdue" in cards[old].flags and "overdue" not in cards[new].flags


def test_search_and_filters_narrow_every_lane(url):
    ada = place(url, email="ada@example.com")
    card = place(url, method=PaymentMethod.CARD, email="grace@example.com")
    pickup = place(url, method=PaymentMethod.PAY_ON_PICKUP, delivery=DeliveryMethod.PICKUP)
    assert [c.number for c in load(url, q=str(card))["unpaid"].cards] == [card]
    assert [c.number for c in load(url, q=f"#{card}")["unpaid"].cards] == [card]
    assert load(url, q="GRACE@")["unpaid"].summary.count == 1
    assert [c.number for c in load(url, payment_method="card")["unpaid"].cards] == [card]
    assert [c.number for c in load(url, delivery_method="pickup")["unpaid"].cards] == [pickup]
    assert load(url, q="nobody")["unpaid"].summary.count == 0
    assert ada
    with pytest.raises(ValidationFailed):
        load(url, age="ancient")


def test_age_turns_cards_late_by_business_hours_and_the_filter_finds_them(url):
    # given: two paid orders, one paid on Friday afternoon, one on Monday morning
    friday, monday = in_lane(url, "paid"), in_lane(url, "paid")
    set_time(url, friday, entered=datetime(2026, 12, 4, 16, tzinfo=SYDNEY))
    set_time(url, monday, entered=datetime(2026, 12, 7, 9, 30, tzinfo=SYDNEY))
    # when: it is Monday 4:30pm (8.5 business hours after Friday 4pm: amber, not red)
    now = datetime(2026, 12, 7, 16, 30, tzinfo=SYDNEY)
    cards = {c.number: c for c in load(url, now=now)["paid"].cards}
    # then
    assert cards[friday].amber_at == datetime(2026, 12, 7, 16, tzinfo=SYDNEY)
    assert cards[friday].red_at == datetime(2026, 12, 8, 16, tzinfo=SYDNEY)
    late = load(url, age="late", now=now)["paid"]
    assert [c.number for c in late.cards] == [friday] and late.summary.count == 1
    assert load(url, age="overdue", now=now)["paid"].summary.count == 0
    assert load(url, age="overdue", now=now + timedelta(days=1))["paid"].summary.count == 1
    assert load(url, age="late", now=now)["shipped"].summary.count == 0


def test_the_shipped_lane_shows_a_chosen_window(url):
    today, last_week = in_lane(url, "shipped"), in_lane(url, "shipped")
    from dashboard.domain.shipping import Shipment

    with write_session(url) as s:
        order_id = s.exec(sa.select(Order.id).where(Order.number == last_week)).scalar_one()
        s.connection().execute(sa.update(Shipment).where(Shipment.order_id == order_id)
                               .values(shipped_at=utcnow() - timedelta(days=5)))
    assert [c.number for c in load(url)["shipped"].cards] == [today]
    assert [c.number for c in load(url, shipped_window="7d")["shipped"].cards] == [today, last_week]


def test_a_card_just_moved_stays_in_sight_beyond_its_lanes_window(url):
    numbers = [place(url) for _ in range(4)]
    newest = numbers[-1]
    lanes = load(url, windows={"unpaid": 2})
    assert newest not in [c.number for c in lanes["unpaid"].cards]
    with read_session(url) as s:
        view = board.load_board(s, windows={"unpaid": 2}, pinned=[newest, 999_999])
    unpaid = next(v for v in view.lanes if v.lane == "unpaid")
    assert [c.number for c in unpaid.cards] == numbers[:2] + [newest]
    assert unpaid.summary.count == 4
