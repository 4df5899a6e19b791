"""Webhook figures for `make bench`, each beside a baseline measured in the same run.

- intake with webhooks: 1,000 orders placed through `orders.place_order` (4 threads)
  while three endpoints are subscribed to order.created, beside 1,000 placed with the
  endpoints disabled — in 20 alternating rounds of 50, so both see the same database
  size and the same load on a shared machine, with a control (the plain path measured
  twice) that shows how much the machine alone moves the ratio; the ratio is the cost of writing each order's event (its payload read inside the
  transaction) and its three deliveries. Target >= 0.9x.
- delivery: the time until all 3,000 deliveries are acknowledged by three local
  receivers, through the outbox worker's own passes (`integrations.drain`), signed.

On SQLite and on a throwaway PostgreSQL. `run()` returns the figures; `python -m
bench.integrations` prints them.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

from bench.run import SKUS, prepare
from dashboard.domain.accounts import Principal
from dashboard.domain.integrations import WebhookDelivery
from dashboard.services import integrations, orders
from dashboard.services.db import dispose_engines, get_engine, write_session
from fulfil_testkit.factories import STAFF, order_in
from fulfil_testkit.pgcluster import PgCluster
from fulfil_testkit.webhook_receiver import Receiver

ORDERS = int(os.environ.get("BENCH_WEBHOOK_ORDERS", "1000"))
ROUNDS = 20  # finely interleaved: a shared machine's load swings more than the cost
THREADS = 4
ENDPOINTS = 3
OWNER = Principal.system("bench")


def _place(url: str, count: int) -> float:
    """Seconds to place `count` orders from THREADS threads."""
    per = [count // THREADS + (1 if i < count % THREADS else 0) for i in range(THREADS)]

    def worker(i: int) -> None:
        for n in range(per[i]):
            with write_session(url) as s:
                orders.place_order(s, actor=STAFF, order_in=order_in(
                    (SKUS[(i * 7 + n) % len(SKUS)], 1), email=f"bench{i}@example.com"))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def _set_enabled(url: str, ids: list[int], enabled: bool) -> None:
    for endpoint_id in ids:
        with write_session(url) as s:
            integrations.set_enabled(s, by=OWNER, endpoint_id=endpoint_id, enabled=enabled)


def run_database(url: str) -> dict:
    prepare(url)  # the intake figures' shop: products with plenty of stock
    receivers = [Receiver().start() for _ in range(ENDPOINTS)]
    try:
        ids = []
        for r in receivers:
            with write_session(url) as s:
                endpoint, _ = integrations.add_endpoint(s, by=OWNER, url=r.url,
                                                        events=["order.created"])
                ids.append(endpoint.id)
        _place(url, 50)  # warm-up (with webhooks), delivered below with the rest
        rounds: list[tuple[float, float, float]] = []
        per_round = ORDERS // ROUNDS
        for _ in range(ROUNDS):
            _set_enabled(url, ids, False)
            plain = _place(url, per_round)
            _set_enabled(url, ids, True)
            hooked = _place(url, per_round)
            _set_enabled(url, ids, False)
            # the same measurement twice (no webhooks either time): the noise floor
            rounds.append((plain, hooked, _place(url, per_round)))
        without, with_ = sum(r[0] for r in rounds), sum(r[1] for r in rounds)
        control = sum(r[2] for r in rounds)
        _set_enabled(url, ids, True)  # what waited while disabled is sent too
        total = per_round * ROUNDS
        expected = (total + 50) * ENDPOINTS  # the warm-up's orders are sent too
        t0 = time.perf_counter()
        result = integrations.drain(url, max_passes=10_000)
        seconds = time.perf_counter() - t0
        with get_engine(url).connect() as conn:
            delivered = conn.execute(sa.select(sa.func.count()).select_from(
                WebhookDelivery.__table__).where(
                WebhookDelivery.__table__.c.status == "delivered")).scalar()
        received = sum(len(r.ok()) for r in receivers)
    finally:
        for r in receivers:
            r.stop()
    return {
        "orders_each_way": total,
        "intake_without_webhooks_orders_per_s": round(total / without, 1),
        "intake_with_3_endpoints_orders_per_s": round(total / with_, 1),
        "intake_ratio": round(without / with_, 3),
        "intake_ratio_median_round": round(statistics.median(a / b for a, b, _ in rounds), 3),
        "control_ratio_same_path_twice": round(without / control, 3),
        "deliveries_expected": expected,
        "deliveries_acknowledged": delivered,
        "requests_received": received,
        "delivery_seconds": round(seconds, 2),
        "deliveries_per_s": round(delivered / seconds, 1) if seconds else None,
        "delivery_errors": len(result.errors),
    }


def run() -> dict:
    results: dict = {"threads": THREADS, "endpoints": ENDPOINTS, "databases": {}}
    workdir = Path(tempfile.mkdtemp(prefix="fulfil-bench-hooks-"))
    old = os.environ.get("WEBHOOKS_ALLOW_PRIVATE")
    os.environ["WEBHOOKS_ALLOW_PRIVATE"] = "1"  # the receivers are on this machine
    try:
        results["databases"]["sqlite"] = run_database(f"sqlite:///{workdir / 'hooks.db'}")
        dispose_engines()
        cluster = PgCluster().start()
        try:
            cluster.sql("CREATE DATABASE hooks")
            results["databases"]["postgresql"] = run_database(cluster.url("hooks"))
        finally:
            dispose_engines()
            cluster.stop()
    finally:
        if old is None:
            os.environ.pop("WEBHOOKS_ALLOW_PRIVATE", None)
        else:
            os.environ["WEBHOOKS_ALLOW_PRIVATE"] = old
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def print_table(results: dict) -> None:
    print(f"\nWebhooks: {results['endpoints']} endpoints on order.created, "
          f"{results['threads']} threads placing orders\n")
    print(f"{'database':<11} {'orders':>6} {'no hooks/s':>10} {'hooks/s':>8} {'ratio':>6} "
          f"{'median':>6} {'A/A':>6} {'acked':>6} {'of':>6} {'deliver s':>9} {'per s':>7}")
    for db, f in results["databases"].items():
        print(f"{db:<11} {f['orders_each_way']:>6} "
              f"{f['intake_without_webhooks_orders_per_s']:>10} "
              f"{f['intake_with_3_endpoints_orders_per_s']:>8} {f['intake_ratio']:>6} "
              f"{f['intake_ratio_median_round']:>6} {f['control_ratio_same_path_twice']:>6} "
              f"{f['deliveries_acknowledged']:>6} {f['deliveries_expected']:>6} "
              f"{f['delivery_seconds']:>9} {f['deliveries_per_s']:>7}")


if __name__ == "__main__":
    figures = run()
    print(json.dumps(figures, indent=2))
    print_table(figures)
    sys.exit(0)
