"""The overview's figures for a small shop, checked against sums done by hand, on SQLite
and PostgreSQL: a week in Sydney (UTC+11 in December), an order placed half an hour after
local midnight that UTC still dates the day before, a cancelled order left out, an order
from the week before still unpaid; and an empty shop."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlmodel import select

from dashboard.domain.board import BusinessHours
from dashboard.domain.orders import Order, OrderEvent, OrderLine, OrderStatus
from dashboard.domain.payments import PaymentMethod
from dashboard.services import orders, overview, shipping
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, add_product, order_in, pay

SYD = ZoneInfo("Australia/Sydney")
WEEK = date(2026, 11, 30)  # a Monday
AFTER = datetime(2026, 12, 10, tzinfo=UTC)  # "now": the week is over
HOURS = BusinessHours(time(9), time(17), SYD, lambda d: d.weekday() < 5)


def _at(day: int, hh: int, mm: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hh, mm, tzinfo=SYD).astimezone(UTC)


def _retime(url: str, number: int, placed: datetime, **events: datetime) -> None:
    """Move an order and its events (by type) to the times of the story."""
    o, e = Order.__table__, OrderEvent.__table__
    with write_session(url) as s:
        conn = s.connection()
        oid = conn.execute(sa.select(o.c.id).where(o.c.number == number)).scalar_one()
        conn.execute(o.update().where(o.c.id == oid).values(placed_at=placed))
        conn.execute(e.update().where(e.c.order_id == oid, e.c.type == "placed")
                     .values(created_at=placed))
        for kind, at in events.items():
            where = [e.c.order_id == oid]
            if kind in ("picking", "ready_for_pickup"):
                where += [e.c.type == "status_changed", e.c.parameters["to"].as_string() == kind]
            else:
                where.append(e.c.type == kind)
            conn.execute(e.update().where(*where).values(created_at=at))


def _place(url, *lines, method=PaymentMethod.BANK_TRANSFER) -> int:
    with write_session(url) as s:
        return orders.place_order(s, actor=SHOP, order_in=order_in(*lines, payment_method=method)
                                  ).number


def _ship(url, number: int) -> None:
    with write_session(url) as s:
        pay(s, number, reference="T")
        orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.PICKING)
        order = orders.get_order(s, number)
        lines = dict(s.exec(select(OrderLine.id, OrderLine.quantity)
                            .where(OrderLine.order_id == order.id)).all())
        shipping.ship_lines(s, actor=STAFF, number=number, quantities=lines, carrier="Sendle",
                          tracking_number=f"T{number}", notify_customer=False)


@pytest.fixture
def week(db_url):
    add_product(db_url, "MUG", on_hand=20, price="12.50")
    add_product(db_url, "TEA", on_hand=20, price="4.00")
    a = _place(db_url, ("MUG", 2))
    _ship(db_url, a)
    _retime(db_url, a, _at(30, 23, 30, month=11), payment_recorded=_at(1, 10),
            picking=_at(1, 12), shipped=_at(1, 16))
    b = _place(db_url, ("TEA", 1), method=PaymentMethod.CHEQUE)
    _ship(db_url, b)
    _retime(db_url, b, _at(1, 0, 30), payment_recorded=_at(1, 0, 35), picking=_at(2, 9),
            shipped=_at(2, 11))
    c = _place(db_url, ("MUG", 1))  # the Sunday before: still unpaid
    _retime(db_url, c, _at(29, 23, 59, month=11))
    d = _place(db_url, ("TEA", 3))
    with write_session(db_url) as s:
        orders.cancel_order(s, actor=STAFF, number=d, reason="changed mind",
                            notify_customer=False)
    _retime(db_url, d, _at(2, 10), cancelled=_at(3, 10))
    return db_url


def test_orders_and_revenue_fall_on_the_merchants_local_day(week):
    p = overview.period("week", WEEK, tz=SYD)
    assert p.start == datetime(2026, 11, 29, 13, tzinfo=UTC)  # Monday 00:00 in Sydney
    with read_session(week) as s:
        per_day = overview.orders_per_day(s, p)
    got = {(r.day, r.payment_method, r.orders, r.revenue_minor)
           for r in per_day.itertuples()}
    # A on Monday (2 x 12.50); B at 00:30 Tuesday local, 13:30 Monday UTC (1 x 4.00);
    # D cancelled and C the week before are not counted
    assert got == {(date(2026, 11, 30), "bank_transfer", 1, 2500),
                   (date(2026, 12, 1), "cheque", 1, 400)}
    totals = overview.daily_totals(per_day, p, "delivery_method")
    assert len(totals) == 7 and totals["orders"].tolist() == [1, 1, 0, 0, 0, 0, 0]


def test_the_queues_at_each_local_midnight(week):
    p = overview.period("week", WEEK, tz=SYD)
    with read_session(week) as s:
        sizes = overview.queue_sizes(s, p, now=AFTER)
    table = sizes.pivot(index="at", columns="queue", values="orders")
    assert list(table.index) == list(p.bounds)
    # Mon 00:00 C; Tue A and C; Wed C unpaid, B paid; Thu C and D; from Fri C alone
    assert table["Unpaid"].tolist() == [1, 2, 1, 2, 1, 1, 1, 1]
    assert table["Paid"].tolist() == [0, 0, 1, 0, 0, 0, 0, 0]
    assert table["Picking"].sum() == 0 and table["Ready for pickup"].sum() == 0


def test_time_between_steps_counts_business_hours_only(week):
    p = overview.period("week", WEEK, tz=SYD)
    with read_session(week) as s:
        stages = overview.stage_times(s, p, hours=HOURS).set_index("stage")
    # A: Mon 23:30 -> paid Tue 10:00 = 1h, shipped Tue 16:00: 6h after paid, 7h after placed
    # B: Tue 00:30 -> paid 00:35 = 0h (before opening), shipped Wed 11:00: 8h + 2h = 10h
    assert stages.loc["placed → paid", "median_hours"] == pytest.approx(0.5)
    assert stages.loc["placed → paid", "p90_hours"] == pytest.approx(0.9)
    assert stages.loc["paid → shipped", "median_hours"] == pytest.approx(8.0)
    assert stages.loc["paid → shipped", "p90_hours"] == pytest.approx(9.6)
    assert stages.loc["placed → shipped", "median_hours"] == pytest.approx(8.5)
    assert stages.loc["placed → shipped", "orders"] == 2


def test_top_products_unpaid_ageing_and_late_orders(week):
    p = overview.period("week", WEEK, tz=SYD)
    with read_session(week) as s:
        top = overview.top_products(s, p)
        unpaid = overview.unpaid_ageing(s, now=AFTER)
        late = overview.late_by_lane(s, now=AFTER)
    assert [(r.sku, r.units, r.revenue_minor) for r in top.itertuples()] == [
        ("MUG", 2, 2500), ("TEA", 1, 400)]
    # C, placed on 29 November, is over 7 days old on 10 December
    assert [(r.payment_method, r.age, r.orders, r.value_minor) for r in unpaid.itertuples()] == [
        ("bank_transfer", "over 7 days", 1, 1250)]
    assert late.set_index("lane").loc["Unpaid", "orders"] == 1


def test_a_month_and_a_day_and_the_dst_change():
    month = overview.period("month", date(2026, 10, 15), tz=SYD)
    assert len(month.days) == 31 and month.days[0] == date(2026, 10, 1)
    # Sydney moves its clocks forward on 4 October 2026: that local day has 23 hours
    i = month.days.index(date(2026, 10, 4))
    assert (month.bounds[i + 1] - month.bounds[i]).total_seconds() == 23 * 3600
    day = overview.period("day", now=datetime(2026, 12, 3, 14, tzinfo=UTC), tz=SYD)
    assert day.days == (date(2026, 12, 4),)  # 14:00 UTC is already tomorrow in Sydney


def test_an_empty_shop_has_every_chart_with_nothing_in_it(db_url):
    with read_session(db_url) as s:
        report = overview.load_overview(s, kind="month", now=AFTER)
    assert len(report.charts) == 8
    assert report.today["Orders today"] == "0" and report.today["Revenue today"] == "—"
    by_key = {c.key: c for c in report.charts}
    assert all(row[3] == "0" for row in by_key["orders-payment"].rows)  # a zero every day
    assert by_key["top"].rows == [] and by_key["unpaid"].rows == []
    assert by_key["queues"].csv.startswith("at,queue,orders")


def test_the_report_of_the_small_shop_has_tables_and_csv(week):
    with read_session(week) as s:
        report = overview.load_overview(s, kind="week", anchor=WEEK, now=AFTER)
    by_key = {c.key: c for c in report.charts}
    revenue = by_key["revenue-payment"]
    assert ["2026-11-30", "Bank transfer", "AUD", "1", "A$25.00"] in revenue.rows
    assert "2026-11-30,Bank transfer,AUD,1,2500" in revenue.csv
    assert len(revenue.figure["data"]) == 2  # a bar trace per method
