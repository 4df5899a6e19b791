"""Payments figures for `make bench`, each beside a baseline measured in the same run.

- statement: importing a 10,000-line bank statement against 50,000 unpaid orders —
  preview (read, sniff, match) and confirm (pay every matched order in one transaction) —
  beside a plain pandas merge of the same frames (lines with their extracted order number
  joined to the orders on number and amount), which is the bare cost of the matching.
- bulk mark-paid: `payments.mark_paid` for 1,000 orders in one call, beside raw SQL doing
  the same writes (conditional UPDATE, payment and event rows) in one transaction.

On SQLite and on a throwaway PostgreSQL. `run()` returns the figures; `python -m
bench.payments` prints them.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from dashboard.domain.customers import Address, Customer
from dashboard.domain.orders import Order, OrderEvent
from dashboard.domain.payments import Payment
from dashboard.services import payments
from dashboard.services.db import dispose_engines, get_engine, read_session, write_session
from dashboard.services.migrations import migrate
from dashboard.services.payments import lines_frame, read_file
from dashboard.services.payments.statements import match
from fulfil_testkit.factories import STAFF
from fulfil_testkit.pgcluster import PgCluster

ORDERS = 50_000
LINES = 10_000
BULK = 1_000
FIRST = 100_001


def seed_orders(url: str, count: int = ORDERS) -> None:
    """`count` unpaid bank-transfer orders (numbers from 100001), written in bulk."""
    migrate(url)
    rng = random.Random(5)
    now = datetime.now(UTC)
    with get_engine(url).begin() as conn:
        customer = conn.execute(sa.insert(Customer.__table__).returning(Customer.__table__.c.id),
                                {"email": "bench@example.com", "name": "Bench",
                                 "created_at": now}).scalar_one()
        address = conn.execute(sa.insert(Address.__table__).returning(Address.__table__.c.id), {
            "name": "Bench", "street_address_1": "1 George St", "city": "Sydney",
            "country": "AU", "company": "", "street_address_2": "", "city_area": "",
            "country_area": "NSW", "postal_code": "2000", "phone": ""}).scalar_one()
        rows = []
        for i in range(count):
            total = rng.randrange(500, 50_000)
            rows.append({
                "number": FIRST + i, "customer_id": customer, "status": "unpaid",
                "payment_status": "unpaid", "payment_method": "bank_transfer",
                "delivery_method": "courier", "currency": "AUD", "subtotal_minor": total,
                "shipping_minor": 0, "total_minor": total, "shipping_address_id": address,
                "source": "bench", "placed_at": now - timedelta(minutes=i),
                "updated_at": now,
            })
        for start in range(0, len(rows), 5000):
            conn.execute(sa.insert(Order.__table__), rows[start:start + 5000])
        conn.execute(sa.text("UPDATE order_number_counter SET last_number = :n"),
                     {"n": FIRST + count - 1})


def statement_csv(url: str, lines: int = LINES) -> bytes:
    """An Australian headerless export: 70% pay an order by number, 10% name an order with
    the wrong amount, 10% carry no number, 10% are debits."""
    rng = random.Random(11)
    with get_engine(url).connect() as conn:
        totals = dict(conn.execute(sa.text(
            "SELECT number, total_minor FROM \"order\" ORDER BY number")).all())
    numbers = rng.sample(sorted(totals), lines)
    out, balance = [], 100_000_00
    for i, number in enumerate(numbers):
        day = f"{3 + i % 20:02d}/11/2026"
        kind = i % 10
        if kind < 7:
            amount, text = totals[number], f"OSKO PAYMENT {number} THANKS {i}"
        elif kind == 7:
            amount, text = totals[number] + 100, f"TRANSFER REF {number} {i}"
        elif kind == 8:
            amount, text = totals[number], f"DIRECT CREDIT J SMITH {i}"
        else:
            amount, text = -rng.randrange(100, 10_000), f"CARD PURCHASE {i}"
        balance += amount
        out.append(f'"{day}","{amount / 100:+.2f}","{text}","{balance / 100:+.2f}"')
    return ("\n".join(out) + "\n").encode()


def statement_figures(url: str) -> dict:
    content = statement_csv(url)
    t0 = time.perf_counter()
    with read_session(url) as s:
        preview = match.preview(s, content=content, filename="bench.csv")
    preview_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    with write_session(url) as s:
        result = match.confirm(s, actor=STAFF, content=content, filename="bench.csv")
    confirm_s = time.perf_counter() - t0

    # Baseline: the same frames, joined by pandas alone (no classification, no database).
    statement = read_file(content)
    frame = lines_frame(statement, preview.mapping)
    with get_engine(url).connect() as conn:
        orders = pd.DataFrame(conn.execute(sa.text(
            "SELECT number, total_minor FROM \"order\"")).all(), columns=["number", "total_minor"])
    orders = orders.astype("int64")
    t0 = time.perf_counter()
    credits = frame[frame["amount_minor"] > 0]
    numbers = credits["text"].str.extract(r"(?<![0-9])([0-9]{5,10})(?![0-9])")[0]
    keyed = credits.assign(number=pd.to_numeric(numbers, errors="coerce")).dropna(subset=["number"])
    merged = keyed.astype({"number": "int64"}).merge(
        orders, left_on=["number", "amount_minor"], right_on=["number", "total_minor"])
    merge_s = time.perf_counter() - t0
    return {
        "lines": LINES, "unpaid_orders": ORDERS,
        "preview_s": round(preview_s, 3), "confirm_s": round(confirm_s, 3),
        "matched": preview.counts["matched"], "ambiguous": preview.counts["ambiguous"],
        "unmatched": preview.counts["unmatched"], "orders_paid": len(result.orders_paid),
        "baseline_pandas_merge_s": round(merge_s, 4), "baseline_matches": len(merged),
        "preview_vs_merge": round(preview_s / merge_s, 1) if merge_s else None,
    }


def _numbers_unpaid(url: str, count: int, offset: int) -> list[int]:
    with get_engine(url).connect() as conn:
        return [r[0] for r in conn.execute(sa.text(
            "SELECT number FROM \"order\" WHERE payment_status = 'unpaid' ORDER BY number "
            "LIMIT :n OFFSET :o"), {"n": count, "o": offset})]


def raw_mark_paid(url: str, numbers: list[int]) -> None:
    """The baseline: the same writes as `mark_paid`, as bare SQL in one transaction."""
    order, payment, event = Order.__table__, Payment.__table__, OrderEvent.__table__
    now = datetime.now(UTC)
    with get_engine(url).begin() as conn:
        rows = conn.execute(
            order.update().where(order.c.number.in_(numbers), order.c.payment_status == "unpaid")
            .values(payment_status="paid", status="paid", updated_at=now)
            .returning(order.c.id, order.c.total_minor)).all()
        conn.execute(sa.insert(payment), [
            {"order_id": oid, "method": "bank_transfer", "status": "confirmed",
             "amount_minor": total, "currency": "AUD", "reference": "RAW",
             "recorded_by": "bench", "created_at": now, "refunded_minor": 0,
             "needs_review": False} for oid, total in rows])
        conn.execute(sa.insert(event), [
            {"order_id": oid, "type": "payment_recorded", "actor": "bench", "actor_kind": "user",
             "created_at": now, "parameters": {"reference": "RAW"}} for oid, _ in rows])


def bulk_figures(url: str) -> dict:
    service_numbers = _numbers_unpaid(url, BULK, 0)
    raw_numbers = _numbers_unpaid(url, BULK, BULK)
    t0 = time.perf_counter()
    with write_session(url) as s:
        result = payments.mark_paid(s, actor=STAFF, numbers=service_numbers,
                                    reference="Bench deposit")
    service_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    raw_mark_paid(url, raw_numbers)
    raw_s = time.perf_counter() - t0
    return {"orders": BULK, "paid": len(result.done), "mark_paid_s": round(service_s, 3),
            "baseline_raw_sql_s": round(raw_s, 3),
            "service_vs_raw": round(service_s / raw_s, 2) if raw_s else None}


def run_database(url: str) -> dict:
    t0 = time.perf_counter()
    seed_orders(url)
    seeded = time.perf_counter() - t0
    figures = {"seed_s": round(seeded, 2), "statement_import": statement_figures(url)}
    figures["bulk_mark_paid"] = bulk_figures(url)
    return figures


def run() -> dict:
    """Both databases; the figures as a dict (bench/run.py adds them to results.json)."""
    results: dict = {}
    workdir = Path(tempfile.mkdtemp(prefix="fulfil-bench-payments-"))
    try:
        results["sqlite"] = run_database(f"sqlite:///{workdir / 'payments.db'}")
        dispose_engines()
        cluster = PgCluster().start()
        try:
            cluster.sql("CREATE DATABASE bench_payments")
            results["postgresql"] = run_database(cluster.url("bench_payments"))
        finally:
            dispose_engines()
            cluster.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def print_table(results: dict) -> None:
    print(f"\nPayments: a {LINES:,}-line statement against {ORDERS:,} unpaid orders; "
          f"bulk-marking {BULK:,} orders paid\n")
    print(f"{'database':<11} {'figure':<44} {'seconds':>9} {'baseline':>9}")
    for db, f in results.items():
        s, b = f["statement_import"], f["bulk_mark_paid"]
        print(f"{db:<11} {'statement preview (read + match)':<44} {s['preview_s']:>9} "
              f"{s['baseline_pandas_merge_s']:>9}  (pandas merge)")
        print(f"{db:<11} {'statement confirm (' + str(s['orders_paid']) + ' orders paid)':<44} "
              f"{s['confirm_s']:>9}")
        print(f"{db:<11} {'mark paid, ' + str(b['paid']) + ' orders in one call':<44} "
              f"{b['mark_paid_s']:>9} {b['baseline_raw_sql_s']:>9}  (raw SQL)")


if __name__ == "__main__":
    figures = run()
    print_table(figures)
    print(json.dumps(figures, indent=2), file=sys.stderr)
