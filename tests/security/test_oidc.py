"""Signing in with the shop's account, against a real OpenID Connect provider started
locally (oidc-provider-mock), through the app's own routes (issue 17)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlmodel import select

from dashboard.api.app import create_app
from dashboard.domain.accounts import AuditEntry, Principal, Role, User
from dashboard.domain.errors import PermissionDenied, ValidationFailed
from dashboard.services import accounts
from dashboard.services.db import read_session, write_session
from tests.security.oidc_provider import local_provider

ORIGIN = "http://localhost:3000"
CALLBACK = ORIGIN + "/api/session/oidc/callback"
OWNER = Principal.system("test")


@pytest.fixture(scope="module")
def provider():
    with local_provider([CALLBACK, "http://other.example/cb"]) as running:
        yield running


@pytest.fixture
def app(api_url, provider, monkeypatch):
    for name, value in provider.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")  # the test client speaks plain http
    with TestClient(create_app(), base_url=ORIGIN) as client:
        yield client


def _start(app, next_path=""):
    r = app.get("/api/session/oidc/start", params={"next": next_path}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def _callback(app, back: str):
    parts = urlsplit(back)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return app.get(f"{parts.path}?{parts.query}", follow_redirects=False)


def _sign_in(app, provider, sub, next_path=""):
    return _callback(app, provider.approve(_start(app, next_path), sub))


def _who(url, response):
    token = response.cookies.get("fulfil_session")
    if not token:
        return None
    with read_session(url) as s:
        return accounts.lookup_session(s, token)[0]


def _refusal(response) -> str:
    assert response.status_code == 303 and "fulfil_session=" not in \
        response.headers.get("set-cookie", "").replace("fulfil_session=\"\"", "")
    return parse_qs(urlsplit(response.headers["location"]).query)["error"][0]


def _invite(url, email, role=Role.STAFF):
    with write_session(url) as s:
        accounts.invite(s, email=email, password=None, role=role, by=OWNER)


def test_the_flow_uses_pkce_state_and_nonce(app, provider):
    query = parse_qs(urlsplit(_start(app)).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["client_id"] == [provider.client_id] and query["redirect_uri"] == [CALLBACK]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert "openid" in query["scope"][0].split()


def test_an_invited_person_signs_in_and_gets_a_server_side_session(app, provider, api_url):
    _invite(api_url, "ana@shop.example")
    provider.person("ana", email="ana@shop.example", groups=["shop-staff"])
    r = _sign_in(app, provider, "ana", next_path="/payments")
    assert r.status_code == 200 and 'url=/payments"' in r.text
    assert "HttpOnly" in r.headers["set-cookie"] and "samesite=strict" in \
        r.headers["set-cookie"].lower()
    who = _who(api_url, r)
    assert who.email == "ana@shop.example" and who.role == Role.STAFF
    with read_session(api_url) as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "login.succeeded")).one()
        assert entry.detail["method"] == "oidc"
    # signing out ends it like any session
    app.cookies.set("fulfil_session", r.cookies["fulfil_session"])
    app.post("/api/session/logout", headers={"Origin": ORIGIN}, follow_redirects=False)
    assert _who(api_url, r) is None


@pytest.mark.parametrize(("groups", "role"), [
    (["shop-admins", "packers"], Role.OWNER), (["packers"], Role.PICKER),
    (["other", "shop-staff"], Role.STAFF),
])
def test_the_role_comes_from_the_providers_claim(app, provider, api_url, groups, role):
    _invite(api_url, "ben@shop.example", Role.STAFF)
    provider.person("ben", email="ben@shop.example", groups=groups)
    assert _who(api_url, _sign_in(app, provider, "ben")).role == role


def test_a_role_change_at_the_provider_applies_at_the_next_sign_in(app, provider, api_url):
    _invite(api_url, "cy@shop.example", Role.PICKER)
    provider.person("cy", email="cy@shop.example", groups=["packers"])
    assert _who(api_url, _sign_in(app, provider, "cy")).role == Role.PICKER
    provider.person("cy", email="cy@shop.example", groups=["shop-staff"])
    assert _who(api_url, _sign_in(app, provider, "cy")).role == Role.STAFF
    provider.person("cy", email="cy@shop.example", groups=[])
    assert _refusal(_sign_in(app, provider, "cy")) == "oidc_no_role"


def test_the_provider_cannot_demote_the_shops_last_owner(app, provider, api_url):
    with read_session(api_url) as s:
        assert not s.exec(select(User).where(User.role == Role.OWNER)).all()
    _invite(api_url, "olga@shop.example", Role.OWNER)
    provider.person("olga", email="olga@shop.example", groups=["packers"])

    assert _who(api_url, _sign_in(app, provider, "olga")).role == Role.OWNER
    with read_session(api_url) as s:
        refused = [(e.target, e.detail["reason"]) for e in s.exec(select(AuditEntry).where(
            AuditEntry.action == "user.role_change_refused"))]
    assert refused == [("olga@shop.example", "last owner")]

    _invite(api_url, "otto@shop.example", Role.OWNER)  # with another owner it applies
    assert _who(api_url, _sign_in(app, provider, "olga")).role == Role.PICKER


def _setup_link(url) -> str:
    with write_session(url) as s:
        return accounts.issue_setup_link(s)


def _start_setup(app, token):
    return app.get("/api/session/oidc/start", params={"setup": token}, follow_redirects=False)


def test_the_setup_link_makes_whoever_signs_in_at_the_provider_the_owner(app, provider, api_url):
    token = _setup_link(api_url)
    provider.person("founder", email="Founder@Shop.example", groups=["packers"])
    start = _start_setup(app, token)
    assert start.status_code == 303

    done = _callback(app, provider.approve(start.headers["location"], "founder"))

    who = _who(api_url, done)
    assert (who.email, who.role) == ("founder@shop.example", Role.OWNER)
    assert 'url=/orders"' in done.text
    with read_session(api_url) as s:
        assert not accounts.setup_link_valid(s, token)
        [created] = [e.detail for e in s.exec(select(AuditEntry).where(
            AuditEntry.action == "setup.owner_created"))]
    assert created["method"] == "oidc"
    # Later sign-ins are ordinary ones: linked by subject, and the claim ("packers")
    # cannot demote the only owner.
    assert _who(api_url, _sign_in(app, provider, "founder")).role == Role.OWNER
    assert _refusal(_start_setup(app, token)) == "oidc_setup"  # the link is spent


def test_the_setup_link_needs_a_verified_email_and_survives_a_refusal(app, provider, api_url):
    token = _setup_link(api_url)
    provider.person("anon", email="anon@shop.example", groups=["shop-admins"], verified=False)
    start = _start_setup(app, token)

    refused = _callback(app, provider.approve(start.headers["location"], "anon"))

    assert _refusal(refused) == "oidc_setup_email"
    with read_session(api_url) as s:
        assert accounts.setup_link_valid(s, token)  # still usable, e.g. with a password
        assert not s.exec(select(User).where(User.role == Role.OWNER)).all()


def test_a_dead_or_guessed_setup_link_does_not_start_a_sign_in(app, api_url, shop):
    assert _refusal(_start_setup(app, "guessed-token")) == "oidc_setup"


def test_an_uninvited_person_is_refused_by_default(app, provider, api_url):
    provider.person("dee", email="dee@elsewhere.example", groups=["shop-admins"])
    assert _refusal(_sign_in(app, provider, "dee")) == "oidc_not_invited"
    with read_session(api_url) as s:
        assert s.exec(select(User).where(User.email == "dee@elsewhere.example")).first() is None
        refused = s.exec(select(AuditEntry).where(AuditEntry.action == "login.failed")).one()
        assert refused.detail["reason"] == "not_invited"


def test_unknown_people_enter_only_when_allowed(app, provider, api_url, monkeypatch):
    monkeypatch.setenv("OIDC_ALLOW_UNKNOWN", "1")
    provider.person("eve", email="eve@shop.example", groups=["packers"])
    assert _who(api_url, _sign_in(app, provider, "eve")).role == Role.PICKER
    provider.person("fay", email="fay@shop.example", groups=["nothing-mapped"])
    assert _refusal(_sign_in(app, provider, "fay")) == "oidc_no_role"


def test_an_unverified_email_does_not_claim_an_invited_account(app, provider, api_url):
    _invite(api_url, "gus@shop.example", Role.OWNER)
    provider.person("mallory", email="gus@shop.example", groups=["shop-staff"], verified=False)
    assert _refusal(_sign_in(app, provider, "mallory")) == "oidc_not_invited"


def test_a_person_disabled_here_stays_out(app, provider, api_url):
    _invite(api_url, "hal@shop.example")
    provider.person("hal", email="hal@shop.example", groups=["shop-staff"])
    assert _who(api_url, _sign_in(app, provider, "hal"))
    with write_session(api_url) as s:
        accounts.set_active(s, email="hal@shop.example", active=False, by=OWNER)
    assert _refusal(_sign_in(app, provider, "hal")) == "oidc_disabled"


def test_a_replayed_state_is_refused(app, provider, api_url):
    _invite(api_url, "ivy@shop.example")
    provider.person("ivy", email="ivy@shop.example", groups=["shop-staff"])
    back = provider.approve(_start(app), "ivy")
    assert _who(api_url, _callback(app, back))
    app.cookies.set("fulfil_oidc_state", parse_qs(urlsplit(back).query)["state"][0],
                    path="/api/session/oidc")
    assert _refusal(_callback(app, back)) == "oidc_state"


def test_a_callback_made_in_another_browser_is_refused(app, provider, api_url):
    """Login CSRF: a callback link for the attacker's account, opened by the victim."""
    _invite(api_url, "jo@shop.example")
    provider.person("jo", email="jo@shop.example", groups=["shop-staff"])
    back = provider.approve(_start(app), "jo")
    app.cookies.clear()
    assert _refusal(_callback(app, back)) == "oidc_state"


def test_a_forged_state_is_refused(app, provider):
    provider.person("kim", email="kim@shop.example", groups=["shop-staff"])
    back = provider.approve(_start(app), "kim")
    forged = back.replace("state=", "state=x")
    app.cookies.set("fulfil_oidc_state", parse_qs(urlsplit(forged).query)["state"][0],
                    path="/api/session/oidc")
    assert _refusal(_callback(app, forged)) == "oidc_state"


def _claims(provider, **changes):
    now = int(time.time())
    return {"iss": provider.issuer, "aud": provider.client_id, "sub": "ana", "iat": now,
            "exp": now + 300, "nonce": "n-1", "email": "ana@shop.example",
            "email_verified": True, **changes}


def test_the_providers_own_id_token_verifies(app, provider):
    token = provider.id_token_for("ana", client_id=provider.client_id,
                                  client_secret=provider.client_secret, redirect_uri=CALLBACK,
                                  nonce="n-1")
    assert accounts.oidc.verify_id_token(token, nonce="n-1")["sub"] == "ana"
    with pytest.raises(accounts.OidcRefused):  # another sign-in's nonce
        accounts.oidc.verify_id_token(token, nonce="n-2")


def test_a_forged_id_token_is_refused(app, provider):
    key = RSAKey.import_key(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    forged = jwt.encode({"alg": "RS256", "kid": "forged"}, _claims(provider), key)
    with pytest.raises(accounts.OidcRefused) as refused:
        accounts.oidc.verify_id_token(forged, nonce="n-1")
    assert refused.value.reason == "id_token"
    # the provider's real header on a changed payload: the signature no longer matches
    genuine = provider.id_token_for("ana", client_id=provider.client_id,
                                    client_secret=provider.client_secret,
                                    redirect_uri=CALLBACK, nonce="n-1")
    header, _, signature = genuine.split(".")
    body = jwt.encode({"alg": "RS256"}, _claims(provider, sub="owner"), key).split(".")[1]
    with pytest.raises(accounts.OidcRefused):
        accounts.oidc.verify_id_token(f"{header}.{body}.{signature}", nonce="n-1")


def test_a_token_for_another_client_is_refused(app, provider):
    other_id, other_secret = provider.register(["http://other.example/cb"])
    token = provider.id_token_for("ana", client_id=other_id, client_secret=other_secret,
                                  redirect_uri="http://other.example/cb", nonce="n-1")
    with pytest.raises(accounts.OidcRefused) as refused:  # genuinely signed, wrong audience
        accounts.oidc.verify_id_token(token, nonce="n-1")
    assert refused.value.reason == "id_token"


def test_an_expired_id_token_is_refused(api_url, monkeypatch):
    with local_provider([CALLBACK], token_max_age=timedelta(seconds=1)) as short:
        for name, value in short.env().items():
            monkeypatch.setenv(name, value)
        token = short.id_token_for("ana", client_id=short.client_id,
                                   client_secret=short.client_secret, redirect_uri=CALLBACK,
                                   nonce="n-1")
        assert accounts.oidc.verify_id_token(token, nonce="n-1")
        exp = jwt.decode(token, accounts.oidc._key_set(accounts.oidc.discover(short.issuer)))
        wait = exp.claims["exp"] + 31 - datetime.now(UTC).timestamp()  # past the 30 s leeway
        time.sleep(max(0.0, wait))
        with pytest.raises(accounts.OidcRefused):
            accounts.oidc.verify_id_token(token, nonce="n-1")


def test_password_sign_in_stays_until_an_owner_turns_it_off(app, provider, api_url, shop):
    owner, staff = shop[Role.OWNER], shop[Role.STAFF]

    def post():
        return app.post("/api/session/login", headers={"Origin": ORIGIN},
                        follow_redirects=False,
                        data={"email": staff.email, "password": staff.password})
    assert post().headers["location"] == ORIGIN + "/orders"
    with write_session(api_url) as s, pytest.raises(PermissionDenied):
        accounts.set_password_sign_in(s, allowed=False, by=staff.principal)
    with write_session(api_url) as s:
        accounts.set_password_sign_in(s, allowed=False, by=owner.principal)
    assert post().headers["location"] == ORIGIN + "/login?error=password_off"
    with write_session(api_url) as s:
        accounts.set_password_sign_in(s, allowed=True, by=owner.principal)
    assert post().headers["location"] == ORIGIN + "/orders"


def test_password_sign_in_cannot_be_turned_off_without_oidc(api_url, shop, monkeypatch):
    monkeypatch.delenv("OIDC_ISSUER", raising=False)
    with write_session(api_url) as s, pytest.raises(ValidationFailed):
        accounts.set_password_sign_in(s, allowed=False, by=shop[Role.OWNER].principal)
