"""Part shipments in any order, of any size: stock, the ledger and the lines always agree.

A state machine places and pays orders, then ships random units of random lines (some
asking for more than is left, which must be refused and change nothing), and corrects
tracking on the way. After every step: on_hand and committed equal what the ledger adds
up to, committed equals the unshipped units of open orders, every line's shipped units
equal what its shipments hold, and an order is shipped exactly when nothing is left.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlmodel import func, select

from dashboard.domain.errors import ExceedsUnshipped
from dashboard.domain.orders import OPEN_STATUSES, Order, OrderLine, OrderStatus
from dashboard.domain.shipping import Shipment, ShipmentLine
from dashboard.domain.stock import Stock, StockMovement
from dashboard.services import orders, shipping
from dashboard.services.db import dispose_engines, read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, add_product, order_in, pay

SKUS = ["A-1", "B-2", "C-3"]


def _everything(url) -> tuple:
    with read_session(url) as s:
        return (
            sorted((r.product_id, r.on_hand, r.committed) for r in s.exec(select(Stock))),
            s.exec(select(func.count()).select_from(StockMovement)).one(),
            s.exec(select(func.count()).select_from(ShipmentLine)).one(),
            sorted((o.number, o.status) for o in s.exec(select(Order))),
        )


def make_machine(new_database):
    class ShippingMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.url = new_database()
            for sku in SKUS:
                add_product(self.url, sku, on_hand=500)  # never short: shipping is under test
            self.edits = 0

        def teardown(self):
            dispose_engines()

        @rule(lines=st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 4)),
                             min_size=1, max_size=3, unique_by=lambda x: x[0]))
        def place_and_pay(self, lines):
            with write_session(self.url) as s:
                number = orders.place_order(s, actor=SHOP, order_in=order_in(*lines)).number
                pay(s, number)

        @rule(data=st.data())
        def ship_some(self, data):
            with read_session(self.url) as s:
                open_lines = [(o.number, line.id, line.quantity - line.quantity_shipped)
                              for line, o in s.exec(select(OrderLine, Order).join(Order))
                              if o.status in (OrderStatus.PAID, OrderStatus.PARTIALLY_SHIPPED)
                              and line.quantity > line.quantity_shipped]
            if not open_lines:
                return
            number = data.draw(st.sampled_from(sorted({n for n, _, _ in open_lines})))
            mine = [(lid, left) for n, lid, left in open_lines if n == number]
            picked = data.draw(st.lists(st.sampled_from(mine), min_size=1, unique=True))
            # up to one more than is left: sometimes too many, which must change nothing
            quantities = {lid: data.draw(st.integers(1, left + 1)) for lid, left in picked}
            too_many = any(quantities[lid] > left for lid, left in picked)
            before = _everything(self.url)
            try:
                with write_session(self.url) as s:
                    shipping.ship_lines(s, actor=STAFF, number=number, quantities=quantities,
                                        carrier="Sendle", tracking_number=f"S{number}",
                                        notify_customer=data.draw(st.booleans()))
            except ExceedsUnshipped:
                assert too_many
                assert _everything(self.url) == before
            else:
                assert not too_many

        @rule(data=st.data())
        def correct_tracking(self, data):
            with read_session(self.url) as s:
                found = [(o.number, sh.id) for sh, o in s.exec(select(Shipment, Order).join(Order))]
            if found:
                number, shipment_id = data.draw(st.sampled_from(found))
                self.edits += 1
                with write_session(self.url) as s:
                    shipping.edit_tracking(s, actor=STAFF, number=number,
                                           shipment_id=shipment_id, carrier="DHL",
                                           tracking_number=f"D{shipment_id}-{self.edits}",
                                           notify_customer=data.draw(st.booleans()))

        @invariant()
        def everything_adds_up(self):
            with read_session(self.url) as s:
                unshipped, in_parcels = defaultdict(int), defaultdict(int)
                for sl in s.exec(select(ShipmentLine)):
                    in_parcels[sl.order_line_id] += sl.quantity
                left_by_order = defaultdict(int)
                for line, o in s.exec(select(OrderLine, Order).join(Order)):
                    assert line.quantity_shipped == in_parcels[line.id]
                    left_by_order[o.number] += line.quantity - line.quantity_shipped
                    if o.status in OPEN_STATUSES:
                        unshipped[line.product_id] += line.quantity - line.quantity_shipped
                for o in s.exec(select(Order)):
                    assert (o.status == OrderStatus.SHIPPED) == (left_by_order[o.number] == 0)
                on_hand, committed = defaultdict(int), defaultdict(int)
                for m in s.exec(select(StockMovement)):
                    on_hand[m.product_id] += m.on_hand_delta
                    committed[m.product_id] += m.committed_delta
                for row in s.exec(select(Stock)):
                    assert row.on_hand >= 0 and row.committed <= row.on_hand
                    assert row.committed == unshipped[row.product_id] == committed[row.product_id]
                    assert row.on_hand == on_hand[row.product_id]

    return ShippingMachine


def test_part_shipments_in_any_order_keep_stock_ledger_and_lines_consistent(new_database):
    run_state_machine_as_test(
        make_machine(new_database),
        settings=settings(max_examples=20, stateful_step_count=12, deadline=None,
                          suppress_health_check=list(HealthCheck)),
    )
