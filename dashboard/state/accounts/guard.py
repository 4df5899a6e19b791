"""The one authorisation mechanism of the UI.

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_status(self, value: str): ...

Before the handler runs, `guarded` re-resolves the caller from the database
(services.access.authorize: the HttpOnly session cookie from the websocket handshake, or
a wall link for `kiosk` handlers), stores the identity on AuthState (resetting every view
if it changed), and decides with domain.access.decide. A refusal is written to the audit
log and answered with a redirect (signed out -> /login) or a toast and the role's home
page; the handler does not run. Page loads, background tasks and setters use the same
decorator. `public(reason)` marks the few handlers that serve people not signed in, and
`guarded_var` guards computed vars that read backend-only data. tests/security enumerates
every registered handler and computed var and fails on any with neither mark.

`IdentityMiddleware` applies the same resolution before a page is hydrated, so a tab's
state from a previous identity is reset before the snapshot is sent.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import typing
from dataclasses import dataclass
from urllib.parse import quote

import reflex as rx
from reflex.istate.proxy import StateProxy
from reflex.middleware import Middleware

from dashboard import site
from dashboard.domain.accounts import ANONYMOUS, EVERY_USER, KIOSK, Refusal, decide
from dashboard.services.accounts import access
from dashboard.state.accounts.auth import AuthState

GUARD_ATTR = "__fulfil_guard__"
NO_ACCESS = "You do not have access to that."
EVERYONE = (*EVERY_USER, KIOSK)


@dataclass(frozen=True, slots=True)
class Guard:
    roles: tuple[str, ...]  # empty for a public handler
    public_reason: str = ""


def guard_of(fn) -> Guard | None:
    while fn is not None:
        if (mark := getattr(fn, GUARD_ATTR, None)) is not None:
            return mark
        fn = getattr(fn, "__wrapped__", None)
    return None


def wall_key(path: str) -> str:
    """The kiosk token of a /wall/<token> path ("" elsewhere)."""
    prefix = site.WALL + "/"
    return path[len(prefix):].strip("/") if path.startswith(prefix) else ""


async def _identify(state, roles: tuple[str, ...]):
    """(principal, decision) for the client behind `state`, from the database."""
    kiosk_token = wall_key(state.router.url.path) if KIOSK in roles else None
    return await asyncio.to_thread(
        access.authorize, session_token=state._session_cookie(), kiosk_token=kiosk_token,
        roles=roles,
    )


def _refusal_events(state, principal, refusal: Refusal, signed_out_to: str | None) -> list:
    if refusal == Refusal.FORBIDDEN:
        # One toast however many of the page's loaders were refused (the id dedupes).
        return [rx.toast.error(NO_ACCESS, id="no-access"),
                rx.redirect(site.home_for(principal.role))]
    if signed_out_to:
        return [rx.redirect(signed_out_to)]
    back = site.safe_next(state.router.url.path)
    return [rx.redirect(site.LOGIN + (f"?next={quote(back)}" if back else ""))]


async def enforce(state, roles: tuple[str, ...], action: str,
                  signed_out_to: str | None = None) -> list | None:
    """Resolve, adopt and decide; None when allowed, else the events answering a refusal."""
    principal, decision = await _identify(state, roles)
    if isinstance(state, StateProxy):  # a background task: take the lock to write
        async with state:
            await state._adopt(principal)
    else:
        await state._adopt(principal)
    if decision.allowed:
        return None
    await asyncio.to_thread(
        access.record_refusal, principal=principal, decision=decision, action="event.refused",
        target=action, client=state._client(), page=state.router.url.path[:200],
    )
    return _refusal_events(state, principal, decision.refusal, signed_out_to)


def _handler_name(fn) -> str:
    return fn.__qualname__  # "OrdersState.set_status"


def guarded(*roles: str, signed_out_to: str | None = None):
    """Admit only principals with one of `roles` (see domain.access) to this handler.
    Signed-out callers go to /login (or `signed_out_to`), others to their home page."""
    decide_roles = tuple(roles)
    decide(ANONYMOUS, decide_roles)  # fail at import on an unknown role

    def decorate(fn):
        name = _handler_name(fn)

        @functools.wraps(fn)
        async def checked(self, *args, **kwargs):
            refused = await enforce(self, decide_roles, name, signed_out_to)
            if refused is not None:
                return refused
            result = fn(self, *args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            return result

        setattr(checked, GUARD_ATTR, Guard(decide_roles))
        return checked

    return decorate


def public(reason: str):
    """Mark a handler that serves people who are not signed in (sign-in page, reset link).
    It must check whatever it relies on itself; tests/security lists them by name."""
    if not reason.strip():
        raise ValueError("say why the handler is public")

    def decorate(fn):
        setattr(fn, GUARD_ATTR, Guard((), reason))
        return fn

    return decorate


_EMPTY = {str: str, int: int, float: float, bool: bool, list: list, dict: dict}


def guarded_var(*roles: str, **var_kwargs):
    """A computed var reading backend-only data: empty unless the last resolved identity
    holds one of `roles` (handlers keep that identity current, see `enforce`)."""
    decide(ANONYMOUS, tuple(roles))

    def decorate(fn):
        returns = typing.get_type_hints(fn).get("return")
        empty = _EMPTY.get(typing.get_origin(returns) or returns, str)

        @functools.wraps(fn)
        def value(self):
            if not decide(self._principal, tuple(roles)).allowed:
                return empty()
            return fn(self)

        setattr(value, GUARD_ATTR, Guard(tuple(roles)))
        return rx.var(value, cache=False, **var_kwargs)

    return decorate


class IdentityMiddleware(Middleware):
    """Before a page's state snapshot is sent (hydrate, i.e. every page load), resolve who
    the tab belongs to now, so a previous identity's views are reset instead of sent; and
    clear the secrets states show once (`SHOWN_ONCE`), so a reload never sends them again."""

    async def preprocess(self, app, state, event):
        if not event.name.rpartition(".")[2].startswith("hydrate"):
            return None
        auth = await state.get_state(AuthState)
        principal, _ = await _identify(auth, EVERYONE)
        await auth._adopt(principal)
        for cls in _shown_once_states():
            substate = await state.get_state(cls)
            for name in cls.SHOWN_ONCE:
                setattr(substate, name, "")
        return None


@functools.cache
def _shown_once_states() -> tuple[type, ...]:
    from dashboard.state.accounts.auth import _descendants

    return tuple(cls for cls in _descendants(AuthState) if getattr(cls, "SHOWN_ONCE", ()))
