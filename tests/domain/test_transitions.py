import pytest

from dashboard.domain.errors import InvalidTransition
from dashboard.domain.orders import ALLOWED, can_move, ensure_move
from dashboard.domain.orders import OrderStatus as S
from dashboard.domain.payments import PaymentMethod


def test_every_status_has_a_row_and_terminal_states_go_nowhere():
    assert set(ALLOWED) == set(S)
    assert ALLOWED[S.CANCELLED] == ALLOWED[S.COMPLETED] == frozenset()


def test_card_orders_wait_for_payment_but_pay_on_pickup_can_be_picked():
    assert can_move(S.UNPAID, S.PICKING, payment_method=PaymentMethod.CARD)
    assert can_move(S.UNPAID, S.PICKING, payment_method=PaymentMethod.PAY_ON_PICKUP) is None


def test_shipped_goods_cannot_be_cancelled():
    with pytest.raises(InvalidTransition):
        ensure_move(S.SHIPPED, S.CANCELLED, payment_method=PaymentMethod.CARD)
    with pytest.raises(InvalidTransition):
        ensure_move(S.PICKING, S.CANCELLED, payment_method=PaymentMethod.CARD, any_shipped=True)
    ensure_move(S.PICKING, S.CANCELLED, payment_method=PaymentMethod.CARD)


@pytest.mark.parametrize("status", list(S))
def test_no_status_moves_to_itself(status):
    assert status not in ALLOWED[status]
