"""Who this browser tab is acting as, as last resolved on the server.

Every page state inherits `AuthState`. It holds the caller's `Principal` in a backend
var (`_principal`: ids, role, session) and only display strings in frontend vars. It is
filled by the guard (dashboard.state.guard), which re-resolves the HttpOnly session
cookie from the database on every event; nothing here is trusted from the browser.

When the identity changes (another session, signed out, another role) every page state
of this tab is reset before anything is sent, so a tab reused by the next person (or a
demoted user) never receives what the previous identity could see.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from dashboard import site
from dashboard.domain.accounts import ANONYMOUS, EVERY_USER, OWNER_ONLY, STAFF_ROLES, Principal

# The pages each role reaches (the guard enforces it; this only draws the sidebar).
NAV = [
    ("Overview", site.OVERVIEW, "chart-no-axes-combined", STAFF_ROLES),
    ("Orders", site.ORDERS, "package", STAFF_ROLES),
    ("Board", site.BOARD, "square-kanban", STAFF_ROLES),
    ("Phone order", "/phone-order", "phone", STAFF_ROLES),
    ("Customers", "/customers", "users", STAFF_ROLES),
    ("Stock", "/stock", "boxes", STAFF_ROLES),
    ("Payments", "/payments", "banknote", STAFF_ROLES),
    ("Outbox", "/outbox", "mail", STAFF_ROLES),
    ("Picking", site.PICKING, "scan-barcode", EVERY_USER),
    ("Settings", site.SETTINGS, "settings", OWNER_ONLY),
    ("Audit log", site.AUDIT, "scroll-text", OWNER_ONLY),
]


@dataclasses.dataclass
class NavItem:
    text: str
    href: str
    icon: str


def nav_for(role: str) -> list[NavItem]:
    return [NavItem(text, href, icon) for text, href, icon, roles in NAV if role in roles]


def _descendants(cls: type[rx.State]) -> list[type[rx.State]]:
    found = []
    for sub in cls.get_substates():
        found += [sub, *_descendants(sub)]
    return found


class AuthState(rx.State):
    # Display only; every decision reads `_principal`, set by the guard.
    user_name: str = ""
    user_email: str = ""
    role_label: str = ""
    nav: list[NavItem] = []
    _principal: Principal = ANONYMOUS
    _fingerprint: str = ANONYMOUS.fingerprint

    @rx.var
    def user_initials(self) -> str:
        parts = self.user_name.replace("@", " ").split()
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    async def _adopt(self, principal: Principal) -> None:
        """Take the identity the server resolved; forget every view on a change."""
        auth = await self.get_state(AuthState)
        if principal.fingerprint != auth._fingerprint:
            for cls in _descendants(AuthState):  # load them all (Redis keeps them apart)
                await self.get_state(cls)
        auth._take(principal)

    def _take(self, principal: Principal) -> None:
        # Called on the AuthState instance itself; its substates are loaded by now.
        if principal.fingerprint != self._fingerprint:
            self.reset()  # this state and every page state under it
            self._fingerprint = principal.fingerprint
        self._principal = principal
        user = principal.signed_in
        self.user_name = (principal.name or principal.label) if user else ""
        self.user_email = principal.label if user else ""
        self.role_label = principal.role.capitalize() if user else ""
        self.nav = nav_for(principal.role) if user else []

    def _client(self) -> str:
        return self.router.session.client_ip or ""

    def _session_cookie(self) -> str:
        # The handshake's headers (taken by the server from the websocket connection,
        # never from the event payload); the cookie itself is HttpOnly.
        return site.cookie_value(self.router.headers.cookie)
