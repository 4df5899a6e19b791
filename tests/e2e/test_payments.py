"""A bookkeeper at the payments page: marks a bank transfer paid from the unpaid queue,
then imports a bank statement paying another order, in headless Chromium."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from dashboard.domain.stock import Product, Stock
from dashboard.services import orders
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import STAFF, order_in
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def _amount(text: str) -> str:
    return re.sub(r"[^0-9.]", "", text)


def _bank_transfer_orders(database_url: str, count: int) -> None:
    """Unpaid bank transfers of the test's own, whatever the demo data holds today."""
    with read_session(database_url) as s:
        sku = s.exec(sa.select(Product.sku).join(Stock, Stock.product_id == Product.id)
                     .where(Stock.on_hand - Stock.committed > count).order_by(Product.id)
                     ).scalars().first()
    for i in range(count):
        with write_session(database_url) as s:
            orders.place_order(s, actor=STAFF, order_in=order_in(
                (sku, 1), email=f"bookkeeper-e2e-{i}@example.com"))


def test_mark_paid_from_the_queue_and_import_a_statement(page: Page, app_url: str,
                                                         app_database_url: str):
    _bank_transfer_orders(app_database_url, 2)
    sign_in(page, app_url)
    page.goto(app_url + "/payments")
    rows = page.locator(".unpaid-row")
    expect(rows.first).to_be_visible()
    before = rows.count()
    assert before >= 2

    # mark the oldest unpaid order paid, with the bank's reference
    first = rows.first.get_attribute("data-number")
    rows.first.locator(".pay-one").click()
    page.fill("#pay-reference", "E2E DEP 5521")
    page.click("#pay-submit")
    expect(page.locator("#payments-notice")).to_contain_text("1 order marked paid")
    expect(page.locator(f'.unpaid-row[data-number="{first}"]')).to_have_count(0)

    # a statement line naming the next unpaid order with its total
    target = rows.first
    number = target.get_attribute("data-number")
    total = _amount(target.locator("td").nth(4).inner_text())
    csv = f'"03/11/2026","+{total}","OSKO PAYMENT {number} THANKS","+12045.00"\n'
    page.get_by_role("tab", name="Bank statement").click()
    page.set_input_files("#statement-upload input[type=file]", files=[
        {"name": "nov.csv", "mimeType": "text/csv", "buffer": csv.encode()}])
    expect(page.locator("#count-matched")).to_contain_text("1")
    expect(page.locator(".statement-line").first).to_contain_text(f"#{number}")
    page.click("#confirm-import")
    expect(page.locator("#import-result")).to_contain_text("1 orders paid")
    expect(page.locator("#count-already_imported")).to_contain_text("1")
    page.get_by_role("tab", name="Unpaid queue").click()
    expect(page.locator(f'.unpaid-row[data-number="{number}"]')).to_have_count(0)


def test_escape_and_a_click_outside_close_the_payment_dialogs(page: Page, app_url: str,
                                                              app_database_url: str):
    _bank_transfer_orders(app_database_url, 1)
    sign_in(page, app_url)
    page.goto(app_url + "/payments")
    row = page.locator(".unpaid-row").first
    expect(row).to_be_visible()
    number = row.get_attribute("data-number")
    dialog = page.get_by_role("dialog")

    # Esc closes "Mark paid" and pays nothing
    row.locator(".pay-one").click()
    expect(dialog).to_contain_text(f"#{number}")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.locator(f'.unpaid-row[data-number="{number}"]')).to_have_count(1)

    # a click outside closes "Cancel" and cancels nothing
    row.locator(".cancel-one").click()
    expect(dialog).to_contain_text(f"#{number}")
    page.mouse.click(5, 5)
    expect(dialog).to_have_count(0)
    expect(page.locator(f'.unpaid-row[data-number="{number}"]')).to_have_count(1)

    # and the dialog opens again afterwards
    row.locator(".pay-one").click()
    expect(dialog).to_contain_text(f"#{number}")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
