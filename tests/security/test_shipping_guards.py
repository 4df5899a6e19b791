"""The office's shipping handlers admit staff and owners only: a picker (or anyone else)
calling them by name is refused before they run (the raw-websocket e2e checks calls every
guarded handler the caller's role lacks, these included; tests/e2e/test_shipping.py
sends these ones from a picker's socket)."""

from __future__ import annotations

import pytest

import dashboard.dashboard  # noqa: F401  (registers every state)
from dashboard.domain.accounts import STAFF_ROLES
from dashboard.state.accounts import guard_of
from dashboard.state.board import BoardState
from dashboard.state.orders import OrderViewState

SHIPPING_HANDLERS = [
    (OrderViewState, "ship_open_change"), (OrderViewState, "ship"),
    (OrderViewState, "edit_tracking"), (OrderViewState, "tracking_open_change"),
    (OrderViewState, "save_tracking"), (BoardState, "move"), (BoardState, "confirm_move"),
]


@pytest.mark.parametrize("cls, name", SHIPPING_HANDLERS)
def test_shipping_handlers_admit_staff_and_owners_only(cls, name):
    mark = guard_of(cls.event_handlers[name].fn)
    assert mark is not None and tuple(mark.roles) == STAFF_ROLES
    assert "picker" not in mark.roles
