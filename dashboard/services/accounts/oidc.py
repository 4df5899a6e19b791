"""Signing in with the shop's identity provider (OpenID Connect, authorisation code flow
with PKCE), through authlib.

`begin` stores a pending sign-in (state hashed, nonce, PKCE verifier) and returns the
provider's authorisation URL; `finish` spends that row once (a replayed or forged state
is refused), exchanges the code with the verifier and the client secret, and verifies
the ID token: signature against the provider's JWKS (from discovery at OIDC_ISSUER),
issuer, audience, expiry and nonce. Then the person: linked by (issuer, subject), else
by a verified email an owner invited; unknown people only when OIDC_ALLOW_UNKNOWN is on.
A person disabled here stays out whatever the provider says; with OIDC_ROLE_CLAIM set
the provider's claim decides the role at every sign-in. Afterwards the same server-side
session as a password sign-in.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

import httpx
import requests
import sqlalchemy as sa
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2 import OAuth2Error
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlmodel import Session, select

from dashboard import config
from dashboard.domain.accounts import (
    ANONYMOUS,
    OidcLogin,
    Principal,
    Role,
    User,
    UserIdentity,
)
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import DomainError, ValidationFailed
from dashboard.services.accounts import audit, setup, signin, users
from dashboard.services.accounts.signin import SignedInSession
from dashboard.services.accounts.tokens import digest

PENDING_FOR = timedelta(minutes=10)
DISCOVERY_TTL = 3600.0
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA")
ROLE_RANK = {Role.OWNER: 3, Role.STAFF: 2, Role.PICKER: 1}
_TIMEOUT = httpx.Timeout(10.0)


class OidcRefused(DomainError):
    """A sign-in through the provider that must not go ahead; `reason` says which check
    failed (for the log and the page), `message` is fit for the person."""

    code = "sign_in_refused"
    status = 403

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, reason=reason)
        self.reason = reason


OFF = "Signing in with the shop's account is not set up."
STATE_INVALID = "That sign-in link has expired or was already used. Try again."
TOKEN_INVALID = "The identity provider's answer could not be verified. Try again."  # noqa: S105
NOT_INVITED = "There is no account here for you yet: ask the shop's owner to invite you."
NO_ROLE = "Your account at the shop gives you no role here: ask the shop's owner."
PROVIDER_DOWN = "The identity provider could not be reached. Try again shortly."
DENIED = "Signing in with the shop's account was cancelled."
SETUP_EMAIL = ("The identity provider gave no verified email address, or one that already "
               "has an account: open the setup link again and create the owner with a "
               "password.")
# What the sign-in page says for each refusal reason (/login?error=oidc_<reason>).
MESSAGES = {"off": OFF, "state": STATE_INVALID, "code": TOKEN_INVALID,
            "id_token": TOKEN_INVALID, "not_invited": NOT_INVITED, "disabled": NOT_INVITED,
            "no_role": NO_ROLE, "discovery": PROVIDER_DOWN, "jwks": PROVIDER_DOWN,
            "denied": DENIED, "setup": setup.SETUP_INVALID, "setup_email": SETUP_EMAIL}


@dataclass(frozen=True, slots=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


_lock = threading.Lock()
_discovered: dict[str, tuple[float, Provider]] = {}
_keys: dict[str, KeySet] = {}


def _settings() -> config.Oidc:
    settings = config.oidc()
    if not settings.enabled:
        raise OidcRefused("off", OFF)
    return settings


def discover(issuer: str) -> Provider:
    """The provider's endpoints from its discovery document (cached for an hour)."""
    with _lock:
        cached = _discovered.get(issuer)
    if cached and time.monotonic() - cached[0] < DISCOVERY_TTL:
        return cached[1]
    try:
        doc = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=_TIMEOUT)
        doc.raise_for_status()
        data = doc.json()
        provider = Provider(str(data["issuer"]).rstrip("/"), data["authorization_endpoint"],
                            data["token_endpoint"], data["jwks_uri"])
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        raise OidcRefused("discovery", PROVIDER_DOWN) from error
    if provider.issuer != issuer:  # a document that speaks for another issuer
        raise OidcRefused("discovery", PROVIDER_DOWN)
    with _lock:
        _discovered[issuer] = (time.monotonic(), provider)
    return provider


def _key_set(provider: Provider, *, refresh: bool = False) -> KeySet:
    with _lock:
        keys = None if refresh else _keys.get(provider.jwks_uri)
    if keys is None:
        try:
            answer = httpx.get(provider.jwks_uri, timeout=_TIMEOUT)
            answer.raise_for_status()
            keys = KeySet.import_key_set(answer.json())
        except (httpx.HTTPError, ValueError, JoseError) as error:
            raise OidcRefused("jwks", PROVIDER_DOWN) from error
        with _lock:
            _keys[provider.jwks_uri] = keys
    return keys


def verify_id_token(id_token: str, *, nonce: str) -> dict:
    """The claims of an ID token whose signature (the provider's JWKS; fetched again once
    for a key it does not know yet), issuer, audience, expiry and nonce all check out.
    Raises OidcRefused("id_token") otherwise."""
    settings = _settings()
    provider = discover(settings.issuer)
    token = None
    for refresh in (False, True):
        try:
            token = jwt.decode(id_token, _key_set(provider, refresh=refresh),
                               algorithms=list(ALGORITHMS))
            break
        except (JoseError, ValueError) as error:
            if refresh:
                raise OidcRefused("id_token", TOKEN_INVALID) from error
    claims = dict(token.claims)
    registry = jwt.JWTClaimsRegistry(
        leeway=30,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": settings.client_id},
        sub={"essential": True},
        exp={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise OidcRefused("id_token", TOKEN_INVALID) from error
    audience = claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and \
            claims.get("azp") != settings.client_id:
        raise OidcRefused("id_token", TOKEN_INVALID)
    return claims


def _client(settings: config.Oidc, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(settings.client_id, settings.client_secret or None,
                         scope="openid email profile", redirect_uri=redirect_uri,
                         code_challenge_method="S256")


def begin(session: Session, *, redirect_uri: str, next_path: str = "",
          setup_token: str = "") -> tuple[str, str]:
    """Start a sign-in: (the provider's authorisation URL, the state, which the caller
    also binds to this browser with a cookie). From the first-run page, `setup_token` is
    the setup link (refused unless still live): the person who signs in becomes the
    owner. Commits."""
    settings = _settings()
    token_hash = None
    if setup_token:
        token_hash = setup.setup_hash(session, setup_token)
        if token_hash is None:
            raise OidcRefused("setup", setup.SETUP_INVALID)
    provider = discover(settings.issuer)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)[:96]
    session.execute(sa.delete(OidcLogin).where(OidcLogin.created_at < utcnow() - PENDING_FOR))
    session.add(OidcLogin(state_hash=digest(state), nonce=nonce, code_verifier=verifier,
                          next_path=(next_path or "")[:200], setup_hash=token_hash))
    session.commit()
    with _client(settings, redirect_uri) as client:
        url, _ = client.create_authorization_url(provider.authorization_endpoint, state=state,
                                                 nonce=nonce, code_verifier=verifier)
    return url, state


def _spend_state(session: Session, state: str) -> OidcLogin:
    if not state or len(state) > 200:
        raise OidcRefused("state", STATE_INVALID)
    row = session.exec(select(OidcLogin).where(OidcLogin.state_hash == digest(state))).first()
    if row is None or row.used_at is not None or utcnow() - row.created_at > PENDING_FOR:
        raise OidcRefused("state", STATE_INVALID)
    spent = session.execute(sa.update(OidcLogin).where(
        OidcLogin.id == row.id, OidcLogin.used_at.is_(None)).values(used_at=utcnow()))
    if spent.rowcount != 1:
        raise OidcRefused("state", STATE_INVALID)
    session.commit()  # spent even if what follows fails: a state works once
    return row


def _claimed_role(settings: config.Oidc, claims: dict) -> Role | None:
    value = claims.get(settings.role_claim)
    values = {str(v) for v in value} if isinstance(value, list | tuple) else \
        ({str(value)} if value not in (None, "") else set())
    roles = [Role(role) for claim, role in settings.role_map if claim in values]
    return max(roles, key=ROLE_RANK.__getitem__) if roles else None


def _person(session: Session, settings: config.Oidc, issuer: str, claims: dict,
            client: str) -> User:
    """Our user for these verified claims (linking or creating as allowed), with the
    provider's role applied. Raises OidcRefused. No commit."""
    subject = str(claims["sub"])
    email = str(claims.get("email") or "").strip().lower()
    link = session.exec(select(UserIdentity).where(UserIdentity.issuer == issuer,
                                                   UserIdentity.subject == subject)).first()
    user = session.get(User, link.user_id) if link else None
    if user is None and email and claims.get("email_verified") is True:
        user = session.exec(select(User).where(User.email == email)).first()
    role = _claimed_role(settings, claims) if settings.role_claim else None
    if settings.role_claim and role is None:
        raise OidcRefused("no_role", NO_ROLE)
    if user is None:
        if not settings.allow_unknown or role is None or not email or \
                claims.get("email_verified") is not True:
            raise OidcRefused("not_invited", NOT_INVITED)
        created = users.create_user(session, email=email, password=None, role=role,
                                    name=str(claims.get("name") or ""), commit=False)
        user = session.get(User, created.id)
        audit.record(session, by=Principal.system("oidc"), action="user.created_by_provider",
                     target=email, client=client, role=role.value)
    if not user.is_active:
        raise OidcRefused("disabled", NOT_INVITED)
    if link is None:
        session.add(UserIdentity(user_id=user.id, issuer=issuer, subject=subject))
        audit.record(session, by=Principal.system("oidc"), action="user.identity_linked",
                     target=user.email, client=client, issuer=issuer)
    else:
        link.last_login_at = utcnow()
        session.add(link)
    if role is not None and Role(user.role) != role and Role(user.role) == Role.OWNER \
            and user.is_active and not users.other_active_owners(session, user):
        # The provider would demote the shop's last owner: nobody could manage it then.
        audit.record(session, by=Principal.system("oidc"), action="user.role_change_refused",
                     target=user.email, client=client, wanted=role.value, reason="last owner")
    elif role is not None and Role(user.role) != role:
        audit.record(session, by=Principal.system("oidc"), action="user.role_changed",
                     target=user.email, client=client, old=str(Role(user.role).value),
                     new=role.value, source="identity provider")
        user.role = role
    user.last_login_at = utcnow()
    session.add(user)
    session.flush()
    return user


def _first_owner(session: Session, issuer: str, claims: dict, token_hash: str,
                 client: str) -> User:
    """The first run through the provider: the person holding the setup link becomes the
    owner, whatever role the provider's claim would give (later sign-ins apply it, but
    never demote the last owner). Raises OidcRefused. No commit."""
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is not True:
        raise OidcRefused("setup_email", SETUP_EMAIL)
    try:
        user = setup.owner_from_provider(session, token_hash=token_hash, email=email,
                                         name=str(claims.get("name") or ""), client=client)
    except setup.SetupRefused as refused:
        raise OidcRefused("setup", setup.SETUP_INVALID) from refused
    except ValidationFailed as taken:
        raise OidcRefused("setup_email", SETUP_EMAIL) from taken
    session.add(UserIdentity(user_id=user.id, issuer=issuer, subject=str(claims["sub"])))
    user.last_login_at = utcnow()
    session.add(user)
    session.flush()
    return user


def finish(session: Session, *, state: str, code: str, redirect_uri: str,
           browser_state: str, client: str = "") -> tuple[SignedInSession, str]:
    """Complete a sign-in the provider sent back: (the new session, the path to return
    to). `browser_state` is the state this browser was given when it started (a cookie),
    so a callback link made by someone else cannot sign this browser in as them. Every
    refusal is audited and raises OidcRefused. Commits."""
    try:
        settings = _settings()
        if not browser_state or not secrets.compare_digest(browser_state.encode(),
                                                           (state or "").encode()):
            raise OidcRefused("state", STATE_INVALID)
        pending = _spend_state(session, state)
        provider = discover(settings.issuer)
        try:
            with _client(settings, redirect_uri) as oauth:
                answer = oauth.fetch_token(provider.token_endpoint, code=code,
                                           code_verifier=pending.code_verifier,
                                           grant_type="authorization_code", timeout=10)
        except (OAuth2Error, requests.RequestException, ValueError) as error:
            raise OidcRefused("code", TOKEN_INVALID) from error
        id_token = answer.get("id_token")
        if not isinstance(id_token, str):
            raise OidcRefused("id_token", TOKEN_INVALID)
        claims = verify_id_token(id_token, nonce=pending.nonce)
        if pending.setup_hash:
            user = _first_owner(session, provider.issuer, claims, pending.setup_hash, client)
        else:
            user = _person(session, settings, provider.issuer, claims, client)
        session.commit()
        signed = signin.open_session(session, user_id=user.id, client=client, method="oidc")
        return signed, pending.next_path
    except OidcRefused as refused:
        session.rollback()
        audit.record(session, by=ANONYMOUS, action="login.failed", outcome="refused",
                     target="oidc", client=client, reason=refused.reason)
        session.commit()
        raise
