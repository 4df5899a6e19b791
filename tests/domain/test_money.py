from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain import money
from dashboard.domain.money import Money, MoneyError


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("12.50", "AUD", 1250), ("0.005", "AUD", 1), ("0.004", "AUD", 0), ("-0.005", "AUD", -1),
     ("1999", "JPY", 1999), ("0.5", "JPY", 1), ("1.2345", "KWD", 1235), (Decimal("3"), "EUR", 300)],
)
def test_amounts_become_minor_units_rounding_half_up_once(amount, currency, minor):
    assert money.to_minor(amount, currency) == minor


@pytest.mark.parametrize("bad", ["", "abc", "NaN", "Infinity", "1e30", "1,50"])
def test_things_that_are_not_amounts_are_refused(bad):
    with pytest.raises(MoneyError):
        money.to_minor(bad, "AUD")


def test_floats_are_refused():
    with pytest.raises(MoneyError):
        money.to_minor(12.5, "AUD")


def test_unknown_currency_is_refused():
    with pytest.raises(MoneyError):
        money.check_currency("XYZ")
    assert money.check_currency("AUD") == "AUD"


@given(st.integers(-10**12, 10**12), st.sampled_from(["AUD", "JPY", "KWD"]))
def test_minor_units_survive_the_round_trip_through_a_decimal_string(minor, currency):
    assert money.to_minor(money.format_amount(minor, currency), currency) == minor


def test_money_adds_only_the_same_currency():
    assert (Money(150, "AUD") + Money(250, "AUD")).minor == 400
    assert Money(150, "AUD").times(3) == Money(450, "AUD")
    assert str(Money(150, "AUD")) == "1.50 AUD"
    with pytest.raises(MoneyError):
        Money(1, "AUD") + Money(1, "NZD")
