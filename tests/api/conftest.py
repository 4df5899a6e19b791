"""API fixtures: the app on a fresh database (SQLite and PostgreSQL), keys, helpers.

`api_url` points DATABASE_URL at the test's database (the engine cache keys on the URL,
so each test gets its own engine); `client` is a TestClient over `dashboard.api.app.api`.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from dashboard.api.app import api
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import Order, OrderEvent
from dashboard.domain.stock import StockMovement
from dashboard.services import accounts, stock
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import add_product


@pytest.fixture
def api_url(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


@pytest.fixture
def client(api_url):
    with TestClient(api) as c:
        yield c


def make_key(url: str, name: str = "shopfront", scopes: tuple[str, ...] = accounts.ALL_SCOPES):
    with write_session(url) as s:
        _, raw = accounts.create_api_key(s, name=name, scopes=scopes)
    return raw


@pytest.fixture
def api_key(api_url) -> str:
    return make_key(api_url)


@pytest.fixture
def auth(api_key) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}"}


@pytest.fixture
def mug(api_url) -> str:
    """A product MUG-1 at 12.50 AUD with 5 on hand."""
    add_product(api_url, "MUG-1", on_hand=5, price="12.50")
    return "MUG-1"


def order_body(*lines: tuple[str, int], **changes) -> dict:
    body = {
        "customer": {"email": "ada@example.com", "name": "Ada Lovelace", "phone": "+61 400 000 000"},
        "shipping_address": {
            "name": "Ada Lovelace", "street_address_1": "1 George St", "city": "Sydney",
            "country_area": "NSW", "postal_code": "2000", "country": "AU",
        },
        "lines": [{"sku": sku, "quantity": qty} for sku, qty in lines],
        "payment_method": "bank_transfer",
        "delivery_method": "courier",
    }
    body.update(changes)
    return body


class Snapshot:
    """Counts of everything a write could touch, to prove a rejection changed nothing."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.before = self.take()

    def take(self) -> dict:
        with read_session(self.url) as s:
            counts = {
                m.__name__: s.exec(select(func.count()).select_from(m)).one()
                for m in (Order, OrderEvent, OutboxMessage, StockMovement)
            }
            levels = {
                p.sku: (lvl.on_hand, lvl.committed)
                for p in s.exec(select(stock.Product)).all()
                for lvl in [stock.stock_level(s, p.sku)]
            }
        return {**counts, "stock": levels}

    def unchanged(self) -> bool:
        return self.take() == self.before


@pytest.fixture
def snapshot(api_url):
    return lambda: Snapshot(api_url)
