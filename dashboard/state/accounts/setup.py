"""The first-run page (/setup/<token>): while no owner exists, the printed one-time link
lets the first person create the owner account. The form (whose hidden token field is
the URL's own route argument, so no state var holds it) posts to /api/session/setup
(which checks the token again, spends it and sets the session cookie); this state only
says whether the link is alive and why the last try failed.

Public: nobody is signed in yet. The token in the URL is the credential.
"""

from __future__ import annotations

import reflex as rx

from dashboard import config, site
from dashboard.domain.accounts.rules import MAX_PASSWORD, MIN_PASSWORD
from dashboard.services import accounts
from dashboard.services.db import read_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import public

ERRORS = {
    "mismatch": "The two passwords differ.",
    "email": "That is not an email address.",
    "password": f"The password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters.",
    "name": "The name is too long (at most 200 characters).",
}


def setup_token(path: str) -> str:
    prefix = site.SETUP + "/"
    return path[len(prefix):].strip("/") if path.startswith(prefix) else ""


class SetupState(AuthState):
    loaded: bool = False
    valid: bool = False
    error: str = ""
    oidc_label: str = ""  # "Continue with <shop>" when the shop's identity provider is set up

    @rx.event
    @public("first-run link: the one-time token in the URL is the credential")
    def load(self):
        token = setup_token(self.router.url.path)
        with read_session() as session:
            self.valid = accounts.setup_link_valid(session, token)
        code = str(self.router.url.query_parameters.get("error", ""))
        self.error = ERRORS.get(code, "") if self.valid else accounts.SETUP_INVALID
        oidc = config.oidc()
        self.oidc_label = f"Continue with {oidc.provider_name}" if oidc.enabled else ""
        self.loaded = True
