"""Returns on the order page: the inline return of a line, and surcharges."""

from dashboard.state.returns.inline import REASONS, RESOLUTIONS, SURCHARGE_KINDS, ReturnState

__all__ = ["REASONS", "RESOLUTIONS", "SURCHARGE_KINDS", "ReturnState"]
