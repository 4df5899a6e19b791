"""The error handlers: every failure is JSON with a stable code."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient

from dashboard.api.app import create_app
from dashboard.api.errors import field_path


def test_an_unexpected_error_is_logged_and_a_json_500():
    app = create_app()

    @app.get("/api/v1/_boom")
    def boom():
        raise RuntimeError("kaput")

    @app.get("/not-the-api")
    def elsewhere():
        raise RuntimeError("kaput")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/_boom")
        assert r.status_code == 500
        assert r.json()["error"] == "internal_error" and "kaput" not in r.text
        other = c.get("/not-the-api")  # e.g. the Reflex app this is mounted in
        assert other.status_code == 500 and other.text == "Internal Server Error"


def test_the_unexpected_error_is_logged(caplog):
    app = create_app()

    @app.get("/api/v1/_boom")
    def boom():
        raise RuntimeError("kaput")

    with caplog.at_level(logging.ERROR, "dashboard.api"), \
            TestClient(app, raise_server_exceptions=False) as c:
        c.get("/api/v1/_boom")
    assert any("kaput" in (r.exc_text or str(r.exc_info)) for r in caplog.records)


def test_an_unreachable_database_is_503(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    with TestClient(create_app()) as c:
        r = c.get("/api/v1/health")
    assert r.status_code == 503
    assert r.json()["error"] == "unavailable" and r.headers["retry-after"] == "1"


def test_field_paths_are_dotted():
    assert field_path(("body", "lines", 0, "quantity")) == "lines.0.quantity"
    assert field_path(("query", "page")) == "page"
    assert field_path(("header", "Idempotency-Key")) == "Idempotency-Key"
    assert field_path(("body",)) == "body"
