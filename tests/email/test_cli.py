"""`fulfil send-outbox --once` drains the outbox through the fake Resend."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.email.test_mailer import messages, place

ROOT = Path(__file__).resolve().parents[2]


def run_cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "dashboard.cli", "--database-url", url, *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_send_outbox_once_sends_what_is_due_and_says_so(shop, resend_server, monkeypatch):
    monkeypatch.setenv("SEND_ORDER_CONFIRMATION", "1")
    place(shop)
    place(shop)

    done = run_cli(shop, "send-outbox", "--once")

    assert done.returncode == 0, done.stderr
    assert "Outbox: 4 sent." in done.stdout  # two merchant emails, two confirmations
    assert len(resend_server.delivered) == 4
    assert {m.status for m in messages(shop)} == {"sent"}


def test_send_outbox_without_a_key_holds_and_explains(shop):
    place(shop)
    done = run_cli(shop, "send-outbox", "--once")
    assert done.returncode == 0
    assert "RESEND_API_KEY is not set" in done.stderr
    assert "Outbox: 1 held." in done.stdout
