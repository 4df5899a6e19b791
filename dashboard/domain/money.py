"""Money as integer minor units plus an ISO 4217 currency code.

Amounts cross the boundary as decimal strings ("12.50") and are stored as integers
(1250). Rounding happens once, half-up, when a decimal is turned into minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Currencies whose minor unit is not 1/100 (ISO 4217).
_EXPONENTS = {
    "BHD": 3, "CLP": 0, "IQD": 3, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3,
    "LYD": 3, "OMR": 3, "PYG": 0, "TND": 3, "UGX": 0, "VND": 0, "XAF": 0, "XOF": 0,
}
KNOWN_CURRENCIES = frozenset(
    ["AUD", "BHD", "CAD", "CHF", "CLP", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "IQD", "ISK", "JOD", "JPY", "KRW", "KWD", "LYD", "MYR", "NOK", "NZD", "OMR", "PHP", "PLN", "PYG", "SEK", "SGD", "THB", "TND", "TWD", "UGX", "USD", "VND", "XAF", "XOF", "ZAR"]
)
MAX_MINOR = 10**15  # far above any real order, far below a 64-bit overflow


class MoneyError(ValueError):
    """An amount or currency that cannot be money."""


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def check_currency(currency: str) -> str:
    if currency not in KNOWN_CURRENCIES:
        raise MoneyError(f"Unknown currency code {currency!r}")
    return currency


def to_minor(amount: Decimal | str | int, currency: str) -> int:
    """Decimal amount -> integer minor units, rounded half-up (the one rounding point)."""
    if isinstance(amount, float):  # never let a float in
        raise MoneyError("Money must not be a float")
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation as exc:
        raise MoneyError(f"{amount!r} is not an amount") from exc
    if not value.is_finite():
        raise MoneyError(f"{amount!r} is not an amount")
    if abs(value) >= MAX_MINOR:
        raise MoneyError(f"{amount!r} is too large")
    quantum = Decimal(1).scaleb(-exponent(currency))
    minor = int((value / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if abs(minor) >= MAX_MINOR:
        raise MoneyError(f"{amount!r} is too large")
    return minor


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency)).quantize(
        Decimal(1).scaleb(-exponent(currency))
    )


def format_amount(minor: int, currency: str) -> str:
    """Decimal string for JSON: 1250, 'AUD' -> '12.50'."""
    return str(to_decimal(minor, currency))


# The symbols people read as one currency; every other currency shows its ISO code.
SYMBOLS = {"AUD": "A$", "NZD": "NZ$", "USD": "US$", "CAD": "C$", "EUR": "€", "GBP": "£",
           "JPY": "¥"}


def display(minor: int, currency: str) -> str:
    """An amount for people, the same on every screen, document and email:
    123456 AUD -> 'A$1,234.56', 1250 JPY -> '¥1,250', -500 AUD (a credit) -> '-A$5.00',
    1250 CHF -> 'CHF 12.50'."""
    digits = f"{abs(to_decimal(minor, currency)):,.{exponent(currency)}f}"
    sign = "-" if minor < 0 else ""
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{currency} {digits}"


@dataclass(frozen=True, slots=True)
class Money:
    minor: int
    currency: str

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise MoneyError(f"Cannot add {other.currency} to {self.currency}")
        return Money(self.minor + other.minor, self.currency)

    def times(self, quantity: int) -> Money:
        return Money(self.minor * quantity, self.currency)

    @property
    def amount(self) -> Decimal:
        return to_decimal(self.minor, self.currency)

    def __str__(self) -> str:
        return f"{format_amount(self.minor, self.currency)} {self.currency}"
