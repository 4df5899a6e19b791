"""Webhook fixtures: a shop database, a local receiver, and an owner."""

from __future__ import annotations

import pytest

from dashboard.domain.accounts import Principal, PrincipalKind, Role
from dashboard.services.accounts import users
from dashboard.services.db import write_session
from fulfil_testkit.webhook_receiver import Receiver


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def shop(db_url, monkeypatch):
    """A database with one product; webhooks may reach the local receiver and retry at
    once (no backoff), and no email leaves."""
    from fulfil_testkit.factories import add_product

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("WEBHOOKS_BASE_DELAY_SECONDS", "0")
    monkeypatch.setenv("WEBHOOKS_TIMEOUT_SECONDS", "5")
    monkeypatch.delenv("RESEND_API_KEY", raising=False)
    add_product(db_url, "MUG-1", on_hand=50, price="12.50")
    return db_url


def _principal(url: str, email: str, role: Role) -> Principal:
    with write_session(url) as s:
        user = users.create_user(s, email=email, password=None, role=role)
        return Principal(PrincipalKind.USER, user.email, role.value, user.name, user.id)


@pytest.fixture
def owner(shop) -> Principal:
    return _principal(shop, "owner@harbourpine.example", Role.OWNER)


@pytest.fixture
def staff(shop) -> Principal:
    return _principal(shop, "staff@harbourpine.example", Role.STAFF)
