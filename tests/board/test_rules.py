"""The board's pure rules: which drop means what, which facts it needs, business hours."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from dashboard.domain.board import (
    AgeLevel,
    AgeThreshold,
    BusinessHours,
    Lane,
    MoveKind,
    MoveRefused,
    OrderFacts,
    age_label,
    age_level,
    allowed_lanes,
    hold_reason,
    lane_of,
    payment_facts,
    plan_move,
    shipping_facts,
    turns_at,
)
from dashboard.domain.orders import OrderStatus as S
from dashboard.domain.payments import PaymentMethod

SYDNEY = ZoneInfo("Australia/Sydney")
CHRISTMAS = {date(2026, 12, 25), date(2026, 12, 28)}  # NSW: Christmas, Boxing Day observed


def facts(status="unpaid", payment="unpaid", method="bank_transfer", delivery="courier",
          shipped=False) -> OrderFacts:
    return OrderFacts(status, payment, method, delivery, any_shipped=shipped)


def hours() -> BusinessHours:
    return BusinessHours(time(9), time(17), SYDNEY,
                         lambda d: d.weekday() < 5 and d not in CHRISTMAS)


def at(d, hh, mm=0):
    return datetime(2026, 12, d, hh, mm, tzinfo=SYDNEY)


def test_every_open_status_has_one_lane_and_closed_ones_none():
    assert lane_of("partially_shipped") == Lane.PICKING
    assert lane_of("on_hold") == Lane.ON_HOLD
    assert lane_of("completed") is None and lane_of("cancelled") is None
    assert lane_of("nonsense") is None


def test_unpaid_to_paid_records_the_payment():
    assert plan_move(facts(), Lane.PAID).kind == MoveKind.PAY


def test_picking_to_shipped_ships_and_pickup_orders_wait_for_pickup_instead():
    paid = facts("picking", "paid", "card")
    assert plan_move(paid, Lane.SHIPPED).kind == MoveKind.SHIP
    with pytest.raises(MoveRefused, match="Ready for pickup"):
        plan_move(facts("picking", "paid", "card", "pickup"), Lane.SHIPPED)
    assert plan_move(facts("picking", "paid", "card", "pickup"), Lane.READY_FOR_PICKUP).target == S.READY_FOR_PICKUP
    with pytest.raises(MoveRefused, match="courier orders ship"):
        plan_move(paid, Lane.READY_FOR_PICKUP)


@pytest.mark.parametrize(("order", "lane", "why"), [
    (facts("shipped", "paid", "card"), Lane.UNPAID, "paid"),
    (facts("shipped", "paid", "card"), Lane.PICKING, "cannot become picking"),
    (facts(), Lane.PICKING, "record the payment before picking"),
    (facts(), Lane.SHIPPED, "cannot become shipped"),
    (facts("on_hold"), Lane.PAID, "release it to Unpaid first"),
    (facts("picking", "unpaid", "pay_on_pickup", "pickup"), Lane.PAID, "at the counter"),
    (facts("paid", "paid", "card"), Lane.PAID, "already in that lane"),
    (facts("partially_shipped", "paid", "card", shipped=True), Lane.PAID, "cannot become paid"),
])
def test_illegal_drops_say_why(order, lane, why):
    with pytest.raises(MoveRefused, match=why):
        plan_move(order, lane)


def test_pay_on_pickup_orders_may_be_picked_before_payment():
    assert plan_move(facts(method="pay_on_pickup", delivery="pickup"), Lane.PICKING).target == S.PICKING


def test_a_held_part_shipped_order_goes_back_to_part_shipped():
    held = facts("on_hold", "paid", "card", shipped=True)
    assert plan_move(held, Lane.PICKING).target == S.PARTIALLY_SHIPPED


def test_allowed_lanes_is_the_hint_the_card_carries():
    assert allowed_lanes(facts()) == ("paid", "on_hold")
    assert allowed_lanes(facts("shipped", "paid", "card")) == ()


def test_bank_and_cheque_payments_need_a_reference_cards_do_not():
    assert payment_facts({}, "bank_transfer")[1] == {"reference": "the bank reference is needed"}
    assert "cheque number" in payment_facts({}, "cheque")[1]["reference"]
    paid, errors = payment_facts({"reference": "  TX  42 "}, "bank_transfer")
    assert errors == {} and paid.reference == "TX 42" and paid.method == PaymentMethod.BANK_TRANSFER
    assert payment_facts({}, "card")[0].reference is None
    assert payment_facts({"reference": "x" * 201}, "card")[1]
    assert payment_facts({"method": "barter", "reference": "r"}, "card")[1] == {"method": "unknown payment method"}


def test_shipping_needs_tracking_or_an_explicit_none():
    assert "tracking_number" in shipping_facts({"carrier": "Sendle"})[1]
    ok, errors = shipping_facts({"carrier": "Sendle", "tracking_number": "SND-123", "email_customer": "on"})
    assert errors == {} and ok.tracking_number == "SND-123" and ok.email_customer
    none, errors = shipping_facts({"no_tracking": True, "tracking_number": "ignored"})
    assert errors == {} and none.tracking_number is None and not none.email_customer
    assert "carrier" in shipping_facts({"tracking_number": "T1"})[1]
    assert "tracking_number" in shipping_facts({"carrier": "DHL", "tracking_number": "<script>"})[1]


def test_a_hold_needs_a_reason():
    assert hold_reason({})[1] and hold_reason({"reason": "x" * 501})[1]
    assert hold_reason({"reason": " customer away "}) == ("customer away", {})


def test_business_hours_skip_nights_weekends_and_public_holidays():
    h = hours()
    assert h.add(at(4, 16), 2) == at(7, 10)  # Friday 4pm + 2h -> Monday 10am
    assert h.add(at(24, 15), 8) == at(29, 15)  # over Christmas and Boxing Day observed
    assert h.add(at(5, 11), 1) == at(7, 10)  # Saturday counts from Monday's opening
    assert h.subtract(at(7, 10), 2) == at(4, 16)
    assert h.subtract(at(29, 15), 8) == at(24, 15)
    assert h.subtract(at(7, 8), 1) == at(4, 16)  # before opening: from Friday's close


def test_cards_turn_amber_then_red_by_business_hours():
    threshold = AgeThreshold(amber_hours=8, red_hours=16)
    amber_at, red_at = turns_at(at(4, 16), threshold, hours())  # paid Friday 4pm
    assert (amber_at, red_at) == (at(7, 16), at(8, 16))
    assert age_level(at(7, 15), amber_at, red_at) == AgeLevel.OK
    assert age_level(at(7, 16), amber_at, red_at) == AgeLevel.AMBER
    assert age_level(at(9, 9), amber_at, red_at) == AgeLevel.RED
    assert turns_at(at(4, 16), None, hours()) == (None, None)


@pytest.mark.parametrize(("seconds", "label"), [
    (5, "5s"), (125, "2m"), (3600, "1h"), (3 * 3600 + 20 * 60, "3h 20m"), (2 * 86400, "2d"),
    (2 * 86400 + 4 * 3600 + 59, "2d 4h"), (-3, "0s"),
])
def test_age_labels(seconds, label):
    assert age_label(seconds) == label
