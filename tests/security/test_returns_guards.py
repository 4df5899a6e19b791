"""The order page's return and surcharge handlers admit staff and owners only: a picker
(or anyone else) calling them by name is refused before they run."""

from __future__ import annotations

import pytest

import dashboard.dashboard  # noqa: F401  (registers every state)
from dashboard.domain.accounts import STAFF_ROLES
from dashboard.state.accounts import guard_of
from dashboard.state.returns import ReturnState

RETURN_HANDLERS = ["open_return", "close_return", "return_open_change", "set_return_field",
                   "save_return", "surcharge_open_change", "add_surcharge"]


@pytest.mark.parametrize("name", RETURN_HANDLERS)
def test_return_handlers_admit_staff_and_owners_only(name):
    mark = guard_of(ReturnState.event_handlers[name].fn)
    assert mark is not None and tuple(mark.roles) == STAFF_ROLES
    assert "picker" not in mark.roles


def test_every_public_return_handler_is_listed():
    public = {n for n in ReturnState.event_handlers if not n.startswith("_")
              and n not in {h for base in ReturnState.__mro__[1:2]
                            for h in getattr(base, "event_handlers", {})}}
    assert public == set(RETURN_HANDLERS)
