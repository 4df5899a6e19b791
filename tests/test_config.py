"""Settings from the environment (dashboard.config): the defaults a fresh install runs on,
each kind of value read as its type, and a malformed value refused with its name."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest

from dashboard import config
from dashboard.config import SettingError


def test_a_fresh_install_runs_on_the_documented_defaults():
    s = config.settings({})
    assert s.database.url.startswith("sqlite:///") and s.database.url.endswith("data/dashboard.db")
    assert s.database.redis_url is None
    assert s.security.cors_allowed_origins == ("http://localhost:3000",)
    assert s.security.session_cookie_secure is True
    m = s.merchant
    assert (m.name, m.legal_name, m.email) == ("Harbour & Pine", "Harbour & Pine", "orders@example.com")
    assert (m.timezone.key, m.country, m.subdivision) == ("Australia/Sydney", "AU", None)
    assert (m.tax_label, m.tax_rate, m.is_tax_invoice) == ("GST", Decimal(0), False)
    assert m.footer == ("Thank you for shopping with us.",)
    assert m.mail_from == "Harbour & Pine <orders@example.com>"
    assert m.order_url(100001) == "http://localhost:3000/orders/100001"
    e = s.email
    assert (e.resend_api_key, e.resend_api_url) == ("", "https://api.resend.com")
    assert (e.max_attempts, e.base_delay_seconds, e.lease_seconds, e.poll_seconds) == (8, 30, 120, 5.0)
    assert e.worker and e.customer_emails and e.send_order_confirmation
    assert (e.tracking_url_template, e.delivery_days) == ("", (2, 5))
    p = s.payments
    assert p.due_days == {"card": 1, "bank_transfer": 2, "cheque": 5}
    assert p.auto_cancel_days == {"card": None, "bank_transfer": None, "cheque": None}
    assert (p.receipt_emails, p.notify_on_auto_cancel, p.sweep_interval_s) == (False, False, 300.0)
    assert p.stripe_webhook_secret == "" and p.statement_upload_dir == config.PROJECT_ROOT / "data" / "uploads"
    b = s.board
    assert b.business_hours == (time(9), time(17)) and b.undo_seconds == 60
    assert b.age_hours["paid"] == (8, 16) and b.age_hours["ready_for_pickup"] == (24, 56)
    assert (s.documents.page_size, s.documents.font, s.documents.printer) == ("a4", None, None)
    assert s.stock.low_stock_units == 5


def test_each_kind_of_value_is_read_as_its_type(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"png")
    s = config.settings({
        "DATABASE_URL": "postgres://shop:pw@db/shop",
        "REFLEX_REDIS_URL": "redis://cache:6379",
        "CORS_ALLOWED_ORIGINS": " https://shop.example/, https://wall.example ,https://shop.example",
        "SESSION_COOKIE_SECURE": "0",
        "MERCHANT_TIMEZONE": "Australia/Hobart",
        "MERCHANT_COUNTRY": "nz", "MERCHANT_SUBDIVISION": "AUK",
        "MERCHANT_ADDRESS": "12 Wharf St|Hobart TAS 7000\nAustralia",
        "MERCHANT_TAX_ID": "ABN 12 345 678 901", "MERCHANT_TAX_RATE": "12.5",
        "MERCHANT_TAX_LABEL": "", "DOCUMENT_FOOTER": "", "MERCHANT_LOGO": str(logo),
        "PUBLIC_URL": "https://shop.example/",
        "OUTBOX_MAX_ATTEMPTS": "50", "OUTBOX_BASE_DELAY_SECONDS": "0",
        "OUTBOX_POLL_SECONDS": "0.5", "OUTBOX_WORKER": "off", "CUSTOMER_EMAILS": "false",
        "DELIVERY_DAYS": "7-3",
        "PAYMENT_DUE_DAYS_CHEQUE": "0", "AUTO_CANCEL_DAYS_BANK_TRANSFER": "3",
        "PAYMENT_RECEIPT_EMAILS": "TRUE", "PAYMENT_SWEEP_INTERVAL_S": "1",
        "STATEMENT_UPLOAD_DIR": str(tmp_path / "up"),
        "BUSINESS_HOURS": " 08:30 - 16:00 ", "BOARD_AGE_HOURS_PAID": "2.5,4",
        "BOARD_AGE_HOURS_UNPAID": "OFF", "BOARD_UNDO_SECONDS": "120",
        "DOCUMENT_PAGE_SIZE": "Letter", "DOCUMENT_FONT": "/fonts/noto.ttf",
        "RECEIPT_PRINTER_HOST": "10.0.0.9", "RECEIPT_PRINTER_PORT": "9101",
        "RECEIPT_PRINTER_PAPER": "58mm", "RECEIPT_PRINTER_TIMEOUT": "2.5",
        "LOW_STOCK_UNITS": "-3",
    })
    assert s.database.url == "postgresql+psycopg://shop:pw@db/shop"
    assert s.database.redis_url == "redis://cache:6379"
    assert s.security.cors_allowed_origins == ("https://shop.example", "https://wall.example")
    assert s.security.session_cookie_secure is False
    m = s.merchant
    assert (m.timezone.key, m.country, m.subdivision) == ("Australia/Hobart", "NZ", "AUK")
    assert m.address == ("12 Wharf St", "Hobart TAS 7000", "Australia")
    assert (m.tax_rate, m.is_tax_invoice) == (Decimal("12.5"), True)
    assert (m.tax_label, m.footer) == ("Tax", ())  # set but empty: a plain label, no footer
    assert m.logo_path == logo and m.public_url == "https://shop.example"
    e = s.email
    assert (e.max_attempts, e.base_delay_seconds, e.poll_seconds) == (20, 0, 0.5)  # 50 capped
    assert (e.worker, e.customer_emails, e.delivery_days) == (False, False, (3, 7))
    p = s.payments
    assert p.due_days["cheque"] is None and p.auto_cancel_days["bank_transfer"] == 3
    assert (p.receipt_emails, p.sweep_interval_s) == (True, 5.0)  # at least every 5 s
    assert p.statement_upload_dir == tmp_path / "up"
    b = s.board
    assert b.business_hours == (time(8, 30), time(16)) and b.undo_seconds == 120
    assert b.age_hours["paid"] == (2.5, 4.0) and b.age_hours["unpaid"] is None
    d = s.documents
    assert (d.page_size, d.font) == ("letter", Path("/fonts/noto.ttf"))
    assert d.printer == config.ReceiptPrinter("10.0.0.9", 9101, 58, "TM-T88V", 2.5)
    assert (d.printer.columns, d.printer.dots) == (32, 384)
    assert s.stock.low_stock_units == 0


def test_picking_settings_default_to_hold_on_short_and_send_the_pickup_notice():
    assert config.picking({}) == config.Picking(partial_shipments=False, pickup_notice=True)
    chosen = config.picking({"PICK_PARTIAL_SHIPMENTS": "yes", "PICK_PICKUP_NOTICE": "off"})
    assert chosen == config.Picking(partial_shipments=True, pickup_notice=False)


def test_a_missing_logo_file_prints_no_logo(tmp_path):
    assert config.merchant_profile({"MERCHANT_LOGO": str(tmp_path / "gone.png")}).logo_path is None


def test_settings_are_read_when_asked_so_a_changed_environment_is_seen(monkeypatch):
    monkeypatch.setenv("BOARD_UNDO_SECONDS", "30")
    assert config.board().undo_seconds == 30
    monkeypatch.setenv("BOARD_UNDO_SECONDS", "90")
    monkeypatch.setenv("MERCHANT_TIMEZONE", "Europe/London")
    assert config.board().undo_seconds == 90 and config.merchant_timezone().key == "Europe/London"


@pytest.mark.parametrize(("name", "value", "says"), [
    ("BOARD_UNDO_SECONDS", "abc", "BOARD_UNDO_SECONDS must be a whole number of seconds from 5 to 3600, got 'abc'"),
    ("BOARD_UNDO_SECONDS", "3", "from 5 to 3600, got '3'"),
    ("BOARD_AGE_HOURS_PICKING", "4;8", '"amber,red" business hours, or "off"'),
    ("BOARD_AGE_HOURS_PICKING", "8,4", "amber above 0 and at most red"),
    ("BUSINESS_HOURS", "nine to five", "like 09:00-17:00"),
    ("BUSINESS_HOURS", "17:00-09:00", "closes after it opens"),
    ("AUTO_CANCEL_DAYS_CHEQUE", "ten", "whole number of business days from 0 to 365, got 'ten'"),
    ("PAYMENT_DUE_DAYS_CARD", "400", "from 0 to 365"),
    ("PAYMENT_RECEIPT_EMAILS", "maybe", "1 or 0"),
    ("SESSION_COOKIE_SECURE", "secure", "1 or 0"),
    ("PAYMENT_SWEEP_INTERVAL_S", "often", "a number of seconds"),
    ("OUTBOX_MAX_ATTEMPTS", "many", "a whole number of tries"),
    ("OUTBOX_POLL_SECONDS", "nan", "a number of seconds"),
    ("DELIVERY_DAYS", "soon", '"2-5"'),
    ("MERCHANT_TIMEZONE", "Mars/Olympus", "a time zone name"),
    ("MERCHANT_TAX_RATE", "10%", "a percentage from 0 to below 100"),
    ("MERCHANT_TAX_RATE", "100", "a percentage from 0 to below 100"),
    ("CORS_ALLOWED_ORIGINS", "*", "never *"),
    ("DOCUMENT_PAGE_SIZE", "a5", "a4 or letter"),
    ("LOW_STOCK_UNITS", "five", "a whole number of units"),
    ("PICK_PARTIAL_SHIPMENTS", "sometimes", "1 or 0"),
    ("PICK_PICKUP_NOTICE", "perhaps", "1 or 0"),
])
def test_a_malformed_value_is_refused_with_the_variables_name(name, value, says):
    with pytest.raises(SettingError, match=name) as refused:
        config.settings({name: value})
    assert says in refused.value.message and refused.value.name == name


@pytest.mark.parametrize(("name", "value"), [
    ("RECEIPT_PRINTER_PORT", "ninety-one"), ("RECEIPT_PRINTER_PORT", "70000"),
    ("RECEIPT_PRINTER_PAPER", "a4"), ("RECEIPT_PRINTER_TIMEOUT", "long"),
])
def test_a_malformed_printer_setting_is_refused_once_a_printer_is_set(name, value):
    assert config.documents({name: value}).printer is None  # no host: no printer to check
    with pytest.raises(SettingError, match=name):
        config.documents({"RECEIPT_PRINTER_HOST": "10.0.0.9", name: value})


def test_services_refuse_a_bad_board_or_payment_setting_as_bad_input(monkeypatch):
    from dashboard.domain.errors import ValidationFailed
    from dashboard.services.board.settings import age_thresholds
    from dashboard.services.payments.settings import payment_rules

    monkeypatch.setenv("BOARD_AGE_HOURS_PAID", "soon")
    with pytest.raises(ValidationFailed, match="BOARD_AGE_HOURS_PAID") as refused:
        age_thresholds()
    assert refused.value.fields == {"BOARD_AGE_HOURS_PAID": "soon"}
    monkeypatch.setenv("PAYMENT_DUE_DAYS_CHEQUE", "-1")
    with pytest.raises(ValidationFailed, match="PAYMENT_DUE_DAYS_CHEQUE"):
        payment_rules()


def test_the_command_line_names_a_bad_setting_before_doing_anything(tmp_path, monkeypatch,
                                                                    capsys):
    from dashboard import cli

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never.db'}")
    monkeypatch.setenv("OUTBOX_LEASE_SECONDS", "a while")
    assert cli.main(["migrate"]) == cli.EXIT_REFUSED
    assert "error: OUTBOX_LEASE_SECONDS must be a whole number of seconds, got 'a while'" in \
        capsys.readouterr().err
    assert not (tmp_path / "never.db").exists()


def test_oidc_is_off_by_default_and_read_when_set():
    assert not config.oidc({}).enabled
    read = config.oidc({"OIDC_ISSUER": "https://id.shop.example/", "OIDC_CLIENT_ID": "fulfil",
                        "OIDC_CLIENT_SECRET": "s3", "OIDC_ROLE_CLAIM": "groups",
                        "OIDC_ROLE_MAP": "shop-admins=owner, packers = Picker",
                        "OIDC_ALLOW_UNKNOWN": "yes", "SHOP_NAME": "Tea Co"})
    assert read.enabled and read.issuer == "https://id.shop.example"
    assert read.role_map == (("shop-admins", "owner"), ("packers", "picker"))
    assert read.allow_unknown and read.provider_name == "Tea Co"


@pytest.mark.parametrize(("env", "name"), [
    ({"OIDC_ISSUER": "http://id.shop.example", "OIDC_CLIENT_ID": "x"}, "OIDC_ISSUER"),
    ({"OIDC_ISSUER": "https://id.shop.example"}, "OIDC_CLIENT_ID"),
    ({"OIDC_ROLE_MAP": "admins=boss"}, "OIDC_ROLE_MAP"),
    ({"OIDC_ROLE_MAP": "=owner"}, "OIDC_ROLE_MAP"),
    ({"OIDC_ROLE_CLAIM": "groups"}, "OIDC_ROLE_MAP"),
    ({"OIDC_ALLOW_UNKNOWN": "maybe"}, "OIDC_ALLOW_UNKNOWN"),
])
def test_a_malformed_oidc_setting_is_refused_by_name(env, name):
    with pytest.raises(SettingError, match=name):
        config.oidc(env)


def test_overview_landing_sends_owners_and_staff_to_the_overview(monkeypatch):
    from dashboard import config, site

    assert config.overview({}).landing is False
    assert site.home_for("staff") == site.ORDERS
    monkeypatch.setenv("OVERVIEW_LANDING", "yes")
    assert [site.home_for(r) for r in ("owner", "staff", "picker")] == [
        site.OVERVIEW, site.OVERVIEW, site.PICKING]
    monkeypatch.setenv("OVERVIEW_LANDING", "sometimes")
    with pytest.raises(SettingError, match="OVERVIEW_LANDING"):
        config.overview()


def test_webhook_settings_default_to_public_addresses_only_and_three_days_of_retries():
    w = config.webhooks({})
    assert (w.allow_private, w.timeout_seconds, w.base_delay_seconds) == (False, 10.0, 30)
    assert (w.max_age_hours, w.disable_after_failures, w.lease_seconds) == (72, 50, 120)
    w = config.webhooks({"WEBHOOKS_ALLOW_PRIVATE": "1", "WEBHOOKS_MAX_AGE_HOURS": "24",
                         "WEBHOOKS_TIMEOUT_SECONDS": "2.5"})
    assert (w.allow_private, w.max_age_hours, w.timeout_seconds) == (True, 24, 2.5)
    assert config.settings({}).webhooks == config.webhooks({})


@pytest.mark.parametrize("name, value", [("WEBHOOKS_ALLOW_PRIVATE", "maybe"),
                                         ("WEBHOOKS_MAX_AGE_HOURS", "0"),
                                         ("WEBHOOKS_DISABLE_AFTER_FAILURES", "many"),
                                         ("WEBHOOKS_TIMEOUT_SECONDS", "soon")])
def test_a_malformed_webhook_setting_is_refused_with_its_name(name, value):
    with pytest.raises(SettingError, match=name):
        config.webhooks({name: value})
