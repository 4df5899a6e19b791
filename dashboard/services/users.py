"""People and keys: users with roles, login sessions, and API keys.

Passwords are hashed with argon2id and accepted as typed (8 to 1024 characters, no
truncation). Session tokens and API keys are 256-bit random secrets; only their SHA-256
is stored, so a database leak reveals no usable credential.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from dashboard.domain.enums import ActorKind, Role
from dashboard.domain.errors import AuthenticationFailed, ValidationFailed
from dashboard.domain.inputs import Actor
from dashboard.domain.models import ApiKey, LoginAttempt, User, UserSession, utcnow

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))
MIN_PASSWORD, MAX_PASSWORD = 8, 1024
SESSION_IDLE = timedelta(hours=8)
SESSION_ABSOLUTE = timedelta(days=7)
SESSION_TOUCH_EVERY = timedelta(minutes=1)  # not a write on every click
API_KEY_PREFIX = "fk_"
ALL_SCOPES = ("orders:read", "orders:write", "stock:read", "stock:write", "products:write")
LOGIN_FAILED = "Email or password is incorrect."


@dataclass(frozen=True, slots=True)
class SignedIn:
    id: int
    email: str
    name: str
    role: Role

    @property
    def actor(self) -> Actor:
        return Actor(ActorKind.USER, self.email, self.id)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _signed_in(user: User) -> SignedIn:
    return SignedIn(user.id, user.email, user.name, Role(user.role))


def create_user(
    session: Session, *, email: str, password: str, role: Role, name: str = ""
) -> SignedIn:
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise ValidationFailed("Not an email address.", fields={"email": "invalid"})
    if not MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD:
        raise ValidationFailed(
            "Bad password.", fields={"password": f"{MIN_PASSWORD} to {MAX_PASSWORD} characters"}
        )
    if session.exec(select(User).where(User.email == email)).first():
        raise ValidationFailed("That email already has an account.", fields={"email": "taken"})
    user = User(email=email, name=name or email.split("@")[0], role=Role(role),
                password_hash=_hasher.hash(password))
    session.add(user)
    session.commit()
    return _signed_in(user)


def authenticate(session: Session, *, email: str, password: str, client: str = "") -> SignedIn:
    """Check a password; records every attempt. One message for every failure. Commits."""
    email = (email or "").strip().lower()[:254]
    user = session.exec(select(User).where(User.email == email)).first()
    ok = False
    try:
        ok = _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        ok = False
    ok = ok and user is not None and user.is_active
    session.add(LoginAttempt(email=email, client=client[:200], succeeded=ok))
    if ok:
        user.last_login_at = utcnow()
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        session.add(user)
    session.commit()
    if not ok:
        raise AuthenticationFailed(LOGIN_FAILED)
    return _signed_in(user)


def start_session(session: Session, *, user_id: int) -> str:
    """A new server-side session; returns the raw token (stored only as a hash). Commits."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(UserSession(token_hash=_digest(token), user_id=user_id, created_at=now,
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
    row = session.exec(select(UserSession).where(UserSession.token_hash == _digest(token))).first()
    now = utcnow()
    if row is None or row.ended_at is not None or now >= row.expires_at:
        return None, False
    if now - row.last_seen_at > SESSION_IDLE:
        return None, False
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None, False
    return _signed_in(user), now - row.last_seen_at > SESSION_TOUCH_EVERY


def touch_session(session: Session, token: str) -> None:
    """Restart the idle timer. Commits."""
    row = session.exec(select(UserSession).where(UserSession.token_hash == _digest(token))).first()
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


def end_session(session: Session, token: str | None) -> None:
    if not token:
        return
    row = session.exec(select(UserSession).where(UserSession.token_hash == _digest(token))).first()
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
        session.add(row)
        session.commit()


# --- API keys ----------------------------------------------------------------------------


def create_api_key(
    session: Session, *, name: str, scopes: tuple[str, ...] = ALL_SCOPES
) -> tuple[ApiKey, str]:
    """Returns (row, raw key). The raw key is shown once and never stored. Commits."""
    if not name or not name.strip() or len(name) > 100:
        raise ValidationFailed("An API key needs a name.", fields={"name": "1 to 100 characters"})
    bad = [s for s in scopes if s not in ALL_SCOPES]
    if bad:
        raise ValidationFailed("Unknown scopes.", fields={"scopes": ", ".join(bad)})
    raw = API_KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name.strip(), prefix=raw[:10], key_hash=_digest(raw), scopes=" ".join(scopes))
    session.add(key)
    session.commit()
    return key, raw


@dataclass(frozen=True, slots=True)
class ApiClient:
    id: int
    name: str
    scopes: frozenset[str]

    @property
    def actor(self) -> Actor:
        return Actor(ActorKind.API_KEY, f"api:{self.name}", self.id)


def verify_api_key(session: Session | sa.Connection, raw: str | None) -> ApiClient | None:
    """The client for a raw key, or None when unknown or revoked. Reads only; a bare
    connection will do (it runs on every API request)."""
    if not raw or not raw.startswith(API_KEY_PREFIX) or len(raw) > 200:
        return None
    key = session.execute(_API_KEY_BY_HASH, {"h": _digest(raw)}).first()
    if key is None or key.revoked_at is not None:
        return None
    return ApiClient(key.id, key.name, frozenset(key.scopes.split()))


# Checked on every API request: a prepared column select, no ORM object.
_API_KEY_BY_HASH = sa.select(ApiKey.id, ApiKey.name, ApiKey.scopes, ApiKey.revoked_at).where(
    ApiKey.key_hash == sa.bindparam("h")
)


def touch_api_key(session: Session, key_id: int) -> None:
    """Record last use at most once a minute per key (no write on every request)."""
    key = session.get(ApiKey, key_id)
    now = utcnow()
    if key is not None and (key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1)):
        key.last_used_at = now
        session.add(key)
        session.commit()
