"""A chart as the browser gets it: its plotly figure as JSON, its table's cells; the CSV
and what a click opens stay on the server."""

from __future__ import annotations

import dataclasses

import reflex as rx

from dashboard.services.overview import Chart


@dataclasses.dataclass
class ChartView:
    key: str
    title: str
    figure: dict
    columns: list[str]
    rows: list[list[str]]
    empty: bool

    @classmethod
    def of(cls, chart: Chart) -> ChartView:
        return cls(chart.key, chart.title, chart.figure, chart.columns,
                   chart.rows, chart.empty)


def target(targets: list[list[int | None]], points: list) -> int | None:
    """The order a clicked point opens, from the server's own list (the browser only says
    which trace and point it clicked)."""
    for point in points or []:
        try:
            trace, index = int(point["curveNumber"]), int(point["pointNumber"])
        except (KeyError, TypeError, ValueError):
            continue
        inside = 0 <= trace < len(targets) and 0 <= index < len(targets[trace])
        if inside and targets[trace][index] is not None:
            return targets[trace][index]
    return None


def csv_download(csvs: dict[str, str], key: str, filename: str):
    """The CSV of chart `key` as a download (from the server's copy), or a toast."""
    csv = csvs.get(str(key))
    if csv is None:
        return rx.toast.error("That chart is not on the page.")
    return rx.download(data=csv, filename=filename)
