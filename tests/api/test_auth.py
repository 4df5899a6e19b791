"""Bearer API keys: 401 without a valid key, 403 without the scope, use recorded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from dashboard.api import auth as api_auth
from dashboard.domain.accounts import ApiKey
from dashboard.services.db import read_session, write_session
from tests.api.conftest import make_key, order_body

ROUTES = [
    ("get", "/api/v1/orders", None),
    ("get", "/api/v1/orders/100001", None),
    ("post", "/api/v1/orders", order_body(("MUG-1", 1))),
    ("post", "/api/v1/orders/100001/cancel", None),
    ("put", "/api/v1/products/MUG-1",
     {"name": "Mug", "price": "1.00", "currency": "AUD"}),
    ("get", "/api/v1/stock/MUG-1", None),
    ("post", "/api/v1/stock/MUG-1/adjustments", {"delta": 1, "reason": "x"}),
    ("post", "/api/v1/stock/check", {"lines": [{"sku": "MUG-1", "quantity": 1}]}),
]


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer fk_not-a-real-key",
     "Bearer not-even-the-prefix", "Bearer " + "fk_" + "x" * 500],
)
def test_no_valid_key_is_401_with_www_authenticate(client, mug, header, snapshot):
    before = snapshot()
    headers = {} if header is None else {"Authorization": header}
    for method, path, body in ROUTES:
        r = client.request(method, path, json=body, headers=headers)
        assert r.status_code == 401, (method, path, r.text)
        assert r.json()["error"] == "unauthorized" and r.json()["message"]
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert before.unchanged()


def test_a_revoked_key_stops_working_at_once(client, api_url, api_key, auth):
    assert client.get("/api/v1/orders", headers=auth).status_code == 200
    with write_session(api_url) as s:
        row = s.exec(select(ApiKey)).one()
        row.revoked_at = datetime.now(UTC)
        s.add(row)
    r = client.get("/api/v1/orders", headers=auth)
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"


def test_a_key_without_the_scope_is_403(client, api_url, mug, snapshot):
    reader = make_key(api_url, "reader", scopes=("orders:read", "stock:read"))
    headers = {"Authorization": f"Bearer {reader}"}
    before = snapshot()
    needs = {
        "/api/v1/orders": "orders:write", "/api/v1/orders/100001/cancel": "orders:write",
        "/api/v1/products/MUG-1": "products:write",
        "/api/v1/stock/MUG-1/adjustments": "stock:write",
    }
    for method, path, body in ROUTES:
        r = client.request(method, path, json=body, headers=headers)
        if path in needs and method != "get":
            assert r.status_code == 403, (path, r.text)
            assert r.json() == {"error": "forbidden", "scope": needs[path],
                                "message": f"This API key lacks the scope {needs[path]}."}
        else:
            assert r.status_code in (200, 404), (path, r.text)
    assert before.unchanged()
    writer = make_key(api_url, "writer", scopes=("orders:write",))
    r = client.get("/api/v1/orders", headers={"Authorization": f"Bearer {writer}"})
    assert r.status_code == 403 and r.json()["scope"] == "orders:read"


def test_auth_is_checked_before_the_body(client, mug):
    r = client.post("/api/v1/orders", json={"nonsense": True})
    assert r.status_code == 401


def test_use_is_recorded_at_most_once_a_minute(client, api_url, auth, monkeypatch):
    def last_used():
        with read_session(api_url) as s:
            return s.exec(select(ApiKey)).one().last_used_at

    assert last_used() is None
    client.get("/api/v1/orders", headers=auth)
    first = last_used()
    assert first is not None
    client.get("/api/v1/orders", headers=auth)
    assert last_used() == first  # no write on every request
    monkeypatch.setattr(api_auth, "TOUCH_EVERY_S", 0.0)
    client.get("/api/v1/orders", headers=auth)
    assert last_used() == first  # the service itself keeps to once a minute as well
