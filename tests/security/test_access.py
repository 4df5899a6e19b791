"""The one decision (domain.access.decide) and resolving who is asking (services.access)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from dashboard.domain.accounts import (
    ANONYMOUS,
    EVERY_USER,
    KIOSK,
    OWNER_ONLY,
    STAFF_ROLES,
    Principal,
    PrincipalKind,
    Refusal,
    Role,
    UserSession,
    decide,
)
from dashboard.services import accounts
from dashboard.services.accounts import access, signin, users, walls
from dashboard.services.db import read_session, write_session
from tests.security.conftest import SYSTEM


def _user(role: str) -> Principal:
    return Principal(PrincipalKind.USER, f"{role}@x.example", role, user_id=1, session_id=1)


@pytest.mark.parametrize(("role", "roles", "allowed"), [
    ("owner", OWNER_ONLY, True), ("staff", OWNER_ONLY, False), ("picker", OWNER_ONLY, False),
    ("owner", STAFF_ROLES, True), ("staff", STAFF_ROLES, True), ("picker", STAFF_ROLES, False),
    ("picker", EVERY_USER, True), ("kiosk", STAFF_ROLES, False),
])
def test_roles_admit_exactly_whom_they_name(role, roles, allowed):
    principal = (Principal(PrincipalKind.KIOSK, "kiosk:Wall", KIOSK, kiosk_id=1)
                 if role == KIOSK else _user(role))
    decision = decide(principal, roles)
    assert decision.allowed is allowed
    if not allowed:
        # a kiosk is nobody's session: it is sent away, not told it lacks a role
        assert decision.refusal == (Refusal.SIGNED_OUT if role == KIOSK else Refusal.FORBIDDEN)


def test_anonymous_is_always_signed_out_and_the_system_may_do_anything():
    assert decide(ANONYMOUS, EVERY_USER).refusal == Refusal.SIGNED_OUT
    assert decide(Principal.system(), OWNER_ONLY).allowed


def test_a_guard_must_name_known_roles():
    with pytest.raises(ValueError):
        decide(ANONYMOUS, ("admin",))
    with pytest.raises(ValueError):
        decide(ANONYMOUS, ())


def test_the_fingerprint_changes_with_the_session_or_the_role():
    a = _user("staff")
    assert a.fingerprint != _user("picker").fingerprint
    assert a.fingerprint != Principal(PrincipalKind.USER, a.label, "staff", user_id=1,
                                      session_id=2).fingerprint


def test_resolve_reads_the_live_session_then_a_kiosk_link_else_anonymous(db_url):
    with write_session(db_url) as s:
        accounts.invite(s, email="sam@shop.example", password="sam's passphrase",
                        role=Role.STAFF, by=SYSTEM)
        token = signin.sign_in(s, email="sam@shop.example", password="sam's passphrase").token
        _, wall = walls.create_kiosk_link(s, name="Bench", by=SYSTEM)
    with read_session(db_url) as s:
        staff = access.resolve(s, session_token=token).principal
        screen = access.resolve(s, session_token=None, kiosk_token=wall).principal
        nobody = access.resolve(s, session_token="forged", kiosk_token="wk_forged").principal
    assert (staff.kind, staff.role, staff.label) == (PrincipalKind.USER, "staff", "sam@shop.example")
    assert staff.session_id is not None
    assert (screen.kind, screen.role, screen.label) == (PrincipalKind.KIOSK, KIOSK, "kiosk:Bench")
    assert nobody == ANONYMOUS
    # an ended session is anonymous, but the audit log can still say whose it was
    with write_session(db_url) as s:
        users.end_session(s, token)
    with read_session(db_url) as s:
        ended = access.resolve(s, session_token=token).principal
    assert ended.kind == PrincipalKind.ANONYMOUS and ended.label == "sam@shop.example (signed out)"
    assert not decide(ended, EVERY_USER).allowed


def test_authorize_refreshes_the_idle_timer_at_most_once_a_minute(db_url):
    with write_session(db_url) as s:
        accounts.invite(s, email="pat@shop.example", password="pat's passphrase",
                        role=Role.PICKER, by=SYSTEM)
        token = signin.sign_in(s, email="pat@shop.example", password="pat's passphrase").token
        row = s.exec(select(UserSession)).one()
        row.last_seen_at -= timedelta(minutes=5)
        s.add(row)
        s.commit()
        stale = row.last_seen_at
    principal, decision = access.authorize(session_token=token, kiosk_token=None,
                                           roles=EVERY_USER, url=db_url)
    assert decision.allowed and principal.role == "picker"
    with read_session(db_url) as s:
        assert s.exec(select(UserSession)).one().last_seen_at > stale
