"""Document fixtures: orders with a Chinese customer, merchant details, a printer."""

from __future__ import annotations

import socket
import threading

import pytest

from dashboard.domain.orders import AddressIn, CustomerIn, LineIn, OrderIn
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.services import orders, stock
from dashboard.services.db import write_session
from fulfil_testkit.factories import SHOP, STAFF

# Bins chosen so that SKU order and bin order differ (and A-10 must follow A-2).
CATALOGUE = [("TEA-GRN", "Green tea tin", "18.00", "C-01"), ("MUG-1", "Enamel mug", "12.50", "A-10"),
             ("BWL-3", "Ramen bowl", "24.00", "A-2"), ("SPN-9", "Wooden spoon", "4.50", "")]


@pytest.fixture
def merchant_env(monkeypatch):
    monkeypatch.setenv("SHOP_NAME", "Harbour & Pine")
    monkeypatch.setenv("MERCHANT_LEGAL_NAME", "Harbour and Pine Pty Ltd")
    monkeypatch.setenv("MERCHANT_EMAIL", "orders@harbourpine.example")
    monkeypatch.setenv("MERCHANT_PHONE", "03 6200 0000")
    monkeypatch.setenv("MERCHANT_ADDRESS", "12 Wharf St|Hobart TAS 7000")
    monkeypatch.setenv("MERCHANT_TAX_ID", "ABN 12 345 678 901")
    monkeypatch.setenv("MERCHANT_TAX_RATE", "10")
    monkeypatch.setenv("MERCHANT_BANK_DETAILS", "BSB 062-000|Account 1234 5678")
    monkeypatch.setenv("DOCUMENT_FOOTER", "Thank you for shopping local.")
    monkeypatch.setenv("PUBLIC_URL", "https://shop.example")
    monkeypatch.delenv("DOCUMENT_PAGE_SIZE", raising=False)


def chinese_order(name: str = "王小明", **changes) -> OrderIn:
    fields = dict(
        customer=CustomerIn(email="wang@example.com", name=name, phone="+61 400 111 222"),
        shipping_address=AddressIn(name=name, street_address_1="北京市朝阳区建国路88号",
                                   city="Sydney", country_area="NSW", postal_code="2000",
                                   country="AU"),
        lines=[LineIn("TEA-GRN", 1), LineIn("MUG-1", 2), LineIn("BWL-3", 1), LineIn("SPN-9", 3)],
        note="请放在门口 — please leave at the door",
        payment_method=PaymentMethod.BANK_TRANSFER,
        delivery_method=DeliveryMethod.COURIER,
    )
    fields.update(changes)
    return OrderIn(**fields)


@pytest.fixture
def shop(db_url, merchant_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    with write_session(db_url) as s:
        for sku, name, price, bin_location in CATALOGUE:
            stock.upsert_product(s, actor=STAFF, sku=sku, name=name, price=price, currency="AUD",
                                 bin_location=bin_location or None,
                                 barcode="9300000000" + str(len(sku)) + sku[-1] if sku != "SPN-9" else None)
            stock.adjust_stock(s, actor=STAFF, sku=sku, delta=5000, reason="received")
    return db_url


def place(url: str, order: OrderIn | None = None, **kw) -> int:
    with write_session(url) as s:
        return orders.place_order(s, actor=SHOP, order_in=order or chinese_order(), **kw).number


class PrinterListener:
    """A local TCP listener standing in for a printer on port 9100: keeps every byte."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.jobs: list[bytes] = []
        self._done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                chunks = []
                while True:
                    try:
                        data = conn.recv(65536)
                    except OSError:
                        break
                    if not data:
                        break
                    chunks.append(data)
                self.jobs.append(b"".join(chunks))
                self._done.set()

    def wait(self, timeout: float = 10) -> bytes:
        assert self._done.wait(timeout), "the printer received nothing"
        return self.jobs[-1]

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def printer(monkeypatch):
    listener = PrinterListener()
    monkeypatch.setenv("RECEIPT_PRINTER_HOST", "127.0.0.1")
    monkeypatch.setenv("RECEIPT_PRINTER_PORT", str(listener.port))
    yield listener
    listener.close()
