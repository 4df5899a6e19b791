"""A chart card: the plotly chart, its figures as a table underneath (for screen readers
and for reading exact values) and a CSV download."""

from __future__ import annotations

import plotly.graph_objects as go
import reflex as rx


def _table(chart) -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(rx.foreach(
            chart.columns, lambda c: rx.table.column_header_cell(c, scope="col")))),
        rx.table.body(rx.foreach(chart.rows, lambda row: rx.table.row(
            rx.foreach(row, lambda cell: rx.table.cell(rx.text(cell, size="1")))))),
        size="1", width="100%", class_name="chart-table",
        aria_label=chart.title,
    )


def chart_card(chart, on_download, *, on_click=None, height: str = "300px") -> rx.Component:
    """`chart` is a ChartView var; `on_download(key)` returns its CSV."""
    events = {"on_click": on_click} if on_click is not None else {}
    return rx.card(
        rx.vstack(
            rx.plotly(data=chart.figure.to(go.Figure), width="100%", height=height,
                      id="chart-" + chart.key, **events),
            rx.cond(chart.empty,
                    rx.text("Nothing to show yet.", size="1", color_scheme="gray",
                            class_name="chart-empty")),
            rx.hstack(
                rx.el.details(rx.el.summary(rx.text("Figures as a table", size="1",
                                                    as_="span")),
                              _table(chart), width="100%"),
                rx.spacer(),
                rx.button(rx.icon("download", size=13), "CSV", size="1", variant="soft",
                          on_click=on_download(chart.key), class_name="chart-csv",
                          aria_label="Download " + chart.title + " as CSV"),
                width="100%", align="start",
            ),
            spacing="2", width="100%",
        ),
        width="100%", class_name="chart-card", data_chart=chart.key,
    )
