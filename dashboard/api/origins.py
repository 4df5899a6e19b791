"""Which page origins may open the event websocket and post the sign-in forms.

Always the app's own origin: the address the browser used to reach this server (the
request's Host, or the X-Forwarded-Host/-Proto a reverse proxy sets), so the app works on
any port, on 127.0.0.1 or on a LAN address without configuration. CORS_ALLOWED_ORIGINS
adds others. A page from anywhere else is refused (a browser always sends Origin with a
websocket handshake and a form post, and a page cannot forge it or the Host), and the
refusal is logged once per origin naming the setting.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from dashboard import config

log = logging.getLogger("dashboard.origins")
SETTING = "CORS_ALLOWED_ORIGINS"
_logged: set[str] = set()
_dev_frontend: set[str] = set()


def trust_dev_frontend(origin: str) -> None:
    """In development Reflex serves the frontend on its own port (:3000) beside the
    backend (:8000): that origin is the app's own too. Called by the app module in dev
    mode only; production serves both on one origin."""
    if origin:
        _dev_frontend.add(origin.rstrip("/"))


def refused_message(origin: str) -> str:
    return (f"{origin} is not allowed to connect to this app: only the app's own address and "
            f"the origins in {SETTING} are. To serve it from {origin}, add it to {SETTING} "
            "(comma-separated) and restart.")


def _first(value: str) -> str:
    return value.split(",")[0].strip()


def own_origins(scheme: str, headers: Mapping[str, str]) -> set[str]:
    """The origins a same-origin page has: `scheme` is the request's (http, https, ws,
    wss); `headers` maps lower-case names to values."""
    scheme = {"ws": "http", "wss": "https"}.get(scheme, scheme)
    host = _first(headers.get("host", ""))
    found = {f"{scheme}://{host}"} if host else set()
    proto = _first(headers.get("x-forwarded-proto", "")) or scheme
    forwarded_host = _first(headers.get("x-forwarded-host", "")) or host
    if forwarded_host and ("x-forwarded-proto" in headers or "x-forwarded-host" in headers):
        found.add(f"{proto}://{forwarded_host}")
    return found


def public_origin(scheme: str, headers: Mapping[str, str]) -> str:
    """The origin the browser reached this server at (a proxy's X-Forwarded-* first)."""
    scheme = {"ws": "http", "wss": "https"}.get(scheme, scheme)
    proto = _first(headers.get("x-forwarded-proto", "")) or scheme
    host = _first(headers.get("x-forwarded-host", "")) or _first(headers.get("host", ""))
    return f"{proto}://{host}"


def origin_allowed(origin: str | None, scheme: str, headers: Mapping[str, str]) -> bool:
    """Whether a page at `origin` may use this server (None: no Origin header, so not a
    browser page's cross-site request). Logs a refusal once per origin."""
    if origin is None:
        return True
    origin = origin.rstrip("/")
    if origin in own_origins(scheme, headers) or origin in config.security().cors_allowed_origins \
            or origin in _dev_frontend:
        return True
    if origin not in _logged and len(_logged) < 1000:
        _logged.add(origin)
        log.warning(refused_message(origin))
    return False


def websocket_origin_check(origin: str | None, environ: dict) -> bool:
    """engine.io's `cors_allowed_origins` callable (see dashboard.dashboard)."""
    scope = environ.get("asgi.scope") or {}
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items()
               if key.startswith("HTTP_") and isinstance(value, str)}
    return origin_allowed(origin, scope.get("scheme", "http"), headers)
