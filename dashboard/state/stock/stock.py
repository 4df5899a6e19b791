"""The Stock page: per product on hand, held by incomplete orders, pulled off the shelf,
what the shelf should hold and what is free; the orders behind the held figure and the
ledger (and its chart: a click on a point opens its order); charts across products that
follow the search; recording a shelf count. Staff and owners; every handler is guarded.

The page is a live screen (state.board.live): an order event (orders commit, release and
ship stock) or a minute passing re-reads its rows and charts; its own counts and
deliveries re-read them at once."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from dashboard import site
from dashboard.domain.accounts import STAFF_ROLES, decide
from dashboard.domain.errors import CountOutOfDate, DomainError
from dashboard.services import accounts, stock
from dashboard.services.board.feed import FeedMark, feed_mark
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.board.live import FEED
from dashboard.state.clock import ago, local
from dashboard.state.overview.charts import ChartView, csv_download, target
from dashboard.state.view import label

FILTER_LABELS = {"all": "All products", "held": "Held by orders", "low": "Low", "out": "None free"}
HOLDERS_SHOWN = 50  # the oldest; the count says how many there are in all
SORT_OPTIONS = [("sku", "By SKU"), ("bin", "By bin (for a count walk)"),
                ("available", "Fewest free first")]


@dataclasses.dataclass
class StockLine:
    sku: str
    name: str
    bin: str
    barcode: str
    active: bool
    on_hand: int
    held: int
    orders: int
    pulled: int
    on_shelf: int
    available: int
    level: str  # "out", "low" or "ok": how the free figure is coloured
    counted: str
    reorder_point: str  # "" : the shop's low threshold

    @classmethod
    def of(cls, row: stock.StockRow, low: int) -> StockLine:
        point = low if row.reorder_point is None else row.reorder_point
        level = "out" if row.available <= 0 else "low" if row.available <= point else "ok"
        return cls(row.sku, row.name, row.bin_location or "—", row.barcode, row.active, row.on_hand,
                   row.held, row.orders, row.pulled, row.on_shelf, row.available, level,
                   f"{ago(row.last_counted)} ago" if row.last_counted else "Never",
                   "" if row.reorder_point is None else str(row.reorder_point))


@dataclasses.dataclass
class Holder:
    number: int
    status: str
    customer: str
    placed: str
    units: int
    pulled: bool


@dataclasses.dataclass
class Movement:
    when: str
    change: str
    reason: str
    order: str
    who: str
    note: str


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


def _read(key: tuple) -> tuple:
    """The page's rows, counts and charts for ("stock", q, only, sort, page): one read
    session."""
    _, q, only, sort, page = key
    low = stock.low_stock_units()
    with read_session() as session:
        as_of = feed_mark(session)
        rows, total, counts = stock.list_stock(session, q=q or None, only=only, sort=sort,
                                               page=page)
        charts = stock.stock_charts(session, q=q or None, only=only)
    return as_of, [StockLine.of(r, low) for r in rows], total, counts, charts


class StockState(AuthState):
    rows: list[StockLine] = []
    charts: list[ChartView] = []
    detail_chart: ChartView | None = None
    _targets: list[list[int | None]] = []
    _csv: dict[str, str] = {}
    _as_of: FeedMark = FeedMark()
    total: int = 0
    counts: dict[str, int] = {}
    q: str = ""
    only: str = "all"
    sort: str = "sku"
    page: int = 1
    loaded: bool = False
    # the product open in the detail dialog
    detail_open: bool = False
    detail: StockLine | None = None
    holders: list[Holder] = []
    movements: list[Movement] = []
    # the shelf count dialog
    count_open: bool = False
    count_sku: str = ""
    count_name: str = ""
    count_bin: str = ""
    count_expected: int = 0
    count_error: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // stock.PER_PAGE))

    def _fetch(self) -> None:
        self._show(_read(self._live_key()))

    def _show(self, view: tuple) -> None:
        self._as_of, self.rows, self.total, self.counts, charts = view
        self.charts = [ChartView.of(c) for c in charts]
        self._csv = {**self._csv, **{c.key: c.csv for c in charts}}
        self.loaded = True

    @rx.event
    @guarded(*STAFF_ROLES)
    def load(self):
        self.detail_open = self.count_open = False
        FEED.follow(self.router.session.client_token, StockState)
        self._fetch()

    # --- state.board.live: re-read on order events and every minute -------------------------

    async def _live_allowed(self) -> bool:
        principal = await asyncio.to_thread(_resolve, self._session_cookie())
        if not decide(principal, STAFF_ROLES).allowed:
            await self._adopt(principal)
            return False
        return self.router.url.path.startswith(site.STOCK)

    def _live_key(self) -> tuple:
        return ("stock", self.q.strip(), self.only, self.sort, self.page)  # views share a round

    @staticmethod
    def _live_load(key):
        return _read(key)

    def _live_apply(self, view, events, now_ms: int) -> None:
        self._show(view)

    def _live_heartbeat(self, now_ms: int) -> None:
        pass

    @rx.event
    @guarded(*STAFF_ROLES)
    def download(self, key: str):
        return csv_download(self._csv, key, f"stock-{key}.csv")

    @rx.event
    @guarded(*STAFF_ROLES)
    def open_point(self, points: list):
        """A click on the ledger chart: open the order of the clicked movement (looked up
        in the server's own list; the browser only names the point)."""
        number = target(self._targets, points if isinstance(points, list) else [])
        if number is None:
            return None
        return rx.redirect(f"{site.ORDERS}/{number}")

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_q(self, value: str):
        self.q, self.page = str(value)[:200], 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_only(self, value: str):
        self.only = value if value in stock.FILTERS else "all"
        self.page = 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_sort(self, value: str):
        self.sort = value if value in stock.SORTS else "sku"
        self.page = 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def go_to_page(self, page: int):
        self.page = min(max(1, int(page)), self.page_count)
        self._fetch()

    # --- one product -----------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def open_product(self, sku: str):
        try:
            with read_session() as session:
                row = stock.product_row(session, str(sku))
                holders = stock.holders(session, row.sku, limit=HOLDERS_SHOWN)
                moves = stock.movements(session, row.sku, limit=20)
                ledger = stock.ledger_chart(session, row.sku)
        except DomainError as error:
            return rx.toast.error(error.message)
        self.detail_chart, self._targets = ChartView.of(ledger), ledger.targets
        self._csv = {**self._csv, ledger.key: ledger.csv}
        self.detail = StockLine.of(row, stock.low_stock_units())
        self.holders = [Holder(h["number"], label(h["status"]), h["customer"],
                               local(h["placed_at"], "%d %b %H:%M"), h["units"], h["pulled"])
                        for h in holders]
        self.movements = [
            Movement(local(m["at"], "%d %b %H:%M"),
                     " · ".join(p for p in (
                         f"on hand {_signed(m['on_hand'])}" if m["on_hand"] else "",
                         f"held {_signed(m['held'])}" if m["held"] else "") if p) or "no change",
                     label(m["reason"]), str(m["order"] or ""), m["actor"], m["note"])
            for m in moves
        ]
        self.detail_open = True
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def detail_open_change(self, is_open: bool):
        self.detail_open = bool(is_open) and self.detail_open

    # --- a shelf count ---------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def start_count(self, sku: str):
        try:
            with read_session() as session:
                row = stock.product_row(session, str(sku))
        except DomainError as error:
            return rx.toast.error(error.message)
        self.count_sku, self.count_name, self.count_bin = row.sku, row.name, row.bin_location
        self.count_expected, self.count_error = row.on_shelf, ""
        self.detail_open, self.count_open = False, True
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def count_open_change(self, is_open: bool):
        self.count_open = bool(is_open) and self.count_open

    @rx.event
    @guarded(*STAFF_ROLES)
    def confirm_count(self, form: dict):
        raw = str((form or {}).get("counted", "")).strip()
        if not raw.isdecimal():
            self.count_error = "Enter the number of units you counted (0 or more)."
            return None
        try:
            with write_session() as session:
                row = stock.record_count(session, actor=self._principal.actor,
                                              sku=self.count_sku, counted=int(raw),
                                              expected=self.count_expected)
        except DomainError as error:
            self.count_error = error.message
            if isinstance(error, CountOutOfDate):
                self.count_expected = int(error.details.get("expected", self.count_expected))
            return None
        self.count_open, self.count_error = False, ""
        self._fetch()
        difference = row.on_shelf - self.count_expected
        if difference == 0:
            return rx.toast.success(f"{row.sku}: {raw} counted, as expected")
        return rx.toast.success(
            f"{row.sku}: {raw} counted, on hand {_signed(difference)} (now {row.on_hand})")


def _resolve(cookie: str):
    # Read only, like the board's: an open screen does not keep a session alive.
    with read_session() as session:
        return accounts.resolve(session, session_token=cookie).principal
