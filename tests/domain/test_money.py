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


@pytest.mark.parametrize(("minor", "currency", "shown"), [
    (1250, "AUD", "A$12.50"),
    (0, "AUD", "A$0.00"),
    (5, "NZD", "NZ$0.05"),
    (1250, "JPY", "¥1,250"),  # no minor unit: no decimals
    (-1234567, "JPY", "-¥1,234,567"),
    (-500, "AUD", "-A$5.00"),  # a credit: the minus before the symbol
    (-1, "GBP", "-£0.01"),
    (123456789012, "USD", "US$1,234,567,890.12"),  # grouped in thousands
    (10**15 - 1, "EUR", "€9,999,999,999,999.99"),  # the largest amount, exact
    (1234500, "CHF", "CHF 12,345.00"),  # no symbol: the code
    (-1234, "KWD", "-KWD 1.234"),  # three decimals
    (99, "CNY", "CNY 0.99"),  # not ¥: that is the yen's
])
def test_amounts_are_displayed_one_way(minor, currency, shown):
    assert money.display(minor, currency) == shown


@given(st.integers(-10**14, 10**14), st.sampled_from(sorted(money.KNOWN_CURRENCIES)))
def test_a_displayed_amount_reads_back_as_the_same_minor_units(minor, currency):
    shown = money.display(minor, currency)
    digits = shown.lstrip("-").removeprefix(money.SYMBOLS.get(currency, f"{currency} "))
    assert money.to_minor(digits.replace(",", ""), currency) == abs(minor)
    assert shown.startswith("-") == (minor < 0)
