"""The first run: a one-time setup link while no owner exists (issue 17)."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from dashboard import cli
from dashboard.api.app import create_app
from dashboard.domain.accounts import AuditEntry, Role, User
from dashboard.services import accounts
from dashboard.services.db import read_session, write_session

ORIGIN = "http://localhost:3000"
PASSWORD = "first owner passphrase"  # noqa: S105 (test account)


@pytest.fixture
def client(api_url):
    with TestClient(create_app(), base_url=ORIGIN) as c:
        yield c


def _link(url: str) -> str:
    with write_session(url) as s:
        return accounts.issue_setup_link(s)


def _setup(client, token, *, email="founder@shop.example", password=PASSWORD, again=None,
           origin=ORIGIN):
    return client.post("/api/session/setup", headers={"Origin": origin}, follow_redirects=False,
                       data={"token": token, "email": email, "password": password,
                             "again": password if again is None else again, "name": "Founder"})


def test_the_link_creates_the_owner_signs_them_in_and_dies(client, api_url):
    token = _link(api_url)
    r = _setup(client, token)
    assert r.status_code == 303 and r.headers["location"] == ORIGIN + "/orders"
    session_token = r.cookies.get("fulfil_session")
    assert "HttpOnly" in r.headers["set-cookie"] and session_token
    with read_session(api_url) as s:
        who = accounts.lookup_session(s, session_token)[0]
        assert who.email == "founder@shop.example" and who.role == Role.OWNER
        assert not accounts.setup_link_valid(s, token)
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "setup.owner_created")).one()
    again = _setup(client, token, email="second@shop.example")
    assert again.status_code == 303 and "set-cookie" not in again.headers
    with read_session(api_url) as s:
        assert s.exec(select(User).where(User.email == "second@shop.example")).first() is None


def test_no_link_is_issued_or_honoured_once_an_owner_exists(api_url, shop):
    with write_session(api_url) as s:
        assert accounts.issue_setup_link(s) is None
        assert not accounts.setup_link_valid(s, "anything")


def test_an_unused_link_is_refused_once_an_owner_exists_another_way(client, api_url):
    token = _link(api_url)
    with write_session(api_url) as s:
        accounts.create_user(s, email="cli@shop.example", password=PASSWORD, role=Role.OWNER)
    r = _setup(client, token)
    assert "set-cookie" not in r.headers
    with read_session(api_url) as s:
        assert s.exec(select(User).where(User.email == "founder@shop.example")).first() is None


def test_a_newer_link_retires_the_older_one(client, api_url):
    old, new = _link(api_url), _link(api_url)
    with read_session(api_url) as s:
        assert not accounts.setup_link_valid(s, old) and accounts.setup_link_valid(s, new)
    assert "set-cookie" not in _setup(client, old).headers
    assert "set-cookie" in _setup(client, new).headers


@pytest.mark.parametrize("token", ["", "x" * 43, "y" * 500])
def test_a_guessed_link_is_refused(client, api_url, token):
    _link(api_url)
    assert "set-cookie" not in _setup(client, token).headers


def test_a_bad_password_keeps_the_link_alive(client, api_url):
    token = _link(api_url)
    r = _setup(client, token, password="short")
    assert r.headers["location"] == f"{ORIGIN}/setup/{token}?error=password"
    r = _setup(client, token, again="something else entirely")
    assert r.headers["location"] == f"{ORIGIN}/setup/{token}?error=mismatch"
    assert "set-cookie" in _setup(client, token).headers


def test_a_post_from_another_site_is_refused(client, api_url):
    token = _link(api_url)
    r = _setup(client, token, origin="https://evil.example")
    assert r.status_code == 403 and "CORS_ALLOWED_ORIGINS" in r.json()["message"]
    with read_session(api_url) as s:
        assert accounts.setup_link_valid(s, token)


def test_the_cli_prints_the_link_only_while_no_owner_exists(api_url):
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["setup-link", "--base-url", "http://127.0.0.1:4100/"]) == 0
    link = re.search(r"http://127\.0\.0\.1:4100/setup/(\S+)", out.getvalue())
    assert link
    with read_session(api_url) as s:
        assert accounts.setup_link_valid(s, link.group(1))
    with write_session(api_url) as s:
        accounts.create_user(s, email="o@shop.example", password=PASSWORD, role=Role.OWNER)
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["setup-link"]) == 0
    assert "/setup/" not in out.getvalue()


@pytest.mark.parametrize(("origin", "allowed"), [
    (ORIGIN, True), ("http://127.0.0.1:3000", False), ("https://evil.example", False)])
def test_the_page_learns_whether_its_origin_may_use_the_app(client, origin, allowed):
    """The banner script's question (the test client's own host is localhost:3000)."""
    r = client.post("/api/session/origin", headers={"Origin": origin})
    assert r.status_code == (200 if allowed else 403)
    if not allowed:
        assert "CORS_ALLOWED_ORIGINS" in r.json()["message"] and origin in r.json()["message"]


def test_the_apps_own_origin_may_post_the_sign_in_form_on_any_port(api_url, shop):
    with TestClient(create_app(), base_url="http://127.0.0.1:4711") as other_port:
        owner = shop[Role.OWNER]
        r = other_port.post("/api/session/login", headers={"Origin": "http://127.0.0.1:4711"},
                            data={"email": owner.email, "password": owner.password},
                            follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "http://127.0.0.1:4711/orders"
