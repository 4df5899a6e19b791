"""Accounts, login sessions and API keys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from dashboard.domain.accounts import ApiKey, LoginAttempt, Role, User, UserSession
from dashboard.domain.errors import AuthenticationFailed, ValidationFailed
from dashboard.services import accounts
from dashboard.services.db import write_session


def test_login_accepts_long_passwords_as_typed_and_gives_one_message_for_every_failure(db_url):
    long_password = "correct horse battery staple " * 4  # 116 characters, spaces kept
    with write_session(db_url) as s:
        accounts.create_user(s, email="Owner@Shop.example", password=long_password, role=Role.OWNER)
        user = accounts.authenticate(s, email="owner@shop.example", password=long_password)
        assert user.role == Role.OWNER
        with pytest.raises(AuthenticationFailed) as wrong:
            accounts.authenticate(s, email="owner@shop.example", password=long_password[:-1])
        with pytest.raises(AuthenticationFailed) as unknown:
            accounts.authenticate(s, email="nobody@shop.example", password=long_password)
        assert wrong.value.message == unknown.value.message
        attempts = s.exec(select(LoginAttempt).order_by(LoginAttempt.id)).all()
        assert [a.succeeded for a in attempts] == [True, False, False]
        assert s.exec(select(User)).one().password_hash.startswith("$argon2id$")


def test_short_passwords_are_refused(db_url):
    with write_session(db_url) as s, pytest.raises(ValidationFailed):
        accounts.create_user(s, email="a@b.co", password="short", role=Role.STAFF)


def test_a_session_ends_on_logout_on_idle_on_expiry_and_when_the_user_is_disabled(db_url):
    with write_session(db_url) as s:
        user = accounts.create_user(s, email="staff@shop.example", password="a good password",
                                 role=Role.STAFF)
        tokens = [accounts.start_session(s, user_id=user.id) for _ in range(4)]
        assert all(accounts.resolve_session(s, t) == user for t in tokens)
        assert len(set(tokens)) == 4  # a new token at every login

        accounts.end_session(s, tokens[0])
        rows = {r.id: r for r in s.exec(select(UserSession))}
        idle, expired = rows[2], rows[3]
        idle.last_seen_at -= accounts.SESSION_IDLE + timedelta(minutes=1)
        expired.expires_at = expired.created_at
        s.add_all([idle, expired])
        s.commit()
        assert [accounts.resolve_session(s, t) for t in tokens[:3]] == [None, None, None]

        still_good = tokens[3]
        assert accounts.resolve_session(s, still_good) == user
        account = s.get(User, user.id)
        account.is_active = False
        s.add(account)
        s.commit()
        assert accounts.resolve_session(s, still_good) is None
        assert accounts.resolve_session(s, "forged-token") is None


def test_api_keys_are_stored_hashed_shown_once_and_can_be_revoked(db_url):
    with write_session(db_url) as s:
        row, raw = accounts.create_api_key(s, name="Shopfront", scopes=("orders:write",))
        assert raw not in row.key_hash and row.prefix == raw[:10]
        client = accounts.verify_api_key(s, raw)
        assert client.scopes == frozenset({"orders:write"}) and client.name == "Shopfront"
        assert accounts.verify_api_key(s, raw + "x") is None
        accounts.touch_api_key(s, row.id)
        assert s.get(ApiKey, row.id).last_used_at is not None
        key = s.get(ApiKey, row.id)
        key.revoked_at = key.created_at
        s.add(key)
        s.commit()
        assert accounts.verify_api_key(s, raw) is None
