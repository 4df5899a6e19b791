"""Settings → Integrations: owners add webhook endpoints (the secret is shown once),
rotate secrets, enable and disable them, send a test event, read each endpoint's
delivery log and replay failures. Every handler is owner-only on the server."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import ClassVar

import reflex as rx

from dashboard.domain.accounts import OWNER_ONLY
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import DomainError
from dashboard.domain.integrations import SUBSCRIBABLE
from dashboard.services import integrations
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.clock import local

EVENTS = list(SUBSCRIBABLE)
REPLAY_WINDOWS = {"1 hour": 1, "24 hours": 24, "3 days": 72, "7 days": 168}


@dataclasses.dataclass
class EndpointRow:
    ref: int  # position in this list (the id stays on the server)
    url: str
    description: str
    events: list[str]
    enabled: bool
    state: str  # "Enabled" / "Disabled"
    reason: str
    created: str


@dataclasses.dataclass
class LogRow:
    ref: int  # position in the log (the delivery id stays on the server)
    event_id: str
    event_type: str
    delivery: str  # pending / delivered / failed
    at: str
    answer: str  # "200", "500", "no answer"
    ok: bool
    detail: str


def _flag(form: dict, name: str) -> bool:
    return form.get(name) in (True, "on", "true")


class IntegrationsState(AuthState):
    SHOWN_ONCE: ClassVar[tuple[str, ...]] = ("shown_key", "shown_key_for")
    endpoints: list[EndpointRow] = []
    log: list[LogRow] = []
    log_for: str = ""  # the endpoint whose log is shown
    create_error: str = ""
    shown_key: str = ""  # shown once, after adding or rotating
    shown_key_for: str = ""
    replay_window: str = "24 hours"
    _ids: list[int] = []
    _log_endpoint: int | None = None
    _log_ids: list[int] = []

    def _fetch(self) -> None:
        with read_session() as session:
            rows = integrations.list_endpoints(session)
            self._ids = [e.id for e in rows]
            self.endpoints = [
                EndpointRow(i, e.url, e.description, list(e.events), e.enabled,
                            "Enabled" if e.enabled else "Disabled", e.disabled_reason or "",
                            local(e.created_at))
                for i, e in enumerate(rows)
            ]
            if self._log_endpoint is not None and self._log_endpoint not in self._ids:
                self._log_endpoint = None
            if self._log_endpoint is None:
                self.log, self._log_ids, self.log_for = [], [], ""
                return
            entries = integrations.delivery_log(session, self._log_endpoint)
        self._log_ids = [e.delivery_id for e in entries]
        self.log = [
            LogRow(i, e.event_id, e.event_type, e.status,
                   local(e.attempt_at, "%d %b %H:%M:%S") if e.attempt_at else "waiting",
                   str(e.status_code) if e.status_code is not None else
                   ("no answer" if e.attempt_at else "—"),
                   e.ok, (e.error or e.response_excerpt or "")[:200])
            for i, e in enumerate(entries)
        ]

    def _endpoint(self, ref) -> int | None:
        if isinstance(ref, int) and 0 <= ref < len(self._ids):
            return self._ids[ref]
        return None

    @rx.event
    @guarded(*OWNER_ONLY)
    def load(self):
        self._fetch()

    @rx.event
    @guarded(*OWNER_ONLY)
    def refresh(self):
        self._fetch()

    @rx.event
    @guarded(*OWNER_ONLY)
    def close_secret(self):
        self.shown_key = self.shown_key_for = ""

    @rx.event
    @guarded(*OWNER_ONLY)
    def add(self, form: dict):
        events = [e for e in EVENTS if _flag(form, e)]
        try:
            with write_session() as session:
                endpoint, secret = integrations.add_endpoint(
                    session, by=self._principal, url=str(form.get("url", ""))[:2100],
                    events=events, description=str(form.get("description", ""))[:300],
                    client=self._client())
                url = endpoint.url
        except DomainError as error:
            self.create_error = error.message + "".join(
                f" ({field}: {problem})" for field, problem in getattr(error, "fields", {}).items())
            return None
        self.create_error = ""
        self.shown_key, self.shown_key_for = secret, url
        self._fetch()
        return None

    def _act(self, ref, action, done: str):
        endpoint_id = self._endpoint(ref)
        if endpoint_id is None:
            return rx.toast.error("That endpoint is no longer listed; reload the page.")
        try:
            with write_session() as session:
                outcome = action(session, endpoint_id)
        except DomainError as error:
            return rx.toast.error(error.message)
        self._fetch()
        if outcome is not None or not done:
            return outcome
        return rx.toast.success(done)

    @rx.event
    @guarded(*OWNER_ONLY)
    def rotate(self, ref: int):
        def action(session, endpoint_id):
            endpoint, secret = integrations.rotate_secret(
                session, by=self._principal, endpoint_id=endpoint_id, client=self._client())
            self.shown_key, self.shown_key_for = secret, endpoint.url
            return None
        return self._act(ref, action, "New secret made: the old one also signs for 24 hours")

    @rx.event
    @guarded(*OWNER_ONLY)
    def toggle(self, ref: int):
        enable = isinstance(ref, int) and 0 <= ref < len(self.endpoints) and \
            not self.endpoints[ref].enabled
        return self._act(ref, lambda session, endpoint_id: integrations.set_enabled(
            session, by=self._principal, endpoint_id=endpoint_id, enabled=enable,
            client=self._client()) and None, "")  # the row shows it

    @rx.event
    @guarded(*OWNER_ONLY)
    def send_test(self, ref: int):
        def action(session, endpoint_id):
            integrations.send_test_event(session, by=self._principal, endpoint_id=endpoint_id)
            self._log_endpoint = endpoint_id
            self.log_for = self.endpoints[ref].url
            return None
        return self._act(ref, action, "")  # the log shows it, waiting, then its answer

    @rx.event
    @guarded(*OWNER_ONLY)
    def delete(self, ref: int):
        return self._act(ref, lambda session, endpoint_id: integrations.delete_endpoint(
            session, by=self._principal, endpoint_id=endpoint_id, client=self._client()),
            "Endpoint removed")

    @rx.event
    @guarded(*OWNER_ONLY)
    def show_log(self, ref: int):
        endpoint_id = self._endpoint(ref)
        if endpoint_id is None:
            return rx.toast.error("That endpoint is no longer listed; reload the page.")
        self._log_endpoint, self.log_for = endpoint_id, self.endpoints[ref].url
        self._fetch()
        return None

    @rx.event
    @guarded(*OWNER_ONLY)
    def replay(self, ref: int):
        if not isinstance(ref, int) or not 0 <= ref < len(self._log_ids):
            return rx.toast.error("That delivery is no longer listed; reload the page.")
        try:
            with write_session() as session:
                integrations.replay_delivery(session, by=self._principal,
                                             delivery_id=self._log_ids[ref])
        except DomainError as error:
            return rx.toast.error(error.message)
        self._fetch()  # the log shows it pending again, under the same event id
        return None

    @rx.event
    @guarded(*OWNER_ONLY)
    def set_replay_window(self, value: str):
        self.replay_window = value if value in REPLAY_WINDOWS else "24 hours"

    @rx.event
    @guarded(*OWNER_ONLY)
    def replay_failed(self):
        if self._log_endpoint is None:
            return rx.toast.error("Open an endpoint's log first.")
        since = utcnow() - timedelta(hours=REPLAY_WINDOWS.get(self.replay_window, 24))
        try:
            with write_session() as session:
                count = integrations.replay_failed(session, by=self._principal, since=since,
                                                   endpoint_id=self._log_endpoint)
        except DomainError as error:
            return rx.toast.error(error.message)
        self._fetch()
        return rx.toast.success(f"Queued {count} failed deliver{'ies' if count != 1 else 'y'} again")
