"""The Stock page in Chromium: a product's figures match what incomplete orders hold, the
orders behind them are listed, and a shelf count changes on hand by the difference."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from dashboard.domain.orders import OrderStatus
from dashboard.services import orders, stock
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, order_in, pay
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_stock_figures_the_orders_behind_them_and_a_shelf_count(page: Page, app_url,
                                                                 app_database_url):
    sku = f"CNT-{time.time_ns() % 10**9}"
    with write_session(app_database_url) as s:
        stock.upsert_product(s, actor=STAFF, sku=sku, name="Counted candle", price="19.00",
                             currency="AUD", bin_location="Z-09")
        stock.adjust_stock(s, actor=STAFF, sku=sku, delta=10, reason="received")
        waiting = orders.place_order(s, actor=SHOP, order_in=order_in((sku, 2))).number
        picking = orders.place_order(s, actor=SHOP, order_in=order_in((sku, 3))).number
        pay(s, picking, reference="E2E")
        orders.change_status(s, actor=STAFF, number=picking, target=OrderStatus.PICKING)

    sign_in(page, app_url)
    page.goto(app_url + "/stock")
    page.fill("#stock-search", sku)
    row = page.locator(f'.stock-row[data-sku="{sku}"]')
    expect(page.locator(".stock-row")).to_have_count(1)
    # on hand 10, held 2 + 3 by 2 orders, pulled 3, on shelf 7, free 5
    cells = row.locator("td")
    expect(cells.nth(2)).to_have_text("10")
    expect(cells.nth(3)).to_contain_text("5")
    expect(cells.nth(3)).to_contain_text("2 orders")
    expect(cells.nth(4)).to_have_text("3")
    expect(cells.nth(5)).to_have_text("7")
    expect(cells.nth(6)).to_have_text("5")

    row.get_by_text(sku, exact=True).click()
    holders = page.locator("#stock-holders .stock-holder")
    expect(holders).to_have_count(2)
    expect(holders.first).to_contain_text(f"#{waiting}")
    expect(holders.nth(1)).to_contain_text(f"#{picking}")
    expect(holders.nth(1)).to_contain_text("pulled")

    page.get_by_role("button", name="Count this bin").click()
    dialog = page.locator("#count-dialog")
    expect(dialog).to_contain_text("It should hold 7")
    page.fill("#count-input", "6")
    page.click("#count-confirm")
    expect(page.locator("[data-sonner-toast]").filter(has_text=f"{sku}: 6 counted, on hand -1")
           ).to_be_visible()
    expect(cells.nth(2)).to_have_text("9")
    expect(cells.nth(7)).to_contain_text("ago")
    with read_session(app_database_url) as s:
        level = stock.stock_level(s, sku)
    assert (level.on_hand, level.committed) == (9, 5)

    # a count below what waiting orders still need from the bin is refused, nothing changes
    row.locator(".stock-count").click()
    page.fill("#count-input", "1")
    page.click("#count-confirm")
    expect(page.locator("#count-error")).to_contain_text("fewer than the 2 units")
    with read_session(app_database_url) as s:
        assert stock.stock_level(s, sku).on_hand == 9
