"""The wall screen (a kiosk in the warehouse): each card is built from an allow-list, so
nothing about customers or money ever reaches the screen, whatever the board's card grows."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from dashboard.state.board import board as board_state
from dashboard.state.board.wall import WallState, _read_wall
from tests.board.conftest import in_lane

# Order number, lane, delivery method and item count, time in the lane (and when it turns
# amber and red), when it was placed (a new card is highlighted): nothing else.
WALL_CARD_FIELDS = {"n", "lane", "dm", "line", "at", "amber", "red", "placed"}
# What the orders below carry that a kiosk must never show.
SECRETS = ("Ada Lovelace", "wall-secret@example.com", "12.50", "20.55", "Card", "Bank",
           "customer away", "TX")


def _orders(url) -> list[int]:
    return [in_lane(url, lane, email="wall-secret@example.com", note="ring twice")
            for lane in ("unpaid", "paid", "picking", "on_hold", "ready_for_pickup", "shipped")]


def test_a_wall_card_has_exactly_the_allowed_fields(url):
    numbers = _orders(url)
    _, columns = _read_wall(None)
    cards = [card for column in columns for card in column["cards"]]
    assert sorted(card["n"] for card in cards) == sorted(numbers)
    assert [set(card) for card in cards] == [WALL_CARD_FIELDS] * len(cards)
    assert [set(column) for column in columns] == [{"id", "title", "count", "cards"}] * 6
    card = next(c for c in cards if c["n"] == numbers[0])
    assert card["line"] == "Courier · 1 item" and card["dm"] == "courier"


def test_a_field_added_to_the_board_card_never_reaches_the_wall(url, monkeypatch):
    real = board_state.card_row
    monkeypatch.setattr(board_state, "card_row",
                        lambda card: {**real(card), "email": "wall-secret@example.com"})
    _orders(url)
    _, columns = _read_wall(None)
    cards = [card for column in columns for card in column["cards"]]
    assert cards and [set(card) for card in cards] == [WALL_CARD_FIELDS] * len(cards)


def test_the_wall_state_sent_to_the_kiosk_has_no_customer_or_money(url):
    _orders(url)

    async def shown() -> dict:
        wall = await rx.State(_reflex_internal_init=True).get_state(WallState)
        wall._live_apply(_read_wall(None), [], now_ms=1)
        return wall.dict()

    sent = json.dumps(asyncio.run(shown()), default=str)
    assert [secret for secret in SECRETS if secret in sent] == []
    assert "ring twice" not in sent
