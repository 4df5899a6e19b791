"""Production settings: allowed origins come from configuration, never `*`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT


def _origins(env_value: str | None) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "CORS_ALLOWED_ORIGINS"}
    if env_value is not None:
        env["CORS_ALLOWED_ORIGINS"] = env_value
    out = subprocess.run(
        [sys.executable, "-c", "import json, rxconfig; "
         "print(json.dumps(list(rxconfig.config.cors_allowed_origins)))"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("configured", "expected"), [
    (None, ["http://localhost:3000"]),
    ("https://shop.example", ["https://shop.example"]),
    ("https://shop.example, https://wall.shop.example", ["https://shop.example",
                                                          "https://wall.shop.example"]),
])
def test_the_websocket_accepts_only_the_configured_origins(configured, expected):
    origins = _origins(configured)
    assert origins == expected and "*" not in origins


def test_the_sign_in_form_and_websocket_accept_the_configured_origins(monkeypatch):
    from dashboard.api.origins import origin_allowed

    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://shop.example/, https://b.example")
    host = {"host": "fulfil.internal:3000"}
    assert origin_allowed("https://shop.example", "http", host)
    assert origin_allowed("https://b.example", "ws", host)
    assert not origin_allowed("https://evil.example", "http", host)


@pytest.mark.parametrize(("origin", "scheme", "headers"), [
    ("http://localhost:3917", "http", {"host": "localhost:3917"}),
    ("http://127.0.0.1:3000", "ws", {"host": "127.0.0.1:3000"}),
    ("http://192.168.1.20:3000", "ws", {"host": "192.168.1.20:3000"}),
    ("https://fulfil.shop.example", "ws",
     {"host": "127.0.0.1:3000", "x-forwarded-proto": "https",
      "x-forwarded-host": "fulfil.shop.example"}),
])
def test_the_apps_own_origin_is_always_allowed(monkeypatch, origin, scheme, headers):
    from dashboard.api.origins import origin_allowed

    monkeypatch.delenv("CORS_ALLOWED_ORIGINS", raising=False)
    assert origin_allowed(origin, scheme, headers)


@pytest.mark.parametrize(("origin", "headers"), [
    ("http://evil.example", {"host": "localhost:3000"}),
    ("http://localhost:3001", {"host": "localhost:3000"}),  # another app on this machine
    ("https://localhost:3000", {"host": "localhost:3000"}),  # scheme differs
    ("http://localhost:3000.evil.example", {"host": "localhost:3000"}),
])
def test_another_origin_is_refused_and_the_log_names_the_setting(monkeypatch, caplog, origin,
                                                                   headers):
    from dashboard.api import origins

    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://shop.example")
    monkeypatch.setattr(origins, "_logged", set())
    with caplog.at_level("WARNING", logger="dashboard.origins"):
        assert not origins.origin_allowed(origin, "http", headers)
    assert "CORS_ALLOWED_ORIGINS" in caplog.text and origin in caplog.text


def test_the_websocket_check_reads_the_handshake(monkeypatch):
    from dashboard.api.origins import websocket_origin_check

    monkeypatch.delenv("CORS_ALLOWED_ORIGINS", raising=False)
    environ = {"asgi.scope": {"scheme": "ws"}, "HTTP_HOST": "127.0.0.1:4100",
               "HTTP_ORIGIN": "http://127.0.0.1:4100"}
    assert websocket_origin_check("http://127.0.0.1:4100", environ)
    assert not websocket_origin_check("http://evil.example", environ)


_DEV_CHECK = """
import json, sys
import dashboard.dashboard
from dashboard.api.origins import origin_allowed
backend = {"host": "localhost:8123"}
print(json.dumps([origin_allowed(o, "http", backend)
                  for o in ("http://localhost:3123", "http://localhost:3999")]))
"""


@pytest.mark.parametrize(("mode", "expected"), [("dev", [True, False]), ("prod", [False, False])])
def test_in_dev_mode_the_frontends_own_port_is_allowed_without_configuration(mode, expected):
    env = {k: v for k, v in os.environ.items() if k != "CORS_ALLOWED_ORIGINS"}
    env.update(REFLEX_ENV_MODE=mode, REFLEX_FRONTEND_PORT="3123", REFLEX_BACKEND_PORT="8123")
    out = subprocess.run([sys.executable, "-c", _DEV_CHECK], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == expected
