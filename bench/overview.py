"""The overview's data and one product's ledger chart at scale, on SQLite and PostgreSQL,
each beside the raw aggregate SQL of the same figures in the same run.

The shop is bench.search's (orders over two years, bulk inserts), plus each order's
events (placed; paid and shipped where its status says so) and a ledger: one busy
product with BENCH_OVERVIEW_LEDGER movements among the rest. Measured:
- overview: `overview.load_overview` for the month (pandas shaping and plotly figures
  included), beside the raw aggregate SQL it stands on: the very statements it sent
  (per day and method, top products, unpaid ageing, queue changes, step times, lane
  counts), captured and re-run on the bare DBAPI cursor;
- ledger: `stock.ledger_chart` of the busy product (the newest 500 points), beside its
  window-sum query run the same way.

    python -m bench.overview                   # 100k orders
    BENCH_OVERVIEW_ORDERS=1000000 BENCH_OVERVIEW_LEDGER=5000000 python -m bench.overview
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench import search as shop_bench
from dashboard.services import overview, stock
from dashboard.services.db import dispose_engines, get_engine, read_session
from dashboard.services.migrations import migrate
from fulfil_testkit.pgcluster import PgCluster

ORDERS = int(os.environ.get("BENCH_OVERVIEW_ORDERS", "100000"))
LEDGER = int(os.environ.get("BENCH_OVERVIEW_LEDGER", "200000"))
ROUNDS = int(os.environ.get("BENCH_OVERVIEW_ROUNDS", "10"))
TARGET_MS, TARGET_RATIO = 300, 2.0
BATCH = 20_000
PAID = {"paid", "picking", "shipped", "completed", "on_hold", "ready_for_pickup", "collected"}
SHIPPED = {"shipped", "completed", "collected"}


def _events(url: str) -> None:
    """Each order's status events, and a ledger with one busy product (id 1)."""
    engine = get_engine(url)
    pg = engine.dialect.name == "postgresql"
    md = sa.MetaData()
    md.reflect(engine, only=["order", "order_event", "stock_movement"])
    o, e, m = md.tables["order"], md.tables["order_event"], md.tables["stock_movement"]
    rng = random.Random(7)
    with engine.begin() as c:
        rows = c.execute(sa.select(o.c.id, o.c.status, o.c.placed_at).order_by(o.c.id)).all()
        batch: list[dict] = []

        def event(oid, kind, at, **params):
            batch.append({"order_id": oid, "type": kind, "actor": "bench", "actor_kind": "system",
                          "created_at": at, "parameters": params})
            if len(batch) >= BATCH:
                c.execute(e.insert(), batch)
                batch.clear()

        for oid, status, placed in rows:
            event(oid, "placed", placed)
            paid_at = placed + timedelta(minutes=rng.randrange(5, 3000))
            if status in PAID:
                event(oid, "payment_recorded", paid_at, status="paid")
            if status in SHIPPED:
                event(oid, "shipped", paid_at + timedelta(minutes=rng.randrange(30, 4000)),
                      status=status if status != "completed" else "shipped")
            if status == "cancelled":
                event(oid, "cancelled", placed + timedelta(hours=30))
        if batch:
            c.execute(e.insert(), batch)
        now = datetime.now(UTC) if pg else datetime.now(UTC).replace(tzinfo=None)
        start = now - timedelta(days=730)
        step = timedelta(days=730) / max(LEDGER, 1)
        reasons = ["order_placed", "shipped", "order_placed", "order_cancelled"]
        for lo in range(0, LEDGER, BATCH):
            chunk = []
            for k in range(lo, min(lo + BATCH, LEDGER)):
                busy = k % 4 == 0  # a quarter of the ledger is the busy product's
                reason = reasons[k % 4] if k > 0 else "adjustment"
                chunk.append({"product_id": 1 if busy else 2 + k % 150,
                              "on_hand_delta": 10**6 if k == 0 else (-1 if reason == "shipped"
                                                                     else 0),
                              "committed_delta": {"order_placed": 1, "shipped": -1,
                                                  "order_cancelled": -1}.get(reason, 0),
                              "reason": reason, "order_id": None, "actor": "bench",
                              "note": None, "created_at": start + step * k})
            c.execute(m.insert(), chunk)
    with engine.connect() as c:
        c.exec_driver_sql("ANALYZE")
        if pg:
            c.commit()


@contextmanager
def _captured(engine):
    """Every statement (and its parameters) a call sends to the database."""
    seen: list[tuple[str, object]] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)


def _raw(conn: sa.Connection, statements: list[tuple[str, object]]) -> int:
    """The same SQL on the bare DBAPI cursor, rows fetched, nothing shaped: the baseline."""
    cursor = conn.connection.dbapi_connection.cursor()
    rows = 0
    for statement, parameters in statements:
        cursor.execute(statement, parameters)
        rows += len(cursor.fetchall()) if cursor.description else 0
    cursor.close()
    return rows


def _slowest(conn: sa.Connection, statements: list[tuple[str, object]], n: int = 3) -> list:
    """Which of the page's statements cost most (one run each): where the SQL time goes."""
    timed = []
    for statement, parameters in statements:
        t0 = time.perf_counter()
        _raw(conn, [(statement, parameters)])
        timed.append((round((time.perf_counter() - t0) * 1000, 1),
                      " ".join(statement.split())[:90]))
    return sorted(timed, reverse=True)[:n]


def _time(fn, rounds: int = ROUNDS) -> dict:
    fn()  # warm
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return {"p50_ms": round(statistics.median(samples) * 1000, 1),
            "max_ms": round(max(samples) * 1000, 1)}


def measure(url: str) -> dict:
    engine = get_engine(url)
    with read_session(url) as session:
        conn = session.connection()
        page = lambda: overview.load_overview(session, kind="month")  # noqa: E731
        chart = lambda: stock.ledger_chart(session, "SKU-0001")  # noqa: E731
        with _captured(engine) as page_sql:
            page()
        with _captured(engine) as chart_sql:
            chart()
        service = _time(page)
        raw = _time(lambda: _raw(conn, page_sql))
        ledger = _time(chart)
        ledger_raw = _time(lambda: _raw(conn, chart_sql))
        slowest = _slowest(conn, page_sql)
    out = {"statements": len(page_sql), "slowest_sql": slowest,
           "overview_month": service, "overview_raw_sql": raw,
           "ledger_chart": ledger, "ledger_raw_sql": ledger_raw}
    for name, base in (("overview", "overview_month"), ("ledger", "ledger_chart")):
        mine, theirs = out[base]["p50_ms"], out[base.split("_")[0] + "_raw_sql"]["p50_ms"]
        out[f"{name}_ratio"] = round(mine / theirs, 2) if theirs else None
        out[f"{name}_meets_target"] = mine < TARGET_MS and (mine <= TARGET_RATIO * theirs)
    return out


def _one(url: str) -> dict:
    migrate(url)
    t0 = time.perf_counter()
    shop_bench._load(url, ORDERS)
    _events(url)
    load_s = round(time.perf_counter() - t0, 1)
    figures = measure(url)
    dispose_engines()
    return {"orders": ORDERS, "ledger_rows": LEDGER, "load_s": load_s, **figures}


def run() -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-overview-"))
    results = {"sqlite": _one(f"sqlite:///{tmp / 'overview.db'}")}
    (tmp / "overview.db").unlink(missing_ok=True)
    cluster = PgCluster().start()
    try:
        cluster.sql("CREATE DATABASE overview")
        results["postgresql"] = _one(cluster.url("overview"))
    finally:
        dispose_engines()
        cluster.stop()
    return results


def print_table(results: dict) -> None:
    print(f"\nOverview and ledger chart (target < {TARGET_MS} ms and <= {TARGET_RATIO}x raw SQL)\n")
    print(f"{'database':<11}{'orders':>9}{'ledger':>10}  {'figure':<22}{'p50 ms':>8}"
          f"{'raw p50':>9}{'ratio':>7}  ok")
    for db, r in results.items():
        for name, mine, raw in (("overview (month)", "overview_month", "overview_raw_sql"),
                                ("ledger chart", "ledger_chart", "ledger_raw_sql")):
            key = "overview" if mine.startswith("overview") else "ledger"
            print(f"{db:<11}{r['orders']:>9,}{r['ledger_rows']:>10,}  {name:<22}"
                  f"{r[mine]['p50_ms']:>8}{r[raw]['p50_ms']:>9}{r[key + '_ratio']:>7}  "
                  f"{'yes' if r[key + '_meets_target'] else 'NO'}")
        for ms, sql in r["slowest_sql"]:
            print(f"{'':<11}  slowest statements: {ms:>7} ms  {sql}")


if __name__ == "__main__":
    figures = run()
    print_table(figures)
    if os.environ.get("BENCH_JSON"):
        json.dump(figures, sys.stdout, indent=2, default=str)
