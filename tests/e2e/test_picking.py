"""A picker on a phone (390×844, touch): a new order appears in the queue without a
refresh, is claimed, every unit is scanned with a keyboard-wedge scanner (typed into the
page, Enter-terminated, no field focused), a foreign barcode is refused loudly, the order
is finished and the board shows it ready to ship. Then the phone's camera reads a barcode
from Chromium's fake camera (a .y4m video made here from a python-barcode image)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.domain.accounts import Principal, Role
from dashboard.domain.orders import Actor, ActorKind
from dashboard.services import accounts, orders
from dashboard.services.db import write_session
from fulfil_testkit.factories import add_product, order_in, pay
from tests.e2e.conftest import CHROMIUM_ARGS, sign_in

pytestmark = pytest.mark.e2e

PICKER = ("scanning.picker@e2e.example", "a scanning picker's pass phrase")
PHONE = {"width": 390, "height": 844}
SHOP = Actor(ActorKind.API_KEY, "api:e2e-shop", 1)
CODES = {"E2E-PICK-A": "9312345000017", "E2E-PICK-B": "9312345000024",
         "E2E-FOREIGN": "9312345000031", "E2E-CAM": "E2ECAM-77"}
# Records what the page asks of the vibration motor (headless Chromium has none).
RECORD_VIBRATION = """
window.__vibrations = [];
Object.defineProperty(navigator, 'vibrate', {value: (p) => { window.__vibrations.push(p); return true; }});
"""


@pytest.fixture(scope="module")
def shop(app_url, app_database_url):
    with write_session(app_database_url) as s:
        accounts.invite(s, email=PICKER[0], password=PICKER[1], role=Role.PICKER,
                        by=Principal.system("e2e"))
    for sku, code in CODES.items():
        add_product(app_database_url, sku, on_hand=50, barcode=code)
    return app_database_url


def _paid_order(url: str, *lines: tuple[str, int]) -> int:
    with write_session(url) as s:
        number = orders.place_order(s, actor=SHOP, order_in=order_in(*lines)).number
        pay(s, number)
    return number


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIBRATION)
    yield context.new_page()
    context.close()


def _wedge(page: Page, code: str) -> None:
    """A hardware scanner: the code's keys and Enter, into whatever has focus (nothing)."""
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


def test_a_picker_scans_an_order_with_a_keyboard_wedge_and_the_board_sees_it_ready(
        phone: Page, page: Page, app_url, shop, tmp_path):
    sign_in(phone, app_url, *PICKER, lands=r"/picking/?$")
    expect(phone.locator("#picking")).to_be_visible()
    expect(phone.locator("link[rel=manifest]")).to_have_count(1)
    # a new order is paid while the picker looks at the queue: it appears by itself
    number = _paid_order(shop, ("E2E-PICK-A", 2), ("E2E-PICK-B", 1))
    card = phone.locator(f"#queue-{number}")
    expect(card).to_be_visible(timeout=10_000)
    assert not re.search(r"\$|€|£|\btotal\b|\bpayment\b", card.inner_text(), re.IGNORECASE)

    phone.locator(f"#claim-{number}").tap()
    mine = phone.locator(f"#mine-{number}")
    expect(mine).to_be_visible()
    expect(mine.locator(".pick-progress")).to_have_text("0/2 lines")
    phone.evaluate("document.activeElement && document.activeElement.blur()")

    _wedge(phone, CODES["E2E-PICK-A"])
    line_a = mine.locator('.pick-line[data-sku="E2E-PICK-A"] .pick-count')
    expect(line_a).to_have_text("1 / 2")
    # a foreign item: refused loudly, nothing counted
    _wedge(phone, CODES["E2E-FOREIGN"])
    flash = phone.locator("#pick-flash")
    expect(flash).to_have_attribute("data-kind", "error")
    expect(flash).to_contain_text("Wrong item: E2E-FOREIGN")
    expect(line_a).to_have_text("1 / 2")
    vibrations = phone.evaluate("window.__vibrations")
    assert vibrations and vibrations[-1] == [250, 100, 250, 100, 250], vibrations
    assert phone.evaluate("document.body.dataset.scanFeedback").startswith("error:")
    _wedge(phone, "0000000000000")
    expect(flash).to_contain_text("Unknown barcode")

    _wedge(phone, CODES["E2E-PICK-A"])
    _wedge(phone, CODES["E2E-PICK-B"])
    expect(mine.locator(".pick-progress")).to_have_text("2/2 lines")
    expect(flash).to_have_attribute("data-kind", "done")
    _wedge(phone, CODES["E2E-PICK-B"])  # one too many
    expect(flash).to_contain_text("already picked")
    phone.screenshot(path=str(tmp_path / "picking-scanned.png"), full_page=True)

    phone.locator(f"#finish-{number}").tap()
    done = phone.locator(f"#done-{number}")
    expect(done.locator(".pick-outcome")).to_have_text("Packed: ready to ship")
    slip = done.locator(".pick-slip")
    assert slip.get_attribute("href").endswith(f"/api/v1/orders/{number}/documents/packing_slip.pdf")
    assert phone.request.get(app_url + slip.get_attribute("href")).status == 200
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # the office's board: the card in Picking says so
    sign_in(page, app_url)
    page.goto(app_url + "/board")
    page.locator("#board-search").fill(str(number))
    card = page.locator(f'#lane-picking [data-number="{number}"]')
    expect(card.locator(".kb-pick")).to_have_text("Ready to ship", timeout=10_000)


def _y4m(path, image, frames: int = 10) -> None:
    """A YUV4MPEG2 4:2:0 video of one still image (grey: Y is the image, U and V flat)."""
    grey = image.convert("L")
    w, h = grey.size
    w, h = w - w % 2, h - h % 2
    grey = grey.crop((0, 0, w, h))
    chroma = bytes([128]) * ((w // 2) * (h // 2))
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + grey.tobytes() + chroma + chroma)


def _barcode_video(tmp_path, code: str):
    from barcode import Code128
    from barcode.writer import ImageWriter
    from PIL import Image

    bars = Code128(code, writer=ImageWriter()).render(
        {"module_width": 0.5, "module_height": 25, "quiet_zone": 8, "dpi": 200,
         "write_text": False})
    frame = Image.new("RGB", (1280, 720), "white")
    bars.thumbnail((1100, 600))
    frame.paste(bars, ((1280 - bars.width) // 2, (720 - bars.height) // 2))
    path = tmp_path / "barcode.y4m"
    _y4m(path, frame)
    return path


def test_the_phone_camera_reads_a_barcode_and_counts_it(browser, app_url, shop, tmp_path):
    video = _barcode_video(tmp_path, CODES["E2E-CAM"])
    camera_browser = browser.browser_type.launch(
        executable_path="/usr/bin/chromium", headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream",
              "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"])
    try:
        context = camera_browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                             permissions=["camera"])
        context.set_default_timeout(20_000)
        phone = context.new_page()
        logs = []
        phone.on("console", lambda m: logs.append(f"{m.type}: {m.text}"))
        phone.on("requestfailed", lambda r: logs.append(f"failed: {r.url}"))
        sign_in(phone, app_url, *PICKER, lands=r"/picking/?$")
        number = _paid_order(shop, ("E2E-CAM", 1))
        expect(phone.locator(f"#queue-{number}")).to_be_visible(timeout=10_000)
        phone.locator(f"#claim-{number}").tap()
        expect(phone.locator(f"#mine-{number}")).to_be_visible()

        phone.locator("#camera-toggle").tap()
        expect(phone.locator(".pick-camera[data-status=scanning]")).to_be_visible()
        count = phone.locator(f'#mine-{number} .pick-line[data-sku="E2E-CAM"] .pick-count')
        try:
            expect(count).to_have_text("1 / 1", timeout=20_000)
        except AssertionError:
            phone.screenshot(path=str(tmp_path / "camera.png"))
            print("browser console:", logs, phone.locator(".pick-camera").inner_text())
            raise
        expect(phone.locator(f"#mine-{number} .pick-progress")).to_have_text("1/1 lines")
    finally:
        camera_browser.close()
