"""Every setting read from the environment, typed, in one place (secrets come from nowhere else).

One frozen dataclass per area, built by one function per area from the environment as it
is now (nothing is cached, so a changed environment or a test's monkeypatch is seen at
once); `settings()` builds them all, which the CLI and rxconfig.py do at start so a
malformed value stops the app with the variable's name instead of failing later. Each
function also takes a mapping in place of os.environ.

Conventions: an empty value counts as unset (except DOCUMENT_FOOTER and
MERCHANT_TAX_LABEL, where empty means "none"); flags take 1/0, yes/no, true/false or
on/off; a malformed value raises SettingError naming the variable, what it must be and
what it got. Where a bound used to clamp a value (OUTBOX_*, PAYMENT_SWEEP_INTERVAL_S,
LOW_STOCK_UNITS) it still does.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'dashboard.db'}"
DEFAULT_RESEND_API_URL = "https://api.resend.com"

# Payment methods that can be overdue or auto-cancelled (pay on pickup never is).
PAYMENT_METHODS = ("card", "bank_transfer", "cheque")
DEFAULT_DUE_DAYS = {"card": 1, "bank_transfer": 2, "cheque": 5}
MAX_PAYMENT_DAYS = 365
# Board lanes with an age threshold: (amber, red) business hours, None for never.
DEFAULT_AGE_HOURS: dict[str, tuple[float, float] | None] = {
    "unpaid": (16, 24), "paid": (8, 16), "picking": (4, 8), "ready_for_pickup": (24, 56),
    "on_hold": (8, 24),
}
UNDO_SECONDS = (5, 3600)
PAGE_SIZES = ("a4", "letter")

Environ = Mapping[str, str]


class SettingError(ValueError):
    """A malformed setting: which variable, what it must be, what it got."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        self.name, self.value = name, value[:40]
        self.message = f"{name} must be {expected}, got {self.value!r}"
        super().__init__(self.message)


# -- reading one variable ---------------------------------------------------------------

def _env(environ: Environ | None) -> Environ:
    return os.environ if environ is None else environ


def _raw(env: Environ, name: str) -> str | None:
    """The stripped value, or None when unset."""
    value = env.get(name)
    return None if value is None else value.strip()


def _text(env: Environ, name: str, default: str = "") -> str:
    return _raw(env, name) or default


_TRUE, _FALSE = ("1", "yes", "true", "on"), ("0", "no", "false", "off")


def _flag(env: Environ, name: str, default: bool) -> bool:
    raw = (_raw(env, name) or "").lower()
    if not raw:
        return default
    if raw not in _TRUE + _FALSE:
        raise SettingError(name, raw, "1 or 0 (yes/no, true/false, on/off)")
    return raw in _TRUE


def _whole(env: Environ, name: str, default: int, *, unit: str, low: int, high: int,
           clamp: bool = False) -> int:
    """A whole number from low to high: clamped into the range, or refused outside it."""
    raw = _raw(env, name)
    if not raw:
        return default
    within = "a whole number" + (f" of {unit}" if unit else "") + \
        ("" if clamp else f" from {low} to {high}")
    if not re.fullmatch(r"[+-]?\d{1,9}", raw):
        raise SettingError(name, raw, within)
    value = int(raw)
    if clamp:
        return min(high, max(low, value))
    if not low <= value <= high:
        raise SettingError(name, raw, within)
    return value


def _number(env: Environ, name: str, default: float, *, unit: str, low: float,
            high: float) -> float:
    """A number (decimals allowed), clamped into low..high."""
    raw = _raw(env, name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise SettingError(name, raw, f"a number of {unit}")
    return min(high, max(low, value))


def _lines(value: str) -> tuple[str, ...]:
    """Multi-line values (an address, bank details) use `|` or a newline between lines."""
    return tuple(part.strip() for part in re.split(r"\||\n", value or "") if part.strip())


def _origins(env: Environ) -> tuple[str, ...]:
    raw = _text(env, "CORS_ALLOWED_ORIGINS", "http://localhost:3000")
    origins = tuple(dict.fromkeys(o.strip().rstrip("/") for o in raw.split(",") if o.strip()))
    if not origins or any(o == "*" or "://" not in o for o in origins):
        raise SettingError("CORS_ALLOWED_ORIGINS", raw,
                           "comma-separated origins such as https://shop.example (never *)")
    return origins


def _timezone(env: Environ) -> ZoneInfo:
    raw = _text(env, "MERCHANT_TIMEZONE", "Australia/Sydney")
    try:
        return ZoneInfo(raw)  # ZoneInfo keeps its own cache: this is cheap after the first
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingError("MERCHANT_TIMEZONE", raw,
                           "a time zone name such as Australia/Sydney") from None


def _tax_rate(env: Environ) -> Decimal:
    raw = _text(env, "MERCHANT_TAX_RATE", "0")
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        rate = Decimal("NaN")
    if not rate.is_finite() or not Decimal(0) <= rate < Decimal(100):
        raise SettingError("MERCHANT_TAX_RATE", raw, "a percentage from 0 to below 100, e.g. 10")
    return rate


def _delivery_days(env: Environ) -> tuple[int, int]:
    raw = _text(env, "DELIVERY_DAYS", "2-5")
    match = re.fullmatch(r"(\d{1,2})\s*(?:-\s*(\d{1,2}))?", raw)
    if not match:
        raise SettingError("DELIVERY_DAYS", raw, 'business days such as "2-5" or "3"')
    low, high = int(match.group(1)), int(match.group(2) or match.group(1))
    return min(low, high), max(low, high)


def _hhmm(text: str, raw: str) -> time:
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise SettingError("BUSINESS_HOURS", raw, "opening and closing times like 09:00-17:00") \
            from None


def _business_hours(env: Environ) -> tuple[time, time]:
    raw = _text(env, "BUSINESS_HOURS", "09:00-17:00")
    opens, _, closes = raw.partition("-")
    start, end = _hhmm(opens, raw), _hhmm(closes, raw)
    if end <= start:
        raise SettingError("BUSINESS_HOURS", raw, "a window that closes after it opens")
    return start, end


def _age_hours(env: Environ, lane: str) -> tuple[float, float] | None:
    name = f"BOARD_AGE_HOURS_{lane.upper()}"
    raw = (_raw(env, name) or "").lower()
    if not raw:
        return DEFAULT_AGE_HOURS[lane]
    if raw == "off":
        return None
    try:
        amber, red = (float(part) for part in raw.split(","))
    except ValueError:
        raise SettingError(name, raw, '"amber,red" business hours, or "off"') from None
    if not 0 < amber <= red <= 24 * 365:
        raise SettingError(name, raw, '"amber,red" business hours with amber above 0 and at most red')
    return amber, red


def _payment_days(env: Environ, name: str, default: int | None) -> int | None:
    """Business days (0: never), or the default when unset."""
    if not _raw(env, name):
        return default
    return _whole(env, name, 0, unit="business days", low=0, high=MAX_PAYMENT_DAYS) or None


# -- the areas ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Database:
    url: str  # SQLAlchemy URL; postgres:// and postgresql:// are read as psycopg 3
    redis_url: str | None  # Redis for state shared by several backend workers (REFLEX_REDIS_URL)


def database(environ: Environ | None = None) -> Database:
    env = _env(environ)
    url = _text(env, "DATABASE_URL", DEFAULT_DATABASE_URL)
    # Accept the URLs hosting providers hand out; always use psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return Database(url=url, redis_url=_text(env, "REFLEX_REDIS_URL") or None)


@dataclass(frozen=True, slots=True)
class Security:
    cors_allowed_origins: tuple[str, ...]  # the websocket's and the sign-in form's origins
    session_cookie_secure: bool  # False only for plain http on a host other than localhost


def security(environ: Environ | None = None) -> Security:
    env = _env(environ)
    return Security(
        cors_allowed_origins=_origins(env),
        session_cookie_secure=_flag(env, "SESSION_COOKIE_SECURE", True),
    )


@dataclass(frozen=True, slots=True)
class Oidc:
    """Sign-in with the shop's identity provider (OpenID Connect); off when no issuer."""

    issuer: str  # "" = off; discovery reads <issuer>/.well-known/openid-configuration
    client_id: str
    client_secret: str
    provider_name: str  # the button says "Sign in with <provider_name>"
    role_claim: str  # "" = roles are managed here; else the claim the roles come from
    role_map: tuple[tuple[str, str], ...]  # (claim value, role)
    allow_unknown: bool  # admit people nobody invited (their role from the role claim)

    @property
    def enabled(self) -> bool:
        return bool(self.issuer)


_ROLES = ("owner", "staff", "picker")


def _role_map(env: Environ) -> tuple[tuple[str, str], ...]:
    raw = _text(env, "OIDC_ROLE_MAP")
    pairs = []
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        value, sep, role = part.rpartition("=")
        if not sep or not value.strip() or role.strip().lower() not in _ROLES:
            raise SettingError("OIDC_ROLE_MAP", raw, "comma-separated claim=role pairs with "
                               "role owner, staff or picker, e.g. shop-admins=owner,packers=picker")
        pairs.append((value.strip(), role.strip().lower()))
    return tuple(pairs)


def oidc(environ: Environ | None = None) -> Oidc:
    env = _env(environ)
    issuer = _text(env, "OIDC_ISSUER").rstrip("/")
    local = re.match(r"http://(localhost|127\.0\.0\.1)(:\d+)?(/|$)", issuer)
    if issuer and not (issuer.startswith("https://") or local):
        raise SettingError("OIDC_ISSUER", issuer,
                           "the provider's https:// issuer URL (http:// only for localhost)")
    client_id = _text(env, "OIDC_CLIENT_ID")
    if issuer and not client_id:
        raise SettingError("OIDC_CLIENT_ID", "", "the client id registered at OIDC_ISSUER")
    role_claim, role_map = _text(env, "OIDC_ROLE_CLAIM"), _role_map(env)
    if role_claim and not role_map:
        raise SettingError("OIDC_ROLE_MAP", "", "claim=role pairs, needed with OIDC_ROLE_CLAIM")
    return Oidc(issuer=issuer, client_id=client_id,
                client_secret=_text(env, "OIDC_CLIENT_SECRET"),
                provider_name=_text(env, "OIDC_PROVIDER_NAME") or shop_name(env),
                role_claim=role_claim, role_map=role_map,
                allow_unknown=_flag(env, "OIDC_ALLOW_UNKNOWN", False))


@dataclass(frozen=True, slots=True)
class MerchantProfile:
    """The shop as documents, emails and the app show it."""

    name: str  # the shop's trading name
    legal_name: str
    address: tuple[str, ...]
    email: str  # where new-order emails go
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
    timezone: ZoneInfo  # times are stored in UTC and shown in this zone
    country: str  # ISO 3166 alpha-2: public holidays for business days
    subdivision: str | None  # a state such as NSW

    @property
    def is_tax_invoice(self) -> bool:
        return bool(self.tax_id)

    def order_url(self, number: int) -> str:
        return f"{self.public_url}/orders/{number}"


def merchant_profile(environ: Environ | None = None) -> MerchantProfile:
    env = _env(environ)
    name = shop_name(env)
    email = merchant_email(env)
    logo = _text(env, "MERCHANT_LOGO")
    footer = _raw(env, "DOCUMENT_FOOTER")
    tax_label = _raw(env, "MERCHANT_TAX_LABEL")
    return MerchantProfile(
        name=name,
        legal_name=_text(env, "MERCHANT_LEGAL_NAME", name),
        address=_lines(_text(env, "MERCHANT_ADDRESS")),
        email=email,
        phone=_text(env, "MERCHANT_PHONE"),
        website=_text(env, "MERCHANT_WEBSITE"),
        tax_id=_text(env, "MERCHANT_TAX_ID"),
        tax_label="GST" if tax_label is None else tax_label or "Tax",
        tax_rate=_tax_rate(env),
        bank_details=_lines(_text(env, "MERCHANT_BANK_DETAILS")),
        footer=_lines("Thank you for shopping with us." if footer is None else footer),
        logo_path=Path(logo) if logo and Path(logo).is_file() else None,
        public_url=_text(env, "PUBLIC_URL", "http://localhost:3000").rstrip("/"),
        mail_from=_text(env, "MAIL_FROM", f"{name} <{email}>"),
        timezone=_timezone(env),
        country=_text(env, "MERCHANT_COUNTRY", "AU").upper(),
        subdivision=_text(env, "MERCHANT_SUBDIVISION") or None,
    )


def merchant_timezone(environ: Environ | None = None) -> ZoneInfo:
    return _timezone(_env(environ))


def shop_name(environ: Environ | None = None) -> str:
    return _text(_env(environ), "SHOP_NAME", "Harbour & Pine")


def merchant_email(environ: Environ | None = None) -> str:
    """Where new-order emails go (read on every order: without the whole profile)."""
    return _text(_env(environ), "MERCHANT_EMAIL", "orders@example.com")


@dataclass(frozen=True, slots=True)
class Email:
    resend_api_key: str  # "" : nothing is sent, emails are held in the app's outbox
    resend_api_url: str
    max_attempts: int
    base_delay_seconds: int
    lease_seconds: int
    poll_seconds: float
    worker: bool  # OUTBOX_WORKER: each app process runs the sending worker
    customer_emails: bool  # CUSTOMER_EMAILS
    send_order_confirmation: bool
    tracking_url_template: str  # for carriers not known by name; "" for none
    delivery_days: tuple[int, int]  # business days after shipping: earliest, latest


def email(environ: Environ | None = None) -> Email:
    env = _env(environ)
    return Email(
        resend_api_key=_text(env, "RESEND_API_KEY"),
        resend_api_url=_text(env, "RESEND_API_URL", DEFAULT_RESEND_API_URL).rstrip("/"),
        max_attempts=_whole(env, "OUTBOX_MAX_ATTEMPTS", 8, unit="tries", low=1, high=20,
                            clamp=True),
        base_delay_seconds=_whole(env, "OUTBOX_BASE_DELAY_SECONDS", 30, unit="seconds", low=0,
                                  high=3600, clamp=True),
        lease_seconds=_whole(env, "OUTBOX_LEASE_SECONDS", 120, unit="seconds", low=1, high=3600,
                             clamp=True),
        poll_seconds=_number(env, "OUTBOX_POLL_SECONDS", 5.0, unit="seconds", low=0.2,
                             high=300.0),
        worker=_flag(env, "OUTBOX_WORKER", True),
        customer_emails=_flag(env, "CUSTOMER_EMAILS", True),
        send_order_confirmation=_flag(env, "SEND_ORDER_CONFIRMATION", True),
        tracking_url_template=_text(env, "TRACKING_URL_TEMPLATE"),
        delivery_days=_delivery_days(env),
    )


@dataclass(frozen=True, slots=True)
class Payments:
    due_days: dict[str, int | None]  # per method: business days before overdue (None: never)
    auto_cancel_days: dict[str, int | None]  # per method: None never cancels
    receipt_emails: bool  # email a receipt when a payment is confirmed, by default
    notify_on_auto_cancel: bool
    sweep_interval_s: float
    stripe_webhook_secret: str  # "": the webhook endpoint answers 404
    statement_upload_dir: Path


def payments(environ: Environ | None = None) -> Payments:
    env = _env(environ)
    return Payments(
        due_days={m: _payment_days(env, f"PAYMENT_DUE_DAYS_{m.upper()}", DEFAULT_DUE_DAYS[m])
                  for m in PAYMENT_METHODS},
        auto_cancel_days={m: _payment_days(env, f"AUTO_CANCEL_DAYS_{m.upper()}", None)
                          for m in PAYMENT_METHODS},
        receipt_emails=_flag(env, "PAYMENT_RECEIPT_EMAILS", False),
        notify_on_auto_cancel=_flag(env, "AUTO_CANCEL_NOTIFY_CUSTOMER", False),
        sweep_interval_s=_number(env, "PAYMENT_SWEEP_INTERVAL_S", 300.0, unit="seconds",
                                 low=5.0, high=math.inf),
        stripe_webhook_secret=_text(env, "STRIPE_WEBHOOK_SECRET"),
        statement_upload_dir=Path(_text(env, "STATEMENT_UPLOAD_DIR")
                                  or PROJECT_ROOT / "data" / "uploads"),
    )


@dataclass(frozen=True, slots=True)
class Board:
    business_hours: tuple[time, time]  # the working window on business days, merchant time
    age_hours: dict[str, tuple[float, float] | None]  # per lane: amber, red; None for never
    undo_seconds: int


def board(environ: Environ | None = None) -> Board:
    env = _env(environ)
    low, high = UNDO_SECONDS
    return Board(
        business_hours=_business_hours(env),
        age_hours={lane: _age_hours(env, lane) for lane in DEFAULT_AGE_HOURS},
        undo_seconds=_whole(env, "BOARD_UNDO_SECONDS", 60, unit="seconds", low=low, high=high),
    )


@dataclass(frozen=True, slots=True)
class ReceiptPrinter:
    """A network thermal printer (ESC/POS over TCP)."""

    host: str
    port: int = 9100
    paper_mm: int = 80
    profile: str = "TM-T88V"  # a python-escpos printer profile
    timeout: float = 10.0

    @property
    def columns(self) -> int:
        """Characters per line in font A (12 x 24 dots)."""
        return 48 if self.paper_mm >= 80 else 32

    @property
    def dots(self) -> int:
        """Printable width in dots at 203 dpi: 72 mm or 48 mm."""
        return 576 if self.paper_mm >= 80 else 384


def _printer(env: Environ) -> ReceiptPrinter | None:
    host = _text(env, "RECEIPT_PRINTER_HOST")
    if not host:
        return None
    paper = _text(env, "RECEIPT_PRINTER_PAPER", "80").lower().removesuffix("mm").strip()
    if paper not in ("80", "58"):
        raise SettingError("RECEIPT_PRINTER_PAPER", paper, "80 or 58 (mm)")
    return ReceiptPrinter(
        host=host,
        port=_whole(env, "RECEIPT_PRINTER_PORT", 9100, unit="", low=1, high=65535),
        paper_mm=int(paper),
        profile=_text(env, "RECEIPT_PRINTER_PROFILE", "TM-T88V"),
        timeout=_number(env, "RECEIPT_PRINTER_TIMEOUT", 10.0, unit="seconds", low=0.1,
                        high=600.0),
    )


@dataclass(frozen=True, slots=True)
class Documents:
    page_size: str  # a4 or letter, for sheets
    font: Path | None  # another TrueType font; None: the bundled one
    printer: ReceiptPrinter | None  # None without RECEIPT_PRINTER_HOST


def documents(environ: Environ | None = None) -> Documents:
    env = _env(environ)
    page = _text(env, "DOCUMENT_PAGE_SIZE", "a4").lower()
    if page not in PAGE_SIZES:
        raise SettingError("DOCUMENT_PAGE_SIZE", page, "a4 or letter")
    font = _text(env, "DOCUMENT_FONT")
    return Documents(page_size=page, font=Path(font) if font else None, printer=_printer(env))


@dataclass(frozen=True, slots=True)
class Stock:
    low_stock_units: int  # this many free units or fewer shows as low


def stock(environ: Environ | None = None) -> Stock:
    return Stock(low_stock_units=_whole(_env(environ), "LOW_STOCK_UNITS", 5, unit="units",
                                        low=0, high=10**9, clamp=True))


@dataclass(frozen=True, slots=True)
class Picking:
    partial_shipments: bool  # a short pick ships what was found; the rest is a backorder
    pickup_notice: bool  # "ready for pickup" emails the customer


def picking(environ: Environ | None = None) -> Picking:
    env = _env(environ)
    return Picking(partial_shipments=_flag(env, "PICK_PARTIAL_SHIPMENTS", False),
                   pickup_notice=_flag(env, "PICK_PICKUP_NOTICE", True))


@dataclass(frozen=True, slots=True)
class Overview:
    landing: bool  # owners and staff land on /overview after signing in (else /orders)


def overview(environ: Environ | None = None) -> Overview:
    return Overview(landing=_flag(_env(environ), "OVERVIEW_LANDING", False))


@dataclass(frozen=True, slots=True)
class Webhooks:
    allow_private: bool  # WEBHOOKS_ALLOW_PRIVATE: may endpoints be on private networks
    timeout_seconds: float  # per request: connect, read and write
    base_delay_seconds: int  # the first retry's delay; each later one doubles (12 h at most)
    max_age_hours: int  # retried for this long after the change, then failed
    disable_after_failures: int  # consecutive failed attempts that disable an endpoint
    lease_seconds: int  # a claimed delivery is another worker's again after this


def webhooks(environ: Environ | None = None) -> Webhooks:
    env = _env(environ)
    return Webhooks(
        allow_private=_flag(env, "WEBHOOKS_ALLOW_PRIVATE", False),
        timeout_seconds=_number(env, "WEBHOOKS_TIMEOUT_SECONDS", 10.0, unit="seconds", low=0.5,
                                high=60.0),
        base_delay_seconds=_whole(env, "WEBHOOKS_BASE_DELAY_SECONDS", 30, unit="seconds", low=0,
                                  high=3600),
        max_age_hours=_whole(env, "WEBHOOKS_MAX_AGE_HOURS", 72, unit="hours", low=1, high=720),
        disable_after_failures=_whole(env, "WEBHOOKS_DISABLE_AFTER_FAILURES", 50,
                                      unit="attempts", low=1, high=10_000),
        lease_seconds=_whole(env, "WEBHOOKS_LEASE_SECONDS", 120, unit="seconds", low=1,
                             high=3600),
    )


@dataclass(frozen=True, slots=True)
class Settings:
    database: Database
    security: Security
    oidc: Oidc
    merchant: MerchantProfile
    email: Email
    payments: Payments
    board: Board
    documents: Documents
    stock: Stock
    picking: Picking
    overview: Overview
    webhooks: Webhooks


def settings(environ: Environ | None = None) -> Settings:
    """Every area at once: raises SettingError for the first malformed value."""
    env = _env(environ)
    return Settings(database=database(env), security=security(env),
                    oidc=oidc(env), merchant=merchant_profile(env), email=email(env),
                    payments=payments(env), board=board(env), documents=documents(env),
                    stock=stock(env), picking=picking(env), overview=overview(env),
                    webhooks=webhooks(env))
