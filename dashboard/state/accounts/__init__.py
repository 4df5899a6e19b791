"""Accounts: who a tab acts as, the guard on every handler, sign-in, password links, and
Settings (people, API keys, wall screens), the audit log."""

from dashboard.state.accounts.api_keys import SCOPES, ApiKeyRow, ApiKeysState
from dashboard.state.accounts.audit import OUTCOME_OPTIONS, SOURCE_OPTIONS, AuditRow, AuditState
from dashboard.state.accounts.auth import AuthState, NavItem
from dashboard.state.accounts.guard import IdentityMiddleware, guard_of, guarded_var
from dashboard.state.accounts.login import LoginState
from dashboard.state.accounts.people import ROLE_OPTIONS, PeopleState, PersonRow
from dashboard.state.accounts.reset import ResetState
from dashboard.state.accounts.setup import SetupState
from dashboard.state.accounts.sign_in_policy import SignInPolicyState
from dashboard.state.accounts.walls import KioskRow, KiosksState

__all__ = [
    "ApiKeyRow",
    "ApiKeysState",
    "AuditRow",
    "AuditState",
    "AuthState",
    "IdentityMiddleware",
    "KioskRow",
    "KiosksState",
    "LoginState",
    "NavItem",
    "OUTCOME_OPTIONS",
    "PeopleState",
    "PersonRow",
    "ROLE_OPTIONS",
    "ResetState",
    "SCOPES",
    "SOURCE_OPTIONS",
    "SetupState",
    "SignInPolicyState",
    "guard_of",
    "guarded_var",
]
