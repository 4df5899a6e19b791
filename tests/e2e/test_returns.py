"""Returns in the office, in headless Chromium against the production app: staff return one
of two shipped units inline on the order page, see the preview (value, credit, stock
effect) before saving, save it with restock and a credit; then add a surcharge for a
change of shipping method."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from dashboard.domain.returns import CreditNote, OrderReturn, Surcharge
from dashboard.domain.stock import Product, Stock
from dashboard.services import orders, shipping
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, order_in, pay
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def shipped_order(db: str) -> tuple[int, str]:
    with write_session(db) as s:
        sku = s.exec(
            sa.select(Product.sku).join(Stock, Stock.product_id == Product.id)
            .where(Stock.on_hand - Stock.committed > 3).order_by(Product.id).limit(1)
        ).scalar_one()
        number = orders.place_order(s, actor=SHOP, order_in=order_in(
            (sku, 2), email="return-e2e@example.com")).number
        pay(s, number, reference="E2E-RET")
    with write_session(db) as s:
        shipping.ship_lines(s, actor=STAFF, number=number, notify_customer=False)
    return number, sku


def on_hand(db: str, sku: str) -> int:
    with read_session(db) as s:
        return s.exec(sa.select(Stock.on_hand).join(Product, Product.id == Stock.product_id)
                      .where(Product.sku == sku)).scalar_one()


def by_id(page: Page, element_id: str):
    return page.locator(f'[id="{element_id}"]')


def test_return_one_of_two_with_restock_and_credit_then_a_surcharge(page: Page, app_url,
                                                                     app_database_url):
    number, sku = shipped_order(app_database_url)
    before = on_hand(app_database_url, sku)
    sign_in(page, app_url)
    page.goto(f"{app_url}/orders/{number}")
    expect(page.locator("#order-heading")).to_contain_text(str(number))

    by_id(page, f"return-{sku}").click()
    dialog = page.locator("#return-dialog")
    expect(dialog).to_be_visible()
    expect(by_id(page, "return-preview-stock")).to_contain_text("+1")
    by_id(page, "return-qty").fill("3")  # more than shipped: refused in the preview
    expect(by_id(page, "return-error")).to_contain_text("More than can be returned")
    expect(by_id(page, "return-save")).to_be_disabled()
    by_id(page, "return-qty").fill("1")
    expect(by_id(page, "return-error")).to_have_count(0)
    expect(by_id(page, "return-preview-refundable")).not_to_contain_text(": $0.00")
    assert on_hand(app_database_url, sku) == before  # nothing saved by previewing
    by_id(page, "return-save").click()
    expect(dialog).to_be_hidden()
    assert on_hand(app_database_url, sku) == before + 1
    with read_session(app_database_url) as s:
        ret = s.exec(sa.select(OrderReturn).where(OrderReturn.number == f"R{number}-1")).scalar_one()
        assert (ret.status, ret.resolution) == ("received", "credit")
        assert s.exec(sa.select(CreditNote).where(CreditNote.return_id == ret.id)).scalar_one()

    page.click("#surcharge-open")
    by_id(page, "surcharge-amount").fill("9.95")
    by_id(page, "surcharge-reason").fill("express instead of standard")
    by_id(page, "surcharge-save").click()
    expect(page.locator("#surcharge-dialog")).to_be_hidden()
    with read_session(app_database_url) as s:
        charge = s.exec(sa.select(Surcharge).where(Surcharge.reason.like("express%"))).scalar_one()
        assert (charge.amount_minor, charge.kind) == (995, "shipping_change")
