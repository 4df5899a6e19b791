"""Choosing a password from a one-time link (/reset/<token>): an invitation or a reset.

Public: the person is not signed in. The link's 256-bit token is the credential, checked
by services.accounts on load and again when the password is set (which spends it).
"""

from __future__ import annotations

import reflex as rx

from dashboard import site
from dashboard.domain.errors import DomainError
from dashboard.services import accounts
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import public


def _token(path: str) -> str:
    prefix = site.RESET + "/"
    return path[len(prefix):].strip("/") if path.startswith(prefix) else ""


class ResetState(AuthState):
    email: str = ""
    loaded: bool = False
    error: str = ""

    @rx.event
    @public("one-time password link: the token in the URL is the credential")
    def load(self):
        with read_session() as session:
            self.email = accounts.reset_link_email(session, _token(self.router.url.path)) or ""
        self.error = "" if self.email else accounts.LINK_INVALID
        self.loaded = True

    @rx.event
    @public("one-time password link: the token in the URL is the credential")
    def set_password(self, form: dict):
        password, again = str(form.get("password", "")), str(form.get("again", ""))
        if password != again:
            self.error = "The two passwords differ."
            return None
        try:
            with write_session() as session:
                accounts.use_reset_link(session, token=_token(self.router.url.path),
                                        password=password, client=self.router.session.client_ip)
        except DomainError as error:
            fields = getattr(error, "fields", {}) or {}
            self.error = error.message + (f" ({fields['password']})" if "password" in fields else "")
            return None
        self.email = ""
        return rx.redirect(f"{site.LOGIN}?notice=password_set")
