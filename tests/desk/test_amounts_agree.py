"""One amount, one way of writing it: the board, the order page, the timeline and the
documents show an order's total as the same string (domain.money.display)."""

from __future__ import annotations

from io import BytesIO

import reflex as rx
from pypdf import PdfReader

from dashboard.services import board
from dashboard.services.db import read_session
from dashboard.services.documents import html, render
from dashboard.state.board.board import _detail, card_row, lane_row
from dashboard.state.orders.detail import OrderViewState
from dashboard.state.orders.timeline import describe
from fulfil_testkit.factories import add_product
from tests.desk.conftest import place

SHOWN = "A$1,234.56"


def order_page(number: int) -> OrderViewState:
    root = rx.State(_reflex_internal_init=True)
    page = root.get_substate(OrderViewState.get_full_name().split(".")[1:])
    page.number = number
    page._read()
    return page


def test_the_board_the_order_page_and_the_documents_write_a_total_alike(db_url, monkeypatch):
    # given: an order of 2 x 617.28 AUD
    monkeypatch.setenv("DATABASE_URL", db_url)
    add_product(db_url, "DESK-1", on_hand=5, price="617.28")
    number = place(db_url, ("DESK-1", 2)).number
    # when
    with read_session(db_url) as s:
        view = board.load_board(s)
        invoice = PdfReader(BytesIO(render.order_pdf(s, kind="invoice", number=number)))
        page_html = html.document_html(s, kind="invoice", numbers=[number])
    lane = next(v for v in view.lanes if v.cards and any(c.number == number for c in v.cards))
    card = card_row(next(c for c in lane.cards if c.number == number))
    page = order_page(number)
    placed = next(e for e in page.events if e.kind == "placed")
    # then
    assert card["total"] == lane_row(lane, None)["total"] == SHOWN
    assert page.total == page.subtotal == SHOWN
    assert [line.total for line in page.lines] == [SHOWN]
    assert _detail(number)["total"] == SHOWN  # the board's order drawer
    assert placed.detail.endswith(f"total {SHOWN}")
    assert SHOWN in "\n".join(p.extract_text() for p in invoice.pages)
    assert SHOWN in page_html


def test_a_credit_and_a_yen_amount_are_written_alike_everywhere():
    assert describe("payment_refunded", {"amount": "-5.00"}, "AUD") == ("Payment refunded", "-A$5.00")
    assert describe("payment_recorded", {"amount": "1250", "currency": "JPY", "method": "card"},
                    "AUD")[1] == "¥1,250 by Card"
