"""An agent takes an order on the phone: the form refuses what it cannot place as typed,
keeps what was typed so it can be corrected, and places a repeat order with its link in
one transaction. The form's state is driven directly (the handlers past their guard,
which tests/security covers), on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from reflex.state import State

from dashboard.domain.accounts.access import Principal, PrincipalKind
from dashboard.services.db import get_engine
from dashboard.state.orders.phone_order import PhoneOrderState
from tests.desk.conftest import place

AGENT = Principal(PrincipalKind.USER, "desk@example.com", role="staff", name="Desk",
                  user_id=1, session_id=1)


@pytest.fixture
def form(shop, monkeypatch) -> PhoneOrderState:
    """A signed-in agent's empty phone-order form on the test shop's database."""
    monkeypatch.setenv("DATABASE_URL", shop)
    state = State(_reflex_internal_init=True).get_substate(
        PhoneOrderState.get_full_name().split("."))
    state._principal = AGENT
    return state


def call(state: PhoneOrderState, handler: str, *args):
    return PhoneOrderState.event_handlers[handler].fn.__wrapped__(state, *args)


def new_customer(state: PhoneOrderState) -> None:
    call(state, "start_new_customer")
    for name, value in (("name", "Mei Chen"), ("email", "mei@example.com"),
                        ("phone", "0412 345 678")):
        call(state, "set_customer_field", name, value)
    for name, value in (("street_address_1", "12 Harbour Rd"), ("city", "Sydney"),
                        ("country_area", "NSW"), ("postal_code", "2000")):
        call(state, "set_address_field", name, value)


def orders(url: str) -> list[tuple[int, int]]:
    """(number, units) of every order, oldest first."""
    with get_engine(url).connect() as c:
        return [tuple(r) for r in c.execute(sa.text(
            'SELECT o.number, sum(l.quantity) FROM "order" o JOIN order_line l '
            "ON l.order_id = o.id GROUP BY o.number ORDER BY o.number"))]


def committed(url: str, sku: str) -> int:
    with get_engine(url).connect() as c:
        return c.execute(sa.text(
            "SELECT s.committed FROM stock s JOIN product p ON p.id = s.product_id "
            "WHERE p.sku = :sku"), {"sku": sku}).scalar_one()


def test_a_quantity_of_zero_below_zero_or_a_fraction_is_refused_and_kept(form, shop):
    # given a caller who wants three mugs
    new_customer(form)
    call(form, "add_product", "MUG-1")
    call(form, "set_line_quantity", "MUG-1", "3")
    for typed in ("0", "-3", "2.5", ""):
        # when the agent mistypes the quantity
        call(form, "set_line_quantity", "MUG-1", typed)
        # then the line stays, at three, with what was typed and why it is refused
        (line,) = form.cart
        assert (line.sku, line.quantity, line.quantity_text) == ("MUG-1", 3, typed)
        assert "whole number from 1" in line.quantity_error
        # and the order is not placed with some other quantity
        call(form, "place")
        assert "Correct the quantity of MUG-1" in form.error
        assert orders(shop) == []
    call(form, "set_line_quantity", "MUG-1", "2")
    assert (form.cart[0].quantity, form.cart[0].quantity_error) == (2, "")
    call(form, "place")
    assert orders(shop)[0][1] == 2


def test_a_note_over_the_limit_is_refused_with_the_text_kept(form, shop):
    new_customer(form)
    call(form, "add_product", "MUG-1")
    long_note = "Leave it with the neighbour at number 14, not in the letterbox. " * 40
    assert len(long_note) > 2000
    call(form, "set_note", long_note)
    assert form.note == long_note  # all of it, for the agent to shorten
    assert "at most 2,000" in form.note_error
    call(form, "place")
    assert "at most 2,000" in form.error and form.note == long_note
    assert orders(shop) == []
    call(form, "set_note", long_note[:2000])
    call(form, "place")
    with get_engine(shop).connect() as c:
        assert c.execute(sa.text('SELECT customer_note FROM "order"')).scalar_one() == long_note[:2000]


def _refuse_repeat_links(url: str) -> None:
    """Make the database refuse the repeat link, as a failing disk or constraint would."""
    with get_engine(url).begin() as c:
        if c.dialect.name == "sqlite":
            c.exec_driver_sql(
                "CREATE TRIGGER refuse_repeat BEFORE INSERT ON order_event "
                "WHEN NEW.type = 'repeated' BEGIN SELECT RAISE(ABORT, 'link refused'); END")
        else:
            c.exec_driver_sql(
                "CREATE FUNCTION refuse_repeat() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'link refused'; END $$")
            c.exec_driver_sql(
                "CREATE TRIGGER refuse_repeat BEFORE INSERT ON order_event FOR EACH ROW "
                "WHEN (NEW.type = 'repeated') EXECUTE FUNCTION refuse_repeat()")


def test_a_repeat_order_and_its_link_are_kept_together_or_not_at_all(form, shop):
    # given an earlier order of two mugs, repeated from its page
    earlier = place(shop, ("MUG-1", 2)).number
    form._start_from_repeat(earlier)
    call(form, "set_place_anyway", True)
    _refuse_repeat_links(shop)

    # when recording the link fails
    with pytest.raises(sa.exc.DBAPIError, match="link refused"):
        call(form, "place")

    # then no new order was kept, and its stock is not held
    assert orders(shop) == [(earlier, 2)]
    assert committed(shop, "MUG-1") == 2

    # and once the database accepts links again, the order is placed with its link
    with get_engine(shop).begin() as c:
        c.exec_driver_sql("DROP TRIGGER refuse_repeat" + (
            "" if c.dialect.name == "sqlite" else ' ON order_event'))
    call(form, "place")
    (_, (number, units)) = orders(shop)
    with get_engine(shop).connect() as c:
        links = c.execute(sa.text(
            "SELECT e.parameters FROM order_event e JOIN \"order\" o ON o.id = e.order_id "
            "WHERE o.number = :n AND e.type = 'repeated'").columns(
                sa.column("parameters", sa.JSON)), {"n": number}).scalars().all()
    assert units == 2 and links == [{"repeat_of": earlier}]
