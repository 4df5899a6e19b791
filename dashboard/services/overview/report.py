"""The overview page's content: today's headline figures and every chart of a period, each
with its table and CSV. Owners and staff (the caller checks). Reads only, in one session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from dashboard.domain import money
from dashboard.domain.columns import utcnow
from dashboard.services.overview import flow, sales
from dashboard.services.overview.charts import (
    Chart,
    bar,
    chart,
    figure,
    main_currency,
    major,
    money_cell,
    scatter,
)
from dashboard.services.overview.periods import Period, period

METHOD_WORDS = {"card": "Card", "bank_transfer": "Bank transfer", "cheque": "Cheque",
                "pay_on_pickup": "Pay on pickup", "courier": "Courier", "pickup": "Pickup"}


@dataclass(frozen=True, slots=True)
class Overview:
    period: Period
    today: dict[str, str]  # headline figure -> its text
    charts: list[Chart]


def _words(value: str) -> str:
    return METHOD_WORDS.get(value, value.replace("_", " ").capitalize() if value else "—")


def _numbers(values) -> list[float | None]:
    return [None if v is None or v != v else round(float(v), 2) for v in values]


def _per_day(totals, by: str, what: str) -> Chart:
    currency = main_currency(totals, "revenue_minor") if what == "revenue" else ""
    shown = totals[totals["currency"] == currency] if currency else totals
    traces = []
    for method, group in shown.groupby(by):
        if what == "orders":
            group = group.groupby("day", as_index=False)["orders"].sum()
        traces.append(bar([d.isoformat() for d in group["day"]],
                          [int(n) for n in group["orders"]] if what == "orders"
                          else major(group["revenue_minor"], currency), _words(method)))
    title = {"orders": "Orders per day", "revenue": "Revenue per day"}[what]
    title += " by " + ("payment" if by == "payment_method" else "delivery") + " method"
    if currency:
        title += f" ({currency})"
    table = totals[["day", by, "currency", "orders", "revenue_minor"]].copy()
    table[by] = table[by].map(_words)
    return chart(f"{what}-{by.split('_')[0]}", title, figure(*traces, barmode="stack"), table,
                 headings={"day": "Day", by: "Method", "currency": "Currency",
                           "orders": "Orders", "revenue_minor": "Revenue"},
                 formats={"revenue_minor": money_cell("revenue_minor")})


def _queues(frame) -> Chart:
    traces = [scatter([t.isoformat() for t in group["at"]], [int(n) for n in group["orders"]],
                      queue, mode="lines+markers")
              for queue, group in frame.groupby("queue", sort=False)]
    table = frame[["at", "queue", "orders"]].copy()
    return chart("queues", "The queues over time", figure(*traces), table,
                 headings={"at": "At", "queue": "Queue", "orders": "Orders"},
                 formats={"at": lambda r: r["at"].strftime("%Y-%m-%d %H:%M UTC")})


def _stages(frame) -> Chart:
    fig = figure(bar(frame["stage"], _numbers(frame["median_hours"]), "Median"),
                 bar(frame["stage"], _numbers(frame["p90_hours"]), "90th percentile"),
                 barmode="group", yaxis={"title": {"text": "business hours"}})
    return chart("stages", "Time between steps (business hours)", fig, frame,
                 headings={"stage": "Step", "orders": "Orders", "median_hours": "Median (h)",
                           "p90_hours": "90th percentile (h)"})


def _ageing(frame) -> Chart:
    traces = []
    for age in [a for a, _ in sales.AGE_BANDS]:
        part = frame[frame["age"] == age].groupby("payment_method", as_index=False)["orders"].sum()
        traces.append(bar([_words(m) for m in part["payment_method"]],
                          [int(n) for n in part["orders"]], age))
    table = frame.copy()
    table["payment_method"] = table["payment_method"].map(_words)
    return chart("unpaid", "Unpaid orders by age and method", figure(*traces, barmode="stack"),
                 table,
                 headings={"payment_method": "Method", "age": "Age", "currency": "Currency",
                           "orders": "Orders", "value_minor": "Value"},
                 formats={"value_minor": money_cell("value_minor")})


def _top(frame) -> Chart:
    fig = figure(bar([int(n) for n in frame["units"]], frame["sku"], "Units", orientation="h"),
                 yaxis={"autorange": "reversed"})
    return chart("top", "Top products", fig, frame,
                 headings={"sku": "SKU", "name": "Product", "currency": "Currency",
                           "units": "Units", "revenue_minor": "Revenue", "returned": "Returned",
                           "returns_rate": "Returns rate"},
                 formats={"revenue_minor": money_cell("revenue_minor"),
                          "returns_rate": lambda r: f"{r['returns_rate']:.0%}"})


def _late(frame) -> Chart:
    fig = figure(*(bar(frame["lane"], [int(n) for n in frame[column]], name)
                   for column, name in (("late", "Late (amber or red)"),
                                        ("overdue", "Overdue (red)"))), barmode="group")
    return chart("late", "Late orders by lane", fig, frame,
                 headings={"lane": "Lane", "orders": "Orders", "late": "Late",
                           "overdue": "Overdue"})


def _today(session: Session, now: datetime, late, unpaid) -> dict[str, str]:
    per_day = sales.orders_per_day(session, period("day", now=now))
    revenue = per_day.groupby("currency")["revenue_minor"].sum()
    return {
        "Orders today": str(int(per_day["orders"].sum())),
        "Revenue today": " + ".join(money.display(int(v), c) for c, v in revenue.items()) or "—",
        "Unpaid now": str(int(unpaid["orders"].sum())),
        "Late now": str(int(late["late"].sum())),
    }


def load_overview(session: Session, *, kind: str = "week", anchor: date | None = None,
                  now: datetime | None = None) -> Overview:
    """Today's figures and the charts of the day, week or month holding `anchor` (default
    today), in the merchant's time zone."""
    now = now or utcnow()
    p = period(kind, anchor, now=now)
    per_day = sales.orders_per_day(session, p)
    by_payment = sales.daily_totals(per_day, p, "payment_method")
    late = sales.late_by_lane(session, now=now)
    unpaid = sales.unpaid_ageing(session, now=now)
    charts = [
        _per_day(by_payment, "payment_method", "orders"),
        _per_day(by_payment, "payment_method", "revenue"),
        _per_day(sales.daily_totals(per_day, p, "delivery_method"), "delivery_method", "orders"),
        _queues(flow.queue_sizes(session, p, now=now)),
        _stages(flow.stage_times(session, p)),
        _ageing(unpaid),
        _top(sales.top_products(session, p)),
        _late(late),
    ]
    return Overview(p, _today(session, now, late, unpaid), charts)
