"""Accounts: sign-in, choosing a password, Settings, the audit log."""

from dashboard.pages.accounts.audit import audit_page
from dashboard.pages.accounts.login import login_page
from dashboard.pages.accounts.origin_notice import origin_notice
from dashboard.pages.accounts.reset_password import reset_password_page
from dashboard.pages.accounts.settings import settings_page
from dashboard.pages.accounts.setup import setup_page

__all__ = [
    "audit_page",
    "login_page",
    "origin_notice",
    "reset_password_page",
    "settings_page",
    "setup_page",
]
