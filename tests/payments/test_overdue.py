"""Due dates in business days and the automatic cancellation of unpaid orders, with a
frozen clock (the `now` every service takes) across a weekend and Christmas in NSW."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import Order, OrderEvent
from dashboard.domain.stock import StockMovement
from dashboard.services import payments, stock
from dashboard.services.db import read_session, write_session
from dashboard.services.payments import BusinessCalendar, overdue
from fulfil_testkit.factories import STAFF, add_product
from tests.payments.conftest import count, get_order, place

SYDNEY = ZoneInfo("Australia/Sydney")


def sydney(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SYDNEY)


def backdate(url: str, number: int, when: datetime) -> None:
    with write_session(url) as s:
        s.connection().execute(sa.update(Order).where(Order.number == number)
                               .values(placed_at=when))


def sweep(url: str, when: datetime) -> overdue.SweepResult:
    with write_session(url) as s:
        return overdue.cancel_overdue(s, now=when)


def committed(url: str, sku: str = "MUG-1") -> int:
    with read_session(url) as s:
        return stock.stock_level(s, sku).committed


def test_business_days_skip_weekends_and_public_holidays():
    nsw = BusinessCalendar("AU", "NSW")
    assert nsw.add(date(2026, 12, 4), 2) == date(2026, 12, 8)  # Fri -> Mon, Tue
    # Christmas (Fri), the weekend, Boxing Day observed (Mon 28): Thu 24 + 2 = Wed 30
    assert nsw.add(date(2026, 12, 24), 2) == date(2026, 12, 30)
    assert nsw.holiday_name(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert nsw.between(date(2026, 12, 24), date(2026, 12, 31)) == 3
    assert nsw.latest_start_before(date(2026, 12, 31), 2) == date(2026, 12, 28)  # a holiday
    assert nsw.latest_start_before(date(2026, 12, 30), 2) == date(2026, 12, 23)
    # a state holiday in one state only: Labour Day is in October in NSW, March in Victoria
    assert not nsw.is_business_day(date(2026, 10, 5))
    assert BusinessCalendar("AU", "VIC").is_business_day(date(2026, 10, 5))


def test_auto_cancel_is_off_by_default(url):
    add_product(url, "MUG-1", on_hand=5)
    number = place(url)
    backdate(url, number, sydney(2026, 1, 5))
    result = sweep(url, sydney(2026, 12, 31))
    assert result.enabled == {} and result.cancelled == []
    assert get_order(url, number).status == "unpaid"


def test_unpaid_bank_orders_are_cancelled_after_two_business_days_over_christmas(url, monkeypatch):
    # given auto-cancel after 2 business days for bank transfers only
    monkeypatch.setenv("AUTO_CANCEL_DAYS_BANK_TRANSFER", "2")
    add_product(url, "MUG-1", on_hand=20)
    christmas_eve = place(url, quantity=2)
    cheque = place(url, method="cheque")
    recent = place(url)
    paid = place(url)
    for n in (christmas_eve, cheque, paid):
        backdate(url, n, sydney(2026, 12, 24, 16, 30))
    backdate(url, recent, sydney(2026, 12, 29))
    with write_session(url) as s:
        payments.mark_paid(s, actor=STAFF, numbers=[paid], reference="DEP-1")
    assert committed(url) == 5
    # when the scheduler runs late on Wednesday 30 December: not yet (Fri 25 and Mon 28
    # are public holidays, so Tue 29 and Wed 30 are the two business days)
    assert sweep(url, sydney(2026, 12, 30, 23, 55)).cancelled == []
    # then just after midnight it cancels the Christmas Eve bank order and nothing else
    result = sweep(url, sydney(2026, 12, 31, 0, 5))
    assert result.cancelled == [christmas_eve]
    order = get_order(url, christmas_eve)
    assert order.status == "cancelled"
    assert order.cancel_reason == "Not paid within 2 business days (bank transfer)."
    assert committed(url) == 3  # its two units are free again
    assert {get_order(url, n).status for n in (cheque, recent)} == {"unpaid"}
    # and running it again (cron, or another worker) changes nothing
    assert sweep(url, sydney(2026, 12, 31, 0, 10)).cancelled == []
    assert count(url, StockMovement, StockMovement.reason == "order_cancelled") == 1
    with read_session(url) as s:
        event = s.exec(sa.select(OrderEvent.parameters, OrderEvent.actor)
                       .where(OrderEvent.type == "cancelled")).one()
    assert event.parameters["automatic"] is True and event.actor == "scheduler:auto-cancel"


def test_a_friday_order_waits_for_the_weekend_to_pass(url, monkeypatch):
    monkeypatch.setenv("AUTO_CANCEL_DAYS_BANK_TRANSFER", "2")
    add_product(url, "MUG-1", on_hand=5)
    number = place(url)
    backdate(url, number, sydney(2026, 12, 4, 17))  # Friday evening
    for day in (5, 6, 7, 8):  # Sat, Sun, Mon (1), Tue (2)
        assert sweep(url, sydney(2026, 12, day, 23)).cancelled == []
    assert sweep(url, sydney(2026, 12, 9, 9)).cancelled == [number]


def test_several_workers_sweeping_at_once_cancel_each_order_once(url, monkeypatch):
    monkeypatch.setenv("AUTO_CANCEL_DAYS_BANK_TRANSFER", "1")
    monkeypatch.setenv("AUTO_CANCEL_NOTIFY_CUSTOMER", "1")
    add_product(url, "MUG-1", on_hand=50)
    numbers = [place(url, quantity=2, email=f"c{i}@example.com") for i in range(10)]
    for n in numbers:
        backdate(url, n, sydney(2026, 12, 1))
    start = threading.Barrier(4)

    def worker(_):
        start.wait()
        return sweep(url, sydney(2026, 12, 10)).cancelled

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(worker, range(4)))
    assert sorted(n for r in results for n in r) == numbers  # each exactly once
    assert committed(url) == 0
    assert count(url, StockMovement, StockMovement.reason == "order_cancelled") == 10
    assert count(url, OutboxMessage, OutboxMessage.topic == "order_cancelled") == 10


def test_paying_and_auto_cancelling_at_the_same_moment_never_do_both(url, monkeypatch):
    monkeypatch.setenv("AUTO_CANCEL_DAYS_BANK_TRANSFER", "1")
    add_product(url, "MUG-1", on_hand=50)
    numbers = [place(url, email=f"r{i}@example.com") for i in range(12)]
    for n in numbers:
        backdate(url, n, sydney(2026, 12, 1))
    start = threading.Barrier(2)

    def pay(_):
        start.wait()
        with write_session(url) as s:
            return payments.mark_paid(s, actor=STAFF, numbers=numbers, reference="DEP").done

    def cancel(_):
        start.wait()
        return sweep(url, sydney(2026, 12, 10)).cancelled

    with ThreadPoolExecutor(max_workers=2) as pool:
        paid, cancelled = pool.submit(pay, 0), pool.submit(cancel, 0)
        paid, cancelled = paid.result(), cancelled.result()
    assert sorted(paid + cancelled) == numbers and not set(paid) & set(cancelled)
    assert committed(url) == len(paid)
    for n in numbers:
        order = get_order(url, n)
        assert (order.status, order.payment_status) in {("paid", "paid"), ("cancelled", "unpaid")}


def test_the_unpaid_queue_flags_overdue_orders_by_method(url):
    add_product(url, "MUG-1", on_hand=10)
    bank = place(url)
    cheque = place(url, method="cheque")
    pickup = place(url, method="card")
    for n in (bank, cheque, pickup):
        backdate(url, n, sydney(2026, 12, 4, 17))  # Friday
    with read_session(url) as s:
        queue = overdue.unpaid_queue(s, now=sydney(2026, 12, 9, 9))  # Wednesday
    rows = {r["number"]: r for r in queue["items"]}
    assert rows[bank]["due_on"] == date(2026, 12, 8) and rows[bank]["overdue"]
    assert rows[bank]["days_overdue"] == 1
    assert rows[cheque]["due_on"] == date(2026, 12, 11) and not rows[cheque]["overdue"]
    assert rows[pickup]["overdue"]  # a card order still unpaid after a business day
    assert queue["counts"] == {"all": 3, "overdue": 2, "flagged": 0}
    with read_session(url) as s:
        only = overdue.unpaid_queue(s, only="overdue", method="bank_transfer",
                                    now=sydney(2026, 12, 9, 9))
    assert [r["number"] for r in only["items"]] == [bank]


def test_a_bad_setting_is_named(url, monkeypatch):
    monkeypatch.setenv("AUTO_CANCEL_DAYS_CHEQUE", "ten")
    with pytest.raises(payments.ValidationFailed, match="AUTO_CANCEL_DAYS_CHEQUE"):
        sweep(url, sydney(2026, 12, 9))


def test_the_in_app_scheduler_sweeps_on_its_own(url, monkeypatch):
    import asyncio

    monkeypatch.setenv("AUTO_CANCEL_DAYS_BANK_TRANSFER", "1")
    add_product(url, "MUG-1", on_hand=5)
    number = place(url)
    backdate(url, number, sydney(2026, 1, 5))

    async def run_briefly():
        task = asyncio.create_task(overdue.run_scheduler(interval_s=0.05))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if get_order(url, number).status == "cancelled":
                break
        task.cancel()

    asyncio.run(run_briefly())
    assert get_order(url, number).status == "cancelled"
