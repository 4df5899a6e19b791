"""The storefront and integration API: a FastAPI app, `api`, serving /api/v1.

Run it alone (`uvicorn dashboard.api.app:api`) or inside the Reflex app
(`rx.App(api_transformer=api)`, see dashboard/dashboard.py). Routes are sync functions,
so FastAPI runs their database work in its thread pool, never on the event loop; each
request opens its own session on DATABASE_URL (`services.db`). The OpenAPI document is
at /api/v1/openapi.json, the interactive docs at /api/v1/docs.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from dashboard.api import errors
from dashboard.api.middleware import BodyLimit
from dashboard.api.routes import (
    accounts,
    customers,
    documents,
    health,
    orders,
    payments,
    returns,
    shipping,
    stock,
)

API_PREFIX = "/api/v1"
MAX_BODY_BYTES = 1024 * 1024  # an order of 200 lines is ~20 kB

DESCRIPTION = """\
The shop's checkout posts orders here; other systems read orders and stock.

* **Auth**: `Authorization: Bearer <API key>`; each operation names the scope it needs.
  No or a bad key: 401 `unauthorized`; a key without the scope: 403 `forbidden`.
* **Errors** are JSON: `{"error": <stable code>, "message": <for a person>, ...}`.
  Validation errors are 422 `validation_error` with `fields` mapping dotted paths
  (`lines.0.quantity`) to the problem. A rejected request changes nothing.
* **Money** is a decimal string beside a currency code: `"price": "12.50", "currency": "AUD"`.
* **Times** are ISO 8601 in UTC with an offset: `2026-03-01T09:30:00.123456+00:00`.
* **Idempotency**: `POST /orders` honours `Idempotency-Key`; a replay answers 201 with the
  first order and `Idempotent-Replayed: true`.
"""


def create_app() -> FastAPI:
    app = FastAPI(
        title="Fulfil storefront and integration API",
        version="1",
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    v1 = APIRouter(prefix=API_PREFIX)
    for module in (health, stock, orders, shipping, returns, payments, customers, documents):
        v1.include_router(module.router)
    app.include_router(v1)
    app.include_router(accounts.router)  # the web app's sign-in form posts (not in OpenAPI)
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    return app


api = create_app()
