import pytest

from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import LineIn, validate_order
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from fulfil_testkit.factories import order_in


def test_repeated_skus_are_added_together():
    assert validate_order(order_in(("A", 1), ("B", 2), ("A", 3))) == {"A": 4, "B": 2}


def test_every_bad_field_is_named_at_once():
    bad = order_in(("ok", 1), email="not-an-email")
    bad.lines.append(LineIn("bad sku!", 1))
    bad.lines.append(LineIn("C", -2))
    with pytest.raises(ValidationFailed) as err:
        validate_order(bad)
    assert set(err.value.fields) == {"customer.email", "lines.1.sku", "lines.2.quantity"}


def test_pay_on_pickup_needs_pickup():
    with pytest.raises(ValidationFailed) as err:
        validate_order(order_in(("A", 1), payment_method=PaymentMethod.PAY_ON_PICKUP))
    assert "payment_method" in err.value.fields
    validate_order(order_in(("A", 1), payment_method=PaymentMethod.PAY_ON_PICKUP,
                            delivery_method=DeliveryMethod.PICKUP))


def test_an_order_needs_lines():
    with pytest.raises(ValidationFailed) as err:
        validate_order(order_in())
    assert err.value.fields == {"lines": "an order needs at least one line"}
