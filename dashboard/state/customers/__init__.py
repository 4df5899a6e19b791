"""Customers: the customer database."""

from dashboard.state.customers.directory import (
    AddressRow,
    CustomerDetailState,
    CustomerRow,
    CustomersState,
)

__all__ = [
    "AddressRow",
    "CustomerDetailState",
    "CustomerRow",
    "CustomersState",
]
