"""A real OpenID Connect provider on a local port (oidc-provider-mock: authlib's server,
RS256-signed ID tokens, a JWKS, discovery), with our app registered as a client, for the
sign-in tests and the browser test."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
from oidc_provider_mock import run_server_in_thread

ROLE_MAP = "shop-admins=owner,shop-staff=staff,packers=picker"


@dataclass
class LocalProvider:
    issuer: str
    client_id: str
    client_secret: str

    def env(self, **extra: str) -> dict[str, str]:
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": self.client_id,
                "OIDC_CLIENT_SECRET": self.client_secret, "OIDC_ROLE_CLAIM": "groups",
                "OIDC_ROLE_MAP": ROLE_MAP, "OIDC_PROVIDER_NAME": "Harbour & Pine Shop",
                **extra}

    def person(self, sub: str, *, email: str, groups: list[str] | None = None,
               verified: bool = True, name: str = "") -> None:
        """Create or change a person's account at the provider."""
        claims = {"email": email, "email_verified": verified, "name": name or sub}
        if groups is not None:
            claims["groups"] = groups
        httpx.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10).raise_for_status()

    def register(self, redirect_uris: list[str]) -> tuple[str, str]:
        """Another client of the same provider: (client id, secret)."""
        r = httpx.post(f"{self.issuer}/oauth2/clients", json={"redirect_uris": redirect_uris},
                       timeout=10)
        r.raise_for_status()
        return r.json()["client_id"], r.json()["client_secret"]

    def approve(self, authorization_url: str, sub: str) -> str:
        """Sign in at the provider as `sub` (its one-field form); the redirect back."""
        r = httpx.post(authorization_url, data={"sub": sub}, follow_redirects=False,
                       timeout=10)
        assert r.status_code == 302, r.text[:500]
        return r.headers["location"]

    def id_token_for(self, sub: str, *, client_id: str, client_secret: str,
                     redirect_uri: str, nonce: str) -> str:
        """An ID token the provider really issues (e.g. for another client)."""
        query = {"client_id": client_id, "response_type": "code", "scope": "openid email",
                 "redirect_uri": redirect_uri, "state": "s", "nonce": nonce}
        back = self.approve(str(httpx.URL(f"{self.issuer}/oauth2/authorize", params=query)),
                            sub)
        code = parse_qs(urlsplit(back).query)["code"][0]
        r = httpx.post(f"{self.issuer}/oauth2/token", auth=(client_id, client_secret),
                       data={"grant_type": "authorization_code", "code": code,
                             "redirect_uri": redirect_uri}, timeout=10)
        r.raise_for_status()
        return r.json()["id_token"]


@contextlib.contextmanager
def local_provider(redirect_uris: list[str], *, token_max_age: timedelta = timedelta(hours=1)):
    with run_server_in_thread(require_client_registration=True, require_nonce=True,
                              access_token_max_age=token_max_age) as server:
        issuer = f"http://localhost:{server.server_port}"
        provider = LocalProvider(issuer, "", "")
        provider.client_id, provider.client_secret = provider.register(redirect_uris)
        yield provider
