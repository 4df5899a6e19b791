"""First run, signing in with the shop's account, and origins, in Chromium (issue 17).

One app of its own: a fresh database with the demo shop and no owner, served on a free
port (not the default origin) with CORS_ALLOWED_ORIGINS unset, signing in through a real
OpenID Connect provider started locally.
"""

from __future__ import annotations

import http.client
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.domain.accounts import Principal, Role
from dashboard.services import accounts
from dashboard.services.db import write_session
from fulfil_testkit.servers import free_port
from tests.e2e.conftest import ROOT, AppServer, _cli, sign_in
from tests.security.oidc_provider import local_provider

OWNER = ("founder@shop.example", "founder correct horse")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, _web_build_lock):
    tmp = tmp_path_factory.mktemp("first-run")
    port = free_port()
    url = f"sqlite:///{tmp / 'fresh.db'}"
    env = {k: v for k, v in os.environ.items()
           if k not in ("CORS_ALLOWED_ORIGINS", "REFLEX_REDIS_URL") and not k.startswith("OIDC_")}
    env.update({"DATABASE_URL": url, "PYTHONUNBUFFERED": "1",
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"})
    _cli(env, "migrate")
    _cli(env, "seed-demo", "--orders", "40")
    printed = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "setup-link", "--base-url",
         f"http://localhost:{port}"], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=120).stdout
    link = re.search(rf"http://localhost:{port}/setup/\S+", printed).group(0)
    callback = f"http://localhost:{port}/api/session/oidc/callback"
    with local_provider([callback]) as provider:
        server = AppServer(tmp, port, {**env, **provider.env()})
        server.start()
        try:
            yield server, link, provider, url
        finally:
            server.stop()


def test_the_setup_page_offers_the_shops_account_and_a_refusal_keeps_the_link(first_run, page):
    server, link, provider, _ = first_run
    provider.person("anon-1", email="anon@shop.example", groups=["shop-admins"], verified=False)
    page.goto(link)
    expect(page.locator("#setup-oidc")).to_contain_text("Continue with Harbour & Pine Shop")
    page.click("#setup-oidc")
    page.fill("input[name=sub]", "anon-1")
    page.click("button[type=submit]:has-text('Authorize')")
    page.wait_for_url(re.compile(r"/login/?\?error=oidc_setup_email"))
    expect(page.locator("#login-error")).to_contain_text("no verified email")
    page.goto(link)  # still alive: the owner can be made with a password instead
    expect(page.locator("#create-owner")).to_be_visible()


def test_the_printed_link_creates_the_owner_and_shows_the_demo_shop(first_run, page):
    server, link, _, _ = first_run
    page.goto(link)
    page.fill("#setup-name", "Founder")
    page.fill("#setup-email", OWNER[0])
    page.fill("#setup-password", OWNER[1])
    page.fill("#setup-again", OWNER[1])
    page.click("#create-owner")
    page.wait_for_url(re.compile(r"/orders/?$"))
    expect(page.locator(".order-row").first).to_be_visible()
    # the link died with its use
    page.goto(link)
    expect(page.locator("#setup-error")).to_contain_text("not valid any more")
    expect(page.locator("#create-owner")).to_have_count(0)


def test_127_0_0_1_works_without_configuring_origins(first_run, browser):
    server, _, _, _ = first_run
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, f"http://127.0.0.1:{server.port}", *OWNER)
        expect(page.locator(".order-row").first).to_be_visible()
        expect(page.locator("#origin-refused")).to_have_count(0)
    finally:
        context.close()


def test_signing_in_with_the_shops_account(first_run, page):
    server, _, provider, url = first_run
    with write_session(url) as s:
        accounts.invite(s, email="packer@shop.example", role=Role.STAFF, password=None,
                        by=Principal.system("test"))
    provider.person("packer-7", email="packer@shop.example", groups=["packers"], name="Pat")
    page.goto(server.base + "/login")
    page.click("#sign-in-oidc")
    page.fill("input[name=sub]", "packer-7")
    page.click("button[type=submit]:has-text('Authorize')")
    page.wait_for_url(re.compile(r"/picking/?$"))  # the provider's group made Pat a picker
    expect(page.get_by_text(re.compile(r"· packer$")).first).to_be_visible()


def test_an_uninvited_person_is_turned_away_at_the_sign_in_page(first_run, page):
    server, _, provider, _ = first_run
    provider.person("stranger", email="stranger@else.example", groups=["shop-admins"])
    page.goto(server.base + "/login")
    page.click("#sign-in-oidc")
    page.fill("input[name=sub]", "stranger")
    page.click("button[type=submit]:has-text('Authorize')")
    page.wait_for_url(re.compile(r"/login/?\?error=oidc_not_invited"))
    expect(page.locator("#login-error")).to_contain_text("ask the shop's owner")


EVIL_PAGE = """<!doctype html><title>elsewhere</title><p id=result>waiting</p><script>
const ws = new WebSocket("ws://localhost:APP_PORT/_event/?EIO=4&transport=websocket");
ws.onopen = () => { document.getElementById("result").textContent = "open"; };
ws.onerror = () => { document.getElementById("result").textContent = "refused"; };
</script>"""


def test_a_page_from_another_origin_is_still_refused(first_run, page):
    server, _, _, _ = first_run
    body = EVIL_PAGE.replace("APP_PORT", str(server.port)).encode()

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        origin = f"http://127.0.0.1:{evil.server_port}"
        page.goto(origin + "/")
        expect(page.locator("#result")).to_have_text("refused")
        # and its form posts are refused too, even with the right password
        page.evaluate("""([action, email, password]) => {
            const f = Object.assign(document.createElement('form'), {method: 'POST', action});
            for (const [name, value] of Object.entries({email, password})) {
                f.appendChild(Object.assign(document.createElement('input'), {name, value}));
            }
            document.body.appendChild(f); f.submit(); }""",
            [f"{server.base}/api/session/login", *OWNER])
        expect(page.locator("body")).to_contain_text("Cross-site form posts are refused")
        assert not [c for c in page.context.cookies() if c["name"] == "fulfil_session"]
    finally:
        evil.shutdown()
    log = server.log.read_text()
    assert origin in log and "CORS_ALLOWED_ORIGINS" in log


def test_a_proxy_hiding_the_browsers_address_gets_the_refused_origin_banner(first_run, page):
    """A reverse proxy that passes the app's own Host on (and no X-Forwarded-Host): the
    browser's address is not the app's, so the page says which setting to change
    instead of failing with "Cannot connect to server"."""
    server, _, _, _ = first_run

    class Proxy(http.server.BaseHTTPRequestHandler):
        def _forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            upstream = http.client.HTTPConnection("localhost", server.port, timeout=30)
            upstream.request(self.command, self.path, body=body or None,
                             headers={**headers, "Host": f"localhost:{server.port}"})
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() == "location":  # keep the browser on the proxy
                    value = value.replace(f"http://localhost:{server.port}", me)
                if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            upstream.close()

        do_GET = do_POST = _forward  # noqa: N815

        def log_message(self, *args):
            pass

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    me = f"http://127.0.0.1:{proxy.server_port}"
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{proxy.server_port}/login")
        assert page.url.startswith(f"http://127.0.0.1:{proxy.server_port}/")
        banner = page.locator("#origin-refused")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("CORS_ALLOWED_ORIGINS")
        expect(banner).to_contain_text(f"http://127.0.0.1:{proxy.server_port}")
    finally:
        proxy.shutdown()
