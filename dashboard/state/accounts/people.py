"""Settings → People: owners invite people, change roles, disable, reset passwords.

Thin: every change is one call to services.accounts, which re-checks that the caller is
an active owner, keeps at least one owner, audits, and commits. A one-time link or a
password is shown once, to the owner who asked for it, and kept nowhere in this state.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import reflex as rx

from dashboard import site
from dashboard.domain.accounts import OWNER_ONLY, Role
from dashboard.domain.errors import DomainError
from dashboard.services import accounts
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.clock import local

ROLE_OPTIONS = [(r.value, r.value.capitalize()) for r in Role]


@dataclasses.dataclass
class PersonRow:
    email: str
    name: str
    role: str
    status: str  # Active, Invited, Disabled
    last_sign_in: str
    is_me: bool


def _status(p: accounts.Person) -> str:
    return "Disabled" if not p.active else "Invited" if p.invited else "Active"


def _error_text(error: DomainError) -> str:
    """The service's message, plus field details that are phrases (not bare codes)."""
    fields = getattr(error, "fields", None) or {}
    detail = "; ".join(f"{k}: {v}" for k, v in fields.items() if " " in str(v))
    return f"{error.message} ({detail})" if detail else error.message


class PeopleState(AuthState):
    # Secrets shown to the owner once: a reload clears them (IdentityMiddleware).
    SHOWN_ONCE: ClassVar[tuple[str, ...]] = ("shown_link", "shown_link_for")
    people: list[PersonRow] = []
    loaded: bool = False
    invite_open: bool = False
    invite_error: str = ""
    # Shown once to the owner who asked: a set-password link, cleared on close.
    shown_link: str = ""
    shown_link_for: str = ""
    password_for: str = ""  # the person whose password the owner is setting
    password_error: str = ""

    def _fetch(self) -> None:
        with read_session() as session:
            people = accounts.list_people(session)
        me = self._principal.user_id
        my_email = self._principal.label if me else ""
        self.people = [
            PersonRow(p.email, p.name, p.role, _status(p),
                      local(p.last_login_at) or "Never", p.email == my_email)
            for p in people
        ]
        self.loaded = True

    def _link(self, token: str) -> str:
        origin = self.router.headers.origin or ""
        return f"{origin}{site.RESET}/{token}"

    def _run(self, call):
        """One accounts call in one transaction: (its result, None) or (None, error toast)."""
        try:
            with write_session() as session:
                result = call(session)
        except DomainError as error:
            return None, rx.toast.error(_error_text(error))
        self._fetch()
        return result, None

    @rx.event
    @guarded(*OWNER_ONLY)
    def load(self):
        self._fetch()

    @rx.event
    @guarded(*OWNER_ONLY)
    def open_invite(self):
        self.invite_open, self.invite_error = True, ""

    @rx.event
    @guarded(*OWNER_ONLY)
    def close_dialogs(self):
        self.invite_open, self.invite_error = False, ""
        self.shown_link = self.shown_link_for = ""
        self.password_for = self.password_error = ""

    @rx.event
    @guarded(*OWNER_ONLY)
    def invite(self, form: dict):
        email, name = str(form.get("email", "")), str(form.get("name", ""))
        role = str(form.get("role", ""))
        # No password typed: the person gets a one-time link to choose their own.
        password = str(form.get("password", "")) or None
        if role not in {r.value for r in Role}:
            self.invite_error = "Choose a role."
            return None
        try:
            with write_session() as session:
                person, token = accounts.invite(
                    session, email=email, role=Role(role), name=name, password=password,
                    by=self._principal, client=self._client())
        except DomainError as error:
            self.invite_error = _error_text(error)
            return None
        self.invite_open, self.invite_error = False, ""
        if token:
            self.shown_link, self.shown_link_for = self._link(token), person.email
        self._fetch()
        return rx.toast.success(f"{person.email} can now sign in" if not token else
                                f"Account made for {person.email}: send them the link")

    @rx.event
    @guarded(*OWNER_ONLY)
    def change_role(self, email: str, role: str):
        if role not in {r.value for r in Role}:
            return rx.toast.error("Unknown role.")
        _, failed = self._run(
            lambda s: accounts.change_role(s, email=email, role=Role(role), by=self._principal,
                                           client=self._client()))
        return failed or rx.toast.success(f"{email} is now {role}")

    @rx.event
    @guarded(*OWNER_ONLY)
    def set_active(self, email: str, active: bool):
        _, failed = self._run(
            lambda s: accounts.set_active(s, email=email, active=bool(active),
                                          by=self._principal, client=self._client()))
        done = "enabled" if active else "disabled and signed out"
        return failed or rx.toast.success(f"{email} {done}")

    @rx.event
    @guarded(*OWNER_ONLY)
    def issue_reset_link(self, email: str):
        token, failed = self._run(
            lambda s: accounts.issue_reset_link(s, email=email, by=self._principal,
                                                client=self._client()))
        if failed:
            return failed
        self.shown_link, self.shown_link_for = self._link(token), email
        return None

    @rx.event
    @guarded(*OWNER_ONLY)
    def ask_password(self, email: str):
        self.password_for, self.password_error = str(email), ""

    @rx.event
    @guarded(*OWNER_ONLY)
    def set_password(self, form: dict):
        password, again = str(form.get("password", "")), str(form.get("again", ""))
        if password != again:
            self.password_error = "The two passwords differ."  # noqa: S105 (a message)
            return None
        email = self.password_for
        try:
            with write_session() as session:
                accounts.set_password(session, email=email, password=password,
                                      by=self._principal, client=self._client())
        except DomainError as error:
            self.password_error = _error_text(error)
            return None
        self.password_for = self.password_error = ""
        self._fetch()
        return rx.toast.success(f"Password set for {email}; their sessions were ended")
