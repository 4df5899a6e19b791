"""The first run: while no owner exists, a one-time setup link (/setup/<token>, printed
by `make run` as Jenkins prints its initial password) lets the first person create the
owner account. Issuing a link retires every earlier one; using it spends it; once an
owner exists every link is refused, used or not.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard.domain.accounts import Principal, PrincipalKind, Role, SetupToken, User
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import DomainError
from dashboard.services.accounts import audit, signin, users
from dashboard.services.accounts.signin import SignedInSession
from dashboard.services.accounts.tokens import digest, new_token
from dashboard.services.accounts.users import SignedIn

SETUP_INVALID = ("This setup link is not valid any more: it was used, replaced by a newer "
                 "one, or the shop already has an owner. Sign in instead.")


class SetupRefused(DomainError):
    code = "setup_refused"
    status = 403


def owner_exists(session: Session) -> bool:
    """Whether any owner account exists (active or not: a disabled owner is still the
    shop's, so the first-run door stays shut). Reads only."""
    found = session.exec(select(User.id).where(User.role == Role.OWNER).limit(1)).first()
    return found is not None


def issue_setup_link(session: Session) -> str | None:
    """A fresh setup token while no owner exists (earlier ones retired), else None.
    Commits."""
    if owner_exists(session):
        return None
    session.execute(sa.update(SetupToken).where(SetupToken.used_at.is_(None))
                    .values(used_at=utcnow()))
    token = new_token()
    session.add(SetupToken(token_hash=digest(token)))
    session.commit()
    return token


def _live(session: Session, token: str | None) -> SetupToken | None:
    if not token or len(token) > 200 or owner_exists(session):
        return None
    row = session.exec(select(SetupToken).where(SetupToken.token_hash == digest(token))).first()
    return row if row is not None and row.used_at is None else None


def setup_link_valid(session: Session, token: str | None) -> bool:
    """Whether `token` still opens the first-run page. Reads only."""
    return _live(session, token) is not None


def _spend(session: Session, row: SetupToken) -> None:
    spent = session.execute(sa.update(SetupToken).where(
        SetupToken.id == row.id, SetupToken.used_at.is_(None)).values(used_at=utcnow()))
    if spent.rowcount != 1:  # the same link used twice at once: the other one won
        raise SetupRefused(SETUP_INVALID)


def _owner_created(session: Session, owner: SignedIn, client: str, method: str) -> None:
    by = Principal(PrincipalKind.USER, owner.email, str(owner.role), owner.name, owner.id)
    audit.record(session, by=by, action="setup.owner_created", target=owner.email,
                 client=client, method=method)


def complete_setup(session: Session, *, token: str, email: str, password: str,
                   name: str = "", client: str = "") -> SignedInSession:
    """Spend the link, create the owner and sign them in. Raises SetupRefused (the link
    is dead) or ValidationFailed (a bad email or password; the link stays usable)."""
    try:
        row = _live(session, token)
        if row is None:
            raise SetupRefused(SETUP_INVALID)
        owner = users.create_user(session, email=email, password=password, role=Role.OWNER,
                                  name=name, commit=False)
        _spend(session, row)
        _owner_created(session, owner, client, "password")
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return signin.open_session(session, user_id=owner.id, client=client, method="setup")


def setup_hash(session: Session, token: str | None) -> str | None:
    """The stored digest of a live setup link (to carry through a sign-in at the shop's
    identity provider), else None. Reads only."""
    row = _live(session, token)
    return row.token_hash if row is not None else None


def owner_from_provider(session: Session, *, token_hash: str, email: str, name: str,
                        client: str = "") -> User:
    """The person who opened the setup link signed in at the shop's identity provider
    with a verified `email`: spend the link and make them the owner (no password here).
    Raises SetupRefused if the link died meanwhile, ValidationFailed for a bad or taken
    email. No commit: the caller links the identity and commits."""
    row = session.exec(select(SetupToken).where(SetupToken.token_hash == token_hash)).first()
    if row is None or row.used_at is not None or owner_exists(session):
        raise SetupRefused(SETUP_INVALID)
    owner = users.create_user(session, email=email, password=None, role=Role.OWNER,
                              name=name, commit=False)
    _spend(session, row)
    _owner_created(session, owner, client, "oidc")
    return session.get(User, owner.id)
