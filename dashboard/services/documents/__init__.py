"""Invoices, receipts, packing slips and pick lists: PDF, print-friendly HTML, thermal
dockets over ESC/POS, and batches of up to 500 orders."""

from dashboard.services.documents.merchant import merchant_profile

__all__ = [
    "merchant_profile",
]
