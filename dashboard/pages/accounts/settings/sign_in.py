"""Settings → Sign-in: the shop's identity provider and the password sign-in switch."""

import reflex as rx

from dashboard.state.accounts import SignInPolicyState


def sign_in_tab() -> rx.Component:
    return rx.vstack(
        rx.text(SignInPolicyState.oidc_summary, size="2", id="oidc-summary"),
        rx.hstack(
            rx.switch(checked=SignInPolicyState.password_allowed,
                      on_change=SignInPolicyState.set_password_allowed,
                      disabled=~SignInPolicyState.oidc_enabled, id="password-sign-in"),
            rx.text("Password sign-in", size="2", weight="medium"),
            align="center",
            spacing="2",
        ),
        rx.text("Turning it off leaves only signing in with the shop's account; it can be "
                "turned off only while that is set up.", size="1", color_scheme="gray"),
        spacing="3",
        align="start",
    )
