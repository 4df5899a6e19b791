"""Board fixtures: a fresh database per test (SQLite, then PostgreSQL), a merchant in
Sydney (NSW holidays, 9 to 5), and orders put into any lane through the order services."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from dashboard.domain.orders import Order, OrderStatus
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.services import board, orders, shipping
from dashboard.services.db import read_session, write_session
from fulfil_testkit.factories import SHOP, STAFF, add_product, order_in, pay


@pytest.fixture(autouse=True)
def merchant(monkeypatch):
    monkeypatch.setenv("MERCHANT_COUNTRY", "AU")
    monkeypatch.setenv("MERCHANT_SUBDIVISION", "NSW")
    monkeypatch.setenv("MERCHANT_TIMEZONE", "Australia/Sydney")
    monkeypatch.setenv("BUSINESS_HOURS", "09:00-17:00")
    for name in ("BOARD_AGE_HOURS_PAID", "BOARD_UNDO_SECONDS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def url(db_url, monkeypatch):
    return shop(db_url, monkeypatch)


def shop(db_url: str, monkeypatch) -> str:
    """The board's test shop on `db_url`: two products with plenty of stock."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    add_product(db_url, "MUG-1", on_hand=500, price="12.50")
    add_product(db_url, "TEA-1", on_hand=500, price="8.05")
    return db_url


def place(url: str, *lines: tuple[str, int], method=PaymentMethod.BANK_TRANSFER,
          delivery=DeliveryMethod.COURIER, email="ada@example.com", note="") -> int:
    with write_session(url) as s:
        return orders.place_order(s, actor=SHOP, order_in=order_in(
            *(lines or (("MUG-1", 1),)), payment_method=method, delivery_method=delivery,
            email=email, note=note)).number


def in_lane(url: str, lane: str, **kw) -> int:
    """An order brought into `lane` the way staff would (payment, picking, hold...)."""
    delivery = DeliveryMethod.PICKUP if lane == "ready_for_pickup" else kw.pop("delivery", DeliveryMethod.COURIER)
    number = place(url, delivery=delivery, **kw)
    steps = {
        "unpaid": [], "paid": ["pay"], "picking": ["pay", "pick"],
        "ready_for_pickup": ["pay", "pick", "ready"], "shipped": ["pay", "pick", "ship"],
        "on_hold": ["hold"],
    }[lane]
    with write_session(url) as s:
        for step in steps:
            if step == "pay":
                pay(s, number, reference="TX")
            elif step == "pick":
                orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.PICKING)
            elif step == "ready":
                orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.READY_FOR_PICKUP)
            elif step == "ship":
                shipping.ship_lines(s, actor=STAFF, number=number, carrier="Sendle", tracking_number="S1")
            elif step == "hold":
                orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.ON_HOLD,
                                     reason="customer away")
    return number


def status(url: str, number: int) -> str:
    with read_session(url) as s:
        return s.exec(select(Order.status).where(Order.number == number)).one()


def count(url: str, model, *where) -> int:
    with read_session(url) as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def load(url: str, **filters) -> dict:
    windows = filters.pop("windows", None)
    now = filters.pop("now", None)
    with read_session(url) as s:
        b = board.load_board(s, board.BoardFilters(**filters), windows=windows, now=now)
    return {lane.lane.value: lane for lane in b.lanes}


def set_time(url: str, number: int, **columns) -> None:
    """Move an order's (or its events') times, for tests of age."""
    from dashboard.domain.orders import OrderEvent

    with write_session(url) as s:
        order_id = s.exec(select(Order.id).where(Order.number == number)).one()
        if "entered" in columns:
            s.connection().execute(sa.update(OrderEvent).where(OrderEvent.order_id == order_id)
                                   .values(created_at=columns.pop("entered")))
        if columns:
            s.connection().execute(sa.update(Order).where(Order.id == order_id).values(**columns))
