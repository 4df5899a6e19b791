"""The desk's fixtures: a small shop with customers in several scripts and countries."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dashboard.domain.orders import AddressIn, CustomerIn
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.services.db import read_session, write_session
from dashboard.services.orders import place_order
from fulfil_testkit.factories import SHOP, STAFF, add_product, order_in

AGENT = STAFF


def place(url: str, *lines: tuple[str, int], email: str = "ada@example.com", name: str = "Ada Lovelace",
          phone: str = "+61 400 000 000", address: AddressIn | None = None,
          payment_method: PaymentMethod = PaymentMethod.BANK_TRANSFER,
          delivery_method: DeliveryMethod = DeliveryMethod.COURIER, actor=SHOP):
    base = order_in(*lines, email=email, payment_method=payment_method,
                    delivery_method=delivery_method)
    base = replace(base, customer=CustomerIn(email=email, name=name, phone=phone))
    if address is not None:
        base = replace(base, shipping_address=address)
    with write_session(url) as s:
        return place_order(s, actor=actor, order_in=base)


@pytest.fixture
def shop(db_url):
    """MUG-1 (12.50, 20 on hand), TEA-1 (8.00, 5 on hand, barcode 9300000000016)."""
    add_product(db_url, "MUG-1", on_hand=20, price="12.50")
    add_product(db_url, "TEA-1", on_hand=5, price="8.00", barcode="9300000000016")
    return db_url


def read(url):
    return read_session(url)
