"""The board and the wall screen, and the live feed that keeps them current."""

from dashboard.state.board.board import (
    AGE_OPTIONS,
    DELIVERY_OPTIONS,
    LANE_VARS,
    PAYMENT_OPTIONS,
    PIN_SECONDS,
    SHIPPED_OPTIONS,
    BoardState,
    card_row,
    lane_row,
    with_pin,
)
from dashboard.state.board.live import LiveFeed, follow_order_events
from dashboard.state.board.wall import WallState

__all__ = [
    "AGE_OPTIONS",
    "BoardState",
    "DELIVERY_OPTIONS",
    "LANE_VARS",
    "LiveFeed",
    "PAYMENT_OPTIONS",
    "PIN_SECONDS",
    "SHIPPED_OPTIONS",
    "WallState",
    "card_row",
    "follow_order_events",
    "lane_row",
    "with_pin",
]
