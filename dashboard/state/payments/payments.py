"""The payments page: the unpaid queue (overdue and flagged orders, mark paid, cancel)
and the bank-statement import (upload, preview, mapping, confirm).

Thin: every handler is `@guarded` for staff and owners (the session is re-resolved from
the database per event), calls one service as the guard's principal, and keeps only small
display rows; an uploaded statement is kept on disk (services.payments.uploads) and the
state holds only its id, so no event or Redis write carries the file.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from dashboard import config
from dashboard.domain import money as money_units
from dashboard.domain.accounts import STAFF_ROLES
from dashboard.domain.errors import DomainError
from dashboard.domain.orders import Actor
from dashboard.domain.payments import PaymentMethod
from dashboard.services import payments
from dashboard.services.db import read_session, write_session
from dashboard.services.payments import (
    DATE_FORMATS,
    MAX_BYTES,
    overdue,
    receipts_by_default,
    uploads,
)
from dashboard.services.payments.statements import match
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.view import label, local_time, merchant_tz, money

ALL = "all"
PER_PAGE = 50
LINES_SHOWN = 300
METHOD_OPTIONS = [(ALL, "All methods")] + [
    (m.value, label(m.value)) for m in PaymentMethod if m != PaymentMethod.PAY_ON_PICKUP
]
ONLY_OPTIONS = [(ALL, "All unpaid"), ("overdue", "Overdue"), ("flagged", "Flagged")]
NONE = "-"  # "no column" in a mapping select
STATUS_ORDER = {"ambiguous": 0, "matched": 1, "unmatched": 2, "already_imported": 3, "debit": 4}


@dataclasses.dataclass
class UnpaidRow:
    number: str
    placed: str
    customer_name: str
    customer_email: str
    method: str
    total: str
    due: str
    overdue: bool
    overdue_text: str
    flag: str
    status: str


@dataclasses.dataclass
class LineRow:
    line_no: str
    booked_on: str
    amount: str
    credit: bool
    text: str
    status: str
    orders: str
    reason: str
    suggestions: list[str]
    choice: str


@dataclasses.dataclass
class ColumnChoice:
    index: str
    name: str
    sample: str
    is_text: bool


def _date_example(fmt: str) -> str:
    from datetime import date

    return date(2026, 11, 23).strftime(fmt)  # a day over 12: 23/11 and 11/23 read one way


DATE_FORMAT_OPTIONS = [(f, f"{_date_example(f)}  ({f})") for f in DATE_FORMATS]


class PaymentsState(AuthState):
    # the unpaid queue
    rows: list[UnpaidRow] = []
    total: int = 0
    page: int = 1
    method: str = ALL
    only: str = ALL
    q: str = ""
    count_all: int = 0
    count_overdue: int = 0
    count_flagged: int = 0
    rules: list[str] = []
    selected: list[str] = []
    notice: str = ""
    notice_ok: bool = True
    loaded: bool = False
    # dialogs
    pay_open: bool = False
    pay_targets: list[str] = []
    cancel_open: bool = False
    cancel_targets: list[str] = []
    receipts_default: bool = False
    # statement import
    file_name: str = ""
    columns: list[ColumnChoice] = []
    map_date: str = NONE
    map_amount: str = NONE
    map_credit: str = NONE
    map_debit: str = NONE
    map_text: list[str] = []
    map_date_format: str = "%d/%m/%Y"
    map_decimal: str = "."
    map_currency: str = "AUD"
    mapping_source: str = ""
    date_note: str = ""
    imported_before: bool = False
    lines: list[LineRow] = []
    line_counts: dict[str, int] = {}
    matched_total: str = ""
    preview_error: str = ""
    hidden_lines: int = 0
    import_result: str = ""
    _upload: str = ""  # the stored upload's id, never the file itself
    _choices: dict[int, int] = {}

    # --- helpers ------------------------------------------------------------------------

    def _actor(self) -> Actor:
        # The principal the guard re-resolved from the database for this very event.
        return self._principal.actor

    def _say(self, text: str, ok: bool = True) -> None:
        self.notice, self.notice_ok = text, ok

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    @rx.var
    def selected_count(self) -> int:
        return len(self.selected)

    @rx.var
    def all_visible_selected(self) -> bool:
        return bool(self.rows) and all(r.number in self.selected for r in self.rows)

    @rx.var
    def confirm_count(self) -> int:
        return self.line_counts.get("matched", 0) + sum(1 for r in self.lines if r.choice)

    def _fetch(self) -> None:
        with read_session() as session:
            queue = overdue.unpaid_queue(
                session, method=None if self.method == ALL else self.method,
                only=None if self.only == ALL else self.only, q=self.q.strip() or None,
                page=self.page, per_page=PER_PAGE,
            )
        tz = merchant_tz()
        self.rows = [
            UnpaidRow(
                number=str(r["number"]),
                placed=local_time(r["placed_at"], tz).strftime("%d %b %Y %H:%M"),
                customer_name=r["customer_name"] or "", customer_email=r["customer_email"] or "",
                method=label(r["payment_method"]), total=money(r["total"], r["currency"]),
                due=r["due_on"].strftime("%a %d %b") if r["due_on"] else "—",
                overdue=bool(r["overdue"]),
                overdue_text=(f"{r['days_overdue']} business day"
                              f"{'s' if r['days_overdue'] != 1 else ''} overdue"
                              if r["days_overdue"] else "due today or earlier"),
                flag=r["payment_flag"] or "", status=r["status"],
            )
            for r in queue["items"]
        ]
        self.total = queue["total"]
        counts = queue["counts"]
        self.count_all, self.count_overdue = counts["all"], counts["overdue"]
        self.count_flagged = counts["flagged"]
        self.rules = [
            f"{label(m)}: due in {r['due_days']} business days, "
            + (f"cancelled after {r['auto_cancel_days']}" if r["auto_cancel_days"]
               else "never cancelled automatically")
            for m, r in queue["rules"].items() if r["due_days"] is not None
        ] + [f"Business days: weekdays except public holidays in {queue['calendar']}."]
        self.selected = [n for n in self.selected if any(r.number == n for r in self.rows)]
        self.loaded = True

    def _numbers(self, values: list[str]) -> list[int]:
        return [int(v) for v in values if str(v).isdecimal() and len(str(v)) < 11]

    # --- the queue ----------------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    def load(self):
        self.receipts_default = receipts_by_default()
        try:
            self._fetch()
        except DomainError as exc:
            self._say(exc.message, ok=False)
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_method(self, value: str):
        self.method = value if any(value == v for v, _ in METHOD_OPTIONS) else ALL
        self.page = 1
        self._fetch()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_only(self, value: str | list[str]):
        value = value[0] if isinstance(value, list) and value else value
        self.only = value if any(value == v for v, _ in ONLY_OPTIONS) else ALL
        self.page = 1
        self._fetch()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_q(self, value: str):
        self.q, self.page = str(value)[:200], 1
        self._fetch()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def go_to_page(self, page: int):
        self.page = min(max(1, int(page)), self.page_count)
        self._fetch()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def toggle(self, number: str):
        number = str(number)
        if number in self.selected:
            self.selected = [n for n in self.selected if n != number]
        elif any(r.number == number for r in self.rows):
            self.selected = [*self.selected, number]
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def toggle_all(self):
        visible = [r.number for r in self.rows]
        if all(n in self.selected for n in visible):
            self.selected = [n for n in self.selected if n not in visible]
        else:
            self.selected = list(dict.fromkeys([*self.selected, *visible]))
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def open_pay(self, number: str):
        """Mark one order paid (a number) or the selection (an empty string)."""
        self.pay_targets = [str(number)] if number else list(self.selected)
        self.pay_open = bool(self.pay_targets)
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def close_pay(self):
        self.pay_open, self.pay_targets = False, []
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def pay_open_change(self, is_open: bool):
        """Esc or a click outside: the dialog closes and forgets its orders."""
        if not is_open:
            self.pay_open, self.pay_targets = False, []
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def submit_pay(self, form: dict):
        numbers = self._numbers(self.pay_targets)
        try:
            with write_session() as session:
                result = payments.mark_paid(
                    session, actor=self._actor(), numbers=numbers,
                    reference=str(form.get("reference", ""))[:300],
                    send_receipt=bool(form.get("receipt")),
                )
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.pay_open = False
        self.selected = [n for n in self.selected if n not in self.pay_targets]
        self._report("marked paid", result)
        self._fetch()
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def open_cancel(self, number: str):
        self.cancel_targets = [str(number)] if number else list(self.selected)
        self.cancel_open = bool(self.cancel_targets)
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def close_cancel(self):
        self.cancel_open, self.cancel_targets = False, []
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def cancel_open_change(self, is_open: bool):
        """Esc or a click outside: the dialog closes and forgets its orders."""
        if not is_open:
            self.cancel_open, self.cancel_targets = False, []
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def submit_cancel(self, form: dict):
        try:
            with write_session() as session:
                result = payments.cancel_unpaid(
                    session, actor=self._actor(), numbers=self._numbers(self.cancel_targets),
                    reason=str(form.get("reason", ""))[:600],
                    notify_customer=bool(form.get("notify")),
                )
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.cancel_open = False
        self.selected = [n for n in self.selected if n not in self.cancel_targets]
        self._report("cancelled", result)
        self._fetch()
        return None

    def _report(self, verb: str, result: payments.BulkResult) -> None:
        text = f"{len(result.done)} order{'s' if len(result.done) != 1 else ''} {verb}."
        if result.skipped:
            text += " Skipped: " + "; ".join(
                f"#{n}: {why}" for n, why in list(result.skipped.items())[:5])
            if len(result.skipped) > 5:
                text += f"; and {len(result.skipped) - 5} more"
        self._say(text, ok=not result.skipped)

    @rx.event
    @guarded(*STAFF_ROLES)
    def resolve_flag(self, number: str, accept: bool):
        try:
            with write_session() as session:
                payments.resolve_flag(session, actor=self._actor(), number=int(number),
                                      accept=bool(accept))
        except (DomainError, ValueError) as exc:
            return rx.toast.error(getattr(exc, "message", "Not an order number."))
        self._say(f"Order #{number}: payment {'accepted' if accept else 'flag dismissed'}.")
        self._fetch()
        return None

    # --- statement import ---------------------------------------------------------------

    @rx.event
    @guarded(*STAFF_ROLES)
    async def upload_statement(self, files: list[rx.UploadFile]):
        if not files:
            return None
        upload = files[0]
        content = await upload.read()
        if len(content) > MAX_BYTES:
            return rx.toast.error("The file is larger than 20 MB.")
        uploads.discard(self._upload)
        self._upload = uploads.save(content)
        self.file_name = (upload.name or "statement.csv")[:255]
        self._choices, self.import_result = {}, ""
        self._preview(None, content)
        return None

    def _mapping_json(self) -> dict:
        def index(value: str) -> int | None:
            return int(value) if value not in ("", NONE) and value.isdecimal() else None

        return {
            "date": index(self.map_date), "amount": index(self.map_amount),
            "credit": index(self.map_credit), "debit": index(self.map_debit),
            "text": [int(t) for t in self.map_text if t.isdecimal()],
            "date_format": self.map_date_format, "decimal": self.map_decimal,
            "currency": self.map_currency,
        }

    def _preview(self, mapping: dict | None, content: bytes | None = None) -> None:
        """Preview the upload (`content` when at hand, else read from where it is kept)."""
        self.preview_error = ""
        try:
            if content is None:
                content = uploads.load(self._upload)
            with read_session() as session:
                result = match.preview(session, content=content,
                                            filename=self.file_name, mapping=mapping,
                                            country=config.merchant_profile().country)
        except DomainError as exc:
            self.preview_error = exc.message + "".join(
                f" {k}: {v}." for k, v in (getattr(exc, "fields", None) or {}).items()
                if k != "line")
            self.lines, self.line_counts, self.date_note = [], {}, ""
            self._columns_only(content)
            return
        m = result.mapping
        self.columns = [
            ColumnChoice(str(i), name, " · ".join(row[i] for row in result.sample[:3])[:80],
                         i in m.text)
            for i, name in enumerate(result.columns)
        ]
        self.map_date = str(m.date)
        self.map_amount = NONE if m.amount is None else str(m.amount)
        self.map_credit = NONE if m.credit is None else str(m.credit)
        self.map_debit = NONE if m.debit is None else str(m.debit)
        self.map_text = [str(t) for t in m.text]
        self.map_date_format, self.map_decimal = m.date_format, m.decimal
        self.map_currency = m.currency
        self.mapping_source, self.imported_before = result.mapping_source, result.imported_before
        self.date_note = result.date_note
        self.line_counts = result.counts
        self.matched_total = money_units.display(result.matched_minor, m.currency)
        ordered = sorted(result.lines, key=lambda x: (STATUS_ORDER[x.status], x.line_no))
        self._choices = {k: v for k, v in self._choices.items()
                         if any(x.line_no == k and v in x.suggestions for x in result.lines)}
        self.lines = [
            LineRow(
                line_no=str(x.line_no), booked_on=f"{x.booked_on.day} {x.booked_on:%b %Y}",
                amount=money_units.display(x.amount_minor, x.currency),
                credit=x.amount_minor > 0, text=x.text,
                status=x.status, orders=" ".join(f"#{n}" for n in x.orders), reason=x.reason,
                suggestions=[str(n) for n in x.suggestions],
                choice=str(self._choices.get(x.line_no, "")),
            )
            for x in ordered[:LINES_SHOWN]
        ]
        self.hidden_lines = max(0, len(ordered) - LINES_SHOWN)

    def _columns_only(self, content: bytes | None) -> None:
        """After a failed preview, still show the columns so the mapping can be fixed."""
        from dashboard.services.payments import read_file

        if content is None:  # the upload itself is gone
            self.columns = []
            return
        try:
            found = read_file(content, filename=self.file_name)
        except DomainError:
            self.columns = []
            return
        self.columns = [
            ColumnChoice(str(i), name, " · ".join(r[i] for r in found.rows[:3])[:80],
                         str(i) in self.map_text)
            for i, name in enumerate(found.columns)
        ]

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_mapping(self, field: str, value: str):
        value = str(value)[:20]
        if field in ("date", "amount", "credit", "debit"):
            setattr(self, f"map_{field}", value)
            if field == "amount" and value != NONE:
                self.map_credit = self.map_debit = NONE
            elif field in ("credit", "debit") and value != NONE:
                self.map_amount = NONE
        elif field == "date_format" and value in DATE_FORMATS:
            self.map_date_format = value
        elif field == "decimal" and value in (".", ","):
            self.map_decimal = value
        elif field == "currency" and value.upper() in money_units.KNOWN_CURRENCIES:
            self.map_currency = value.upper()
        elif field == "text":
            self.map_text = ([t for t in self.map_text if t != value] if value in self.map_text
                             else [*self.map_text, value])
        if self._upload:
            self._preview(self._mapping_json())
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def choose(self, line_no: str, number: str):
        line = next((x for x in self.lines if x.line_no == str(line_no)), None)
        if line is None:
            return None
        others = {k: v for k, v in self._choices.items() if k != int(line.line_no)}
        if number in line.suggestions:
            self._choices = {**others, int(line.line_no): int(number)}
            line.choice = number
        else:
            self._choices = others
            line.choice = ""
        self.lines = list(self.lines)
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def confirm_import(self):
        if not self._upload:
            return rx.toast.error("Upload the statement again to pay more of its lines."
                                  if self.import_result else "Upload a statement first.")
        try:
            content = uploads.load(self._upload)
            with write_session() as session:
                result = match.confirm(
                    session, actor=self._actor(), content=content, filename=self.file_name,
                    mapping=self._mapping_json(), choices=dict(self._choices),
                    country=config.merchant_profile().country,
                )
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.import_result = result.summary
        self._choices = {}
        self._preview(self._mapping_json(), content)  # what is true now: lines imported before
        uploads.discard(self._upload)
        self._upload = ""
        self._fetch()
        return rx.toast.success(result.summary)

    @rx.event
    @guarded(*STAFF_ROLES)
    def clear_statement(self):
        uploads.discard(self._upload)
        self._upload, self.file_name, self._choices = "", "", {}
        self.lines, self.columns, self.line_counts = [], [], {}
        self.import_result = self.preview_error = self.date_note = ""
        return None
