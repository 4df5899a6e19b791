"""Board figures for `make bench`, each beside a baseline measured in the same run.

A shop with 5,000 open orders (and shipped history), built through the services, served
by the production app (`reflex run --env prod`) and driven from headless Chromium:

- board load: navigation to /board until the lanes show their cards, and the bytes the
  websocket carried for it (what one client's board state costs), beside the service's
  own read of the same view (`board.load_board`) and the raw SQL of counts plus the first
  window of each lane;
- move round-trip: a card moved with the keyboard until it shows in its new lane, beside
  `board.move_card` in-process and the raw SQL of the same writes;
- cross-browser update: the same move seen by a second browser, beside the same browser.

`run()` returns the figures; `python -m bench.board` prints them. BENCH_BOARD_ORDERS
changes the shop's size, BENCH_BOARD_MOVES the number of moves timed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from dashboard.domain.accounts import Principal, Role
from dashboard.domain.columns import utcnow
from dashboard.domain.orders import Order, OrderEvent, OrderStatus
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.services import accounts, board, orders, payments, shipping, stock
from dashboard.services.db import dispose_engines, get_engine, read_session, write_session
from dashboard.services.migrations import migrate
from fulfil_testkit.factories import SHOP, STAFF, order_in
from fulfil_testkit.servers import free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
OPEN_ORDERS = int(os.environ.get("BENCH_BOARD_ORDERS", "5000"))
MOVES = int(os.environ.get("BENCH_BOARD_MOVES", "30"))
EMAIL, PASSWORD = "bench-board@example.com", "bench-board-password"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# Where the open orders sit, roughly as a busy shop's day leaves them.
MIX = [("unpaid", 40), ("paid", 25), ("picking", 20), ("ready_for_pickup", 7), ("on_hold", 8)]
SHIPPED_TODAY = 0.15  # and, beside them, this many again already shipped today


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _summary(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    return {"p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
            "max_ms": round(ordered[-1], 1), "n": len(ordered)}


# --- the shop -----------------------------------------------------------------------------------


def seed(url: str, open_orders: int = OPEN_ORDERS) -> dict:
    """`open_orders` open orders spread over the lanes through the services (and 15% as
    many shipped today); returns counts."""
    migrate(url)
    rng = random.Random(11)
    with write_session(url) as s:
        for i in range(40):
            stock.upsert_product(s, actor=STAFF, sku=f"BB-{i:02d}", name=f"Board bench {i}",
                                 price=f"{rng.randrange(5, 90)}.95", currency="AUD")
            stock.adjust_stock(s, actor=STAFF, sku=f"BB-{i:02d}", delta=1_000_000,
                               reason="bench")
        accounts_made = _owner(s)
    lanes = [lane for lane, weight in MIX for _ in range(weight)]
    made: dict[str, int] = {}
    plan = [lanes[i % len(lanes)] for i in range(open_orders)]
    plan += ["shipped"] * int(open_orders * SHIPPED_TODAY)
    with write_session(url) as s:
        for i, lane in enumerate(plan):
            pickup = lane == "ready_for_pickup" or rng.random() < 0.1 and lane in ("unpaid",)
            method = rng.choice([PaymentMethod.BANK_TRANSFER, PaymentMethod.CARD,
                                 PaymentMethod.CHEQUE])
            lines = [(f"BB-{rng.randrange(40):02d}", rng.randrange(1, 4))
                     for _ in range(rng.randrange(1, 4))]
            number = orders.place_order(s, actor=SHOP, order_in=order_in(
                *dict(lines).items(), email=f"c{i % 700}@example.com", payment_method=method,
                delivery_method=DeliveryMethod.PICKUP if pickup else DeliveryMethod.COURIER,
            )).number
            _bring(s, number, lane)
            made[lane] = made.get(lane, 0) + 1
    return {"open_orders": open_orders, "by_lane": made, "owner": accounts_made,
            "orders": len(plan)}


def _owner(session) -> str:
    accounts.invite(session, email=EMAIL, role=Role.OWNER, password=PASSWORD,
                    by=Principal.system("bench"))
    return EMAIL


def _bring(s, number: int, lane: str) -> None:
    if lane == "unpaid":
        return
    if lane == "on_hold":
        orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.ON_HOLD,
                             reason="bench")
        return
    payments.mark_paid(s, actor=STAFF, numbers=[number], reference="BENCH")
    if lane == "paid":
        return
    orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.PICKING)
    if lane == "ready_for_pickup":
        orders.change_status(s, actor=STAFF, number=number, target=OrderStatus.READY_FOR_PICKUP)
    elif lane == "shipped":
        shipping.ship_lines(s, actor=STAFF, number=number, carrier="Sendle", tracking_number="B1",
                          notify_customer=False)


# --- in-process figures -------------------------------------------------------------------------


def service_load(url: str, repeat: int = 15) -> dict:
    """`board.load_board` (what one client's board costs the server) beside raw SQL."""
    samples, raw = [], []
    with read_session(url) as s:
        view = board.load_board(s)
        for _ in range(repeat):
            t0 = time.perf_counter()
            board.load_board(s)
            samples.append(_ms(time.perf_counter() - t0))
        conn = s.connection()
        o = Order.__table__
        for _ in range(repeat):
            t0 = time.perf_counter()
            conn.execute(sa.select(o.c.status, sa.func.count(), sa.func.sum(o.c.total_minor))
                         .group_by(o.c.status)).all()
            for statuses in (["unpaid"], ["paid"], ["picking", "partially_shipped"],
                             ["ready_for_pickup"], ["on_hold"], ["shipped"]):
                conn.execute(sa.select(o.c.number, o.c.total_minor, o.c.placed_at)
                             .where(o.c.status.in_(statuses))
                             .order_by(o.c.placed_at).limit(board.PAGE)).all()
            raw.append(_ms(time.perf_counter() - t0))
    from dashboard.state.board import card_row, lane_row

    columns = [lane_row(v, [card_row(c) for c in v.cards]) for v in view.lanes]
    return {"load_board": _summary(samples), "raw_sql": _summary(raw),
            "cards": sum(len(c["cards"]) for c in columns),
            "columns_json_bytes": len(json.dumps(columns, separators=(",", ":")))}


def service_moves(url: str, repeat: int = MOVES) -> dict:
    """`board.move_card` Paid <-> Picking in-process, beside raw SQL doing the same writes
    (a conditional status update and an event row in one transaction)."""
    with read_session(url) as s:
        numbers = s.exec(sa.select(Order.number).where(Order.status == "paid")
                         .order_by(Order.number).limit(2 * repeat)).scalars().all()
    service, raw = [], []
    engine = get_engine(url)
    for number in numbers[:repeat]:
        t0 = time.perf_counter()
        with write_session(url) as s:
            board.move_card(s, actor=STAFF, number=number, to_lane="picking",
                            expected_lane="paid")
        service.append(_ms(time.perf_counter() - t0))
    o, e = Order.__table__, OrderEvent.__table__
    for number in numbers[repeat:]:
        t0 = time.perf_counter()
        with engine.begin() as conn:
            order_id = conn.execute(
                o.update().where(o.c.number == number, o.c.status == "paid")
                .values(status="picking", updated_at=utcnow()).returning(o.c.id)).scalar_one()
            conn.execute(e.insert(), {"order_id": order_id, "type": "status_changed",
                                      "actor": "bench", "actor_kind": "user",
                                      "created_at": utcnow(),
                                      "parameters": {"from": "paid", "to": "picking"}})
        raw.append(_ms(time.perf_counter() - t0))
    return {"move_card": _summary(service), "raw_sql": _summary(raw)}


# --- in the browser -----------------------------------------------------------------------------


@contextmanager
def _build_lock():
    """The e2e tests' lock: one app build per checkout at a time (they share .web/)."""
    digest = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    with (Path(tempfile.gettempdir()) / f"fulfil-web-{digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def _app(url: str):
    port = free_port()
    base = f"http://localhost:{port}"
    env = {**os.environ, "DATABASE_URL": url, "CORS_ALLOWED_ORIGINS": base,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "OUTBOX_WORKER": "0", "PYTHONUNBUFFERED": "1"}
    env.pop("REFLEX_REDIS_URL", None)
    log = Path(tempfile.mkstemp(prefix="bench-board-", suffix=".log")[1])
    with _build_lock(), log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port",
             str(port), "--loglevel", "warning"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until_up(base + "/login", proc, log)
            yield base
        finally:
            stop(proc)


def _signed_in_page(browser, base: str):
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(base + "/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(re.compile(r"/orders/?$"))
    return page


def _open_board(page, base: str) -> tuple[float, int]:
    """Seconds from navigation to the first cards of every lane, and websocket bytes in."""
    received = []

    def on_socket(ws):
        ws.on("framereceived", lambda frame: received.append(len(frame)))

    page.on("websocket", on_socket)
    t0 = time.perf_counter()
    page.goto(base + "/board")
    page.wait_for_selector("#lane-on_hold .kb-card")
    page.wait_for_function("() => document.querySelectorAll('.kb-card').length >= 60")
    elapsed = time.perf_counter() - t0
    page.wait_for_timeout(300)
    page.remove_listener("websocket", on_socket)
    return elapsed, sum(received)


# Keeps (not awaits) a promise of when `sel` first shows (with `count`, when that element's
# data-count reads `count`); read later with _SEEN (a change that never shows counts as a
# minute late rather than hanging the bench).
_WATCH = """([sel, count]) => { window.__benchSeen = new Promise(resolve => {
    const seen = () => { const el = document.querySelector(sel);
                         return el && (count === null || el.dataset.count === String(count)); };
    if (seen()) return resolve(Date.now());
    const mo = new MutationObserver(() => { if (seen()) { mo.disconnect(); resolve(Date.now()); } });
    mo.observe(document.body, {subtree: true, childList: true, attributes: true});
}); }"""
_KEYDOWN = """() => { window.__benchKeydown = new Promise(resolve =>
    document.addEventListener("keydown", () => resolve(Date.now()), {capture: true, once: true})); }"""
_SEEN = """() => Promise.race([window.__benchSeen,
    new Promise(resolve => setTimeout(() => resolve(Date.now() + 60000), 10000))])"""


def _keyboard_move(a, b, number: int, source: str, target: str) -> tuple[float, float]:
    """Move with the keyboard in A; (ms until A shows the card in its new lane, ms until
    B's count of that lane goes up: B shows the oldest cards, not necessarily this one)."""
    count = f"#lane-{target} .kb-lane-count"
    expected = int(b.locator(count).get_attribute("data-count")) + 1
    # the card settled in its lane: the server answered (not the drop's optimistic preview)
    a.evaluate(_WATCH, [f'#lane-{target} [data-number="{number}"]:not(.kb-pending)', None])
    b.evaluate(_WATCH, [count, expected])
    # focus without scrolling: a scrolled lane would load more cards and grow the test
    a.locator(f'#lane-{source} [data-number="{number}"]').evaluate(
        "el => el.focus({preventScroll: true})")
    a.keyboard.press("Space")
    a.wait_for_timeout(120)
    a.keyboard.press("ArrowRight" if target == "picking" else "ArrowLeft")
    a.wait_for_timeout(250)  # the library animates the card into place
    # the clock starts when the drop's key reaches the page, not when this process sends it
    a.evaluate(_KEYDOWN)
    a.keyboard.press("Space")
    start = a.evaluate("() => window.__benchKeydown")
    own = a.evaluate(_SEEN) - start
    other = b.evaluate(_SEEN) - start
    return own, other


def browser_figures(url: str) -> dict:
    from playwright.sync_api import sync_playwright

    with _app(url) as base, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            a, b = _signed_in_page(chromium, base), _signed_in_page(chromium, base)
            loads, sizes = [], []
            for _ in range(5):
                elapsed, size = _open_board(a, base)
                loads.append(_ms(elapsed))
                sizes.append(size)
            _open_board(b, base)
            numbers = [int(n) for n in a.locator("#lane-paid .kb-card").evaluate_all(
                "els => els.map(e => e.dataset.number)")][:MOVES]
            own, other = [], []
            for number in numbers:
                for source, target in (("paid", "picking"), ("picking", "paid")):
                    mine, theirs = _keyboard_move(a, b, number, source, target)
                    own.append(mine)
                    other.append(theirs)
            return {
                "board_load": _summary(loads),
                "board_state_bytes": int(statistics.median(sizes)),
                "move_round_trip": _summary(own),
                "cross_browser_update": _summary(other),
            }
        finally:
            chromium.close()


def run() -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bench-board-"))
    url = f"sqlite:///{workdir / 'board.db'}"
    try:
        t0 = time.perf_counter()
        shop = seed(url)
        shop["seed_s"] = round(time.perf_counter() - t0, 1)
        results = {"shop": shop, "service": service_load(url)}
        dispose_engines()  # the server under test is the only one holding the database
        results["browser"] = browser_figures(url)
        results["service_moves"] = service_moves(url)
        return results
    finally:
        dispose_engines()
        shutil.rmtree(workdir, ignore_errors=True)


def print_table(results: dict) -> None:
    shop, svc, web, moves = (results["shop"], results["service"], results["browser"],
                             results["service_moves"])
    print(f"\nBoard, {shop['open_orders']:,} open orders (SQLite, one worker, headless Chromium)")
    rows = [
        ("board load in the browser", web["board_load"], "load_board in-process",
         svc["load_board"]),
        ("  (raw SQL: counts + first windows)", svc["raw_sql"], "", None),
        ("move round-trip (keyboard)", web["move_round_trip"], "move_card in-process",
         moves["move_card"]),
        ("  (raw SQL: update + event)", moves["raw_sql"], "", None),
        ("cross-browser update", web["cross_browser_update"], "same browser",
         web["move_round_trip"]),
    ]
    print(f"{'figure':38} {'p50 ms':>8} {'p95 ms':>8}   {'baseline':24} {'p50 ms':>8} {'p95 ms':>8}")
    for name, fig, base_name, base in rows:
        tail = (f"   {base_name:24} {base['p50_ms']:>8} {base['p95_ms']:>8}" if base else "")
        print(f"{name:38} {fig['p50_ms']:>8} {fig['p95_ms']:>8}{tail}")
    print(f"per-client board state: {web['board_state_bytes']:,} bytes over the websocket, "
          f"{svc['columns_json_bytes']:,} bytes of lanes JSON ({svc['cards']} cards)")


if __name__ == "__main__":
    figures = run()
    print(json.dumps(figures, indent=2))
    print_table(figures)
