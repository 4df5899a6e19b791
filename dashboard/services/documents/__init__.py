"""Invoices, receipts, packing slips and pick lists: PDF, print-friendly HTML, thermal
dockets over ESC/POS, and batches of up to 500 orders (the merchant's details on them:
dashboard.config.merchant_profile)."""

__all__: list[str] = []
