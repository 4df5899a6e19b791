"""Accounts: people, roles, sessions, API keys, wall links, the audit log, and the one
rule deciding who may reach what."""

from dashboard.domain.accounts.access import (
    ANONYMOUS,
    EVERY_USER,
    KIOSK,
    OWNER_ONLY,
    STAFF_ROLES,
    Decision,
    Principal,
    PrincipalKind,
    Refusal,
    decide,
)
from dashboard.domain.accounts.enums import Role
from dashboard.domain.accounts.models import (
    ApiKey,
    AuditEntry,
    KioskToken,
    LoginAttempt,
    OidcLogin,
    PasswordReset,
    SetupToken,
    SignInPolicy,
    User,
    UserIdentity,
    UserSession,
)

__all__ = [
    "ANONYMOUS",
    "ApiKey",
    "AuditEntry",
    "Decision",
    "EVERY_USER",
    "KIOSK",
    "KioskToken",
    "LoginAttempt",
    "OWNER_ONLY",
    "OidcLogin",
    "PasswordReset",
    "Principal",
    "PrincipalKind",
    "Refusal",
    "Role",
    "STAFF_ROLES",
    "SetupToken",
    "SignInPolicy",
    "User",
    "UserIdentity",
    "UserSession",
    "decide",
]
