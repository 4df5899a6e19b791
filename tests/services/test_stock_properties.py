"""Stock invariants under any sequence of place / cancel / adjust / pay / ship / return
(authorised then received, or received at once; restocked or written off), and of
picking: claim, scan (also wrong and extra scans), short pick, finish, part-ship."""

from __future__ import annotations

import os
from collections import defaultdict

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlmodel import select

from dashboard.domain.errors import DomainError
from dashboard.domain.orders import OPEN_STATUSES, Actor, ActorKind, Order, OrderLine, OrderStatus
from dashboard.domain.returns import OrderReturn, ReturnLineIn, ReturnStatus
from dashboard.domain.shipping import PickCount
from dashboard.domain.stock import Product, Stock, StockMovement
from dashboard.services import orders, returns, shipping, stock
from dashboard.services.db import dispose_engines, read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, add_product, order_in, pay

SKUS = ["A-1", "B-2", "C-3"]
PICKER = Actor(ActorKind.USER, "pia@example.com", 7)


def _orders_in(url, statuses):
    with read_session(url) as s:
        return [o.number for o in s.exec(select(Order).where(Order.status.in_(statuses)))]


def make_machine(new_database):
    class StockMachine(RuleBasedStateMachine):
        # Each example starts from its own empty shop, so a replayed example meets the
        # same database state and draws the same choices.
        def __init__(self):
            super().__init__()
            self.url = new_database()
            for sku in SKUS:
                add_product(self.url, sku, on_hand=6, barcode=f"code-{sku}")
            add_product(self.url, "Z-9", on_hand=0, barcode="code-Z-9")  # in no order
            with write_session(self.url) as s:  # a shipped order, so returns come early
                number = orders.place_order(s, actor=SHOP,
                                            order_in=order_in(("A-1", 2), ("B-2", 2))).number
                pay(s, number)
                shipping.ship_lines(s, actor=STAFF, number=number)

        def teardown(self):
            dispose_engines()

        @rule(lines=st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 4)),
                             min_size=1, max_size=3))
        def place(self, lines):
            with read_session(self.url) as s:
                before = {p.sku: st_.on_hand - st_.committed for p, st_ in
                          s.exec(select(Product, Stock).join(Stock))}
            try:
                with write_session(self.url) as s:
                    orders.place_order(s, actor=SHOP, order_in=order_in(*lines))
            except DomainError:
                # refused: only when some SKU really was short
                wanted = defaultdict(int)
                for sku, qty in lines:
                    wanted[sku] += qty
                assert any(before[sku] < qty for sku, qty in wanted.items())

        @rule(data=st.data())
        def cancel(self, data):
            open_ = _orders_in(self.url, [OrderStatus.UNPAID, OrderStatus.PAID, OrderStatus.PICKING])
            if open_:
                with write_session(self.url) as s:
                    orders.cancel_order(s, actor=STAFF, number=data.draw(st.sampled_from(open_)))

        @rule(sku=st.sampled_from(SKUS), delta=st.integers(-5, 8).filter(bool))
        def adjust(self, sku, delta):
            try:
                with write_session(self.url) as s:
                    stock.adjust_stock(s, actor=STAFF, sku=sku, delta=delta, reason="count")
            except DomainError:
                assert delta < 0

        @rule(data=st.data())
        def pay(self, data):
            unpaid = _orders_in(self.url, [OrderStatus.UNPAID])
            if unpaid:
                with write_session(self.url) as s:
                    pay(s, data.draw(st.sampled_from(unpaid)))

        @rule(data=st.data(), everything=st.booleans())
        def ship(self, data, everything):
            paid = _orders_in(self.url, [OrderStatus.PAID, OrderStatus.PARTIALLY_SHIPPED])
            if not paid:
                return
            number = data.draw(st.sampled_from(paid))
            with write_session(self.url) as s:
                lines = orders.order_lines(s, orders.get_order(s, number).id)
                quantities = None if everything else {
                    line.id: 1 for line in lines if line.unshipped
                }
                shipping.ship_lines(s, actor=STAFF, number=number, quantities=quantities)

        @rule(data=st.data())
        def claim(self, data):
            ready = _orders_in(self.url, [OrderStatus.PAID, OrderStatus.PICKING,
                                          OrderStatus.PARTIALLY_SHIPPED])
            if ready:
                number = data.draw(st.sampled_from(ready))
                try:
                    with write_session(self.url) as s:
                        shipping.claim_orders(s, actor=PICKER, numbers=[number])
                except DomainError as exc:  # packed already, or nothing left to pick
                    assert exc.code in ("not_ready", "already_claimed")

        @rule(code=st.sampled_from([f"code-{sku}" for sku in SKUS] + ["code-Z-9", "nope"]))
        def scan(self, code):
            with read_session(self.url) as s:
                before = sorted((c.order_line_id, c.picked) for c in s.exec(select(PickCount)))
            try:
                with write_session(self.url) as s:
                    shipping.scan_claimed(s, actor=PICKER, code=code)
            except DomainError as exc:  # refused: nothing counted
                assert exc.code in ("not_claimed", "not_in_order", "unknown_barcode",
                                    "line_complete")
                with read_session(self.url) as s:
                    after = sorted((c.order_line_id, c.picked) for c in s.exec(select(PickCount)))
                assert after == before

        @rule(data=st.data(), partial=st.booleans())
        def short_or_finish(self, data, partial):
            with read_session(self.url) as s:
                mine = shipping.my_claims(s, PICKER)
            if not mine:
                return
            number = data.draw(st.sampled_from(mine))
            with read_session(self.url) as s:
                [order] = shipping.picking_queue(s, actor=PICKER, numbers=[number])
            open_lines = [li for li in order.lines if not li.done]
            os.environ["PICK_PARTIAL_SHIPMENTS"] = "1" if partial else "0"
            try:
                with write_session(self.url) as s:
                    if open_lines:
                        line = data.draw(st.sampled_from(open_lines))
                        shipping.short_pick(s, actor=PICKER, number=number, sku=line.sku,
                                            quantity=line.quantity - line.picked - line.short,
                                            reason="damaged")
                    else:
                        shipping.finish_pick(s, actor=PICKER, number=number)
            finally:
                os.environ.pop("PICK_PARTIAL_SHIPMENTS", None)

        @invariant()
        def picks_never_pass_what_is_wanted(self):
            with read_session(self.url) as s:
                for c in s.exec(select(PickCount)):
                    line = s.get(OrderLine, c.order_line_id)
                    assert 0 <= c.picked + c.short <= c.wanted <= line.quantity

        @rule(data=st.data(), received=st.booleans(), restock=st.booleans())
        def return_units(self, data, received, restock):
            with read_session(self.url) as s:
                lines = [(o.number, line.id) for line, o in s.exec(
                    select(OrderLine, Order).join(Order)
                    .where(OrderLine.quantity_shipped > OrderLine.quantity_returned))]
            if not lines:
                return
            number, line_id = data.draw(st.sampled_from(lines))
            with write_session(self.url) as s:
                returns.create_return(
                    s, actor=STAFF, number=number, resolution="credit", received=received,
                    lines=[ReturnLineIn(line_id, 1, "damaged", restock=restock if received
                                        else None)])

        @rule(data=st.data(), restock=st.booleans())
        def receive(self, data, restock):
            with read_session(self.url) as s:
                waiting = list(s.exec(select(OrderReturn.number).where(
                    OrderReturn.status == ReturnStatus.AWAITING_GOODS)))
            if not waiting:
                return
            rma = data.draw(st.sampled_from(sorted(waiting)))
            with write_session(self.url) as s:
                ret = s.exec(select(OrderReturn).where(OrderReturn.number == rma)).one()
                decide = {ol.id: restock for _, ol in returns.return_lines(s, ret.id)}
                returns.receive_return(s, actor=STAFF, rma=rma, restock=decide)

        @invariant()
        def stock_adds_up(self):
            with read_session(self.url) as s:
                unshipped = defaultdict(int)
                for line, order in s.exec(select(OrderLine, Order).join(Order)):
                    if order.status in OPEN_STATUSES:
                        unshipped[line.product_id] += line.quantity - line.quantity_shipped
                ledger_on_hand, ledger_committed = defaultdict(int), defaultdict(int)
                for m in s.exec(select(StockMovement)):
                    ledger_on_hand[m.product_id] += m.on_hand_delta
                    ledger_committed[m.product_id] += m.committed_delta
                for row in s.exec(select(Stock)):
                    assert row.on_hand >= 0
                    assert row.committed <= row.on_hand  # available never below zero
                    assert row.committed == unshipped[row.product_id]
                    assert row.on_hand == ledger_on_hand[row.product_id]
                    assert row.committed == ledger_committed[row.product_id]

    return StockMachine


def test_stock_invariants_hold_for_any_sequence_of_operations(new_database):
    run_state_machine_as_test(
        make_machine(new_database),
        settings=settings(max_examples=30, stateful_step_count=12, deadline=None,
                          suppress_health_check=list(HealthCheck)),
    )
