"""Addresses checked and corrected, notes edited and pinned, the customer database."""

from __future__ import annotations

import pytest

from dashboard.domain.customers import check_address
from dashboard.domain.errors import PermissionDenied, ValidationFailed
from dashboard.domain.orders import Actor, AddressIn, CustomerIn, OrderNote
from dashboard.services import customers, orders, shipping
from dashboard.services.customers import addresses
from dashboard.services.db import read_session, write_session
from dashboard.services.orders import notes
from fulfil_testkit.factories import pay
from tests.desk.conftest import AGENT, place

OTHER = Actor(AGENT.kind, "other@example.com", 2)
BAD_POSTCODE = AddressIn(name="Ada Lovelace", street_address_1="1 George St", city="Sydney",
                         country="AU", country_area="NSW", postal_code="20000")


# --- addresses -------------------------------------------------------------------------


def test_problems_in_plain_words_and_the_normalised_form():
    bad = check_address(BAD_POSTCODE)
    assert not bad.ok
    assert bad.problems == {
        "postal_code": "20000 is not a valid postcode in Australia (for example 2060, 3171)."}
    wrong_state = check_address(AddressIn(name="A", street_address_1="1 George St",
                                          city="Sydney", country="AU", country_area="VIC",
                                          postal_code="2000"))
    assert "not in VIC" in wrong_state.problems["postal_code"]
    us = check_address(AddressIn(name="A", street_address_1="1 Main St", city="", country="US"))
    assert set(us.problems) >= {"city", "country_area", "postal_code"}
    assert "ZIP code is missing" in us.problems["postal_code"]
    spelled = check_address(AddressIn(name="A", street_address_1="1 George St", city="Sydney",
                                      country="AU", country_area="new south wales",
                                      postal_code="2000"))
    assert spelled.ok and spelled.suggestion["country_area"] == "NSW"
    chinese = check_address(AddressIn(name="王小明", street_address_1="王府井大街1号",
                                      city="东城区", country="CN", country_area="北京市",
                                      postal_code="100010"))
    assert chinese.ok
    assert not check_address(AddressIn(name="A", street_address_1="x", city="y",
                                       country="ZZ")).ok


def test_an_invalid_address_blocks_labels_until_fixed_or_overridden(shop):
    placed = place(shop, ("MUG-1", 1), address=BAD_POSTCODE)
    with read_session(shop) as s:
        assert orders.get_order(s, placed.number).address_status == "invalid"
        with pytest.raises(addresses.AddressNeedsReview):
            addresses.ensure_label_allowed(s, placed.number)
        view = addresses.address_review(s, placed.number)
    assert "postal_code" in view["problems"] and view["editable"]
    # the agent overrides, then corrects it after all
    with write_session(shop) as s:
        addresses.override_address(s, actor=AGENT, number=placed.number,
                                   reason="Customer confirmed; new estate")
    with read_session(shop) as s:
        addresses.ensure_label_allowed(s, placed.number)
        assert addresses.address_review(s, placed.number)["override_reason"]
    fixed = AddressIn(**{**BAD_POSTCODE.as_dict(), "postal_code": "2000"})
    with write_session(shop) as s:
        check = addresses.edit_order_address(s, actor=AGENT, number=placed.number,
                                             address=fixed)
    assert check.ok
    with read_session(shop) as s:
        assert orders.get_order(s, placed.number).address_status == "valid"


def test_override_needs_a_reason_and_a_problem(shop):
    placed = place(shop, ("MUG-1", 1))
    with write_session(shop) as s, pytest.raises(ValidationFailed):
        addresses.override_address(s, actor=AGENT, number=placed.number, reason="")
    with write_session(shop) as s, pytest.raises(ValidationFailed, match="passes"):
        addresses.override_address(s, actor=AGENT, number=placed.number, reason="just because")


def test_editing_the_address_of_a_shipped_order_is_refused(shop):
    placed = place(shop, ("MUG-1", 1))
    with write_session(shop) as s:
        pay(s, placed.number, actor=AGENT)
        shipping.ship_lines(s, actor=AGENT, number=placed.number)
    with write_session(shop) as s, pytest.raises(addresses.InvalidTransition):
        addresses.edit_order_address(s, actor=AGENT, number=placed.number, address=BAD_POSTCODE)


def test_verify_unchecked_catches_up_old_orders(shop):
    placed = place(shop, ("MUG-1", 1), address=BAD_POSTCODE)
    with write_session(shop) as s:
        order = orders.get_order(s, placed.number)
        order.address_status = "unverified"
        s.add(order)
        s.commit()
        assert addresses.verify_unchecked(s, actor=AGENT) == 1
    with read_session(shop) as s:
        assert orders.get_order(s, placed.number).address_status == "invalid"


# --- notes -------------------------------------------------------------------------------


def test_edit_own_note_pin_any(shop):
    placed = place(shop, ("MUG-1", 1))
    with write_session(shop) as s:
        note = orders.add_note(s, actor=AGENT, number=placed.number, body="Leave at the door")
        note_id = note.id
    with write_session(shop) as s, pytest.raises(PermissionDenied):
        notes.edit_note(s, actor=OTHER, number=placed.number, note_id=note_id, body="mine now")
    with write_session(shop) as s:
        notes.edit_note(s, actor=AGENT, number=placed.number, note_id=note_id,
                        body="Leave with the neighbour at 12")
        notes.pin_note(s, actor=OTHER, number=placed.number, note_id=note_id)
    with read_session(shop) as s:
        row = s.get(OrderNote, note_id)
        assert (row.body, row.pinned, row.updated_at is not None) == (
            "Leave with the neighbour at 12", True, True)


# --- customers ------------------------------------------------------------------------


def test_lifetime_value_history_and_addresses(shop):
    a = place(shop, ("MUG-1", 2), email="ada@example.com")  # 25.00
    place(shop, ("TEA-1", 1), email="ada@example.com")  # 8.00
    cancelled = place(shop, ("MUG-1", 1), email="ada@example.com")
    place(shop, ("MUG-1", 1), email="grace@example.com", name="Grace Hopper")
    unpaid = place(shop, ("MUG-1", 4), email="ada@example.com")  # not spent yet
    with write_session(shop) as s:
        for number in (a.number, a.number + 1, cancelled.number):
            pay(s, number, actor=AGENT)
        orders.cancel_order(s, actor=AGENT, number=cancelled.number, reason="changed mind")
    with read_session(shop) as s:
        detail = customers.customer_detail(s, a.customer_id)
        page = customers.list_customers(s, q="ada")
        everyone = customers.list_customers(s)
    assert detail["order_count"] == 4 and detail["lifetime_value"] == {"AUD": "33.00"}
    assert len(detail["orders"]) == 4 and detail["orders_total"] == 4
    assert detail["orders"][0]["number"] == unpaid.number  # newest first
    assert [x["street_address_1"] for x in detail["addresses"]] == ["1 George St"]
    assert detail["addresses"][0]["default"]
    assert [r["email"] for r in page.rows] == ["ada@example.com"]
    assert [r["name"] for r in everyone.rows] == ["Ada Lovelace", "Grace Hopper"]


def test_create_customer_with_address_and_refuse_duplicates(shop):
    home = AddressIn(name="Wang Fang", street_address_1="5 Pitt St", city="Sydney",
                     country="AU", country_area="NSW", postal_code="2000")
    with write_session(shop) as s:
        c = customers.create_customer(s, actor=AGENT, customer=CustomerIn(
            email="Fang@Example.com", name="王芳", phone="0411 222 333"), address=home)
        cid = c.id
    with write_session(shop) as s, pytest.raises(ValidationFailed, match="already has"):
        customers.create_customer(s, actor=AGENT, customer=CustomerIn(
            email="fang@example.com", name="Someone"))
    with read_session(shop) as s:
        assert customers.find_customers(s, "0411 222")[0]["id"] == cid
        assert customers.find_customers(s, "王芳")[0]["email"] == "fang@example.com"
        assert customers.default_address(s, cid).street_address_1 == "5 Pitt St"
    with write_session(shop) as s:
        customers.save_address(s, actor=AGENT, customer_id=cid, make_default=True,
                               address=AddressIn(**{**home.as_dict(), "street_address_1": "9 Oak"}))
        customers.update_customer(s, actor=AGENT, customer_id=cid, customer=CustomerIn(
            email="fang@example.com", name="王芳", phone="0411 999 000"))
    with read_session(shop) as s:
        assert customers.default_address(s, cid).street_address_1 == "9 Oak"
        assert customers.find_customers(s, "999 000")[0]["id"] == cid  # search index follows
