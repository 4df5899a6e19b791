"""The overview and the stock charts in Chromium: every chart of /overview is drawn with
its table and CSV; a picker is turned away; on the Stock page a click on a point of a
product's ledger chart opens the order that moved the stock."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from dashboard.services import orders, stock
from dashboard.services.db import write_session
from fulfil_testkit.factories import SHOP, STAFF, order_in
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
CHARTS = 8


def test_the_overview_draws_every_chart_with_its_table(page: Page, app_url, app_database_url):
    sku = f"OVR-{time.time_ns() % 10**9}"
    with write_session(app_database_url) as s:
        stock.upsert_product(s, actor=STAFF, sku=sku, name="Overview vase", price="30.00",
                             currency="AUD")
        stock.adjust_stock(s, actor=STAFF, sku=sku, delta=5, reason="received")
        orders.place_order(s, actor=SHOP, order_in=order_in((sku, 2)))
    sign_in(page, app_url)
    page.goto(app_url + "/overview")
    cards = page.locator(".chart-card")
    expect(cards).to_have_count(CHARTS)
    for i in range(CHARTS):  # plotly (a large script, loaded on first use) has drawn each one
        expect(cards.nth(i).locator(".main-svg").first).to_be_visible(timeout=30_000)
    expect(page.locator("#overview-today")).to_contain_text("Orders today")
    top = page.locator('.chart-card[data-chart="top"]')
    top.get_by_text("Figures as a table").click()
    expect(top.locator(".chart-table")).to_contain_text(sku)
    with page.expect_download() as download:
        top.locator(".chart-csv").click()
    assert download.value.suggested_filename.startswith("overview-top-")
    page.locator("#overview-kind").click()
    page.get_by_role("option", name="Month").click()
    expect(page.locator("#overview-period")).to_have_text(re.compile(r"^[A-Z][a-z]+ \d{4}$"))


def test_a_click_on_a_ledger_point_opens_its_order(page: Page, app_url, app_database_url):
    sku = f"PT-{time.time_ns() % 10**9}"
    with write_session(app_database_url) as s:
        stock.upsert_product(s, actor=STAFF, sku=sku, name="Pointed jug", price="9.00",
                             currency="AUD")
        stock.adjust_stock(s, actor=STAFF, sku=sku, delta=10, reason="received")
        number = orders.place_order(s, actor=SHOP, order_in=order_in((sku, 3))).number
    sign_in(page, app_url)
    page.goto(app_url + "/stock")
    expect(page.locator("#stock-charts .chart-card")).to_have_count(3)  # the page is live
    page.fill("#stock-search", sku)
    expect(page.locator(".stock-row")).to_have_count(1)
    page.locator(".stock-row").get_by_text(sku, exact=True).click()
    chart = page.locator(f"#chart-ledger-{sku}")
    # the on-hand trace's second point: the order placed (the first is the stock received)
    point = chart.locator(".scatterlayer .trace").first.locator("path.point").nth(1)
    expect(point).to_have_count(1, timeout=30_000)
    box = point.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    expect(chart.locator(".hovertext").first).to_contain_text(f"Order #{number} placed")
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(rf"/orders/{number}$"))
