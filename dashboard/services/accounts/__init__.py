"""Accounts: people, sessions, sign-in (password, the shop's identity provider through
`oidc`, the first-run link) and its throttle, API keys, wall links, the access check and
the audit log."""

from dashboard.services.accounts import oidc
from dashboard.services.accounts.access import authorize, resolve
from dashboard.services.accounts.api_keys import (
    ALL_SCOPES,
    API_KEY_PREFIX,
    SCOPE_HELP,
    ApiClient,
    create_api_key,
    find_api_key,
    list_api_keys,
    revoke_api_key,
    touch_api_key,
    verify_api_key,
)
from dashboard.services.accounts.audit import list_entries, list_order_changes
from dashboard.services.accounts.oidc import OidcRefused
from dashboard.services.accounts.people import (
    LINK_INVALID,
    Person,
    change_role,
    invite,
    issue_reset_link,
    list_people,
    reset_link_email,
    set_active,
    set_password,
    use_reset_link,
)
from dashboard.services.accounts.policy import (
    PASSWORD_OFF,
    PasswordSignInOff,
    password_sign_in_allowed,
    set_password_sign_in,
)
from dashboard.services.accounts.setup import (
    SETUP_INVALID,
    SetupRefused,
    complete_setup,
    issue_setup_link,
    owner_exists,
    setup_link_valid,
)
from dashboard.services.accounts.signin import LoginThrottled, SignedInSession, sign_in, sign_out
from dashboard.services.accounts.throttle import ACCOUNT_FREE
from dashboard.services.accounts.users import (
    LOGIN_FAILED,
    MAX_PASSWORD,
    MIN_PASSWORD,
    SESSION_IDLE,
    authenticate,
    create_user,
    end_session,
    lookup_session,
    resolve_session,
    start_session,
)
from dashboard.services.accounts.walls import (
    create_kiosk_link,
    list_kiosk_links,
    lookup_kiosk,
    revoke_kiosk_link,
)

__all__ = [
    "ACCOUNT_FREE",
    "ALL_SCOPES",
    "API_KEY_PREFIX",
    "ApiClient",
    "LINK_INVALID",
    "LOGIN_FAILED",
    "LoginThrottled",
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "OidcRefused",
    "PASSWORD_OFF",
    "PasswordSignInOff",
    "Person",
    "SCOPE_HELP",
    "SESSION_IDLE",
    "SETUP_INVALID",
    "SetupRefused",
    "SignedInSession",
    "authenticate",
    "authorize",
    "change_role",
    "complete_setup",
    "create_api_key",
    "create_kiosk_link",
    "create_user",
    "end_session",
    "find_api_key",
    "invite",
    "issue_reset_link",
    "issue_setup_link",
    "list_api_keys",
    "list_entries",
    "list_kiosk_links",
    "list_order_changes",
    "list_people",
    "oidc",
    "lookup_kiosk",
    "lookup_session",
    "owner_exists",
    "password_sign_in_allowed",
    "reset_link_email",
    "resolve",
    "resolve_session",
    "revoke_api_key",
    "revoke_kiosk_link",
    "set_active",
    "set_password_sign_in",
    "set_password",
    "setup_link_valid",
    "sign_in",
    "sign_out",
    "start_session",
    "touch_api_key",
    "use_reset_link",
    "verify_api_key",
]
