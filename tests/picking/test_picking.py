"""A picker's day on both databases: claim, scan, refusals, short picks, finish, collect."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from sqlmodel import select

from dashboard.domain.errors import DomainError, ValidationFailed
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import EventType, Order, OrderEvent, OrderStatus
from dashboard.domain.shipping import (
    AlreadyClaimed,
    LineComplete,
    NotClaimed,
    NotInOrder,
    NotReady,
    PickClaim,
    PickCount,
    PickIncomplete,
    UnknownBarcode,
)
from dashboard.services import orders, shipping, stock
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, order_in
from tests.picking.conftest import BARCODES, OTHER, PICKER, paid_order, pickup_unpaid


@dataclass(frozen=True)
class Ev:
    actor: str
    parameters: dict


def claim(url, number, actor=PICKER):
    with write_session(url) as s:
        return shipping.claim_orders(s, actor=actor, numbers=[number])


def scan(url, number, code, actor=PICKER):
    with write_session(url) as s:
        return shipping.scan(s, actor=actor, number=number, code=code)


def status(url, number):
    with read_session(url) as s:
        return orders.get_order(s, number).status


def events(url, number, type_):
    with read_session(url) as s:
        oid = orders.get_order(s, number).id
        found = s.exec(select(OrderEvent).where(OrderEvent.order_id == oid,
                                                OrderEvent.type == type_.value))
        return [Ev(e.actor, dict(e.parameters)) for e in found]


def counts(url, number):
    with read_session(url) as s:
        oid = orders.get_order(s, number).id
        return {(c.order_line_id, c.picked, c.short)
                for c in s.exec(select(PickCount).where(PickCount.order_id == oid))}


def test_a_paid_order_is_claimed_moves_to_picking_and_the_timeline_names_the_picker(url):
    number = paid_order(url, ("MUG-1", 2), ("TEA-1", 1))

    assert claim(url, number) == [number]

    assert status(url, number) == OrderStatus.PICKING
    [claimed] = events(url, number, EventType.PICK_CLAIMED)
    assert claimed.actor == PICKER.label and claimed.parameters["from"] == "paid"
    assert claim(url, number) == [number]  # claiming again is a no-op
    assert len(events(url, number, EventType.PICK_CLAIMED)) == 1


def test_a_pay_on_pickup_order_may_be_claimed_unpaid_but_a_bank_order_may_not(url):
    pickup = pickup_unpaid(url, ("JAM-1", 1))
    with write_session(url) as s:
        unpaid = orders.place_order(s, actor=SHOP, order_in=order_in(("JAM-1", 1))).number

    claim(url, pickup)
    with pytest.raises(NotReady):
        claim(url, unpaid)

    assert status(url, pickup) == OrderStatus.PICKING and status(url, unpaid) == OrderStatus.UNPAID


def test_two_pickers_claiming_one_order_at_once_exactly_one_wins(url):
    number = paid_order(url, ("MUG-1", 1))
    start = threading.Barrier(8)
    pickers = [PICKER if i % 2 else OTHER for i in range(8)]

    def grab(actor):
        start.wait()
        try:
            claim(url, number, actor)
            return actor.label
        except AlreadyClaimed:
            return "lost"

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(grab, pickers))

    winner = next(r for r in results if r != "lost")
    assert {r for r in results if r != "lost"} == {winner}  # only one picker holds it
    with read_session(url) as s:
        claims = [c.picker for c in s.exec(select(PickClaim))]
    assert claims == [winner]
    assert len(events(url, number, EventType.PICK_CLAIMED)) == 1


def test_a_batch_claim_takes_every_order_or_none(url):
    a, b = paid_order(url, ("MUG-1", 1)), paid_order(url, ("TEA-1", 1))
    c = paid_order(url, ("JAM-1", 1))
    claim(url, c, OTHER)

    with pytest.raises(AlreadyClaimed), write_session(url) as s:
        shipping.claim_orders(s, actor=PICKER, numbers=[a, b, c])
    assert status(url, a) == OrderStatus.PAID  # nothing kept

    with write_session(url) as s:
        assert shipping.claim_orders(s, actor=PICKER, numbers=[b, a]) == [a, b]
    with read_session(url) as s:
        queue = shipping.picking_queue(s, actor=PICKER)
        batches = {c.batch for c in s.exec(select(PickClaim).where(PickClaim.picker == PICKER.label))}
    assert len(batches) == 1 and None not in batches
    stops = shipping.merged_by_bin([o for o in queue if o.mine])
    assert [(s.bin_location, s.sku) for s in stops] == [("A-01", "TEA-1"), ("B-02", "MUG-1")]


def test_scans_count_up_in_bin_order_and_the_last_one_completes_the_order(url):
    number = paid_order(url, ("MUG-1", 2), ("TEA-1", 1))
    claim(url, number)

    first = scan(url, number, BARCODES["MUG-1"])
    assert (first.sku, first.picked, first.quantity, first.complete) == ("MUG-1", 1, 2, False)
    assert scan(url, number, "tea-1").complete  # a typed SKU counts too
    last = scan(url, number, BARCODES["MUG-1"])
    assert (last.picked, last.complete, last.order_complete) == (2, True, True)
    with read_session(url) as s:
        [order] = shipping.picking_queue(s, actor=PICKER)
    assert order.mine and [(li.sku, li.picked) for li in order.lines] == [("TEA-1", 1), ("MUG-1", 2)]
    assert [e.actor for e in events(url, number, EventType.PICK_SCANNED)] == [PICKER.label] * 3


@pytest.mark.parametrize(("code", "error"), [
    ("9300000000099", NotInOrder),  # a product of the shop, not of this order
    ("0000000000000", UnknownBarcode),
    (BARCODES["TEA-1"], LineComplete),  # the one TEA-1 is already in the tote
])
def test_wrong_unknown_and_extra_scans_are_refused_and_change_nothing(url, code, error):
    number = paid_order(url, ("MUG-1", 2), ("TEA-1", 1))
    claim(url, number)
    scan(url, number, BARCODES["TEA-1"])
    before = (counts(url, number), len(events(url, number, EventType.PICK_SCANNED)))

    with pytest.raises(error):
        scan(url, number, code)

    assert (counts(url, number), len(events(url, number, EventType.PICK_SCANNED))) == before


def test_only_the_claimant_scans_and_a_released_order_is_free_again(url):
    number = paid_order(url, ("MUG-1", 1))
    with pytest.raises(NotClaimed):
        scan(url, number, BARCODES["MUG-1"])
    claim(url, number)
    with pytest.raises(AlreadyClaimed):
        scan(url, number, BARCODES["MUG-1"], actor=OTHER)
    with pytest.raises(AlreadyClaimed), write_session(url) as s:
        shipping.release_claim(s, actor=OTHER, number=number)

    with write_session(url) as s:
        shipping.release_claim(s, actor=PICKER, number=number)

    assert status(url, number) == OrderStatus.PICKING and counts(url, number) == set()
    assert claim(url, number, OTHER) == [number]
    assert events(url, number, EventType.PICK_RELEASED)[0].actor == PICKER.label


def test_scans_from_two_phones_never_count_past_the_quantity(url):
    number = paid_order(url, ("MUG-1", 3))
    claim(url, number)
    start = threading.Barrier(10)

    def beep(_):
        start.wait()
        try:
            return scan(url, number, BARCODES["MUG-1"]).picked
        except LineComplete:
            return "extra"

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(beep, range(10)))

    assert sorted(r for r in results if r != "extra") == [1, 2, 3]
    assert results.count("extra") == 7
    assert {(p, sh) for _, p, sh in counts(url, number)} == {(3, 0)}
    assert len(events(url, number, EventType.PICK_SCANNED)) == 3


def test_finishing_a_courier_order_packs_it_ready_to_ship_and_it_leaves_the_queue(url):
    number = paid_order(url, ("MUG-1", 1))
    claim(url, number)
    with pytest.raises(PickIncomplete), write_session(url) as s:
        shipping.finish_pick(s, actor=PICKER, number=number)
    scan(url, number, BARCODES["MUG-1"])

    with write_session(url) as s:
        done = shipping.finish_pick(s, actor=PICKER, number=number)

    assert done.outcome == "ready_to_ship" and status(url, number) == OrderStatus.PICKING
    with read_session(url) as s:
        assert shipping.picking_queue(s, actor=PICKER) == []
        oid = orders.get_order(s, number).id
        assert shipping.pick_progress(s, [oid]) == {oid: (1, 1, "packed")}
    assert events(url, number, EventType.PICK_PACKED)[0].actor == PICKER.label
    with write_session(url) as s:  # the office ships it as before
        shipping.ship_lines(s, actor=STAFF, number=number)
    assert status(url, number) == OrderStatus.SHIPPED


def test_the_office_shipping_part_of_a_claimed_order_rebases_the_pickers_counts(url):
    number = paid_order(url, ("MUG-1", 5), ("TEA-1", 1))
    claim(url, number)
    for _ in range(3):
        scan(url, number, BARCODES["MUG-1"])
    with read_session(url) as s:
        mug = next(li.id for li in orders.order_lines(s, orders.get_order(s, number).id)
                   if li.sku == "MUG-1")

    with write_session(url) as s:  # the office sends two mugs itself
        shipping.ship_lines(s, actor=STAFF, number=number, quantities={mug: 2})

    with read_session(url) as s:
        [order] = [o for o in shipping.picking_queue(s, actor=PICKER) if o.number == number]
    assert [(li.sku, li.quantity, li.picked) for li in order.lines] == [
        ("TEA-1", 1, 0), ("MUG-1", 3, 3)]  # three still to ship, and three in hand
    with pytest.raises(LineComplete):
        scan(url, number, BARCODES["MUG-1"])
    scan(url, number, BARCODES["TEA-1"])
    with write_session(url) as s:
        assert shipping.finish_pick(s, actor=PICKER, number=number).outcome == "ready_to_ship"


def test_the_office_shipping_all_of_a_claimed_order_ends_the_claim(url):
    number = paid_order(url, ("MUG-1", 2))
    claim(url, number)
    scan(url, number, BARCODES["MUG-1"])

    with write_session(url) as s:
        shipping.ship_lines(s, actor=STAFF, number=number)

    assert status(url, number) == OrderStatus.SHIPPED and counts(url, number) == set()
    with read_session(url) as s:
        assert shipping.my_claims(s, PICKER) == []
    with pytest.raises(NotClaimed), write_session(url) as s:
        shipping.finish_pick(s, actor=PICKER, number=number)


@pytest.mark.parametrize("notice", ["1", "0"])
def test_a_click_and_collect_order_is_ready_for_pickup_then_collected(url, monkeypatch, notice):
    monkeypatch.setenv("PICK_PICKUP_NOTICE", notice)
    number = pickup_unpaid(url, ("JAM-1", 2))
    claim(url, number)
    scan(url, number, BARCODES["JAM-1"])
    scan(url, number, BARCODES["JAM-1"])
    with pytest.raises(NotReady), write_session(url) as s:  # packed first, then collected
        shipping.mark_collected(s, actor=PICKER, number=number)

    with write_session(url) as s:
        done = shipping.finish_pick(s, actor=PICKER, number=number)

    assert done.outcome == "ready_for_pickup" and status(url, number) == OrderStatus.READY_FOR_PICKUP
    with read_session(url) as s:
        notices = s.exec(select(OutboxMessage).where(OutboxMessage.topic == "ready_for_pickup")).all()
    assert len(notices) == (1 if notice == "1" else 0)
    with write_session(url) as s:
        shipping.mark_collected(s, actor=PICKER, number=shipping.order_number_of(f"#{number}"))
    assert status(url, number) == OrderStatus.COLLECTED
    with read_session(url) as s:
        level = stock.stock_level(s, "JAM-1")
    assert (level.on_hand, level.committed) == (48, 0)


def test_a_short_pick_puts_the_order_on_hold_with_the_reason_for_the_office(url):
    number = paid_order(url, ("MUG-1", 2), ("TEA-1", 1))
    claim(url, number)
    scan(url, number, BARCODES["MUG-1"])
    with pytest.raises(ValidationFailed), write_session(url) as s:
        shipping.short_pick(s, actor=PICKER, number=number, sku="MUG-1", quantity=2,
                            reason="damaged")

    with write_session(url) as s:
        done = shipping.short_pick(s, actor=PICKER, number=number, sku="MUG-1", quantity=1,
                                   reason="damaged", note="dropped")

    assert done.outcome == "on_hold"
    with read_session(url) as s:
        order = orders.get_order(s, number)
        held = (order.status, order.hold_reason)
        level = stock.stock_level(s, "MUG-1")
    assert held == (OrderStatus.ON_HOLD, "Short pick: MUG-1 ×1, damaged (dropped)")
    assert (level.on_hand, level.committed) == (50, 2)  # nothing shipped: all still committed
    assert events(url, number, EventType.PICK_SHORT)[0].actor == PICKER.label


def test_with_partial_shipments_what_was_found_ships_and_the_rest_stays_committed(url, monkeypatch):
    monkeypatch.setenv("PICK_PARTIAL_SHIPMENTS", "1")
    number = paid_order(url, ("MUG-1", 3), ("TEA-1", 1))
    claim(url, number)
    scan(url, number, BARCODES["MUG-1"])
    with write_session(url) as s:
        first = shipping.short_pick(s, actor=PICKER, number=number, sku="MUG-1", quantity=2,
                                    reason="not_on_shelf")
    assert first.outcome == "recorded"  # TEA-1 is still to pick
    scan(url, number, BARCODES["TEA-1"])

    with write_session(url) as s:
        done = shipping.finish_pick(s, actor=PICKER, number=number)

    assert done.outcome == "part_shipped" and done.shipment_id
    assert status(url, number) == OrderStatus.PARTIALLY_SHIPPED
    with read_session(url) as s:
        mug, tea = stock.stock_level(s, "MUG-1"), stock.stock_level(s, "TEA-1")
    assert (mug.on_hand, mug.committed) == (49, 2)  # the backorder stays committed
    assert (tea.on_hand, tea.committed) == (49, 0)
    assert claim(url, number) == [number]  # the backorder can be picked later
    with read_session(url) as s:
        [order] = shipping.picking_queue(s, actor=PICKER)
    assert [(li.sku, li.quantity) for li in order.lines] == [("MUG-1", 2)]


def test_an_order_not_ready_to_pick_is_refused(url):
    number = paid_order(url, ("MUG-1", 1))
    with write_session(url) as s:
        orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.ON_HOLD,
                             reason="address")
    with pytest.raises(NotReady) as refused:
        claim(url, number)
    assert refused.value.code == "not_ready" and status(url, number) == OrderStatus.ON_HOLD
    with read_session(url) as s:
        assert s.exec(select(PickClaim)).all() == []


def test_a_batch_scan_counts_for_the_first_claimed_order_that_wants_the_item(url):
    a, b = paid_order(url, ("MUG-1", 1)), paid_order(url, ("MUG-1", 1), ("TEA-1", 1))
    with write_session(url) as s:
        shipping.claim_orders(s, actor=PICKER, numbers=[a, b])

    def batch_scan(code):
        with write_session(url) as s:
            return shipping.scan_claimed(s, actor=PICKER, code=code)

    assert [batch_scan(BARCODES["MUG-1"]).number for _ in range(2)] == [a, b]
    with pytest.raises(LineComplete):
        batch_scan(BARCODES["MUG-1"])
    with pytest.raises(NotInOrder):
        batch_scan(BARCODES["JAM-1"])
    assert batch_scan(BARCODES["TEA-1"]).order_complete
    assert isinstance(LineComplete("x"), DomainError)
    with read_session(url) as s:
        assert s.get(Order, 1) is not None


def test_the_board_card_in_picking_shows_the_pickers_progress_then_ready_to_ship(url):
    from dashboard.services import board

    number = paid_order(url, ("MUG-1", 1), ("TEA-1", 1))

    def card():
        with read_session(url) as s:
            lanes = {v.lane.value: v for v in board.load_board(s).lanes}
        return next(c for c in lanes["picking"].cards if c.number == number)

    claim(url, number)
    assert card().pick == "Picking 0/2 lines"
    scan(url, number, BARCODES["TEA-1"])
    assert card().pick == "Picking 1/2 lines"
    scan(url, number, BARCODES["MUG-1"])
    with write_session(url) as s:
        shipping.finish_pick(s, actor=PICKER, number=number)
    assert card().pick == "Ready to ship"
