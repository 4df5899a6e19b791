"""Owners manage people: invite or create, change role, disable and enable, reset passwords.

Every function here is owner-only (checked against the database, `owners.require_owner`),
runs in one transaction, writes an audit entry with the change, and commits once. The
shop always keeps at least one active owner. Disabling a user or setting their password
ends their sessions at once; a role change applies on their very next event, since
sessions are re-read on every event.

A one-time link (`/reset/<token>`) lets a person choose their own password: it is how an
invited person signs in the first time, and how an owner resets a forgotten password
without ever knowing it. Only the link's SHA-256 is stored; issuing a new one cancels
the older ones; using it ends every session of that person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, func, select

from dashboard.domain.accounts import PasswordReset, Principal, PrincipalKind, Role, User
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.services.accounts import audit, users
from dashboard.services.accounts.owners import require_owner
from dashboard.services.accounts.tokens import digest, new_token

INVITE_VALID = timedelta(days=7)
RESET_VALID = timedelta(hours=24)
LINK_INVALID = "This link has expired or has already been used. Ask an owner for a new one."


@dataclass(frozen=True, slots=True)
class Person:
    email: str
    name: str
    role: str
    active: bool
    invited: bool  # no password yet: waiting for the person to use their link
    created_at: datetime
    last_login_at: datetime | None


def list_people(session: Session) -> list[Person]:
    """Everyone with an account, active first, then by name. Reads only."""
    rows = session.exec(select(User).order_by(User.is_active.desc(), func.lower(User.name))).all()
    return [Person(u.email, u.name, str(u.role), u.is_active, u.password_hash == users.UNUSABLE_HASH,
                   u.created_at, u.last_login_at) for u in rows]


def _user(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == (email or "").strip().lower())).first()
    if user is None:
        raise NotFound("No such person.")
    return user


def _issue_link(session: Session, user: User, by: Principal, valid: timedelta) -> str:
    now = utcnow()
    session.execute(sa.update(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None),
        PasswordReset.expires_at > now).values(expires_at=now))
    raw = new_token()
    session.add(PasswordReset(user_id=user.id, token_hash=digest(raw), created_by=by.label,
                              created_at=now, expires_at=now + valid))
    return raw


def invite(session: Session, *, email: str, role: Role, by: Principal, name: str = "",
           password: str | None = None, client: str = "") -> tuple[users.SignedIn, str | None]:
    """Create an account. With a password (typed by the owner) the person can sign in at
    once; without one, returns a one-time set-password link token (valid 7 days)."""
    require_owner(session, by)
    person = users.create_user(session, email=email, password=password, role=Role(role),
                               name=name, commit=False)
    token = None
    if password is None:
        token = _issue_link(session, session.get(User, person.id), by, INVITE_VALID)
    audit.record(session, by=by, action="user.created", target=person.email, client=client,
                 role=str(person.role), with_link=token is not None)
    session.commit()
    return person, token


def change_role(session: Session, *, email: str, role: Role, by: Principal,
                client: str = "") -> None:
    """Give a person another role; it applies on their next click."""
    require_owner(session, by)
    user, role = _user(session, email), Role(role)
    if user.role == role:
        return
    if user.role == Role.OWNER and user.is_active and not users.other_active_owners(session, user):
        raise ValidationFailed("The shop needs at least one active owner.",
                               fields={"role": "last owner"})
    audit.record(session, by=by, action="user.role_changed", target=user.email, client=client,
                 before=str(user.role), after=str(role))
    user.role = role
    session.add(user)
    session.commit()


def set_active(session: Session, *, email: str, active: bool, by: Principal,
               client: str = "") -> None:
    """Disable (ending every session at once) or re-enable an account."""
    require_owner(session, by)
    user = _user(session, email)
    if user.is_active == active:
        return
    if not active and user.id == by.user_id:
        raise ValidationFailed("You cannot disable your own account.", fields={"email": "self"})
    if not active and user.role == Role.OWNER and not users.other_active_owners(session, user):
        raise ValidationFailed("The shop needs at least one active owner.",
                               fields={"email": "last owner"})
    user.is_active = active
    session.add(user)
    ended = 0 if active else users.end_all_sessions(session, user.id)
    audit.record(session, by=by, action="user.enabled" if active else "user.disabled",
                 target=user.email, client=client, sessions_ended=ended)
    session.commit()


def set_password(session: Session, *, email: str, password: str, by: Principal,
                 client: str = "") -> None:
    """An owner sets a person's password (to hand over in person); ends their sessions."""
    require_owner(session, by)
    user = _user(session, email)
    user.password_hash = users.hash_password(password)
    session.add(user)
    ended = users.end_all_sessions(session, user.id)
    audit.record(session, by=by, action="user.password_set", target=user.email, client=client,
                 sessions_ended=ended)
    session.commit()


def issue_reset_link(session: Session, *, email: str, by: Principal, client: str = "") -> str:
    """A one-time link token for a person to choose a new password (valid 24 hours)."""
    require_owner(session, by)
    user = _user(session, email)
    if not user.is_active:
        raise ValidationFailed("Enable the account first.", fields={"email": "disabled"})
    raw = _issue_link(session, user, by, RESET_VALID)
    audit.record(session, by=by, action="user.reset_link_issued", target=user.email,
                 client=client)
    session.commit()
    return raw


def _live_link(session: Session, token: str | None) -> tuple[PasswordReset, User] | None:
    if not token or len(token) > 200:
        return None
    link = session.exec(select(PasswordReset).where(PasswordReset.token_hash == digest(token))).first()
    if link is None or link.used_at is not None or utcnow() >= link.expires_at:
        return None
    user = session.get(User, link.user_id)
    if user is None or not user.is_active:
        return None
    return link, user


def reset_link_email(session: Session, token: str | None) -> str | None:
    """Whose password a link sets, or None when it is unknown, used or expired. Reads only."""
    found = _live_link(session, token)
    return found[1].email if found else None


def use_reset_link(session: Session, *, token: str, password: str, client: str = "") -> str:
    """Set the password of the link's person, spend the link, end their sessions.
    Returns their email. Commits."""
    found = _live_link(session, token)
    if found is None:
        raise ValidationFailed(LINK_INVALID, fields={"token": "invalid"})
    link, user = found
    password_hash = users.hash_password(password)
    spent = session.execute(sa.update(PasswordReset).where(
        PasswordReset.id == link.id, PasswordReset.used_at.is_(None)).values(used_at=utcnow()))
    if spent.rowcount != 1:  # the same link used twice at once: the other one won
        raise ValidationFailed(LINK_INVALID, fields={"token": "invalid"})
    user.password_hash = password_hash
    session.add(user)
    ended = users.end_all_sessions(session, user.id)
    holder = Principal(PrincipalKind.USER, user.email, str(user.role), user.name, user.id)
    audit.record(session, by=holder, action="user.password_set_by_link", target=user.email,
                 client=client, sessions_ended=ended)
    session.commit()
    return user.email
