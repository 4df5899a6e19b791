"""The centred card of the pages a person sees before signing in (setting a password,
the first run): a heading, an error callout when there is one, then the content."""

import reflex as rx


def signed_out_card(title: str, error, error_id: str, *children) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.heading(title, size="6"),
                rx.cond(
                    error != "",
                    rx.callout(error, icon="triangle-alert", color_scheme="red", size="1",
                               width="100%", id=error_id),
                ),
                *children,
                spacing="4",
                width="100%",
            ),
            size="4",
            width="min(420px, 92vw)",
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )
