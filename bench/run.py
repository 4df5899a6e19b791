"""`make bench`: order intake throughput on SQLite and PostgreSQL, beside two baselines.

For each database, in the same run:
  (a) engine  — the same writes as raw SQL transactions, 16 threads, no HTTP;
  (b) http    — a bare endpoint on the same server stack doing those raw SQL writes
                (bench/baseline_app.py, served by granian as Reflex's prod backend is);
  api         — POST /api/v1/orders: validation, ORM, idempotency, events, outbox.
Then a rush for the last units through the real API checks that nothing oversold.
The app's server is the production stack (`reflex run --env prod --backend-only`), the
load generator is wrk with 16 connections. Results: a table on stdout, bench/results.json.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.baseline import raw_place_order
from dashboard.services import accounts, stock
from dashboard.services.db import dispose_engines, get_engine, write_connection, write_session
from dashboard.services.migrations import migrate
from fulfil_testkit.factories import STAFF
from fulfil_testkit.pgcluster import PgCluster
from fulfil_testkit.servers import free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv's reflex and granian (.venv/bin under make bench)
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
SKUS = [f"BENCH-{i:02d}" for i in range(20)]
WRK_SCRIPT = ROOT / "bench" / "order.lua"


def prepare(url: str) -> str:
    """Migrate, add products with plenty of stock, return a fresh API key."""
    migrate(url)
    with write_session(url) as s:
        for sku in SKUS:
            stock.upsert_product(s, actor=STAFF, sku=sku, name=f"Bench {sku}", price="9.95",
                                 currency="AUD")
            stock.adjust_stock(s, actor=STAFF, sku=sku, delta=1_000_000, reason="bench")
        stock.upsert_product(s, actor=STAFF, sku="LAST-UNITS", name="Last units", price="5.00",
                             currency="AUD")
        stock.adjust_stock(s, actor=STAFF, sku="LAST-UNITS", delta=5, reason="bench")
        _, key = accounts.create_api_key(s, name="bench")
    return key


def engine_baseline(url: str) -> dict:
    """(a): raw SQL order writes from 16 threads for DURATION seconds."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + DURATION

    def worker(i: int) -> None:
        mine = []
        n = 0
        while time.perf_counter() < stop_at:
            sku = SKUS[(i * 7 + n) % len(SKUS)]
            n += 1
            t0 = time.perf_counter()
            with write_connection(url) as conn:
                raw_place_order(conn, sku=sku, quantity=1)
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    return {
        "orders_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        "requests": len(latencies),
        "errors": 0,
    }


class Server:
    """The production backend (granian, as `make run` serves it) on a free port."""

    def __init__(self, url: str) -> None:
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "PATH": f"{BIN}:{os.environ['PATH']}"}
        env.pop("REFLEX_REDIS_URL", None)  # one worker, as Reflex runs without Redis
        self.log = Path(tempfile.mkstemp(prefix="bench-server-", suffix=".log")[1])
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(self.command(), cwd=ROOT, env=env, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        try:
            wait_until_up(f"{self.base}/api/v1/health", self.proc, self.log, timeout=120)
        except RuntimeError:
            self.stop()
            raise

    def command(self) -> list[str]:
        return [str(BIN / "reflex"), "run", "--env", "prod",
                "--backend-only", "--backend-port", str(self.port), "--loglevel", "warning"]

    def stop(self) -> None:
        stop(self.proc)


class BaselineServer(Server):
    """bench/baseline_app.py on granian with the settings Reflex's prod backend gives it
    (ASGI, the app from a factory, one worker), on a free port."""

    def command(self) -> list[str]:
        return [str(BIN / "granian"), "--interface", "asgi", "--factory",
                "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1",
                "--log-level", "warning", "bench.baseline_app:create_app"]


def wrk(url: str, path: str, key: str, mode: str, seconds: int = DURATION) -> dict:
    env = {**os.environ, "BENCH_KEY": key, "BENCH_MODE": mode, "BENCH_SKUS": ",".join(SKUS)}
    out = subprocess.run(
        ["wrk", f"-t{min(2, CLIENTS)}", f"-c{CLIENTS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(WRK_SCRIPT),
         url + path],
        capture_output=True, text=True, env=env, check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["orders_per_s"] = round(result.pop("ok") / result.pop("seconds"), 1)
    return result


def oversell_check(url: str, base: str, key: str) -> dict:
    """16 clients for 3 s, all asking for the last 5 units of one SKU through the API."""
    result = wrk(base, "/api/v1/orders", key, "last", seconds=3)
    with get_engine(url).connect() as conn:
        on_hand, committed = conn.exec_driver_sql(
            "SELECT on_hand, committed FROM stock JOIN product ON product.id = stock.product_id "
            "WHERE sku = 'LAST-UNITS'").one()
        sold = conn.exec_driver_sql(
            "SELECT COALESCE(SUM(quantity), 0) FROM order_line WHERE sku = 'LAST-UNITS'").scalar()
        bad = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM stock WHERE committed > on_hand OR on_hand < 0").scalar()
    return {"attempts": result["requests"], "sold": int(sold), "on_hand": on_hand,
            "committed": committed, "rows_oversold": int(bad),
            "oversell": int(sold) > 5 or bad > 0}


def run_database(name: str, url: str) -> dict:
    key = prepare(url)
    figures = {"engine_baseline_a": engine_baseline(url)}
    dispose_engines()
    baseline = BaselineServer(url)
    try:
        wrk(baseline.base, "/api/v1/_bench/raw-order", key, "raw", seconds=2)  # warm-up
        figures["http_baseline_b"] = wrk(baseline.base, "/api/v1/_bench/raw-order", key, "raw")
    finally:
        baseline.stop()
        dispose_engines()
    server = Server(url)
    try:
        wrk(server.base, "/api/v1/orders", key, "api", seconds=2)  # warm-up
        figures["api"] = wrk(server.base, "/api/v1/orders", key, "api")
        figures["last_units_rush"] = oversell_check(url, server.base, key)
    finally:
        server.stop()
        dispose_engines()
    api, a, b = figures["api"], figures["engine_baseline_a"], figures["http_baseline_b"]
    figures["api_vs_engine_a"] = round(api["orders_per_s"] / a["orders_per_s"], 3)
    figures["api_vs_http_b"] = round(api["orders_per_s"] / b["orders_per_s"], 3)
    return figures


def order_intake() -> dict:
    """The foundation's figures: order intake on SQLite and PostgreSQL."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is missing: run `make setup`")
    results: dict = {"clients": CLIENTS, "seconds": DURATION, "databases": {}}
    workdir = Path(tempfile.mkdtemp(prefix="fulfil-bench-"))
    results["databases"]["sqlite"] = run_database("sqlite", f"sqlite:///{workdir / 'bench.db'}")
    cluster = PgCluster().start()
    try:
        cluster.sql("CREATE DATABASE bench")
        results["databases"]["postgresql"] = run_database("postgresql", cluster.url("bench"))
    finally:
        dispose_engines()
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return results


# Each area's figures: (name, module, function). BENCH_ONLY=order_intake,payments picks.
SECTIONS = [
    ("order_intake", "bench.run", "order_intake"),
    ("payments", "bench.payments", "run"),
    ("documents", "bench.documents", "run"),
    ("search", "bench.search", "run"),
    ("board", "bench.board", "run"),
    ("picking", "bench.picking", "run"),
    ("overview", "bench.overview", "run"),
    ("webhooks", "bench.integrations", "run"),
]


def main() -> int:
    only = {x for x in os.environ.get("BENCH_ONLY", "").split(",") if x}
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    failed = False
    for name, module, function in SECTIONS:
        if only and name not in only:
            continue
        print(f"== {name}", file=sys.stderr, flush=True)
        try:
            results[name] = getattr(importlib.import_module(module), function)()
        except Exception as exc:  # one area's failure must not lose the others' figures
            results[name] = {"error": repr(exc)}
            failed = True
        dispose_engines()
    (ROOT / "bench" / "results.json").write_text(
        json.dumps(results, indent=2, default=str, ensure_ascii=False) + "\n"
    )
    print_results(results)
    intake = results.get("order_intake", {}).get("databases", {})
    failed = failed or any(db["last_units_rush"]["oversell"] for db in intake.values())
    return 1 if failed else 0


def print_results(results: dict) -> None:
    for name, figures in results.items():
        if name == "machine":
            continue
        if "error" in figures:
            print(f"\n{name}: FAILED {figures['error']}")
        elif name == "order_intake":
            print_table(figures)
        else:
            module = importlib.import_module(dict((n, m) for n, m, _ in SECTIONS)[name])
            if hasattr(module, "print_table"):
                module.print_table(figures)
            else:
                print(f"\n{name}:\n" + json.dumps(figures, indent=2, default=str,
                                                    ensure_ascii=False))
    print("\nwritten to bench/results.json")


def print_table(results: dict) -> None:
    print(f"\nOrder intake, {results['clients']} concurrent clients, {results['seconds']} s "
          f"per run\n")
    print(f"{'database':<11} {'path':<28} {'orders/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for db, f in results["databases"].items():
        for label, key in (("(a) raw SQL, no HTTP", "engine_baseline_a"),
                           ("(b) raw SQL endpoint", "http_baseline_b"),
                           ("POST /api/v1/orders", "api")):
            r = f[key]
            print(f"{db:<11} {label:<28} {r['orders_per_s']:>9} {r['p50_ms']:>8} "
                  f"{r['p95_ms']:>8} {r['errors']:>7}")
        rush = f["last_units_rush"]
        print(f"{db:<11} api/b = {f['api_vs_http_b']:.2f}   api/a = {f['api_vs_engine_a']:.3f}   "
              f"last 5 units: {rush['attempts']} attempts, {rush['sold']} sold, "
              f"oversell={'YES' if rush['oversell'] else 'no'}")


if __name__ == "__main__":
    sys.exit(main())
