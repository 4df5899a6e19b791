"""A chart as the screens show it: a plotly figure built from a pandas frame, the same
figures as a table (header and text cells, money through money.display) and as CSV (money
in minor units beside its currency, so a spreadsheet sums it exactly). No Reflex.

Figures are plotly's JSON form (`{"data": [traces], "layout": {...}}`) built directly:
plotly.graph_objects validates every property in Python, which cost more than the SQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from dashboard.domain import money

LAYOUT = {"margin": {"l": 48, "r": 16, "t": 36, "b": 40}, "height": 300,
          "legend": {"orientation": "h", "y": -0.2}}


@dataclass(frozen=True, slots=True)
class Chart:
    key: str  # stable id: the page's element ids and the CSV file name
    title: str
    figure: dict  # plotly JSON: data (traces) and layout
    columns: list[str]
    rows: list[list[str]]
    csv: str
    # per trace, per point: the order number a click opens (None: nothing to open)
    targets: list[list[int | None]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows


def figure(*traces: dict, **layout) -> dict:
    return {"data": list(traces), "layout": layout}


def bar(x, y, name: str, **props) -> dict:
    return {"type": "bar", "x": list(x), "y": list(y), "name": name, **props}


def scatter(x, y, name: str, **props) -> dict:
    return {"type": "scatter", "x": list(x), "y": list(y), "name": name, **props}


def cells(frame: pd.DataFrame, formats: dict[str, Callable] | None = None) -> list[list[str]]:
    """Each row's cells as text; `formats` maps a column to how its value is written."""
    formats = formats or {}
    columns = list(frame.columns)
    out = []
    for values in frame.itertuples(index=False, name=None):
        record = dict(zip(columns, values, strict=True))
        out.append([_text(formats[c](record) if c in formats else record[c]) for c in columns])
    return out


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA \
            or value is pd.NaT:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def money_cell(amount: str, currency: str = "currency") -> Callable:
    return lambda r: money.display(int(r[amount]), r[currency]) if r[currency] else "—"


def chart(key: str, title: str, fig: dict, frame: pd.DataFrame, *,
          headings: dict[str, str] | None = None, formats: dict[str, Callable] | None = None,
          targets: list[list[int | None]] | None = None) -> Chart:
    """A Chart of `figure` with `frame` as its table (columns renamed by `headings`)."""
    fig["layout"] = {**LAYOUT, "title": {"text": title, "font": {"size": 14}}, **fig["layout"]}
    headings = headings or {}
    return Chart(key, title, fig, [headings.get(c, c) for c in frame.columns],
                 cells(frame, formats), frame.to_csv(index=False), targets or [])


def major(minor: pd.Series, currency: str) -> list[str]:
    """Minor units as exact decimal strings for an axis ("25.00"; plotly reads numbers)."""
    return [money.format_amount(int(v), currency) for v in minor]


def main_currency(frame: pd.DataFrame, amount: str) -> str:
    """The currency with most of `amount` (the one a single-axis chart plots)."""
    if frame.empty or not frame["currency"].astype(bool).any():
        return ""
    return str(frame.groupby("currency")[amount].sum().idxmax())
