"""Login session handling. Every handler and loader of every page starts with
`self._require_user()`: the one place where the cookie token is re-resolved on the server."""

from __future__ import annotations

import os

import reflex as rx

from dashboard.domain.errors import AuthenticationFailed
from dashboard.services import users
from dashboard.services.db import read_session, write_session

COOKIE_NAME = "fulfil_session"
# Secure cookies work on https:// and on http://localhost; set SESSION_COOKIE_SECURE=0
# only for a plain-http deployment on another host name.
COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") != "0"
COOKIE_MAX_AGE = 12 * 3600
LOGIN_ROUTE = "/login"
HOME_ROUTE = "/orders"


def _signed_in(token: str) -> users.SignedIn | None:
    """Resolve a session token on a read transaction (readers never queue behind order
    intake); the idle timer is refreshed in its own short write when it is due."""
    if not token:
        return None
    with read_session() as session:
        user, stale = users.lookup_session(session, token)
    if user is not None and stale:
        with write_session() as session:
            users.touch_session(session, token)
    return user


class AuthState(rx.State):
    session_token: str = rx.Cookie(
        "",
        name=COOKIE_NAME,
        path="/",
        max_age=COOKIE_MAX_AGE,
        secure=COOKIE_SECURE,
        same_site="strict",
    )
    # Display only; decisions use the server-side `_` vars set by _require_user.
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    _user_id: int | None = None
    _role: str = ""

    def _require_user(self, *roles: str) -> rx.event.EventSpec | None:
        """Re-resolve the session cookie. Returns a redirect when the caller may not go on."""
        user = _signed_in(self.session_token)
        if user is None:
            self._forget_user()
            return rx.redirect(LOGIN_ROUTE)
        self._remember_user(user)
        if roles and self._role not in roles:
            return rx.toast.error("You do not have access to that.")
        return None

    def _remember_user(self, user) -> None:
        self._user_id, self._role = user.id, str(user.role)
        self.user_name = user.name or user.email
        self.user_email = user.email
        self.user_role = str(user.role)

    def _forget_user(self) -> None:
        self._user_id, self._role = None, ""
        self.user_name = self.user_email = self.user_role = ""
        self.session_token = ""

    @rx.var
    def user_initials(self) -> str:
        parts = self.user_name.replace("@", " ").split()
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    @rx.event
    def logout(self):
        if denied := self._require_user():
            return denied
        with write_session() as session:
            users.end_session(session, self.session_token)
        self._forget_user()
        return rx.redirect(LOGIN_ROUTE)


class LoginState(AuthState):
    error: str = ""

    @rx.event
    def load(self):
        """Skip the form when the browser already holds a valid session."""
        self.error = ""
        if self.session_token:
            user = _signed_in(self.session_token)
            if user is not None:
                self._remember_user(user)
                return rx.redirect(HOME_ROUTE)
        return None

    @rx.event
    def login(self, form: dict):
        email = str(form.get("email", "")).strip()
        password = str(form.get("password", ""))
        self.error = ""
        if not email or not password:
            self.error = "Enter your email address and password."
            return None
        try:
            with write_session() as session:
                user = users.authenticate(
                    session, email=email, password=password, client=self.router.session.client_ip
                )
                token = users.start_session(session, user_id=user.id)
        except AuthenticationFailed as exc:
            self.error = exc.message
            return None
        self.session_token = token
        self._remember_user(user)
        return rx.redirect(HOME_ROUTE)
