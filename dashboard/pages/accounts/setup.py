"""The first-run page (/setup/<token>): create the owner account from the one-time link
that `make run` printed. A plain form the browser posts to /api/session/setup, which
signs the new owner in and opens the demo shop."""

import reflex as rx

from dashboard.components.post_form import PostForm, backend_url, post_form
from dashboard.domain.accounts.rules import MAX_PASSWORD, MIN_PASSWORD
from dashboard.pages.accounts.card import signed_out_card
from dashboard.state.accounts import SetupState


def _field(label: str, **input_props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.input(size="3", width="100%", **input_props),
        spacing="1",
        width="100%",
    )


def _form() -> rx.Component:
    return post_form(
        rx.vstack(
            rx.text("Nobody runs this shop yet. Create the owner account: the owner invites "
                    "everyone else from Settings.", size="2"),
            _field("Your name", name="name", id="setup-name", max_length=200,
                   auto_complete="name"),
            _field("Email", name="email", type="email", id="setup-email", required=True,
                   max_length=254, auto_complete="username"),
            _field("Password", name="password", type="password", id="setup-password",
                   required=True, max_length=MAX_PASSWORD, auto_complete="new-password"),
            _field("Password again", name="again", type="password", id="setup-again",
                   required=True, max_length=MAX_PASSWORD, auto_complete="new-password"),
            rx.text(f"{MIN_PASSWORD} to {MAX_PASSWORD} characters; a passphrase of a few "
                    "words is a good choice.", size="1", color_scheme="gray"),
            rx.el.input(type="hidden", name="token", value=rx.State.setup_token),
            rx.button("Create the owner account", type="submit", size="3", width="100%",
                      id="create-owner"),
            spacing="3",
            width="100%",
        ),
        action="/api/session/setup",
        width="100%",
    )


def _oidc_form() -> rx.Component:
    # A plain GET form, as on the sign-in page: the browser goes to the route itself.
    return rx.cond(
        SetupState.oidc_label != "",
        rx.vstack(
            PostForm.create(
                rx.el.input(type="hidden", name="setup", value=rx.State.setup_token),
                rx.button(rx.icon("log-in", size=16), SetupState.oidc_label, size="3",
                          width="100%", variant="outline", type="submit", id="setup-oidc"),
                action=backend_url("/api/session/oidc/start"), method="get", width="100%",
            ),
            rx.text("You become the owner with your account at the shop; or create one "
                    "with a password below.", size="1", color_scheme="gray"),
            spacing="2",
            width="100%",
        ),
    )


def setup_page() -> rx.Component:
    return signed_out_card(
        "Welcome to Fulfil", SetupState.error, "setup-error",
        rx.cond(SetupState.valid, rx.vstack(_oidc_form(), _form(), spacing="4", width="100%")),
        rx.cond(SetupState.loaded & ~SetupState.valid,
                rx.link("Go to sign in", href="/login", size="2", id="setup-to-login")),
    )
