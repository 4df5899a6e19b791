"""The HTTP baseline (b) of `make bench`: the API app plus POST /api/v1/_bench/raw-order.

The route has the real API's stack (the same FastAPI app with its middleware and error
handlers, a sync route in the thread pool, a JSON body) but no authentication,
validation or ORM: `bench.baseline.raw_place_order` on a pooled connection. bench/run.py
serves `create_app` with granian the way Reflex's prod backend serves the app; the app
itself (dashboard/) has no such route.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, FastAPI
from fastapi.responses import JSONResponse

from bench.baseline import raw_place_order
from dashboard.api.app import API_PREFIX
from dashboard.api.app import create_app as create_api_app
from dashboard.services.db import write_connection

router = APIRouter(prefix=API_PREFIX, include_in_schema=False)


@router.post("/_bench/raw-order")
def raw_order(payload: Annotated[dict[str, Any], Body()]) -> JSONResponse:
    with write_connection() as connection:
        number = raw_place_order(connection, payload["sku"], int(payload.get("quantity", 1)))
    if number is None:
        return JSONResponse({"error": "insufficient_stock", "message": "short"}, status_code=409)
    return JSONResponse({"number": number}, status_code=201)


def create_app() -> FastAPI:
    app = create_api_app()
    app.include_router(router)
    return app
