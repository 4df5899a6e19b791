"""The stock page's charts, from the ledger frames of `stock.history`: one product's on
hand, held and free over time (each point names its movement and the order a click
opens; counts marked with their variance), held vs free of the products at risk, count
variance by bin, and the products not counted for N days."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
from sqlmodel import Session

from dashboard.domain.columns import utcnow
from dashboard.services.overview.charts import Chart, bar, chart, figure, scatter
from dashboard.services.stock import history

WORDS = {"order_placed": "Order #{order} placed", "order_cancelled": "Order #{order} cancelled",
         "order_edited": "Order #{order} edited", "shipped": "Order #{order} shipped",
         "shipment_undone": "Order #{order}: shipment undone",
         "restocked": "Return of order #{order} restocked", "received": "{note}"}
SERIES = (("on_hand", "On hand"), ("held", "Held"), ("free", "Free"))


def _ints(values) -> list[int]:
    return [int(v) for v in values]


def movement_words(row: dict) -> str:
    """What a ledger row was, as its hover says: "Order #100012 shipped", "Shelf count:
    2 fewer than expected", "Delivery INV-7 from Acme", or the adjustment's reason."""
    if row["kind"] == "count":
        v = int(row["variance"])
        return "Shelf count: " + ("as expected" if v == 0 else
                                  f"{abs(v)} {'more' if v > 0 else 'fewer'} than expected")
    pattern = WORDS.get(row["reason"])
    if pattern and (row["order"] is not None or "{order}" not in pattern):
        return pattern.format(order=row["order"], note=row["note"])
    return f"Adjustment: {row['note']}" if row["note"] else "Adjustment"


def product_chart(frame, sku: str) -> Chart:
    """On hand, held and free after each movement of `sku` (step lines), counts as marks
    with their variance; hovering names the movement, a point's target is its order."""
    records = frame.to_dict("records")
    for r in records:
        r["order"] = None if r["order"] is None or r["order"] != r["order"] else int(r["order"])
    x = [r["at"].isoformat() for r in records]
    words = [movement_words(r) for r in records]
    orders = [r["order"] for r in records]
    traces = [scatter(x, [int(r[column]) for r in records], name, mode="lines+markers",
                      line={"shape": "hv"}, hovertext=words,
                      hovertemplate="%{hovertext}<br>" + name + " %{y}<extra></extra>")
              for column, name in SERIES]
    counted = [r for r in records if r["kind"] == "count"]
    traces.append(scatter([r["at"].isoformat() for r in counted],
                          [int(r["on_hand"]) for r in counted], "Counts", mode="markers+text",
                          marker={"symbol": "diamond", "size": 11},
                          text=[f"{int(r['variance']):+d}" for r in counted],
                          textposition="top center",
                          hovertext=[movement_words(r) for r in counted],
                          hovertemplate="%{hovertext}<extra></extra>"))
    fig = figure(*traces, hovermode="closest", yaxis={"title": {"text": "units"}})
    table = frame[["at", "kind", "on_hand_delta", "held_delta", "on_hand", "held", "free"]].copy()
    table.insert(2, "movement", words)
    return chart(f"ledger-{sku}", f"{sku}: on hand, held and free", fig, table,
                 headings={"at": "When (UTC)", "kind": "Kind", "movement": "Movement",
                           "on_hand_delta": "On hand ±", "held_delta": "Held ±",
                           "on_hand": "On hand", "held": "Held", "free": "Free"},
                 formats={"at": lambda r: r["at"].strftime("%Y-%m-%d %H:%M")},
                 targets=[orders, orders, orders, [None] * len(counted)])


def at_risk_chart(frame) -> Chart:
    fig = figure(bar(frame["sku"], _ints(frame["held"]), "Held"),
                 bar(frame["sku"], _ints(frame["free"]), "Free"), barmode="group")
    return chart("at-risk", "Held vs free: products at or below their reorder point", fig,
                 frame, headings={"sku": "SKU", "name": "Product", "held": "Held",
                                  "free": "Free", "reorder_point": "Reorder point"})


def variance_chart(frame, since: datetime) -> Chart:
    fig = figure(bar(frame["bin"], _ints(frame["net"]), "Net (found − expected)"),
                 bar(frame["bin"], _ints(frame["drift"]), "Drift (units off)"), barmode="group")
    return chart("variance", f"Count variance by bin since {since:%d %b %Y}", fig, frame,
                 headings={"bin": "Bin", "counts": "Counts", "net": "Net", "drift": "Drift"})


def not_counted_chart(frame, days: int) -> Chart:
    shown = frame.head(history.MAX_PRODUCTS)
    fig = figure(bar(shown["sku"], [None if pd.isna(d) else int(d) for d in shown["days"]],
                     "Days since counted"))
    table = frame[["sku", "name", "bin", "days"]].copy()
    return chart("not-counted", f"Not counted for {days} days or more (or never)", fig, table,
                 headings={"sku": "SKU", "name": "Product", "bin": "Bin", "days": "Days"},
                 formats={"days": lambda r: "never" if pd.isna(r["days"]) else str(r["days"])})


def stock_charts(session: Session, *, q: str | None = None, only: str = "all",
                 since_days: int = 30, uncounted_days: int = 30,
                 now: datetime | None = None) -> list[Chart]:
    """The across-products charts of the stock page, following its search and filter.
    Reads only."""
    now = now or utcnow()
    since = now - timedelta(days=since_days)
    return [at_risk_chart(history.at_risk(session, q=q, only=only)),
            variance_chart(history.count_variance(session, since=since, q=q, only=only), since),
            not_counted_chart(history.not_counted(session, days=uncounted_days, q=q, only=only,
                                                  now=now), uncounted_days)]


def ledger_chart(session: Session, sku: str, *, since: datetime | None = None) -> Chart:
    """One product's ledger chart. NotFound for an unknown SKU."""
    return product_chart(history.product_history(session, sku, since=since), sku)
