"""Returns: authorise and receive returns (restock or write off), credit notes with their
own gapless numbers (refund pending or store credit), surcharges and the balance due."""

from dashboard.services.returns.read import after_sale
from dashboard.services.returns.returns import (
    create_return,
    lines_for_skus,
    preview_return,
    receive_return,
    restock_by_sku,
    return_lines,
    store_credit_minor,
)
from dashboard.services.returns.surcharges import OrderMoney, add_surcharge, order_money

__all__ = [
    "OrderMoney",
    "add_surcharge",
    "after_sale",
    "create_return",
    "lines_for_skus",
    "order_money",
    "preview_return",
    "receive_return",
    "restock_by_sku",
    "return_lines",
    "store_credit_minor",
]
