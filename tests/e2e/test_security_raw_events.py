"""Hostile clients against the running prod app: no browser, no page, just the websocket.

An anonymous client, a picker, a wall screen and a staff member each call, by name and
with payloads of their choosing, every registered handler their role is not admitted to
(found by walking the app's states, so a new handler is covered the day it is added).
Each call is refused, the database is unchanged, and each refusal is in the audit log.
Then: a role change and disabling an account apply to the user's very next event.
"""

from __future__ import annotations

import inspect
import typing

import pytest
import sqlalchemy as sa
from sqlmodel import select

from dashboard.domain.accounts import KIOSK, AuditEntry, Principal, Role
from dashboard.services import accounts
from dashboard.services.accounts import walls
from dashboard.services.db import get_engine, read_session, write_session
from tests.e2e.conftest import OWNER_EMAIL
from tests.security.raw_client import RawClient, event_name, sign_in

pytestmark = pytest.mark.e2e

PICKER = ("picker@e2e.example", "picker-pass-123")
STAFF = ("staff@e2e.example", "staff-pass-1234")
BYSTANDER = ("bystander@e2e.example", "bystander-pass-1")
SYSTEM = Principal.system("e2e")
# Rows a refused event must not touch. Left out: the audit log and login attempts (they
# record the attempt), sessions (the idle timer), and the outboxes of emails and webhooks
# (their worker runs on; the endpoints themselves are compared).
NOT_COMPARED_TABLES = {"audit_entry", "login_attempt", "user_session", "outbox_message",
                       "outbox_email", "webhook_delivery", "webhook_attempt",
                       "alembic_version"}
NOT_COMPARED_COLUMNS = {"last_used_at", "last_seen_at"}
# Columns the webhook worker keeps up to date as it delivers (a failing receiver left by an
# earlier test disables its endpoint); what an owner sets is still compared.
WORKER_COLUMNS = {"webhook_endpoint": {"enabled", "disabled_reason", "consecutive_failures",
                                       "updated_at"}}


@pytest.fixture(scope="module")
def people(app_url, app_database_url):
    with write_session(app_database_url) as s:
        for (email, password), role in ((PICKER, Role.PICKER), (STAFF, Role.STAFF),
                                        (BYSTANDER, Role.STAFF)):
            accounts.invite(s, email=email, password=password, role=role, by=SYSTEM)
    with write_session(app_database_url) as s:
        _, wall_token = walls.create_kiosk_link(s, name="Raw-event wall", by=SYSTEM)
    return {"wall": wall_token}


def _guarded_handlers():
    import reflex as rx

    import dashboard.dashboard  # noqa: F401  (registers every state)
    from dashboard.state.accounts import guard_of

    todo, found = [rx.State], []
    while todo:
        cls = todo.pop()
        todo.extend(cls.get_substates())
        if not cls.__module__.startswith("dashboard."):
            continue
        for name, handler in cls.event_handlers.items():
            mark = guard_of(handler.fn)
            if mark is not None and mark.roles:
                found.append((cls, name, mark.roles, handler.fn))
    return found


HOSTILE_FORM = {
    "email": "intruder@evil.example", "name": "Intruder", "role": "owner",
    "password": "intruder-password", "again": "intruder-password",
    **{scope: "on" for scope in ("orders:read", "orders:write", "stock:read", "stock:write",
                                 "products:write")},
    # Settings -> Integrations: a webhook endpoint that would receive every order
    "url": "https://collector.evil.example/hook", "order.created": "on", "order.paid": "on",
}


def _payload(cls, name: str, fn) -> dict:
    """Arguments a hostile client would choose: promote itself, disable the owner..."""
    if (cls.__name__, name) == ("PeopleState", "change_role"):
        return {"email": PICKER[0], "role": "owner"}
    if (cls.__name__, name) == ("PeopleState", "set_active"):
        return {"email": OWNER_EMAIL, "active": False}
    if (cls.__name__, name) == ("SignInPolicyState", "set_password_allowed"):
        return {"allowed": False}  # lock everyone out of password sign-in
    hints = typing.get_type_hints(fn)
    payload = {}
    for param in list(inspect.signature(fn).parameters)[1:]:
        hint = typing.get_origin(hints.get(param)) or hints.get(param)
        payload[param] = {dict: HOSTILE_FORM, int: 0, bool: True, list: [], float: 1.0}.get(
            hint, OWNER_EMAIL if "email" in param else "owner" if param == "role" else "x")
    return payload


def _snapshot(url: str) -> dict:
    engine = get_engine(url)
    found = {}
    with engine.connect() as conn:
        for table in sa.inspect(engine).get_table_names():
            if table in NOT_COMPARED_TABLES or table.startswith("customer_search"):
                continue
            t = sa.Table(table, sa.MetaData(), autoload_with=conn)
            skip = NOT_COMPARED_COLUMNS | WORKER_COLUMNS.get(table, set())
            cols = [c for c in t.columns if c.name not in skip]
            found[table] = sorted(tuple(map(str, row)) for row in conn.execute(sa.select(*cols)))
    return found


def _last_audit_id(url: str) -> int:
    with read_session(url) as s:
        return s.exec(select(sa.func.max(AuditEntry.id))).one() or 0


def _refused_targets(url: str, since: int, actor: str) -> set[str]:
    with read_session(url) as s:
        rows = s.exec(select(AuditEntry).where(
            AuditEntry.id > since, AuditEntry.action == "event.refused",
            AuditEntry.outcome == "refused", AuditEntry.actor == actor)).all()
        return {r.target for r in rows}


CLIENTS = {
    # who: (credentials, role admitted by a handler, actor recorded, path the tab claims)
    "anonymous": (None, None, "anonymous", "/settings"),
    "picker": (PICKER, "picker", PICKER[0], "/settings"),
    "wall screen": (None, KIOSK, "anonymous", "wall"),
    "staff": (STAFF, "staff", STAFF[0], "/settings"),
}


def test_the_integrations_handlers_are_among_the_owner_only_ones():
    """Settings -> Integrations (webhook endpoints, secrets, replays) is owners' alone,
    so every client in the test below calls each of its handlers and is refused."""
    found = {name: roles for cls, name, roles, _ in _guarded_handlers()
             if cls.__name__ == "IntegrationsState"}
    assert {"load", "add", "rotate", "toggle", "send_test", "delete", "show_log", "replay",
            "replay_failed", "close_secret"} <= set(found)
    assert set(found.values()) == {("owner",)}


@pytest.mark.parametrize("who", list(CLIENTS))
def test_every_handler_beyond_the_callers_role_is_refused_changes_nothing_and_is_audited(
    app_url, app_database_url, people, who
):
    credentials, role, actor, path = CLIENTS[who]
    path = f"/wall/{people['wall']}" if path == "wall" else path
    targets = [(cls, name, fn) for cls, name, roles, fn in _guarded_handlers()
               if role not in roles]
    assert len(targets) >= (5 if role == "staff" else 25)
    token = sign_in(app_url, *credentials) if credentials else None
    # given the database as it is, and a tab open on the app's websocket
    before, since = _snapshot(app_database_url), _last_audit_id(app_database_url)
    client = RawClient(app_url, token)
    try:
        # when the client calls each handler by name with arguments of its choosing
        for cls, name, fn in targets:
            client.send(event_name(cls, name), _payload(cls, name, fn), path=path)
        expected = {fn.__qualname__ for _, _, fn in targets}
        client.wait_for(lambda: _refused_targets(app_database_url, since, actor) >= expected,
                        timeout=60)
        # then each one was refused and recorded, with who and from which session
        assert _refused_targets(app_database_url, since, actor) >= expected
        answers = client.frontend_events()
        assert answers and all(e["name"] in {"_redirect", "_call_function"} for e in answers)
        assert {e["payload"]["path"] for e in answers if e["name"] == "_redirect"} <= {
            "/login", "/login?next=/settings", "/picking", "/orders", "/wall"}
        # and nothing changed: no promotion, no new key or person, no order touched
        assert _snapshot(app_database_url) == before
        # and nothing secret reached the client
        received = client.everything_received()
        assert (token or "no-token") not in received
        assert "_principal" not in received and "user_id" not in received
    finally:
        client.close()
    if credentials:  # "from which session": every refusal names the caller's session
        with read_session(app_database_url) as s:
            sessions = s.exec(select(AuditEntry.session_id).where(
                AuditEntry.id > since, AuditEntry.actor == actor,
                AuditEntry.action == "event.refused")).all()
        assert sessions and all(sessions) and len(set(sessions)) == 1


def _orders_handler():
    from dashboard.state.orders import OrdersState

    return event_name(OrdersState, "set_q")


def _refusals_since(url: str, since: int, actor: str) -> list[dict]:
    with read_session(url) as s:
        return [{"target": r.target, "detail": r.detail} for r in s.exec(select(AuditEntry).where(
            AuditEntry.id > since, AuditEntry.actor == actor,
            AuditEntry.action == "event.refused")).all()]


def _redirected_to(client: RawClient, prefix: str) -> bool:
    return any(e["name"] == "_redirect" and e["payload"]["path"].startswith(prefix)
               for e in client.frontend_events())


def test_a_role_change_and_disabling_apply_to_the_users_very_next_event(
    app_url, app_database_url, people
):
    email, password = BYSTANDER
    client = RawClient(app_url, sign_in(app_url, email, password))
    try:
        since = _last_audit_id(app_database_url)
        # given staff, whose search on the orders page works
        client.send(_orders_handler(), {"value": "100001"})
        assert client.wait_for(lambda: "100001" in client.everything_received())
        assert _refusals_since(app_database_url, since, email) == []
        # when an owner makes them a picker, their very next event is refused
        with write_session(app_database_url) as s:
            accounts.change_role(s, email=email, role=Role.PICKER, by=SYSTEM)
        client.send(_orders_handler(), {"value": "100002"})
        assert client.wait_for(lambda: len(_refusals_since(app_database_url, since, email)) == 1)
        assert _refusals_since(app_database_url, since, email)[0]["detail"]["reason"] == "forbidden"
        assert client.wait_for(lambda: _redirected_to(client, "/picking"))
        assert "100002" not in client.everything_received()  # the search never ran
        # and when an owner disables them, the next event finds no session at all
        with write_session(app_database_url) as s:
            accounts.change_role(s, email=email, role=Role.STAFF, by=SYSTEM)
            accounts.set_active(s, email=email, active=False, by=SYSTEM)
        client.send(_orders_handler(), {"value": "100003"})
        signed_out = f"{email} (signed out)"
        assert client.wait_for(lambda: _refusals_since(app_database_url, since, signed_out))
        assert _refusals_since(app_database_url, since, signed_out)[0]["detail"]["reason"] == \
            "signed_out"
        assert client.wait_for(lambda: _redirected_to(client, "/login"))
        assert "100003" not in client.everything_received()
    finally:
        client.close()


def test_setvar_cannot_reach_backend_vars_or_unguarded_setters(app_url, app_database_url, people):
    from dashboard.state.accounts import AuthState, PeopleState

    client = RawClient(app_url, sign_in(app_url, *PICKER))
    try:
        since = _last_audit_id(app_database_url)
        # a picker tries to write its own identity, then to use an owner's page
        for var, value in (("_principal", "owner"), ("role_label", "Owner"), ("nav", [])):
            client.send(event_name(AuthState, "setvar"), {"var_name": var, "value": value})
        client.send(event_name(PeopleState, "load"), {})
        assert client.wait_for(
            lambda: "PeopleState.load" in _refused_targets(app_database_url, since, PICKER[0]))
        assert "owner@e2e.example" not in client.everything_received()
    finally:
        client.close()


def test_a_picker_cannot_free_or_count_on_an_order_someone_else_is_picking(
    app_url, app_database_url, people
):
    from dashboard.domain.orders import Actor, ActorKind, Order, OrderStatus
    from dashboard.domain.shipping import PickClaim, PickCount
    from dashboard.services import shipping
    from dashboard.state.shipping import PickingState

    # given an order a staff member claimed for picking
    with read_session(app_database_url) as s:
        staff_id = s.exec(sa.select(sa.column("id")).select_from(sa.table("user_account"))
                          .where(sa.column("email") == STAFF[0])).scalar()
        number = s.exec(select(Order.number).where(Order.status == OrderStatus.PAID)
                        .order_by(Order.id)).first()
    assert number, "the demo shop has a paid order"
    holder = Actor(ActorKind.USER, STAFF[0], staff_id)
    with write_session(app_database_url) as s:
        shipping.claim_orders(s, actor=holder, numbers=[number])

    def claim_and_counts():
        with read_session(app_database_url) as s:
            claims = [c.picker for c in s.exec(select(PickClaim))]
            counts = sorted((c.order_line_id, c.picked, c.short) for c in s.exec(select(PickCount)))
        return claims, counts

    before, since = claim_and_counts(), _last_audit_id(app_database_url)
    client = RawClient(app_url, sign_in(app_url, *PICKER))
    try:
        # when a picker frees it (staff only), counts a unit on it and finishes it by name
        client.send(event_name(PickingState, "free_claim"), {"number": str(number)})
        client.send(event_name(PickingState, "plus_one"), {"number": str(number), "sku": "x"})
        client.send(event_name(PickingState, "finish"), {"number": str(number)})
        client.send(event_name(PickingState, "release"), {"number": str(number)})
        # then the staff-only handler is refused and audited, the others refused by the
        # service (the order is not the picker's), and nothing changed
        assert client.wait_for(lambda: "PickingState.free_claim" in {
            t.rsplit(".", 2)[-2] + "." + t.rsplit(".", 1)[-1]
            for t in _refused_targets(app_database_url, since, PICKER[0])}, timeout=30)
        assert client.wait_for(lambda: "being picked by" in client.everything_received())
        assert claim_and_counts() == before
    finally:
        client.close()
        with write_session(app_database_url) as s:
            shipping.release_claim(s, actor=holder, number=number)
