"""End-to-end fixtures: the real `reflex run --env prod` in a subprocess on a free port,
against a fresh SQLite file prepared with the project's own CLI, and headless Chromium.

A subprocess rather than reflex.testing.AppHarnessProd because the harness serves the
frontend and the backend from two in-process uvicorn servers on two ports, so it would
not exercise the single-port prod mount of dashboard.api.app; and because the app must
get its own DATABASE_URL before anything opens an engine (the engines are process-wide).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from fulfil_testkit.servers import free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
OWNER_EMAIL = "owner@e2e.example"
OWNER_PASSWORD = "e2e-correct-horse"  # noqa: S105 (test account)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def sign_in(page, base: str, email: str = OWNER_EMAIL, password: str = OWNER_PASSWORD, *,
            lands: str | None = r"/orders/?$") -> None:
    """Sign in through the form as a person does; wait to land on `lands` (None: do not,
    e.g. when the password is meant to be refused)."""
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#sign-in")
    if lands is not None:
        page.wait_for_url(re.compile(lands))


def _cli(env: dict, *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        text=True,
        check=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def _web_build_lock():
    """One app build per checkout at a time: Reflex compiles into the shared .web/."""
    digest = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    lock_path = Path(tempfile.gettempdir()) / f"fulfil-web-{digest}.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def app_database_url(tmp_path_factory) -> str:
    """The database the e2e app runs on (tests may read it and add accounts to it)."""
    return f"sqlite:///{tmp_path_factory.mktemp('e2e-db') / 'e2e.db'}"


class AppServer:
    """The app on one port. Every app of a test run shares .web/, whose build embeds the
    port, so another configuration (e.g. Redis with two workers) runs on the same port in
    turn: `variant` stops the app, runs the variant, and starts the plain app again."""

    def __init__(self, tmp: Path, port: int, env: dict) -> None:
        self.tmp, self.port, self.env = tmp, port, env
        self.base = f"http://localhost:{port}"
        self.proc: subprocess.Popen | None = None
        self.log = tmp / "reflex.log"

    def start(self, **extra_env: str) -> None:
        env = {**self.env, **extra_env}
        self.log = self.tmp / f"reflex-{int(time.time() * 1000)}.log"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port",
                 str(self.port)],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        wait_until_up(self.base + "/login", self.proc, self.log)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None

    @contextlib.contextmanager
    def variant(self, **extra_env: str):
        self.stop()
        try:
            self.start(**extra_env)
            yield self.base
        finally:
            self.stop()
            self.start()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, _web_build_lock, app_database_url) -> AppServer:
    tmp = tmp_path_factory.mktemp("e2e")
    port = free_port()
    base = f"http://localhost:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": app_database_url,
        "CORS_ALLOWED_ORIGINS": base,  # the event websocket checks the page's origin
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REFLEX_REDIS_URL", None)
    _cli(env, "migrate")
    _cli(env, "seed-demo", "--orders", "60")
    _cli(
        env,
        "create-user",
        OWNER_EMAIL,
        "--role",
        "owner",
        "--password-stdin",
        stdin=OWNER_PASSWORD + "\n",
    )
    server = AppServer(tmp, port, env)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app_url(app_server) -> str:
    return app_server.base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()
