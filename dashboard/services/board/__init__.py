"""The board: lanes (read), moves and undo, the change feed the live screens follow."""

from dashboard.services.board.feed import FeedCursor, FeedEvent, latest_event_id
from dashboard.services.board.moves import ask_move, move_card, undo_move
from dashboard.services.board.read import (
    MAX_PINNED,
    MAX_WINDOW,
    PAGE,
    BoardFilters,
    Card,
    LaneView,
    lane_page,
    load_board,
)

__all__ = [
    "BoardFilters",
    "Card",
    "FeedCursor",
    "FeedEvent",
    "LaneView",
    "MAX_PINNED",
    "MAX_WINDOW",
    "PAGE",
    "ask_move",
    "lane_page",
    "latest_event_id",
    "load_board",
    "move_card",
    "undo_move",
]
