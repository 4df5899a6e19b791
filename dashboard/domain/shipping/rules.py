"""Shipping's pure rules: each line's shipping status, and what a shipment needs to be
told (which units, carrier and tracking or explicitly none, whether to email)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MAX_CARRIER = 64
MAX_TRACKING = 128
CARRIERS = ("Australia Post", "StarTrack", "Sendle", "CouriersPlease", "Aramex", "DHL", "Other")
QUANTITY_FIELD = "qty_"  # a ship form's quantity of line 12 is "qty_12"
_TRACKING = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-./]*$")


class LineShipping(StrEnum):
    """Where a line of an order stands: nothing, part or all of it shipped, or some of
    what shipped has come back."""

    UNSHIPPED = "unshipped"
    PART = "part"
    SHIPPED = "shipped"
    RETURNED = "returned"


def line_shipping(quantity: int, shipped: int, returned: int = 0) -> LineShipping:
    if returned > 0:
        return LineShipping.RETURNED
    if shipped <= 0:
        return LineShipping.UNSHIPPED
    return LineShipping.SHIPPED if shipped >= quantity else LineShipping.PART


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def _truthy(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "on", "yes")


def tracking_errors(carrier: str | None, tracking_number: str | None) -> dict[str, str]:
    """What is wrong with a carrier and tracking number (none of either is fine)."""
    errors: dict[str, str] = {}
    carrier, tracking = _text(carrier), _text(tracking_number)
    if len(carrier) > MAX_CARRIER:
        errors["carrier"] = f"at most {MAX_CARRIER} characters"
    if tracking and (len(tracking) > MAX_TRACKING or not _TRACKING.match(tracking)):
        errors["tracking_number"] = "letters, digits, spaces and - . / only"
    if tracking and not carrier:
        errors["carrier"] = "which carrier has it?"
    return errors


@dataclass(frozen=True, slots=True)
class ShippingFacts:
    carrier: str | None
    tracking_number: str | None  # None: shipped without tracking
    email_customer: bool
    # line id -> units to ship; None: everything still unshipped
    quantities: dict[int, int] | None = None


def ship_quantities(facts: dict) -> tuple[dict[int, int] | None, dict[str, str]]:
    """The per-line quantities of a ship form ("qty_<line id>": units, 0 leaves the line),
    or None when the form names none (ship everything)."""
    errors: dict[str, str] = {}
    found: dict[int, int] = {}
    named = False
    for key, value in facts.items():
        if not isinstance(key, str) or not key.startswith(QUANTITY_FIELD):
            continue
        named = True
        line_id, raw = key[len(QUANTITY_FIELD):], str(value if value is not None else "").strip()
        if not line_id.isdecimal() or len(line_id) > 12:
            errors[key[:40]] = "not a line of this order"
        elif not raw.isdecimal() or len(raw) > 6:
            errors[key] = "a whole number, 0 or more"
        elif int(raw):
            found[int(line_id)] = int(raw)
    if not named:
        return None, errors
    if not found and not errors:
        errors["lines"] = "choose at least one item to ship"
    return found, errors


def shipping_facts(facts: dict) -> tuple[ShippingFacts | None, dict[str, str]]:
    """Carrier and tracking number, or an explicit "no tracking"; whether to email; and
    the units per line when the form gives them."""
    no_tracking = _truthy(facts.get("no_tracking"))
    carrier = _text(facts.get("carrier"))
    tracking = "" if no_tracking else _text(facts.get("tracking_number"))
    errors = tracking_errors(carrier, tracking)
    if not no_tracking and not tracking:
        errors["tracking_number"] = 'enter the tracking number, or tick "no tracking"'
    quantities, quantity_errors = ship_quantities(facts)
    errors |= quantity_errors
    result = ShippingFacts(carrier or None, tracking or None, _truthy(facts.get("email_customer")),
                           quantities)
    return (None if errors else result), errors
