"""A merchant reads the outbox, opens an order's PDFs and makes one PDF of several orders."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_the_outbox_shows_every_email_and_reads_one(page: Page, app_url: str, tmp_path):
    sign_in(page, app_url)
    page.goto(app_url + "/outbox")
    rows = page.locator(".outbox-row")
    expect(rows.first).to_be_visible()
    expect(page.get_by_text("RESEND_API_KEY is not set").first).to_be_visible()
    rows.first.get_by_role("button", name="Read").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator("iframe")).to_be_visible()
    page.screenshot(path=str(tmp_path / "outbox.png"))


def test_an_orders_pdf_and_a_batch_of_packing_slips(page: Page, app_url: str, tmp_path):
    sign_in(page, app_url)
    first = page.locator(".order-row").first
    expect(first).to_be_visible()
    number = first.locator(".order-link").inner_text().lstrip("#").strip()

    r = page.request.get(f"{app_url}/api/v1/orders/{number}/documents/invoice.pdf")
    assert r.status == 200 and r.headers["content-type"] == "application/pdf"
    assert r.body().startswith(b"%PDF-")
    html = page.request.get(f"{app_url}/api/v1/orders/{number}/documents/packing_slip.html")
    assert html.status == 200 and "PACKING SLIP" in html.text().upper()

    first.locator(".documents-menu").click()
    expect(page.get_by_role("menuitem", name="Docket to receipt printer")).to_be_visible()
    label = page.locator(".label-link")
    expect(label).to_have_attribute("href", re.compile(rf"/api/v1/orders/{number}/label\.pdf$"))
    page.keyboard.press("Escape")

    chosen = [page.locator(".order-row").nth(i).locator(".order-link").inner_text().lstrip("#").strip()
              for i in range(3)]
    boxes = page.locator(".select-order")
    for i in range(3):
        boxes.nth(i).click()
    # the selection reaches the server one click at a time: wait for all three in the link
    link = page.locator("#batch-labels")
    expect(link).to_have_attribute("href", re.compile(r"orders=" + ",".join(chosen) + "$"))
    labels = link.get_attribute("href")
    r = page.request.get(labels if labels.startswith("http") else app_url + labels)
    # a PDF, or (demo orders include click-and-collect and unchecked addresses) the reason
    assert r.status in (200, 409, 422), r.status
    assert r.body().startswith(b"%PDF-") if r.status == 200 else r.json()["message"]
    page.click("#make-batch")
    download = page.locator("#batch-download")
    expect(download).to_be_visible(timeout=60_000)
    href = download.get_attribute("href")
    batch = page.request.get(href if href.startswith("http") else app_url + href)
    assert batch.status == 200 and batch.body().startswith(b"%PDF-")
    page.screenshot(path=str(tmp_path / "orders-batch.png"))
