"""Small pieces the settings tabs share."""

import reflex as rx


def field(label: str, *control: rx.Component, hint: str = "") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        *control,
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        spacing="1",
        width="100%",
    )


def error_callout(text) -> rx.Component:
    return rx.cond(
        text != "",
        rx.callout(text, icon="triangle-alert", color_scheme="red", size="1", width="100%",
                   class_name="form-error"),
    )


def secret_callout(title, secret, note: str, on_close, id_: str) -> rx.Component:
    """A secret (key, link) shown once, with copy and dismiss."""
    return rx.cond(
        secret != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("key-round")),
            rx.vstack(
                rx.text(title, weight="bold", size="2"),
                rx.hstack(
                    rx.code(secret, size="2", word_break="break-all", id=id_),
                    rx.icon_button(rx.icon("copy", size=14), size="1", variant="soft",
                                   on_click=rx.set_clipboard(secret), aria_label="Copy"),
                    align="center",
                    spacing="2",
                ),
                rx.text(note, size="1"),
                rx.button("Done", size="1", variant="soft", on_click=on_close),
                spacing="2",
                align="start",
            ),
            color_scheme="green",
            width="100%",
        ),
    )


def status_badge(text) -> rx.Component:
    return rx.badge(
        text,
        color_scheme=rx.match(text, ("Active", "green"), ("Live", "green"), ("Invited", "amber"),
                              "gray"),
        variant="soft",
    )


def header(*cells: str) -> rx.Component:
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(c) for c in cells]))
