"""A hostile client for the running app: signs in over HTTP like the form does, then
speaks Reflex's event protocol directly over the websocket (socket.io, namespace
/_event), calling any handler by name with any payload — what a browser's devtools or a
script could do, with no page in between.

The protocol, as reflex's state.js speaks it: connect to `<base>/_event` with the tab
token as `?token=`, then emit "event" messages {name, payload, router_data}; the server
answers with "event" messages carrying state deltas and frontend events (redirects,
toasts). The session cookie travels in the handshake, as a browser sends it.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid

import httpx
import socketio

from dashboard import site

NAMESPACE = "/_event"


def sign_in(base: str, email: str, password: str) -> str:
    """The session token the sign-in form post sets (HttpOnly, so read from the header)."""
    r = httpx.post(f"{base}/api/session/login", data={"email": email, "password": password},
                   headers={"Origin": base}, follow_redirects=False, timeout=30)
    assert r.status_code == 303, r.text
    cookie = r.headers.get("set-cookie", "")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie, cookie
    m = re.search(rf"{site.SESSION_COOKIE}=([^;]+)", cookie)
    assert m, f"no session cookie for {email}: {r.headers.get('location')}"
    return m.group(1)


def event_name(state_cls, handler: str) -> str:
    return f"{state_cls.get_full_name()}.{handler}"


class RawClient:
    """One websocket connection = one browser tab, as anyone may open one."""

    def __init__(self, base: str, session_token: str | None = None) -> None:
        self.base = base
        self.token = str(uuid.uuid4())
        self.messages: list[dict] = []
        self._lock = threading.Lock()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", self._received, namespace=NAMESPACE)
        headers = {"Cookie": f"{site.SESSION_COOKIE}={session_token}"} if session_token else {}
        # websocket-client sends the Origin of the URL itself (an allowed origin).
        self.sio.connect(f"{base}?token={self.token}", socketio_path="_event",
                         transports=["websocket"], headers=headers, namespaces=[NAMESPACE],
                         wait_timeout=30)

    def _received(self, data) -> None:
        with self._lock:
            self.messages.append(data)

    def send(self, name: str, payload: dict | None = None, path: str = "/orders") -> None:
        router = {"pathname": path, "asPath": path, "query": {}}
        self.sio.emit("event", {"name": name, "payload": payload or {}, "router_data": router},
                      namespace=NAMESPACE)

    def frontend_events(self) -> list[dict]:
        with self._lock:
            return [e for m in self.messages if isinstance(m, dict) for e in m.get("events", [])]

    def everything_received(self) -> str:
        with self._lock:
            return json.dumps(self.messages, default=str)

    def wait_for(self, predicate, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.1)
        return predicate()

    def close(self) -> None:
        self.sio.disconnect()
