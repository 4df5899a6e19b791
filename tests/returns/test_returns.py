"""Returns on SQLite and PostgreSQL: never more than shipped and not yet returned; restock
raises on_hand and write-off does not, both on the ledger; authorise then receive; credit
notes numbered without gaps under concurrency; surcharges and the balance due."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import func, select

from dashboard.domain.errors import NotFound, ReturnExceedsShipped, ValidationFailed
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import OrderEvent, OrderLine
from dashboard.domain.returns import CreditNote, OrderReturn, ReturnLine, ReturnLineIn, Surcharge
from dashboard.domain.stock import StockMovement
from dashboard.services import orders, returns, shipping
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, add_product, order_in, pay, stock_levels
from fulfil_testkit.factories import ledger_totals as ledger


def shipped_order(url, *lines, ship=None, email="ada@example.com") -> tuple[int, dict[str, int]]:
    """A paid order of `lines`, shipped (`ship`: line SKU -> units, default everything)."""
    with write_session(url) as s:
        placed = orders.place_order(s, actor=SHOP, order_in=order_in(*lines, email=email))
        pay(s, placed.number)
        ids = {line.sku: line.id for line in orders.order_lines(s, placed.order.id)}
    with write_session(url) as s:
        shipping.ship_lines(s, actor=STAFF, number=placed.number,
                            quantities=None if ship is None else {ids[k]: v for k, v in ship.items()})
    return placed.number, ids


def levels(url) -> dict[str, tuple[int, int]]:
    return stock_levels(url, "MUG-1", "TEA-1")


def counts(url) -> dict[str, int]:
    with read_session(url) as s:
        return {m.__name__: s.exec(select(func.count()).select_from(m)).one()
                for m in (OrderReturn, ReturnLine, CreditNote, StockMovement, OrderEvent,
                          OutboxMessage, Surcharge)}


def returned(url, line_id) -> int:
    with read_session(url) as s:
        return s.get(OrderLine, line_id).quantity_returned


def reasons(url) -> list[tuple[str, int, int, str | None]]:
    with read_session(url) as s:
        return [tuple(r) for r in s.exec(
            select(StockMovement.reason, StockMovement.on_hand_delta,
                   StockMovement.committed_delta, StockMovement.note)
            .where(StockMovement.reason.in_(["restocked", "written_off"]))
            .order_by(StockMovement.id)).all()]


def make_return(url, number, lines, **options):
    with write_session(url) as s:
        ret = returns.create_return(s, actor=STAFF, number=number, lines=lines, **options)
        return ret.number


def test_over_return_is_refused_and_changes_nothing(shop):
    # given an order of 2 mugs and 1 tea, of which 1 mug and the tea shipped
    number, ids = shipped_order(shop, ("MUG-1", 2), ("TEA-1", 1), ship={"MUG-1": 1, "TEA-1": 1})
    before = counts(shop), levels(shop)
    # when 2 mugs are returned (only 1 shipped)
    with pytest.raises(ReturnExceedsShipped) as caught:
        make_return(shop, number, [ReturnLineIn(ids["MUG-1"], 2, "damaged", restock=True),
                                   ReturnLineIn(ids["TEA-1"], 1, "changed_mind", restock=True)],
                    resolution="credit", received=True)
    # then nothing changed, and the error names the line
    assert caught.value.code == "return_exceeds_shipped"
    assert caught.value.lines == [{"sku": "MUG-1", "line_id": ids["MUG-1"], "requested": 2,
                                   "returnable": 1}]
    assert (counts(shop), levels(shop)) == before
    assert returned(shop, ids["MUG-1"]) == 0
    # and a unit already returned cannot be returned again
    make_return(shop, number, [ReturnLineIn(ids["MUG-1"], 1, "damaged", restock=False)],
                resolution="none", received=True)
    before = counts(shop), levels(shop)
    with pytest.raises(ReturnExceedsShipped):
        make_return(shop, number, [ReturnLineIn(ids["MUG-1"], 1, "damaged", restock=True)],
                    resolution="none", received=True)
    assert (counts(shop), levels(shop)) == before


def test_bad_input_is_refused_naming_every_field(shop):
    number, ids = shipped_order(shop, ("MUG-1", 2))
    before = counts(shop)
    with pytest.raises(ValidationFailed) as caught:
        make_return(shop, number, [ReturnLineIn(ids["MUG-1"], 0, "other"),
                                   ReturnLineIn(999999, 1, "broken")],
                    resolution="credit", received=True)
    fields = caught.value.fields
    assert {f"lines.{ids['MUG-1']}.quantity", f"lines.{ids['MUG-1']}.reason_text",
            f"lines.{ids['MUG-1']}.restock", "lines.999999", "lines.999999.reason"} <= set(fields)
    with pytest.raises(ValidationFailed):
        make_return(shop, number, [ReturnLineIn(ids["MUG-1"], 1, "damaged")],
                    resolution="swap")
    assert counts(shop) == before


def test_restock_raises_on_hand_and_write_off_does_not_both_on_the_ledger(shop):
    number, ids = shipped_order(shop, ("MUG-1", 2), ("TEA-1", 2))
    assert levels(shop) == {"MUG-1": (3, 0), "TEA-1": (2, 0)}
    rma = make_return(shop, number, [
        ReturnLineIn(ids["MUG-1"], 1, "changed_mind", restock=True),
        ReturnLineIn(ids["TEA-1"], 2, "damaged", restock=False),
    ], resolution="none", received=True)
    assert levels(shop) == {"MUG-1": (4, 0), "TEA-1": (2, 0)}
    assert ledger(shop) == levels(shop)
    assert reasons(shop) == [("restocked", 1, 0, f"return {rma}"),
                             ("written_off", 0, 0, f"return {rma}")]
    assert (returned(shop, ids["MUG-1"]), returned(shop, ids["TEA-1"])) == (1, 2)
    with read_session(shop) as s:
        ret = s.exec(select(OrderReturn)).one()
        assert (ret.status, ret.resolution, ret.received_at is not None) == (
            "received", "none", True)
        assert s.exec(select(func.count()).select_from(CreditNote)).one() == 0


def test_authorise_then_receive_with_rma_email_and_credit_note(shop):
    # given two mugs shipped
    number, ids = shipped_order(shop, ("MUG-1", 2))
    # when one is authorised for return, to be decided on arrival
    rma = make_return(shop, number, [ReturnLineIn(ids["MUG-1"], 1, "damaged")],
                      resolution="credit", note="courier dented the box")
    # then an RMA awaits the goods, the stock is untouched, the customer has instructions
    assert rma == f"R{number}-1"
    assert levels(shop) == {"MUG-1": (3, 0), "TEA-1": (4, 0)}
    with read_session(shop) as s:
        ret = s.exec(select(OrderReturn)).one()
        assert (ret.status, ret.refundable_minor) == ("awaiting_goods", 1250)
        email = s.exec(select(OutboxMessage).where(OutboxMessage.topic == "return_authorised")).one()
        assert rma in email.payload["body"] and email.payload["to"] == "ada@example.com"
    # the other mug cannot be returned twice meanwhile: one left
    with pytest.raises(ReturnExceedsShipped):
        make_return(shop, number, [ReturnLineIn(ids["MUG-1"], 2, "damaged")], resolution="none")
    # receiving without deciding restock is refused, changing nothing
    with pytest.raises(ValidationFailed), write_session(shop) as s:
        returns.receive_return(s, actor=STAFF, rma=rma)
    assert levels(shop)["MUG-1"] == (3, 0)
    # when it arrives and is restocked
    with write_session(shop) as s:
        returns.receive_return(s, actor=STAFF, rma=rma, restock={ids["MUG-1"]: True})
    # then on_hand rises, a store credit note is issued and emailed, all on the timeline
    assert levels(shop)["MUG-1"] == (4, 0) and ledger(shop) == levels(shop)
    with read_session(shop) as s:
        note = s.exec(select(CreditNote)).one()
        assert (note.number, note.label, note.amount_minor, note.disposition) == (
            1, "CN000001", 1250, "store_credit")
        assert returns.store_credit_minor(s, note.customer_id) == 1250
        assert s.exec(select(OutboxMessage).where(OutboxMessage.topic == "credit_note")).one()
        types = [e.type for e in s.exec(select(OrderEvent).order_by(OrderEvent.id))]
        assert types[-3:] == ["return_authorised", "return_received", "credit_note_issued"]
    # and a second receipt is refused; an unknown RMA is not found
    with pytest.raises(ValidationFailed), write_session(shop) as s:
        returns.receive_return(s, actor=STAFF, rma=rma, restock={ids["MUG-1"]: True})
    with pytest.raises(NotFound), write_session(shop) as s:
        returns.receive_return(s, actor=STAFF, rma="R1-9")
    assert levels(shop)["MUG-1"] == (4, 0)


def test_refund_is_a_credit_note_pending_a_manual_refund_never_above_what_was_paid(shop):
    number, ids = shipped_order(shop, ("MUG-1", 1), ("TEA-1", 1))
    with read_session(shop) as s:
        preview = returns.preview_return(s, number=number, resolution="refund", lines=[
            ReturnLineIn(ids["MUG-1"], 1, "wrong_item", restock=True),
            ReturnLineIn(ids["TEA-1"], 1, "other", "too strong", restock=False)])
    assert (preview.refundable_minor, preview.stock) == (2050, {"MUG-1": 1, "TEA-1": 0})
    make_return(shop, number, [ReturnLineIn(ids["MUG-1"], 1, "wrong_item", restock=True),
                               ReturnLineIn(ids["TEA-1"], 1, "other", "too strong",
                                            restock=False)],
                resolution="refund", received=True)
    with read_session(shop) as s:
        note = s.exec(select(CreditNote)).one()
        assert (note.amount_minor, note.disposition) == (2050, "refund_pending")


def test_credit_note_numbers_are_gapless_under_concurrency(shop):
    add_product(shop, "PEN-1", on_hand=20, price="1.00")
    placed = [shipped_order(shop, ("PEN-1", 1), email=f"c{i}@example.com") for i in range(8)]

    def credit(args):
        number, ids = args
        make_return(shop, number, [ReturnLineIn(ids["PEN-1"], 1, "changed_mind", restock=True)],
                    resolution="credit", received=True)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(credit, placed))
    with read_session(shop) as s:
        numbers = sorted(s.exec(select(CreditNote.number)).all())
    assert numbers == list(range(1, 9))


def test_surcharge_adds_to_the_total_and_the_balance_due(shop):
    number, _ = shipped_order(shop, ("MUG-1", 1))
    with write_session(shop) as s:
        returns.add_surcharge(s, actor=STAFF, number=number, amount="12.50",
                              kind="shipping_change", reason="express instead of standard")
        returns.add_surcharge(s, actor=STAFF, number=number, amount="0.255",
                              kind="extra_labour", reason="gift wrap")
    with read_session(shop) as s:
        o = orders.get_order(s, number)
        totals, goods = returns.order_money(s, o), o.total_minor
        event = s.exec(select(OrderEvent).where(OrderEvent.type == "surcharge_added")
                       .order_by(OrderEvent.id)).first().parameters
    assert (totals.surcharges_minor, totals.balance_due_minor) == (1250 + 26, 1276)  # half-up
    assert totals.total_minor == goods + 1276
    assert (event["amount_minor"], event["kind"]) == (1250, "shipping_change")
    before = counts(shop)
    with pytest.raises(ValidationFailed) as caught, write_session(shop) as s:
        returns.add_surcharge(s, actor=STAFF, number=number, amount="-1", kind="nope",
                              reason=" ")
    assert set(caught.value.fields) == {"amount", "kind", "reason"}
    assert counts(shop) == before
