"""Customers: the customer list and one customer."""

from dashboard.pages.customers.directory import customer_page, customers_page

__all__ = [
    "customer_page",
    "customers_page",
]
