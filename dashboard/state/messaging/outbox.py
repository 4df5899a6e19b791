"""The Outbox page: every email the shop sends, what happened to it and why."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from dashboard.domain.accounts import STAFF_ROLES
from dashboard.domain.errors import DomainError
from dashboard.services import messaging
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.view import label, local_time, merchant_tz

ALL = "all"
PER_PAGE = 50
STATUSES = ["pending", "held", "sent", "failed"]
STATUS_LABELS = {"pending": "Queued", "held": "Held", "sent": "Sent", "failed": "Failed"}
TOPIC_LABELS = {
    "new_order_merchant": "New order (to you)", "order_confirmation": "Order confirmation",
    "payment_receipt": "Payment receipt", "shipped": "Shipped", "ready_for_pickup":
    "Ready for pickup", "order_cancelled": "Cancelled", "credit_note": "Credit note",
}


@dataclasses.dataclass
class OutboxRow:
    id: int
    topic: str
    status: str
    status_label: str
    recipient: str
    subject: str
    order_number: str
    created: str
    when: str  # sent at, or next attempt
    attempts: int
    why: str

    @classmethod
    def from_service(cls, r: dict, tz) -> OutboxRow:
        fmt = "%d %b %H:%M"
        status = r["status"]
        if status == "sent" and r["sent_at"]:
            when = "sent " + local_time(r["sent_at"], tz).strftime(fmt)
        elif status == "pending":
            when = "next try " + local_time(r["next_attempt_at"], tz).strftime(fmt)
        else:
            when = ""
        return cls(
            id=r["id"], topic=TOPIC_LABELS.get(r["topic"], label(r["topic"])), status=status,
            status_label=STATUS_LABELS.get(status, label(status)), recipient=r["to"],
            subject=r["subject"],
            order_number=str(r["order_number"] or ""),
            created=local_time(r["created_at"], tz).strftime(fmt), when=when,
            attempts=r["attempts"], why=r["last_error"],
        )


class OutboxState(AuthState):
    rows: list[OutboxRow] = []
    total: int = 0
    counts: dict[str, int] = {}
    status: str = ALL
    q: str = ""
    page: int = 1
    key_configured: bool = False
    loaded: bool = False
    sending: bool = False
    # the message open in the reader
    reading: int = 0
    open_subject: str = ""
    open_meta: str = ""
    open_text: str = ""
    open_html: str = ""
    open_attachments: list[str] = []
    open_status: str = ""
    open_why: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    @rx.var
    def held_count(self) -> int:
        return self.counts.get("held", 0)

    def _fetch(self) -> None:
        with read_session() as session:
            rows, total, counts = messaging.list_messages(
                session, status=None if self.status == ALL else self.status,
                q=self.q.strip() or None, page=self.page, per_page=PER_PAGE)
        tz = merchant_tz()
        self.rows = [OutboxRow.from_service(r, tz) for r in rows]
        self.total, self.counts = total, counts
        self.key_configured = bool(messaging.api_key())
        self.loaded = True

    @rx.event
    @guarded(*STAFF_ROLES)
    def load(self):
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_status(self, value: str):
        self.status = value if value in (ALL, *STATUSES) else ALL
        self.page = 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_q(self, value: str):
        self.q, self.page = str(value)[:200], 1
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def go_to_page(self, page: int):
        self.page = min(max(1, int(page)), self.page_count)
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def open_message(self, message_id: int):
        try:
            with read_session() as session:
                d = messaging.message_detail(session, int(message_id))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.reading = d["id"]
        self.open_subject = d["subject"]
        self.open_meta = " · ".join(p for p in (
            "Preview from the order as it is now" if d["preview"] else "",
            f"To {d['to']}" if d["to"] else "", f"from {d['sender']}" if d["sender"] else "",
            f"reply to {d['reply_to']}" if d["reply_to"] else "",
            f"Resend id {d['provider_id']}" if d["provider_id"] else "") if p)
        self.open_text = d["text"] or "This email is rendered when the worker first picks it up."
        self.open_html = d["html"]
        self.open_attachments = d["attachments"]
        self.open_status, self.open_why = STATUS_LABELS.get(d["status"], d["status"]), d["last_error"]
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def close_message(self):
        self.reading = 0
        self.open_html = self.open_text = ""

    def _act(self, action, done: str):
        try:
            with write_session() as session:
                action(session)
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.reading = 0
        self._fetch()
        return rx.toast.success(done)

    @rx.event
    @guarded(*STAFF_ROLES)
    def retry(self, message_id: int):
        return self._act(lambda s: messaging.retry(
            s, actor=self._principal.actor, message_id=int(message_id)), "Queued to send again.")

    @rx.event
    @guarded(*STAFF_ROLES)
    def send_again(self, message_id: int):
        return self._act(lambda s: messaging.send_again(
            s, actor=self._principal.actor, message_id=int(message_id)), "A new copy is queued.")

    @rx.event
    @guarded(*STAFF_ROLES)
    def release_held(self):
        return self._act(lambda s: messaging.release_held(s, actor=self._principal.actor),
                         "Held emails are queued.")

    @rx.event(background=True)
    @guarded(*STAFF_ROLES)
    async def send_now(self):
        """Run one pass of the worker now instead of waiting for the next poll."""
        async with self:
            if self.sending:
                return None
            self.sending = True
        try:
            result = await asyncio.to_thread(messaging.send_due)
        finally:
            async with self:
                self.sending = False
                self._fetch()
        return rx.toast.info(f"Outbox: {result.summary()}.")
