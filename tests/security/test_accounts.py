"""Owners manage people; the services enforce it themselves and audit every change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from dashboard.domain.accounts import AuditEntry, PasswordReset, Role, User
from dashboard.domain.errors import AuthenticationFailed, PermissionDenied, ValidationFailed
from dashboard.services import accounts
from dashboard.services.accounts import signin, users
from dashboard.services.db import read_session, write_session
from tests.security.conftest import SYSTEM


def _signs_in(url: str, email: str, password: str) -> bool:
    with write_session(url) as s:
        try:
            signin.sign_in(s, email=email, password=password, client="10.9.9.9")
        except AuthenticationFailed:
            return False
    return True


def _live(url: str, token: str) -> bool:
    with read_session(url) as s:
        return users.lookup_session(s, token)[0] is not None


def test_an_invited_person_chooses_their_password_from_a_one_time_link(db_url, shop):
    owner = shop[Role.OWNER].principal
    # given an owner invites a picker without typing a password
    with write_session(db_url) as s:
        person, link = accounts.invite(s, email="New.Picker@Shop.example", role=Role.PICKER,
                                       name="Noor", by=owner, client="10.0.0.1")
    assert person.email == "new.picker@shop.example" and link
    # then nobody can sign in to the account until the link is used
    assert not _signs_in(db_url, person.email, users.UNUSABLE_HASH)
    with read_session(db_url) as s:
        assert accounts.reset_link_email(s, link) == person.email
        assert [p.invited for p in accounts.list_people(s) if p.email == person.email] == [True]
    # when they choose a password with it
    with write_session(db_url) as s:
        accounts.use_reset_link(s, token=link, password="noor's own passphrase")
    # then it works, and the link is spent
    assert _signs_in(db_url, person.email, "noor's own passphrase")
    with pytest.raises(ValidationFailed, match="expired or has already been used"), \
            write_session(db_url) as s:
        accounts.use_reset_link(s, token=link, password="someone else's passphrase")
    with read_session(db_url) as s:
        stored = s.exec(select(PasswordReset.token_hash)).all()
    assert link not in stored  # only a hash is kept


def test_a_reset_link_ends_the_persons_sessions_and_replaces_older_links(db_url, shop):
    owner, staff = shop[Role.OWNER].principal, shop[Role.STAFF]
    with write_session(db_url) as s:
        token = signin.sign_in(s, email=staff.email, password=staff.password).token
        old = accounts.issue_reset_link(s, email=staff.email, by=owner)
        new = accounts.issue_reset_link(s, email=staff.email, by=owner)
    with read_session(db_url) as s:
        assert accounts.reset_link_email(s, old) is None  # the newer link cancels it
    assert _live(db_url, token)
    with write_session(db_url) as s:
        accounts.use_reset_link(s, token=new, password="a brand new passphrase")
    assert not _live(db_url, token)
    assert not _signs_in(db_url, staff.email, staff.password)


def test_an_expired_link_is_refused(db_url, shop):
    with write_session(db_url) as s:
        link = accounts.issue_reset_link(s, email=shop[Role.PICKER].email,
                                         by=shop[Role.OWNER].principal)
        row = s.exec(select(PasswordReset)).one()
        row.expires_at = row.created_at - timedelta(seconds=1)
        s.add(row)
        s.commit()
    with pytest.raises(ValidationFailed), write_session(db_url) as s:
        accounts.use_reset_link(s, token=link, password="too late passphrase")


def test_a_role_change_is_audited_and_applies_to_the_persons_next_lookup(db_url, shop):
    owner, staff = shop[Role.OWNER].principal, shop[Role.STAFF]
    with write_session(db_url) as s:
        token = signin.sign_in(s, email=staff.email, password=staff.password).token
        accounts.change_role(s, email=staff.email, role=Role.PICKER, by=owner, client="10.0.0.1")
    with read_session(db_url) as s:
        assert users.lookup_session(s, token)[0].role == Role.PICKER
        entry = s.exec(select(AuditEntry.actor, AuditEntry.target, AuditEntry.client,
                              AuditEntry.detail, AuditEntry.session_id)
                       .where(AuditEntry.action == "user.role_changed")).one()
    assert tuple(entry[:3]) == (owner.label, staff.email, "10.0.0.1")
    assert entry.detail == {"before": "staff", "after": "picker"}


def test_disabling_ends_every_session_at_once_and_enabling_does_not_revive_them(db_url, shop):
    owner, picker = shop[Role.OWNER].principal, shop[Role.PICKER]
    with write_session(db_url) as s:
        tokens = [signin.sign_in(s, email=picker.email, password=picker.password).token
                  for _ in range(2)]
        accounts.set_active(s, email=picker.email, active=False, by=owner)
    assert not any(_live(db_url, t) for t in tokens)
    assert not _signs_in(db_url, picker.email, picker.password)
    with write_session(db_url) as s:
        accounts.set_active(s, email=picker.email, active=True, by=owner)
    assert not any(_live(db_url, t) for t in tokens)
    assert _signs_in(db_url, picker.email, picker.password)


def test_the_shop_always_keeps_an_active_owner(db_url, shop):
    owner = shop[Role.OWNER]
    with pytest.raises(ValidationFailed, match="at least one active owner"), \
            write_session(db_url) as s:
        accounts.change_role(s, email=owner.email, role=Role.STAFF, by=owner.principal)
    with pytest.raises(ValidationFailed, match="your own account"), write_session(db_url) as s:
        accounts.set_active(s, email=owner.email, active=False, by=owner.principal)
    # with a second owner, the first may step down
    with write_session(db_url) as s:
        accounts.invite(s, email="second@shop.example", password="second owner pass",
                        role=Role.OWNER, by=owner.principal)
        accounts.change_role(s, email=owner.email, role=Role.STAFF, by=owner.principal)
    with read_session(db_url) as s:
        assert s.exec(select(User.role).where(User.email == owner.email)).one() == Role.STAFF


@pytest.mark.parametrize("role", [Role.STAFF, Role.PICKER])
def test_only_owners_manage_people_whatever_calls_the_service(db_url, shop, role):
    caller, target = shop[role].principal, shop[Role.PICKER].email
    attempts = [
        lambda s: accounts.invite(s, email="x@shop.example", role=Role.OWNER, by=caller),
        lambda s: accounts.change_role(s, email=caller.label, role=Role.OWNER, by=caller),
        lambda s: accounts.set_active(s, email=target, active=False, by=caller),
        lambda s: accounts.set_password(s, email=target, password="taken over!!", by=caller),
        lambda s: accounts.issue_reset_link(s, email=target, by=caller),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied), write_session(db_url) as s:
            attempt(s)
    with read_session(db_url) as s:
        roles = dict(s.exec(select(User.email, User.role)).all())
    assert roles[caller.label] == role and "x@shop.example" not in roles


def test_a_demoted_owner_loses_owner_powers_at_once(db_url, shop):
    owner = shop[Role.OWNER]
    with write_session(db_url) as s:
        accounts.invite(s, email="boss2@shop.example", password="second owner pass",
                        role=Role.OWNER, by=owner.principal)
        accounts.change_role(s, email=owner.email, role=Role.STAFF, by=SYSTEM)
    with pytest.raises(PermissionDenied), write_session(db_url) as s:
        accounts.issue_reset_link(s, email=shop[Role.PICKER].email, by=owner.principal)


def test_an_owner_can_set_a_password_which_ends_the_persons_sessions(db_url, shop):
    owner, staff = shop[Role.OWNER].principal, shop[Role.STAFF]
    with write_session(db_url) as s:
        token = signin.sign_in(s, email=staff.email, password=staff.password).token
        accounts.set_password(s, email=staff.email, password="handed over in person", by=owner)
    assert not _live(db_url, token)
    assert _signs_in(db_url, staff.email, "handed over in person")
    with read_session(db_url) as s:
        detail = s.exec(select(AuditEntry.detail)
                        .where(AuditEntry.action == "user.password_set")).one()
    assert detail == {"sessions_ended": 2}  # the fixture's and this one; never the password
