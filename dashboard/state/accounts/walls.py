"""Settings → Wall screens: owners make a read-only link per screen (shown once) and
revoke it; an open wall stops within a second of revoking."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import reflex as rx

from dashboard import site
from dashboard.domain.accounts import OWNER_ONLY
from dashboard.domain.errors import DomainError
from dashboard.services import accounts
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.clock import ago, local


@dataclasses.dataclass
class KioskRow:
    ref: int  # position in this list (the link's id stays on the server)
    name: str
    prefix: str
    created: str
    created_by: str
    last_seen: str
    revoked: bool


class KiosksState(AuthState):
    # Secrets shown to the owner once: a reload clears them (IdentityMiddleware).
    SHOWN_ONCE: ClassVar[tuple[str, ...]] = ("new_link", "new_link_name")
    kiosks: list[KioskRow] = []
    loaded: bool = False
    create_error: str = ""
    new_link: str = ""  # shown once, right after creation
    new_link_name: str = ""
    _ids: list[int] = []

    def _fetch(self) -> None:
        with read_session() as session:  # rows are read before the session closes
            rows = accounts.list_kiosk_links(session)
            self._ids = [k.id for k in rows]
            self.kiosks = [
                KioskRow(i, k.name, k.prefix + "…", local(k.created_at), k.created_by,
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
    def close_link(self):
        self.new_link = self.new_link_name = ""

    @rx.event
    @guarded(*OWNER_ONLY)
    def create(self, form: dict):
        try:
            with write_session() as session:
                row, raw = accounts.create_kiosk_link(session, name=str(form.get("name", "")),
                                                   by=self._principal, client=self._client())
        except DomainError as error:
            self.create_error = error.message
            return None
        self.create_error = ""
        origin = self.router.headers.origin or ""
        self.new_link, self.new_link_name = f"{origin}{site.WALL}/{raw}", row.name
        self._fetch()
        return None

    @rx.event
    @guarded(*OWNER_ONLY)
    def revoke(self, ref: int):
        if not isinstance(ref, int) or not 0 <= ref < len(self._ids):
            return rx.toast.error("That link is no longer listed; reload the page.")
        try:
            with write_session() as session:
                row = accounts.revoke_kiosk_link(session, kiosk_id=self._ids[ref],
                                              by=self._principal, client=self._client())
        except DomainError as error:
            return rx.toast.error(error.message)
        self._fetch()
        return rx.toast.success(f"Revoked the link of {row.name}")
