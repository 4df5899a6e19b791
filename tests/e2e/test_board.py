"""The board and the wall screen in headless Chromium against the production app: staff
drag cards between lanes (mouse and keyboard), another browser sees the move within a
second without reloading, illegal drops are refused and the card returns, undo puts it
back, an order posted through the API appears on an open wall screen; and the same with
two backend workers sharing state through Redis."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from dashboard.domain.accounts import Principal
from dashboard.domain.columns import utcnow
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import Order, OrderStatus
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import Shipment
from dashboard.domain.stock import Product, Stock
from dashboard.services import accounts, orders, shipping
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, order_in, pay
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

SECOND = 1000  # ms: the promise for live updates


# --- helpers ---------------------------------------------------------------------------------


def open_board(page: Page, base: str) -> None:
    page.goto(base + "/board")
    expect(page.locator("#lane-unpaid")).to_be_visible()


def place(db: str, *, lane: str = "unpaid", method: PaymentMethod = PaymentMethod.BANK_TRANSFER
          ) -> int:
    """A fresh order (through the services, straight into the app's database) in `lane`."""
    with write_session(db) as s:
        sku = s.exec(
            sa.select(Product.sku).join(Stock, Stock.product_id == Product.id)
            .where(Stock.on_hand - Stock.committed > 3).order_by(Product.id)
        ).scalars().first()
        number = orders.place_order(s, actor=SHOP, order_in=order_in(
            (sku, 1), payment_method=method, email="board-e2e@example.com")).number
        if lane in ("paid", "picking", "shipped"):
            pay(s, number, reference="E2E")
        if lane in ("picking", "shipped"):
            orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.PICKING)
        if lane == "shipped":
            shipping.ship_lines(s, actor=STAFF, number=number, carrier="Sendle",
                              tracking_number="E2E1", notify_customer=False)
    return number


def status(db: str, number: int) -> str:
    with read_session(db) as s:
        return s.exec(sa.select(Order.status).where(Order.number == number)).scalar_one()


def card(page: Page, lane: str, number: int):
    return page.locator(f'#lane-{lane} [data-number="{number}"]')


def drag(page: Page, number: int, source: str, target: str) -> None:
    """A mouse drag as a person does it: press, move in small steps, release."""
    item = card(page, source, number)
    item.scroll_into_view_if_needed()
    box = item.bounding_box()
    lane = page.locator(f"#lane-{target} .kb-lane-body").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 6, y + 6, steps=3)  # past the library's sloppy-click threshold
    page.mouse.move(lane["x"] + lane["width"] / 2, lane["y"] + 40, steps=20)
    page.wait_for_timeout(150)
    page.mouse.up()


def watch_for(page: Page, lane: str, number: int) -> None:
    """Note (by this browser's clock) when the card first shows in `lane`."""
    page.evaluate(
        """([sel]) => {
            window.__seenAt = null;
            const check = () => { if (!window.__seenAt && document.querySelector(sel))
                                      window.__seenAt = Date.now(); };
            new MutationObserver(check).observe(document.body, {subtree: true, childList: true});
            check();
        }""",
        [f'#lane-{lane} [data-number="{number}"]'],
    )


def seen_at(page: Page, timeout_ms: int = 5000) -> int:
    page.wait_for_function("() => window.__seenAt !== null", timeout=timeout_ms)
    return page.evaluate("() => window.__seenAt")


@pytest.fixture
def two_browsers(browser):
    contexts = [browser.new_context(viewport={"width": 1600, "height": 900}) for _ in range(2)]
    pages = []
    for context in contexts:
        context.set_default_timeout(15_000)
        pages.append(context.new_page())
    yield pages
    for context in contexts:
        context.close()


# --- the scenarios (each runs on one worker and on two workers with Redis) ---------------------


def pay_by_drag_seen_elsewhere(a: Page, b: Page, base: str, db: str) -> int:
    """Drag Unpaid -> Paid in A, fill in the reference; B sees it in Paid within a second.
    Returns the latency (ms) from A's confirm to B's screen."""
    number = place(db)
    for page in (a, b):
        open_board(page, base)
        expect(card(page, "unpaid", number)).to_be_visible()
    watch_for(b, "paid", number)

    drag(a, number, "unpaid", "paid")
    expect(a.locator("#ask-dialog")).to_be_visible()
    a.click("#ask-confirm")  # no reference: the dialog says what is missing
    expect(a.locator("#ask-error-reference")).to_contain_text("bank reference")
    assert status(db, number) == "unpaid"
    a.fill("#ask-reference", "WBC 30/11 #4471")
    clicked = a.evaluate("() => Date.now()")
    a.click("#ask-confirm")

    expect(card(a, "paid", number)).to_be_visible()
    expect(a.locator("[data-sonner-toast]").filter(has_text=f"#{number} moved to Paid")).to_be_visible()
    latency = seen_at(b) - clicked
    assert latency < SECOND, f"browser B saw the move after {latency} ms"
    expect(card(b, "unpaid", number)).to_have_count(0)
    assert status(db, number) == "paid"
    return latency


def illegal_drop_returns(a: Page, base: str, db: str) -> None:
    number = place(db, lane="shipped")
    open_board(a, base)
    expect(card(a, "shipped", number)).to_be_visible()
    drag(a, number, "shipped", "unpaid")
    expect(a.locator("[data-sonner-toast]").filter(has_text="cannot go back to Unpaid")).to_be_visible()
    expect(card(a, "shipped", number)).to_be_visible()
    expect(card(a, "unpaid", number)).to_have_count(0)
    assert status(db, number) == "shipped"


def undo_restores(a: Page, b: Page, base: str, db: str) -> None:
    number = place(db, lane="paid", method=PaymentMethod.CARD)
    for page in (a, b):
        open_board(page, base)
        expect(card(page, "paid", number)).to_be_visible()
    drag(a, number, "paid", "picking")  # no facts needed: moves at once
    expect(card(a, "picking", number)).to_be_visible()
    expect(card(b, "picking", number)).to_be_visible(timeout=2 * SECOND)
    assert status(db, number) == "picking"
    toast = a.locator("[data-sonner-toast]").filter(has_text=f"#{number} moved to Picking")
    toast.get_by_role("button", name="Undo").click()
    expect(card(a, "paid", number)).to_be_visible()
    expect(card(b, "paid", number)).to_be_visible(timeout=2 * SECOND)
    assert status(db, number) == "paid"


# --- one backend worker -------------------------------------------------------------------------


def test_drag_unpaid_to_paid_with_the_dialog_and_another_browser_sees_it(two_browsers, app_url,
                                                                          app_database_url):
    a, b = two_browsers
    sign_in(a, app_url)
    sign_in(b, app_url)
    pay_by_drag_seen_elsewhere(a, b, app_url, app_database_url)


def test_an_illegal_drop_is_refused_and_the_card_returns(page: Page, app_url, app_database_url):
    sign_in(page, app_url)
    illegal_drop_returns(page, app_url, app_database_url)


def test_undo_from_the_toast_restores_the_previous_lane(two_browsers, app_url, app_database_url):
    a, b = two_browsers
    sign_in(a, app_url)
    sign_in(b, app_url)
    undo_restores(a, b, app_url, app_database_url)


def test_ship_from_picking_with_carrier_tracking_and_the_customers_email(page: Page, app_url,
                                                                         app_database_url):
    number = place(app_database_url, lane="picking", method=PaymentMethod.CARD)
    sign_in(page, app_url)
    open_board(page, app_url)
    drag(page, number, "picking", "shipped")
    expect(page.locator("#ask-dialog")).to_contain_text(f"Ship the order · #{number}")
    page.click("#ask-carrier")
    page.get_by_role("option", name="Australia Post").click()
    page.fill("#ask-tracking", "AP 3302 1188")
    page.click("#ask-confirm")
    expect(page.locator("[data-sonner-toast]").filter(has_text=f"#{number} moved to Shipped")
           ).to_be_visible()
    expect(card(page, "shipped", number)).not_to_have_class(re.compile("kb-pending"))
    with read_session(app_database_url) as s:
        order_id = s.exec(sa.select(Order.id).where(Order.number == number)).scalar_one()
        shipment = s.exec(sa.select(Shipment).where(Shipment.order_id == order_id)).scalar_one()
        email = s.exec(sa.select(OutboxMessage).where(OutboxMessage.order_id == order_id,
                                                      OutboxMessage.topic == "shipped")
                       ).scalar_one()
        assert (shipment.carrier, shipment.tracking_number) == ("Australia Post", "AP 3302 1188")
        assert email.payload["tracking_number"] == "AP 3302 1188"
        assert email.next_attempt_at > utcnow()  # held while the move can still be undone


def test_keyboard_dragging_moves_a_card(page: Page, app_url, app_database_url):
    number = place(app_database_url, lane="paid", method=PaymentMethod.CARD)
    sign_in(page, app_url)
    open_board(page, app_url)
    item = card(page, "paid", number)
    item.focus()
    page.keyboard.press("Space")  # lift
    page.wait_for_timeout(200)
    page.keyboard.press("ArrowRight")  # to the next lane: Picking
    page.wait_for_timeout(300)
    page.keyboard.press("Space")  # drop
    expect(page.locator("[data-sonner-toast]").filter(has_text=f"#{number} moved to Picking")
           ).to_be_visible()
    expect(card(page, "picking", number)).not_to_have_class(re.compile("kb-pending"))
    assert status(app_database_url, number) == "picking"


DROP_CONNECTION = ("() => window.dispatchEvent("
                   "new PageTransitionEvent('pagehide', {persisted: true}))")
COME_BACK = "() => document.dispatchEvent(new Event('visibilitychange'))"


def test_a_dropped_connection_reconnects_and_catches_up(two_browsers, app_url, app_database_url):
    a, b = two_browsers
    number = place(app_database_url, lane="paid", method=PaymentMethod.CARD)
    for page in (a, b):
        sign_in(page, app_url)
        open_board(page, app_url)
        expect(card(page, "paid", number)).to_be_visible()
    # B's connection drops (a laptop lid, a wifi blink) and misses a move
    b.evaluate(DROP_CONNECTION)
    drag(a, number, "paid", "picking")
    expect(card(a, "picking", number)).to_be_visible()
    b.wait_for_timeout(1500)
    expect(card(b, "paid", number)).to_be_visible()
    # when it comes back it reconnects by itself and catches up
    b.evaluate(COME_BACK)
    expect(card(b, "picking", number)).to_be_visible(timeout=5 * SECOND)
    expect(card(b, "paid", number)).to_have_count(0)


def test_a_new_order_arrives_highlighted(page: Page, app_url, app_database_url):
    sign_in(page, app_url)
    open_board(page, app_url)
    number = place(app_database_url)
    expect(card(page, "unpaid", number)).to_have_class(re.compile(r"kb-fresh"),
                                                       timeout=2 * SECOND)


def test_search_and_the_order_drawer(page: Page, app_url, app_database_url):
    number = place(app_database_url)
    sign_in(page, app_url)
    open_board(page, app_url)
    page.fill("#board-search", str(number))
    expect(page.locator("#lane-unpaid .kb-card")).to_have_count(1)
    expect(page.locator('#lane-unpaid [data-count="1"]')).to_be_visible()
    card(page, "unpaid", number).click()
    drawer = page.locator("#order-drawer")
    expect(drawer).to_contain_text(f"#{number}")
    expect(drawer).to_contain_text(re.compile("bank transfer", re.IGNORECASE))
    expect(page.locator("#drawer-open-order")).to_have_attribute("href", f"/orders/{number}")


def test_a_long_lane_loads_more_cards_as_it_scrolls(page: Page, app_url, app_database_url):
    """70 orders on hold (a lane no other test uses), searched by their customer: the lane
    counts all 70 but holds one window of cards, and scrolling its body loads the next."""
    from dashboard.services.board import PAGE

    email = f"scroll-{time.time_ns()}@example.com"
    with write_session(app_database_url) as s:
        sku = s.exec(sa.select(Product.sku).join(Stock, Stock.product_id == Product.id)
                     .where(Stock.on_hand - Stock.committed > 80).order_by(Product.id)
                     ).scalars().first()
        for _ in range(70):
            number = orders.place_order(s, actor=SHOP, order_in=order_in(
                (sku, 1), email=email)).number
            orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.ON_HOLD,
                                 reason="scroll test")
    sign_in(page, app_url)
    open_board(page, app_url)
    page.fill("#board-search", email)
    lane = page.locator("#lane-on_hold")
    expect(lane.locator('.kb-lane-count[data-count="70"]')).to_be_visible()
    expect(lane.locator(".kb-card")).to_have_count(PAGE)
    expect(page.locator("#lane-unpaid .kb-card")).to_have_count(0)

    body = lane.locator(".kb-lane-body")
    body.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    expect(lane.locator(".kb-card")).to_have_count(2 * PAGE)
    body.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    expect(lane.locator(".kb-card")).to_have_count(70)
    expect(lane.locator(".kb-more")).to_have_count(0)  # nothing more to load
    numbers = lane.locator(".kb-card").evaluate_all("els => els.map(e => +e.dataset.number)")
    assert len(set(numbers)) == 70


def test_an_order_posted_through_the_api_appears_on_an_open_wall_screen(browser, app_url,
                                                                        app_database_url):
    with write_session(app_database_url) as s:
        _, wall_token = accounts.create_kiosk_link(s, name="Dispatch wall",
                                                by=Principal.system("e2e"))
        _, key = accounts.create_api_key(s, name="e2e shop")
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        wall = context.new_page()
        wall.goto(f"{app_url}/wall/{wall_token}")
        expect(wall.locator("#wall-unpaid")).to_be_visible()
        expect(wall.locator("#wall-clock")).not_to_be_empty()
        before = int(wall.locator("#wall-unpaid [data-count]").get_attribute("data-count"))
        number = post_order(app_url, key, app_database_url)
        expect(wall.locator(f'#wall-unpaid [data-count="{before + 1}"]')).to_be_visible(
            timeout=2 * SECOND)
        expect(wall.locator("#wall-sync")).to_have_attribute("data-stale", "0")
        assert "board-e2e" not in wall.content()  # a kiosk never sees customers
        assert number
        # when updates stop, the screen says so in red
        wall.evaluate(DROP_CONNECTION)
        expect(wall.locator("#wall-sync")).to_have_attribute("data-stale", "1", timeout=20_000)
        expect(wall.locator("#wall-sync")).to_contain_text("No updates for")
    finally:
        context.close()


def post_order(base: str, key: str, db: str) -> int:
    with read_session(db) as s:
        sku = s.exec(sa.select(Product.sku).join(Stock, Stock.product_id == Product.id)
                     .where(Stock.on_hand - Stock.committed > 3).order_by(Product.id)
                     ).scalars().first()
    body = {
        "customer": {"email": "board-e2e@example.com", "name": "Wall Watcher"},
        "shipping_address": {"name": "Wall Watcher", "street_address_1": "1 George St",
                             "city": "Sydney", "country_area": "NSW", "postal_code": "2000",
                             "country": "AU"},
        "lines": [{"sku": sku, "quantity": 1}],
        "payment_method": "bank_transfer",
        "delivery_method": "courier",
    }
    request = urllib.request.Request(  # noqa: S310 (a local http URL)
        base + "/api/v1/orders", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (local URL)
        assert response.status == 201
        return json.loads(response.read())["number"]


# --- two backend workers on Redis -----------------------------------------------------------------


@contextmanager
def redis_server():
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (make setup installs it)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def socket_owner(redis_client, page: Page) -> str | None:
    """The backend worker holding this page's websocket (Reflex's record in Redis)."""
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    record = redis_client.get(f"token_manager_socket_record_{token}")
    return pickle.loads(record).instance_id if record else None  # noqa: S301 (our own Redis)


def test_the_same_with_two_backend_workers_on_redis(browser, app_server, app_database_url):
    import redis

    with redis_server() as redis_url, app_server.variant(REFLEX_REDIS_URL=redis_url,
                                                          GRANIAN_WORKERS="2") as base:
        client = redis.Redis.from_url(redis_url)
        contexts, pages = [], []
        try:
            number = place(app_database_url)
            # Open boards until they sit on both workers (the kernel spreads connections).
            while len({socket_owner(client, p) for p in pages}) < 2 and len(pages) < 10:
                context = browser.new_context(viewport={"width": 1600, "height": 900})
                contexts.append(context)
                page = context.new_page()
                page.set_default_timeout(15_000)
                sign_in(page, base)
                open_board(page, base)
                expect(card(page, "unpaid", number)).to_be_visible()
                pages.append(page)
            owners = [socket_owner(client, p) for p in pages]
            assert len(set(owners)) == 2, f"the boards all sit on one worker: {owners}"
            a = pages[0]
            watchers = [p for p, o in zip(pages, owners, strict=True) if o != owners[0]]
            for page in watchers:
                watch_for(page, "paid", number)
            drag(a, number, "unpaid", "paid")
            a.fill("#ask-reference", "CHQ 000777")
            clicked = a.evaluate("() => Date.now()")
            a.click("#ask-confirm")
            expect(card(a, "paid", number)).to_be_visible()
            latencies = [seen_at(page) - clicked for page in watchers]
            assert max(latencies) < SECOND, f"the other worker's boards saw it after {latencies} ms"
            illegal_drop_returns(a, base, app_database_url)
            undo_restores(a, watchers[0], base, app_database_url)
        finally:
            for context in contexts:
                context.close()
