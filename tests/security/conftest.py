"""Security fixtures: people of each role on a fresh database (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dashboard.domain.accounts import Principal, PrincipalKind, Role
from dashboard.services import accounts
from dashboard.services.accounts import signin
from dashboard.services.db import write_session

SYSTEM = Principal.system("test")
PASSWORDS = {Role.OWNER: "owner passphrase 1", Role.STAFF: "staff passphrase 2",
             Role.PICKER: "picker passphrase 3"}


@dataclass
class Person:
    email: str
    password: str
    role: Role
    principal: Principal  # as the guard would resolve them from a live session


def make_person(url: str, email: str, role: Role) -> Person:
    password = PASSWORDS[role]
    with write_session(url) as s:
        accounts.invite(s, email=email, password=password, role=role, by=SYSTEM)
        signed = signin.sign_in(s, email=email, password=password, client="10.0.0.9")
    principal = Principal(PrincipalKind.USER, email, role.value, email.split("@")[0],
                          signed.user.id)
    return Person(email, password, role, principal)


@pytest.fixture
def shop(db_url):
    """An owner, a staff member and a picker."""
    return {role: make_person(db_url, f"{role.value}@shop.example", role) for role in Role}


@pytest.fixture
def api_url(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url
