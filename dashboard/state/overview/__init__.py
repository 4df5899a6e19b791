"""The overview page."""

from dashboard.state.overview.charts import ChartView, target
from dashboard.state.overview.overview import PERIOD_OPTIONS, OverviewState

__all__ = [
    "ChartView",
    "OverviewState",
    "PERIOD_OPTIONS",
    "target",
]
