"""The owner-only check the account, key and kiosk services make themselves.

The UI's guard already refused non-owners; this re-reads the acting user from the
database inside the same transaction, so a service called from anywhere (a handler, the
CLI, a test) enforces its own rule. The system (the CLI run by the machine's operator)
acts as an owner.
"""

from __future__ import annotations

from sqlmodel import Session

from dashboard.domain.accounts import Principal, PrincipalKind, Role, User
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import NotFound, PermissionDenied
from dashboard.services.accounts import audit

ONLY_OWNERS = "Only an owner may do that."


def require_owner(session: Session, by: Principal) -> None:
    if by.kind == PrincipalKind.SYSTEM:
        return
    user = session.get(User, by.user_id) if by.kind == PrincipalKind.USER and by.user_id else None
    if user is None or not user.is_active or user.role != Role.OWNER:
        raise PermissionDenied(ONLY_OWNERS)


def revoke_credential(session: Session, model: type, row_id: int, *, by: Principal,
                      client: str, kind: str, missing: str):
    """Revoke an API key or a wall link (`model` rows with name, prefix and revoked_at):
    owners only, idempotent, audited as "<kind>.revoked". Commits."""
    require_owner(session, by)
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(missing)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        audit.record(session, by=by, action=f"{kind}.revoked",
                     target=f"{kind}:{row.id} {row.name}", client=client, prefix=row.prefix)
    session.commit()
    return row
