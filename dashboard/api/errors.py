"""Every error leaves as JSON: `{"error": <stable code>, "message": <for a person>, ...}`.

- `DomainError`s from the services keep their code and status (`to_json()`).
- FastAPI's `RequestValidationError` becomes the domain's own 422 shape,
  `{"error": "validation_error", "message", "fields": {"lines.0.quantity": "..."}}`, so
  a client handles pydantic and service validation alike.
- A body in a media type other than JSON is a 415; Starlette's HTTP errors (404, 405,
  413, ...) get a code each.
- Database errors that only bad input can cause (a value out of range) are a 422, a
  unique-key race a 409, an unreachable database a 503.
- Anything else is logged with its traceback and answered with a plain 500 JSON body.
"""

from __future__ import annotations

import email.message
import logging

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import PlainTextResponse

from dashboard.domain.errors import DomainError

log = logging.getLogger("dashboard.api")

API_PREFIX = "/api/"
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})
_FASTAPI_UNPARSABLE = "There was an error parsing the body"
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"
    status = 415


def error_response(exc: DomainError) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="fulfil"'} if exc.status == 401 else None
    return JSONResponse(exc.to_json(), status_code=exc.status, headers=headers)


def field_path(loc: tuple | list) -> str:
    """("body", "lines", 0, "quantity") -> "lines.0.quantity"; ("query", "page") -> "page"."""
    parts = list(loc)
    if len(parts) > 1 and parts[0] in _LOCATIONS:
        parts = parts[1:]
    return ".".join(str(p) for p in parts)


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _validation_fields(errors: list[dict]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        loc = tuple(error.get("loc") or ("body",))
        if error.get("type") == "json_invalid":
            detail = (error.get("ctx") or {}).get("error", "")
            fields["body"] = f"is not valid JSON ({detail} at position {loc[-1]})"
            continue
        fields.setdefault(field_path(loc), str(error.get("msg", "is invalid")))
    return fields


async def _on_domain_error(request: Request, exc: DomainError) -> JSONResponse:
    return error_response(exc)


async def _on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    body_problem = any(tuple(e.get("loc") or ())[:1] == ("body",) for e in errors)
    if body_problem and exc.body is not None and not _is_json(request.headers.get("content-type")):
        # FastAPI hands a non-JSON body to the model as raw bytes; say what is wrong.
        return error_response(UnsupportedMediaType(
            "Send the request body as JSON with Content-Type: application/json.",
        ))
    return JSONResponse(
        {"error": "validation_error", "message": "The request has invalid fields.",
         "fields": _validation_fields(errors)},
        status_code=422,
    )


async def _on_http_error(request: Request, exc: StarletteHTTPException):
    if not request.url.path.startswith(API_PREFIX):
        return await http_exception_handler(request, exc)  # not ours (the Reflex mount)
    if exc.status_code == 400 and exc.detail == _FASTAPI_UNPARSABLE:
        # Not UTF-8, nested too deep, a number of thousands of digits: as malformed JSON.
        return JSONResponse(
            {"error": "validation_error", "message": "The request has invalid fields.",
             "fields": {"body": "is not valid JSON"}},
            status_code=422,
        )
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404 and message == "Not Found":
        message = "No such API route."
    return JSONResponse({"error": code, "message": message}, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def _on_data_error(request: Request, exc: DataError) -> JSONResponse:
    # Bounds in the schemas keep input inside what the columns hold; this is the
    # backstop for a value the database refuses. Nothing was kept.
    log.warning("database refused a value on %s %s: %s", request.method, request.url.path,
                exc.orig)
    return JSONResponse(
        {"error": "validation_error",
         "message": "A value in the request is out of the range the shop can store.",
         "fields": {}},
        status_code=422,
    )


async def _on_integrity_error(request: Request, exc: IntegrityError) -> JSONResponse:
    # A concurrent request won a race for a unique value (a new SKU, a barcode).
    log.info("integrity conflict on %s %s: %s", request.method, request.url.path, exc.orig)
    return JSONResponse(
        {"error": "conflict",
         "message": "The change conflicts with another one made at the same time; retry."},
        status_code=409,
    )


async def _on_operational_error(request: Request, exc: OperationalError) -> JSONResponse:
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc.orig)
    return JSONResponse(
        {"error": "unavailable", "message": "The database is unavailable; retry shortly."},
        status_code=503, headers={"Retry-After": "1"},
    )


async def _on_unexpected(request: Request, exc: Exception):
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if not request.url.path.startswith(API_PREFIX):
        return PlainTextResponse("Internal Server Error", status_code=500)
    return JSONResponse(
        {"error": "internal_error",
         "message": "Something went wrong on our side. Retry later."},
        status_code=500,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(DataError, _on_data_error)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
    app.add_exception_handler(OperationalError, _on_operational_error)
    app.add_exception_handler(Exception, _on_unexpected)
