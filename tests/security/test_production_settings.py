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


def test_the_sign_in_form_accepts_the_same_origins(monkeypatch):
    from dashboard.api.routes.accounts import allowed_origins

    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://shop.example/, https://b.example")
    assert allowed_origins() == {"https://shop.example", "https://b.example"}
