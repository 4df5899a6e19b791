"""Settings → Sign-in (owners only): whether signing in with the shop's identity provider
is set up (OIDC_* settings), and the switch for password sign-in. The service re-checks
that the caller is an owner and refuses turning passwords off without OIDC."""

from __future__ import annotations

import reflex as rx

from dashboard import config
from dashboard.domain.accounts import OWNER_ONLY
from dashboard.domain.errors import DomainError
from dashboard.services import accounts
from dashboard.services.db import read_session, write_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded


class SignInPolicyState(AuthState):
    oidc_enabled: bool = False
    oidc_summary: str = ""
    password_allowed: bool = True

    def _fetch(self) -> None:
        oidc = config.oidc()
        self.oidc_enabled = oidc.enabled
        roles = ", ".join(f"{claim} → {role}" for claim, role in oidc.role_map)
        self.oidc_summary = (
            f"Sign in with {oidc.provider_name}: {oidc.issuer}"
            + (f"; roles from the {oidc.role_claim!r} claim ({roles})" if oidc.role_claim
               else "; roles are set here")
            + ("; people nobody invited may enter" if oidc.allow_unknown
               else "; only people invited here may enter")
        ) if oidc.enabled else ("Signing in with the shop's account is not set up "
                                "(OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET).")
        with read_session() as session:
            self.password_allowed = accounts.password_sign_in_allowed(session)

    @rx.event
    @guarded(*OWNER_ONLY)
    def load(self):
        self._fetch()

    @rx.event
    @guarded(*OWNER_ONLY)
    def set_password_allowed(self, allowed: bool):
        try:
            with write_session() as session:
                accounts.set_password_sign_in(session, allowed=bool(allowed),
                                              by=self._principal, client=self._client())
        except DomainError as error:
            self._fetch()
            return rx.toast.error(error.message)
        self._fetch()
        return rx.toast.success("Password sign-in is " + ("on." if allowed else "off."))
