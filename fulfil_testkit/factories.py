"""Small builders for tests: a product with stock, an order input, a signed-in staff actor."""

from __future__ import annotations

from dashboard.domain.orders import Actor, ActorKind, AddressIn, CustomerIn, LineIn, OrderIn
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.services import payments
from dashboard.services.db import write_session
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
