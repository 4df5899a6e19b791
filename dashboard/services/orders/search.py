"""The desk's one search box and filters over orders, fast on a shop of a million orders.

What `q` matches:
- an order number ("100234", "#100234");
- a customer's name in any script (Latin, Chinese ...), email or phone, as a substring:
  phone numbers by their digits, so "0400 123 456", "+61400123456" and "123 456" all find
  "+61 400 123 456" (and the other way round). SQLite answers from an FTS5 trigram table, PostgreSQL from a pg_trgm
  GIN index (migration 0005_desk); queries shorter than three characters use the name
  index as a prefix instead (two-character Chinese names such as 王芳 included);
- a SKU or barcode of a product: the orders that contain it.

Filters (status, payment status and method, delivery method, month or date range in the
merchant's time zone) each have an index that also orders by time, so the newest page
is read from an index in order. Totals are exact up to `count_limit` and reported as
"more than" beyond it, so no page ever counts a million rows. Read only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from dashboard.config import merchant_timezone
from dashboard.domain import money
from dashboard.domain.customers import Customer
from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import Order, OrderLine, OrderStatus
from dashboard.domain.payments import PaymentMethod, PaymentStatus
from dashboard.domain.shipping import DeliveryMethod
from dashboard.domain.stock import Product
from dashboard.services.db import is_postgres

MAX_PER_PAGE = 200
COUNT_LIMIT = 1_000  # "1,000+": nobody pages further; they narrow the search
# Up to this many matching customers, their ids go into the query as a list and each
# one's orders are read from ix_order_customer_placed; above it (a query like "gmail"),
# the newest orders are scanned in time order and tested against the match instead.
SPARSE_CUSTOMERS = 400
# A SKU on more order lines than this is "popular": its newest orders are found by walking
# the orders newest first and probing ix_order_line_sku_order, not by sorting them all.
SPARSE_LINES = 2000
MIN_TRIGRAM = 3
# Must stay identical to the expression of migration 0005_desk's ix_customer_search_trgm.
PG_SEARCH_TEXT = (
    "lower(name || ' ' || email || ' ' || "
    "regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'))"
)

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_PHONE = re.compile(r"^\+?[\d\s().\-/]+$")
_order, _customer = Order.__table__, Customer.__table__
_line, _product = OrderLine.__table__, Product.__table__


@dataclass(frozen=True, slots=True)
class OrderSearch:
    """What the agent asked for; every field optional. Validated by `validate`."""

    q: str | None = None
    status: str | None = None
    payment_status: str | None = None
    payment_method: str | None = None
    delivery_method: str | None = None
    month: str | None = None  # "2026-03", in the merchant's time zone
    date_from: date | None = None  # inclusive, merchant's time zone
    date_to: date | None = None  # inclusive
    customer_id: int | None = None


@dataclass(frozen=True, slots=True)
class SearchPage:
    rows: list[dict]
    total: int
    total_exact: bool  # False: there are more than `total` matches
    page: int
    per_page: int


def _enum(errors: dict, name: str, value, enum_cls):
    if value in (None, ""):
        return None
    try:
        return enum_cls(value)
    except ValueError:
        errors[name] = f"must be one of {', '.join(m.value for m in enum_cls)}"
        return None


def _as_date(errors: dict, name: str, value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[name] = "must be a date, YYYY-MM-DD"
        return None


def month_range(month: str) -> tuple[datetime, datetime]:
    """A calendar month in the merchant's time zone, as aware bounds [start, end)."""
    m = _MONTH.match(month)
    year, mon = int(m.group(1)), int(m.group(2))
    tz = merchant_timezone()
    return (datetime(year, mon, 1, tzinfo=tz),
            datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=tz))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=merchant_timezone())


def validate(search: OrderSearch) -> tuple[list, dict]:
    """(conditions on the order table, cleaned values); raises ValidationFailed."""
    errors: dict[str, str] = {}
    status = _enum(errors, "status", search.status, OrderStatus)
    pay = _enum(errors, "payment_status", search.payment_status, PaymentStatus)
    method = _enum(errors, "payment_method", search.payment_method, PaymentMethod)
    delivery = _enum(errors, "delivery_method", search.delivery_method, DeliveryMethod)
    if search.month and not _MONTH.match(search.month):
        errors["month"] = "must be YYYY-MM"
    start = _as_date(errors, "date_from", search.date_from)
    end = _as_date(errors, "date_to", search.date_to)
    if start and end and end < start:
        errors["date_to"] = "must not be before date_from"
    q = search.q
    if q is not None and (not isinstance(q, str) or len(q) > 200 or "\x00" in q):
        errors["q"] = "at most 200 characters of text"
    if errors:
        raise ValidationFailed("Bad filters.", fields=errors)

    conditions = []
    for column, value in ((_order.c.status, status), (_order.c.payment_status, pay),
                          (_order.c.payment_method, method),
                          (_order.c.delivery_method, delivery)):
        if value is not None:
            conditions.append(column == value.value)
    if search.month:
        lo, hi = month_range(search.month)
        conditions += [_order.c.placed_at >= lo, _order.c.placed_at < hi]
    if start:
        conditions.append(_order.c.placed_at >= _day_start(start))
    if end:
        conditions.append(_order.c.placed_at < _day_start(end + timedelta(days=1)))
    if search.customer_id is not None:
        conditions.append(_order.c.customer_id == int(search.customer_id))
    return conditions, {"q": (q or "").strip()}


# --- matching customers ----------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text.strip()) if w]


def is_phone_like(text: str) -> bool:
    return bool(_PHONE.match(text)) and sum(ch.isdigit() for ch in text) >= MIN_TRIGRAM


PHONE_TAIL = 8


def phone_digits(text: str) -> str:
    """The digits to look for. A whole number (9 digits or more) is matched by its last
    eight, so "0412 345 678", "+61 412 345 678" and "0061412345678" find one another;
    a part of a number by its digits without leading zeros ("0412 3" finds "412 3...")."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits[-PHONE_TAIL:] if len(digits) > PHONE_TAIL else digits.lstrip("0")


def _fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def customer_match(session: Session, text: str) -> sa.Select | None:
    """A SELECT of the ids of customers matching `text`, or None if it cannot match any.

    Trigram substring search for terms of three characters or more; shorter text matches
    names by prefix (the name index), as typed and capitalised.
    """
    text = text.strip()
    if not text:
        return None
    dialect = session.get_bind().dialect.name
    if is_phone_like(text):
        digits = phone_digits(text)
        if len(digits) < MIN_TRIGRAM:
            return None
        if dialect == "sqlite":
            return sa.select(sa.column("rowid")).select_from(sa.table("customer_search")).where(
                sa.text("customer_search MATCH :phone_fts").bindparams(
                    phone_fts="phone : " + _fts_quote(digits))
            )
        digits_expr = sa.func.regexp_replace(sa.func.coalesce(_customer.c.phone, ""),
                                             "[^0-9]", "", "g")
        return sa.select(_customer.c.id).where(
            sa.text(f"{PG_SEARCH_TEXT} LIKE :phone_like ESCAPE '\\'").bindparams(
                phone_like=f"%{digits}%"),
            digits_expr.contains(digits, autoescape=True),
        )
    words = _words(text.lower())
    long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
    short_words = [w for w in words if len(w) < MIN_TRIGRAM]
    if not long_words:  # "王芳", "Li": a name that starts so
        prefixes = {text, text[:1].upper() + text[1:], text.lower(), text.upper()}
        return sa.select(_customer.c.id).where(sa.or_(*[
            sa.and_(_customer.c.name >= p, _customer.c.name < p + "\U0010ffff") for p in prefixes
        ]))
    if dialect == "sqlite":
        binds = {f"w{i}": w for i, w in enumerate(short_words)}
        query = sa.select(sa.column("rowid")).select_from(sa.table("customer_search")).where(
            sa.text("customer_search MATCH :fts").bindparams(
                fts=" AND ".join(_fts_quote(w) for w in long_words))
        )
        for name in binds:  # short words must appear too (trigrams cannot say so)
            query = query.where(sa.text(
                f"(lower(name) LIKE :{name}_l ESCAPE '\\' OR lower(email) LIKE :{name}_l ESCAPE '\\')"
            ).bindparams(**{f"{name}_l": f"%{_like_escape(binds[name])}%"}))
        return query
    conditions = [
        sa.text(f"{PG_SEARCH_TEXT} LIKE :pw{i} ESCAPE '\\'").bindparams(
            **{f"pw{i}": f"%{_like_escape(w)}%"})
        for i, w in enumerate(long_words + short_words)
    ]
    return sa.select(_customer.c.id).where(*conditions)


def _skus(session: Session, text: str) -> list[str]:
    """The SKUs the text names exactly (any case), or whose barcode it is."""
    if not text or len(text) > 64 or " " in text:
        return []
    rows = session.connection().execute(
        sa.select(_product.c.sku).where(sa.or_(_product.c.sku.in_({text, text.upper()}),
                                               _product.c.barcode == text))
    ).scalars().all()
    return list(rows)


def text_conditions(session: Session, text: str):
    """(condition for the newest page, condition for counting) for the search text, or
    None when it matches every order. They select the same orders; only the plan differs
    (a popular SKU: walk the newest orders and probe each for the SKU to fill a page, but
    count from the SKU's index)."""
    text = text.strip().lstrip("#").strip()
    if not text:
        return None
    sparse_on_sqlite = not is_postgres(session)
    matches = []
    if text.isdecimal() and len(text) < 12:
        matches.append(_order.c.number == int(text))
    customers = customer_match(session, text)
    if customers is not None:
        ids = session.connection().execute(customers.limit(SPARSE_CUSTOMERS + 1)).scalars().all()
        if len(ids) <= SPARSE_CUSTOMERS:
            if ids:
                matches.append(_order.c.customer_id.in_(ids))
        elif sparse_on_sqlite:
            # Many customers match: walk the newest orders (time index) and test each, rather
            # than collect every matching customer's orders and sort them. The unary + keeps
            # SQLite from choosing the customer index.
            matches.append(sa.literal_column('+"order".customer_id').in_(
                customers.scalar_subquery()))
        else:
            matches.append(_order.c.customer_id.in_(customers.scalar_subquery()))
    for_count = list(matches)
    skus = _skus(session, text)
    if skus:
        on_lines = sa.select(_line.c.order_id).where(_line.c.sku.in_(skus))
        by_index = _order.c.id.in_(on_lines.scalar_subquery())
        lines = session.connection().execute(sa.select(sa.func.count()).select_from(
            on_lines.limit(SPARSE_LINES + 1).subquery())).scalar_one()
        if is_postgres(session):
            # The ids first (an InitPlan over the SKU index), then the order rows by key:
            # PostgreSQL would otherwise hash-join the whole order table to count.
            for_count.append(_order.c.id == sa.any_(sa.func.array(on_lines.scalar_subquery())))
        else:
            for_count.append(by_index)
        matches.append(by_index if lines <= SPARSE_LINES else sa.exists().where(
            _line.c.order_id == _order.c.id, _line.c.sku.in_(skus)))
    if not matches:
        return sa.false(), sa.false()
    return sa.or_(*matches), sa.or_(*for_count)


# --- the search ---------------------------------------------------------------------


def _where(session: Session, search: OrderSearch) -> tuple[list, list]:
    """(conditions for the page, conditions for the count)."""
    conditions, clean = validate(search)
    text = text_conditions(session, clean["q"])
    if text is None:
        return conditions, conditions
    return [*conditions, text[0]], [*conditions, text[1]]


def _serial_plans(session: Session) -> None:
    """PostgreSQL: no parallel workers for this transaction's queries. A desk query reads
    one page; starting workers cost more than they saved (measured: 80 -> 12 ms)."""
    if is_postgres(session):
        session.connection().exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")


def count(session: Session, conditions: list, limit: int | None) -> tuple[int, bool]:
    inner = sa.select(sa.literal(1)).select_from(_order).where(*conditions)
    if limit is not None:
        inner = inner.limit(limit + 1)
    total = session.connection().execute(
        sa.select(sa.func.count()).select_from(inner.subquery())
    ).scalar_one()
    if limit is not None and total > limit:
        return limit, False
    return total, True


def search_orders(
    session: Session,
    search: OrderSearch | None = None,
    *,
    page: int = 1,
    per_page: int = 50,
    count_limit: int | None = COUNT_LIMIT,
) -> SearchPage:
    """One page of matching orders, newest first, with the total (exact up to
    `count_limit`; None counts everything). Raises ValidationFailed for bad filters."""
    search = search or OrderSearch()
    errors = {}
    if not isinstance(page, int) or not 1 <= page <= 100_000:
        errors["page"] = "must be 1 or more"
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        errors["per_page"] = f"must be 1 to {MAX_PER_PAGE}"
    if errors:
        raise ValidationFailed("Bad filters.", fields=errors)
    _serial_plans(session)
    conditions, counting = _where(session, search)
    total, exact = count(session, counting, count_limit)
    rows = session.connection().execute(
        sa.select(
            _order.c.id, _order.c.number, _order.c.placed_at, _order.c.status,
            _order.c.payment_status, _order.c.payment_method, _order.c.delivery_method,
            _order.c.total_minor, _order.c.currency, _order.c.address_status,
            _order.c.customer_id, _customer.c.name, _customer.c.email, _customer.c.phone,
        )
        .select_from(_order.join(_customer, _customer.c.id == _order.c.customer_id))
        .where(*conditions)
        .order_by(_order.c.placed_at.desc(), _order.c.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    counts = item_counts(session, [r.id for r in rows])
    return SearchPage([_row(r, counts.get(r.id, 0)) for r in rows], total, exact, page, per_page)


def matching_numbers(session: Session, search: OrderSearch, *, limit: int = 5000) -> list[int]:
    """Order numbers of every match, newest first, at most `limit` (for bulk selection)."""
    _serial_plans(session)
    conditions, _ = _where(session, search)
    return list(session.connection().execute(
        sa.select(_order.c.number).where(*conditions)
        .order_by(_order.c.placed_at.desc(), _order.c.id.desc()).limit(limit)
    ).scalars())


def item_counts(session: Session, order_ids: list[int]) -> dict[int, int]:
    if not order_ids:
        return {}
    rows = session.connection().execute(
        sa.select(_line.c.order_id, sa.func.sum(_line.c.quantity))
        .where(_line.c.order_id.in_(order_ids)).group_by(_line.c.order_id)
    )
    return {oid: int(n) for oid, n in rows}


def _row(r, item_count: int) -> dict:
    return {
        "number": r.number,
        "placed_at": r.placed_at,
        "customer_id": r.customer_id,
        "customer_name": r.name,
        "customer_email": r.email,
        "customer_phone": r.phone,
        "status": OrderStatus(r.status).value,
        "payment_status": PaymentStatus(r.payment_status).value,
        "payment_method": PaymentMethod(r.payment_method).value,
        "delivery_method": DeliveryMethod(r.delivery_method).value,
        "total": money.format_amount(r.total_minor, r.currency),
        "currency": r.currency,
        "item_count": item_count,
        "address_status": r.address_status,
    }


def find_products(session: Session, q: str, *, limit: int = 10) -> list[dict]:
    """Products for sale matching a barcode or SKU exactly (first), or a SKU prefix or a
    word of the name, each with what is available now. For the phone-order form."""
    text = (q or "").strip()
    if not text or len(text) > 100:
        return []
    stock = sa.table("stock", sa.column("product_id"), sa.column("on_hand"),
                     sa.column("committed"))
    like = f"%{_like_escape(text.lower())}%"
    exact = sa.or_(_product.c.barcode == text, sa.func.lower(_product.c.sku) == text.lower())
    rows = session.connection().execute(
        sa.select(_product.c.sku, _product.c.name, _product.c.price_minor, _product.c.currency,
                  _product.c.barcode, (stock.c.on_hand - stock.c.committed).label("available"),
                  exact.label("exact"))
        .select_from(_product.outerjoin(stock, stock.c.product_id == _product.c.id))
        .where(_product.c.active, sa.or_(
            exact,
            sa.func.lower(_product.c.sku).like(f"{_like_escape(text.lower())}%", escape="\\"),
            sa.func.lower(_product.c.name).like(like, escape="\\"),
        ))
        .order_by(sa.desc("exact"), _product.c.sku).limit(limit)
    ).all()
    return [{"sku": r.sku, "name": r.name, "barcode": r.barcode or "",
             "price": money.format_amount(r.price_minor, r.currency), "currency": r.currency,
             "available": max(int(r.available or 0), 0), "exact": bool(r.exact)} for r in rows]


def availability(session: Session, skus: list[str]) -> dict[str, int]:
    """Units available now per SKU (0 for unknown or inactive)."""
    if not skus:
        return {}
    stock = sa.table("stock", sa.column("product_id"), sa.column("on_hand"),
                     sa.column("committed"))
    rows = session.connection().execute(
        sa.select(_product.c.sku, _product.c.active, stock.c.on_hand, stock.c.committed)
        .select_from(_product.join(stock, stock.c.product_id == _product.c.id))
        .where(_product.c.sku.in_(skus))
    ).all()
    found = {r.sku: max(r.on_hand - r.committed, 0) if r.active else 0 for r in rows}
    return {sku: found.get(sku, 0) for sku in skus}
