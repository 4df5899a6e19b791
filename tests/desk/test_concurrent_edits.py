"""Agents editing orders at the same moment, on real threads and connections: the last
units go to exactly as many edits as they cover, and every edit is whole or absent."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import func, select

from dashboard.domain.errors import InsufficientStock
from dashboard.domain.orders import OrderLine
from dashboard.domain.stock import StockMovement
from dashboard.services import orders, stock
from dashboard.services.db import read_session, write_session
from tests.desk.conftest import AGENT, place


def test_ten_agents_add_the_last_four_units_to_ten_orders(shop):
    # given ten orders for a mug, and four teas left (TEA-1 has 5 on hand; one is sold)
    placed = [place(shop, ("MUG-1", 1), email=f"c{i}@example.com") for i in range(10)]
    place(shop, ("TEA-1", 1), email="early@example.com")
    start = threading.Barrier(len(placed))

    def add_tea(order):
        start.wait()
        try:
            with write_session(shop) as s:
                orders.edit_order(s, actor=AGENT, number=order.number,
                                       edits=[orders.AddLine("TEA-1", 1),
                                              orders.SetQuantity(order.lines[0].id, 2)])
            return "ok"
        except InsufficientStock:
            return "short"
        except Exception as exc:  # anything else fails the test
            return repr(exc)

    # when ten agents each add a tea (and a second mug) at once
    with ThreadPoolExecutor(max_workers=len(placed)) as pool:
        results = list(pool.map(add_tea, placed))

    # then four edits are whole, six left nothing behind, and the ledger agrees
    assert sorted(results) == ["ok"] * 4 + ["short"] * 6
    with read_session(shop) as s:
        tea, mug = stock.stock_level(s, "TEA-1"), stock.stock_level(s, "MUG-1")
        assert (tea.on_hand, tea.committed) == (5, 5)
        assert mug.committed == 10 + 4  # only the whole edits doubled their mugs
        teas = s.exec(select(func.count()).select_from(OrderLine)
                      .where(OrderLine.sku == "TEA-1")).one()
        assert teas == 5
        edited = s.exec(select(func.count()).select_from(StockMovement)
                        .where(StockMovement.reason == "order_edited")).one()
        assert edited == 4 * 2  # one movement per product per whole edit
