"""Every way into the app is checked, or is on an explicit public allowlist.

Any connected client can call any registered Reflex event handler by name with arguments
of its choosing, and anyone can call any HTTP route. So this walks the whole registry —
every rx.State subclass (ours, Reflex's own, inherited handlers, substates), every
computed var of our states, and every route of the ASGI app the server runs — and fails
on anything that is neither guarded nor listed here with a reason.
"""

from __future__ import annotations

import reflex as rx
from fastapi.routing import APIRoute, iter_route_contexts

import dashboard.dashboard as app_module  # registers every page's states
from dashboard.domain.accounts import KIOSK
from dashboard.state.accounts import AuthState, guard_of

# Our handlers that serve people who are not signed in: (state, handler) -> why.
PUBLIC_HANDLERS = {
    ("LoginState", "load"): "the sign-in page",
    ("ResetState", "load"): "one-time password link (the token is the credential)",
    ("ResetState", "set_password"): "one-time password link (the token is the credential)",
    ("SetupState", "load"): "first-run link: says whether it is alive (the token is the "
                            "credential; no owner may exist)",
}
# Reflex's own handlers, present in every app. None reaches our data: hydration sends the
# tab's own state (reset on an identity change by IdentityMiddleware), on_load_internal
# only queues the page's on_load handlers (all guarded), update_vars_internal only sets
# client-storage vars (we declare none), setvar only calls a `set_<var>` handler
# (ours are guarded; auto setters are off), and the exception reporter only logs.
FRAMEWORK_HANDLERS = {
    "hydrate", "hydrate_and_load", "set_is_hydrated", "on_load_internal",
    "update_vars_internal", "handle_frontend_exception", "setvar",
}
# HTTP routes anyone may call.
PUBLIC_ROUTES = {
    ("GET", "/api/v1/health"): "liveness for load balancers",
    ("GET", "/api/v1/openapi.json"): "the published API description",
    ("GET", "/api/v1/docs"): "the interactive API docs (calls still need a key)",
    ("POST", "/api/session/login"): "the sign-in form post (throttled, audited)",
    ("POST", "/api/session/logout"): "the sign-out form post (ends the caller's own session)",
    ("POST", "/api/session/setup"): "the first-run form (one-time token, refused once an "
                                    "owner exists)",
    ("POST", "/api/session/origin"): "whether the page's origin may use the app (no data)",
    ("GET", "/api/session/oidc/start"): "sends the browser to the identity provider",
    ("GET", "/api/session/oidc/callback"): "the provider's answer: state bound to the browser "
                                           "and spent once, ID token verified (services.oidc)",
}
# Routes whose callers prove themselves another way than an API key.
OTHERWISE_AUTHENTICATED = {
    ("POST", "/api/v1/payments/stripe/webhook"): "Stripe signature (services.payments)",
    # documents: the browser's session cookie (services.access, role per document) or an
    # API key with orders:read, checked in api.routes.documents._allow
    ("GET", "/api/v1/orders/{number}/documents/{kind}.pdf"): "session cookie or orders:read key",
    ("GET", "/api/v1/orders/{number}/documents/{kind}.html"): "session cookie or orders:read key",
    ("GET", "/api/v1/documents/batches/{token}.pdf"): "session cookie or orders:read key",
    ("GET", "/api/v1/orders/{number}/label.pdf"): "session cookie or orders:read key",
    ("GET", "/api/v1/labels.pdf"): "session cookie or orders:read key",
}


def _all_states() -> list[type[rx.State]]:
    found, todo = [], [rx.State]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.get_substates())
    return found


def _ours(cls) -> bool:
    return cls.__module__.startswith("dashboard.")


def _reflexs(cls) -> bool:
    return cls.__module__.split(".")[0].startswith("reflex")


def test_every_event_handler_is_guarded_or_public():
    unchecked, public, guarded = [], set(), 0
    for cls in _all_states():
        for name, handler in cls.event_handlers.items():
            fn = handler.fn
            if _reflexs(cls) or name == "setvar":
                assert name in FRAMEWORK_HANDLERS, f"{cls.get_full_name()}.{name} is new"
                continue
            if not _ours(cls):
                continue  # a state defined by a test module
            mark = guard_of(fn)
            if mark is None:
                unchecked.append(f"{cls.__name__}.{name}")
            elif not mark.roles:
                public.add((cls.__name__, name))
            else:
                guarded += 1
    assert not unchecked, f"handlers with neither @guarded nor @public: {unchecked}"
    assert public == set(PUBLIC_HANDLERS), "the public handlers changed: review and list them"
    assert guarded >= 25


def test_inherited_handlers_are_the_parents_guarded_ones():
    # A substate reaches an inherited handler through the parent's own registration,
    # which the walk above has checked; make sure no substate re-registers one unguarded.
    for cls in _all_states():
        if not _ours(cls) or cls is AuthState:
            continue
        for name, handler in cls.event_handlers.items():
            if name != "setvar":
                assert handler.fn.__qualname__.split(".")[0] == cls.__name__ or guard_of(handler.fn)


def test_no_state_setter_bypasses_the_guard():
    # setvar("x", v) calls set_x; any set_* on our states must itself be guarded.
    for cls in _all_states():
        if _ours(cls):
            for name in dir(cls):
                if name.startswith("set_") and name in cls.event_handlers:
                    assert guard_of(cls.event_handlers[name].fn), f"{cls.__name__}.{name}"


def test_computed_vars_reading_backend_data_are_guarded():
    offenders = []
    for cls in _all_states():
        if not _ours(cls):
            continue
        for name, var in cls.computed_vars.items():
            if not var._fget.__qualname__.startswith(cls.__name__ + "."):
                continue  # inherited: checked on the class that defines it
            deps = var._deps(objclass=cls)
            reads_private = any(d.startswith("_") for names in deps.values() for d in names)
            if reads_private and guard_of(var._fget) is None:
                offenders.append(f"{cls.__name__}.{name}")
    assert not offenders, f"computed vars reading backend-only data without a guard: {offenders}"


def test_no_frontend_var_of_ours_holds_ids_roles_or_secrets():
    suspicious = ("token", "user_id", "session_id", "password", "hash", "secret", "_id")
    for cls in _all_states():
        if not _ours(cls):
            continue
        for name in cls.base_vars:
            if name.startswith("_"):
                continue
            assert not any(word in name for word in suspicious) or name in {
                "password_for", "password_error",  # whose password is being set; a message
                "password_allowed",  # whether password sign-in is on (a shop-wide switch)
            }, f"{cls.__name__}.{name} is sent to the browser"


def _api_routes(app):
    """(method, path, route) for every route of a FastAPI app, included routers flattened."""
    for context in iter_route_contexts(app.routes):
        for method in sorted((context.methods or {"WS"}) - {"HEAD", "OPTIONS"}):
            yield method, context.path_format, context.original_route


def _scopes(route) -> set[str]:
    found, todo = set(), [getattr(route, "dependant", None)]
    while todo:
        dependant = todo.pop()
        if dependant is None:
            continue
        scope = getattr(dependant.call, "required_scope", None)
        if scope:
            found.add(scope)
        todo.extend(dependant.dependencies)
    return found


def test_every_api_route_needs_a_scoped_key_or_is_public():
    from dashboard.api.app import create_app

    unchecked, seen = [], set()
    for method, path, route in _api_routes(create_app()):
        seen.add((method, path))
        if (method, path) in PUBLIC_ROUTES or (method, path) in OTHERWISE_AUTHENTICATED:
            continue
        if isinstance(route, APIRoute) and _scopes(route):
            continue
        unchecked.append(f"{method} {path}")
    assert not unchecked, f"API routes with no require(scope): {unchecked}"
    assert set(PUBLIC_ROUTES) <= seen


def test_the_reflex_backend_adds_only_its_known_endpoints():
    """Besides our API, the server runs Reflex's own endpoints, which reach none of our
    data except through the (guarded) event handlers."""
    known = {"/ping", "/_event", "/_upload", "/_health", "/_all_routes", "/auth-codespace"}
    api = app_module.app._api
    paths = {getattr(route, "path", "") for route in api.routes}
    assert paths - known == set(), paths - known


def test_guarded_vars_are_empty_for_anyone_the_roles_do_not_admit():
    from types import SimpleNamespace

    from dashboard.domain.accounts import ANONYMOUS, OWNER_ONLY, Principal, PrincipalKind
    from dashboard.state.accounts import guarded_var

    def secrets(self) -> list[str]:
        return ["margin report"]

    var = guarded_var(*OWNER_ONLY)(secrets)
    owner = Principal(PrincipalKind.USER, "o@x.example", "owner", user_id=1, session_id=1)
    staff = Principal(PrincipalKind.USER, "s@x.example", "staff", user_id=2, session_id=2)
    assert var._fget(SimpleNamespace(_principal=owner)) == ["margin report"]
    assert var._fget(SimpleNamespace(_principal=staff)) == []
    assert var._fget(SimpleNamespace(_principal=ANONYMOUS)) == []
    assert guard_of(var._fget).roles == OWNER_ONLY


def test_kiosk_handlers_only_read():
    """The wall's handlers are the only ones a kiosk link reaches."""
    kiosk = {(cls.__name__, name) for cls in _all_states() if _ours(cls)
             for name, h in cls.event_handlers.items()
             if (mark := guard_of(h.fn)) is not None and KIOSK in mark.roles}
    assert kiosk == {("WallState", "open")}
