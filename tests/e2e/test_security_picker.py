"""A picker on their phone: signs in, lands on the picking queue, and is turned away from
the back office."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from dashboard.domain.accounts import Principal, Role
from dashboard.domain.orders import Order, OrderStatus
from dashboard.services import accounts
from dashboard.services.db import read_session, write_session

pytestmark = pytest.mark.e2e

PICKER = ("phone.picker@e2e.example", "a picker's long pass phrase")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def picker(app_url, app_database_url):
    with write_session(app_database_url) as s:
        accounts.invite(s, email=PICKER[0], password=PICKER[1], role=Role.PICKER,
                        by=Principal.system("e2e"))
    return PICKER


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  device_scale_factor=3)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _picking_numbers(url: str) -> list[str]:
    """The orders in the pickers' queue: ready to pick (paid, pay on pickup) or in Picking."""
    from dashboard.services import shipping

    with read_session(url) as s:
        assert s.exec(select(Order.number).where(Order.status == OrderStatus.PICKING)).first()
        return [str(o.number) for o in shipping.picking_queue(s)]


def test_a_picker_signs_in_on_a_phone_and_sees_only_the_picking_queue(
    phone: Page, app_url, app_database_url, picker, tmp_path
):
    # given orders waiting to be picked
    waiting = _picking_numbers(app_database_url)
    assert waiting, "the demo shop has orders in Picking"
    # when the picker signs in on their phone
    phone.goto(app_url + "/login")
    phone.fill("#email", picker[0])
    phone.fill("#password", picker[1])
    phone.click("#sign-in")
    # then they land on the picking view: every order, with bins, quantities and barcodes
    phone.wait_for_url(re.compile(r"/picking/?$"))
    cards = phone.locator(".pick-order")
    expect(cards.first).to_be_visible()
    assert cards.count() == len(waiting)
    first = cards.first
    expect(first.locator(".pick-line").first).to_be_visible()
    expect(first.locator(".pick-barcode").first).to_have_text(re.compile(r"^(\d{8,14}|—)$"))
    expect(first.locator(".pick-qty").first).to_have_text(re.compile(r"^× \d+$"))
    phone.screenshot(path=str(tmp_path / "picking-phone.png"), full_page=True)
    # and nothing about money or customer history
    text = phone.locator("body").inner_text()
    assert not re.search(r"\$|€|£|\btotal\b|\bpaid\b|\bpayment\b|@", text, re.IGNORECASE), text
    # the layout fits the phone: no sideways scrolling
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # the session cookie is out of the page's reach
    assert "fulfil_session" not in phone.evaluate("document.cookie")


@pytest.mark.parametrize("page_path", ["/orders", "/settings", "/audit"])
def test_a_picker_is_refused_the_back_office_pages(phone: Page, app_url, picker, page_path):
    phone.goto(app_url + "/login")
    phone.fill("#email", picker[0])
    phone.fill("#password", picker[1])
    phone.click("#sign-in")
    phone.wait_for_url(re.compile(r"/picking/?$"))
    # when they type a back-office address
    phone.goto(app_url + page_path)
    # then they are sent back to picking, told why, and shown none of the page's data
    phone.wait_for_url(re.compile(r"/picking/?$"))
    expect(phone.get_by_text("You do not have access to that.")).to_be_visible()
    for selector in (".order-row", ".person-row", ".audit-row", ".api-key-row"):
        assert phone.locator(selector).count() == 0


def test_on_a_shared_device_the_next_person_never_receives_what_the_last_one_saw(
    browser, app_url, picker
):
    from tests.e2e.conftest import OWNER_EMAIL, OWNER_PASSWORD

    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    try:
        # given an owner looked at the people page in this tab, then signed out
        page.goto(app_url + "/login")
        page.fill("#email", OWNER_EMAIL)
        page.fill("#password", OWNER_PASSWORD)
        page.click("#sign-in")
        page.wait_for_url(re.compile(r"/orders/?$"))
        page.goto(app_url + "/settings")
        expect(page.locator(f'.person-row[data-email="{picker[0]}"]')).to_be_visible()
        assert any(OWNER_EMAIL in f for f in frames)
        page.click("#logout")
        page.wait_for_url(re.compile(r"/login"))
        # when a picker signs in on the same tab
        frames.clear()
        page.fill("#email", picker[0])
        page.fill("#password", picker[1])
        page.click("#sign-in")
        page.wait_for_url(re.compile(r"/picking/?$"))
        expect(page.locator(".pick-order").first).to_be_visible()
        page.goto(app_url + "/settings")  # and even tries the owner's page
        page.wait_for_url(re.compile(r"/picking/?$"))
        # then nothing the owner saw reached this tab again
        received = "".join(frames)
        assert frames and OWNER_EMAIL not in received and "person-row" not in received
    finally:
        context.close()
