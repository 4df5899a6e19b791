"""What pickers are given (the picking queue), and what the audit page can show."""

from __future__ import annotations

import dataclasses

from dashboard.domain.orders import OrderStatus
from dashboard.services import orders
from dashboard.services.db import read_session, write_session
from dashboard.services.shipping import PickLine, PickOrder, picking_queue
from fulfil_testkit.factories import STAFF, add_product, order_in, pay


def _order(url: str, *lines: tuple[str, int], status: OrderStatus | None = None) -> int:
    with write_session(url) as s:
        number = orders.place_order(s, actor=STAFF, order_in=order_in(*lines)).number
        if status in (OrderStatus.PAID, OrderStatus.PICKING, OrderStatus.ON_HOLD):
            pay(s, number, reference="BANK-1")
        if status in (OrderStatus.PICKING, OrderStatus.ON_HOLD):
            orders.change_status(s, actor=STAFF, number=number, target=status,
                                 reason="address check" if status == OrderStatus.ON_HOLD else "")
    return number


def test_the_picking_queue_has_what_to_pick_and_nothing_about_money(db_url):
    add_product(db_url, "MUG-1", barcode="9300000000011")
    add_product(db_url, "TEA-1", barcode="9300000000028")
    waiting = _order(db_url, ("TEA-1", 2), ("MUG-1", 1), status=OrderStatus.PICKING)
    paid = _order(db_url, ("MUG-1", 1), status=OrderStatus.PAID)  # ready to claim
    _order(db_url, ("MUG-1", 1))  # unpaid bank transfer: not for pickers yet
    with read_session(db_url) as s:
        queue = picking_queue(s)
    assert [o.number for o in queue] == [waiting, paid]
    order = queue[0]
    assert order.ship_to == "Ada Lovelace" and "1 George St" in order.address_lines
    assert [(li.sku, li.quantity, li.barcode, li.bin_location) for li in order.lines] == [
        ("MUG-1", 1, "9300000000011", "A-01"), ("TEA-1", 2, "9300000000028", "A-01")]
    assert order.units == 3
    # the read model's shape itself has no room for prices, payments or the customer's email
    fields = {f.name for cls in (PickOrder, PickLine) for f in dataclasses.fields(cls)}
    assert not fields & {"price", "unit_price_minor", "total_minor", "payment_status",
                         "payment_method", "email", "phone", "customer_id", "currency"}
    from dashboard.services.shipping import BinStop, PickOutcome, ScanResult
    more = {f.name for cls in (BinStop, PickOutcome, ScanResult) for f in dataclasses.fields(cls)}
    assert not more & {"price", "unit_price_minor", "total_minor", "payment_status", "email"}


def test_the_audit_page_can_show_who_changed_which_order(db_url):
    from dashboard.services import accounts

    add_product(db_url, "MUG-1")
    number = _order(db_url, ("MUG-1", 1), status=OrderStatus.PAID)
    with read_session(db_url) as s:
        found = accounts.list_order_changes(s, q=f"#{number}")
        by_actor = accounts.list_order_changes(s, q=STAFF.label.upper(), per_page=1)
        types = [(e.type, n, e.actor) for e, n in found.rows]
    assert types[-1] == ("placed", number, STAFF.label) and found.total == len(types) >= 2
    assert by_actor.total == found.total and len(by_actor.rows) == 1
