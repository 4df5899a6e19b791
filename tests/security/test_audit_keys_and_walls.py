"""The audit log cannot be edited; API keys and wall links are owner-made, revocable,
stored hashed and audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from dashboard.domain.accounts import ANONYMOUS, ApiKey, AuditEntry, KioskToken, Role
from dashboard.domain.errors import NotFound, PermissionDenied, ValidationFailed
from dashboard.services import accounts
from dashboard.services.accounts import audit
from dashboard.services.db import read_session, write_session


def test_audit_entries_cannot_be_changed_or_deleted_even_with_sql(db_url, shop):
    with read_session(db_url) as s:
        assert s.exec(select(sa.func.count()).select_from(AuditEntry)).one() >= 3
    for statement in ("UPDATE audit_entry SET actor = 'someone else'", "DELETE FROM audit_entry"):
        with pytest.raises(DBAPIError, match="append-only"), write_session(db_url) as s:
            s.execute(sa.text(statement))
    with read_session(db_url) as s:
        assert "someone else" not in s.exec(select(AuditEntry.actor)).all()


def test_a_flood_of_refusals_is_written_down_only_up_to_a_budget(db_url):
    budget = audit._RefusalBudget(per_minute=3)
    outcomes = [budget.admit(("10.0.0.1", "anonymous", "X.y")) for _ in range(5)]
    assert [w for w, _ in outcomes] == [True, True, True, False, False]
    assert budget.admit(("10.0.0.1", "anonymous", "X.z")) == (True, 0)  # another target
    budget._windows[("10.0.0.1", "anonymous", "X.y")] = (-1e9, 3, 2)  # a minute later
    assert budget.admit(("10.0.0.1", "anonymous", "X.y")) == (True, 2)  # says what it skipped


def test_listing_filters_by_outcome_and_text_newest_first(db_url, shop):
    with write_session(db_url) as s:
        audit.record_refusal(s, by=ANONYMOUS, action="event.refused", target="PeopleState.load",
                             client="10.7.7.7")
    with read_session(db_url) as s:
        refused = audit.list_entries(s, outcome="refused")
        found = audit.list_entries(s, q="peoplestate")
        everything = audit.list_entries(s, per_page=2)
        with pytest.raises(ValidationFailed):
            audit.list_entries(s, outcome="maybe")
        assert [r.target for r in refused.rows] == ["PeopleState.load"]
        assert found.total == 1 and everything.total >= 4 and len(everything.rows) == 2
        assert everything.rows[0].id > everything.rows[1].id


def test_owners_create_and_revoke_api_keys_shown_once_and_stored_hashed(db_url, shop):
    owner = shop[Role.OWNER].principal
    with write_session(db_url) as s:
        key, raw = accounts.create_api_key(s, name=" Shopfront ", scopes=("orders:write",),
                                           by=owner, client="10.0.0.1")
        key_id = key.id
    with read_session(db_url) as s:
        stored = s.get(ApiKey, key_id)
        assert raw not in (stored.key_hash, stored.prefix + "x") and stored.name == "Shopfront"
        assert accounts.verify_api_key(s, raw).scopes == {"orders:write"}
        assert accounts.find_api_key(s, raw[:10]).id == key_id
    with write_session(db_url) as s:
        accounts.revoke_api_key(s, key_id=key_id, by=owner)
        accounts.revoke_api_key(s, key_id=key_id, by=owner)  # idempotent
    with read_session(db_url) as s:
        assert accounts.verify_api_key(s, raw) is None
        actions = s.exec(select(AuditEntry.action).where(AuditEntry.action.like("api_key.%"))
                         .order_by(AuditEntry.id)).all()
    assert actions == ["api_key.created", "api_key.revoked"]


@pytest.mark.parametrize("role", [Role.STAFF, Role.PICKER])
def test_only_owners_make_or_revoke_keys_and_wall_links(db_url, shop, role):
    owner, caller = shop[Role.OWNER].principal, shop[role].principal
    with write_session(db_url) as s:
        key, _ = accounts.create_api_key(s, name="Shop", by=owner)
        wall, _ = accounts.create_kiosk_link(s, name="Bench", by=owner)
        key_id, wall_id = key.id, wall.id
    for attempt in (
        lambda s: accounts.create_api_key(s, name="Mine", by=caller),
        lambda s: accounts.revoke_api_key(s, key_id=key_id, by=caller),
        lambda s: accounts.create_kiosk_link(s, name="Mine", by=caller),
        lambda s: accounts.revoke_kiosk_link(s, kiosk_id=wall_id, by=caller),
    ):
        with pytest.raises(PermissionDenied), write_session(db_url) as s:
            attempt(s)
    with read_session(db_url) as s:
        assert [k.revoked_at for k in accounts.list_api_keys(s)] == [None]
        assert [k.revoked_at for k in accounts.list_kiosk_links(s)] == [None]


def test_a_wall_link_works_until_it_is_revoked(db_url, shop):
    owner = shop[Role.OWNER].principal
    with write_session(db_url) as s:
        row, raw = accounts.create_kiosk_link(s, name="Packing bench", by=owner)
        row_id = row.id
    with read_session(db_url) as s:
        found = accounts.lookup_kiosk(s, raw)
        assert (found.name, found.principal.role) == ("Packing bench", "kiosk")
        assert raw not in s.exec(select(KioskToken.token_hash)).all()
        assert accounts.lookup_kiosk(s, raw + "x") is None
    with write_session(db_url) as s:
        accounts.revoke_kiosk_link(s, kiosk_id=row_id, by=owner)
        with pytest.raises(NotFound):
            accounts.revoke_kiosk_link(s, kiosk_id=row_id + 99, by=owner)
    with read_session(db_url) as s:
        assert accounts.lookup_kiosk(s, raw) is None


def test_key_and_link_names_are_validated(db_url, shop):
    owner = shop[Role.OWNER].principal
    for attempt in (
        lambda s: accounts.create_api_key(s, name=" ", by=owner),
        lambda s: accounts.create_api_key(s, name="ok", scopes=("orders:delete",), by=owner),
        lambda s: accounts.create_api_key(s, name="ok", scopes=(), by=owner),
        lambda s: accounts.create_kiosk_link(s, name="x" * 101, by=owner),
    ):
        with pytest.raises(ValidationFailed), write_session(db_url) as s:
            attempt(s)
