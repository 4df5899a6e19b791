"""A local stand-in for Resend's HTTP API (POST /emails), for the real `resend` SDK to talk
to through RESEND_API_URL.

It behaves as Resend documents: a Bearer key is required; an `Idempotency-Key` seen
before with the same body answers with the first email's id and delivers nothing new;
the same key with another body is a 409 `invalid_idempotent_request`. Tests script
failures ahead of time (`fail_next`): a status, an error type and headers per request.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")


@dataclass
class Scripted:
    status: int
    error_type: str = "application_error"
    message: str = "scripted failure"
    headers: dict[str, str] = field(default_factory=dict)


class FakeResend:
    def __init__(self, api_key: str = "re_test_key") -> None:
        self.api_key = api_key
        self.requests: list[Received] = []
        self.delivered: list[dict] = []  # one entry per email actually "sent"
        self._by_key: dict[str, tuple[str, dict]] = {}
        self._script: list[Scripted] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {}
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, payload, extra = fake._handle(self.path, headers, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeResend:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, *failures: Scripted) -> None:
        with self._lock:
            self._script.extend(failures)

    def _error(self, status: int, error_type: str, message: str) -> dict:
        return {"statusCode": status, "name": error_type, "message": message}

    def _handle(self, path: str, headers: dict, body: dict) -> tuple[int, dict, dict]:
        with self._lock:
            self.requests.append(Received(path, headers, body))
            if headers.get("authorization") != f"Bearer {self.api_key}":
                return 401, self._error(401, "missing_api_key", "Missing API key"), {}
            if path != "/emails":
                return 404, self._error(404, "not_found", "Not found"), {}
            if self._script:
                s = self._script.pop(0)
                return s.status, self._error(s.status, s.error_type, s.message), s.headers
            missing = [f for f in ("from", "to", "subject") if not body.get(f)]
            if missing:
                return 422, self._error(422, "missing_required_field", f"Missing {missing}"), {}
            key = headers.get("idempotency-key")
            if key is not None:
                seen = self._by_key.get(key)
                if seen is not None:
                    if seen[1] != body:
                        return 409, self._error(409, "invalid_idempotent_request",
                                                "Same idempotency key used with a different "
                                                "request payload."), {}
                    return 200, {"id": seen[0]}, {}
            email_id = str(uuid.uuid4())
            if key is not None:
                self._by_key[key] = (email_id, body)
            self.delivered.append({"id": email_id, **body})
            return 200, {"id": email_id}, {}
