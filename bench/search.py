"""Order search and filters at scale: p50/p95 of `services.search.search_orders` on
SQLite and PostgreSQL, beside the raw indexed SQL query that returns the same page.

The shop is generated with bulk SQL inserts (not the services): 200 products, one
customer per four orders (a tenth with Chinese names), orders over two years with the
status mix of a running shop and one to three lines each. Each query kind runs on fresh
random parameters; both sides must return the same order numbers.

    python -m bench.search                     # 100k orders
    BENCH_SEARCH_SIZES=100000,1000000 python -m bench.search
`run()` returns the figures as a dict (bench/run.py adds them to results.json).
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from dashboard.config import merchant_timezone
from dashboard.services.db import dispose_engines, get_engine, read_session
from dashboard.services.migrations import migrate
from dashboard.services.orders import search
from fulfil_testkit.pgcluster import PgCluster

SIZES = [int(x) for x in os.environ.get("BENCH_SEARCH_SIZES", "100000").split(",") if x]
ROUNDS = int(os.environ.get("BENCH_SEARCH_ROUNDS", "40"))
SEED = 20261130
PRODUCTS = 200
BATCH = 20_000
STATUSES = [("completed", 70), ("shipped", 8), ("paid", 6), ("unpaid", 5), ("picking", 3),
            ("cancelled", 5), ("on_hold", 1), ("ready_for_pickup", 1), ("collected", 1)]
METHODS = [("card", 60), ("bank_transfer", 25), ("cheque", 5), ("pay_on_pickup", 10)]
FIRST = ["Ada", "Grace", "Alan", "Mary", "Olivia", "Noah", "Liam", "Emma", "Jack", "Chloe",
         "Lucas", "Mia", "Henry", "Ruby", "Oscar", "Isla", "Leo", "Zoe", "Arthur", "Ivy"]
LAST = ["Lovelace", "Hopper", "Turing", "Smith", "Nguyen", "Brown", "Wilson", "Taylor",
        "Martin", "Anderson", "Thompson", "White", "Harris", "Kelly", "Walker", "Young",
        "King", "Wright", "Scott", "Green", "Baker", "Hill", "Campbell", "Mitchell"]
CN_FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
CN_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


# --- the shop ---------------------------------------------------------------------------


def _customers(rng: random.Random, n: int) -> list[dict]:
    rows = []
    for i in range(1, n + 1):
        if rng.random() < 0.1:
            name = rng.choice(CN_FAMILY) + "".join(rng.choice(CN_GIVEN)
                                                   for _ in range(rng.choice((1, 2))))
            local = f"cn{i}"
        else:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name, local = f"{first} {last} {i}", f"{first}.{last}{i}".lower()
        phone = f"04{rng.randrange(10**8):08d}"
        phone = f"{phone[:4]} {phone[4:7]} {phone[7:]}"
        rows.append({"id": i, "email": f"{local}@example.com", "name": name, "phone": phone,
                     "created_at": datetime(2024, 1, 1)})
    return rows


def _load(url: str, orders: int) -> dict:
    """Fill a migrated database; returns the facts the query generator needs."""
    rng = random.Random(SEED)
    engine = get_engine(url)
    pg = engine.dialect.name == "postgresql"
    md = sa.MetaData()
    md.reflect(engine, only=["product", "stock", "customer", "address", "order", "order_line"])
    t = md.tables
    n_customers = max(orders // 4, 10)
    customers = _customers(rng, n_customers)
    now = datetime.now(UTC)
    if pg:
        for cu in customers:
            cu["created_at"] = cu["created_at"].replace(tzinfo=UTC)
    else:
        now = now.replace(tzinfo=None)
    t0 = time.perf_counter()
    with engine.begin() as c:
        if pg:  # build the trigram index once at the end, not row by row
            c.exec_driver_sql("DROP INDEX IF EXISTS ix_customer_search_trgm")
        c.execute(t["product"].insert(), [
            {"id": i, "sku": f"SKU-{i:04d}", "name": f"Product {i}", "price_minor": 500 + i * 7,
             "currency": "AUD", "barcode": f"93{i:011d}", "active": True,
             "created_at": now, "updated_at": now} for i in range(1, PRODUCTS + 1)])
        c.execute(t["stock"].insert(), [{"product_id": i, "on_hand": 10**6, "committed": 0,
                                         "updated_at": now} for i in range(1, PRODUCTS + 1)])
        for i in range(0, n_customers, BATCH):
            c.execute(t["customer"].insert(), customers[i:i + BATCH])
        addresses = [{"id": cu["id"], "customer_id": None, "name": cu["name"], "company": "",
                      "street_address_1": f"{cu['id']} George St", "street_address_2": "",
                      "city": "Sydney", "city_area": "", "country_area": "NSW",
                      "postal_code": "2000", "country": "AU", "phone": ""} for cu in customers]
        for i in range(0, n_customers, BATCH):
            c.execute(t["address"].insert(), addresses[i:i + BATCH])
        start = now - timedelta(days=730)
        step = timedelta(days=730) / orders
        line_id = 0
        for lo in range(0, orders, BATCH):
            order_rows, line_rows = [], []
            for k in range(lo, min(lo + BATCH, orders)):
                oid = k + 1
                method = _weighted(rng, METHODS)
                status = _weighted(rng, STATUSES)
                lines = []
                for sku_id in rng.sample(range(1, PRODUCTS + 1), rng.choice((1, 1, 2, 2, 3))):
                    line_id += 1
                    qty = rng.choice((1, 1, 1, 2, 3))
                    lines.append({"id": line_id, "order_id": oid, "product_id": sku_id,
                                  "sku": f"SKU-{sku_id:04d}", "name": f"Product {sku_id}",
                                  "unit_price_minor": 500 + sku_id * 7, "currency": "AUD",
                                  "quantity": qty, "quantity_shipped": 0,
                                  "quantity_returned": 0})
                total = sum(x["unit_price_minor"] * x["quantity"] for x in lines)
                cid = rng.randrange(1, n_customers + 1)
                placed = start + step * k + timedelta(seconds=rng.randrange(60))
                order_rows.append({
                    "id": oid, "number": 100000 + oid, "customer_id": cid, "status": status,
                    "payment_status": "unpaid" if status in ("unpaid", "cancelled") else "paid",
                    "payment_method": method,
                    "delivery_method": "pickup" if method == "pay_on_pickup"
                    or status in ("ready_for_pickup", "collected") else "courier",
                    "currency": "AUD", "subtotal_minor": total, "shipping_minor": 0,
                    "total_minor": total, "shipping_address_id": cid, "source": "bench",
                    "address_status": "valid", "placed_at": placed, "updated_at": placed,
                })
                line_rows += lines
            c.execute(t["order"].insert(), order_rows)
            c.execute(t["order_line"].insert(), line_rows)
        if pg:
            c.exec_driver_sql(
                "CREATE INDEX ix_customer_search_trgm ON customer "
                f"USING gin (({search.PG_SEARCH_TEXT}) gin_trgm_ops)")
            for table in ("order", "order_line", "customer", "product"):
                c.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                    f'(SELECT max(id) FROM "{table}"))')
    with engine.connect() as c:
        c.exec_driver_sql("ANALYZE")
        if pg:
            c.commit()
    load_s = time.perf_counter() - t0
    cn = [cu for cu in customers if cu["email"].startswith("cn")]
    return {"customers": customers, "chinese": cn, "orders": orders, "load_s": load_s,
            "first": start, "last": now}


# --- the queries --------------------------------------------------------------------------


def _kinds(rng: random.Random, shop: dict) -> dict[str, Callable[[], dict]]:
    cs, orders = shop["customers"], shop["orders"]
    tz = merchant_timezone()

    def month() -> str:
        d = shop["first"] + (shop["last"] - shop["first"]) * rng.random()
        return (d if d.tzinfo else d.replace(tzinfo=UTC)).astimezone(tz).strftime("%Y-%m")

    def week() -> tuple[date, date]:
        d = (shop["first"] + (shop["last"] - shop["first"]) * rng.random()).date()
        return d, d + timedelta(days=6)

    return {
        "number": lambda: {"q": str(100000 + rng.randrange(1, orders + 1))},
        "phone": lambda: {"q": "+61 " + rng.choice(cs)["phone"].replace(" ", "")[1:]},
        "phone_part": lambda: {"q": rng.choice(cs)["phone"][-7:]},
        "name": lambda: {"q": rng.choice(cs)["name"]},
        "chinese_name": lambda: {"q": rng.choice(shop["chinese"])["name"]},
        "email": lambda: {"q": rng.choice(cs)["email"]},
        "sku": lambda: {"q": f"SKU-{rng.randrange(1, PRODUCTS + 1):04d}"},
        "status": lambda: {"status": rng.choice(["unpaid", "picking", "paid", "on_hold"])},
        "method_delivery": lambda: {"payment_method": rng.choice(["cheque", "bank_transfer"]),
                                    "delivery_method": "courier"},
        "month": lambda: {"month": month()},
        "date_range": lambda: dict(zip(("date_from", "date_to"), week(), strict=True)),
        "status_month": lambda: {"status": "completed", "month": month()},
    }


SEARCH_KINDS = {"number", "phone", "phone_part", "name", "chinese_name", "email", "sku"}


def _raw(conn: sa.Connection, pg: bool, params: dict) -> list[int]:
    """The same first page as one hand-written statement on the same indexes."""
    where, binds = [], {}
    count_match = None
    q = (params.get("q") or "").strip()
    if q:
        match = []
        if q.isdecimal() and len(q) < 12:
            match.append("o.number = :n")
            binds["n"] = int(q)
        if search.is_phone_like(q):
            d = search.phone_digits(q)
            if pg:
                match.append("o.customer_id IN (SELECT id FROM customer WHERE "  # noqa: S608
                             f"{search.PG_SEARCH_TEXT} LIKE :pl AND regexp_replace("
                             "coalesce(phone, ''), '[^0-9]', '', 'g') LIKE :pl)")
                binds["pl"] = f"%{d}%"
            else:
                match.append("o.customer_id IN (SELECT rowid FROM customer_search WHERE "
                             "customer_search MATCH :pf)")
                binds["pf"] = f'phone : "{d}"'
        elif q.upper().startswith("SKU-"):  # every SKU here is popular: probe newest first
            match.append("EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = o.id "
                         "AND l.sku = :sku)")
            count_match = "o.id IN (SELECT order_id FROM order_line WHERE sku = :sku)"
            binds["sku"] = q.upper()
        elif len(q) >= 3:
            words = [w for w in q.lower().split() if len(w) >= 3]
            if pg:
                match.append("o.customer_id IN (SELECT id FROM customer WHERE " + " AND ".join(  # noqa: S608
                    f"{search.PG_SEARCH_TEXT} LIKE :w{i}" for i in range(len(words))) + ")")
                binds.update({f"w{i}": f"%{w}%" for i, w in enumerate(words)})
            else:
                match.append("o.customer_id IN (SELECT rowid FROM customer_search WHERE "
                             "customer_search MATCH :fts)")
                binds["fts"] = " AND ".join(f'"{w}"' for w in words)
        else:
            match.append("o.customer_id IN (SELECT id FROM customer WHERE name >= :p AND "
                         "name < :p_hi)")
            binds.update(p=q, p_hi=q + "\U0010ffff")
        where.append("(" + " OR ".join(match) + ")")
    for key in ("status", "payment_method", "delivery_method"):
        if params.get(key):
            where.append(f"o.{key} = :{key}")
            binds[key] = params[key]
    tz = merchant_timezone()
    if params.get("month"):
        lo, hi = search.month_range(params["month"])
        where += ["o.placed_at >= :lo", "o.placed_at < :hi"]
        binds.update(lo=lo, hi=hi)
    if params.get("date_from"):
        where += ["o.placed_at >= :df", "o.placed_at < :dt"]
        binds.update(df=datetime.combine(params["date_from"], datetime.min.time(), tzinfo=tz),
                     dt=datetime.combine(params["date_to"] + timedelta(days=1),
                                         datetime.min.time(), tzinfo=tz))
    for k in ("lo", "hi", "df", "dt"):
        if k in binds:
            v = binds[k].astimezone(UTC)
            binds[k] = v if pg else v.replace(tzinfo=None)
    clause = " AND ".join(where) or "1=1"
    count_clause = clause
    if count_match:
        count_clause = clause.replace(match[-1], count_match)
    rows = conn.execute(sa.text(
        f'SELECT o.number FROM "order" o JOIN customer c ON c.id = o.customer_id WHERE {clause} '  # noqa: S608
        "ORDER BY o.placed_at DESC, o.id DESC LIMIT 50"), binds).scalars().all()
    conn.execute(sa.text(
        f'SELECT count(*) FROM (SELECT 1 FROM "order" o WHERE {count_clause} LIMIT {search.COUNT_LIMIT + 1}) x'),  # noqa: S608
        binds).scalar_one()
    return list(rows)


def _pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000, 2)


def measure(url: str, shop: dict) -> dict:
    rng = random.Random(SEED + 1)
    pg = url.startswith("postgresql")
    kinds = _kinds(rng, shop)
    out: dict[str, dict] = {}
    groups: dict[str, dict[str, list[float]]] = {
        "search": {"service": [], "raw": []}, "filter": {"service": [], "raw": []}}
    mismatches = 0
    with read_session(url) as session:
        search.search_orders(session, search.OrderSearch())  # warm the connection and caches
        for kind, make in kinds.items():
            service_t, raw_t = [], []
            for _ in range(ROUNDS):
                params = make()
                t0 = time.perf_counter()
                page = search.search_orders(session, search.OrderSearch(**params))
                service_t.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                raw = _raw(session.connection(), pg, params)
                raw_t.append(time.perf_counter() - t0)
                if [r["number"] for r in page.rows] != raw:
                    mismatches += 1
            group = "search" if kind in SEARCH_KINDS else "filter"
            groups[group]["service"] += service_t
            groups[group]["raw"] += raw_t
            out[kind] = {"p50_ms": _pct(service_t, 0.5), "p95_ms": _pct(service_t, 0.95),
                         "raw_p50_ms": _pct(raw_t, 0.5), "raw_p95_ms": _pct(raw_t, 0.95)}
    summary = {
        group: {"p50_ms": _pct(v["service"], 0.5), "p95_ms": _pct(v["service"], 0.95),
                "raw_p50_ms": _pct(v["raw"], 0.5), "raw_p95_ms": _pct(v["raw"], 0.95)}
        for group, v in groups.items()
    }
    return {"kinds": out, **summary, "mismatches": mismatches, "rounds": ROUNDS}


def _one(url: str, size: int) -> dict:
    migrate(url)
    shop = _load(url, size)
    figures = measure(url, shop)
    dispose_engines()
    return {"orders": size, "customers": len(shop["customers"]),
            "load_s": round(shop["load_s"], 1), **figures}


def run() -> dict:
    results: dict[str, dict] = {}
    tmp = Path(tempfile.mkdtemp(prefix="bench-search-"))
    for size in SIZES:
        results.setdefault("sqlite", {})[str(size)] = _one(f"sqlite:///{tmp / f's{size}.db'}",
                                                          size)
        (tmp / f"s{size}.db").unlink(missing_ok=True)
    cluster = PgCluster().start()
    try:
        for size in SIZES:
            name = f"search{size}"
            cluster.sql(f"CREATE DATABASE {name}")
            results.setdefault("postgresql", {})[str(size)] = _one(cluster.url(name), size)
            cluster.sql(f"DROP DATABASE {name} WITH (FORCE)")
    finally:
        dispose_engines()
        cluster.stop()
    return {"search": results}


def _table(results: dict) -> str:
    lines = [f"{'database':<11}{'orders':>9}  {'group/kind':<16}{'p50':>8}{'p95':>8}"
             f"{'raw p50':>9}{'raw p95':>9}  (ms)"]
    for db, by_size in results["search"].items():
        for size, r in by_size.items():
            for name in ("search", "filter", *r["kinds"]):
                f = r[name] if name in ("search", "filter") else r["kinds"][name]
                lines.append(f"{db:<11}{int(size):>9,}  {name:<16}{f['p50_ms']:>8}"
                             f"{f['p95_ms']:>8}{f['raw_p50_ms']:>9}{f['raw_p95_ms']:>9}")
            lines.append(f"{'':<22}load {r['load_s']} s, {r['mismatches']} mismatching pages")
    return "\n".join(lines)


if __name__ == "__main__":
    figures = run()
    print(_table(figures))
    if os.environ.get("BENCH_JSON"):
        json.dump(figures, sys.stdout, indent=2)
