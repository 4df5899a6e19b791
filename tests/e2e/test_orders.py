"""A merchant signs in, finds the seeded orders, filters them, signs out."""

from __future__ import annotations

import json
import os
import re
import urllib.request

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT, sign_in

pytestmark = pytest.mark.e2e


def _total(page: Page) -> int:
    """The N in the '1–50 of N' label."""
    text = page.inner_text("#range-label")
    m = re.search(r"of ([\d,]+)", text)
    return int(m.group(1).replace(",", "")) if m else 0


def test_wrong_password_shows_error(page: Page, app_url: str):
    sign_in(page, app_url, password="not-the-password", lands=None)  # noqa: S106
    expect(page.locator("#login-error")).to_contain_text("incorrect")
    assert re.search(r"/login/?\?error=failed$", page.url)  # the form posts, then comes back


def test_orders_need_a_session(page: Page, app_url: str):
    page.goto(app_url + "/orders")
    page.wait_for_url(re.compile(r"/login/?(\?.*)?$"))


def _orders_in(database_url: str) -> int:
    """The seeded 60, plus any order another e2e module placed in the shared app."""
    engine = sa.create_engine(database_url)
    with engine.connect() as c:
        n = c.execute(sa.text('SELECT count(*) FROM "order"')).scalar_one()
    engine.dispose()
    return n


def test_sign_in_filter_and_sign_out(page: Page, app_url: str, tmp_path, app_database_url):
    sign_in(page, app_url, lands=None)
    page.wait_for_url(re.compile(r"/orders/?$"))
    rows = page.locator(".order-row")
    expect(rows.first).to_be_visible()
    total = _total(page)
    assert total == _orders_in(app_database_url) >= 60 and rows.count() == 50

    shot = (
        ROOT / "docs" / "screenshot.png"
        if os.environ.get("UPDATE_SCREENSHOT")
        else tmp_path / "orders.png"
    )
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))

    # Filter by a status seen on the page that not every order has.
    statuses = rows.locator(".status-cell").evaluate_all("els => els.map(e => e.dataset.status)")
    status = min(set(statuses), key=statuses.count)
    page.click("#status-filter")
    page.get_by_role("option", name=status.replace("_", " ").capitalize(), exact=True).click()
    expect(page.locator("#range-label")).not_to_have_text(re.compile(rf"of {total}$"))
    filtered = _total(page)
    assert 0 < filtered < total
    shown = rows.locator(".status-cell").evaluate_all("els => els.map(e => e.dataset.status)")
    assert shown and set(shown) == {status}
    assert len(shown) == min(filtered, 50)

    page.click("#logout")
    page.wait_for_url(re.compile(r"/login/?(\?.*)?$"))
    page.goto(app_url + "/orders")  # the server ended the session
    page.wait_for_url(re.compile(r"/login/?(\?.*)?$"))


def test_api_is_served_on_the_same_port(app_url: str):
    with urllib.request.urlopen(app_url + "/api/v1/openapi.json", timeout=10) as r:  # noqa: S310
        assert r.status == 200
        assert "paths" in json.loads(r.read())
