"""What every route shares: the documented error responses, path parameters and the
order scopes a route asks for."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from dashboard.api.auth import require
from dashboard.api.schemas import (
    MAX_ORDER_NUMBER,
    ErrorOut,
    IdempotencyConflictOut,
    InsufficientStockOut,
    ValidationErrorOut,
)
from dashboard.services.accounts import ApiClient

NumberPath = Annotated[int, Path(ge=1, le=MAX_ORDER_NUMBER, description="The order number")]
IdPath = Annotated[int, Path(ge=1, le=MAX_ORDER_NUMBER)]
Reader = Annotated[ApiClient, require("orders:read")]
Writer = Annotated[ApiClient, require("orders:write")]

_ERRORS: dict[int, dict] = {
    401: {"model": ErrorOut, "description": "No API key, or an unknown or revoked one"},
    403: {"model": ErrorOut, "description": "The API key lacks the scope"},
    404: {"model": ErrorOut, "description": "No such resource"},
    409: {"model": ErrorOut, "description": "The request conflicts with the current state"},
    413: {"model": ErrorOut, "description": "The body is too large"},
    415: {"model": ErrorOut, "description": "The body is not JSON"},
    422: {"model": ValidationErrorOut, "description": "Invalid fields, named by dotted path"},
}


def errors(*codes: int) -> dict[int | str, dict]:
    """The documented error responses of a route: 401, 403 and 422 always."""
    return {code: _ERRORS[code] for code in sorted({401, 403, 422, *codes})}


ORDER_CONFLICT = {
    "model": InsufficientStockOut | IdempotencyConflictOut,
    "description": "`insufficient_stock` (with the short lines) or `idempotency_key_reused`",
}
