"""Small builders for tests: a product with stock, an order input, a signed-in staff actor."""

from __future__ import annotations

import sqlalchemy as sa

from dashboard.domain.orders import Actor, ActorKind, AddressIn, CustomerIn, LineIn, OrderIn
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.domain.stock import Product, StockMovement
from dashboard.services import payments
from dashboard.services.db import read_session, write_session
from dashboard.services.stock import levels as stock

STAFF = Actor(ActorKind.USER, "staff@example.com", 1)
SHOP = Actor(ActorKind.API_KEY, "api:shopfront", 1)


def add_product(url: str, sku: str, *, on_hand: int = 10, price: str = "12.50",
                currency: str = "AUD", barcode: str | None = None) -> None:
    with write_session(url) as s:
        stock.upsert_product(s, actor=STAFF, sku=sku, name=f"Product {sku}", price=price,
                             currency=currency, barcode=barcode, bin_location="A-01")
        if on_hand:
            stock.adjust_stock(s, actor=STAFF, sku=sku, delta=on_hand, reason="received")


def order_in(*lines: tuple[str, int], email: str = "ada@example.com",
             payment_method: PaymentMethod = PaymentMethod.BANK_TRANSFER,
             delivery_method: DeliveryMethod = DeliveryMethod.COURIER, note: str = "") -> OrderIn:
    return OrderIn(
        customer=CustomerIn(email=email, name="Ada Lovelace", phone="+61 400 000 000"),
        shipping_address=AddressIn(name="Ada Lovelace", street_address_1="1 George St",
                                   city="Sydney", country_area="NSW", postal_code="2000",
                                   country="AU"),
        lines=[LineIn(sku, qty) for sku, qty in lines],
        payment_method=payment_method,
        delivery_method=delivery_method,
        note=note,
    )


def pay(session, number: int, *, actor: Actor = STAFF, reference: str = "TX",
        **options) -> None:
    """Record order `number`'s payment as staff do (payments.mark_paid); fails loudly if not."""
    result = payments.mark_paid(session, actor=actor, numbers=[number], reference=reference,
                                **options)
    assert result.done == [number], result.skipped


def stock_levels(url: str, *skus: str) -> dict[str, tuple[int, int]]:
    """(on_hand, committed) of each SKU, from the stock rows."""
    with read_session(url) as s:
        return {sku: (lvl.on_hand, lvl.committed)
                for sku in skus for lvl in [stock.stock_level(s, sku)]}


def ledger_totals(url: str) -> dict[str, tuple[int, int]]:
    """What the stock ledger adds up to, per SKU: it must equal the stock rows."""
    with read_session(url) as s:
        rows = s.execute(
            sa.select(Product.sku, sa.func.sum(StockMovement.on_hand_delta),
                      sa.func.sum(StockMovement.committed_delta))
            .join(Product, Product.id == StockMovement.product_id)
            .group_by(Product.sku)
        ).all()
    return {sku: (int(on_hand), int(committed)) for sku, on_hand, committed in rows}
