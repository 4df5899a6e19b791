"""Choose a password from a one-time link (an invitation or a reset)."""

import reflex as rx

from dashboard.domain.accounts.rules import MAX_PASSWORD, MIN_PASSWORD
from dashboard.pages.accounts.card import signed_out_card
from dashboard.state.accounts import ResetState


def _password(name: str, label: str, id_: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.input(name=name, type="password", required=True, size="3", width="100%", id=id_,
                 auto_complete="new-password", max_length=MAX_PASSWORD),
        spacing="1",
        width="100%",
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("Choose a password for ", rx.text.strong(ResetState.email), size="2"),
            _password("password", "New password", "new-password"),
            _password("again", "Again", "new-password-again"),
            rx.text(f"{MIN_PASSWORD} to {MAX_PASSWORD} characters; spaces and any characters "
                    "allowed. A passphrase of a few words is a good choice.", size="1",
                    color_scheme="gray"),
            rx.button("Set password", type="submit", size="3", width="100%", id="set-password"),
            spacing="3",
            width="100%",
        ),
        on_submit=ResetState.set_password,
        reset_on_submit=False,
        width="100%",
    )


def reset_password_page() -> rx.Component:
    return signed_out_card(
        "Set your password", ResetState.error, "reset-error",
        rx.cond(ResetState.email != "", _form()),
        rx.link("Back to sign in", href="/login", size="2"),
    )
