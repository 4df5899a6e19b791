"""`fulfil cancel-overdue` as cron runs it: a real process on a SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from dashboard.domain.orders import Order
from dashboard.services.db import write_session
from fulfil_testkit.factories import add_product
from tests.payments.conftest import get_order, place
from tests.test_cli import fulfil


def test_cron_cancels_overdue_orders_and_a_dry_run_only_lists_them(sqlite_url, monkeypatch):
    add_product(sqlite_url, "MUG-1", on_hand=5)
    old, new = place(sqlite_url), place(sqlite_url)
    with write_session(sqlite_url) as s:
        s.connection().execute(sa.update(Order).where(Order.number == old)
                               .values(placed_at=datetime(2026, 1, 5, tzinfo=UTC)))
    off = fulfil(sqlite_url, "cancel-overdue")
    assert off.returncode == 0 and "off for every payment method" in off.stdout
    monkeypatch.setenv("AUTO_CANCEL_DAYS_BANK_TRANSFER", "3")
    dry = fulfil(sqlite_url, "cancel-overdue", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "1 orders would be cancelled" in dry.stdout and f"#{old}" in dry.stdout
    assert get_order(sqlite_url, old).status == "unpaid"
    done = fulfil(sqlite_url, "cancel-overdue")
    assert done.returncode == 0, done.stderr
    assert "Cancelled 1 overdue unpaid orders (bank transfer after 3 business days)" in done.stdout
    assert (get_order(sqlite_url, old).status, get_order(sqlite_url, new).status) == (
        "cancelled", "unpaid")
    monkeypatch.setenv("AUTO_CANCEL_DAYS_BANK_TRANSFER", "soon")
    bad = fulfil(sqlite_url, "cancel-overdue")
    assert bad.returncode == 2 and "AUTO_CANCEL_DAYS_BANK_TRANSFER" in bad.stderr
