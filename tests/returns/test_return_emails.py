"""The emails a return queues render: the return instructions with the RMA, and the credit
note with what was credited."""

from __future__ import annotations

from sqlmodel import select

from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.returns import ReturnLineIn
from dashboard.services import returns
from dashboard.services.db import read_session, write_session
from dashboard.services.messaging import render_message
from fulfil_testkit.factories import STAFF
from tests.returns.test_returns import shipped_order


def rendered(url: str, topic: str):
    with read_session(url) as s:
        message = s.exec(select(OutboxMessage).where(OutboxMessage.topic == topic)).one()
        return render_message(s, message)


def test_return_instructions_then_the_credit_note(shop):
    number, ids = shipped_order(shop, ("MUG-1", 2))
    with write_session(shop) as s:
        rma = returns.create_return(s, actor=STAFF, number=number, resolution="credit",
                                    lines=[ReturnLineIn(ids["MUG-1"], 2, "wrong_item")]).number
    email = rendered(shop, "return_authorised")
    assert email.subject.startswith(f"Return {rma} for order #{number}")
    assert f"write {rma} clearly on the parcel" in email.text and rma in email.html
    assert "2 x Product MUG-1 (MUG-1)" in email.text
    with write_session(shop) as s:
        returns.receive_return(s, actor=STAFF, rma=rma, restock={ids["MUG-1"]: True})
    email = rendered(shop, "credit_note")
    assert email.subject.startswith(f"Credit note CN000001 for order #{number}")
    assert "25.00" in email.text and email.recipients == ["ada@example.com"]
