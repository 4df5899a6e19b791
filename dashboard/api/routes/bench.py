"""POST /_bench/raw-order: the HTTP baseline of `make bench` (FULFIL_BENCH_ENDPOINTS=1 only).

The same server stack as the real API (a sync route in the thread pool, a JSON body) but
no authentication, validation or ORM: `bench_baseline.raw_place_order` on a pooled
connection. Hidden from the OpenAPI document.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from dashboard.api.bench_baseline import raw_place_order
from dashboard.services.db import write_connection

router = APIRouter(include_in_schema=False)


@router.post("/_bench/raw-order")
def raw_order(payload: Annotated[dict[str, Any], Body()]) -> JSONResponse:
    with write_connection() as connection:
        number = raw_place_order(connection, payload["sku"], int(payload.get("quantity", 1)))
    if number is None:
        return JSONResponse({"error": "insufficient_stock", "message": "short"}, status_code=409)
    return JSONResponse({"number": number}, status_code=201)
