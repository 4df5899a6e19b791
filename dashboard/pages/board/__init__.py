"""The board and the wall screen."""

from dashboard.pages.board.board import board_page
from dashboard.pages.board.wall import wall_invalid_page, wall_page

__all__ = [
    "board_page",
    "wall_invalid_page",
    "wall_page",
]
