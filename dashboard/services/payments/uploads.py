"""Uploaded bank statements between upload and confirm, kept out of the page state.

A statement (up to 20 MB) is written once to a private folder (`STATEMENT_UPLOAD_DIR`,
default `data/uploads`, mode 0700) under a random id; the page state holds only that id,
so events and Redis never carry the file. An upload is removed on confirm or on "another
file"; one left behind (a closed tab) is removed after a day, by the next upload. Every
backend worker on the machine reads the same folder. No database, no reflex.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from dashboard import config
from dashboard.domain.errors import DomainError

KEEP_SECONDS = 24 * 3600
_ID = re.compile(r"[A-Za-z0-9_-]{32}")


class UploadGone(DomainError):
    code = "upload_gone"
    status = 410


def _folder() -> Path:
    folder = config.payments().statement_upload_dir
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # private even when the folder was made by hand
    return folder


def _path(upload_id: str) -> Path:
    if not _ID.fullmatch(upload_id or ""):  # never a path of the caller's choosing
        raise UploadGone("No statement is uploaded; upload it again.")
    return _folder() / upload_id


def save(content: bytes) -> str:
    """Keep an upload; returns its id (random, 32 characters). Clears old ones first."""
    clear_old()
    upload_id = secrets.token_urlsafe(24)
    path = _folder() / upload_id
    partial = path.with_suffix(".part")
    with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(content)
    partial.replace(path)  # a reader never sees half a file
    return upload_id


def load(upload_id: str) -> bytes:
    """The upload's bytes; UploadGone when it was removed or is older than a day."""
    path = _path(upload_id)
    try:
        if time.time() - path.stat().st_mtime > KEEP_SECONDS:
            path.unlink(missing_ok=True)
            raise FileNotFoundError(path)
        return path.read_bytes()
    except FileNotFoundError:
        raise UploadGone("The uploaded statement is no longer kept (uploads are kept for a "
                         "day); upload it again.") from None


def discard(upload_id: str) -> None:
    """Remove an upload (no error when it is already gone)."""
    if _ID.fullmatch(upload_id or ""):
        (_folder() / upload_id).unlink(missing_ok=True)


def clear_old() -> int:
    """Remove uploads (and partial writes) older than a day; returns how many."""
    removed, cutoff = 0, time.time() - KEEP_SECONDS
    for path in _folder().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another worker removed it meanwhile
            continue
    return removed
