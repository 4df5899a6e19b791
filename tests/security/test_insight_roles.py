"""The overview, the stock charts, receiving and reordering are for owners and staff: a
picker (or a kiosk) calling any of their handlers by name is refused by the guard."""

import dashboard.dashboard  # noqa: F401  (registers every page's states)
from dashboard.domain.accounts import STAFF_ROLES
from dashboard.state.accounts import guard_of
from dashboard.state.overview import OverviewState
from dashboard.state.stock import ReceivingState, StockState

NEW = {OverviewState: {"load", "set_kind", "step", "download"},
       StockState: {"download", "open_point"},
       ReceivingState: {"start_receiving", "receive_open_change", "confirm_receiving",
                        "open_reorder", "reorder_open_change", "set_point"}}


def test_every_new_handler_admits_owners_and_staff_only():
    for cls, names in NEW.items():
        handlers = cls.event_handlers
        assert names <= set(handlers), names - set(handlers)
        for name in names:
            assert set(guard_of(handlers[name].fn).roles) == set(STAFF_ROLES), (cls, name)
    assert "picker" not in STAFF_ROLES
