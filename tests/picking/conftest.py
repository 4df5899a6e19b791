"""Picking fixtures: a shop with three products on different shelves (each with a
barcode), orders placed and paid through the order services, and two pickers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dashboard.domain.orders import Actor, ActorKind
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.domain.stock import Product
from dashboard.services import orders
from dashboard.services.db import write_session
from fulfil_testkit.factories import SHOP, add_product, order_in, pay

PICKER = Actor(ActorKind.USER, "pia@example.com", 7)
OTHER = Actor(ActorKind.USER, "otto@example.com", 8)
BARCODES = {"MUG-1": "9300000000011", "TEA-1": "9300000000028", "JAM-1": "9300000000035"}
BINS = {"MUG-1": "B-02", "TEA-1": "A-01", "JAM-1": "C-03"}


def stock_shop(url: str, on_hand: int = 50) -> str:
    for sku, code in BARCODES.items():
        add_product(url, sku, on_hand=on_hand, barcode=code)
    with write_session(url) as s:
        for sku, where in BINS.items():
            s.execute(sa.update(Product).where(Product.sku == sku).values(bin_location=where))
    add_product(url, "SPARE-1", on_hand=5, barcode="9300000000099")  # in no order
    return url


@pytest.fixture
def url(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    for name in ("PICK_PARTIAL_SHIPMENTS", "PICK_PICKUP_NOTICE"):
        monkeypatch.delenv(name, raising=False)
    return stock_shop(db_url)


def paid_order(url: str, *lines: tuple[str, int],
               delivery: DeliveryMethod = DeliveryMethod.COURIER) -> int:
    with write_session(url) as s:
        number = orders.place_order(
            s, actor=SHOP, order_in=order_in(*lines, delivery_method=delivery)).number
        pay(s, number)
    return number


def pickup_unpaid(url: str, *lines: tuple[str, int]) -> int:
    with write_session(url) as s:
        return orders.place_order(s, actor=SHOP, order_in=order_in(
            *lines, delivery_method=DeliveryMethod.PICKUP,
            payment_method=PaymentMethod.PAY_ON_PICKUP)).number
