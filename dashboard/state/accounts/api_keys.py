"""Settings → API keys: owners create keys with scopes (the key is shown once) and
revoke them; the list shows each key's prefix, scopes and last use."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import reflex as rx

from dashboard.domain.accounts import OWNER_ONLY
from dashboard.domain.errors import DomainError
from dashboard.services import accounts
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.clock import ago, local

SCOPES = [(scope, accounts.SCOPE_HELP[scope]) for scope in accounts.ALL_SCOPES]


@dataclasses.dataclass
class ApiKeyRow:
    ref: int  # position in this list (the key's id stays on the server)
    name: str
    prefix: str
    scopes: list[str]
    created: str
    last_used: str
    revoked: bool


class ApiKeysState(AuthState):
    # Secrets shown to the owner once: a reload clears them (IdentityMiddleware).
    SHOWN_ONCE: ClassVar[tuple[str, ...]] = ("new_key", "new_key_name")
    keys: list[ApiKeyRow] = []
    loaded: bool = False
    create_open: bool = False
    create_error: str = ""
    new_key: str = ""  # shown once, right after creation
    new_key_name: str = ""
    _ids: list[int] = []

    def _fetch(self) -> None:
        with read_session() as session:  # rows are read before the session closes
            rows = accounts.list_api_keys(session)
            self._ids = [k.id for k in rows]
            self.keys = [
                ApiKeyRow(i, k.name, k.prefix + "…", k.scopes.split(), local(k.created_at),
                          f"{ago(k.last_used_at)} ago" if k.last_used_at else "Never",
                          k.revoked_at is not None)
                for i, k in enumerate(rows)
            ]
        self.loaded = True

    @rx.event
    @guarded(*OWNER_ONLY)
    def load(self):
        self._fetch()

    @rx.event
    @guarded(*OWNER_ONLY)
    def open_create(self):
        self.create_open, self.create_error = True, ""

    @rx.event
    @guarded(*OWNER_ONLY)
    def close_dialogs(self):
        self.create_open, self.create_error = False, ""
        self.new_key = self.new_key_name = ""

    @rx.event
    @guarded(*OWNER_ONLY)
    def create(self, form: dict):
        scopes = tuple(s for s in accounts.ALL_SCOPES if form.get(s) in (True, "on", "true"))
        try:
            with write_session() as session:
                key, raw = accounts.create_api_key(
                    session, name=str(form.get("name", "")), scopes=scopes,
                    by=self._principal, client=self._client())
        except DomainError as error:
            self.create_error = error.message
            return None
        self.create_open, self.create_error = False, ""
        self.new_key, self.new_key_name = raw, key.name
        self._fetch()
        return None

    @rx.event
    @guarded(*OWNER_ONLY)
    def revoke(self, ref: int):
        if not isinstance(ref, int) or not 0 <= ref < len(self._ids):
            return rx.toast.error("That key is no longer listed; reload the page.")
        try:
            with write_session() as session:
                key = accounts.revoke_api_key(session, key_id=self._ids[ref],
                                              by=self._principal, client=self._client())
        except DomainError as error:
            return rx.toast.error(error.message)
        self._fetch()
        return rx.toast.success(f"Revoked {key.name}: it stops working now")
