"""Sign-in page: a plain form the browser posts to /api/session/login, which sets the
HttpOnly session cookie and sends the browser on to the person's home page."""

import reflex as rx

from dashboard.components.post_form import PostForm, backend_url, post_form
from dashboard.domain.accounts.rules import MAX_PASSWORD
from dashboard.state.accounts import LoginState


def _field(label: str, **input_props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.input(required=True, size="3", width="100%", **input_props),
        spacing="1",
        width="100%",
    )


def _message(text, color: str, icon: str, id_: str) -> rx.Component:
    return rx.cond(
        text != "",
        rx.callout(text, icon=icon, color_scheme=color, size="1", width="100%", id=id_),
    )


def _oidc_button() -> rx.Component:
    # A plain GET form: the browser itself goes to the route, which sends it on to the
    # identity provider (a link would be taken over by the client-side router).
    return rx.cond(
        LoginState.oidc_label != "",
        PostForm.create(
            rx.el.input(type="hidden", name="next", value=LoginState.next_path),
            rx.button(rx.icon("log-in", size=16), LoginState.oidc_label, size="3",
                      width="100%", variant="outline", type="submit", id="sign-in-oidc"),
            action=backend_url("/api/session/oidc/start"), method="get", width="100%",
        ),
    )


def login_form() -> rx.Component:
    return rx.vstack(
        _message(LoginState.error, "red", "triangle-alert", "login-error"),
        _message(LoginState.notice, "green", "circle-check", "login-notice"),
        _oidc_button(),
        rx.cond(LoginState.password_allowed, _password_form()),
        spacing="4",
        width="100%",
    )


def _password_form() -> rx.Component:
    return post_form(
        rx.vstack(
            _field("Email", name="email", type="email", placeholder="you@shop.example",
                   auto_complete="username", id="email", max_length=254),
            # Passwords are taken as typed, up to the server's limit (no silent truncation).
            _field("Password", name="password", type="password", id="password",
                   auto_complete="current-password", max_length=MAX_PASSWORD),
            rx.el.input(type="hidden", name="next", value=LoginState.next_path),
            rx.button("Sign in", type="submit", size="3", width="100%", id="sign-in"),
            spacing="4",
            width="100%",
        ),
        action="/api/session/login",
        width="100%",
    )


def login_page() -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.center(
                        rx.icon("boxes", size=20, color="white"),
                        width="36px",
                        height="36px",
                        background="var(--accent-9)",
                        border_radius="var(--radius-3)",
                    ),
                    rx.heading("Fulfil", size="6"),
                    align="center",
                    spacing="3",
                ),
                rx.text("Sign in to your back office", size="2", color_scheme="gray"),
                login_form(),
                spacing="4",
                width="100%",
            ),
            size="4",
            width="min(380px, 92vw)",
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )
