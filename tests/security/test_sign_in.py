"""Signing in: passwords as typed, one message for every failure, every attempt
recorded, throttling per account and per client kept in the database."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import func, select

from dashboard.domain.accounts import AuditEntry, LoginAttempt, Role
from dashboard.domain.errors import AuthenticationFailed, ValidationFailed
from dashboard.services import accounts
from dashboard.services.accounts import signin, throttle, users
from dashboard.services.db import write_session
from tests.security.conftest import SYSTEM


def _account(url: str, email: str = "ada@shop.example", password: str = "a fine passphrase"):  # noqa: S107
    with write_session(url) as s:
        accounts.invite(s, email=email, password=password, role=Role.STAFF, by=SYSTEM)
    return email, password


def _fail(url: str, email: str, client: str = "10.0.0.1") -> type[Exception]:
    with write_session(url) as s:
        try:
            signin.sign_in(s, email=email, password="wrong password!", client=client)
        except (AuthenticationFailed, signin.LoginThrottled) as error:
            return type(error)
    raise AssertionError("a wrong password signed in")


def _age_attempts(url: str, by: timedelta) -> None:
    """Move every recorded attempt `by` into the past."""
    with write_session(url) as s:
        for attempt in s.exec(select(LoginAttempt)).all():
            attempt.created_at -= by
            s.add(attempt)


@pytest.mark.parametrize("password", [
    "8 chars!", "x" * 128, "correct horse battery staple " * 35,  # 1015 characters
    "  leading and trailing spaces  ", "ünïcødé pässwörd ✓", "tab\there",
])
def test_passwords_of_8_to_1024_characters_are_kept_exactly_as_typed(db_url, password):
    email, _ = _account(db_url, password=password)
    with write_session(db_url) as s:
        assert signin.sign_in(s, email=email, password=password).token
        for near_miss in (password.strip(), password[:-1], password + " "):
            if near_miss != password:
                with pytest.raises(AuthenticationFailed):
                    signin.sign_in(s, email=email, password=near_miss)


@pytest.mark.parametrize("password", ["7 chars", "", "y" * 1025])
def test_passwords_outside_the_limits_are_refused(db_url, password):
    with pytest.raises(ValidationFailed), write_session(db_url) as s:
        accounts.invite(s, email="b@shop.example", password=password, role=Role.STAFF, by=SYSTEM)


def test_unknown_email_wrong_password_disabled_and_invited_accounts_fail_alike(db_url):
    email, password = _account(db_url)
    with write_session(db_url) as s:
        accounts.invite(s, email="new@shop.example", role=Role.PICKER, by=SYSTEM)  # invited
        accounts.invite(s, email="gone@shop.example", password=password, role=Role.STAFF,
                        by=SYSTEM)
        accounts.set_active(s, email="gone@shop.example", active=False, by=SYSTEM)
    messages = set()
    for who, pw in ((email, "wrong password!"), ("nobody@shop.example", password),
                    ("new@shop.example", users.UNUSABLE_HASH), ("gone@shop.example", password)):
        with pytest.raises(AuthenticationFailed) as failed, write_session(db_url) as s:
            signin.sign_in(s, email=who, password=pw, client=f"10.0.0.{len(messages)}")
        messages.add(failed.value.message)
    assert messages == {users.LOGIN_FAILED}


def test_every_attempt_is_recorded_and_each_sign_in_gets_a_new_token(db_url):
    email, password = _account(db_url)
    with write_session(db_url) as s:
        first = signin.sign_in(s, email=email, password=password, client="10.1.1.1").token
        second = signin.sign_in(s, email=email, password=password, client="10.1.1.1").token
    _fail(db_url, email, client="10.1.1.2")
    assert first != second
    with write_session(db_url) as s:
        attempts = s.exec(select(LoginAttempt.succeeded, LoginAttempt.client)
                          .order_by(LoginAttempt.id)).all()
        actions = s.exec(select(AuditEntry.action).where(AuditEntry.action.like("login.%"))
                         .order_by(AuditEntry.id)).all()
    assert [tuple(a) for a in attempts] == [(True, "10.1.1.1"), (True, "10.1.1.1"),
                                            (False, "10.1.1.2")]
    assert actions == ["login.succeeded", "login.succeeded", "login.failed"]


def test_an_account_is_throttled_after_five_failures_even_with_the_right_password(db_url):
    email, password = _account(db_url)
    # given five wrong passwords from five different machines
    assert [_fail(db_url, email, client=f"10.2.0.{i}") for i in range(5)] == \
        [AuthenticationFailed] * 5
    # then the sixth try is refused before the password is even checked
    with pytest.raises(signin.LoginThrottled) as throttled, write_session(db_url) as s:
        signin.sign_in(s, email=email, password=password, client="10.2.0.99")
    assert 0 < throttled.value.wait_seconds <= throttle.BASE_DELAY.total_seconds()
    assert "Try again in 1 minute" in throttled.value.message
    with write_session(db_url) as s:
        # throttled tries are audited, not counted as failures (waiting always helps)
        assert s.exec(select(func.count()).select_from(LoginAttempt)).one() == 5
        assert s.exec(select(AuditEntry.outcome).where(
            AuditEntry.action == "login.throttled")).all() == ["refused"]
    # and once the delay has passed, the right password works and clears the count
    _age_attempts(db_url, throttle.BASE_DELAY + timedelta(seconds=1))
    with write_session(db_url) as s:
        assert signin.sign_in(s, email=email, password=password, client="10.2.0.99").token
    assert _fail(db_url, email) is AuthenticationFailed


def test_the_delay_doubles_with_each_further_failure_up_to_the_cap():
    free = throttle.ACCOUNT_FREE
    delays = [throttle._delay(n, free) for n in range(free - 1, free + 12)]
    assert delays[0] == timedelta(0) and delays[1] == throttle.BASE_DELAY
    assert delays[2] == 2 * throttle.BASE_DELAY and delays[3] == 4 * throttle.BASE_DELAY
    assert max(delays) == throttle.MAX_DELAY == delays[-1]


def test_one_client_trying_many_accounts_is_throttled(db_url):
    email, password = _account(db_url)
    for i in range(throttle.CLIENT_FREE):
        assert _fail(db_url, f"guess{i}@shop.example", client="203.0.113.7") is AuthenticationFailed
    assert _fail(db_url, "guess-next@shop.example", client="203.0.113.7") is signin.LoginThrottled
    with pytest.raises(signin.LoginThrottled), write_session(db_url) as s:
        signin.sign_in(s, email=email, password=password, client="203.0.113.7")
    # another client is not held up by it
    with write_session(db_url) as s:
        assert signin.sign_in(s, email=email, password=password, client="198.51.100.2").token


def test_unknown_emails_are_throttled_exactly_like_real_ones(db_url):
    _account(db_url)
    outcomes = [_fail(db_url, "nobody@shop.example", client=f"10.3.0.{i}") for i in range(6)]
    assert outcomes == [AuthenticationFailed] * 5 + [signin.LoginThrottled]


def test_failures_older_than_the_window_are_forgotten(db_url):
    email, password = _account(db_url)
    for i in range(5):
        _fail(db_url, email, client=f"10.4.0.{i}")
    _age_attempts(db_url, throttle.WINDOW + timedelta(minutes=1))
    assert _fail(db_url, email) is AuthenticationFailed


def test_simultaneous_wrong_passwords_get_no_more_tries_than_the_free_ones(db_url):
    """Twelve tries at once on one account (a script, or a botnet with one IP each): the
    throttle is checked and the try claimed in one step, so only the free ones reach the
    password check and every other one is refused before it."""
    email, _ = _account(db_url)
    start = threading.Barrier(12)

    def attempt(i: int) -> type[Exception]:
        start.wait()
        return _fail(db_url, email, client=f"10.9.0.{i}")

    with ThreadPoolExecutor(12) as pool:
        outcomes = list(pool.map(attempt, range(12)))
    assert outcomes.count(AuthenticationFailed) == throttle.ACCOUNT_FREE
    assert outcomes.count(signin.LoginThrottled) == 12 - throttle.ACCOUNT_FREE
    with write_session(db_url) as s:
        rows = s.exec(select(LoginAttempt.succeeded).where(LoginAttempt.email == email)).all()
    assert rows == [False] * throttle.ACCOUNT_FREE
