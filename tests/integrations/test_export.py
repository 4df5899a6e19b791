"""Exports for an accounting system without an API: the orders of a date range with their
lines, payments and refunds, as Excel (four sheets) and CSV (a zip of four files), from
the service and from `fulfil export`. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import config
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import Order
from dashboard.services import integrations, orders
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import STAFF, order_in, pay


@pytest.fixture
def three_orders(shop):
    """Two orders today (one paid, one of 3 mugs), one placed ten days ago."""
    numbers = []
    for qty in (1, 3, 2):
        with write_session(shop) as s:
            numbers.append(orders.place_order(s, actor=STAFF, order_in=order_in(("MUG-1", qty))).number)
    with write_session(shop) as s:
        pay(s, numbers[0], reference="BANK-1")
    with write_session(shop) as s:  # the third was placed ten days ago
        s.connection().execute(sa.update(Order.__table__).where(
            Order.__table__.c.number == numbers[2]).values(placed_at=utcnow() - timedelta(days=10)))
        s.commit()
    return numbers


def _today():
    from datetime import datetime

    return datetime.now(config.merchant_timezone()).date()


def test_an_excel_export_has_the_ranges_orders_lines_and_payments(shop, three_orders):
    today = _today()
    with read_session(shop) as s:
        name, data, media = integrations.export_range(s, date_from=today, date_to=today,
                                                      fmt="xlsx")
    assert name == f"orders-{today}-{today}.xlsx" and media.endswith("spreadsheetml.sheet")
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert set(sheets) == {"orders", "lines", "payments", "refunds"}
    assert list(sheets["orders"]["number"]) == three_orders[:2]  # oldest first, not the 10-day-old
    assert list(sheets["orders"]["total"]) == [12.5, 37.5]
    assert list(sheets["lines"]["quantity"]) == [1, 3]
    assert list(sheets["payments"]["reference"]) == ["BANK-1"]
    assert sheets["refunds"].empty


def test_a_csv_export_is_a_zip_of_four_files_with_exact_decimals(shop, three_orders):
    today = _today()
    with read_session(shop) as s:
        name, data, media = integrations.export_range(s, date_from=today - timedelta(days=30),
                                                      date_to=today, fmt="csv")
    assert name.endswith(".zip") and media == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(files.namelist()) == ["lines.csv", "orders.csv", "payments.csv", "refunds.csv"]
    frame = pd.read_csv(files.open("orders.csv"), dtype=str)
    assert list(frame["number"]) == [str(n) for n in (three_orders[2], *three_orders[:2])]
    assert list(frame["total"]) == ["25.00", "12.50", "37.50"]
    assert any(c.startswith("placed_at (") for c in frame.columns)
    assert Decimal(pd.read_csv(files.open("payments.csv"), dtype=str)["amount"][0]) == Decimal("12.50")


def test_a_bad_format_or_range_is_refused(shop):
    with read_session(shop) as s, pytest.raises(ValidationFailed):
        integrations.export_range(s, date_from="2026-12-01", date_to="2026-12-02", fmt="pdf")
    with read_session(shop) as s, pytest.raises(ValidationFailed):
        integrations.export_range(s, date_from="2026-12-05", date_to="2026-12-01", fmt="csv")


def test_fulfil_export_writes_the_workbook(shop, three_orders, tmp_path, capsys):
    from dashboard import cli

    today = str(_today())
    out = tmp_path / "books.xlsx"
    assert cli.main(["--database-url", shop, "export", "--from", today, "--to", today,
                     "--out", str(out)]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert len(pd.read_excel(out, sheet_name="orders")) == 2
    assert cli.main(["--database-url", shop, "export", "--from", today, "--to", "yesterday"]) == 2
