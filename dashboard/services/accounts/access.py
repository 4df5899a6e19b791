"""Authorisation against the database: the one check behind every UI event handler, page
load and wall-screen refresh (dashboard.state.guard) — API keys have their own
(dashboard.api.auth), which records refusals in the same audit log.

`authorize` re-reads the session (or kiosk link) on every call, so signing out elsewhere,
disabling a user, a role change or revoking a wall link applies to the very next event.
Reads run on a read transaction (never queued behind order intake); the idle timer and a
kiosk's last-used time are refreshed in their own short write, at most once a minute.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from dashboard.domain.accounts import ANONYMOUS, Decision, Principal, PrincipalKind, decide
from dashboard.services.accounts import audit, users, walls
from dashboard.services.db import read_session, write_session

log = logging.getLogger("dashboard.access")


@dataclass(frozen=True, slots=True)
class Resolution:
    principal: Principal
    touch_session: str | None = None  # a session token whose idle timer is due a refresh
    touch_kiosk: int | None = None


def resolve(session: Session, *, session_token: str | None, kiosk_token: str | None = None
            ) -> Resolution:
    """Who holds these credentials: a live session's user, else a live kiosk link, else
    anonymous. Reads only."""
    user, stale = users.lookup_session(session, session_token) if session_token else (None, False)
    if user is not None:
        principal = Principal(PrincipalKind.USER, user.email, str(user.role), user.name,
                              user.id, user.session_id)
        return Resolution(principal, session_token if stale else None)
    found = walls.lookup_kiosk(session, kiosk_token) if kiosk_token else None
    if found is not None:
        return Resolution(found.principal, touch_kiosk=found.id if found.touch_due else None)
    holder = users.session_holder(session, session_token) if session_token else None
    if holder is not None:  # an ended, expired or disabled session: say whose it was
        session_id, user_id, email = holder
        return Resolution(Principal(PrincipalKind.ANONYMOUS, f"{email} (signed out)",
                                    user_id=user_id, session_id=session_id))
    return Resolution(ANONYMOUS)


def record_use(session: Session, resolution: Resolution) -> None:
    """Refresh the idle timer / the kiosk's last use. Commits."""
    if resolution.touch_session:
        users.touch_session(session, resolution.touch_session)
    if resolution.touch_kiosk:
        walls.touch_kiosk(session, resolution.touch_kiosk)


def authorize(*, session_token: str | None, kiosk_token: str | None, roles: tuple[str, ...],
              url: str | None = None) -> tuple[Principal, Decision]:
    """Resolve the caller and decide whether `roles` admit them (domain.access.decide)."""
    with read_session(url) as session:
        resolution = resolve(session, session_token=session_token, kiosk_token=kiosk_token)
    if resolution.touch_session or resolution.touch_kiosk:
        try:
            with write_session(url) as session:
                record_use(session, resolution)
        except SQLAlchemyError:  # bookkeeping: never refuse a request for it
            log.warning("could not refresh the session's idle timer", exc_info=True)
    return resolution.principal, decide(resolution.principal, roles)


def record_refusal(*, principal: Principal, decision: Decision, action: str, target: str,
                   client: str = "", url: str | None = None, **detail) -> None:
    """Write a refused attempt to the audit log (within the flood budget)."""
    try:
        with write_session(url) as session:
            audit.record_refusal(session, by=principal, action=action, target=target,
                                 client=client, reason=str(decision.refusal), **detail)
    except SQLAlchemyError:  # the refusal stands even if it cannot be written down
        log.exception("could not record a refused %s on %s", action, target)
