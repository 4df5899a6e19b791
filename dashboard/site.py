"""Where things live on the site: page routes, each role's home page, the session cookie
(whether it is Secure: dashboard.config.security().session_cookie_secure).

Shared by the UI states, the sign-in routes of the API and the tests; no Reflex import.
"""

from __future__ import annotations

from dashboard import config

LOGIN = "/login"
ORDERS = "/orders"
BOARD = "/board"
PICKING = "/picking"
SETTINGS = "/settings"
AUDIT = "/audit"
RESET = "/reset"  # /reset/<token>: set a password from a one-time link
WALL = "/wall"  # /wall/<token>: the kiosk's read-only queues
SETUP = "/setup"  # /setup/<token>: the first-run link that creates the owner
OVERVIEW = "/overview"
STOCK = "/stock"

HOME = {"owner": ORDERS, "staff": ORDERS, "picker": PICKING}

SESSION_COOKIE = "fulfil_session"
SESSION_COOKIE_MAX_AGE = 7 * 24 * 3600  # the session's absolute lifetime; the server decides


def home_for(role: str) -> str:
    """Where a role lands after signing in: OVERVIEW_LANDING=1 sends owners and staff to
    the overview."""
    if role in ("owner", "staff") and config.overview().landing:
        return OVERVIEW
    return HOME.get(role, LOGIN)


def safe_next(path: str | None) -> str | None:
    """A same-site path to return to after signing in, or None (no open redirects)."""
    if not path or len(path) > 200 or not path.startswith("/") or path.startswith("//"):
        return None
    if "\\" in path or any(c < " " for c in path) or path.startswith(("/api", LOGIN, WALL, SETUP)):
        return None
    return path


def cookie_value(cookie_header: str | None, name: str = SESSION_COOKIE) -> str:
    """One cookie's value from a Cookie header ("" when absent)."""
    for part in (cookie_header or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return value.strip().strip('"')
    return ""
