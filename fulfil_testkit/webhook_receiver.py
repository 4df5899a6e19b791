"""A local webhook receiver: an HTTP server the test starts, recording every request.

Answers are scripted ahead (`answer_next(status, headers, body)`); otherwise 200. It
keeps what a real receiver would: the raw body and headers, to verify the signature with
the `standardwebhooks` library, and dedupes nothing (tests see every copy).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    raw: bytes
    status: int  # what we answered

    @property
    def body(self) -> dict:
        return json.loads(self.raw)

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Scripted:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""


class Receiver:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._script: list[Scripted] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                with receiver._lock:
                    answer = receiver._script.pop(0) if receiver._script else Scripted(200, body="ok")
                    receiver.requests.append(Request(
                        self.path, {k.lower(): v for k, v in self.headers.items()}, raw,
                        answer.status))
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                payload = answer.body.encode()
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> Receiver:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer_next(self, status: int, headers: dict | None = None, body: str = "",
                    times: int = 1) -> None:
        with self._lock:
            self._script += [Scripted(status, headers or {}, body)] * times

    def ok(self) -> list[Request]:
        return [r for r in self.requests if 200 <= r.status < 300]

    def types(self) -> list[str]:
        return [r.body["type"] for r in self.ok()]
