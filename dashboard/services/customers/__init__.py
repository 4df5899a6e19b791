"""Customers: the customer database and shipping addresses on orders."""

from dashboard.services.customers.addresses import (
    FIELDS,
    AddressNeedsReview,
    address_review,
    ensure_label_allowed,
    override_address,
    verify_unchecked,
)
from dashboard.services.customers.directory import (
    MAX_PER_PAGE,
    address_book,
    create_customer,
    customer_detail,
    default_address,
    delete_address,
    find_by_email,
    find_customers,
    get_customer,
    list_customers,
    save_address,
    update_customer,
)

__all__ = [
    "AddressNeedsReview",
    "FIELDS",
    "MAX_PER_PAGE",
    "address_review",
    "address_book",
    "create_customer",
    "customer_detail",
    "default_address",
    "delete_address",
    "ensure_label_allowed",
    "find_by_email",
    "find_customers",
    "get_customer",
    "list_customers",
    "override_address",
    "save_address",
    "update_customer",
    "verify_unchecked",
]
