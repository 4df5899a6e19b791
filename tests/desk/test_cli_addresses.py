"""After an upgrade, `fulfil check-addresses` checks the open orders' unverified addresses."""

from __future__ import annotations

from sqlmodel import select

from dashboard.domain.orders import Order
from dashboard.services.db import read_session, write_session
from tests.desk.conftest import place
from tests.desk.test_addresses_notes_customers import BAD_POSTCODE
from tests.test_cli import fulfil


def test_check_addresses_catches_up_old_orders(shop):
    good = place(shop, ("MUG-1", 1))
    bad = place(shop, ("MUG-1", 1), address=BAD_POSTCODE)
    with write_session(shop) as s:  # as if placed before the checks existed
        for order in s.exec(select(Order)).all():
            order.address_status = "unverified"
            s.add(order)
        s.commit()

    result = fulfil(shop, "check-addresses")

    assert result.returncode == 0, result.stderr
    assert "Checked 2 shipping addresses." in result.stdout
    with read_session(shop) as s:
        status = {o.number: o.address_status for o in s.exec(select(Order)).all()}
    assert status == {good.number: "valid", bad.number: "invalid"}
