"""The sign-in and sign-out form posts, and the API's refusals in the audit log."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from dashboard.api.app import create_app
from dashboard.domain.accounts import AuditEntry, Role
from dashboard.services import accounts
from dashboard.services.db import read_session, write_session

ORIGIN = "http://localhost:3000"  # the default CORS_ALLOWED_ORIGINS


@pytest.fixture
def client(api_url):
    with TestClient(create_app(), base_url="http://localhost:3000") as c:
        yield c


def _post_login(client, email, password, *, origin=ORIGIN, next_path=""):
    headers = {"Origin": origin} if origin else {}
    return client.post("/api/session/login", headers=headers, follow_redirects=False,
                       data={"email": email, "password": password, "next": next_path})


@pytest.mark.parametrize(("role", "home"), [(Role.OWNER, "/orders"), (Role.STAFF, "/orders"),
                                            (Role.PICKER, "/picking")])
def test_signing_in_sets_an_httponly_strict_cookie_and_goes_to_the_roles_home(
    client, api_url, shop, role, home
):
    person = shop[role]
    r = _post_login(client, person.email, person.password)
    assert r.status_code == 303 and r.headers["location"] == ORIGIN + home
    cookie = r.headers["set-cookie"]
    for attribute in ("HttpOnly", "Secure", "SameSite=strict", "Path=/"):
        assert attribute in cookie
    token = r.cookies.get("fulfil_session") or cookie.split("=", 1)[1].split(";")[0]
    with read_session(api_url) as s:
        assert accounts.lookup_session(s, token)[0].email == person.email


def test_a_wrong_password_goes_back_to_the_form_with_no_cookie(client, shop):
    r = _post_login(client, shop[Role.STAFF].email, "not the password", next_path="/audit")
    assert r.status_code == 303 and "set-cookie" not in r.headers
    assert r.headers["location"] == ORIGIN + "/login?error=failed&next=%2Faudit"


def test_next_is_honoured_for_back_office_roles_and_never_leaves_the_site(client, shop):
    staff = shop[Role.STAFF]
    assert _post_login(client, staff.email, staff.password, next_path="/payments") \
        .headers["location"] == ORIGIN + "/payments"
    for hostile in ("//evil.example/x", "https://evil.example", "/\\evil.example", "/api/v1/x"):
        r = _post_login(client, staff.email, staff.password, next_path=hostile)
        assert r.headers["location"] == ORIGIN + "/orders", hostile
    picker = shop[Role.PICKER]
    assert _post_login(client, picker.email, picker.password, next_path="/orders") \
        .headers["location"] == ORIGIN + "/picking"


def test_a_post_from_another_site_is_refused(client, shop):
    for path in ("/api/session/login", "/api/session/logout"):
        r = client.post(path, headers={"Origin": "https://evil.example"}, follow_redirects=False,
                        data={"email": shop[Role.OWNER].email,
                              "password": shop[Role.OWNER].password})
        assert r.status_code == 403 and "set-cookie" not in r.headers


def test_repeated_failures_are_throttled_with_a_wait(client, shop):
    email = shop[Role.STAFF].email
    for _ in range(accounts.ACCOUNT_FREE):
        _post_login(client, email, "wrong password!")
    r = _post_login(client, email, shop[Role.STAFF].password)
    assert r.headers["location"].startswith(ORIGIN + "/login?error=throttled&wait=")
    assert "set-cookie" not in r.headers


def test_signing_out_ends_the_session_on_the_server_and_clears_the_cookie(client, api_url, shop):
    person = shop[Role.STAFF]
    r = _post_login(client, person.email, person.password)
    token = r.headers["set-cookie"].split("=", 1)[1].split(";")[0]
    out = client.post("/api/session/logout", headers={"Origin": ORIGIN,
                                                      "Cookie": f"fulfil_session={token}"},
                      follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == ORIGIN + "/login?notice=signed_out"
    assert 'fulfil_session=""' in out.headers["set-cookie"] and "Max-Age=0" in out.headers["set-cookie"]
    with read_session(api_url) as s:
        assert accounts.lookup_session(s, token)[0] is None
        assert s.exec(select(AuditEntry.actor).where(AuditEntry.action == "logout")).all() == \
            [person.email]


def test_api_refusals_are_in_the_audit_log_with_the_key_and_the_route(client, api_url, shop):
    with write_session(api_url) as s:
        _, reader = accounts.create_api_key(s, name="Reader", scopes=("orders:read",))
    assert client.get("/api/v1/orders").status_code == 401
    assert client.post("/api/v1/orders/100001/cancel",
                       headers={"Authorization": f"Bearer {reader}"}).status_code == 403
    with read_session(api_url) as s:
        rows = s.exec(select(AuditEntry.actor, AuditEntry.target, AuditEntry.detail,
                             AuditEntry.api_key_id)
                      .where(AuditEntry.action == "api.refused").order_by(AuditEntry.id)).all()
    assert [(r.actor, r.target, r.detail["reason"]) for r in rows] == [
        ("anonymous", "GET /api/v1/orders", "unauthorized"),
        ("api:Reader", "POST /api/v1/orders/100001/cancel", "missing_scope"),
    ]
    assert rows[1].api_key_id is not None
