"""The sign-in page. The form itself posts to /api/session/login (see api/routes/session);
this state only explains why the person is here and skips the form when already signed in.
"""

from __future__ import annotations

import reflex as rx

from dashboard import config, site
from dashboard.services import accounts
from dashboard.services.accounts import LOGIN_FAILED
from dashboard.services.db import read_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import EVERYONE, _identify, public

ERRORS = {
    "failed": LOGIN_FAILED,
    "missing": "Enter your email address and password.",
    "throttled": "Too many failed sign-ins. Try again in {minutes} {unit}.",
    "password_off": accounts.PASSWORD_OFF,
    **{f"oidc_{reason}": text for reason, text in accounts.oidc.MESSAGES.items()},
}
NOTICES = {
    "signed_out": "You have signed out.",
    "password_set": "Your password is set: sign in with it.",
}


def _wait_text(seconds: str) -> dict[str, str]:
    minutes = max(1, -(-int(seconds) // 60)) if seconds.isdecimal() and len(seconds) < 7 else 1
    return {"minutes": str(minutes), "unit": "minute" if minutes == 1 else "minutes"}


class LoginState(AuthState):
    error: str = ""
    notice: str = ""
    next_path: str = ""
    oidc_label: str = ""  # "Sign in with <shop>" when OIDC is set up
    password_allowed: bool = True

    @rx.event
    @public("the sign-in page: shows why the person is here; redirects if already signed in")
    async def load(self):
        principal, _ = await _identify(self, EVERYONE)
        await self._adopt(principal)
        if principal.signed_in:
            return rx.redirect(site.home_for(principal.role))
        query = self.router.url.query_parameters
        code = str(query.get("error", ""))
        self.error = ERRORS.get(code, "").format(**_wait_text(str(query.get("wait", ""))))
        self.notice = NOTICES.get(str(query.get("notice", "")), "") if not self.error else ""
        self.next_path = site.safe_next(str(query.get("next", ""))) or ""
        oidc = config.oidc()
        self.oidc_label = f"Sign in with {oidc.provider_name}" if oidc.enabled else ""
        with read_session() as session:
            self.password_allowed = accounts.password_sign_in_allowed(session)
        return None
