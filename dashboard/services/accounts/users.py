"""People and keys: users with roles, login sessions, and API keys.

Passwords are hashed with argon2id and accepted as typed (8 to 1024 characters, no
truncation). Session tokens and API keys are 256-bit random secrets; only their SHA-256
is stored, so a database leak reveals no usable credential.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from dashboard.domain.accounts import LoginAttempt, Role, User, UserSession
from dashboard.domain.accounts.rules import MAX_PASSWORD, MIN_PASSWORD
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import AuthenticationFailed, ValidationFailed
from dashboard.domain.orders import Actor, ActorKind

# API keys live in services.api_keys; these names stay importable from here.
from dashboard.services.accounts.api_keys import (  # noqa: F401
    ALL_SCOPES,
    API_KEY_PREFIX,
    ApiClient,
    create_api_key,
    touch_api_key,
    verify_api_key,
)
from dashboard.services.accounts.tokens import digest, new_token

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))
SESSION_IDLE = timedelta(hours=8)
SESSION_ABSOLUTE = timedelta(days=7)
SESSION_TOUCH_EVERY = timedelta(minutes=1)  # not a write on every click
LOGIN_FAILED = "Email or password is incorrect."
UNUSABLE_HASH = "!"  # noqa: S105 (an invited account: no password matches it)


@dataclass(frozen=True, slots=True)
class SignedIn:
    id: int
    email: str
    name: str
    role: Role
    # The UserSession row this identity came from (None outside a session).
    session_id: int | None = field(default=None, compare=False)

    @property
    def actor(self) -> Actor:
        return Actor(ActorKind.USER, self.email, self.id)


def _signed_in(user: User, session_id: int | None = None) -> SignedIn:
    return SignedIn(user.id, user.email, user.name, Role(user.role), session_id)


def hash_password(password: str) -> str:
    """argon2id of a password taken as typed; refuses lengths outside 8..1024."""
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValidationFailed(
            "Bad password.", fields={"password": f"{MIN_PASSWORD} to {MAX_PASSWORD} characters"}
        )
    return _hasher.hash(password)


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise ValidationFailed("Not an email address.", fields={"email": "invalid"})
    return email


def create_user(
    session: Session, *, email: str, password: str | None, role: Role, name: str = "",
    commit: bool = True,
) -> SignedIn:
    """A new account. `password=None` makes an invited account that cannot sign in until
    a password is set from a one-time link (services.accounts). Commits unless told not to."""
    email = normalise_email(email)
    password_hash = UNUSABLE_HASH if password is None else hash_password(password)
    if len(name or "") > 200:
        raise ValidationFailed("The name is too long.", fields={"name": "at most 200 characters"})
    if session.exec(select(User).where(User.email == email)).first():
        raise ValidationFailed("That email already has an account.", fields={"email": "taken"})
    user = User(email=email, name=(name or "").strip() or email.split("@")[0], role=Role(role),
                password_hash=password_hash)
    session.add(user)
    if commit:
        session.commit()
    else:
        session.flush()
    return _signed_in(user)


def authenticate(session: Session, *, email: str, password: str, client: str = "",
                 attempt: LoginAttempt | None = None) -> SignedIn:
    """Check a password; records every attempt (in `attempt` when the throttle claimed a
    row for it). One message for every failure. Commits."""
    email = (email or "").strip().lower()[:254]
    user = session.exec(select(User).where(User.email == email)).first()
    usable = user is not None and user.password_hash.startswith("$argon2")
    ok = False
    try:
        # An unknown email or an invited account costs one argon2 check all the same.
        ok = _hasher.verify(user.password_hash if usable else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        ok = False
    ok = ok and usable
    ok = ok and user is not None and user.is_active
    if attempt is None:
        attempt = LoginAttempt(email=email, client=client[:200], succeeded=ok)
    attempt.succeeded = ok
    session.add(attempt)
    if ok:
        user.last_login_at = utcnow()
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        session.add(user)
    session.commit()
    if not ok:
        raise AuthenticationFailed(LOGIN_FAILED)
    return _signed_in(user)


def other_active_owners(session: Session, user: User) -> int:
    """How many active owners the shop has besides `user`: the shop always keeps one."""
    return session.exec(select(sa.func.count()).select_from(User).where(
        User.role == Role.OWNER, User.is_active, User.id != user.id)).one()


def start_session(session: Session, *, user_id: int) -> str:
    """A new server-side session; returns the raw token (stored only as a hash). Commits."""
    token = new_token()
    now = utcnow()
    session.add(UserSession(token_hash=digest(token), user_id=user_id, created_at=now,
                            last_seen_at=now, expires_at=now + SESSION_ABSOLUTE))
    session.commit()
    return token


def lookup_session(session: Session, token: str | None) -> tuple[SignedIn | None, bool]:
    """The signed-in user for a token, or None when unknown, ended, idle, expired or the
    user is disabled; and whether the idle timer is due a refresh (`touch_session`).
    Checked against the database on every call, so role changes and disabling take
    effect at once. Reads only: safe on a read session."""
    if not token or len(token) > 200:
        return None, False
    row = session.exec(select(UserSession).where(UserSession.token_hash == digest(token))).first()
    now = utcnow()
    if row is None or row.ended_at is not None or now >= row.expires_at:
        return None, False
    if now - row.last_seen_at > SESSION_IDLE:
        return None, False
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None, False
    return _signed_in(user, row.id), now - row.last_seen_at > SESSION_TOUCH_EVERY


def session_holder(session: Session, token: str | None) -> tuple[int, int, str] | None:
    """(session id, user id, email) behind a token, whether or not the session is still
    live: for the audit log, when an ended session is used. Reads only."""
    if not token or len(token) > 200:
        return None
    row = session.exec(
        select(UserSession.id, User.id, User.email)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == digest(token))
    ).first()
    return tuple(row) if row else None


def touch_session(session: Session, token: str) -> None:
    """Restart the idle timer. Commits."""
    row = session.exec(select(UserSession).where(UserSession.token_hash == digest(token))).first()
    if row is not None and row.ended_at is None:
        row.last_seen_at = utcnow()
        session.add(row)
        session.commit()


def resolve_session(session: Session, token: str | None) -> SignedIn | None:
    """`lookup_session` plus the idle-timer refresh, for callers holding a write session."""
    user, stale = lookup_session(session, token)
    if user is not None and stale:
        touch_session(session, token)
    return user


def end_session(session: Session, token: str | None) -> int | None:
    """End the session of a token (logout). Returns its id if it was live. Commits."""
    if not token or len(token) > 200:
        return None
    row = session.exec(select(UserSession).where(UserSession.token_hash == digest(token))).first()
    if row is None or row.ended_at is not None:
        return None
    row.ended_at = utcnow()
    session.add(row)
    session.commit()
    return row.id


def end_all_sessions(session: Session, user_id: int) -> int:
    """End every live session of a user (disabled, password reset). No commit."""
    result = session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return result.rowcount or 0
