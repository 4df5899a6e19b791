"""Picking figures for `make bench`: the scan round-trip on the picker's phone page.

A shop with 100 orders waiting in the pickers' queue and one claimed order of 120 units,
served by the production app (`reflex run --env prod`), driven from headless Chromium at
390×844: a keyboard-wedge scan (the code's keys, then Enter, into the page) until the
line's picked count shows the new number. Beside it, measured in the same run: the same
scan through the service in-process (`shipping.scan_claimed`) and as raw SQL (the
conditional count and the order event). Target: p95 under 100 ms in the browser.

`run()` returns the figures; `python -m bench.picking` prints them. BENCH_PICK_SCANS
changes the number of scans timed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.board import CHROMIUM_ARGS, _app, _ms, _summary
from dashboard.domain.accounts import Principal, Role
from dashboard.domain.orders import Actor, ActorKind, EventType, OrderEvent
from dashboard.domain.shipping import PickCount
from dashboard.services import accounts, orders, shipping, stock
from dashboard.services.db import dispose_engines, write_connection, write_session
from dashboard.services.migrations import migrate
from fulfil_testkit.factories import SHOP, STAFF, order_in, pay

SCANS = int(os.environ.get("BENCH_PICK_SCANS", "40"))
QUEUE = 100
EMAIL, PASSWORD = "bench-picker@example.com", "bench-picker-password"
CODE = "9399999000017"
_pc, _e = PickCount.__table__, OrderEvent.__table__


def seed(url: str) -> tuple[Actor, list[int]]:
    """The shop: a picker, QUEUE paid orders, and three orders of 3 × SCANS units claimed
    by the picker (one for the browser, one for the service, one for raw SQL)."""
    migrate(url)
    with write_session(url) as s:
        for sku, code in (("PICK-BENCH", CODE), ("OTHER-BENCH", "9399999000024")):
            stock.upsert_product(s, actor=STAFF, sku=sku, name=f"Bench {sku}", price="4.00",
                                 currency="AUD", barcode=code, bin_location="A-01")
            stock.adjust_stock(s, actor=STAFF, sku=sku, delta=100_000, reason="bench")
        accounts.invite(s, email=EMAIL, password=PASSWORD, role=Role.PICKER,
                        by=Principal.system("bench"))
    claimed = []
    for i in range(QUEUE + 3):
        with write_session(url) as s:
            lines = [("PICK-BENCH", SCANS)] if i < 3 else [("OTHER-BENCH", 1 + i % 3)]
            number = orders.place_order(s, actor=SHOP, order_in=order_in(*lines)).number
            pay(s, number)
            if i < 3:
                claimed.append(number)
    with sa.create_engine(url).connect() as conn:
        user_id = conn.execute(sa.text("SELECT id FROM user_account WHERE email = :e"),
                               {"e": EMAIL}).scalar()
    picker = Actor(ActorKind.USER, EMAIL, user_id)
    for number in claimed:
        with write_session(url) as s:
            shipping.claim_orders(s, actor=picker, numbers=[number])
    return picker, claimed


def service_scans(url: str, picker: Actor, number: int) -> dict:
    samples = []
    for _ in range(SCANS):
        t0 = time.perf_counter()
        with write_session(url) as s:
            shipping.scan(s, actor=picker, number=number, code=CODE)
        samples.append(_ms(time.perf_counter() - t0))
    return _summary(samples)


def raw_scans(url: str, number: int) -> dict:
    """The same writes as raw SQL: the conditional count and the event row."""
    samples = []
    with write_connection(url) as conn:
        order_id = conn.execute(sa.text('SELECT id FROM "order" WHERE number = :n'),
                                {"n": number}).scalar()
        line_id = conn.execute(sa.select(_pc.c.order_line_id)
                               .where(_pc.c.order_id == order_id)).scalar()
        conn.rollback()
    for _ in range(SCANS):
        t0 = time.perf_counter()
        with write_connection(url) as conn, conn.begin():
            conn.execute(sa.update(_pc).where(_pc.c.order_line_id == line_id,
                                              _pc.c.picked + _pc.c.short < _pc.c.wanted)
                         .values(picked=_pc.c.picked + 1))
            conn.execute(sa.insert(_e).values(order_id=order_id, type=EventType.PICK_SCANNED.value,
                                              actor=EMAIL, actor_kind="user", parameters={},
                                              created_at=sa.func.current_timestamp()))
        samples.append(_ms(time.perf_counter() - t0))
    return _summary(samples)


_WATCH = """([sel, text]) => { window.__benchSeen = new Promise(resolve => {
    const seen = () => { const el = document.querySelector(sel); return el && el.textContent === text; };
    if (seen()) return resolve(performance.now());
    const mo = new MutationObserver(() => { if (seen()) { mo.disconnect(); resolve(performance.now()); } });
    mo.observe(document.body, {subtree: true, childList: true, characterData: true});
}); }"""
_ENTER = """() => { window.__benchEnter = new Promise(resolve =>
    window.addEventListener("keydown", (e) => { if (e.key === "Enter") resolve(performance.now()); },
                            {capture: true, once: true})); }"""
_CLICK = """() => { window.__benchClick = new Promise(resolve =>
    window.addEventListener("click", () => resolve(performance.now()), {capture: true, once: true})); }"""
_SEEN = """() => Promise.race([window.__benchSeen,
    new Promise(resolve => setTimeout(() => resolve(performance.now() + 60000), 10000))])"""


def browser_scans(url: str, number: int) -> dict:
    from playwright.sync_api import sync_playwright

    with _app(url) as base, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context(viewport={"width": 390, "height": 844},
                                           is_mobile=True, has_touch=True)
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(base + "/login")
            page.fill("#email", EMAIL)
            page.fill("#password", PASSWORD)
            page.click("#sign-in")
            page.wait_for_url(re.compile(r"/picking/?$"))
            count = f'#mine-{number} .pick-line[data-sku="PICK-BENCH"] .pick-count'
            page.wait_for_selector(count)
            page.evaluate("document.activeElement && document.activeElement.blur()")
            noop = []  # the framework's own round trip: a guarded handler that reads nothing
            for i in range(SCANS):
                want = "Counter" if i % 2 == 0 else "Pick"
                page.evaluate(_WATCH, ["#mode", want])
                page.evaluate(_CLICK)
                page.locator("#mode").click()
                start = page.evaluate("() => window.__benchClick")
                noop.append(round(page.evaluate(_SEEN) - start, 1))
            if want == "Counter":
                page.locator("#mode").click()
                page.wait_for_selector("#mode >> text=Pick")
            samples = []
            for i in range(1, SCANS + 1):
                page.evaluate(_WATCH, [count, f"{i} / {SCANS}"])
                page.keyboard.type(CODE)
                page.evaluate(_ENTER)
                page.keyboard.press("Enter")
                start = page.evaluate("() => window.__benchEnter")
                samples.append(round(page.evaluate(_SEEN) - start, 1))
            return _summary(samples), _summary(noop)
        finally:
            chromium.close()


def run() -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bench-pick-"))
    url = f"sqlite:///{workdir / 'picking.db'}"
    try:
        picker, (web, svc, raw) = seed(url)
        results = {"queue_orders": QUEUE, "scans": SCANS,
                   "service_scan": service_scans(url, picker, svc),
                   "raw_sql_scan": raw_scans(url, raw)}
        dispose_engines()  # the server under test is the only one holding the database
        results["browser_scan_round_trip"], results["browser_noop_round_trip"] = (
            browser_scans(url, web))
        results["target_p95_ms"] = 100
        return results
    finally:
        dispose_engines()
        shutil.rmtree(workdir, ignore_errors=True)


def print_table(results: dict) -> None:
    print(f"\nPicking: scan round-trip, {results['queue_orders']} orders in the queue, "
          f"{results['scans']} scans (SQLite, one worker, headless Chromium 390×844)")
    print(f"{'figure':40} {'p50 ms':>8} {'p95 ms':>8}")
    for name, key in (("keyboard-wedge scan on the phone page", "browser_scan_round_trip"),
                      ("  baseline: a guarded no-op handler", "browser_noop_round_trip"),
                      ("  baseline: shipping.scan in-process", "service_scan"),
                      ("  baseline: raw SQL count + event", "raw_sql_scan")):
        fig = results[key]
        print(f"{name:40} {fig['p50_ms']:>8} {fig['p95_ms']:>8}")
    print(f"target: p95 < {results['target_p95_ms']} ms in the browser")


if __name__ == "__main__":
    figures = run()
    print(json.dumps(figures, indent=2))
    print_table(figures)
