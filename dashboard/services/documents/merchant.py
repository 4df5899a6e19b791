"""The merchant's details as documents and emails print them, from the environment.

One place reads them, so a settings page that stores them later changes only this module.
Multi-line values (the address, bank details, footer) use `|` or a newline between lines.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from dashboard.config import shop_name
from dashboard.services.messaging.outbox import merchant_email


def _lines(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in re.split(r"\||\n", value or "") if part.strip())


def _rate(value: str) -> Decimal:
    try:
        rate = Decimal(value.strip() or "0")
    except InvalidOperation:
        return Decimal(0)
    return rate if Decimal(0) <= rate < Decimal(100) else Decimal(0)


@dataclass(frozen=True, slots=True)
class MerchantProfile:
    name: str  # the shop's trading name
    legal_name: str
    address: tuple[str, ...]
    email: str
    phone: str
    website: str
    tax_id: str  # printed as is, e.g. "ABN 12 345 678 901"
    tax_label: str  # "GST", "VAT"
    tax_rate: Decimal  # percent included in prices; 0 prints no tax line
    bank_details: tuple[str, ...]  # how to pay by bank transfer
    footer: tuple[str, ...]
    logo_path: Path | None
    public_url: str  # where staff open the app; QR codes point into it
    mail_from: str

    @property
    def is_tax_invoice(self) -> bool:
        return bool(self.tax_id)

    def order_url(self, number: int) -> str:
        return f"{self.public_url}/orders/{number}"


def merchant_profile() -> MerchantProfile:
    """Read now, not cached: a changed environment (or test) is seen at once. Cheap."""
    env = os.environ.get
    name = shop_name()
    logo = env("MERCHANT_LOGO", "").strip()
    logo_path = Path(logo) if logo and Path(logo).is_file() else None
    email = merchant_email()
    return MerchantProfile(
        name=name,
        legal_name=env("MERCHANT_LEGAL_NAME", "").strip() or name,
        address=_lines(env("MERCHANT_ADDRESS", "")),
        email=email,
        phone=env("MERCHANT_PHONE", "").strip(),
        website=env("MERCHANT_WEBSITE", "").strip(),
        tax_id=env("MERCHANT_TAX_ID", "").strip(),
        tax_label=env("MERCHANT_TAX_LABEL", "GST").strip() or "Tax",
        tax_rate=_rate(env("MERCHANT_TAX_RATE", "0")),
        bank_details=_lines(env("MERCHANT_BANK_DETAILS", "")),
        footer=_lines(env("DOCUMENT_FOOTER", "Thank you for shopping with us.")),
        logo_path=logo_path,
        public_url=(env("PUBLIC_URL", "") or "http://localhost:3000").rstrip("/"),
        mail_from=env("MAIL_FROM", "").strip() or f"{name} <{email}>",
    )
