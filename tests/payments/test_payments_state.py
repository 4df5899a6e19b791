"""The payments page's state without a browser, through its guarded handlers: an uploaded
statement stays out of the state (what each event serialises, and Redis stores), and the
preview and the import work from the stored upload."""

from __future__ import annotations

import asyncio
import io
import os
import pickle
import time
from pathlib import Path

import pytest
import reflex as rx

from dashboard.domain.accounts import Principal, PrincipalKind, decide
from dashboard.domain.payments import Payment
from dashboard.state.accounts import guard
from dashboard.state.payments import PaymentsState
from tests.payments.conftest import count, get_order, priced_orders

STAFF = Principal(PrincipalKind.USER, "staff@example.com", role="staff", name="Sam Staff",
                  user_id=1, session_id=1)


@pytest.fixture
def uploads(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "uploads"
    monkeypatch.setenv("STATEMENT_UPLOAD_DIR", str(folder))
    return folder


@pytest.fixture
def state(url, uploads, monkeypatch) -> PaymentsState:
    async def identify(_state, roles):
        return STAFF, decide(STAFF, roles)

    monkeypatch.setattr(guard, "_identify", identify)
    return new_state()


def new_state() -> PaymentsState:
    """The page state of one browser tab (in a state tree of its own)."""
    root = rx.State(_reflex_internal_init=True)
    return root.get_substate(PaymentsState.get_full_name().split(".")[1:])


def run(state: PaymentsState, handler: str, *args):
    return asyncio.run(getattr(PaymentsState, handler).fn(state, *args))


def us_statement(padding_lines: int) -> bytes:
    """A US bank's export shaped like au-headerless.csv (month first): one line paying
    #100012 on 9 Nov, one settling the order (16 Nov), then other people's credits."""
    lines = ['"11/09/2026","+45.00","DIRECT CREDIT 123456 LI WEI ORDER 100012","+12045.00"',
             '"11/16/2026","+7.00","OSKO PAYMENT FROM A NEIGHBOUR","+12052.00"']
    lines += [f'"11/{1 + i % 12:02d}/2026","+1.{i % 100:02d}","OSKO PAYMENT FROM CUSTOMER {i}",'
              f'"+12052.00"' for i in range(padding_lines)]
    return ("\n".join(lines) + "\n").encode()


def upload(state: PaymentsState, content: bytes, name: str = "us.csv") -> None:
    run(state, "upload_statement", [rx.UploadFile(file=io.BytesIO(content), path=Path(name))])


def test_an_uploaded_statement_stays_out_of_the_state_and_still_imports(url, state, uploads):
    # given an unpaid order and a 1.5 MB statement paying it
    priced_orders(url, {100012: "45.00"})
    content = us_statement(24_000)
    assert len(content) > 1_500_000
    # when staff upload it
    upload(state, content)
    # then the preview is there
    assert state.preview_error == "" and state.line_counts["matched"] == 1
    # but what every later event serialises (and Redis stores) is small: no var holds the file
    assert len(state._serialize()) < len(content) / 10
    assert len(pickle.dumps(state)) < len(content) / 10
    assert not any(isinstance(v, bytes) and len(v) > 1000 for v in vars(state).values())
    # and the file waits in the private upload folder, under a random name
    kept = list(uploads.iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert uploads.stat().st_mode & 0o077 == 0 and kept[0].stat().st_mode & 0o077 == 0
    # when staff confirm, a click later, the import reads the stored upload
    run(state, "toggle", "100012")  # any event in between
    run(state, "confirm_import")
    assert get_order(url, 100012).payment_status == "paid" and count(url, Payment) == 1
    assert "1 orders paid" in state.import_result
    # and the upload is gone
    assert list(uploads.iterdir()) == []


def test_the_preview_writes_each_date_with_its_months_name(url, state):
    # given an Australian shop and a US export (month first; 16 Nov settles it)
    priced_orders(url, {100012: "45.00"})
    upload(state, us_statement(3))
    # then the table shows 9 Nov as "9 Nov 2026", never as 11/09 or 9/11
    dates = {r.line_no: r.booked_on for r in state.lines}
    assert (dates["1"], dates["2"], dates["3"]) == ("9 Nov 2026", "16 Nov 2026", "1 Nov 2026")
    assert next(r for r in state.lines if r.line_no == "1").orders == "#100012"
    # and says what decided the order
    assert state.date_note == "Dates read month first: 11/16/2026 reads no other way."


def test_another_file_forgets_the_upload_and_old_uploads_are_cleared(url, state, uploads):
    priced_orders(url, {100012: "45.00"})
    upload(state, us_statement(5))
    run(state, "clear_statement")  # "Another file"
    assert list(uploads.iterdir()) == [] and state.file_name == ""
    # an upload a day old is no longer used: the tab is told to upload it again
    upload(state, us_statement(5))
    (kept,) = uploads.iterdir()
    os.utime(kept, (time.time() - 25 * 3600,) * 2)
    run(state, "set_mapping", "decimal", ".")
    assert "upload it again" in state.preview_error and state.lines == []
    assert not kept.exists()
    # and one left behind by a closed tab is removed by the next upload, anyone's
    upload(state, us_statement(5))
    (left,) = uploads.iterdir()
    os.utime(left, (time.time() - 25 * 3600,) * 2)
    upload(new_state(), us_statement(6))
    assert not left.exists() and len(list(uploads.iterdir())) == 1
