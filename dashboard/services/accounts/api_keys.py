"""API keys for the storefront and integration API: created, listed and revoked by owners
(in the UI or with the CLI), checked on every request.

A key is `fk_` plus 256 random bits, shown once; only its SHA-256 is stored, with a
10-character prefix to recognise it by. Revoking takes effect on the next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard.domain.accounts import ApiKey, Principal
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.domain.orders import Actor, ActorKind
from dashboard.services.accounts import audit
from dashboard.services.accounts.owners import require_owner, revoke_credential
from dashboard.services.accounts.tokens import digest, new_token

API_KEY_PREFIX = "fk_"
ALL_SCOPES = ("orders:read", "orders:write", "stock:read", "stock:write", "products:write")
SCOPE_HELP = {
    "orders:read": "read orders",
    "orders:write": "place and cancel orders",
    "stock:read": "read stock levels",
    "stock:write": "adjust stock",
    "products:write": "create and update products",
}


def create_api_key(
    session: Session, *, name: str, scopes: tuple[str, ...] = ALL_SCOPES,
    by: Principal | None = None, client: str = "",
) -> tuple[ApiKey, str]:
    """Returns (row, raw key). The raw key is shown once and never stored. Owners only
    (`by`; None is the system). Audited. Commits."""
    if by is not None:
        require_owner(session, by)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("An API key needs a name.", fields={"name": "1 to 100 characters"})
    scopes = tuple(dict.fromkeys(scopes))
    bad = [s for s in scopes if s not in ALL_SCOPES]
    if bad or not scopes:
        raise ValidationFailed("Unknown scopes." if bad else "Choose at least one scope.",
                               fields={"scopes": ", ".join(bad) or "none chosen"})
    raw = new_token(API_KEY_PREFIX)
    key = ApiKey(name=name, prefix=raw[:10], key_hash=digest(raw), scopes=" ".join(scopes))
    session.add(key)
    session.flush()
    audit.record(session, by=by or Principal.system(), action="api_key.created",
                 target=f"api_key:{key.id} {name}", client=client, prefix=key.prefix,
                 scopes=list(scopes))
    session.commit()
    return key, raw


def revoke_api_key(session: Session, *, key_id: int, by: Principal, client: str = "") -> ApiKey:
    """Revoke a key: every later request with it is refused. Idempotent. Owners only.
    Audited. Commits."""
    return revoke_credential(session, ApiKey, key_id, by=by, client=client, kind="api_key",
                             missing="No such API key.")


def find_api_key(session: Session, ref: str) -> ApiKey:
    """A key by id or by its shown prefix (the CLI's way to name one)."""
    ref = (ref or "").strip()
    rows = session.exec(select(ApiKey).where(
        (ApiKey.id == int(ref)) if ref.isdecimal() and len(ref) < 10 else (ApiKey.prefix == ref)
    )).all()
    if not rows:
        raise NotFound(f"No API key {ref!r}.")
    if len(rows) > 1:
        raise ValidationFailed("That prefix names several keys; use the id.",
                               fields={"key": "ambiguous"})
    return rows[0]


def list_api_keys(session: Session) -> list[ApiKey]:
    """Live keys first, newest first. Reads only."""
    return list(session.exec(
        select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.id.desc())
    ).all())


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
    key = session.execute(_API_KEY_BY_HASH, {"h": digest(raw)}).first()
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
