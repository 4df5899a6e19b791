"""A customer-service agent at the order desk, in headless Chromium against the prod app:
finds an order from the caller's phone number, changes a quantity, leaves a note, then
takes a phone order for a new customer whose postcode is wrong until it is corrected."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.e2e.conftest import _cli, sign_in

pytestmark = pytest.mark.e2e

AGENT_EMAIL = "desk@e2e.example"
AGENT_PASSWORD = "e2e-desk-horse-battery"


@pytest.fixture(scope="module")
def agent(app_url, app_database_url) -> str:
    env = {**os.environ, "DATABASE_URL": app_database_url,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    _cli(env, "create-user", AGENT_EMAIL, "--role", "staff", "--password-stdin",
         stdin=AGENT_PASSWORD + "\n")
    return AGENT_EMAIL


def _db(url: str):
    return sa.create_engine(url)


def _caller(url: str) -> dict:
    """An unpaid courier order of a customer with an Australian phone number, whose first
    line has stock to spare, and that customer's other orders."""
    engine = _db(url)
    with engine.connect() as c:
        rows = c.execute(sa.text(
            "SELECT o.number, o.customer_id, cu.phone, l.sku, l.quantity, "
            "       s.on_hand - s.committed AS spare "
            "FROM \"order\" o JOIN customer cu ON cu.id = o.customer_id "
            "JOIN order_line l ON l.order_id = o.id JOIN product p ON p.id = l.product_id "
            "JOIN stock s ON s.product_id = p.id "
            "WHERE o.status = 'unpaid' AND cu.phone LIKE '04%' "
            "ORDER BY o.number, l.id")).all()
        row = next(r for r in rows if r.spare > 0)
        numbers = c.execute(sa.text("SELECT number FROM \"order\" WHERE customer_id = :c"),
                            {"c": row.customer_id}).scalars().all()
    engine.dispose()
    return {"number": row.number, "phone": row.phone, "sku": row.sku, "quantity": row.quantity,
            "numbers": {str(n) for n in numbers}}


def _in_stock_sku(url: str) -> str:
    engine = _db(url)
    with engine.connect() as c:
        sku = c.execute(sa.text(
            "SELECT p.sku FROM product p JOIN stock s ON s.product_id = p.id "
            "WHERE p.active AND s.on_hand - s.committed >= 5 ORDER BY p.sku LIMIT 1")).scalar_one()
    engine.dispose()
    return sku


def test_find_by_phone_edit_quantity_and_add_a_note(page: Page, app_url: str, agent: str,
                                                   app_database_url: str):
    caller = _caller(app_database_url)
    sign_in(page, app_url, AGENT_EMAIL, AGENT_PASSWORD)

    # The shop has "04xx xxx xxx"; the caller reads it out the international way.
    digits = re.sub(r"\D", "", caller["phone"])
    spoken = f"+61 {digits[1:4]} {digits[4:7]} {digits[7:]}"
    page.fill("#search", spoken)
    rows = page.locator(".order-row")
    expect(rows.first).to_be_visible()
    expect(page.locator("#range-label")).to_have_text(
        re.compile(rf"of {len(caller['numbers'])}$"))
    shown = {t.strip("# ") for t in page.locator(".order-link").all_inner_texts()}
    assert shown == caller["numbers"]

    page.click(f".order-link:has-text('{caller['number']}')")
    page.wait_for_url(re.compile(rf"/orders/{caller['number']}/?$"))
    expect(page.locator("#order-heading")).to_contain_text(str(caller["number"]))
    total_before = page.inner_text("#order-total")

    # One more of the first line.
    sku, new_quantity = caller["sku"], caller["quantity"] + 1
    page.fill(f"#qty-{sku}", str(new_quantity))
    page.click(f"#qty-save-{sku}")
    expect(page.locator("#order-total")).not_to_have_text(total_before)
    expect(page.locator(".timeline-item").first).to_contain_text(
        f"Quantity of {sku}: {caller['quantity']} → {new_quantity}")
    expect(page.locator(".timeline-item").first).to_contain_text(AGENT_EMAIL)

    # A note for the team.
    page.fill("#note-body", "Customer called: one more please, same address.")
    page.click("#add-note")
    expect(page.locator(".note-body").first).to_have_text(
        "Customer called: one more please, same address.")
    expect(page.locator('.timeline-item[data-kind="note_added"]')).to_have_count(1)


def test_phone_order_for_a_new_customer_with_a_wrong_postcode(page: Page, app_url: str,
                                                              agent: str, app_database_url: str):
    sku = _in_stock_sku(app_database_url)
    sign_in(page, app_url, AGENT_EMAIL, AGENT_PASSWORD)
    page.goto(app_url + "/phone-order")

    page.click("#new-customer")
    page.fill("#customer-name", "Mei Chen")
    page.fill("#customer-email", "mei.chen@e2e.example")
    page.fill("#customer-phone", "0412 345 678")
    for field, value in (("street_address_1", "12 Harbour Rd"), ("city", "Sydney"),
                         ("country_area", "NSW"), ("postal_code", "20000")):
        page.fill(f"#addr-{field}", value)
    expect(page.locator("#addr-name")).to_have_value("Mei Chen")

    page.fill("#product-search", sku)
    page.locator(".product-option").first.click()
    expect(page.locator(f'.cart-row[data-sku="{sku}"]')).to_be_visible()
    expect(page.locator(f'.cart-row[data-sku="{sku}"] .availability')).to_contain_text(
        "available")

    # Placing is refused while the postcode is wrong, and says why in plain words.
    page.click("#place-order")
    expect(page.locator("#phone-error")).to_contain_text("shipping address has problems")
    expect(page.locator(".address-problem")).to_contain_text(
        "20000 is not a valid postcode in Australia")

    page.fill("#addr-postal_code", "2000")
    page.click("#check-address")
    expect(page.locator("#address-state")).to_have_text("Valid")
    page.click("#place-order")
    page.wait_for_url(re.compile(r"/orders/\d+/?$"))
    expect(page.locator("#customer-name")).to_have_text("Mei Chen")
    expect(page.locator("#address-status")).to_have_text("Valid")
    expect(page.locator('.timeline-item[data-kind="placed"]')).to_contain_text(sku)
    number = int(page.url.rstrip("/").rsplit("/", 1)[-1])

    engine = _db(app_database_url)
    with engine.connect() as c:
        source, status = c.execute(sa.text(
            "SELECT source, address_status FROM \"order\" WHERE number = :n"), {"n": number}).one()
    engine.dispose()
    assert (source, status) == ("phone", "valid")


def test_repeat_an_order_from_its_page(page: Page, app_url: str, agent: str,
                                       app_database_url: str):
    engine = _db(app_database_url)
    with engine.connect() as c:
        number, name = c.execute(sa.text(
            "SELECT o.number, cu.name FROM \"order\" o JOIN customer cu ON cu.id = o.customer_id "
            "WHERE o.status = 'completed' AND o.delivery_method = 'courier' "
            "AND NOT EXISTS (SELECT 1 FROM order_line l JOIN product p ON p.id = l.product_id "
            "JOIN stock s ON s.product_id = p.id WHERE l.order_id = o.id "
            "AND (NOT p.active OR s.on_hand - s.committed < l.quantity)) "
            "ORDER BY o.number LIMIT 1")).one()
        lines = c.execute(sa.text(
            "SELECT count(*) FROM order_line l JOIN \"order\" o ON o.id = l.order_id "
            "WHERE o.number = :n"), {"n": number}).scalar_one()
    engine.dispose()
    sign_in(page, app_url, AGENT_EMAIL, AGENT_PASSWORD)
    page.goto(f"{app_url}/orders/{number}")
    page.click("#repeat-order")
    page.wait_for_url(re.compile(rf"/phone-order\?repeat={number}$"))
    expect(page.locator(".cart-row")).to_have_count(lines)
    expect(page.locator("#chosen-customer")).to_have_text(name)
    page.click("#place-anyway")  # an old address may not pass today's check: place it flagged
    page.click("#place-order")
    page.wait_for_url(re.compile(r"/orders/\d+/?$"))
    expect(page.locator('.timeline-item[data-kind="repeated"]')).to_contain_text(
        f"Repeat of order #{number}")


def _unpaid_order(url: str) -> int:
    engine = _db(url)
    with engine.connect() as c:
        number = c.execute(sa.text(
            "SELECT o.number FROM \"order\" o WHERE o.status = 'unpaid' "
            "AND o.payment_status = 'unpaid' AND NOT EXISTS (SELECT 1 FROM order_line l "
            "WHERE l.order_id = o.id AND l.quantity_shipped > 0) "
            "ORDER BY o.number DESC LIMIT 1")).scalar_one()
    engine.dispose()
    return number


def _methods(url: str, number: int) -> tuple[str, str, int]:
    engine = _db(url)
    with engine.connect() as c:
        row = c.execute(sa.text(
            "SELECT o.payment_method, o.delivery_method, (SELECT count(*) FROM order_event e "
            "WHERE e.order_id = o.id AND e.type = 'methods_changed') "
            "FROM \"order\" o WHERE o.number = :n"), {"n": number}).one()
    engine.dispose()
    return tuple(row)


def test_the_payment_and_delivery_dialog_starts_from_the_order(page: Page, app_url: str,
                                                               agent: str, app_database_url: str):
    from dashboard.domain.payments.enums import PaymentMethod
    from dashboard.domain.shipping.enums import DeliveryMethod
    from dashboard.services.db import dispose_engines, write_session
    from dashboard.services.orders import edits as order_edits
    from fulfil_testkit.factories import STAFF

    # A cheque order for pickup (neither is the list's first choice).
    number = _unpaid_order(app_database_url)
    with write_session(app_database_url) as s:
        order_edits.change_methods(s, actor=STAFF, number=number,
                                   payment_method=PaymentMethod.CHEQUE,
                                   delivery_method=DeliveryMethod.PICKUP)
    dispose_engines()
    before = _methods(app_database_url, number)
    assert before[:2] == ("cheque", "pickup")

    sign_in(page, app_url, AGENT_EMAIL, AGENT_PASSWORD)
    page.goto(f"{app_url}/orders/{number}")
    page.get_by_role("button", name="Payment & delivery").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("select[name=payment_method]")).to_have_value("cheque")
    expect(dialog.locator("select[name=delivery_method]")).to_have_value("pickup")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile("Nothing to change|Payment and delivery updated"))
           ).to_be_visible()
    assert _methods(app_database_url, number) == before  # untouched: nothing changed


def test_a_note_too_long_for_the_order_stays_in_the_box(page: Page, app_url: str, agent: str,
                                                        app_database_url: str):
    number = _unpaid_order(app_database_url)
    sign_in(page, app_url, AGENT_EMAIL, AGENT_PASSWORD)
    page.goto(f"{app_url}/orders/{number}")
    too_long = "The customer explained at length. " * 150  # over 5,000 characters
    page.fill("#note-body", too_long)
    page.click("#add-note")
    expect(page.get_by_text("A note needs 1 to 5000 characters.").first).to_be_visible()
    expect(page.locator("#note-body")).to_have_value(too_long)

    page.fill("#note-body", too_long[:120])
    page.click("#add-note")
    expect(page.locator(".note-body").first).to_have_text(too_long[:120].strip())
    expect(page.locator("#note-body")).to_have_value("")


def test_a_mistyped_phone_order_quantity_or_long_note_is_kept_with_the_reason(
        page: Page, app_url: str, agent: str, app_database_url: str):
    sku = _in_stock_sku(app_database_url)
    sign_in(page, app_url, AGENT_EMAIL, AGENT_PASSWORD)
    page.goto(app_url + "/phone-order")
    page.fill("#product-search", sku)
    page.locator(".product-option").first.click()
    row = page.locator(f'.cart-row[data-sku="{sku}"]')
    expect(row).to_be_visible()
    subtotal = page.inner_text("#subtotal")

    for typed in ("0", "2.5"):
        page.fill(f"#cart-qty-{sku}", typed)
        expect(row.locator(".qty-error")).to_contain_text("whole number from 1")
        expect(page.locator(f"#cart-qty-{sku}")).to_have_value(typed)
        expect(page.locator("#subtotal")).to_have_text(subtotal)  # still one unit

    note = "Ring twice; the bell is broken. " * 70  # over 2,000 characters
    page.fill("#phone-note", note)
    expect(page.locator("#phone-note-error")).to_contain_text("at most 2,000")
    expect(page.locator("#phone-note")).to_have_value(note)
