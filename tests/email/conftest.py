"""Email fixtures: a fake Resend server the real SDK is pointed at, and a database."""

from __future__ import annotations

import pytest

from tests.email.fake_resend import FakeResend


@pytest.fixture(autouse=True)
def _no_resend_key(monkeypatch):
    """No test reaches the real Resend: without the fake server there is no key."""
    monkeypatch.delenv("RESEND_API_KEY", raising=False)
    monkeypatch.delenv("RESEND_API_URL", raising=False)


@pytest.fixture
def resend_server(monkeypatch):
    server = FakeResend().start()
    monkeypatch.setenv("RESEND_API_KEY", server.api_key)
    monkeypatch.setenv("RESEND_API_URL", server.url)
    monkeypatch.setenv("OUTBOX_BASE_DELAY_SECONDS", "0")
    yield server
    server.stop()


@pytest.fixture
def shop(db_url, monkeypatch):
    """A database with one product, and the merchant's details set."""
    from fulfil_testkit.factories import add_product

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("SHOP_NAME", "Harbour & Pine")
    monkeypatch.setenv("MERCHANT_EMAIL", "orders@harbourpine.example")
    monkeypatch.setenv("MERCHANT_ADDRESS", "12 Wharf St|Hobart TAS 7000")
    monkeypatch.setenv("MERCHANT_TAX_ID", "ABN 12 345 678 901")
    monkeypatch.setenv("MERCHANT_TAX_RATE", "10")
    # One message per order unless a test asks for the customer's confirmation too.
    monkeypatch.setenv("SEND_ORDER_CONFIRMATION", "0")
    add_product(db_url, "MUG-1", on_hand=50, price="12.50")
    return db_url
