"""Payments fixtures: a fresh database per test (SQLite, then PostgreSQL), the API over it,
orders with chosen numbers and totals, and the merchant's calendar (Sydney, NSW)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from dashboard.api.app import api
from dashboard.domain.orders import Order, OrderNumberCounter
from dashboard.domain.payments import PaymentMethod
from dashboard.services import orders, stock
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, add_product, order_in


@pytest.fixture(autouse=True)
def merchant(monkeypatch):
    monkeypatch.setenv("MERCHANT_COUNTRY", "AU")
    monkeypatch.setenv("MERCHANT_SUBDIVISION", "NSW")
    monkeypatch.setenv("MERCHANT_TIMEZONE", "Australia/Sydney")
    for name in ("AUTO_CANCEL_DAYS_BANK_TRANSFER", "AUTO_CANCEL_DAYS_CHEQUE",
                 "AUTO_CANCEL_DAYS_CARD", "PAYMENT_RECEIPT_EMAILS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def url(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


@pytest.fixture
def client(url):
    with TestClient(api) as c:
        yield c


def place(url: str, sku: str = "MUG-1", quantity: int = 1, *, number: int | None = None,
          method: PaymentMethod | str = PaymentMethod.BANK_TRANSFER, email: str = "ada@example.com"):
    """Place an order (optionally with a chosen number) and return its number."""
    with write_session(url) as s:
        if number is not None:
            counter = s.get(OrderNumberCounter, 1)
            counter.last_number = number - 1
            s.add(counter)
            s.commit()
        return orders.place_order(
            s, actor=SHOP, order_in=order_in((sku, quantity), payment_method=PaymentMethod(method), email=email)
        ).number


def priced_orders(url: str, totals: dict[int, str], *, currency: str = "AUD",
                  method: PaymentMethod = PaymentMethod.BANK_TRANSFER) -> None:
    """Orders with the given numbers and totals (one product per distinct price)."""
    for number, total in sorted(totals.items()):
        sku = f"P-{currency}-{total.replace('.', '_')}"
        with read_session(url) as s:
            known = stock.products_by_sku(s, [sku])
        if not known:
            add_product(url, sku, on_hand=100, price=total, currency=currency)
        place(url, sku, number=number, method=method, email=f"c{number}@example.com")


def get_order(url: str, number: int) -> SimpleNamespace:
    """The order's columns as they are in the database now."""
    with read_session(url) as s:
        order = s.exec(select(Order).where(Order.number == number)).one()
        return _plain(order)


def _plain(row) -> SimpleNamespace:
    return SimpleNamespace(**{c.name: getattr(row, c.name) for c in row.__table__.columns})


def rows(url: str, model, *where) -> list[SimpleNamespace]:
    """Rows of a table (in id order) as plain objects, readable after the session ends."""
    with read_session(url) as s:
        return [_plain(r) for r in s.exec(select(model).where(*where).order_by(model.id)).all()]


def count(url: str, model, *where) -> int:
    with read_session(url) as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()
