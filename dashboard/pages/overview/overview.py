"""The overview: today at a glance, then the charts of a day, week or month (merchant
time), each with its figures as a table and a CSV download."""

import reflex as rx

from dashboard.components.charts import chart_card
from dashboard.components.filters import option_select
from dashboard.components.shell import page_frame
from dashboard.state.overview import PERIOD_OPTIONS, OverviewState

ROUTE = "/overview"
S = OverviewState


def _headline(item) -> rx.Component:
    return rx.card(rx.vstack(rx.text(item[0], size="1", color_scheme="gray"),
                             rx.text(item[1], size="6", weight="bold"), spacing="1"),
                   min_width="160px", class_name="overview-today")


def _period_bar() -> rx.Component:
    return rx.hstack(
        rx.button(rx.icon("chevron-left", size=14), size="1", variant="soft",
                  on_click=S.step(-1), aria_label="Previous period", id="overview-prev"),
        rx.text(S.period_label, weight="medium", id="overview-period"),
        rx.button(rx.icon("chevron-right", size=14), size="1", variant="soft",
                  on_click=S.step(1), aria_label="Next period", id="overview-next"),
        rx.button("Today", size="1", variant="ghost", on_click=S.step(0)),
        align="center", spacing="2",
    )


def overview_page() -> rx.Component:
    return page_frame(
        "Overview",
        rx.hstack(rx.foreach(S.today, _headline), spacing="3", wrap="wrap",
                  padding_bottom="12px", id="overview-today"),
        _period_bar(),
        rx.grid(rx.foreach(S.charts, lambda c: chart_card(c, S.download)),
                columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%",
                padding_top="12px", id="overview-charts"),
        actions=option_select(PERIOD_OPTIONS, S.kind, S.set_kind, "overview-kind",
                              min_width="120px", size="1"),
    )
