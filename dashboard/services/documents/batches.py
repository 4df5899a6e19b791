"""Batch PDFs built in the background, with progress any backend worker can read.

`start_batch` records the request (one transaction); `build_batch` renders it, writing
`done` every few orders and the finished PDF into the row, so the download works from
whichever worker serves it. Finished batches are kept for a day.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard.domain.columns import utcnow
from dashboard.domain.documents import DocumentBatch
from dashboard.domain.errors import DomainError, NotFound
from dashboard.domain.orders import Actor
from dashboard.services.db import read_session, write_session
from dashboard.services.documents.formats import check_batch, document_kind, page_format
from dashboard.services.documents.render import batch_pdf, default_format, filename

log = logging.getLogger("dashboard.documents")
KEEP = timedelta(hours=24)
_batch = DocumentBatch.__table__


def start_batch(session: Session, *, actor: Actor, kind: str, numbers: list[int],
                page: str | None = None) -> DocumentBatch:
    """Record a batch to build (1 to 500 orders). Commits; returns it with its token.
    Batches older than a day are deleted on the way."""
    kind_ = document_kind(kind)
    fmt = page_format(page, default_format(kind))
    numbers = check_batch([int(n) for n in numbers])
    session.connection().execute(_batch.delete().where(_batch.c.created_at < utcnow() - KEEP))
    batch = DocumentBatch(token=secrets.token_urlsafe(24), kind=kind_.value, page_format=fmt.key,
                          order_numbers=numbers, total=len(numbers), requested_by=actor.label,
                          requested_by_id=actor.id)
    session.add(batch)
    session.commit()
    return batch


def _update(url: str | None, token: str, **values) -> None:
    with write_session(url) as session:
        session.connection().execute(_batch.update().where(_batch.c.token == token).values(**values))
        session.commit()


def build_batch(token: str, *, url: str | None = None) -> DocumentBatch:
    """Render a recorded batch, reporting progress in the row. Never raises for a bad
    batch: the row says `failed` and why."""
    with read_session(url) as session:
        batch = session.exec(select(DocumentBatch).where(DocumentBatch.token == token)).first()
        if batch is None:
            raise NotFound("No such batch.")
        session.expunge(batch)
    _update(url, token, status="running", done=0)
    try:
        with read_session(url) as session:
            data = batch_pdf(session, kind=batch.kind, numbers=batch.order_numbers,
                             page=batch.page_format,
                             progress=lambda done, _total: _update(url, token, done=done))
    except DomainError as exc:
        _update(url, token, status="failed", error=exc.message[:1000], finished_at=utcnow())
    except Exception as exc:  # recorded for the person waiting, then logged in full
        log.exception("batch %s failed", token)
        _update(url, token, status="failed", error=f"Could not build the PDF: {exc}"[:1000],
                finished_at=utcnow())
    else:
        _update(url, token, status="ready", done=batch.total, pdf=data, size_bytes=len(data),
                finished_at=utcnow())
    with read_session(url) as session:
        return batch_status(session, token)


def batch_status(session: Session, token: str) -> DocumentBatch:
    """The batch without its PDF bytes (progress polling reads this)."""
    row = session.connection().execute(
        sa.select(*[c for c in _batch.c if c.name != "pdf"]).where(_batch.c.token == token)
    ).first()
    if row is None:
        raise NotFound("No such batch (batches are kept for a day).")
    return DocumentBatch(**row._mapping)


def batch_file(session: Session, token: str) -> tuple[str, bytes, str]:
    """(document kind, PDF, file name) of a finished batch. Raises NotFound."""
    batch = session.exec(select(DocumentBatch).where(DocumentBatch.token == token)).first()
    if batch is None or batch.status != "ready" or batch.pdf is None:
        raise NotFound("This batch is not ready (or is older than a day).")
    return batch.kind, batch.pdf, filename(batch.kind, batch.order_numbers)
