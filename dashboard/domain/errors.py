"""Typed errors with a stable code and a message fit for a merchant.

The API maps `code` to its JSON `error` field and `status` to the HTTP status; the UI
shows `message`. Raising one of these inside a service means nothing was committed.
"""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    code = "invalid_request"
    status = 400

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_json(self) -> dict:
        return {"error": self.code, "message": self.message, **self.details}


class NotFound(DomainError):
    code = "not_found"
    status = 404


class ValidationFailed(DomainError):
    """Input that breaks a rule; `fields` maps a field path to what is wrong with it."""

    code = "validation_error"
    status = 422

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message, fields=fields or {})
        self.fields = fields or {}


@dataclass(frozen=True, slots=True)
class Shortfall:
    sku: str
    requested: int
    available: int


class InsufficientStock(DomainError):
    code = "insufficient_stock"
    status = 409

    def __init__(self, shortfalls: list[Shortfall]) -> None:
        skus = ", ".join(f"{s.sku} ({s.available} available, {s.requested} asked)" for s in shortfalls)
        super().__init__(
            f"Not enough stock: {skus}",
            lines=[
                {"sku": s.sku, "requested": s.requested, "available": s.available}
                for s in shortfalls
            ],
        )
        self.shortfalls = shortfalls


class StockHeldByOrders(DomainError):
    code = "stock_held_by_orders"
    status = 409


class CountOutOfDate(DomainError):
    """A shelf count made against figures that have moved since (an order was picked or
    placed meanwhile): nothing is changed; count again."""

    code = "count_out_of_date"
    status = 409


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409


class ExceedsUnshipped(DomainError):
    """A shipment asking for more units of a line than are still unshipped: nothing ships."""

    code = "exceeds_unshipped"
    status = 409

    def __init__(self, lines: list[dict]) -> None:
        parts = ", ".join(f"{x['sku']} ({x['requested']} asked, {x['unshipped']} unshipped)"
                          for x in lines)
        super().__init__(f"More than is left to ship: {parts}", lines=lines)
        self.lines = lines


class IdempotencyConflict(DomainError):
    code = "idempotency_key_reused"
    status = 409


class AuthenticationFailed(DomainError):
    code = "authentication_failed"
    status = 401


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403


class ReturnExceedsShipped(DomainError):
    """A return of more units of a line than were shipped and not yet returned."""

    code = "return_exceeds_shipped"
    status = 409

    def __init__(self, lines: list[dict]) -> None:
        parts = ", ".join(f"{x['sku']} ({x['requested']} asked, {x['returnable']} returnable)"
                          for x in lines)
        super().__init__(f"More than can be returned: {parts}", lines=lines)
        self.lines = lines
