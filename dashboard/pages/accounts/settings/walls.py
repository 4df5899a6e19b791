"""Settings → Wall screens."""

import reflex as rx

from dashboard.pages.accounts.settings.parts import (
    error_callout,
    field,
    header,
    secret_callout,
    status_badge,
)
from dashboard.state.accounts import KioskRow, KiosksState


def _create_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            field("Screen name", rx.input(name="name", placeholder="Packing bench", required=True,
                                          id="kiosk-name", max_length=100)),
            rx.button("Create link", type="submit", id="kiosk-create"),
            align="end",
            spacing="3",
            width="100%",
        ),
        error_callout(KiosksState.create_error),
        on_submit=KiosksState.create,
        reset_on_submit=True,
    )


def _row(row: KioskRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.name, weight="medium", size="2"), rx.code(row.prefix, size="1")),
        rx.table.cell(rx.text(row.created, size="2"),
                      rx.text(row.created_by, size="1", color_scheme="gray")),
        rx.table.cell(rx.text(row.last_seen, size="2")),
        rx.table.cell(rx.cond(
            row.revoked,
            status_badge("Revoked"),
            rx.button("Revoke", size="1", color_scheme="red", variant="soft",
                      on_click=KiosksState.revoke(row.ref), class_name="kiosk-revoke"),
        )),
        align="center",
        class_name="kiosk-row",
    )


def walls_tab() -> rx.Component:
    return rx.vstack(
        rx.text("A wall-screen link shows the live queues and nothing else, without signing in. "
                "Open it on the screen's browser; revoke it when the screen is retired.",
                size="2", color_scheme="gray"),
        secret_callout("Wall link for " + KiosksState.new_link_name, KiosksState.new_link,
                       "Open it on the wall screen now: it is not shown again.",
                       KiosksState.close_link, "new-kiosk-link"),
        rx.card(_create_form(), width="100%"),
        rx.table.root(
            header("Screen", "Created", "Last seen", ""),
            rx.table.body(rx.foreach(KiosksState.kiosks, _row)),
            variant="surface",
            size="1",
            width="100%",
            id="kiosks-table",
        ),
        spacing="3",
        width="100%",
    )
