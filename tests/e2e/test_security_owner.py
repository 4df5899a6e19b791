"""An owner runs the shop's access from the settings page: invites a picker who sets
their own password, makes and revokes an API key, puts a wall screen up and takes it
down, and reads the audit log."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OWNER_EMAIL, OWNER_PASSWORD, sign_in

pytestmark = pytest.mark.e2e


def _owner_settings(page: Page, base: str, tab: str) -> None:
    sign_in(page, base, OWNER_EMAIL, OWNER_PASSWORD, lands=None)
    page.wait_for_url(re.compile(r"/orders/?$"))
    page.goto(base + "/settings")
    page.click(f"#tab-{tab}")


def _api(base: str, path: str, key: str, body: dict | None = None) -> int:
    request = urllib.request.Request(  # noqa: S310 (a local http URL)
        base + path, method="POST" if body else "GET",
        data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as r:  # noqa: S310 (local URL)
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_invited_picker_sets_their_own_password_from_the_link(page: Page, browser, app_url):
    _owner_settings(page, app_url, "people")
    page.click("#invite-open")
    page.fill("#invite-email", "invited.picker@e2e.example")
    page.fill("#invite-name", "Ivy Picker")
    page.click("#invite-role")
    page.get_by_role("option", name="picker").click()
    page.click("#invite-submit")
    link = page.locator("#shown-link")
    expect(link).to_contain_text("/reset/")
    url = link.inner_text()
    row = page.locator('.person-row[data-email="invited.picker@e2e.example"]')
    expect(row).to_contain_text("Invited")

    other = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        phone = other.new_page()
        phone.goto(url)
        phone.fill("#new-password", "ivy's own pass phrase")
        phone.fill("#new-password-again", "ivy's own pass phrase")
        phone.click("#set-password")
        phone.wait_for_url(re.compile(r"/login\?notice=password_set"))
        expect(phone.locator("#login-notice")).to_be_visible()
        sign_in(phone, app_url, "invited.picker@e2e.example", "ivy's own pass phrase", lands=None)
        phone.wait_for_url(re.compile(r"/picking/?$"))
        phone.goto(url)  # the link is spent
        expect(phone.locator("#reset-error")).to_contain_text("already been used")
    finally:
        other.close()


def test_an_api_key_is_shown_once_works_records_its_use_and_stops_when_revoked(
    page: Page, app_url
):
    _owner_settings(page, app_url, "api-keys")
    page.fill("#api-key-name", "E2E reader")
    page.click("#api-key-create")
    shown = page.locator("#new-api-key")
    expect(shown).to_contain_text("fk_")
    key = shown.inner_text().strip()
    assert _api(app_url, "/api/v1/orders?per_page=1", key) == 200
    page.reload()
    page.click("#tab-api-keys")
    row = page.locator(".api-key-row", has_text="E2E reader")
    expect(row.locator(".key-last-used")).not_to_have_text("Never")
    assert key not in page.content()  # shown once: gone after a reload
    row.locator(".key-revoke").click()
    expect(row).to_contain_text("Revoked")
    assert _api(app_url, "/api/v1/orders?per_page=1", key) == 401


def test_a_wall_screen_shows_the_queues_can_do_nothing_else_and_stops_when_revoked(
    page: Page, browser, app_url
):
    _owner_settings(page, app_url, "walls")
    page.fill("#kiosk-name", "Packing bench")
    page.click("#kiosk-create")
    link = page.locator("#new-kiosk-link")
    expect(link).to_contain_text("/wall/")
    wall_url = link.inner_text().strip()

    screen = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        wall = screen.new_page()
        wall.goto(wall_url)
        # the queues, without signing in
        for lane in ("Unpaid", "Paid", "Picking", "On hold"):
            expect(wall.get_by_text(lane, exact=True).first).to_be_visible()
        assert wall.url == wall_url and wall.locator("#wall-invalid").count() == 0
        # and nothing to act with: no form, input or link out
        assert wall.locator("input, form, a[href], select, textarea").count() == 0
        # when the owner revokes the link, the open screen blanks within seconds
        page.locator(".kiosk-row", has_text="Packing bench").locator(".kiosk-revoke").click()
        expect(wall.locator("#wall-invalid")).to_be_visible(timeout=10_000)
        expect(wall.get_by_text("Unpaid", exact=True)).to_have_count(0)
        # and the link no longer opens
        wall.goto(wall_url)
        expect(wall.locator("#wall-invalid")).to_be_visible()
    finally:
        screen.close()


def test_the_audit_log_shows_refusals_in_local_time_and_cannot_be_edited(page: Page, app_url):
    # given someone tried a page they may not use
    page.goto(app_url + "/settings")
    page.wait_for_url(re.compile(r"/login"))
    # when the owner opens the audit log
    sign_in(page, app_url, OWNER_EMAIL, OWNER_PASSWORD, lands=None)
    page.wait_for_url(re.compile(r"/orders/?$"))
    page.goto(app_url + "/audit")
    rows = page.locator(".audit-row")
    expect(rows.first).to_be_visible()
    expect(page.locator("#audit-total")).to_contain_text(re.compile(r"times in [A-Z]{3,5}"))
    page.click("#audit-outcome")
    page.get_by_role("option", name="Refused").click()
    expect(rows.first.locator(".audit-outcome")).to_have_text("refused")
    assert page.locator(".audit-row[data-action='event.refused']").count() >= 1
    # and there is nothing on the page to change an entry with
    assert page.locator(".audit-row button, .audit-row input").count() == 0
