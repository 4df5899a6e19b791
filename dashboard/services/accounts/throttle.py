"""Sign-in throttling, per account and per client, kept in the database (login_attempt)
so every worker and every process sees the same count.

An account may fail `ACCOUNT_FREE` times within `WINDOW` (counted since its last
successful sign-in); after that each further try must wait, doubling from `BASE_DELAY`
up to `MAX_DELAY` after the latest failure. A client (IP address) gets `CLIENT_FREE`
failures across all accounts, which stops one machine trying a password on many accounts.
Throttled attempts are refused before the password is checked and are recorded in the
audit log, not as failures: waiting out the delay always gives one more try.
An attempt is claimed (`claim_attempt`) before its password is checked: under a lock per
email and per client the wait is read and a row counted as a failure is committed, so
simultaneous tries count each other and no more than the free ones reach the password.
The counts are by email as typed (lower-cased), so an unknown email is throttled exactly
like a real one and the throttle reveals nothing about which accounts exist.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, func, select

from dashboard.domain.accounts import LoginAttempt
from dashboard.domain.columns import utcnow
from dashboard.services.db import is_postgres

WINDOW = timedelta(minutes=15)
ACCOUNT_FREE = 5
CLIENT_FREE = 20
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)


def _delay(failures: int, free: int) -> timedelta:
    if failures < free:
        return timedelta(0)
    return min(MAX_DELAY, BASE_DELAY * 2 ** min(failures - free, 10))


def _failures(session: Session, column, value: str, since: datetime) -> tuple[int, datetime | None]:
    last_success = session.exec(
        select(func.max(LoginAttempt.created_at)).where(column == value, LoginAttempt.succeeded)
    ).one()
    if last_success is not None:
        last_success = _aware(last_success)
        since = max(since, last_success)
    count, latest = session.exec(
        select(func.count(), func.max(LoginAttempt.created_at)).where(
            column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.created_at > since
        )
    ).one()
    return int(count), _aware(latest) if latest is not None else None


def _aware(value: datetime) -> datetime:
    # Aggregates may bypass the column type on SQLite and come back naive (stored as UTC).
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def wait_before_login(session: Session, *, email: str, client: str,
                      now: datetime | None = None) -> timedelta | None:
    """How long this email or client must still wait before trying again, or None."""
    now = now or utcnow()
    since = now - WINDOW
    waits = []
    for column, value, free in ((LoginAttempt.email, email, ACCOUNT_FREE),
                                (LoginAttempt.client, client, CLIENT_FREE)):
        if not value:
            continue
        count, latest = _failures(session, column, value, since)
        if latest is not None and (delay := _delay(count, free)):
            waits.append(latest + delay - now)
    wait = max(waits, default=timedelta(0))
    return wait if wait > timedelta(0) else None


def claim_attempt(session: Session, *, email: str, client: str, now: datetime | None = None
                  ) -> tuple[LoginAttempt | None, timedelta | None]:
    """(a committed attempt row, None), counted as a failure until the caller marks it
    succeeded; or (None, the wait still due). Check and claim are one step per email and
    client: a lock on PostgreSQL, the write transaction's BEGIN IMMEDIATE on SQLite."""
    _lock(session, email, client)
    wait = wait_before_login(session, email=email, client=client, now=now)
    if wait is not None:
        return None, wait
    attempt = LoginAttempt(email=email, client=client, succeeded=False)
    if now is not None:
        attempt.created_at = now
    session.add(attempt)
    session.commit()
    return attempt, None


def _lock(session: Session, email: str, client: str) -> None:
    connection = session.connection()
    if not is_postgres(connection):
        return
    keys = sorted({_key(f"login:{kind}:{value}") for kind, value in
                   (("email", email), ("client", client)) if value})
    for key in keys:  # always in the same order: two tries never wait on each other
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big",
                          signed=True)
