"""Reading bank-statement CSV files: encoding, delimiter, preamble, header, column roles,
date and decimal formats, into a frame of dated, signed amounts in minor units.

Banks export the same facts in many shapes: with or without a header, a preamble of
account lines, `,` or `;` or tabs, `1,250.00` or `1.250,00`, `03/11/2026` or
`2026-11-03`, one signed amount column or separate debit and credit columns. `read_file`
finds the table, `guess_mapping` proposes which column is what, and `lines_frame` applies
a (guessed, remembered or user-corrected) `ColumnMapping`. Any line that does not fit
raises `MalformedStatement` naming the line. Pure functions: no database.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

import pandas as pd

from dashboard.domain import money
from dashboard.domain.errors import ValidationFailed

MAX_BYTES = 20 * 1024 * 1024
MAX_LINES = 200_000
DELIMITERS = (",", ";", "\t", "|")
# strptime formats we recognise; day-first before month-first (AU, EU, UK merchants).
DATE_FORMATS = (
    "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y", "%Y/%m/%d",
    "%d %b %Y", "%d-%b-%Y", "%d %B %Y", "%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%Y%m%d",
)
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW"})
# Day-first formats and their month-first twins: the same file read in the other order.
_MONTH_FIRST_TWIN = {"%d/%m/%Y": "%m/%d/%Y", "%d/%m/%y": "%m/%d/%y", "%d-%m-%Y": "%m-%d-%Y"}
_DAY_FIRST_TWIN = {v: k for k, v in _MONTH_FIRST_TWIN.items()}
_DAY_MONTH = r"^\s*(\d{1,2})[/-](\d{1,2})[/-]\d{2,4}\s*$"

_DATE_NAMES = ("date", "booking date", "posted", "buchungstag", "buchungsdatum", "datum",
               "transaction date", "value date", "valuta", "wertstellung", "fecha", "date opération")
_AMOUNT_NAMES = ("amount", "betrag", "umsatz", "value", "montant", "importe", "bedrag", "sum")
_CREDIT_NAMES = ("credit", "credits", "gutschrift", "haben", "paid in", "money in", "deposit",
                 "deposits", "einzahlung", "crédit")
_DEBIT_NAMES = ("debit", "debits", "lastschrift", "soll", "paid out", "money out", "withdrawal",
                "withdrawals", "auszahlung", "débit")
_BALANCE_NAMES = ("balance", "saldo", "kontostand", "solde", "running balance")
_TEXT_NAMES = ("description", "reference", "details", "narrative", "memo", "verwendungszweck",
               "payee", "auftraggeber", "empfaenger", "empfänger", "name", "particulars",
               "transaction", "buchungstext", "text", "remittance", "payer")
_CURRENCY_WORDS = re.compile(r"\b(currency|waehrung|währung|devise|valuta|moneda)\b", re.I)
_NUMBER = re.compile(r"^[+-]?\(?[+-]?[\d.,' ]*\d[\d.,' ]*\)?(\s*(CR|DR|[+-]))?$", re.I)
_SYMBOLS = re.compile(r"[€$£¥]|\b(AUD|EUR|USD|GBP|NZD|CAD|CHF)\b", re.I)


class MalformedStatement(ValidationFailed):
    """A file that cannot be read as a statement; the message names the line."""

    code = "malformed_statement"


@dataclass
class ColumnMapping:
    """Which column is what (0-based indexes) and how its values are written."""

    date: int
    text: list[int]
    amount: int | None = None  # one signed column, or:
    credit: int | None = None
    debit: int | None = None
    date_format: str = "%d/%m/%Y"
    decimal: str = "."
    currency: str = "AUD"

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict, column_count: int) -> ColumnMapping:
        """From untrusted input (a browser, a stored row): every field checked."""
        errors: dict[str, str] = {}

        def index(name: str, required: bool = False) -> int | None:
            value = data.get(name)
            if value in (None, "", -1):
                if required:
                    errors[name] = "choose a column"
                return None
            if type(value) is not int or not 0 <= value < column_count:
                errors[name] = "not a column of this file"
                return None
            return value

        text = data.get("text") or []
        if not isinstance(text, list) or not text or any(
            type(t) is not int or not 0 <= t < column_count for t in text
        ):
            errors["text"] = "choose the description or reference column(s)"
            text = []
        mapping = cls(
            date=index("date", True) or 0, text=list(dict.fromkeys(text)),
            amount=index("amount"), credit=index("credit"), debit=index("debit"),
            date_format=str(data.get("date_format") or ""), decimal=str(data.get("decimal") or ""),
            currency=str(data.get("currency") or "").upper(),
        )
        if mapping.amount is None and mapping.credit is None:
            errors["amount"] = "choose an amount column, or credit (and debit) columns"
        if mapping.amount is not None and (mapping.credit is not None or mapping.debit is not None):
            errors["amount"] = "either one amount column or credit/debit columns, not both"
        if mapping.date_format not in DATE_FORMATS:
            errors["date_format"] = "not a date format we know"
        if mapping.decimal not in (".", ","):
            errors["decimal"] = "'.' or ','"
        if mapping.currency not in money.KNOWN_CURRENCIES:
            errors["currency"] = "not a currency code we know"
        if errors:
            raise ValidationFailed("Check the column mapping.", fields=errors)
        return mapping


@dataclass
class StatementFile:
    """The table found in a file: its rows with their line numbers in the file."""

    delimiter: str
    columns: list[str]  # header names, or "Column 1", "Column 2", ... when headerless
    has_header: bool
    rows: list[list[str]]
    line_numbers: list[int]  # the file line (1-based) each row starts on
    preamble: list[list[str]]
    sha256: str
    signature: str  # the layout, to remember a mapping by
    currency_hint: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def column_count(self) -> int:
        return len(self.columns)


# --- reading ---------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(first line number, fields) of every non-blank record; quoted newlines kept."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"',
                        skipinitialspace=False, strict=False)
    out, previous_end = [], 0
    try:
        for fields in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if any(f.strip() for f in fields):
                out.append((start, [f.strip() for f in fields]))
            if len(out) > MAX_LINES:
                raise MalformedStatement(f"The file has more than {MAX_LINES:,} lines.")
    except csv.Error as exc:
        raise MalformedStatement(f"Line {reader.line_num}: {exc}.", fields={
            "line": str(reader.line_num)}) from exc
    return out


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:200])
    best, best_score = ",", -1.0
    for delimiter in DELIMITERS:
        counts = [len(fields) for _, fields in _records(sample, delimiter)]
        if not counts:
            continue
        width, hits = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = hits / len(counts) + width / 1000  # consistency first, then more columns
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _is_amount(value: str) -> bool:
    v = _SYMBOLS.sub("", value).strip()
    return bool(v) and bool(_NUMBER.match(v)) and any(c.isdigit() for c in v)


_DATE_SHAPE = re.compile(r"^(\d{1,4}[./\- ][0-9A-Za-zä]{1,9}[./\- ]\d{2,4}|\d{8})$")


def _date_formats(values: list[str]) -> list[str]:
    filled = [v for v in values if v]
    if not all(_DATE_SHAPE.match(v) for v in filled):  # cheap: most cells are no date
        return []
    if not filled:
        return []
    found = []
    for fmt in DATE_FORMATS:
        try:
            for v in filled:
                datetime.strptime(v, fmt)  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
        found.append(fmt)
    return found


def _looks_like_header(row: list[str]) -> bool:
    return not any(_date_formats([v]) or _is_amount(v) for v in row if v)


def read_file(content: bytes, *, filename: str = "statement.csv") -> StatementFile:
    if not content or not content.strip():
        raise MalformedStatement("The file is empty.")
    if len(content) > MAX_BYTES:
        raise MalformedStatement(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if b"\x00" in content[:4096]:
        raise MalformedStatement("This is not a text (CSV) file.")
    text = _decode(content)
    delimiter = _sniff_delimiter(text)
    records = _records(text, delimiter)
    if not records:
        raise MalformedStatement("The file has no lines.")
    width = Counter(len(f) for _, f in records).most_common(1)[0][0]
    if width < 2:
        raise MalformedStatement(
            "No columns found: save the statement as CSV (comma, semicolon or tab separated)."
        )
    start = next(i for i, (_, fields) in enumerate(records) if len(fields) == width)
    preamble = [fields for _, fields in records[:start]]
    table = records[start:]
    has_header = _looks_like_header(table[0][1]) and len(table) > 1
    header = table[0][1] if has_header else [f"Column {i + 1}" for i in range(width)]
    body = table[1:] if has_header else table
    for line_no, fields in body:
        if len(fields) != width:
            raise MalformedStatement(
                f"Line {line_no} has {len(fields)} fields where the statement has {width}.",
                fields={"line": str(line_no)},
            )
    if not body:
        raise MalformedStatement("The file has a header but no transactions.")
    currency = None
    for fields in preamble:
        joined = " ".join(fields)
        if _CURRENCY_WORDS.search(joined):
            currency = next((f.upper() for f in fields if f.upper() in money.KNOWN_CURRENCIES),
                            None)
    kinds = "".join("d" if _date_formats([v]) else "n" if _is_amount(v) else "t"
                    for v in body[0][1])
    layout = [delimiter, str(width), *(h.lower() for h in header)] if has_header else [
        delimiter, str(width), "headerless", kinds]
    return StatementFile(
        delimiter=delimiter, columns=header, has_header=has_header,
        rows=[fields for _, fields in body], line_numbers=[n for n, _ in body],
        preamble=preamble, sha256=hashlib.sha256(content).hexdigest(),
        signature=hashlib.sha256("\x1f".join(layout).encode()).hexdigest(),
        currency_hint=currency,
    )


# --- guessing the mapping --------------------------------------------------------------


def _named(header: str, names: tuple[str, ...]) -> bool:
    h = header.strip().lower()
    return any(h == n or h.startswith(n + " ") or h.endswith(" " + n) for n in names)


def _decimal_of(values: list[str]) -> str:
    comma = sum(bool(re.search(r"\d,\d{1,2}\)?\s*(CR|DR|[+-])?$", v, re.I)) for v in values)
    dot = sum(bool(re.search(r"\d\.\d{1,2}\)?\s*(CR|DR|[+-])?$", v, re.I)) for v in values)
    return "," if comma > dot else "."


def _mostly(values: list[str], test) -> bool:
    """Nine in ten filled values pass: one mistyped value must not hide the column (the
    line with it is named when the mapping is applied)."""
    filled = [v for v in values if v]
    return bool(filled) and sum(1 for v in filled if test(v)) >= 0.9 * len(filled)


def guess_mapping(statement: StatementFile, *, default_currency: str = "AUD",
                  country: str = "AU") -> ColumnMapping:
    """The likeliest mapping: header names first, then what the values look like."""
    columns = list(zip(*statement.rows, strict=True)) if statement.rows else []
    sample = [list(col[:200]) for col in columns]
    date_cols = [i for i, col in enumerate(sample) if _mostly(col, lambda v: _date_formats([v]))]
    header = statement.columns if statement.has_header else [""] * statement.column_count
    money_names = _AMOUNT_NAMES + _CREDIT_NAMES + _DEBIT_NAMES + _BALANCE_NAMES
    numeric = [i for i, col in enumerate(sample)
               if i not in date_cols and (_mostly(col, _is_amount) or _named(header[i], money_names))]

    def first(names, pool):
        return next((i for i in pool if _named(header[i], names)), None)

    date = first(_DATE_NAMES, date_cols)
    date = date if date is not None else (date_cols[0] if date_cols else 0)
    credit = first(_CREDIT_NAMES, numeric)
    debit = first(_DEBIT_NAMES, numeric)
    amount = first(_AMOUNT_NAMES, numeric)
    balance = first(_BALANCE_NAMES, numeric)
    if amount is None and credit is None:
        candidates = [i for i in numeric if i != balance]
        if statement.has_header is False and len(candidates) > 1:
            candidates = candidates[:-1]  # the last numeric column of a bank export: balance
        amount = candidates[0] if candidates else None
    if credit is not None and amount is not None:
        amount = None
    used = {date, amount, credit, debit, balance} - {None}
    text = [i for i in range(statement.column_count)
            if i not in used and i not in date_cols and i not in numeric
            and (not statement.has_header or _named(header[i], _TEXT_NAMES)
                 or not any(_named(header[i], n) for n in (_DATE_NAMES, _BALANCE_NAMES)))]
    money_values = [v for i in (amount, credit, debit) if i is not None for v in sample[i] if v]
    dates = [v for v in sample[date] if _date_formats([v])] if sample else []
    formats = _date_formats(dates)
    if country in MONTH_FIRST_COUNTRIES:
        formats.sort(key=lambda f: not f.startswith("%m"))
    currency = statement.currency_hint or default_currency
    return ColumnMapping(
        date=date, text=text or [i for i in range(statement.column_count) if i not in used][:1],
        amount=amount, credit=credit, debit=debit,
        date_format=formats[0] if formats else DATE_FORMATS[1],
        decimal=_decimal_of(money_values), currency=currency,
    )


# --- day first or month first -----------------------------------------------------------


@dataclass
class DateOrder:
    """The order a file's own dates settle: the format that reads it, and the first date
    that settles it (a day over 12)."""

    date_format: str
    example: str


def is_day_month(date_format: str) -> bool:
    """A format whose dates may read both ways (03/11/2026), i.e. that has a twin."""
    return date_format in _MONTH_FIRST_TWIN or date_format in _DAY_FIRST_TWIN


def is_day_first(date_format: str) -> bool:
    return date_format in _MONTH_FIRST_TWIN


def settled_date_order(statement: StatementFile, column: int,
                       date_format: str) -> DateOrder | None:
    """Day or month first as every date of the column says: one value over 12 in the first
    place settles day first for the whole file, in the second month first. None when every
    date reads both ways, or the dates disagree (the line that does not fit is named when
    the mapping is applied), or the format has no twin."""
    if not is_day_month(date_format) or not 0 <= column < statement.column_count:
        return None
    values = pd.Series([row[column] for row in statement.rows], dtype="string")
    parts = values.str.extract(_DAY_MONTH).apply(pd.to_numeric, errors="coerce")
    over_first, over_second = parts[0] > 12, parts[1] > 12
    if over_first.any() == over_second.any():
        return None
    day_first = bool(over_first.any())
    example = values[over_first if day_first else over_second].iloc[0].strip()
    twin = _DAY_FIRST_TWIN if day_first else _MONTH_FIRST_TWIN
    return DateOrder(twin.get(date_format, date_format), example)


# --- applying the mapping ----------------------------------------------------------------


def parse_amount(value: str, decimal: str) -> Decimal | None:
    """'1.149,00' (decimal ',') -> 1149.00; '(12.00)' and '12.00 DR' -> -12.00; '' -> None."""
    v = _SYMBOLS.sub("", value or "").strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not v:
        return None
    sign = 1
    upper = v.upper()
    if upper.endswith("CR"):
        v = v[:-2]
    elif upper.endswith("DR"):
        v, sign = v[:-2], -1
    if v.startswith("(") and v.endswith(")"):
        v, sign = v[1:-1], -sign
    if v.endswith("-"):
        v, sign = v[:-1], -sign
    elif v.endswith("+"):
        v = v[:-1]
    v = v.replace(".", "").replace(",", ".") if decimal == "," else v.replace(",", "")
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", v):
        raise ValueError(value)
    try:
        return Decimal(v) * sign
    except InvalidOperation as exc:
        raise ValueError(value) from exc


def lines_frame(statement: StatementFile, mapping: ColumnMapping) -> pd.DataFrame:
    """One row per statement line: line_no, booked_on (date), amount_minor (signed int,
    credits positive), text. Raises MalformedStatement naming the first bad line."""
    frame = pd.DataFrame(statement.rows, columns=range(statement.column_count), dtype="string")
    frame["line_no"] = statement.line_numbers
    dates = pd.to_datetime(frame[mapping.date], format=mapping.date_format, errors="coerce")
    bad = dates.isna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise MalformedStatement(
            f"Line {statement.line_numbers[i]}: {frame[mapping.date].iloc[i]!r} is not a date "
            f"like {datetime(2026, 11, 23).strftime(mapping.date_format)}.",  # noqa: DTZ001
            fields={"line": str(statement.line_numbers[i])},
        )

    def amounts(column: int | None) -> list[int]:
        if column is None:
            return [0] * len(frame)
        out = []
        for i, value in enumerate(frame[column].tolist()):
            try:
                parsed = parse_amount(value, mapping.decimal)
                out.append(0 if parsed is None else money.to_minor(parsed, mapping.currency))
            except (ValueError, money.MoneyError):
                raise MalformedStatement(
                    f"Line {statement.line_numbers[i]}: {value!r} in "
                    f"{statement.columns[column]!r} is not an amount.",
                    fields={"line": str(statement.line_numbers[i])},
                ) from None
        return out

    if mapping.amount is not None:
        signed = amounts(mapping.amount)
    else:
        credit, debit = amounts(mapping.credit), amounts(mapping.debit)
        signed = [c - abs(d) if c >= 0 else c for c, d in zip(credit, debit, strict=True)]
    text = frame[mapping.text[0]].fillna("")
    for extra in mapping.text[1:]:
        text = text.str.cat(frame[extra].fillna(""), sep=" ")
    return pd.DataFrame({
        "line_no": statement.line_numbers,
        "booked_on": dates.dt.date,
        "amount_minor": pd.array(signed, dtype="int64"),
        "text": text.str.split().str.join(" ").fillna("").str.slice(0, 500),
    })
