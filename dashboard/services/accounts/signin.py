"""Signing in and out: throttling, the password check, a fresh session, the audit trail.

Every attempt is recorded: a checked password as a login_attempt row (what throttling
counts) plus an audit entry; a throttled attempt as an audit entry only. Unknown emails,
wrong passwords, disabled and invited accounts all get the same message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlmodel import Session

from dashboard.domain.accounts import ANONYMOUS, Principal, PrincipalKind
from dashboard.domain.errors import AuthenticationFailed, DomainError
from dashboard.services.accounts import audit, policy, throttle, users


class LoginThrottled(DomainError):
    code = "too_many_attempts"
    status = 429

    def __init__(self, wait_seconds: float) -> None:
        minutes = max(1, math.ceil(wait_seconds / 60))
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(f"Too many failed sign-ins. Try again in {minutes} {unit}.",
                         retry_after=math.ceil(wait_seconds))
        self.wait_seconds = wait_seconds


@dataclass(frozen=True, slots=True)
class SignedInSession:
    user: users.SignedIn
    token: str  # the raw session token, for the cookie; stored only as a hash


def _principal(user: users.SignedIn, session_id: int | None) -> Principal:
    return Principal(PrincipalKind.USER, user.email, str(user.role), user.name, user.id,
                     session_id)


def sign_in(session: Session, *, email: str, password: str, client: str = "") -> SignedInSession:
    """Check a password and start a new session (a new token at every sign-in).
    Raises PasswordSignInOff, LoginThrottled or AuthenticationFailed. Commits."""
    email = (email or "").strip().lower()[:254]
    client = (client or "")[:200]
    if not policy.password_sign_in_allowed(session):
        raise policy.PasswordSignInOff(policy.PASSWORD_OFF)
    attempt, wait = throttle.claim_attempt(session, email=email, client=client)
    if wait is not None:
        audit.record(session, by=ANONYMOUS, action="login.throttled", outcome="refused",
                     target=email, client=client, wait_seconds=int(wait.total_seconds()))
        session.commit()
        raise LoginThrottled(wait.total_seconds())
    try:
        user = users.authenticate(session, email=email, password=password, client=client,
                                  attempt=attempt)
    except AuthenticationFailed:
        audit.record(session, by=ANONYMOUS, action="login.failed", outcome="refused",
                     target=email, client=client)
        session.commit()
        raise
    return open_session(session, user_id=user.id, client=client)


def open_session(session: Session, *, user_id: int, client: str = "",
                 **detail) -> SignedInSession:
    """A new session for a person who has proved who they are (a password, the identity
    provider, the first-run link), audited as login.succeeded. Commits."""
    token = users.start_session(session, user_id=user_id)
    live, _ = users.lookup_session(session, token)
    if live is None:  # disabled in the meantime
        raise AuthenticationFailed(users.LOGIN_FAILED)
    audit.record(session, by=_principal(live, live.session_id), action="login.succeeded",
                 target=live.email, client=client, **detail)
    session.commit()
    return SignedInSession(live, token)


def sign_out(session: Session, *, token: str | None, client: str = "") -> None:
    """End the session of `token` on the server (the cookie alone proves nothing after
    this). Harmless when the token is unknown or already ended. Commits."""
    user, _ = users.lookup_session(session, token)
    ended = users.end_session(session, token)
    if user is not None and ended is not None:
        audit.record(session, by=_principal(user, ended), action="logout", target=user.email,
                     client=client)
        session.commit()
