"""The public endpoints: health and the OpenAPI document."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dashboard.api.app import api


def test_health_needs_no_key_and_checks_the_database(client):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}


def test_the_openapi_document_lists_every_route_with_bearer_auth():
    with TestClient(api) as c:
        r = c.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert set(doc["paths"]) >= {  # each area adds its own routes (desk, payments, ...)
        "/api/v1/health", "/api/v1/products/{sku}", "/api/v1/stock/check",
        "/api/v1/stock/{sku}/adjustments", "/api/v1/stock/{sku}", "/api/v1/orders",
        "/api/v1/orders/{number}", "/api/v1/orders/{number}/cancel",
        "/api/v1/payments/stripe/webhook",
    }
    assert doc["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
    place = doc["paths"]["/api/v1/orders"]["post"]
    assert place["security"] == [{"ApiKey": []}]
    assert {"201", "401", "403", "409", "422"} <= set(place["responses"])
    assert "security" not in doc["paths"]["/api/v1/health"]["get"]
    # money is a string in the schema, never a number
    price = doc["components"]["schemas"]["ProductIn"]["properties"]["price"]
    assert price["type"] == "string"
    # the bench route is hidden and absent unless asked for
    assert not any("_bench" in p for p in doc["paths"])
    with TestClient(api) as c:
        assert c.get("/api/v1/docs").status_code == 200
