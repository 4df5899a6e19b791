"""Signing in and out of the web app: plain HTML form posts that set or clear the session
cookie, so the cookie can be HttpOnly (page scripts never see the token).

    POST /api/session/login   email, password, next  -> 303 to the role's home (or next)
    POST /api/session/logout                         -> 303 to /login
    POST /api/session/setup   token, email, password, again, name  -> 303 to /orders
    POST /api/session/origin                         -> may this page's origin use the app?
    GET  /api/session/oidc/start?next=               -> 303 to the shop's identity provider
    GET  /api/session/oidc/callback?code&state       -> signed in: a page moving on home

The browser then opens the page, whose event websocket carries the cookie in its
handshake; every event re-resolves it on the server (dashboard.state.guard). A post from
another site's page (an Origin header that is not one of ours) is refused, so neither
form can be driven by a third party. Not part of the published API (hidden from OpenAPI).
"""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from dashboard import config, site
from dashboard.api import origins
from dashboard.api.auth import client_address
from dashboard.domain.errors import AuthenticationFailed, ValidationFailed
from dashboard.services import accounts
from dashboard.services.db import write_session

router = APIRouter(prefix="/api/session", include_in_schema=False)
FieldStr = Annotated[str, Form(max_length=2000)]


def _origin(request: Request) -> tuple[bool, str]:
    """(may this post be trusted?, the origin to send the browser back to or "")."""
    origin = request.headers.get("origin")
    if origin is None:  # not a browser's cross-site post (browsers send Origin on POST)
        return True, ""
    if origins.origin_allowed(origin, request.url.scheme, request.headers):
        return True, origin
    return False, ""


def _see_other(origin: str, path: str, **query: str) -> RedirectResponse:
    query = {k: v for k, v in query.items() if v}
    target = origin + path + (f"?{urlencode(query)}" if query else "")
    response = RedirectResponse(target, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def _cross_site(request: Request) -> JSONResponse:
    origin = request.headers.get("origin", "")
    return JSONResponse({"error": "forbidden", "message": "Cross-site form posts are refused. "
                         + origins.refused_message(origin)}, status_code=403)


def _sign_in(email: str, password: str, client: str) -> accounts.SignedInSession:
    with write_session() as session:
        return accounts.sign_in(session, email=email, password=password, client=client)


def _sign_out(token: str, client: str) -> None:
    with write_session() as session:
        accounts.sign_out(session, token=token, client=client)


def _with_cookie(response, token: str):
    response.set_cookie(
        site.SESSION_COOKIE, token, max_age=site.SESSION_COOKIE_MAX_AGE, path="/",
        secure=config.security().session_cookie_secure, httponly=True, samesite="strict",
    )
    return response


def _setup(token: str, email: str, password: str, name: str,
           client: str) -> accounts.SignedInSession:
    with write_session() as session:
        return accounts.complete_setup(session, token=token, email=email, password=password,
                                       name=name, client=client)


@router.post("/setup")
async def setup(request: Request, token: FieldStr = "", email: FieldStr = "",
                password: FieldStr = "", again: FieldStr = "", name: FieldStr = ""):
    """The first-run form: creates the owner from the one-time link, signs them in and
    shows them the demo shop."""
    trusted, origin = _origin(request)
    if not trusted:
        return _cross_site(request)
    page = f"{site.SETUP}/{token}"
    if password != again:
        return _see_other(origin, page, error="mismatch")
    try:
        signed = await run_in_threadpool(_setup, token, email, password, name,
                                         client_address(request))
    except accounts.SetupRefused:
        return _see_other(origin, page)  # the page explains that the link is dead
    except ValidationFailed as exc:
        return _see_other(origin, page, error=next(iter(exc.fields), "invalid"))
    return _with_cookie(_see_other(origin, site.ORDERS), signed.token)


OIDC_COOKIE = "fulfil_oidc_state"
OIDC_PATH = "/api/session/oidc"
Param = Annotated[str, Query(max_length=2000)]


def _callback_url(request: Request) -> str:
    return origins.public_origin(request.url.scheme, request.headers) + OIDC_PATH + "/callback"


def _oidc_begin(redirect_uri: str, next_path: str, setup_token: str) -> tuple[str, str]:
    with write_session() as session:
        return accounts.oidc.begin(session, redirect_uri=redirect_uri, next_path=next_path,
                                   setup_token=setup_token)


def _oidc_finish(state: str, code: str, redirect_uri: str, browser_state: str,
                 client: str) -> tuple[accounts.SignedInSession, str]:
    with write_session() as session:
        return accounts.oidc.finish(session, state=state, code=code, redirect_uri=redirect_uri,
                                    browser_state=browser_state, client=client)


@router.get("/oidc/start")
async def oidc_start(request: Request, next: Param = "", setup: Param = ""):
    """Send the browser to the shop's identity provider (a state cookie binds the answer
    to this browser). From the first-run page `setup` is the setup link's token: the
    person who signs in there becomes the owner and lands on the orders."""
    try:
        url, state = await run_in_threadpool(
            _oidc_begin, _callback_url(request),
            site.ORDERS if setup else (site.safe_next(next) or ""), setup)
    except accounts.OidcRefused as refused:
        return _see_other("", site.LOGIN, error=f"oidc_{refused.reason}")
    response = RedirectResponse(url, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    # Lax, not Strict: it must come back on the provider's top-level redirect to us.
    response.set_cookie(OIDC_COOKIE, state, max_age=600, path=OIDC_PATH, httponly=True,
                        secure=config.security().session_cookie_secure, samesite="lax")
    return response


@router.get("/oidc/callback")
async def oidc_callback(request: Request, state: Param = "", code: Param = "",
                        error: Param = ""):
    """Where the provider sends the browser back: verify, sign in, open the home page."""
    browser_state = request.cookies.get(OIDC_COOKIE, "")
    try:
        if error:
            raise accounts.OidcRefused("denied", accounts.oidc.DENIED)
        signed, back = await run_in_threadpool(_oidc_finish, state, code,
                                               _callback_url(request), browser_state,
                                               client_address(request))
    except accounts.OidcRefused as refused:
        response = _see_other("", site.LOGIN, error=f"oidc_{refused.reason}")
    else:
        home = site.home_for(str(signed.user.role))
        target = html.escape(back if back and home != site.PICKING else home, quote=True)
        # A page that moves on by itself: the next navigation starts on our own site, so
        # the Strict session cookie goes with it (not so after the provider's redirect).
        response = HTMLResponse(
            f'<!doctype html><meta http-equiv="refresh" content="0;url={target}">'
            f'<title>Signed in</title><a href="{target}">Continue</a>',
            headers={"Cache-Control": "no-store"})
        _with_cookie(response, signed.token)
    response.delete_cookie(OIDC_COOKIE, path=OIDC_PATH, httponly=True, samesite="lax",
                           secure=config.security().session_cookie_secure)
    return response


@router.post("/login")
async def login(request: Request, email: FieldStr = "", password: FieldStr = "",
                next: FieldStr = "") -> RedirectResponse:
    trusted, origin = _origin(request)
    if not trusted:
        return _cross_site(request)
    back = site.safe_next(next) or ""
    if not email.strip() or not password:
        return _see_other(origin, site.LOGIN, error="missing", next=back)
    try:
        signed = await run_in_threadpool(_sign_in, email, password, client_address(request))
    except accounts.LoginThrottled as exc:
        return _see_other(origin, site.LOGIN, error="throttled",
                          wait=str(exc.details["retry_after"]), next=back)
    except accounts.PasswordSignInOff:
        return _see_other(origin, site.LOGIN, error="password_off", next=back)
    except AuthenticationFailed:
        return _see_other(origin, site.LOGIN, error="failed", next=back)
    home = site.home_for(str(signed.user.role))
    # Pickers always start at their queue; others go back to where they were sent from.
    response = _see_other(origin, back if back and home != site.PICKING else home)
    return _with_cookie(response, signed.token)


@router.post("/origin")
async def origin_check(request: Request) -> JSONResponse:
    """Whether the page posting this may use the app (its script shows the message when
    not, instead of the websocket's bare connection error). Says nothing secret."""
    trusted, _ = _origin(request)
    if trusted:
        return JSONResponse({"allowed": True})
    return JSONResponse({"allowed": False, "setting": origins.SETTING,
                         "message": origins.refused_message(request.headers.get("origin", ""))},
                        status_code=403)


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    trusted, origin = _origin(request)
    if not trusted:
        return _cross_site(request)
    token = request.cookies.get(site.SESSION_COOKIE, "")
    if token:
        await run_in_threadpool(_sign_out, token, client_address(request))
    response = _see_other(origin, site.LOGIN, notice="signed_out")
    response.delete_cookie(site.SESSION_COOKIE, path="/",
                           secure=config.security().session_cookie_secure,
                           httponly=True, samesite="strict")
    return response
