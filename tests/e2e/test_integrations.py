"""An owner connects another system by webhook: adds an endpoint in Settings →
Integrations (its secret shown once), sends a test event and sees it in the delivery log,
then, when the receiver refused one (410 Gone, which disables the endpoint), enables it
again and replays the failure — which arrives under the same event id, signed."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from standardwebhooks.webhooks import Webhook

from fulfil_testkit.webhook_receiver import Receiver
from tests.e2e.conftest import OWNER_EMAIL, OWNER_PASSWORD, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def _log_shows(page: Page, answer: str, timeout: float = 30) -> None:
    """Refresh the delivery log until an attempt answered `answer` (the worker polls every
    0.5 s)."""
    deadline = time.monotonic() + timeout
    answers = page.locator(".log-answer")
    while time.monotonic() < deadline:
        page.click("#log-refresh")
        page.wait_for_timeout(500)
        if answer in [t.strip() for t in answers.all_inner_texts()]:
            return
    raise AssertionError(f"no attempt answered {answer}: {page.locator('.log-row').all_inner_texts()}")


def test_add_an_endpoint_send_a_test_event_and_replay_a_failure(page: Page, app_server, receiver):
    with app_server.variant(WEBHOOKS_ALLOW_PRIVATE="1", OUTBOX_POLL_SECONDS="0.5") as base:
        sign_in(page, base, OWNER_EMAIL, OWNER_PASSWORD, lands=None)
        page.wait_for_url(re.compile(r"/orders/?$"))
        page.goto(base + "/settings")
        page.click("#tab-integrations")

        # add an endpoint: the secret is shown once
        page.fill("#webhook-url", receiver.url)
        page.fill("#webhook-description", "Accounting")
        page.click("#webhook-add")
        secret_box = page.locator("#new-webhook-secret")
        expect(secret_box).to_contain_text("whsec_")
        secret = secret_box.inner_text().strip()
        row = page.locator(".webhook-row", has_text=receiver.url)
        expect(row).to_contain_text("order.created")
        expect(row).to_contain_text("Active")

        # send a test event: it arrives signed and shows in the log with the 200
        row.locator(".webhook-test").click()
        _log_shows(page, "200")
        assert len(receiver.requests) == 1
        first = receiver.requests[0]
        assert Webhook(secret).verify(first.raw, first.headers)["type"] == "webhook.test"
        expect(page.locator(".log-row").first).to_contain_text("webhook.test")

        # the receiver answers the next one with 410 Gone: failed, endpoint disabled
        receiver.answer_next(410)
        row.locator(".webhook-test").click()
        _log_shows(page, "410")
        expect(row).to_contain_text("Disabled")
        failed = page.locator(".log-row").filter(
            has=page.locator(".log-answer", has_text=re.compile(r"^410$")))
        expect(failed.locator(".log-delivery")).to_have_text("failed")
        gone_id = receiver.requests[1].webhook_id

        # enable again and replay the failure: it arrives under the same event id
        row.locator(".webhook-toggle").click()
        expect(row).to_contain_text("Active")
        failed.locator(".log-replay").click()
        deadline = time.monotonic() + 30
        while len(receiver.ok()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [r.webhook_id for r in receiver.ok()][-1] == gone_id
        Webhook(secret).verify(receiver.ok()[-1].raw, receiver.ok()[-1].headers)
        page.click("#log-refresh")
        expect(page.locator(".log-row").first.locator(".log-answer")).to_have_text("200")

        # a reload never shows the secret again
        page.reload()
        page.click("#tab-integrations")
        expect(page.locator(".webhook-row", has_text=receiver.url)).to_be_visible()
        expect(page.locator("#new-webhook-secret")).to_have_count(0)


def test_the_orders_list_exports_its_orders_to_excel(page: Page, app_url, tmp_path):
    import pandas as pd

    sign_in(page, app_url, OWNER_EMAIL, OWNER_PASSWORD)
    expect(page.locator("#range-label")).to_contain_text("of")
    page.click("#export-open")
    with page.expect_download() as info:
        page.click("#export-xlsx")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".xlsx"
    sheets = pd.read_excel(path, sheet_name=None)
    assert set(sheets) == {"orders", "lines", "payments", "refunds"}
    assert len(sheets["orders"]) >= 60 and len(sheets["lines"]) >= len(sheets["orders"])
