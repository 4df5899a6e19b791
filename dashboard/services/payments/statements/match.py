"""Bank statement import: preview, match credits to unpaid orders, confirm in one go.

1. `preview` reads the file (`statement_files`), takes the mapping remembered for this
   layout (or guesses one, or the one the user corrected), and matches every credit:
   - matched: the reference names one unpaid order and the amount is its total, or names
     several whose totals add up to the amount;
   - ambiguous: a likely order that staff should confirm (the amount fits an order the
     reference names among others, the amount is right but the number is misspelt, only
     the amount fits, or the amount differs from the order named);
   - unmatched: nothing fits (or the order named is already paid or cancelled);
   - already imported: this very line paid orders in an earlier import.
   Debits are listed and ignored.
2. `confirm` repeats all of that inside one write transaction, so what is applied is
   what is true at that moment, not what the preview saw; it pays the matched orders (and
   the ambiguous ones staff picked) together, stores a hash of each line that paid, and
   remembers the mapping for the layout. All or nothing; one commit.

Re-importing never pays twice: a line's hash (date, amount, text and its occurrence in
the file) is unique in `statement_line`, and paying claims an order only while unpaid.
Staff or owner.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from dashboard.domain import money
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import DomainError, ValidationFailed
from dashboard.domain.orders import Actor, Order, OrderStatus
from dashboard.domain.payments import (
    PaymentMethod,
    PaymentStatus,
    StatementImport,
    StatementLine,
    StatementMapping,
)
from dashboard.services.db import atomic
from dashboard.services.payments import confirm as payments
from dashboard.services.payments.statements.parse import (
    ColumnMapping,
    StatementFile,
    guess_mapping,
    is_day_first,
    is_day_month,
    lines_frame,
    read_file,
    settled_date_order,
)

MATCHED, AMBIGUOUS, UNMATCHED, IMPORTED, DEBIT = (
    "matched", "ambiguous", "unmatched", "already_imported", "debit")
MAX_SUGGESTIONS = 5
_NUMBER_PATTERN = r"(?<![0-9])([0-9]{5,10})(?![0-9])"  # an order number in free text
_order = Order.__table__
_line, _import, _mapping = StatementLine.__table__, StatementImport.__table__, StatementMapping.__table__


class ImportConflict(DomainError):
    code = "import_conflict"
    status = 409


@dataclass
class PreviewLine:
    line_no: int
    booked_on: date
    amount_minor: int
    currency: str
    text: str
    status: str
    orders: list[int] = field(default_factory=list)  # matched: the orders it pays
    suggestions: list[int] = field(default_factory=list)  # ambiguous: orders staff may pick
    reason: str = ""
    line_hash: str = ""

    @property
    def amount(self) -> str:
        return money.format_amount(self.amount_minor, self.currency)


@dataclass
class Preview:
    filename: str
    file_sha256: str
    signature: str
    columns: list[str]
    has_header: bool
    sample: list[list[str]]
    mapping: ColumnMapping
    mapping_source: str  # remembered | guessed | chosen
    lines: list[PreviewLine]
    imported_before: bool  # this exact file was imported already
    date_note: str = ""  # day or month first, and what decided it

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(line.status for line in self.lines)
        return {k: c.get(k, 0) for k in (MATCHED, AMBIGUOUS, UNMATCHED, IMPORTED, DEBIT)}

    @property
    def matched_minor(self) -> int:
        return sum(x.amount_minor for x in self.lines if x.status == MATCHED)


@dataclass
class ImportResult:
    import_id: int
    lines_applied: int
    orders_paid: list[int]
    amount_minor: int
    currency: str
    skipped: dict[int, str]  # line number -> why it paid nothing

    @property
    def summary(self) -> str:
        text = (f"{len(self.orders_paid)} orders paid from {self.lines_applied} statement "
                f"lines ({money.display(self.amount_minor, self.currency)}).")
        return text + (f" {len(self.skipped)} lines skipped." if self.skipped else "")


# --- the layout's mapping ----------------------------------------------------------------


def remembered_mapping(session: Session, statement: StatementFile) -> ColumnMapping | None:
    row = session.connection().execute(
        sa.select(_mapping.c.mapping).where(_mapping.c.signature == statement.signature)
    ).first()
    if row is None:
        return None
    try:
        return ColumnMapping.from_json(row.mapping, statement.column_count)
    except ValidationFailed:
        return None  # a stale mapping: guess afresh


def _remember(session: Session, statement: StatementFile, mapping: ColumnMapping,
              actor: Actor, now: datetime) -> None:
    values = {"mapping": mapping.to_json(), "updated_by": actor.label, "updated_at": now}
    updated = session.connection().execute(
        _mapping.update().where(_mapping.c.signature == statement.signature).values(**values)
    )
    if updated.rowcount == 0:
        session.connection().execute(
            sa.insert(_mapping).values(signature=statement.signature, **values)
        )


def default_currency(session: Session) -> str:
    """The currency most unpaid orders are in (a shop rarely has more than one)."""
    row = session.connection().execute(
        sa.select(_order.c.currency, sa.func.count().label("n"))
        .where(_order.c.payment_status == PaymentStatus.UNPAID.value)
        .group_by(_order.c.currency).order_by(sa.desc("n")).limit(1)
    ).first()
    return row.currency if row else "AUD"


# --- matching ---------------------------------------------------------------------------


def line_hashes(frame: pd.DataFrame, currency: str) -> list[str]:
    """A stable id per line: date, amount, text, and which occurrence of that it is (two
    identical lines in one file are two payments; the same file again gives the same ids)."""
    seen: Counter = Counter()
    out = []
    for booked_on, amount, text in zip(frame["booked_on"], frame["amount_minor"], frame["text"],
                                       strict=True):
        key = f"{booked_on.isoformat()}|{int(amount)}|{currency}|{' '.join(str(text).upper().split())}"
        seen[key] += 1
        out.append(hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest())
    return out


def _fuzzy_numbers(text: str) -> set[int]:
    """Numbers a customer probably meant: letters typed for digits (10005O), digits split
    by a space (10003 5), an order number glued to letters (INV100021 is caught anyway)."""
    upper = text.upper()
    swapped = re.sub(r"(?<=\d)[OQ]|[OQ](?=\d)", "0", upper)
    swapped = re.sub(r"(?<=\d)[IL]|[IL](?=\d)", "1", swapped)
    joined = re.sub(r"(?<=\d) (?=\d)", "", swapped)
    found = set()
    for candidate in (swapped, joined):
        found.update(int(n) for n in re.findall(_NUMBER_PATTERN, candidate))
    return found


def _payable_orders(session: Session, currency: str) -> pd.DataFrame:
    rows = session.connection().execute(
        sa.select(_order.c.id, _order.c.number, _order.c.total_minor, _order.c.payment_method)
        .where(_order.c.payment_status == PaymentStatus.UNPAID.value,
               _order.c.status != OrderStatus.CANCELLED.value,
               _order.c.payment_flag.is_(None),
               _order.c.currency == currency)
    ).all()
    names = ["id", "number", "total_minor", "payment_method"]
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
    return pd.DataFrame({
        name: pd.array(values, dtype="object" if name == "payment_method" else "int64")
        for name, values in zip(names, columns, strict=True)
    })


def _other_orders(session: Session, numbers: set[int]) -> dict[int, str]:
    """Why a referenced order that is not payable can't be paid: number -> reason."""
    found: dict[int, str] = {}
    wanted = sorted(numbers)
    for start in range(0, len(wanted), 500):
        for r in session.connection().execute(
            sa.select(_order.c.number, _order.c.status, _order.c.payment_status,
                      _order.c.payment_flag, _order.c.currency)
            .where(_order.c.number.in_(wanted[start:start + 500]))
        ):
            if r.status == OrderStatus.CANCELLED:
                found[r.number] = f"order #{r.number} is cancelled"
            elif r.payment_status != PaymentStatus.UNPAID:
                found[r.number] = f"order #{r.number} is already paid"
            elif r.payment_flag:
                found[r.number] = f"order #{r.number} has a flagged card payment"
            else:
                found[r.number] = f"order #{r.number} is in {r.currency}"
    return found


def _group(frame: pd.DataFrame) -> dict[int, list[int]]:
    """row -> its numbers, in frame order (a plain loop beats groupby-apply here)."""
    out: dict[int, list[int]] = {}
    for row, number in zip(frame["row"].tolist(), frame["number"].tolist(), strict=True):
        out.setdefault(row, []).append(number)
    return out


def match_lines(session: Session, frame: pd.DataFrame, currency: str) -> list[PreviewLine]:
    """Classify every line against the unpaid orders (vectorised with pandas joins)."""
    hashes = line_hashes(frame, currency)
    frame = frame.assign(line_hash=hashes).reset_index(drop=True)
    imported = set()
    for start in range(0, len(hashes), 500):
        imported.update(r.line_hash for r in session.connection().execute(
            sa.select(_line.c.line_hash).where(_line.c.line_hash.in_(hashes[start:start + 500]))))
    orders = _payable_orders(session, currency)
    totals = dict(zip(orders["number"], orders["total_minor"], strict=True))
    credits = frame[frame["amount_minor"] > 0]

    # Order numbers written in the reference, joined to the payable orders.
    refs = credits["text"].str.extractall(_NUMBER_PATTERN)[0].astype("int64").rename("number")
    refs = refs.reset_index(level=1, drop=True).reset_index().rename(columns={"index": "row"})
    named = refs.merge(orders[["number"]], on="number", how="inner").drop_duplicates()
    named_by_row = _group(named)
    unpayable = _other_orders(session, set(refs["number"]) - set(orders["number"]))
    referenced_other = _group(refs[refs["number"].isin(unpayable.keys())])

    # Only the amount fits: bank and cheque orders of exactly that total.
    offline = orders[orders["payment_method"].isin(
        [PaymentMethod.BANK_TRANSFER.value, PaymentMethod.CHEQUE.value])]
    by_amount = (
        credits[["amount_minor"]].reset_index().rename(columns={"index": "row"})
        .merge(offline[["number", "total_minor"]], left_on="amount_minor",
               right_on="total_minor", how="inner")
        .sort_values(["row", "number"])
    )
    amount_fits = _group(by_amount)

    out: list[PreviewLine] = []
    for row in frame.itertuples():
        line = PreviewLine(line_no=int(row.line_no), booked_on=row.booked_on,
                           amount_minor=int(row.amount_minor), currency=currency,
                           text=str(row.text), status=UNMATCHED, line_hash=row.line_hash)
        out.append(line)
        if row.line_hash in imported:
            line.status, line.reason = IMPORTED, "Imported before; paid nothing again."
            continue
        if line.amount_minor <= 0:
            line.status = DEBIT
            continue
        named_here = sorted(set(named_by_row.get(row.Index, [])))
        fitting = [n for n in named_here if totals[n] == line.amount_minor]
        pays_all = sum(totals[n] for n in named_here) == line.amount_minor
        if named_here and pays_all:  # one order of that total, or several adding up to it
            line.status, line.orders = MATCHED, named_here
        elif fitting:
            line.status, line.suggestions = AMBIGUOUS, fitting
            line.reason = "The reference names several orders; the amount fits " + ", ".join(
                f"#{n}" for n in fitting) + "."
        elif named_here:
            line.status, line.suggestions = AMBIGUOUS, []
            line.reason = "The amount differs from " + ", ".join(
                f"#{n} ({money.display(totals[n], currency)})" for n in named_here
            ) + "; confirm by hand from the unpaid queue."
        else:
            fuzzy = sorted(n for n in _fuzzy_numbers(line.text)
                           if totals.get(n) == line.amount_minor)
            by_total = amount_fits.get(row.Index, [])
            others = referenced_other.get(row.Index, [])
            if fuzzy:
                line.status, line.suggestions = AMBIGUOUS, fuzzy[:MAX_SUGGESTIONS]
                line.reason = "The reference looks like " + ", ".join(f"#{n}" for n in fuzzy) + \
                    " (misspelt?) and the amount fits."
            elif others:
                line.reason = "; ".join(unpayable[n] for n in others).capitalize() + "."
            elif by_total:
                line.status, line.suggestions = AMBIGUOUS, by_total[:MAX_SUGGESTIONS]
                more = len(by_total) - MAX_SUGGESTIONS
                line.reason = ("No order number in the reference; the amount fits "
                               + ", ".join(f"#{n}" for n in by_total[:MAX_SUGGESTIONS])
                               + (f" and {more} more" if more > 0 else "") + ".")
            else:
                line.reason = "No unpaid order fits the reference or the amount."
    _one_line_per_order(out)
    return out


def _one_line_per_order(lines: list[PreviewLine]) -> None:
    """An order is paid by the first line that matches it; a later line naming it needs a
    look, and an order a line pays is no suggestion for another."""
    taken: dict[int, int] = {}
    for line in lines:
        if line.status != MATCHED:
            continue
        clash = [n for n in line.orders if n in taken]
        if clash:
            line.status, line.suggestions, line.orders = AMBIGUOUS, [], []
            line.reason = ", ".join(f"#{n} is paid by line {taken[n]}" for n in clash) + \
                " in this statement too; paid twice?"
        else:
            for n in line.orders:
                taken[n] = line.line_no
    for line in lines:
        if line.status != AMBIGUOUS or not line.suggestions:
            continue
        free = [n for n in line.suggestions if n not in taken]
        if not free:  # every suggestion is taken: say by which lines, before dropping them
            line.reason = "No other unpaid order fits: " + ", ".join(
                f"#{n} is paid by line {taken[n]}" for n in line.suggestions) + "."
            line.status, line.suggestions = UNMATCHED, []
        elif len(free) < len(line.suggestions):
            line.suggestions = free
            line.reason = "The amount fits " + ", ".join(f"#{n}" for n in free) + \
                " (others of that total are paid by other lines)."


# --- preview and confirm -----------------------------------------------------------------


def _resolve_mapping(session: Session, statement: StatementFile, mapping: dict | None,
                     country: str) -> tuple[ColumnMapping, str]:
    if mapping is not None:
        return ColumnMapping.from_json(mapping, statement.column_count), "chosen"
    remembered = remembered_mapping(session, statement)
    if remembered is not None:
        return remembered, "remembered"
    guessed = guess_mapping(statement, default_currency=default_currency(session),
                            country=country)
    if guessed.amount is None and guessed.credit is None:
        raise ValidationFailed("Which column holds the amounts? Choose it in the mapping.",
                               fields={"amount": "not recognised"})
    return guessed, "guessed"


def _date_order(statement: StatementFile, mapping: ColumnMapping, source: str,
                country: str) -> tuple[ColumnMapping, str]:
    """Day or month first: the file's own dates settle it; only when every date reads both
    ways does the remembered layout (or the guess from the country) decide. A choice made
    in the preview stands (a date it cannot read is named). Returns a sentence saying which."""
    if not is_day_month(mapping.date_format):
        return mapping, ""
    settled = settled_date_order(statement, mapping.date, mapping.date_format)
    if settled is not None and source != "chosen":
        mapping = dataclasses.replace(mapping, date_format=settled.date_format)
    order = "day first" if is_day_first(mapping.date_format) else "month first"
    if settled is not None:
        return mapping, f"Dates read {order}: {settled.example} reads no other way."
    why = {"remembered": "as remembered for this layout", "chosen": "as you chose"}.get(
        source, f"the usual order in {country}")
    return mapping, (f"Every date in this file reads both ways: read {order}, {why}. "
                     "Check the dates below.")


def _imported_before(session: Session, sha256: str) -> bool:
    return session.connection().execute(
        sa.select(_import.c.id).where(_import.c.file_sha256 == sha256).limit(1)
    ).first() is not None


def preview(session: Session, *, content: bytes, filename: str, mapping: dict | None = None,
            country: str = "AU") -> Preview:
    """Read and match a statement without changing anything. `mapping` (as from
    `ColumnMapping.to_json`) overrides the remembered or guessed one."""
    return _preview(session, read_file(content, filename=filename), filename, mapping, country)


def _preview(session: Session, statement: StatementFile, filename: str, mapping: dict | None,
             country: str) -> Preview:
    chosen, source = _resolve_mapping(session, statement, mapping, country)
    chosen, date_note = _date_order(statement, chosen, source, country)
    frame = lines_frame(statement, chosen)
    lines = match_lines(session, frame, chosen.currency)
    return Preview(
        filename=filename[:255], file_sha256=statement.sha256, signature=statement.signature,
        columns=statement.columns, has_header=statement.has_header,
        sample=statement.rows[:8], mapping=chosen, mapping_source=source, lines=lines,
        imported_before=_imported_before(session, statement.sha256), date_note=date_note,
    )


def confirm(
    session: Session,
    *,
    actor: Actor,
    content: bytes,
    filename: str,
    mapping: dict | None = None,
    choices: dict[int, int] | None = None,
    send_receipts: bool | None = None,
    country: str = "AU",
    now: datetime | None = None,
) -> ImportResult:
    """Apply a statement: pay every matched order, and each ambiguous line's order that
    staff picked (`choices`: line number -> order number, one of its suggestions), all in
    this one transaction. Commits once; raises and changes nothing on any error."""
    now = now or utcnow()
    statement = read_file(content, filename=filename)
    try:
        return _confirm(session, actor, statement, filename, mapping, choices or {},
                        send_receipts, country, now)
    except IntegrityError as exc:  # the same lines applied by someone else at this moment
        raise ImportConflict("This statement was just imported by someone else; nothing was "
                             "changed. Preview it again.") from exc


@atomic
def _confirm(session, actor, statement, filename, mapping, choices, send_receipts, country,
             now) -> ImportResult:
    result = _preview(session, statement, filename, mapping, country)
    by_line = {line.line_no: line for line in result.lines}
    errors = {}
    for line_no, number in choices.items():
        line = by_line.get(line_no)
        if line is None or line.status != AMBIGUOUS or number not in line.suggestions:
            errors[f"choices.{line_no}"] = "not one of this line's suggestions"
        else:
            line.orders = [number]
    if errors:
        raise ValidationFailed("Some choices no longer fit the statement.", fields=errors)
    chosen_orders = [n for line in result.lines if line.status == AMBIGUOUS for n in line.orders]
    if len(chosen_orders) != len(set(chosen_orders)) or set(chosen_orders) & {
            n for line in result.lines if line.status == MATCHED for n in line.orders}:
        raise ValidationFailed("One order is picked for two lines.", fields={"choices": "twice"})
    to_apply = [line for line in result.lines
                if line.status == MATCHED or (line.status == AMBIGUOUS and line.orders)]
    numbers = [n for line in to_apply for n in line.orders]
    facts = payments.order_facts(session, numbers=numbers)
    line_of = {n: line for line in to_apply for n in line.orders}
    references = {n: f"Statement line {line_of[n].line_no}: {line_of[n].text}"[:200]
                  for n in numbers}
    paid = payments.apply_payment(
        session, actor=actor, orders=[facts[n] for n in numbers if n in facts], method=None,
        references=references, now=now, send_receipt=send_receipts, source="statement",
    )
    credits = [x for x in result.lines if x.amount_minor > 0]
    import_id = session.connection().execute(
        sa.insert(_import).returning(_import.c.id).values(
            filename=result.filename, file_sha256=result.file_sha256,
            currency=result.mapping.currency, line_count=len(result.lines),
            credit_count=len(credits), applied_count=0, applied_minor=0,
            imported_by=actor.label, created_at=now)
    ).scalar_one()
    applied, skipped, rows = [], {}, []
    for line in to_apply:
        done = [n for n in line.orders if n in paid]
        if not done:
            skipped[line.line_no] = "The order was paid or cancelled meanwhile."
            continue
        applied.append(line)
        rows.append({
            "import_id": import_id, "line_hash": line.line_hash, "line_no": line.line_no,
            "booked_on": line.booked_on, "amount_minor": line.amount_minor,
            "currency": line.currency, "description": line.text[:500],
            "order_numbers": " ".join(map(str, done))[:200]})
    if rows:  # one statement: the unique line_hash still refuses any line applied before
        session.connection().execute(sa.insert(_line), rows)
    amount = sum(line.amount_minor for line in applied)
    session.connection().execute(_import.update().where(_import.c.id == import_id).values(
        applied_count=len(applied), applied_minor=amount))
    _remember(session, statement, result.mapping, actor, now)
    return ImportResult(import_id=import_id, lines_applied=len(applied),
                        orders_paid=sorted(n for line in applied for n in line.orders
                                           if n in paid),
                        amount_minor=amount, currency=result.mapping.currency, skipped=skipped)


def recent_imports(session: Session, limit: int = 10) -> list[dict]:
    rows = session.connection().execute(
        sa.select(_import).order_by(_import.c.id.desc()).limit(limit)).all()
    return [{"id": r.id, "filename": r.filename, "created_at": r.created_at,
             "imported_by": r.imported_by, "lines": r.line_count, "applied": r.applied_count,
             "amount": money.format_amount(r.applied_minor, r.currency), "currency": r.currency}
            for r in rows]


__all__ = ["AMBIGUOUS", "DEBIT", "IMPORTED", "MATCHED", "UNMATCHED", "ImportConflict",
           "ImportResult", "Preview", "PreviewLine", "confirm", "preview", "recent_imports"]
