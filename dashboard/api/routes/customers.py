"""Customers over HTTP: the customer database with lifetime value, one customer's history,
new customers and their address book."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dashboard.api.auth import scope_doc
from dashboard.api.routes.common import IdPath, Reader, Writer, errors
from dashboard.api.schemas import (
    NO_NUL,
    AddressIn,
    CustomerIn,
    Input,
)
from dashboard.domain.orders import inputs
from dashboard.services import customers
from dashboard.services.db import read_session, write_session

router = APIRouter(tags=["customers"])



def _times(row: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


@router.get("/customers", responses=errors(), summary="Customers with lifetime value",
            description="By name, or matching `q` (name, email, phone)."
            + scope_doc("orders:read"))
def list_customers(
    client: Reader,
    q: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=customers.MAX_PER_PAGE)] = 50,
) -> dict:
    with read_session() as session:
        result = customers.list_customers(session, q=q, page=page, per_page=per_page)
    return {"items": [_times(r) for r in result.rows], "total": result.total,
            "total_exact": result.total_exact, "page": page, "per_page": per_page}


@router.get("/customers/{customer_id}", responses=errors(404),
            summary="A customer: lifetime value, addresses, order history",
            description=scope_doc("orders:read"))
def get_customer(customer_id: IdPath, client: Reader,
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> dict:
    with read_session() as session:
        detail = customers.customer_detail(session, customer_id, page=page)
    return {**_times({k: v for k, v in detail.items() if k != "orders"}),
            "orders": [_times(o) for o in detail["orders"]]}


class NewCustomerIn(Input):
    customer: CustomerIn
    address: AddressIn | None = None


@router.post("/customers", status_code=201, responses=errors(),
             summary="Create a customer account", description=scope_doc("orders:write"))
def create_customer(body: NewCustomerIn, client: Writer) -> dict:
    with write_session() as session:
        row = customers.create_customer(
            session, actor=client.actor,
            customer=inputs.CustomerIn(body.customer.email, body.customer.name,
                                       body.customer.phone or ""),
            address=inputs.AddressIn(**body.address.model_dump()) if body.address else None,
        )
        return {"id": row.id, "email": row.email, "name": row.name, "phone": row.phone or ""}


class SavedAddressIn(Input):
    address: AddressIn
    make_default: bool = False


@router.post("/customers/{customer_id}/addresses", status_code=201, responses=errors(404),
             summary="Add an address to a customer's book", description=scope_doc("orders:write"))
def add_address(customer_id: IdPath, body: SavedAddressIn, client: Writer) -> dict:
    with write_session() as session:
        row = customers.save_address(session, actor=client.actor, customer_id=customer_id,
                                     address=inputs.AddressIn(**body.address.model_dump()),
                                     make_default=body.make_default)
        return {"id": row.id}
