"""A request-body size limit for /api/ paths that answers in the API's JSON shape.

(FastAPI's own `max_body_size` answers with plain text.) Only /api/ paths are limited:
when the app is mounted into Reflex, Reflex's own routes (uploads) pass untouched.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = "The request body is too large."


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int, prefix: str = "/api/") -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit() or int(value) > self.max_bytes:
                    status = 413 if value.isdigit() else 400
                    error = "payload_too_large" if status == 413 else "bad_request"
                    message = TOO_LARGE if status == 413 else "Bad Content-Length."
                    await JSONResponse({"error": error, "message": message},
                                       status_code=status)(scope, receive, send)
                    return
                break
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:  # a chunked body without Content-Length
                    raise HTTPException(413, TOO_LARGE)
            return message

        await self.app(scope, limited_receive, send)
