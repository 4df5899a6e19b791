"""Documents from the orders list: the selection, batch PDFs with progress, and printing a
docket on the thermal printer. Decisions stay in services.documents; this holds view data."""

from __future__ import annotations

import asyncio

import reflex as rx

from dashboard.domain.accounts import STAFF_ROLES
from dashboard.domain.errors import DomainError
from dashboard.services.db import read_session, write_session
from dashboard.services.documents import batches, escpos
from dashboard.services.documents.formats import FORMATS, MAX_BATCH, DocumentKind
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.orders.bulk import BulkState

KIND_OPTIONS = [(k.value, k.title + "s") for k in DocumentKind]
FORMAT_OPTIONS = [(f.key, f.label) for f in FORMATS.values()]
POLL_S = 0.4


def batch_path(token: str) -> str:
    return f"/api/v1/documents/batches/{token}.pdf"


class DocumentsState(AuthState):
    """Batch PDFs work on the list's selection (BulkState.selected), read on the server."""

    batch_kind: str = DocumentKind.PACKING_SLIP.value
    batch_format: str = "a4"
    batch_status: str = ""  # "", running, ready, failed
    batch_done: int = 0
    batch_total: int = 0
    batch_file: str = ""  # the download path once ready
    batch_error: str = ""
    printing: str = ""  # the order number being sent to the printer

    @rx.var
    def batch_percent(self) -> int:
        return int(100 * self.batch_done / self.batch_total) if self.batch_total else 0

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_batch_kind(self, value: str):
        if value in {k for k, _ in KIND_OPTIONS}:
            self.batch_kind = value

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_batch_format(self, value: str):
        if value in FORMATS:
            self.batch_format = value

    @rx.event(background=True)
    @guarded(*STAFF_ROLES)
    async def make_batch(self):
        """Build one PDF of the selected orders, showing progress, then offer it."""
        async with self:
            selected = (await self.get_state(BulkState)).selected
            if self.batch_status == "running" or not selected:
                return
            numbers = [int(n) for n in selected[:MAX_BATCH]]
            kind, page, actor = self.batch_kind, self.batch_format, self._principal.actor
            self.batch_status, self.batch_done, self.batch_total = "running", 0, len(numbers)
            self.batch_file = self.batch_error = ""
        try:
            with write_session() as session:
                batch = batches.start_batch(session, actor=actor, kind=kind, numbers=numbers,
                                            page=page)
            token = batch.token
        except DomainError as exc:
            async with self:
                self.batch_status, self.batch_error = "failed", exc.message
            return
        build = asyncio.create_task(asyncio.to_thread(batches.build_batch, token))
        while not build.done():
            await asyncio.sleep(POLL_S)
            with read_session() as session:
                status = batches.batch_status(session, token)
            async with self:
                self.batch_done = status.done
        result = await build
        async with self:
            self.batch_done = result.done
            if result.status == "ready":
                self.batch_status, self.batch_file = "ready", batch_path(token)
            else:
                self.batch_status, self.batch_error = "failed", result.error or "Failed."

    @rx.event(background=True)
    @guarded(*STAFF_ROLES)
    async def print_docket(self, number: str, kind: str = DocumentKind.PACKING_SLIP.value):
        """Send one order's docket or receipt to the receipt printer."""
        if not str(number).isdecimal() or kind not in {k.value for k in DocumentKind}:
            return None
        async with self:
            if self.printing:
                return rx.toast.info("The printer is busy with another docket.")
            self.printing = str(number)
        try:
            def send():
                with read_session() as session:
                    return escpos.print_docket(session, kind=kind, number=int(number))

            await asyncio.to_thread(send)
        except DomainError as exc:
            return rx.toast.error(exc.message)
        finally:
            async with self:
                self.printing = ""
        return rx.toast.success(f"{DocumentKind(kind).title} for #{number} sent to the printer.")
