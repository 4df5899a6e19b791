"""Customers: customers, their address book, and the check of a shipping address."""

from dashboard.domain.customers.addresses import AddressCheck, address_status, check_address
from dashboard.domain.customers.enums import LABEL_BLOCKING, AddressStatus
from dashboard.domain.customers.models import Address, Customer

__all__ = [
    "Address",
    "AddressCheck",
    "AddressStatus",
    "Customer",
    "LABEL_BLOCKING",
    "address_status",
    "check_address",
]
