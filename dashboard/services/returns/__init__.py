"""Returns: authorise and receive returns (restock or write off), credit notes with their
own gapless numbers (refund pending or store credit), surcharges and the balance due."""

from dashboard.services.returns.returns import (
    create_return,
    preview_return,
    receive_return,
    return_lines,
    store_credit_minor,
)
from dashboard.services.returns.surcharges import OrderMoney, add_surcharge, order_money

__all__ = [
    "OrderMoney",
    "add_surcharge",
    "create_return",
    "order_money",
    "preview_return",
    "receive_return",
    "return_lines",
    "store_credit_minor",
]
