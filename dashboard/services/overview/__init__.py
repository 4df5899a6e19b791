"""The overview: orders, revenue, the queues, time between steps, unpaid ageing, top
products and late orders for a day, week or month in the merchant's time zone."""

from dashboard.services.overview.charts import Chart
from dashboard.services.overview.flow import QUEUES, queue_sizes, stage_times
from dashboard.services.overview.periods import KINDS, Period, period
from dashboard.services.overview.report import Overview, load_overview
from dashboard.services.overview.sales import (
    daily_totals,
    late_by_lane,
    orders_per_day,
    top_products,
    unpaid_ageing,
)

__all__ = [
    "Chart",
    "KINDS",
    "Overview",
    "Period",
    "QUEUES",
    "daily_totals",
    "late_by_lane",
    "load_overview",
    "orders_per_day",
    "period",
    "queue_sizes",
    "stage_times",
    "top_products",
    "unpaid_ageing",
]
