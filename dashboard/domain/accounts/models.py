"""Tables of accounts: people, login sessions and attempts, API keys, the append-only audit
log, wall-screen (kiosk) links and password-reset links.

Secrets are stored as the SHA-256 of a 256-bit random value. The audit log is append-only:
the migration adds database triggers that refuse UPDATE and DELETE on it. References from
the audit log to users, sessions, keys and kiosks are plain integers without foreign keys:
an audit row must be writable (and must outlive) whatever it names.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.accounts.enums import Role
from dashboard.domain.columns import enum_column, time_column


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # lower-cased
    name: str = Field(default="", max_length=200)
    role: Role = enum_column(Role)
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    created_at: datetime = time_column()
    last_login_at: datetime | None = time_column(nullable=True)


class UserSession(SQLModel, table=True):
    """A server-side login session; the browser holds only the raw token."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = time_column()
    last_seen_at: datetime = time_column()
    expires_at: datetime = time_column()
    ended_at: datetime | None = time_column(nullable=True)


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client: str = Field(default="", max_length=200, index=True)
    succeeded: bool
    created_at: datetime = time_column(index=True)


class ApiKey(SQLModel, table=True):
    """Stored as a SHA-256 of a 256-bit random secret; the key is shown once."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=64, unique=True)
    scopes: str = Field(default="", max_length=500)  # space-separated
    created_at: datetime = time_column()
    last_used_at: datetime | None = time_column(nullable=True)
    revoked_at: datetime | None = time_column(nullable=True)


class AuditEntry(SQLModel, table=True):
    """Who did what, when (UTC), from which session or key, and whether it was allowed."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = time_column(index=True)
    actor_kind: str = Field(max_length=16)  # user, api_key, kiosk, anonymous, system
    actor: str = Field(max_length=254)  # an email, "api:Shopfront", "kiosk:Packing wall"
    user_id: int | None = Field(default=None, index=True)
    session_id: int | None = Field(default=None)  # user_session.id, never the token
    api_key_id: int | None = Field(default=None)
    kiosk_id: int | None = Field(default=None)
    action: str = Field(max_length=80, index=True)  # "user.role_changed", "event.refused"
    outcome: str = Field(max_length=16, index=True)  # "ok" or "refused"
    target: str = Field(default="", max_length=200)  # what was acted on
    client: str = Field(default="", max_length=200)  # the client's IP address
    detail: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))


class KioskToken(SQLModel, table=True):
    """A read-only wall-screen link (/wall/<token>); revocable, shown once."""

    __tablename__ = "kiosk_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    created_by: str = Field(max_length=254)
    created_at: datetime = time_column()
    last_used_at: datetime | None = time_column(nullable=True)
    revoked_at: datetime | None = time_column(nullable=True)


class PasswordReset(SQLModel, table=True):
    """A one-time link to set a password (an invitation or a reset), valid for a while."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_by: str = Field(max_length=254)
    created_at: datetime = time_column()
    expires_at: datetime = time_column()
    used_at: datetime | None = time_column(nullable=True)


class SetupToken(SQLModel, table=True):
    """The first-run link (/setup/<token>) printed while no owner exists; one use."""

    __tablename__ = "setup_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = time_column()
    used_at: datetime | None = time_column(nullable=True)


class UserIdentity(SQLModel, table=True):
    """A person's account at the shop's identity provider (OpenID Connect): the
    provider's (issuer, subject) pair, linked to one of our users."""

    __tablename__ = "user_identity"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    issuer: str = Field(max_length=500)
    subject: str = Field(max_length=255)
    created_at: datetime = time_column()
    last_login_at: datetime | None = time_column(nullable=True)


class OidcLogin(SQLModel, table=True):
    """One sign-in sent to the identity provider: its state (stored hashed), nonce and
    PKCE verifier, used once when the provider sends the browser back."""

    __tablename__ = "oidc_login"

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(max_length=64, unique=True)
    nonce: str = Field(max_length=128)
    code_verifier: str = Field(max_length=128)
    next_path: str = Field(default="", max_length=200)
    setup_hash: str | None = Field(default=None, max_length=64)  # started from the setup link
    created_at: datetime = time_column(index=True)
    used_at: datetime | None = time_column(nullable=True)


class SignInPolicy(SQLModel, table=True):
    """Shop-wide sign-in choices an owner makes (one row, id 1; absent: the defaults)."""

    __tablename__ = "sign_in_policy"

    id: int | None = Field(default=None, primary_key=True)
    password_allowed: bool = True
    updated_by: str = Field(default="", max_length=254)
    updated_at: datetime = time_column()
