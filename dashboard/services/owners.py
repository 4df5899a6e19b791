"""The owner-only check the account, key and kiosk services make themselves.

The UI's guard already refused non-owners; this re-reads the acting user from the
database inside the same transaction, so a service called from anywhere (a handler, the
CLI, a test) enforces its own rule. The system (the CLI run by the machine's operator)
acts as an owner.
"""

from __future__ import annotations

from sqlmodel import Session

from dashboard.domain.access import Principal, PrincipalKind
from dashboard.domain.enums import Role
from dashboard.domain.errors import PermissionDenied
from dashboard.domain.models import User

ONLY_OWNERS = "Only an owner may do that."


def require_owner(session: Session, by: Principal) -> None:
    if by.kind == PrincipalKind.SYSTEM:
        return
    user = session.get(User, by.user_id) if by.kind == PrincipalKind.USER and by.user_id else None
    if user is None or not user.is_active or user.role != Role.OWNER:
        raise PermissionDenied(ONLY_OWNERS)
