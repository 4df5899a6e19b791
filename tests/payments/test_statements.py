"""Bank statement import over the three sample exports (and a few hostile files), on
SQLite and PostgreSQL: preview, mapping, matching, one-transaction confirm, re-import."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import OrderEvent
from dashboard.domain.payments import Payment, StatementLine
from dashboard.services.db import read_session, write_session
from dashboard.services.payments import MalformedStatement
from dashboard.services.payments.statements import match as statements
from fulfil_testkit.factories import STAFF
from tests.payments.conftest import count, get_order, priced_orders, rows

# Copies of shared/samples/bank-statements: exports as merchants' banks produce them.
SAMPLES = Path(__file__).resolve().parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def preview(url, content, name="statement.csv", **kw) -> statements.Preview:
    with read_session(url) as s:
        return statements.preview(s, content=content, filename=name, **kw)


def confirm(url, content, name="statement.csv", **kw) -> statements.ImportResult:
    with write_session(url) as s:
        return statements.confirm(s, actor=STAFF, content=content, filename=name, **kw)


def by_line(p: statements.Preview) -> dict[int, statements.PreviewLine]:
    return {line.line_no: line for line in p.lines}


AU_ORDERS = {100012: "45.00", 100015: "129.90", 100019: "64.50", 100020: "64.50",
             100021: "99.00", 100022: "210.00", 100027: "18.00", 100031: "99.95"}


def test_a_headerless_australian_export_is_read_and_matched(url):
    # given the shop's unpaid orders, numbered as the customers wrote them
    priced_orders(url, AU_ORDERS)
    # when the statement is previewed
    p = preview(url, sample("au-headerless.csv"), "au-headerless.csv")
    lines = by_line(p)
    # then the layout is recognised without a header
    assert (p.has_header, p.mapping_source, p.mapping.date_format) == (False, "guessed", "%d/%m/%Y")
    assert (p.mapping.amount, p.mapping.text, p.mapping.currency) == (1, [2], "AUD")
    # and each credit is sorted the way a bookkeeper would
    matched = {n for line in p.lines if line.status == "matched" for n in line.orders}
    assert matched == {100012, 100015, 100019, 100027, 100031}
    assert lines[5].status == "ambiguous" and lines[5].suggestions == [100020]  # amount only
    assert lines[6].status == "ambiguous" and lines[6].suggestions == [100022]  # INV100021 100022
    assert lines[8].status == "unmatched"  # a cheque deposit nobody ordered
    assert lines[3].status == lines[9].status == "debit"
    assert p.counts == {"matched": 5, "ambiguous": 2, "unmatched": 1, "already_imported": 0,
                        "debit": 2}
    assert lines[10].text.endswith("王芳") and lines[10].amount == "99.95"
    # and the preview changed nothing
    assert count(url, Payment) == 0


def test_confirm_pays_everything_at_once_and_a_reimport_pays_nothing_twice(url):
    priced_orders(url, AU_ORDERS)
    content = sample("au-headerless.csv")
    # when staff confirm, picking the suggested order for the amount-only line
    result = confirm(url, content, "nov.csv", choices={5: 100020})
    # then the five matched orders and the picked one are paid, each with its line as reference
    assert result.orders_paid == [100012, 100015, 100019, 100020, 100027, 100031]
    assert (result.lines_applied, result.amount_minor) == (6, 4500 + 12990 + 6450 * 2 + 1800 + 9995)
    assert get_order(url, 100012).status == "paid"
    assert get_order(url, 100022).payment_status == "unpaid"  # ambiguous, not picked
    refs = {p.reference for p in rows(url, Payment)}
    assert "Statement line 1: DIRECT CREDIT 123456 LI WEI ORDER 100012" in refs
    assert count(url, StatementLine) == 6
    # when the same statement is imported again
    again = preview(url, content, "nov.csv")
    assert again.imported_before and again.mapping_source == "remembered"
    assert again.counts["already_imported"] == 6 and again.counts["matched"] == 0
    second = confirm(url, content, "nov.csv")
    # then nothing is paid twice
    assert second.orders_paid == [] and count(url, Payment) == 6
    assert count(url, OrderEvent, OrderEvent.type == "payment_recorded") == 6


def test_a_header_with_separate_debit_and_credit_columns(url):
    priced_orders(url, {100033: "42.00", 100034: "15.50", 100035: "88.80", 100036: "70.00",
                        100037: "50.00", 100038: "57.25", 100041: "57.25"}, currency="GBP")
    p = preview(url, sample("generic-debit-credit.csv"))
    lines = by_line(p)
    assert (p.mapping.credit, p.mapping.debit, p.mapping.amount) == (4, 3, None)
    assert (p.mapping.date_format, p.mapping.currency) == ("%Y-%m-%d", "GBP")
    assert lines[2].orders == [100033] and lines[3].orders == [100034]
    assert lines[6].status == "matched" and lines[6].orders == [100036, 100037]  # one line, two orders
    assert lines[5].status == "ambiguous" and lines[5].suggestions == [100035]  # "10003 5"
    assert lines[9].orders == [100041]
    assert lines[7].suggestions == [100038]  # same amount as 100041, which line 9 pays
    assert lines[8].status == "unmatched"
    assert lines[4].status == lines[10].status == "debit"  # a refund out is not a payment
    result = confirm(url, sample("generic-debit-credit.csv"), choices={5: 100035})
    assert result.orders_paid == [100033, 100034, 100035, 100036, 100037, 100041]


def test_a_german_export_with_preamble_semicolons_and_decimal_commas(url):
    priced_orders(url, {100045: "1149.00", 100046: "40.00", 100047: "36.40", 100049: "45.00",
                        100050: "19.99"}, currency="EUR")
    p = preview(url, sample("eu-semicolon.csv"))
    lines = by_line(p)
    assert p.columns[:2] == ["Buchungstag", "Valuta"] and p.has_header
    assert (p.mapping.decimal, p.mapping.date_format, p.mapping.currency) == (",", "%d.%m.%Y", "EUR")
    assert lines[6].amount_minor == 114900 and lines[6].orders == [100045]  # 1.149,00
    assert lines[7].orders == [100046, 100047]
    assert lines[9].orders == [100049]
    assert lines[10].status == "ambiguous" and lines[10].suggestions == [100050]  # "10005O"
    assert lines[11].status == "unmatched"  # 45,00 "Danke!": 100049 is paid by line 9
    assert lines[8].status == "debit"


def test_a_corrected_mapping_is_remembered_for_the_next_file_of_that_layout(url):
    priced_orders(url, {100033: "42.00"}, currency="GBP")
    content = sample("generic-debit-credit.csv")
    guessed = preview(url, content).mapping.to_json()
    chosen = {**guessed, "text": [2]}  # only the Reference column
    result = confirm(url, content, mapping=chosen)
    assert result.orders_paid == [100033]
    p = preview(url, content)
    assert p.mapping_source == "remembered" and p.mapping.text == [2]
    with pytest.raises(ValidationFailed) as err:
        preview(url, content, mapping={**guessed, "date": 99, "decimal": "x"})
    assert set(err.value.fields) == {"date", "decimal"}


def test_a_malformed_file_names_the_line(url):
    too_many = b"Date,Description,Amount\n2026-11-02,ORDER 100001,12.50\n2026-11-03,A,B,C\n"
    with pytest.raises(MalformedStatement, match="Line 3 has 4 fields"):
        preview(url, too_many)
    bad_amount = b"Date,Description,Amount\n2026-11-02,ORDER 100001,12.50\n2026-11-03,X,12,5O\n"
    with pytest.raises(MalformedStatement, match="Line 3"):
        preview(url, bad_amount.replace(b"12,5O", b'"12.5O"'))
    bad_date = b"Date,Description,Amount\n2026-11-02,ORDER 100001,12.50\n2026-13-45,X,1.00\n"
    with pytest.raises(MalformedStatement, match="Line 3: '2026-13-45' is not a date"):
        preview(url, bad_date)
    with pytest.raises(MalformedStatement, match="empty"):
        preview(url, b"   \n")
    with pytest.raises(MalformedStatement, match="not a text"):
        preview(url, b"\x89PNG\r\n\x1a\n\x00\x00")


def test_amounts_that_differ_are_left_for_staff(url):
    priced_orders(url, {100001: "50.00"})
    content = b"Date,Description,Amount\n02/11/2026,ORDER 100001,45.00\n03/11/2026,100001,50.00\n"
    p = preview(url, content)
    lines = by_line(p)
    assert lines[2].status == "ambiguous" and "differs" in lines[2].reason
    assert lines[2].suggestions == []
    assert lines[3].status == "matched"
    with pytest.raises(ValidationFailed):  # staff cannot pick an order the line does not fit
        confirm(url, content, choices={2: 100001})
    assert count(url, Payment) == 0


def test_two_staff_confirming_the_same_statement_at_once_pay_each_order_once(url):
    priced_orders(url, AU_ORDERS)
    content = sample("au-headerless.csv")
    start = threading.Barrier(2)

    def go(_):
        start.wait()
        try:
            return confirm(url, content).orders_paid
        except statements.ImportConflict:
            return []

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(go, range(2)))
    assert sorted(len(r) for r in results) == [0, 5]
    assert count(url, Payment) == 5 and count(url, StatementLine) == 5


def test_every_reason_in_the_preview_is_a_whole_sentence(url):
    # given the German shop, where 100049 is paid by line 9 and line 11 has only its amount
    priced_orders(url, {100045: "1149.00", 100046: "40.00", 100047: "36.40", 100049: "45.00",
                        100050: "19.99"}, currency="EUR")
    lines = by_line(preview(url, sample("eu-semicolon.csv")))
    # then the line whose only fitting order is taken says by which line
    assert lines[11].status == "unmatched"
    assert lines[11].reason == "No other unpaid order fits: #100049 is paid by line 9."
    # and a line that fits nothing at all says so plainly
    priced_orders(url, AU_ORDERS)
    au = by_line(preview(url, sample("au-headerless.csv")))
    assert au[8].reason == "No unpaid order fits the reference or the amount."
    for line in [*lines.values(), *au.values()]:
        if line.reason:
            assert line.reason[0].isupper() and line.reason.endswith("."), line.reason
            assert ": ." not in line.reason and ", ." not in line.reason, line.reason


def us_export(days: list[int], lines: list[tuple[int, str, str]] = ()) -> bytes:
    """An export shaped like au-headerless.csv, written month first (MM/DD/YYYY) as US
    banks do: the paying `lines` (day, amount, text), then a credit for each of `days`."""
    out = [f'"11/{day:02d}/2026","+{amount}","{text}","+1000.00"' for day, amount, text in lines]
    out += [f'"11/{day:02d}/2026","+1.{i % 100:02d}","OSKO PAYMENT FROM A CUSTOMER","+1000.00"'
            for i, day in enumerate(days)]
    return ("\n".join(out) + "\n").encode()


ORDER_ON_9_NOV = [(9, "45.00", "DIRECT CREDIT 123456 LI WEI ORDER 100012")]


def test_a_us_export_in_an_australian_shop_is_read_month_first_from_one_late_date(url):
    # given an Australian shop, and a US bank's export whose first 250 lines are dated
    # 1 to 12 November (each reads both ways) and whose last line is dated 16 November
    priced_orders(url, AU_ORDERS)
    content = us_export([1 + i % 12 for i in range(250)] + [16], ORDER_ON_9_NOV)
    # when it is previewed
    p = preview(url, content, "us.csv")
    lines = by_line(p)
    # then that one date settles the order for the whole file
    assert p.mapping.date_format == "%m/%d/%Y"
    assert lines[1].booked_on == date(2026, 11, 9) and lines[1].orders == [100012]
    assert lines[252].booked_on == date(2026, 11, 16)
    assert "month first" in p.date_note and "11/16/2026" in p.date_note


def test_a_us_export_in_a_remembered_australian_layout_is_read_month_first(url):
    # given the shop's Australian export was imported, so its layout is remembered day first
    priced_orders(url, AU_ORDERS)
    confirm(url, sample("au-headerless.csv"))
    # when a US export of the same shape arrives, one of its dates past the 12th
    p = preview(url, us_export([2, 20], ORDER_ON_9_NOV), "us.csv")
    # then its own dates decide, not the memory of the other bank's
    assert p.mapping_source == "remembered" and p.mapping.date_format == "%m/%d/%Y"
    assert [line.booked_on.day for line in p.lines] == [9, 2, 20]
    # and the Australian file still reads day first
    au = preview(url, sample("au-headerless.csv"))
    assert au.mapping.date_format == "%d/%m/%Y" and au.lines[0].booked_on == date(2026, 11, 3)


def test_dates_that_read_both_ways_follow_the_remembered_layout_then_the_country(url):
    priced_orders(url, AU_ORDERS)
    ambiguous = us_export([2, 3], ORDER_ON_9_NOV)
    # a layout never seen: the shop's country decides (day first in AU, month first in the US)
    assert preview(url, ambiguous).lines[0].booked_on == date(2026, 9, 11)
    assert "usual order in AU" in preview(url, ambiguous).date_note
    assert preview(url, ambiguous, country="US").lines[0].booked_on == date(2026, 11, 9)
    # once a US export of this layout was confirmed (month first, settled by the 20th)...
    confirm(url, us_export([2, 20], ORDER_ON_9_NOV))
    # ...the next one that reads both ways is read month first too
    p = preview(url, ambiguous)
    assert p.mapping_source == "remembered" and p.lines[1].booked_on == date(2026, 11, 2)
    assert "remembered" in p.date_note
