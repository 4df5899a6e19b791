"""The shop's sign-in policy: whether password sign-in is on (it is, unless an owner
turns it off once signing in with the shop's identity provider is set up)."""

from __future__ import annotations

from sqlmodel import Session

from dashboard import config
from dashboard.domain.accounts import Principal, SignInPolicy
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import DomainError, ValidationFailed
from dashboard.services.accounts import audit
from dashboard.services.accounts.owners import require_owner

PASSWORD_OFF = "Password sign-in is turned off here: sign in with the shop's account."  # noqa: S105
NEEDS_OIDC = ("Password sign-in can only be turned off while signing in with the shop's "
              "account (OIDC_ISSUER) is set up, or nobody could sign in.")


class PasswordSignInOff(DomainError):
    code = "password_sign_in_off"
    status = 403


def password_sign_in_allowed(session: Session) -> bool:
    """Reads only. Always on while OIDC is not configured (the only other way in)."""
    row = session.get(SignInPolicy, 1)
    return row is None or row.password_allowed or not config.oidc().enabled


def set_password_sign_in(session: Session, *, allowed: bool, by: Principal,
                         client: str = "") -> bool:
    """Turn password sign-in on or off (owners only; off only with OIDC set up). Commits."""
    require_owner(session, by)
    if not allowed and not config.oidc().enabled:
        raise ValidationFailed(NEEDS_OIDC, fields={"password_allowed": "needs OIDC"})
    row = session.get(SignInPolicy, 1) or SignInPolicy(id=1)
    if row.password_allowed != allowed:
        audit.record(session, by=by, action="sign_in.password_" + ("on" if allowed else "off"),
                     target="sign-in policy", client=client)
    row.password_allowed, row.updated_by, row.updated_at = allowed, by.label, utcnow()
    session.add(row)
    session.commit()
    return allowed
