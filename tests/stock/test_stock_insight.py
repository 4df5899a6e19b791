"""Stock over time and across products, receiving and reordering, on SQLite and
PostgreSQL: a mug's ledger replayed (every point names its movement, counts carry their
variance), the products at risk, count drift by bin, products not counted for a while; a
supplier's delivery booked in as one; the low-stock email once a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import LineIn, OrderStatus
from dashboard.domain.stock import MovementReason, StockDelivery, StockMovement
from dashboard.services import orders, shipping, stock
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, add_product, order_in, pay


def _count(url, sku, counted):
    with write_session(url) as s:
        expected = stock.product_row(s, sku).on_shelf
        stock.record_count(s, actor=STAFF, sku=sku, counted=counted, expected=expected)


@pytest.fixture
def mug(db_url):
    """MUG: 20 received; order A of 3 placed and shipped; order B of 2 placed and
    cancelled; a count finds 2 fewer; order C of 4 waits unpaid; a count as expected."""
    add_product(db_url, "MUG", on_hand=20)
    with write_session(db_url) as s:
        a = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG", 3))).number
        pay(s, a)
        orders.change_status(s, actor=STAFF, number=a, target=OrderStatus.PICKING)
        line = orders.get_order(s, a)
        line_id = s.connection().execute(sa.text(
            "select id from order_line where order_id = :o"), {"o": line.id}).scalar_one()
        shipping.ship_lines(s, actor=STAFF, number=a, quantities={line_id: 3}, carrier="Sendle",
                          tracking_number="T1", notify_customer=False)
        b = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG", 2))).number
        orders.cancel_order(s, actor=STAFF, number=b, reason="test", notify_customer=False)
    _count(db_url, "MUG", 15)
    with write_session(db_url) as s:
        c = orders.place_order(s, actor=SHOP, order_in=order_in(("MUG", 4))).number
    _count(db_url, "MUG", 15)
    return db_url, a, b, c


def test_a_products_ledger_replayed_names_every_movement(mug):
    url, a, b, c = mug
    with read_session(url) as s:
        frame = stock.product_history(s, "MUG")
    steps = [(r.kind, r.on_hand, r.held, r.free) for r in frame.itertuples()]
    assert steps == [
        ("adjustment", 20, 0, 20),  # received
        ("order", 20, 3, 17),  # A placed
        ("order", 17, 0, 17),  # A shipped
        ("order", 17, 2, 15),  # B placed
        ("order", 17, 0, 17),  # B cancelled
        ("count", 15, 0, 15),  # 2 fewer than expected
        ("order", 15, 4, 11),  # C placed
        ("count", 15, 4, 11),  # as expected
    ]
    assert frame["order"].tolist()[1:5] == [a, a, b, b] and frame["order"].tolist()[6] == c
    assert frame["variance"].dropna().tolist() == [-2, 0]
    words = [stock.movement_words(r) for r in frame.to_dict("records")]
    assert words[2] == f"Order #{a} shipped"
    assert words[5] == "Shelf count: 2 fewer than expected"
    assert words[7] == "Shelf count: as expected"
    with read_session(url) as s:
        chart = stock.ledger_chart(s, "MUG")
        newest = stock.product_history(s, "MUG", limit=2)
    assert chart.targets[0][2] == a and chart.targets[3] == [None, None]
    assert newest["on_hand"].tolist() == [15, 15]  # running sums of the whole ledger
    with read_session(url) as s, pytest.raises(NotFound):
        stock.product_history(s, "NOPE")


def test_across_products_risk_drift_and_uncounted(mug):
    url, *_ = mug
    add_product(url, "TEA", on_hand=3)
    add_product(url, "JAR", on_hand=50)
    with write_session(url) as s:
        stock.set_reorder_point(s, actor=STAFF, sku="JAR", point=60)
        stock.set_reorder_point(s, actor=STAFF, sku="MUG", point=2)
    with read_session(url) as s:
        risk = stock.at_risk(s, low=5)
        drift = stock.count_variance(s, since=datetime.now(UTC) - timedelta(days=1))
        later = datetime.now(UTC) + timedelta(days=40)
        uncounted = stock.not_counted(s, days=30, now=later)
        fresh = stock.not_counted(s, days=30)
        searched = stock.at_risk(s, low=5, q="tea")
        held_only = stock.not_counted(s, days=30, only="held", now=later)
    # JAR: 50 free <= its point 60; TEA: 3 free <= the shop's 5; MUG: 11 free > its 2
    # most held first, then fewest free
    assert [(r.sku, r.held, r.free) for r in risk.itertuples()] == [("TEA", 0, 3),
                                                                   ("JAR", 0, 50)]
    assert searched["sku"].tolist() == ["TEA"]
    assert [(r.bin, r.counts, r.net, r.drift) for r in drift.itertuples()] == [
        ("A-01", 2, -2, 2)]
    # never counted first, then MUG (counted today, 40 days ago by then)
    assert uncounted["sku"].tolist() == ["JAR", "TEA", "MUG"]
    assert uncounted["days"].tolist()[2] == 40 and uncounted["days"].isna().tolist()[:2] == [
        True, True]
    assert fresh["sku"].tolist() == ["JAR", "TEA"]
    assert held_only["sku"].tolist() == ["MUG"]  # the page's "held by orders" filter
    with read_session(url) as s:
        charts = stock.stock_charts(s)
    assert [c.key for c in charts] == ["at-risk", "variance", "not-counted"]


def test_a_delivery_is_booked_in_as_one_through_the_ledger(db_url):
    add_product(db_url, "MUG", on_hand=1)
    add_product(db_url, "TEA", on_hand=0, barcode="9300000000011")
    lines = stock.parse_lines("MUG 12\n9300000000011\n9300000000011\nMUG x3\n")
    with write_session(db_url) as s:
        delivery = stock.receive_delivery(s, actor=STAFF, supplier="Acme Pottery",
                                          reference="INV-7", lines=lines)
    assert delivery.lines == {"MUG": 15, "TEA": 2} and delivery.units == 17
    with read_session(db_url) as s:
        assert stock.stock_level(s, "MUG").on_hand == 16
        assert stock.stock_level(s, "TEA").on_hand == 2
        rows = s.exec(select(StockMovement).where(
            StockMovement.reason == MovementReason.RECEIVED.value)).all()
        assert {r.delivery_id for r in rows} == {delivery.id} and len(rows) == 2
        assert rows[0].note == "Delivery INV-7 from Acme Pottery"
        frame = stock.product_history(s, "MUG")
        assert frame["kind"].tolist()[-1] == "delivery"


def test_a_bad_delivery_changes_nothing(db_url):
    add_product(db_url, "MUG", on_hand=1)
    for reference, lines in (("INV-8", [LineIn("MUG", 2), LineIn("GHOST", 1)]),
                             ("", [LineIn("MUG", 2)]), ("INV-9", [LineIn("MUG", 0)])):
        with write_session(db_url) as s, pytest.raises((NotFound, ValidationFailed)):
            stock.receive_delivery(s, actor=STAFF, supplier="", reference=reference,
                                   lines=lines)
    with pytest.raises(ValidationFailed):
        stock.parse_lines("MUG twelve")
    with read_session(db_url) as s:
        assert stock.stock_level(s, "MUG").on_hand == 1
        assert s.exec(select(func.count()).select_from(StockDelivery)).one() == 0


def test_the_low_stock_email_goes_once_a_day_for_products_that_crossed(db_url):
    add_product(db_url, "MUG", on_hand=10)
    add_product(db_url, "TEA", on_hand=10)
    with write_session(db_url) as s:
        stock.set_reorder_point(s, actor=STAFF, sku="MUG", point=8)
        stock.set_reorder_point(s, actor=STAFF, sku="TEA", point=2)
    day1 = datetime(2026, 12, 3, 22, tzinfo=UTC)  # 4 December in Sydney
    with write_session(db_url) as s:
        assert stock.send_low_stock_email(s, now=day1) == []  # nobody is low yet
        orders.place_order(s, actor=SHOP, order_in=order_in(("MUG", 3)))
    with write_session(db_url) as s:
        assert stock.send_low_stock_email(s, now=day1) == ["MUG"]
        assert stock.low_stock(s) == [{"sku": "MUG", "name": "Product MUG", "free": 7,
                                       "point": 8}]
    with write_session(db_url) as s:
        stock.adjust_stock(s, actor=STAFF, sku="TEA", delta=-9, reason="broken")
        # the same day: TEA waits for tomorrow's email; MUG is not emailed again
        assert stock.send_low_stock_email(s, now=day1 + timedelta(hours=1)) == []
    with write_session(db_url) as s:
        assert stock.send_low_stock_email(s, now=day1 + timedelta(days=1)) == ["TEA"]
    with read_session(db_url) as s:
        emails = [e.payload for e in s.exec(
            select(OutboxMessage).where(OutboxMessage.topic == "low_stock")
            .order_by(OutboxMessage.id)).all()]
    assert [e["day"] for e in emails] == ["2026-12-04", "2026-12-05"]
    assert "MUG  Product MUG: 7 free (reorder at 8)" in emails[0]["body"]
    with pytest.raises(ValidationFailed), write_session(db_url) as s:
        stock.set_reorder_point(s, actor=STAFF, sku="MUG", point=-1)
