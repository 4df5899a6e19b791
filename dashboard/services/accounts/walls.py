"""Wall-screen (kiosk) links: an owner makes one per screen and can revoke it at any time.

The link, `/wall/<token>`, lets a browser with no account watch the live queues and do
nothing else (the wall's handlers are the only ones admitting the `kiosk` role, and none
of them writes). The token is 256 random bits, shown once; only its SHA-256 is stored.
A revoked link stops within a second: the wall re-checks it on every refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from dashboard.domain.accounts import KioskToken, Principal, PrincipalKind
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import ValidationFailed
from dashboard.services.accounts import audit
from dashboard.services.accounts.owners import require_owner, revoke_credential
from dashboard.services.accounts.tokens import digest, new_token

KIOSK_PREFIX = "wk_"
TOUCH_EVERY = timedelta(minutes=1)


def create_kiosk_link(session: Session, *, name: str, by: Principal,
                      client: str = "") -> tuple[KioskToken, str]:
    """Returns (row, raw token); the raw token is shown once. Owners only. Commits."""
    require_owner(session, by)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("Name the screen, e.g. Packing bench.",
                               fields={"name": "1 to 100 characters"})
    raw = new_token(KIOSK_PREFIX)
    row = KioskToken(name=name, prefix=raw[:10], token_hash=digest(raw), created_by=by.label)
    session.add(row)
    session.flush()
    audit.record(session, by=by, action="kiosk.created", target=f"kiosk:{row.id} {name}",
                 client=client, prefix=row.prefix)
    session.commit()
    return row, raw


def revoke_kiosk_link(session: Session, *, kiosk_id: int, by: Principal,
                      client: str = "") -> KioskToken:
    """Stop a wall link working (within a second on an open screen). Idempotent. Commits."""
    return revoke_credential(session, KioskToken, kiosk_id, by=by, client=client, kind="kiosk",
                             missing="No such wall link.")


def list_kiosk_links(session: Session) -> list[KioskToken]:
    """Live links first, newest first. Reads only."""
    return list(session.exec(
        select(KioskToken).order_by(KioskToken.revoked_at.is_not(None), KioskToken.id.desc())
    ).all())


@dataclass(frozen=True, slots=True)
class KioskPass:
    id: int
    name: str
    touch_due: bool

    @property
    def principal(self) -> Principal:
        return Principal(PrincipalKind.KIOSK, f"kiosk:{self.name}", "kiosk", self.name,
                         kiosk_id=self.id)


def lookup_kiosk(session: Session, raw: str | None) -> KioskPass | None:
    """The kiosk for a raw token, or None when unknown or revoked. Reads only."""
    if not raw or not raw.startswith(KIOSK_PREFIX) or len(raw) > 200:
        return None
    row = session.exec(select(KioskToken).where(KioskToken.token_hash == digest(raw))).first()
    if row is None or row.revoked_at is not None:
        return None
    due = row.last_used_at is None or utcnow() - row.last_used_at > TOUCH_EVERY
    return KioskPass(row.id, row.name, due)


def touch_kiosk(session: Session, kiosk_id: int) -> None:
    """Record that the screen is in use (shown beside the link). Commits."""
    row = session.get(KioskToken, kiosk_id)
    if row is not None:
        row.last_used_at = utcnow()
        session.add(row)
        session.commit()
