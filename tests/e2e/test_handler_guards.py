"""Every event handler of the UI's states starts with the one session check.

Not a browser test (it reads the source), but it guards the same promise as the e2e tests:
any connected client may call any public handler by name, so each must re-check the user.
"""

from __future__ import annotations

import ast
import inspect
import textwrap

import reflex as rx

import dashboard.dashboard  # noqa: F401  (registers every page's states)

# Handlers that serve people who are not signed in yet.
PUBLIC = {("LoginState", "load"), ("LoginState", "login")}


def _our_states() -> list[type[rx.State]]:
    found, todo = [], [rx.State]
    while todo:
        cls = todo.pop()
        todo.extend(cls.get_substates())
        if cls.__module__.startswith("dashboard."):
            found.append(cls)
    return found


def _starts_with_guard(fn) -> bool:
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    first = tree.body[0].body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):  # docstring
        first = tree.body[0].body[1]
    test = getattr(first, "test", None)
    call = test.value if isinstance(test, ast.NamedExpr) else None
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "_require_user"
    )


def test_every_handler_checks_the_session_first():
    checked, missing = 0, []
    for cls in _our_states():
        for name, handler in cls.event_handlers.items():
            fn = handler.fn
            if name == "setvar" or not fn.__module__.startswith("dashboard."):
                continue  # setvar only reaches set_* handlers, which are checked here
            if fn.__qualname__.split(".")[0] != cls.__name__ or (cls.__name__, name) in PUBLIC:
                continue
            checked += 1
            if not _starts_with_guard(fn):
                missing.append(f"{cls.__name__}.{name}")
    assert checked >= 5
    assert not missing, f"handlers without the session check: {missing}"
