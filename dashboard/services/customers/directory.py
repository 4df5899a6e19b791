"""The customer database: find, list, history, lifetime value, address book.

Lifetime value is what a customer has spent: the totals of their paid orders that were
not cancelled, less what was refunded, per currency (a shop may sell in more than one).
Reads are read only; each write is one transaction. Callers: staff and owners (pickers
never see customer history), API keys with `customers:read` / `customers:write`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard.domain import money
from dashboard.domain.customers import Address, Customer
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.domain.orders import (
    Actor,
    AddressIn,
    CustomerIn,
    Order,
    OrderStatus,
    validate_address,
)
from dashboard.domain.orders.inputs import _EMAIL
from dashboard.domain.payments import Payment, PaymentStatus
from dashboard.services.db import atomic
from dashboard.services.orders import search

MAX_PER_PAGE = 200
_order, _customer, _payment = Order.__table__, Customer.__table__, Payment.__table__
_address = Address.__table__
ADDRESS_FIELDS = ("name", "company", "street_address_1", "street_address_2", "city",
                  "city_area", "country_area", "postal_code", "country", "phone")


@dataclass(frozen=True, slots=True)
class CustomerPage:
    rows: list[dict]
    total: int
    total_exact: bool
    page: int
    per_page: int


def _values(session: Session, customer_ids: list[int]) -> dict[int, dict]:
    """Order count, lifetime value per currency and last order time, per customer."""
    if not customer_ids:
        return {}
    # Money received: paid orders (refunds taken off), never unpaid or cancelled ones.
    counted = sa.and_(_order.c.status != OrderStatus.CANCELLED.value,
                      _order.c.payment_status != PaymentStatus.UNPAID.value)
    refunds = (
        sa.select(_payment.c.order_id, sa.func.sum(_payment.c.refunded_minor).label("refunded"))
        .group_by(_payment.c.order_id).subquery()
    )
    rows = session.connection().execute(
        sa.select(
            _order.c.customer_id, _order.c.currency,
            sa.func.count().label("orders"),
            sa.func.sum(sa.case((counted, _order.c.total_minor), else_=0)).label("spent"),
            sa.func.sum(sa.case((counted, sa.func.coalesce(refunds.c.refunded, 0)),
                                else_=0)).label("refunded"),
            sa.func.max(_order.c.placed_at).label("last"),
            sa.func.min(_order.c.placed_at).label("first"),
        )
        .select_from(_order.outerjoin(refunds, refunds.c.order_id == _order.c.id))
        .where(_order.c.customer_id.in_(customer_ids))
        .group_by(_order.c.customer_id, _order.c.currency)
    ).all()
    out: dict[int, dict] = {}
    for r in rows:
        v = out.setdefault(r.customer_id, {"order_count": 0, "lifetime_value": {},
                                           "last_order_at": None, "first_order_at": None})
        v["order_count"] += r.orders
        net = int(r.spent or 0) - int(r.refunded or 0)
        v["lifetime_value"][r.currency] = money.format_amount(net, r.currency)
        v["last_order_at"] = max(filter(None, [v["last_order_at"], r.last]), default=None)
        v["first_order_at"] = min(filter(None, [v["first_order_at"], r.first]), default=None)
    return out


def _summary(c, values: dict | None) -> dict:
    v = values or {"order_count": 0, "lifetime_value": {}, "last_order_at": None,
                   "first_order_at": None}
    return {"id": c.id, "name": c.name, "email": c.email, "phone": c.phone or "", **v}


def list_customers(session: Session, *, q: str | None = None, page: int = 1,
                   per_page: int = 50, count_limit: int | None = search.COUNT_LIMIT) -> CustomerPage:
    """Customers by name (or those matching `q`, as the order search matches them), each
    with order count, lifetime value and last order. Read only."""
    if not isinstance(page, int) or not 1 <= page <= 100_000:
        raise ValidationFailed("Bad page.", fields={"page": "must be 1 or more"})
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationFailed("Bad page.", fields={"per_page": f"1 to {MAX_PER_PAGE}"})
    text = (q or "").strip()
    if len(text) > 200:
        raise ValidationFailed("Bad search.", fields={"q": "at most 200 characters"})
    conditions = []
    if text:
        match = search.customer_match(session, text)
        if match is None:
            return CustomerPage([], 0, True, page, per_page)
        conditions.append(_customer.c.id.in_(match.scalar_subquery()))
    inner = sa.select(sa.literal(1)).select_from(_customer).where(*conditions)
    if count_limit is not None:
        inner = inner.limit(count_limit + 1)
    total = session.connection().execute(
        sa.select(sa.func.count()).select_from(inner.subquery())).scalar_one()
    exact = count_limit is None or total <= count_limit
    total = total if exact else count_limit
    rows = session.connection().execute(
        sa.select(_customer).where(*conditions)
        .order_by(_customer.c.name, _customer.c.id)
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    values = _values(session, [r.id for r in rows])
    return CustomerPage([_summary(r, values.get(r.id)) for r in rows], total, exact, page,
                        per_page)


def find_customers(session: Session, q: str, *, limit: int = 8) -> list[dict]:
    """A few customers for a picker as the agent types (name, email or phone)."""
    match = search.customer_match(session, q or "")
    if match is None:
        return []
    rows = session.connection().execute(
        sa.select(_customer).where(_customer.c.id.in_(match.scalar_subquery()))
        .order_by(_customer.c.name).limit(limit)
    ).all()
    return [{"id": r.id, "name": r.name, "email": r.email, "phone": r.phone or "",
             "default_address_id": r.default_address_id} for r in rows]


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No such customer.", customer_id=customer_id)
    return customer


def address_book(session: Session, customer_id: int) -> list[dict]:
    customer = get_customer(session, customer_id)
    rows = session.exec(select(Address).where(Address.customer_id == customer_id)
                        .order_by(Address.id)).all()
    return [{"id": a.id, "default": a.id == customer.default_address_id,
             **{k: getattr(a, k) or "" for k in ADDRESS_FIELDS}} for a in rows]


def customer_detail(session: Session, customer_id: int, *, page: int = 1,
                    per_page: int = 20) -> dict:
    """One customer: contact details, lifetime value, address book and order history
    (newest first, paged). Read only."""
    customer = get_customer(session, customer_id)
    values = _values(session, [customer.id]).get(customer.id)
    history = search.search_orders(session, search.OrderSearch(customer_id=customer.id),
                                   page=page, per_page=per_page, count_limit=None)
    return {
        **_summary(customer, values),
        "created_at": customer.created_at,
        "addresses": address_book(session, customer.id),
        "orders": history.rows,
        "orders_total": history.total,
    }


def _check_customer(customer: CustomerIn) -> dict[str, str]:
    errors = {}
    email = (customer.email or "").strip()
    if not _EMAIL.match(email) or len(email) > 254:
        errors["email"] = "is not an email address"
    if not (customer.name or "").strip() or len(customer.name) > 200:
        errors["name"] = "is required, at most 200 characters"
    if len(customer.phone or "") > 40:
        errors["phone"] = "must be at most 40 characters"
    return errors


@atomic
def create_customer(session: Session, *, actor: Actor, customer: CustomerIn,
                    address: AddressIn | None = None) -> Customer:
    """A new customer account (e.g. a first order by phone), optionally with a default
    address. Refuses an email that already has an account, naming it. Commits."""
    errors = _check_customer(customer)
    if address is not None:
        validate_address(address, "address", errors)
    if errors:
        raise ValidationFailed("The customer has invalid fields.", fields=errors)
    email = customer.email.strip().lower()
    existing = session.exec(select(Customer).where(Customer.email == email)).first()
    if existing is not None:
        raise ValidationFailed(f"{email} already has an account ({existing.name}).",
                               fields={"email": "already has an account"})
    row = Customer(email=email, name=customer.name.strip(), phone=(customer.phone or "").strip()
                   or None)
    session.add(row)
    session.flush()
    if address is not None:
        book = Address(customer_id=row.id, **{k: (getattr(address, k) or "").strip()
                                              for k in ADDRESS_FIELDS})
        session.add(book)
        session.flush()
        row.default_address_id = book.id
        session.add(row)
    return row


@atomic
def update_customer(session: Session, *, actor: Actor, customer_id: int,
                    customer: CustomerIn) -> Customer:
    """Change a customer's name, email or phone. The email stays unique. Commits."""
    row = get_customer(session, customer_id)
    errors = _check_customer(customer)
    if errors:
        raise ValidationFailed("The customer has invalid fields.", fields=errors)
    email = customer.email.strip().lower()
    if email != row.email and session.exec(select(Customer).where(Customer.email == email)).first():
        raise ValidationFailed(f"{email} already has an account.",
                               fields={"email": "already has an account"})
    row.email, row.name = email, customer.name.strip()
    row.phone = (customer.phone or "").strip() or None
    session.add(row)
    return row


@atomic
def save_address(session: Session, *, actor: Actor, customer_id: int, address: AddressIn,
                 address_id: int | None = None, make_default: bool = False) -> Address:
    """Add an address to a customer's book, or change one of theirs. Past orders keep
    their own copies, so this never rewrites where an order went. Commits."""
    customer = get_customer(session, customer_id)
    errors: dict[str, str] = {}
    validate_address(address, "address", errors)
    if errors:
        raise ValidationFailed("The address has invalid fields.", fields=errors)
    if address_id is None:
        row = Address(customer_id=customer.id, **{k: "" for k in ADDRESS_FIELDS})
    else:
        row = session.get(Address, address_id)
        if row is None or row.customer_id != customer.id:
            raise NotFound("No such address for this customer.", address_id=address_id)
    for key in ADDRESS_FIELDS:
        setattr(row, key, (getattr(address, key) or "").strip())
    session.add(row)
    session.flush()
    if make_default or customer.default_address_id is None:
        customer.default_address_id = row.id
        session.add(customer)
    return row


@atomic
def delete_address(session: Session, *, actor: Actor, customer_id: int, address_id: int) -> None:
    customer = get_customer(session, customer_id)
    row = session.get(Address, address_id)
    if row is None or row.customer_id != customer.id:
        raise NotFound("No such address for this customer.", address_id=address_id)
    used = session.connection().execute(
        sa.select(sa.func.count()).select_from(_order).where(sa.or_(
            _order.c.shipping_address_id == address_id,
            _order.c.billing_address_id == address_id))
    ).scalar_one()
    if used:  # an order points at this row itself: keep it, only leave the book
        row.customer_id = None
        session.add(row)
    else:
        session.delete(row)
    if customer.default_address_id == address_id:
        customer.default_address_id = None
        session.add(customer)


def default_address(session: Session, customer_id: int) -> AddressIn | None:
    customer = get_customer(session, customer_id)
    if customer.default_address_id is None:
        return None
    a = session.get(Address, customer.default_address_id)
    return AddressIn(**{k: getattr(a, k) or "" for k in ADDRESS_FIELDS}) if a else None


def find_by_email(session: Session, email: str) -> Customer | None:
    return session.exec(select(Customer).where(Customer.email == (email or "").strip().lower())
                        ).first()
