"""The sign-out button: a form the browser posts to /api/session/logout, which ends the
session on the server and clears the HttpOnly cookie."""

import reflex as rx

from dashboard.components.post_form import post_form


def sign_out_button(*, label: bool = False) -> rx.Component:
    button = rx.button(
        rx.icon("log-out", size=15),
        *(["Sign out"] if label else []),
        type="submit",
        variant="ghost",
        color_scheme="gray",
        size="2",
        id="logout",
        aria_label="Sign out",
    )
    return post_form(button, action="/api/session/logout", style={"display": "inline-flex"})
