"""API keys from the command line: made, listed without the secret, revoked, audited."""

from __future__ import annotations

from sqlmodel import select

from dashboard.domain.accounts import AuditEntry
from dashboard.services import accounts
from dashboard.services.db import read_session
from tests.test_cli import fulfil


def test_an_api_key_is_listed_without_its_secret_and_revoked_by_its_prefix(sqlite_url):
    made = fulfil(sqlite_url, "create-api-key", "Warehouse sync", "--scopes", "stock:read")
    raw = made.stdout.strip()
    assert made.returncode == 0 and raw.startswith("fk_")

    listed = fulfil(sqlite_url, "list-api-keys")
    assert listed.returncode == 0
    assert "Warehouse sync" in listed.stdout and raw[:10] in listed.stdout
    assert raw not in listed.stdout and "never used" in listed.stdout

    revoked = fulfil(sqlite_url, "revoke-api-key", raw[:10])
    assert revoked.returncode == 0 and "refused from now on" in revoked.stdout
    assert "revoked" in fulfil(sqlite_url, "list-api-keys").stdout
    with read_session(sqlite_url) as s:
        assert accounts.verify_api_key(s, raw) is None
        trail = s.exec(select(AuditEntry.actor, AuditEntry.action)
                       .where(AuditEntry.action.like("api_key.%")).order_by(AuditEntry.id)).all()
    assert [tuple(t) for t in trail] == [("system:cli", "api_key.created"),
                                         ("system:cli", "api_key.revoked")]


def test_revoking_an_unknown_key_is_refused_with_exit_2(sqlite_url):
    refused = fulfil(sqlite_url, "revoke-api-key", "fk_nothing")
    assert refused.returncode == 2 and "No API key" in refused.stderr
    assert "Traceback" not in refused.stderr
