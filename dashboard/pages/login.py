"""Sign-in page."""

import reflex as rx

from dashboard.state.auth import LoginState


def login_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.vstack(
                rx.text("Email", size="2", weight="medium"),
                rx.input(
                    name="email",
                    type="email",
                    placeholder="you@shop.example",
                    auto_complete="username",
                    required=True,
                    size="3",
                    width="100%",
                    id="email",
                ),
                spacing="1",
                width="100%",
            ),
            rx.vstack(
                rx.text("Password", size="2", weight="medium"),
                rx.input(
                    name="password",
                    type="password",
                    auto_complete="current-password",
                    required=True,
                    size="3",
                    width="100%",
                    id="password",
                ),
                spacing="1",
                width="100%",
            ),
            rx.cond(
                LoginState.error != "",
                rx.callout(
                    LoginState.error,
                    icon="triangle-alert",
                    color_scheme="red",
                    size="1",
                    width="100%",
                    id="login-error",
                ),
            ),
            rx.button("Sign in", type="submit", size="3", width="100%", id="sign-in"),
            spacing="4",
            width="100%",
        ),
        on_submit=LoginState.login,
        reset_on_submit=False,
        width="100%",
    )
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
                form,
                spacing="4",
                width="100%",
            ),
            size="4",
            width="380px",
        ),
        height="100vh",
        background="var(--gray-2)",
    )
