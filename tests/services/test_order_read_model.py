"""One read model of an order: the order page, the API and the documents read an order
through services.orders.read and agree on it; a batch costs the queries of one order."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from dashboard.domain import money
from dashboard.domain.errors import NotFound
from dashboard.services import orders, shipping
from dashboard.services.db import get_engine, read_session, write_session
from dashboard.services.documents import data as documents
from dashboard.services.orders import detail, read
from fulfil_testkit.factories import SHOP, STAFF, add_product, order_in, pay


@contextmanager
def counted_selects(url):
    """The SELECT statements sent to the database inside the block."""
    seen: list[str] = []

    def listener(_conn, _cursor, statement, _params, _context, _executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    engine = get_engine(url)
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


def paid_and_part_shipped(url) -> int:
    """An order of 2 mugs and 3 tea tins, paid by bank transfer, the mugs shipped, a note."""
    with write_session(url) as s:
        placed = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-1", 2), ("TEA-1", 3)))
    with write_session(url) as s:
        pay(s, placed.number, reference="BANK-77")
    with read_session(url) as s:
        mug = next(x.id for x in orders.order_lines(s, orders.get_order(s, placed.number).id)
                   if x.sku == "MUG-1")
    with write_session(url) as s:
        shipping.ship_lines(s, actor=STAFF, number=placed.number, quantities={mug: 2},
                          carrier="AusPost", tracking_number="AP123", notify_customer=False)
    with write_session(url) as s:
        orders.add_note(s, actor=STAFF, number=placed.number, body="Leave at the door")
    return placed.number


@pytest.fixture
def shop(db_url):
    add_product(db_url, "MUG-1", on_hand=50, price="12.50")
    add_product(db_url, "TEA-1", on_hand=50, price="8.05")
    return db_url


def test_the_order_page_the_api_and_the_documents_agree_on_an_order(shop):
    # given
    number = paid_and_part_shipped(shop)
    # when
    with read_session(shop) as s:
        page = detail.order_view(s, number)
        api = read.order_detail(s, number)
        doc = documents.load_order(s, number)
    # then: the same lines, totals, payments and shipments, each in its own shape (the page
    # in minor units, the API in decimal strings, the documents in minor units)
    def minor(amount: str) -> int:
        return money.to_minor(amount, "AUD")

    lines = [("MUG-1", 2, 2, 1250, 2500), ("TEA-1", 3, 0, 805, 2415)]
    assert [(x["sku"], x["quantity"], x["quantity_shipped"], x["unit_price_minor"],
             x["line_total_minor"]) for x in page["lines"]] == lines
    assert [(x["sku"], x["quantity"], x["quantity_shipped"], minor(x["unit_price"]),
             minor(x["line_total"])) for x in api["lines"]] == lines
    assert [(x.sku, x.quantity, x.quantity_shipped, x.unit_price_minor, x.total_minor)
            for x in doc.lines] == lines
    totals = (4915, 0, 4915, "AUD")
    assert (page["subtotal_minor"], page["shipping_minor"], page["total_minor"],
            page["currency"]) == totals
    assert (minor(api["subtotal"]), minor(api["shipping"]), minor(api["total"]),
            api["currency"]) == totals
    assert (doc.subtotal_minor, doc.shipping_minor, doc.total_minor, doc.currency) == totals
    assert [(p["method"], p["amount_minor"], p["reference"]) for p in page["payments"]] == \
        [(p["method"], minor(p["amount"]), p["reference"]) for p in api["payments"]] == \
        [(p.method, p.amount_minor, p.reference) for p in doc.payments] == \
        [("bank_transfer", 4915, "BANK-77")]
    assert doc.balance_minor == 0
    line_sku = {x["id"]: x["sku"] for x in api["lines"]}
    assert [(x["carrier"], x["tracking_number"], [(y["sku"], y["quantity"]) for y in x["lines"]])
            for x in page["shipments"]] == \
        [(x["carrier"], x["tracking_number"],
          [(line_sku[y["line_id"]], y["quantity"]) for y in x["lines"]]) for x in api["shipments"]]
    assert [(x.carrier, x.tracking_number) for x in doc.shipments] == [("AusPost", "AP123")]
    assert page["status"] == api["status"] == doc.status == "partially_shipped"
    assert [n["body"] for n in page["notes"]] == [n["body"] for n in api["notes"]] == \
        ["Leave at the door"]
    assert [e["id"] for e in page["events"]] == sorted((e["id"] for e in page["events"]),
                                                       reverse=True)  # the page: newest first
    assert [e["type"] for e in reversed(page["events"])] == [e["type"] for e in api["events"]]


def test_a_batch_of_orders_takes_as_many_queries_as_one_order(shop):
    # given
    numbers = [paid_and_part_shipped(shop) for _ in range(6)]
    # when
    with read_session(shop) as s, counted_selects(shop) as one:
        read.load_orders(s, numbers[:1])
    with read_session(shop) as s, counted_selects(shop) as batch:
        records = read.load_orders(s, numbers)
    with read_session(shop) as s, counted_selects(shop) as docs_one:
        documents.load_orders(s, numbers[:1])
    with read_session(shop) as s, counted_selects(shop) as docs_batch:
        docs = documents.load_orders(s, list(reversed(numbers)))
    # then
    assert len(batch) == len(one) <= 7  # the order, addresses and one query per part
    assert len(docs_batch) == len(docs_one) < len(one)  # documents ask for fewer parts
    assert [r.number for r in records] == numbers
    assert [d.number for d in docs] == list(reversed(numbers))
    assert all(len(r.lines) == 2 and len(r.shipments) == 1 and r.notes for r in records)


def test_a_missing_order_is_named(shop):
    number = paid_and_part_shipped(shop)
    with read_session(shop) as s:
        with pytest.raises(NotFound) as one:
            read.load_order(s, 999999)
        with pytest.raises(NotFound) as some:
            read.load_orders(s, [number, 999998, 999999])
    assert (one.value.message, one.value.details) == ("No order number 999999.", {"number": 999999})
    assert some.value.details == {"numbers": [999998, 999999]}
