"""Shipping in the office, in headless Chromium against the production app: staff ship
part of an order from its page with tracking, see each line's status and the shipment,
ship the rest from the board's dialog, then correct the first parcel's tracking with a
new email. A picker's raw websocket calls to the same handlers are refused."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from dashboard.domain.accounts import AuditEntry, Principal, Role
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import Order, OrderEvent, OrderStatus
from dashboard.domain.shipping import Shipment
from dashboard.domain.stock import Product, Stock
from dashboard.services import accounts, orders
from dashboard.services.db import read_session, write_session
from dashboard.state.board import BoardState
from dashboard.state.orders import OrderViewState
from fulfil_testkit.factories import SHOP, STAFF, order_in, pay
from tests.e2e.conftest import sign_in
from tests.e2e.test_board import drag
from tests.security.raw_client import RawClient, event_name
from tests.security.raw_client import sign_in as raw_sign_in

pytestmark = pytest.mark.e2e

PICKER = ("ship-picker@e2e.example", "ship-picker-pass-1")


def picking_order(db: str) -> tuple[int, list[tuple[str, int]]]:
    """A paid order being picked: 3 of one product and 2 of another (both in stock);
    its number and (SKU, line id) of the 3, then of the 2."""
    with write_session(db) as s:
        skus = s.exec(
            sa.select(Product.sku).join(Stock, Stock.product_id == Product.id)
            .where(Stock.on_hand - Stock.committed > 5).order_by(Product.id).limit(2)
        ).scalars().all()
        number = orders.place_order(s, actor=SHOP, order_in=order_in(
            (skus[0], 3), (skus[1], 2), email="ship-e2e@example.com")).number
        pay(s, number, reference="E2E-SHIP")
        orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.PICKING)
        ids = [(x.sku, x.id) for x in sorted(
            orders.order_lines(s, orders.get_order(s, number).id), key=lambda x: -x.quantity)]
    return number, ids


def shipments(db: str, number: int) -> list[Shipment]:
    with read_session(db) as s:
        found = list(s.exec(sa.select(Shipment).join(Order, Order.id == Shipment.order_id)
                            .where(Order.number == number).order_by(Shipment.id)).scalars())
        s.expunge_all()
    return found


def status(db: str, number: int) -> str:
    with read_session(db) as s:
        return s.exec(sa.select(Order.status).where(Order.number == number)).scalar_one()


def by_id(page: Page, element_id: str):
    return page.locator(f'[id="{element_id}"]')


def test_ship_part_from_the_order_page_the_rest_from_the_board_then_fix_tracking(
        page: Page, app_url, app_database_url):
    number, lines = picking_order(app_database_url)
    (first_sku, _), (second_sku, _) = lines
    sign_in(page, app_url)

    # the order page: ship 1 of the 3 and none of the other line, with tracking
    page.goto(f"{app_url}/orders/{number}")
    expect(page.locator("#order-heading")).to_contain_text(str(number))
    page.click("#ship-open")
    dialog = page.locator("#ship-dialog")
    expect(dialog).to_be_visible()
    expect(by_id(page, f"ship-qty-{first_sku}")).to_have_value("3")  # defaults: all unshipped
    by_id(page, f"ship-qty-{first_sku}").fill("1")
    by_id(page, f"ship-qty-{second_sku}").fill("0")
    page.click("#ship-carrier")
    page.get_by_role("option", name="Sendle").click()
    page.fill("#ship-tracking", "SND-E2E-1")
    page.click("#ship-confirm")
    expect(dialog).to_be_hidden()

    # each line says where it stands, and the shipment is listed with its items
    expect(by_id(page, f"ship-status-{first_sku}")).to_have_attribute("data-status", "part")
    expect(by_id(page, f"ship-status-{second_sku}")).to_have_attribute("data-status", "unshipped")
    row = page.locator("#shipments .shipment-row").first
    expect(row).to_contain_text("SND-E2E-1")
    expect(row).to_contain_text(f"{first_sku} × 1")
    expect(row).to_contain_text("Sendle")
    assert status(app_database_url, number) == "partially_shipped"

    # the board: the card stays in Picking with what is left, the dialog ships the rest
    page.goto(f"{app_url}/board")
    card = page.locator(f'#lane-picking [data-number="{number}"]')
    expect(card).to_contain_text("(4 left)")
    drag(page, number, "picking", "shipped")  # scrolled into view first: the lane is long
    expect(page.locator("#ask-dialog")).to_contain_text(f"Ship the order · #{number}")
    expect(by_id(page, f"ask-qty-{first_sku}")).to_have_value("2")
    expect(by_id(page, f"ask-qty-{second_sku}")).to_have_value("2")
    page.click("#ask-no-tracking")
    page.click("#ask-confirm")
    expect(page.locator("[data-sonner-toast]").filter(has_text=f"#{number} moved to Shipped")
           ).to_be_visible()
    assert status(app_database_url, number) == "shipped"
    assert [(s.carrier, s.tracking_number) for s in shipments(app_database_url, number)] == [
        ("Sendle", "SND-E2E-1"), (None, None)]

    # back on the order page: correct the first parcel's tracking and email the customer
    page.goto(f"{app_url}/orders/{number}")
    expect(by_id(page, f"ship-status-{second_sku}")).to_have_attribute("data-status", "shipped")
    page.locator("#shipments .shipment-row").first.locator(".edit-tracking").click()
    expect(page.locator("#tracking-dialog")).to_be_visible()
    expect(page.locator("#tracking-tracking")).to_have_value("SND-E2E-1")
    page.fill("#tracking-tracking", "SND-E2E-2")
    page.click("#tracking-email")
    page.click("#tracking-save")
    expect(page.locator("#tracking-dialog")).to_be_hidden()
    expect(page.locator("#shipments .shipment-row").first).to_contain_text("SND-E2E-2")
    first = shipments(app_database_url, number)[0]
    assert first.tracking_number == "SND-E2E-2"
    with read_session(app_database_url) as s:
        order_id = s.exec(sa.select(Order.id).where(Order.number == number)).scalar_one()
        edits = s.exec(sa.select(OrderEvent).where(OrderEvent.order_id == order_id,
                                                   OrderEvent.type == "tracking_edited")
                       ).scalars().all()
        emails = s.exec(sa.select(OutboxMessage).where(OutboxMessage.order_id == order_id,
                                                       OutboxMessage.topic == "shipped")
                        ).scalars().all()
        assert [e.parameters["after"]["tracking_number"] for e in edits] == ["SND-E2E-2"]
        assert any(m.payload.get("updated") and m.payload["shipment_id"] == first.id
                   for m in emails)


def test_a_pickers_raw_calls_to_the_office_shipping_handlers_are_refused(app_url,
                                                                          app_database_url):
    number, lines = picking_order(app_database_url)
    with write_session(app_database_url) as s:
        accounts.invite(s, email=PICKER[0], password=PICKER[1], role=Role.PICKER,
                        by=Principal.system("e2e"))
    client = RawClient(app_url, raw_sign_in(app_url, *PICKER))
    with read_session(app_database_url) as s:
        since = s.exec(sa.select(sa.func.max(AuditEntry.id))).scalar_one() or 0
    form = {f"qty_{line_id}": "1" for _, line_id in lines} | {"no_tracking": "on"}
    calls = [
        (OrderViewState, "ship_open_change", {"is_open": True}),
        (OrderViewState, "ship", {"form": form}),
        (OrderViewState, "edit_tracking", {"shipment": 1}),
        (OrderViewState, "save_tracking", {"form": {"carrier": "DHL", "tracking_number": "X"}}),
        (BoardState, "move", {"drop": {"number": number, "from": "picking", "to": "shipped"}}),
        (BoardState, "confirm_move", {"form": form}),
    ]
    try:
        for cls, name, payload in calls:
            client.send(event_name(cls, name), payload, path=f"/orders/{number}")
        wanted = {f"{cls.__name__}.{name}" for cls, name, _ in calls}

        def refused() -> set[str]:
            with read_session(app_database_url) as s:
                return set(s.exec(sa.select(AuditEntry.target).where(
                    AuditEntry.id > since, AuditEntry.actor == PICKER[0],
                    AuditEntry.action == "event.refused")).scalars())

        assert client.wait_for(lambda: refused() >= wanted, timeout=60)
        assert all(re.match(r"^_(redirect|call_function)$", e["name"])
                   for e in client.frontend_events())
    finally:
        client.close()
    assert status(app_database_url, number) == "picking"
    assert shipments(app_database_url, number) == []
